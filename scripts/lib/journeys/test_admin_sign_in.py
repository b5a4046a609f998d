"""Sign-in with a login and a password at 820 px: wrong passwords are refused in the same
words as an unknown login, the fifth in a row locks the account (the right password too,
counted in the database), and an administrator's new password lets the person in."""

from admin_support import set_password, sign_in_with_password
from conftest import expect_status

LOGIN = "journey-admin-pw"


def test_password_sign_in_and_lockout(person, app):
    app.token("admin", login=LOGIN, name="林管理员")
    set_password(app, LOGIN, "correct horse 1")
    page = person(None, width=820)

    for attempt in range(4):
        with expect_status(page, 401):
            sign_in_with_password(page, app, LOGIN, f"wrong password {attempt}")
    message = page.inner_text("#sign-in-error")
    assert "15" in message
    assert page.input_value("#login") == LOGIN
    assert page.locator("#password[aria-invalid=true]").count() == 1
    assert app.value("SELECT failed_sign_ins FROM users WHERE login = %s", LOGIN) == "4"

    with expect_status(page, 401):
        sign_in_with_password(page, app, "nobody-here", "wrong password")
    assert page.inner_text("#sign-in-error") == message, "an unknown login reads like a wrong password"

    with expect_status(page, 401):
        sign_in_with_password(page, app, LOGIN, "wrong password 4")
    assert app.value(
        "SELECT locked_until BETWEEN now() + interval '14 minutes' AND now() + interval '16 minutes' "
        "FROM users WHERE login = %s", LOGIN) == "t"
    assert app.value(
        "SELECT count(*) FROM audit_log a JOIN users u ON a.entity_id = u.id::text "
        "WHERE a.action = 'user.lock' AND u.login = %s", LOGIN) == "1"

    with expect_status(page, 401):
        sign_in_with_password(page, app, LOGIN, "correct horse 1")
    assert page.inner_text("#sign-in-error") == message, "a locked account reads like a wrong password"
    assert app.value("SELECT count(*) FROM dashboard_sessions s JOIN users u ON u.id = s.user_id "
                     "WHERE u.login = %s", LOGIN) == "0"

    set_password(app, LOGIN, "a fresh passphrase")
    sign_in_with_password(page, app, LOGIN, "a fresh passphrase")
    page.wait_for_url("**/dashboard/overview")
    header = page.inner_text("header")
    assert "林管理员" in header and "nil" not in header
    assert app.sql("SELECT failed_sign_ins, locked_until IS NULL FROM users WHERE login = %s", LOGIN) == [("0", "t")]
    assert app.value("SELECT count(*) FROM dashboard_sessions s JOIN users u ON u.id = s.user_id "
                     "WHERE u.login = %s AND s.token_id IS NULL", LOGIN) == "1"
