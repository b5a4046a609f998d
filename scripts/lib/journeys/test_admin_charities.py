"""An administrator, in English, registers a charity (a wrong 统一社会信用代码 is refused
with the form kept, then the right one is accepted), then suspends it, bans it until a
date, reinstates it, bans it for good and reinstates it again, each with a reason that the
database keeps."""

import datetime

from admin_support import broken, credit_code
from conftest import expect_status

NAME = "Journey Relief Foundation"


def submit_sanction(page, charity, action, reason="", until=None):
    row = page.locator(f"#charity-{charity}")
    row.locator(f"#reason-{charity}").fill(reason)
    if until is not None:
        row.locator(f"#until-{charity}").fill(until)
    row.locator(f"button[value={action}]").click()
    page.wait_for_load_state()


def test_register_suspend_ban_and_reinstate(person, app):
    page = person("admin", lang="en")
    page.click("header nav a[href='/dashboard/admin/charities']")
    assert page.locator("h1").inner_text() == "Charity register"
    total = int(app.value("SELECT count(*) FROM charities"))
    assert f"of {total}" in page.inner_text("#list-summary")

    code = credit_code("53320508MJ4711082")
    page.click("details summary")
    page.fill("#name", NAME)
    page.fill("#credit_code", broken(code))
    page.select_option("#kind", "foundation")
    page.fill("#contact_phone", "0512-6888 1234")
    with expect_status(page, 422):
        page.click("#register-charity button[type=submit]")
    assert page.locator("#credit_code[aria-invalid=true]").count() == 1
    assert "GB 32100" in page.inner_text("#credit-code-error")
    assert page.input_value("#name") == NAME and page.input_value("#kind") == "foundation"
    assert app.value("SELECT count(*) FROM charities WHERE name = %s", NAME) == "0"

    page.fill("#credit_code", code)
    page.click("#register-charity button[type=submit]")
    page.wait_for_url("**/dashboard/admin/charities")
    charity = app.value("SELECT id FROM charities WHERE credit_code = %s", code)
    assert page.inner_text("[role=status]") == f"Charity #{charity} registered."
    assert app.sql("SELECT name, kind, status, contact_phone FROM charities WHERE id = %s", charity) == [
        (NAME, "foundation", "active", "0512-6888 1234")]
    assert f"of {total + 1}" in page.inner_text("#list-summary")

    with expect_status(page, 422):
        submit_sanction(page, charity, "suspend")
    assert page.locator(f"#reason-{charity}[aria-invalid=true]").count() == 1
    assert app.value("SELECT status FROM charities WHERE id = %s", charity) == "active"

    submit_sanction(page, charity, "suspend", "Two deliveries missed in October")
    assert "suspended" in page.inner_text("[role=status]")
    assert app.sql("SELECT status, status_reason FROM charities WHERE id = %s", charity) == [
        ("suspended", "Two deliveries missed in October")]

    until = (datetime.date.today() + datetime.timedelta(days=45)).isoformat()
    submit_sanction(page, charity, "ban", "Receipts forged for two households", until)
    assert "banned until" in page.inner_text("[role=status]")
    assert app.sql(
        "SELECT status, status_reason, (banned_until AT TIME ZONE 'Asia/Shanghai')::date FROM charities "
        "WHERE id = %s", charity) == [("banned", "Receipts forged for two households", until)]
    assert "Banned until" in page.inner_text(f"#charity-{charity}")

    submit_sanction(page, charity, "reinstate", "Appeal upheld by the civil affairs bureau")
    assert app.sql("SELECT status, banned_until IS NULL FROM charities WHERE id = %s", charity) == [("active", "t")]

    submit_sanction(page, charity, "ban_forever", "Found to have diverted donated funds")
    assert "for good" in page.inner_text("[role=status]")
    assert app.sql("SELECT status, banned_until IS NULL, status_reason FROM charities WHERE id = %s", charity) == [
        ("banned", "t", "Found to have diverted donated funds")]
    assert page.locator(f"#charity-{charity} button[value=suspend]").count() == 0

    submit_sanction(page, charity, "reinstate", "Court ruling overturned the finding")
    assert app.value("SELECT status FROM charities WHERE id = %s", charity) == "active"

    trail = app.sql(
        "SELECT action, coalesce(reason, '') FROM audit_log WHERE entity_type = 'charity' AND entity_id = %s "
        "ORDER BY id", charity)
    assert trail == [
        ("charity.register", ""),
        ("charity.suspend", "Two deliveries missed in October"),
        ("charity.ban", "Receipts forged for two households"),
        ("charity.reinstate", "Appeal upheld by the civil affairs bureau"),
        ("charity.ban", "Found to have diverted donated funds"),
        ("charity.reinstate", "Court ruling overturned the finding"),
    ]

    page.click("a[href='/dashboard/admin/charities?status=active']")
    assert page.locator(f"#charity-{charity}").count() == 1
