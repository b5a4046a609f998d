"""An administrator at 820 px creates a caseworker's account with an initial password,
resets it, issues a token (shown once) that the API accepts, and revokes it (the API then
refuses it); the caseworker signs in with the reset password and must choose their own."""

from admin_support import api_status, sign_in_with_password
from conftest import expect_status

LOGIN = "zhou.caseworker"


def test_create_an_account_its_password_and_a_token(person, app):
    admin = person("admin", width=820)
    admin.click("header nav a[href='/dashboard/admin/accounts']")
    before = int(app.value("SELECT count(*) FROM users"))
    assert f"共 {before} 条" in admin.inner_text("#list-summary")

    admin.click("details summary")
    admin.select_option("#role", "caseworker")
    admin.fill("#account-name", "周社工")
    admin.fill("#account-login", "Zhou Caseworker")
    admin.select_option("#region_code", app.township)
    admin.fill("#account-password", "chushi-2026")
    assert admin.is_checked("#must_change")
    with expect_status(admin, 422):
        admin.click("#create-account button[type=submit]")
    assert admin.locator("#account-login[aria-invalid=true]").count() == 1
    assert admin.input_value("#account-name") == "周社工"
    assert admin.input_value("#region_code") == app.township

    admin.fill("#account-login", LOGIN)
    admin.fill("#account-password", "chushi-2026")
    admin.click("#create-account button[type=submit]")
    admin.wait_for_url("**/dashboard/admin/accounts/*")
    user = admin.url.rsplit("/", 1)[-1]
    assert admin.inner_text("[role=status]") == f"已创建账户 #{user}。"
    assert app.sql(
        "SELECT login, name, role, region_code, password_must_change, password_hash LIKE '$scrypt$ln=15,r=8,p=1$%' "
        "FROM users WHERE id = %s", user) == [(LOGIN, "周社工", "caseworker", app.township, "t", "t")]
    assert admin.inner_text("#account-state") == "待本人修改密码"

    admin.fill("#new-password", "chongzhi-77")
    admin.click("#set-password button[type=submit]")
    admin.wait_for_url(f"**/dashboard/admin/accounts/{user}")
    assert "设置密码" in admin.inner_text("[role=status]")
    assert app.value(
        "SELECT count(*) FROM audit_log WHERE action = 'user.password_set' AND entity_id = %s", user) == "1"

    admin.fill("#token-label", "区县对接系统")
    admin.fill("#token-days", "30")
    admin.click("#issue-token button[type=submit]")
    token = admin.inner_text("#issued-token-text").strip()
    assert token.startswith("cm_") and len(token) == 46
    token_id = app.value("SELECT id FROM api_tokens WHERE user_id = %s AND label = '区县对接系统'", user)
    assert app.value(
        "SELECT expires_at BETWEEN now() + interval '29 days' AND now() + interval '31 days' FROM api_tokens "
        "WHERE id = %s", token_id) == "t"
    assert api_status(app, "/v1/me", token) == 200
    admin.goto(admin.url)
    admin.wait_for_url(f"**/dashboard/admin/accounts/{user}")
    assert admin.locator("#issued-token-text").count() == 0, "a token is shown once"

    admin.click(f"#token-{token_id} button[type=submit]")
    admin.wait_for_url(f"**/dashboard/admin/accounts/{user}")
    assert f"#{token_id}" in admin.inner_text("[role=status]")
    assert app.value("SELECT revoked_at IS NOT NULL FROM api_tokens WHERE id = %s", token_id) == "t"
    assert api_status(app, "/v1/me", token) == 401
    assert admin.locator(f"#token-{token_id} button").count() == 0

    worker = person(None, width=820)
    sign_in_with_password(worker, app, LOGIN, "chongzhi-77")
    assert worker.locator("#new-password").count() == 1, "a reset password must be replaced first"
    worker.fill("#password", "chongzhi-77")
    worker.fill("#new_password", "my-own-words-9")
    worker.fill("#repeat_password", "my-own-words-8")
    with expect_status(worker, 422):
        worker.click("#new-password button[type=submit]")
    assert worker.locator("#repeat_password[aria-invalid=true]").count() == 1
    worker.fill("#password", "chongzhi-77")
    worker.fill("#new_password", "my-own-words-9")
    worker.fill("#repeat_password", "my-own-words-9")
    worker.click("#new-password button[type=submit]")
    worker.wait_for_url("**/dashboard/needs")
    assert "周社工" in worker.inner_text("header")
    assert app.value("SELECT password_must_change FROM users WHERE id = %s", user) == "f"

    admin.reload()
    assert admin.inner_text("#account-state") == "正常"
