"""The audit log names events and role changes in words, in the reader's language."""

from conftest import make_user, post_form


def test_audit_log_shows_human_labels_in_both_languages(app, admin):
    uid = make_user(app, email="wordt@example.org", name="Wordt Opleider")
    assert (
        post_form(admin, f"/admin/users/{uid}/role", {"role": "trainer"}, token_from="/admin/users").status_code == 302
    )
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "Rol gewijzigd" in page and "Deelnemer → Opleider" in page and "Aangemeld" in page
    assert "learner -&gt; trainer" not in page and ">login.succeeded<" not in page
    assert '<option value="login.succeeded">Aangemeld</option>' in page  # the filter keeps the code as its value
    assert '<caption id="audit-caption">' in page
    filtered = admin.get("/admin/audit?event=role.changed").get_data(as_text=True)
    assert "Deelnemer → Opleider" in filtered and '<td><span title="login.succeeded">' not in filtered

    post_form(admin, "/language", {"lang": "en", "next": "/admin/audit"}, token_from="/admin/audit")
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "Role changed" in page and "Learner → Trainer" in page and "Logged in" in page
