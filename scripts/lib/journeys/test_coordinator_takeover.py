"""临时接管: an administrator bans the charity holding the most approved matches; its matches
not yet delivered are cancelled at once and their units released; the coordinator finds the
takeover, runs its matching first and approves the proposals, which go to other charities;
the database holds each step."""

from caseworker_support import api

LIVE = "('proposed', 'approved', 'accepted')"


def test_a_ban_is_taken_over_and_its_needs_rematched_to_other_charities(person, app):
    banned = app.charity_id
    other = app.value(
        "SELECT min(id) FROM charities WHERE status = 'active' AND id <> %s", banned)
    token = app.token("charity", charity=other)
    categories = [row[0] for row in app.sql(
        f"""SELECT DISTINCT c.code FROM matches m JOIN offers o ON o.id = m.offer_id
              JOIN needs n ON n.id = m.need_id JOIN categories c ON c.id = n.category_id
             WHERE o.charity_id = %s AND m.status IN {LIVE} ORDER BY 1""", banned)]
    for category in categories:
        api(app, "POST", "/v1/offers", token, {
            "category": category, "title": f"Journey relief {category}", "capacity": 500,
            "service_region_prefixes": ["320508"]})
    live = int(app.value(
        f"""SELECT count(*) FROM matches m JOIN offers o ON o.id = m.offer_id
             WHERE o.charity_id = %s AND m.status IN {LIVE}""", banned))
    assert live > 0, "the demo's busiest charity holds live matches"

    admin = person("admin")
    admin.goto(app.url + "/dashboard/admin/charities")
    row = admin.locator(f"#charity-{banned}")
    row.locator(f"#reason-{banned}").fill("挪用捐赠物资，终止合作")
    row.locator("button[value=ban_forever]").click()
    admin.wait_for_load_state()
    assert app.value("SELECT status FROM charities WHERE id = %s", banned) == "banned"
    assert app.value(
        f"""SELECT count(*) FROM matches m JOIN offers o ON o.id = m.offer_id
             WHERE o.charity_id = %s AND m.status IN {LIVE}""", banned) == "0"
    takeover, held = app.sql(
        """SELECT t.id, count(*) FROM takeovers t JOIN takeover_matches tm ON tm.takeover_id = t.id
            WHERE t.charity_id = %s AND t.cause = 'banned' GROUP BY t.id""", banned)[0]
    assert int(held) == live
    assert app.value(
        """SELECT count(*) FROM takeover_matches tm JOIN matches m ON m.id = tm.match_id
            WHERE tm.takeover_id = %s AND m.status = 'cancelled' AND m.reason_code = 'taken_over'""",
        takeover) == held
    assert app.value(
        "SELECT count(*) FROM offers WHERE charity_id = %s AND allocated <> "
        "(SELECT coalesce(sum(coalesce(m.delivered_units, m.units)), 0) FROM matches m "
        " WHERE m.offer_id = offers.id AND m.status = 'delivered')", banned) == "0"
    assert int(app.value(
        "SELECT count(*) FROM inbox_messages WHERE kind = 'takeover.started' AND recipient_charity_id = %s",
        banned)) == 1

    page = person("coordinator")
    page.click("header nav a[href='/dashboard/takeovers']")
    listed = page.locator(f"#takeover-{takeover}")
    assert "禁入" in listed.inner_text()
    listed.locator("button[type=submit]").click()
    page.wait_for_url("**/dashboard/review?run=*")
    run = page.url.rsplit("=", 1)[-1]
    assert "接管匹配" in page.locator("p.flash[role=status]").inner_text()
    proposed = app.sql(
        """SELECT m.need_id, o.charity_id FROM matches m JOIN offers o ON o.id = m.offer_id
            WHERE m.run_id = %s""", run)
    released = {row[0] for row in app.sql("SELECT need_id FROM takeover_matches WHERE takeover_id = %s", takeover)}
    assert proposed and {need for need, _ in proposed} <= released
    assert str(banned) not in {charity for _, charity in proposed}

    page.check("#pick-all")
    page.click("button[name=decision][value=approve]")
    page.wait_for_load_state()
    approved = int(app.value(
        """SELECT count(*) FROM matches m JOIN offers o ON o.id = m.offer_id
            WHERE m.run_id = %s AND m.status = 'approved' AND o.charity_id <> %s""", run, banned))
    assert approved >= 1
    assert app.value("SELECT count(*) FROM offers WHERE allocated > capacity") == "0"
    page.click("header nav a[href='/dashboard/takeovers']")
    assert page.locator(f"#takeover-{takeover} a[href='/dashboard/review?run={run}']").count() == 1
