"""A caseworker works a need in English: reads the ranked candidates and why the other
offers are out (grouped by reason, with counts), proposes one, and once the coordinator
rejects it the offer is out for the cool-down, not back as a fresh candidate; corrects a
need and cancels one with a reason; rates a delivered match."""

from caseworker_support import api, fresh_need, post_offer
from conftest import expect_status


def test_read_candidates_propose_one_and_see_it_refused(person, app):
    need, category = fresh_need(app)
    quantity = int(app.value("SELECT quantity FROM needs WHERE id = %s", need))
    offer = post_offer(app, category, "Journey winter parcel", capacity=max(50, quantity))
    page = person("caseworker", lang="en")
    page.goto(f"{app.url}/dashboard/needs/{need}")
    ranked = page.locator("#candidates tr.ranked", has_text="Journey winter parcel")
    assert ranked.count() == 1
    groups = page.locator("#excluded ul.reason-groups > li")
    assert groups.count() >= 1
    counted = sum(int(text.rsplit("·", 1)[1]) for text in groups.locator("summary").all_inner_texts())
    assert counted >= int(page.locator("#excluded h2").inner_text().split("(")[1].rstrip(")"))
    first = groups.first
    first.locator("summary").click()
    assert first.locator("ul.reasons li").count() >= 1

    assert ranked.locator("input[name=units]").input_value() == str(quantity)
    ranked.locator("button[type=submit]").click()
    page.wait_for_url(f"**/dashboard/needs/{need}*")
    assert "proposed" in page.locator("[role=status]").inner_text()
    match, status, units, creator_role = app.sql(
        """SELECT m.id, m.status, m.units, u.role FROM matches m JOIN users u ON u.id = m.created_by
            WHERE m.need_id = %s AND m.offer_id = %s""", need, offer)[0]
    assert (status, units, creator_role) == ("proposed", str(quantity), "caseworker")
    assert page.locator(f"#match-{match}").count() == 1
    # The proposal covers the need: the page says so instead of "nothing can serve it".
    assert app.value(
        """SELECT sum(units) FROM matches WHERE need_id = %s AND status IN ('proposed', 'approved', 'accepted')""",
        need) == str(quantity)
    assert "cover this need in full" in page.locator("#candidates").inner_text()
    assert page.locator("#candidates tr.ranked", has_text="Journey winter parcel").count() == 0

    api(app, "POST", f"/v1/matches/{match}/reject", app.token("coordinator"), {"reason_code": "not_eligible"})
    page.reload()
    assert app.value("SELECT status FROM matches WHERE id = %s", match) == "rejected"
    assert page.locator("#candidates tr.ranked", has_text="Journey winter parcel").count() == 0
    refused = page.locator("#reason-refused_recently")
    assert refused.count() == 1
    refused.locator("summary").click()
    assert refused.get_by_text("Journey winter parcel").count() == 1


def test_correct_a_need_then_cancel_it_with_a_reason(person, app):
    need = app.value(
        """SELECT n.id FROM needs n JOIN households h ON h.id = n.household_id
            WHERE n.status = 'open' AND left(h.region_code, 9) = left(%s, 9)
              AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.need_id = n.id AND m.status IN ('approved', 'accepted'))
              AND n.fulfilled_quantity = 0
            ORDER BY n.id DESC LIMIT 1""", app.township)
    page = person("caseworker", lang="en")
    page.goto(f"{app.url}/dashboard/needs/{need}")
    page.click(f"a[href='/dashboard/needs/{need}/edit']")
    page.fill("#quantity", "2")
    page.fill("#description", "Two blankets for the winter")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/dashboard/needs/{need}")
    assert f"Need #{need} changed" in page.locator("[role=status]").inner_text()
    assert app.sql("SELECT quantity, description FROM needs WHERE id = %s", need) == [
        ("2", "Two blankets for the winter")]

    page.click("#cancel summary")
    page.select_option("#cancel-reason", "other")
    with expect_status(page, 422):
        page.click("#cancel button[type=submit]")
    assert "note" in page.locator("#cancel [role=alert]").inner_text()
    page.select_option("#cancel-reason", "other")
    page.fill("#cancel-note", "The family moved in with relatives")
    page.click("#cancel button[type=submit]")
    page.wait_for_url(f"**/dashboard/needs/{need}")
    assert f"Need #{need} cancelled" in page.locator("[role=status]").inner_text()
    assert app.value("SELECT status FROM needs WHERE id = %s", need) == "cancelled"
    assert app.sql(
        "SELECT reason, details->>'note' FROM audit_log WHERE action = 'need.cancel' AND entity_id = %s",
        need) == [("other", "The family moved in with relatives")]
    assert page.locator(f"a[href='/dashboard/needs/{need}/edit']").count() == 0


def test_rate_a_delivered_match(person, app):
    need, category = fresh_need(app)
    offer = post_offer(app, category, "Journey rice")
    caseworker = app.token("caseworker")
    match = api(app, "POST", "/v1/matches", caseworker, {"need_id": need, "offer_id": offer, "units": 1})["id"]
    api(app, "POST", f"/v1/matches/{match}/approve", app.token("coordinator"))
    charity = app.token("charity")
    api(app, "POST", f"/v1/matches/{match}/accept", charity)
    today = app.value("SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')")
    api(app, "POST", f"/v1/matches/{match}/deliver", charity,
        {"delivered_units": 1, "delivered_on": today, "received_by": "王秀英"})
    page = person("caseworker", lang="en")
    page.goto(f"{app.url}/dashboard/needs/{need}")
    row = page.locator(f"#match-{match}")
    row.locator("select[name=satisfaction]").select_option("4")
    row.locator("textarea[name=comment]").fill("Arrived on time")
    row.locator("form[action$='/feedback'] button[type=submit]").click()
    page.wait_for_url(f"**/dashboard/needs/{need}*")
    assert "Feedback on match" in page.locator("[role=status]").inner_text()
    assert app.sql("SELECT satisfaction, comment FROM feedback WHERE match_id = %s", match) == [
        ("4", "Arrived on time")]
    assert "4/5" in page.locator(f"#match-{match}").inner_text()
