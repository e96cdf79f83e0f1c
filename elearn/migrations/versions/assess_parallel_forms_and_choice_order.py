"""Parallel test forms (assignment per learner and path, form per attempt) and vignette choice order

Revision ID: assess0a1b2c
Revises: 79de3c44b054
Create Date: 2026-12-01 02:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'assess0a1b2c'
down_revision = "79de3c44b054"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('test_form_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path_slug', sa.String(length=60), nullable=False),
    sa.Column('pre_form', sa.String(length=1), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'path_slug')
    )
    with op.batch_alter_table('test_form_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_test_form_assignments_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_test_form_assignments_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form', sa.String(length=1), nullable=True))

    with op.batch_alter_table('vignette_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seed', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('vignette_runs', schema=None) as batch_op:
        batch_op.drop_column('seed')

    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_column('form')

    with op.batch_alter_table('test_form_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_test_form_assignments_user_id'))
        batch_op.drop_index(batch_op.f('ix_test_form_assignments_cohort_id'))

    op.drop_table('test_form_assignments')
