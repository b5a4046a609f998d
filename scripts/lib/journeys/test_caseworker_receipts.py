"""Receipts and complaints: a caseworker confirms one delivery for the household and
disputes another with a reason, which opens a complaint; a coordinator finds it on the
complaints page and resolves it with an outcome. Checked in the database after each step,
in zh-CN at 1366 px and in English at 820 px."""


def pending_deliveries(app):
    """A township of the county with at least two delivered matches awaiting review, and two
    of them as (match, need)."""
    township = app.value(
        """SELECT left(h.region_code, 9) || '000' FROM matches m JOIN needs n ON n.id = m.need_id
             JOIN households h ON h.id = n.household_id
            WHERE m.status = 'delivered' AND coalesce(m.receipt_status, 'pending') = 'pending'
              AND h.region_code LIKE '320508%%'
            GROUP BY 1 HAVING count(*) >= 2 ORDER BY count(*) DESC, 1 LIMIT 1""")
    rows = app.sql(
        """SELECT m.id, m.need_id FROM matches m JOIN needs n ON n.id = m.need_id
             JOIN households h ON h.id = n.household_id
            WHERE m.status = 'delivered' AND coalesce(m.receipt_status, 'pending') = 'pending'
              AND starts_with(h.region_code, left(%s, 9))
            ORDER BY m.id LIMIT 2""", township)
    return township, rows


def receipt(app, match):
    return app.sql(
        "SELECT m.receipt_status, u.login, m.receipt_dispute_reason FROM matches m "
        "LEFT JOIN users u ON u.id = m.receipt_reviewed_by WHERE m.id = %s", match)[0]


def test_confirm_dispute_and_resolve_the_complaint(app, person):
    township, ((confirmed, confirmed_need), (disputed, disputed_need)) = pending_deliveries(app)
    caseworker = app.token("caseworker", region=township, login="journey-receipts-cw")
    page = person("caseworker", token=caseworker)
    page.goto(app.url + f"/dashboard/needs/{confirmed_need}#match-{confirmed}")
    row = page.locator(f"tr#match-{confirmed}")
    assert "待确认" in row.inner_text()
    row.locator("button:text-is('确认已收到')").click()
    page.wait_for_load_state()
    assert page.locator("[role=status]").inner_text() == f"已确认匹配 #{confirmed} 的签收。"
    assert receipt(app, confirmed) == ("confirmed", "journey-receipts-cw", "")
    assert "已确认" in page.locator(f"tr#match-{confirmed}").inner_text()
    assert page.locator(f"tr#match-{confirmed} button:text-is('确认已收到')").count() == 0
    page.screenshot(path="/tmp/caseworker-receipt-1366.png", full_page=True)

    english = person("caseworker", width=820, lang="en", token=caseworker)
    english.goto(app.url + f"/dashboard/needs/{disputed_need}?lang=en#match-{disputed}")
    english.fill(f"#dispute-{disputed}", "Only half of the rice arrived")
    english.locator(f"tr#match-{disputed} button:text-is('Dispute')").click()
    english.wait_for_load_state()
    assert english.locator("[role=status]").inner_text() == f"Match #{disputed} disputed; a complaint was opened."
    assert receipt(app, disputed) == ("disputed", "journey-receipts-cw", "Only half of the rice arrived")
    complaint, region, status = app.sql(
        "SELECT id, region_code, status FROM complaints WHERE match_id = %s AND category = 'delivery_disputed'",
        disputed)[0]
    assert status == "open" and region.startswith(township[:9])
    charity = app.value("SELECT o.charity_id FROM matches m JOIN offers o ON o.id = m.offer_id WHERE m.id = %s",
                        disputed)
    assert app.value("SELECT count(*) FROM inbox_messages WHERE kind = 'match.receipt_disputed' "
                     "AND recipient_charity_id = %s AND entity_id = %s", charity, disputed) == "1"
    english.screenshot(path="/tmp/caseworker-dispute-820.png", full_page=True)

    coordinator = person("coordinator")
    coordinator.goto(app.url + "/dashboard/overview")
    coordinator.click("header nav a[href='/dashboard/complaints']")
    coordinator.wait_for_load_state()
    row = coordinator.locator(f"tr#complaint-{complaint}")
    assert "送达有异议" in row.inner_text() and "Only half of the rice arrived" in row.inner_text()
    row.locator("select[name=resolution]").select_option("resolved")
    row.locator("textarea[name=outcome]").fill("已联系慈善组织补发")
    row.locator("button[type=submit]").click()
    coordinator.wait_for_load_state()
    assert coordinator.locator("[role=status]").inner_text() == f"投诉 #{complaint} 已解决。"
    assert app.sql("SELECT c.status, c.outcome, u.role FROM complaints c JOIN users u ON u.id = c.handled_by "
                   "WHERE c.id = %s", complaint) == [("resolved", "已联系慈善组织补发", "coordinator")]
    assert app.value("SELECT count(*) FROM audit_log WHERE action = 'complaint.resolved' AND entity_id = %s",
                     complaint) == "1"
    coordinator.screenshot(path="/tmp/coordinator-complaints-1366.png", full_page=True)

    narrow = person("coordinator", width=820, lang="en")
    narrow.goto(app.url + "/dashboard/complaints?show=resolved&lang=en")
    assert "Resolved" in narrow.locator(f"tr#complaint-{complaint}").inner_text()
    narrow.screenshot(path="/tmp/coordinator-complaints-820.png", full_page=True)
