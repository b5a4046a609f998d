"""A caseworker records a need through the 登记需求 form: a bad field is refused with the
entries kept, and once fixed the need is stored and confirmed."""

from conftest import expect_status


def test_record_a_need_after_fixing_a_bad_field(person, app):
    page = person("caseworker")
    case_number = app.value(
        "SELECT case_number FROM households WHERE left(region_code, 9) = left(%s, 9) ORDER BY id LIMIT 1",
        app.township)
    before = int(app.value("SELECT count(*) FROM needs"))
    page.click("header nav a[href='/dashboard/needs/new']")
    page.fill("#household", case_number)
    page.select_option("#category", index=1)
    page.fill("#quantity", "3")
    page.fill("#description", "冬季棉被两床")
    page.fill("#needed_by", "2000-01-01")
    with expect_status(page, 422):
        page.click("form[action='/dashboard/needs/new'] button[type=submit]")
    assert page.locator("#needed_by[aria-invalid=true]").count() == 1
    assert page.input_value("#household") == case_number
    assert page.input_value("#description") == "冬季棉被两床"
    page.fill("#needed_by", "")
    page.click("form[action='/dashboard/needs/new'] button[type=submit]")
    page.wait_for_url("**/dashboard/needs/*")
    assert "已登记" in page.locator("[role=status]").inner_text()
    need = page.url.rsplit("/", 1)[-1]
    assert int(app.value("SELECT count(*) FROM needs")) == before + 1
    row = app.sql("SELECT n.quantity, n.description, h.case_number FROM needs n JOIN households h "
                  "ON h.id = n.household_id WHERE n.id = %s", need)
    assert row == [("3", "冬季棉被两床", case_number)]
    page.reload()
    assert page.locator("[role=status]").count() == 0
