"""A caseworker keeps the roll in the browser: finds a household by case number, head's
name or the last four ID digits; registers one (the ID number checked, then shown masked;
a duplicate refused with the entries kept); edits one while a second tab edits it too (a
clear conflict, nothing typed lost); records and withdraws consent."""

from caseworker_support import id_number, village, wrong_check
from conftest import expect_status, new_tab


def search(page, text):
    page.fill("#f-q", text)
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()


def test_find_a_household_by_case_number_name_or_last_four(person, app):
    page = person("caseworker")
    household, case_number, name, last_four = app.sql(
        """SELECT id, case_number, contact_name, id_number_last4 FROM households
            WHERE left(region_code, 9) = left(%s, 9) AND contact_name <> '' ORDER BY id DESC LIMIT 1""",
        app.township)[0]
    page.click("header nav a[href='/dashboard/households']")
    link = f"main table a[href='/dashboard/households/{household}']"
    for text in (case_number, name, last_four):
        search(page, text)
        assert page.locator(link).count() == 1, f"searching {text!r} finds the household"
        assert int(page.locator(".totals").inner_text().split()[1]) >= 1
    total = app.value(
        "SELECT count(*) FROM households WHERE left(region_code, 9) = left(%s, 9) AND id_number_last4 = %s",
        app.township, last_four)
    assert f"共 {total} 户" in page.locator(".totals").inner_text()
    page.click(link)
    assert page.url.endswith(f"/dashboard/households/{household}")
    assert case_number in page.locator("h1").inner_text()
    # The name was looked up by the Store; it never reaches the server's log.
    assert name not in open(app.log_path, encoding="utf-8").read()


def test_register_a_household_checked_masked_and_not_twice(person, app):
    page = person("caseworker")
    number = id_number(731)
    page.click("header nav a[href='/dashboard/households']")
    page.click("a[href='/dashboard/households/new']")
    page.fill("#case_number", "JOURNEY-731")
    page.fill("#id_number", wrong_check(number))
    page.select_option("#region_code", village(app))
    page.fill("#head_name", "路测户主")
    page.fill("#members", "3")
    page.check("input[name=status][value=dibao]")
    page.check("input[name=flag][value=disabled]")
    page.fill("#contact_phone", "0512-6500 7310")
    page.fill("#address", "测试路 731 号")
    page.fill("#consent_scope", "需求信息及送达联系方式")
    with expect_status(page, 422):
        page.click("main form button[type=submit]")
    assert page.locator("#id_number[aria-invalid=true]").count() == 1
    assert page.input_value("#case_number") == "JOURNEY-731"
    assert page.input_value("#address") == "测试路 731 号"
    assert page.is_checked("input[name=flag][value=disabled]")
    assert app.value("SELECT count(*) FROM households WHERE case_number = 'JOURNEY-731'") == "0"

    page.fill("#id_number", number)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/dashboard/households/*")
    assert "JOURNEY-731" in page.locator("[role=status]").inner_text()
    assert page.locator("main").get_by_text("*" * 14 + number[-4:]).count() >= 1
    assert number not in page.content()
    stored = app.sql(
        """SELECT id_number_last4, contact_name, members, assistance_statuses::text, consent_scope
             FROM households WHERE case_number = 'JOURNEY-731'""")
    assert stored == [(number[-4:], "路测户主", "3", "{dibao}", "需求信息及送达联系方式")]
    assert app.value(
        "SELECT count(*) FROM households WHERE concat_ws('|', case_number, contact_name, address) LIKE %s",
        "%" + number + "%") == "0"

    page.goto(app.url + "/dashboard/households/new")
    page.fill("#case_number", "JOURNEY-732")
    page.fill("#id_number", number)
    page.select_option("#region_code", village(app))
    page.fill("#members", "2")
    with expect_status(page, 409):
        page.click("main form button[type=submit]")
    assert "另一户家庭" in page.locator("#id_number-error").inner_text()
    assert page.input_value("#case_number") == "JOURNEY-732"
    assert app.value("SELECT count(*) FROM households WHERE case_number = 'JOURNEY-732'") == "0"


def test_edit_while_a_second_tab_edits_too(person, app):
    page = person("caseworker")
    household, members = app.sql(
        """SELECT id, members FROM households WHERE left(region_code, 9) = left(%s, 9)
              AND cardinality(member_birth_dates) <= 1 ORDER BY id LIMIT 1""", app.township)[0]
    other = new_tab(page)
    edit = f"{app.url}/dashboard/households/{household}/edit"
    page.goto(edit)
    other.goto(edit)
    other.fill("#members", "5")
    other.click("main form button[type=submit]")
    other.wait_for_url(f"**/dashboard/households/{household}")
    assert app.value("SELECT members FROM households WHERE id = %s", household) == "5"

    page.fill("#contact_phone", "0512-6800 1234")
    page.fill("#address", "新地址 8 号")
    with expect_status(page, 409):
        page.click("main form button[type=submit]")
    alert = page.locator("section[role=alert]")
    assert "刚被其他人修改过" in alert.inner_text()
    assert "5" in alert.locator("dl.facts").first.inner_text()
    assert page.input_value("#contact_phone") == "0512-6800 1234"
    assert page.input_value("#address") == "新地址 8 号"
    assert page.input_value("#members") == members
    assert app.value("SELECT contact_phone IS DISTINCT FROM '0512-6800 1234' FROM households WHERE id = %s",
                     household) == "t"

    page.fill("#members", "5")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/dashboard/households/{household}")
    assert app.sql("SELECT members, contact_phone, address FROM households WHERE id = %s", household) == [
        ("5", "0512-6800 1234", "新地址 8 号")]
    assert app.value(
        "SELECT count(*) FROM audit_log WHERE action = 'household.update' AND entity_id = %s", household) == "2"


def test_record_and_withdraw_consent(person, app):
    page = person("caseworker")
    household = app.value(
        """SELECT h.id FROM households h WHERE left(h.region_code, 9) = left(%s, 9)
              AND h.consent_given_at IS NOT NULL AND h.consent_withdrawn_at IS NULL
            ORDER BY (SELECT count(*) FROM needs n JOIN matches m ON m.need_id = n.id
                       WHERE n.household_id = h.id AND m.status IN ('proposed', 'approved', 'accepted')) DESC, h.id
            LIMIT 1""", app.township)
    live = app.value(
        """SELECT count(*) FROM matches m JOIN needs n ON n.id = m.need_id
            WHERE n.household_id = %s AND m.status IN ('proposed', 'approved', 'accepted')""", household)
    page.goto(f"{app.url}/dashboard/households/{household}")
    page.click("#consent ~ form button[type=submit]")
    page.wait_for_url(f"**/dashboard/households/{household}*")
    assert "已撤回授权" in page.locator("[role=status]").inner_text()
    assert app.value("SELECT consent_withdrawn_at IS NOT NULL FROM households WHERE id = %s", household) == "t"
    assert app.value(
        """SELECT count(*) FROM matches m JOIN needs n ON n.id = m.need_id
            WHERE n.household_id = %s AND m.status = 'cancelled' AND m.reason_code = 'consent_withdrawn'""",
        household) == live

    page.fill("#consent_scope", "仅限物资对接")
    page.click("#consent ~ form button[type=submit]")
    page.wait_for_url(f"**/dashboard/households/{household}*")
    assert "已登记授权" in page.locator("[role=status]").inner_text()
    assert app.sql(
        "SELECT consent_withdrawn_at IS NULL, consent_scope FROM households WHERE id = %s", household) == [
        ("t", "仅限物资对接")]
