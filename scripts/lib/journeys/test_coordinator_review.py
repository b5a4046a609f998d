"""A coordinator reviews the proposals of every run: filters by township and category,
rejects one row with a reason picked on that row, ticks "all on this page" and approves
the rest; the database holds exactly those decisions."""

import re

from conftest import expect_status


def waiting(app):
    return int(app.value(
        """SELECT count(*) FROM matches m JOIN needs n ON n.id = m.need_id
             JOIN households h ON h.id = n.household_id
            WHERE m.status = 'proposed' AND h.region_code LIKE '320508%%'"""))


def busiest_cell(app):
    """A township and leaf category with 3 to 50 proposals waiting, the most such."""
    return app.sql(
        """SELECT left(h.region_code, 9) || '000', n.category_id, count(*) FROM matches m
             JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
             JOIN categories c ON c.id = n.category_id
            WHERE m.status = 'proposed' AND NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id)
            GROUP BY 1, 2 HAVING count(*) BETWEEN 3 AND 50 ORDER BY count(*) DESC, 1, 2 LIMIT 1""")[0]


def test_review_across_runs_with_filters_a_row_reason_and_select_all(person, app):
    page = person("coordinator")
    page.click("header nav a[href='/dashboard/review']")
    total = waiting(app)
    assert re.search(rf"共 {total} 条", page.locator("p.totals").inner_text()), "every run's proposals by default"
    assert page.locator("a[rel=next]").count() == (1 if total > 50 else 0)
    if total > 50:
        page.click("a[rel=next]")
        assert page.locator("a[rel=prev]").count() == 1
        page.click("a[rel=prev]")

    township, category, count = busiest_cell(app)
    page.select_option("#f-township", township)
    page.select_option("#f-category", category)
    page.click("form.filters button[type=submit]")
    rows = page.locator("table.review > tbody > tr")
    assert rows.count() == int(count)
    assert f"共 {count} 条" in page.locator("p.totals").inner_text()
    first = rows.first
    need = first.locator("a[href^='/dashboard/needs/']").get_attribute("href").rsplit("/", 1)[-1]
    assert first.locator("a[href^='/dashboard/households/']").count() == 1
    match = first.locator("input[type=checkbox]").get_attribute("name").split(".", 1)[1]
    assert app.value("SELECT need_id FROM matches WHERE id = %s", match) == need

    # A row's reject without its own reason is refused on that row, even with one picked above.
    page.select_option("#reason_code", index=1)
    with expect_status(page, 422):
        first.locator("button[value^='reject.']").click()
    assert page.locator(f"#reason-{match}[aria-invalid=true]").count() == 1
    assert app.value("SELECT status FROM matches WHERE id = %s", match) == "proposed"
    row = page.locator(f"#reason-{match}")
    reason = row.locator("option").nth(2).get_attribute("value")
    row.select_option(reason)
    page.locator(f"button[value='reject.{match}']").click()
    assert f"#{match}: 已驳回" in page.locator("section.results").inner_text()
    assert app.sql("SELECT status, reason_code FROM matches WHERE id = %s", match) == [("rejected", reason)]

    rest = [page.locator("table.review > tbody > tr input[type=checkbox]").nth(i).get_attribute("name").split(".")[1]
            for i in range(rows.count())]
    assert match not in rest and len(rest) == int(count) - 1
    page.check("#pick-all")
    page.click("button[name=decision][value=approve]")
    assert f"已处理 {len(rest)} 条" in page.locator("section.results").inner_text()
    statuses = app.sql(f"SELECT DISTINCT status FROM matches WHERE id IN ({','.join(rest)})")
    assert statuses == [("approved",)]
    assert waiting(app) == total - int(count)


def test_review_at_820_px_shows_score_and_actions_in_english(person, app):
    page = person("coordinator", width=820, lang="en")
    page.goto(app.url + "/dashboard/review")
    first = page.locator("table.review > tbody > tr").first
    for part in ("td.score summary", "button[value^='approve.']", "button[value^='reject.']", "select"):
        box = first.locator(part).first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 820, part
    assert "Select all on this page" in page.inner_text("main form[action='/dashboard/review'][method=post]")
