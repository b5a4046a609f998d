"""The charity's offers: post by townships and by a circle, edit against a second tab, pause,
resume and close, each checked in the database afterwards."""

import re

from conftest import expect_status, new_tab


def first_category(app):
    """A level-2 category of the kind of goods: its id and Chinese name."""
    rows = app.sql(
        "SELECT c.id, c.name_zh FROM categories c JOIN categories k ON k.id = c.parent_id "
        "WHERE c.level = 2 AND k.code = 'material' ORDER BY c.sort_order, c.id LIMIT 1")
    return rows[0]


def township_prefix(app):
    """The 9-digit scope prefix of the fixture's township."""
    return app.township[:9]


def post_offer_form(page, app, title):
    page.goto(app.url + "/dashboard/offers/new")
    category, _ = first_category(app)
    page.select_option("#category", category)
    page.fill("#title", title)
    page.fill("#capacity", "12")
    page.fill("#available_until", "2099-12-31")
    page.fill("#description", "每份含米 5 公斤、油 1 升")


def offer_row(app, title):
    rows = app.sql(
        "SELECT id, status, capacity, array_to_string(service_region_prefixes, ','), center_lat, center_lon, "
        "radius_km, charity_id, version FROM offers WHERE title = %s", title)
    assert len(rows) == 1, rows
    return rows[0]


def test_post_an_offer_by_townships_after_fixing_the_area(app, person):
    page = person("charity", width=820)
    title = "旅程-米面包-乡镇"
    post_offer_form(page, app, title)
    # No township ticked: the Store refuses the area, the form comes back as typed.
    with expect_status(page, 422):
        page.click("#offer-form button[type=submit]")
    assert page.locator("fieldset.area").get_attribute("aria-invalid") == "true"
    assert page.input_value("#title") == title
    assert page.input_value("#capacity") == "12"
    assert app.sql("SELECT count(*) FROM offers WHERE title = %s", title) == [("0",)]

    page.check(f"input[name='township.{township_prefix(app)}']")
    page.click("#offer-form button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/offers/\d+$"))
    assert "已发布" in page.locator("[role=status]").inner_text()
    offer = offer_row(app, title)
    assert offer[1] == "open" and offer[2] == "12"
    assert offer[3] == township_prefix(app)
    assert offer[6] == ""
    assert offer[7] == app.charity_id


def test_post_an_offer_by_a_circle(app, person):
    page = person("charity")
    title = "旅程-助学包-圆形"
    post_offer_form(page, app, title)
    page.check("#area-circle")
    page.fill("#latitude", "31.30")
    page.fill("#longitude", "120.60")
    page.fill("#radius_km", "5.5")
    page.click("#offer-form button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/offers/\d+$"))
    offer = offer_row(app, title)
    assert offer[3] == ""
    assert float(offer[4]) == 31.30 and float(offer[5]) == 120.60 and float(offer[6]) == 5.5


def test_an_edit_after_another_tab_saved_is_a_conflict_that_keeps_what_was_typed(app, person):
    page = person("charity", width=820)
    title = "旅程-冲突"
    post_offer_form(page, app, title)
    page.check(f"input[name='township.{township_prefix(app)}']")
    page.click("#offer-form button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/offers/\d+$"))
    address = page.url

    other = new_tab(page)
    other.goto(address)
    other.fill("#capacity", "15")
    other.click("#offer-form button[type=submit]")
    other.wait_for_load_state()
    assert "已保存" in other.locator("[role=status]").inner_text()
    other.close()

    page.fill("#title", "旅程-冲突-本页改名")
    with expect_status(page, 409):
        page.click("#offer-form button[type=submit]")
    assert "已在别处修改" in page.inner_text("#form-error")
    assert page.input_value("#title") == "旅程-冲突-本页改名"
    assert page.inner_text("#saved-capacity").startswith("15")
    page.screenshot(path="/tmp/charity-offer-conflict-820.png", full_page=True)
    offer = offer_row(app, title)
    assert offer[2] == "15" and offer[8] == "2"

    # Saving again, now knowing of the other change, goes through.
    page.click("#offer-form button[type=submit]")
    page.wait_for_url(address)
    assert app.sql("SELECT capacity, version FROM offers WHERE title = %s", "旅程-冲突-本页改名") == [("12", "3")]


def test_pause_resume_and_close_in_english(app, person):
    page = person("charity", width=820, lang="en")
    title = "journey-pause-resume-close"
    post_offer_form(page, app, title)
    page.check(f"input[name='township.{township_prefix(app)}']")
    page.click("#offer-form button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard/offers/\d+$"))
    assert "posted" in page.locator("[role=status]").inner_text()

    for button, notice, status in [("Pause", "paused", "paused"), ("Resume", "resumed", "open"),
                                   ("Close offer", "closed", "closed")]:
        page.click(f"button:text-is('{button}')")
        page.wait_for_load_state()
        assert notice in page.locator("[role=status]").inner_text()
        assert offer_row(app, title)[1] == status
    assert page.locator("button:text-is('Resume')").count() == 0
    assert page.locator("#offer-form").count() == 0, "a closed offer is not edited"
    assert app.sql(
        "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE entity_type = 'offer' AND entity_id = %s",
        offer_row(app, title)[0]) == [("offer.create,offer.pause,offer.resume,offer.close",)]

    page.goto(app.url + "/dashboard/offers?status=closed")
    assert page.locator(f"a:text-is('{title}')").count() == 1
    page.goto(app.url + "/dashboard/offers?status=open")
    assert page.locator(f"a:text-is('{title}')").count() == 0
    page.screenshot(path="/tmp/charity-offers-820-en.png", full_page=True)
