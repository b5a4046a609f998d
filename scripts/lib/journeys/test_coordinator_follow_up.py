"""A coordinator follows matches after review: approves two, finds them under 已批准 with
the right total, searches by case number, sorts, looks at the holds about to lapse, and
reads the region's offers; and reads the audit trail in sentences, with the reason and the
note of a rejection."""

import re


def region_count(app, condition, *params):
    return int(app.value(
        f"""SELECT count(*) FROM matches m JOIN needs n ON n.id = m.need_id
              JOIN households h ON h.id = n.household_id
             WHERE h.region_code LIKE '320508%%' AND {condition}""", *params))


def totals(page):
    return page.locator("p.totals").inner_text()


def test_follow_up_lists_offers_and_the_audit_in_words(person, app):
    page = person("coordinator")
    page.goto(app.url + "/dashboard/review")
    picks = page.locator("table.review > tbody > tr input[type=checkbox]")
    chosen = [picks.nth(i).get_attribute("name").split(".")[1] for i in range(2)]
    for match in chosen:
        page.check(f"#pick-{match}")
    page.click("button[name=decision][value=approve]")
    assert app.sql(f"SELECT DISTINCT status FROM matches WHERE id IN ({','.join(chosen)})") == [("approved",)]
    third = page.locator("table.review > tbody > tr input[type=checkbox]").first.get_attribute("name").split(".")[1]
    page.select_option(f"#reason-{third}", "other")
    page.fill("#note", "户主已搬离本村")
    page.click(f"button[value='reject.{third}']")
    assert app.sql("SELECT status, reason_code, note FROM matches WHERE id = %s", third) == [
        ("rejected", "other", "户主已搬离本村")]

    page.click("header nav a[href='/dashboard/follow-up']")
    approved = region_count(app, "m.status = 'approved'")
    assert approved >= 2
    assert re.search(rf"共 {approved} 条", totals(page))
    shown = page.locator("table.follow-up > tbody > tr td:first-child").all_inner_texts()
    assert set(chosen) <= set(shown)

    case_number = app.value(
        "SELECT h.case_number FROM matches m JOIN needs n ON n.id = m.need_id "
        "JOIN households h ON h.id = n.household_id WHERE m.id = %s", chosen[0])
    page.fill("#m-q", case_number)
    page.click("form.filters button[type=submit]")
    found = region_count(app, "m.status = 'approved' AND strpos(h.case_number, %s) > 0", case_number)
    assert re.search(rf"共 {found} 条", totals(page)) and found >= 1
    assert chosen[0] in page.locator("table.follow-up > tbody > tr td:first-child").all_inner_texts()

    page.goto(app.url + "/dashboard/follow-up?status=expiring&sort=expiry")
    lapsing = region_count(
        app, "m.status IN ('proposed', 'approved', 'accepted') AND m.hold_expires_at > now() "
        "AND m.hold_expires_at < now() + interval '48 hours'")
    if lapsing:
        assert re.search(rf"共 {lapsing} 条", totals(page))
    else:
        assert page.locator("p.empty").count() == 1

    page.click("header nav a[href='/dashboard/region-offers']")
    page.select_option("#o-status", "open")
    page.select_option("#o-sort", "remaining")
    page.click("form.filters button[type=submit]")
    open_offers = int(app.value(
        """SELECT count(*) FROM offers o WHERE o.status = 'open' AND (
             EXISTS (SELECT 1 FROM unnest(o.service_region_prefixes) p
                      WHERE starts_with(p, '320508') OR starts_with('320508', p))
             OR (o.radius_km IS NOT NULL AND EXISTS (SELECT 1 FROM regions r WHERE r.code LIKE '320508%%'
                   AND 2 * 6371.0088 * asin(least(1, sqrt(sin(radians(r.centroid_lat - o.center_lat) / 2) ^ 2
                       + cos(radians(r.centroid_lat)) * cos(radians(o.center_lat))
                       * sin(radians(r.centroid_lon - o.center_lon) / 2) ^ 2))) <= o.radius_km)))"""))
    assert re.search(rf"共 {open_offers} 条", totals(page))
    left = [int(x) for x in page.locator("table.region-offers > tbody > tr td:nth-child(6)").all_inner_texts()]
    assert left == sorted(left, reverse=True), "most left first"

    page.click("header nav a[href='/dashboard/audit']")
    page.select_option("#a-entity", "match")
    page.click("form.filters button[type=submit]")
    text = page.locator("table.audit").inner_text()
    name = app.value("SELECT u.name FROM users u JOIN matches m ON m.decided_by = u.id WHERE m.id = %s", third)
    assert f"{name}（协调员）驳回了匹配 #{third}" in text
    assert f"{name}（协调员）批准了匹配 #{chosen[0]}" in text
    assert "户主已搬离本村" in text and "match.reject" not in text


def test_follow_up_and_offers_fit_at_820_px_in_english(person, app):
    page = person("coordinator", width=820, lang="en")
    page.goto(app.url + "/dashboard/follow-up?status=delivered")
    assert "Delivered" in page.inner_text("nav.tabs")
    page.goto(app.url + "/dashboard/region-offers")
    assert "Offers in the region" in page.inner_text("h1")
    page.goto(app.url + "/dashboard/audit")
    assert "What happened" in page.inner_text("main")
