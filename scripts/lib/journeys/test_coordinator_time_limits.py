"""限时办理: a coordinator reads what is overdue per township on the overview, shortens the
decision limit for the county (a day count of 0 refused first, nothing saved), and sees the
overdue counts grow to what the database says."""

OVERDUE_DECISIONS = """
    SELECT count(*) FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
     WHERE m.status = 'proposed' AND h.region_code LIKE '320508%%'
       AND m.created_at < now() - make_interval(days => stage_limit_days(h.region_code, 'decision'))"""


def overdue_on_page(page, column):
    """The sum of one stage's column of the overdue table."""
    cells = page.locator(f"#overdue table.overdue tbody tr td:nth-child({column})").all_inner_texts()
    return sum(int(cell) for cell in cells)


def test_shorten_a_limit_and_see_what_is_overdue(person, app):
    # Proposals made three days ago: within the default of 3 days for a decision, past 1 day.
    app.sql("""UPDATE matches SET created_at = now() - interval '2 days'
                WHERE status = 'proposed' RETURNING id""")
    page = person("coordinator")
    page.click("header nav a[href='/dashboard/overview']")
    before = overdue_on_page(page, 3) if page.locator("#overdue table.overdue").count() else 0
    assert before == int(app.value(OVERDUE_DECISIONS))

    page.click("#overdue a[href='/dashboard/time-limits']")
    assert page.input_value("#stage-decision") == "3"
    page.fill("#stage-decision", "0")
    page.click("#limits button[type=submit]")
    assert page.eval_on_selector("#stage-decision", "e => e.validity.rangeUnderflow")
    assert page.url.endswith("/dashboard/time-limits")
    assert app.value("SELECT count(*) FROM stage_limits WHERE region_prefix = '320508'") == "0"

    page.fill("#stage-decision", "1")
    page.click("#limits button[type=submit]")
    page.wait_for_url("**/dashboard/time-limits")
    assert "1" in page.locator("p.flash[role=status]").inner_text()
    assert app.sql("SELECT stage, days FROM stage_limits WHERE region_prefix = '320508'") == [("decision", "1")]
    assert app.value(
        "SELECT count(*) FROM audit_log WHERE action = 'time_limit.set' AND entity_id = '320508'") == "1"
    after = int(app.value(OVERDUE_DECISIONS))
    assert after > before
    assert overdue_on_page(page, 3) == after
    page.click("header nav a[href='/dashboard/overview']")
    assert overdue_on_page(page, 3) == after
