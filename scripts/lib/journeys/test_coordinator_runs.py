"""A coordinator starts a dry run and then a real run for a township the demo has matched
already: its open needs are held by proposals, so both propose nothing, and each says why
with the counts the database holds."""


def open_needs(app, township):
    return app.value(
        """SELECT count(*) FROM needs n JOIN households h ON h.id = n.household_id
            WHERE n.status = 'open' AND h.region_code LIKE left(%s, 9) || '%%'""", township)


def start_run(page, app, dry_run, township):
    page.goto(app.url + "/dashboard/runs")
    page.fill("#run-region", township)
    if dry_run:
        page.check("form[action='/dashboard/runs'] input[name=dry_run]")
    else:
        page.uncheck("form[action='/dashboard/runs'] input[name=dry_run]")
    page.click("form[action='/dashboard/runs'] button[type=submit]")
    page.wait_for_load_state()


def facts(page):
    rows = page.locator("section.why dl.facts div")
    return {rows.nth(i).locator("dt").inner_text(): rows.nth(i).locator("dd").inner_text()
            for i in range(rows.count())}


def township_proposing_nothing(page, app):
    """The first matched township where a dry run proposes nothing (the page says why)."""
    for township in app.other_townships:
        start_run(page, app, True, township)
        if page.locator("section.why").count() == 1:
            return township
    raise AssertionError("every matched township still had something to propose")


def test_a_dry_run_and_a_real_run_say_why_they_propose_nothing(person, app):
    page = person("coordinator")
    runs_before = int(app.value("SELECT count(*) FROM match_runs"))
    township = township_proposing_nothing(page, app)
    held = app.value(
        """SELECT count(*) FROM needs n JOIN households h ON h.id = n.household_id
            WHERE n.status = 'open' AND h.region_code LIKE left(%s, 9) || '%%'
              AND EXISTS (SELECT 1 FROM matches m WHERE m.need_id = n.id AND m.status = 'proposed')
              AND n.quantity - n.fulfilled_quantity <= (SELECT sum(units) FROM matches m WHERE m.need_id = n.id
                    AND m.status IN ('proposed', 'approved', 'accepted'))""", township)
    assert int(app.value("SELECT count(*) FROM match_runs")) == runs_before, "a dry run writes nothing"

    start_run(page, app, True, township)
    assert "试运行完成" in page.locator("[role=status]").first.inner_text()
    why = page.locator("section.why")
    assert why.count() == 1, "a dry run that proposes nothing says why"
    assert "没有提出匹配" in why.locator("h2").inner_text()
    shown = facts(page)
    assert shown["待满足需求"] == open_needs(app, township)
    assert shown["被待审核匹配占满的需求"] == held
    if int(held) > 0:
        assert "待审核的匹配占用" in why.inner_text()

    start_run(page, app, False, township)
    assert int(app.value("SELECT count(*) FROM match_runs")) == runs_before + 1
    run, matches = app.sql("SELECT id, matches_count FROM match_runs ORDER BY id DESC LIMIT 1")[0]
    assert matches == "0"
    assert f"匹配运行 #{run} 已保存" in page.locator("[role=status]").first.inner_text()
    assert page.locator("section.why li").count() >= 1
    assert facts(page)["待满足需求"] == open_needs(app, township)


def test_the_runs_page_says_why_in_english_at_820_px(person, app):
    page = person("coordinator", width=820, lang="en")
    township_proposing_nothing(page, app)
    why = page.locator("section.why")
    assert "Why nothing was proposed" in why.inner_text()
    assert "Open needs" in why.inner_text()
    box = why.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 820
