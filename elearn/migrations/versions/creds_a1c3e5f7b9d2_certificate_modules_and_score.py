"""Certificates record the modules they cover and the post-test score.

Revision ID: creds_a1c3e5f7b9d2
Revises: assess0a1b2c
"""
import sqlalchemy as sa
from alembic import op

revision = "creds_a1c3e5f7b9d2"
down_revision = "assess0a1b2c"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("certificates") as batch:
        batch.add_column(sa.Column("modules_json", sa.Text(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("post_test_percent", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("certificates") as batch:
        batch.drop_column("post_test_percent")
        batch.drop_column("modules_json")
