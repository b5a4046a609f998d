"""绩效评价: the coordinator opens the evaluations from the charities page, computes this
quarter's evaluation of the county, scores one charity with a note and publishes it; the
database holds the draft, the score and the publication with their audit rows, the public
statistics endpoint (no token) lists it, and the page fits 1366 and 820 px in both languages."""

import json
import urllib.request

from conftest import expect_status


def test_a_quarter_is_computed_scored_and_published(person, app):
    page = person("coordinator")
    page.click("header nav a[href='/dashboard/charities']")
    page.click("main a[href='/dashboard/evaluations']")
    page.wait_for_url("**/dashboard/evaluations")
    assert page.locator("section[id^=evaluation-]").count() == 0
    page.click("form.evaluation-compute button[type=submit]")
    page.wait_for_url("**/dashboard/evaluations?period=*")
    period = page.url.rsplit("=", 1)[-1]
    assert "评价已计算" in page.locator(".notice").inner_text()
    evaluation = app.value(
        "SELECT id FROM evaluations WHERE region_prefix = '320508' AND period = %s AND status = 'draft'", period)
    rows = app.sql(
        """SELECT charity_id, accepted, delivered, confirmed, score FROM evaluation_charities
            WHERE evaluation_id = %s ORDER BY delivered DESC, charity_id""", evaluation)
    assert rows, "the demo county's charities took on matches this quarter"
    charity, accepted, delivered, confirmed, formula = rows[0]
    assert int(accepted) >= int(delivered) >= int(confirmed)
    # The figures are the rows': delivered matches of the charity's offers to the county's households.
    assert delivered == app.value(
        """SELECT count(*) FROM matches m JOIN offers o ON o.id = m.offer_id JOIN needs n ON n.id = m.need_id
             JOIN households h ON h.id = n.household_id
            WHERE o.charity_id = %s AND m.status = 'delivered' AND h.region_code LIKE '320508%%'
              AND (m.created_at AT TIME ZONE 'Asia/Shanghai')::date >= %s::date""",
        charity, period[:4] + "-" + {"1": "01", "2": "04", "3": "07", "4": "10"}[period[-1]] + "-01")

    row = page.locator(f"#charity-{charity}")
    row.locator("input[name=score]").fill("35")
    row.locator("input[name=note]").fill("两次逾期未送达，已约谈")
    row.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "评分已保存" in page.locator(".notice").inner_text()
    score, note, rescored = app.sql(
        """SELECT coordinator_score, coordinator_note, score FROM evaluation_charities
            WHERE evaluation_id = %s AND charity_id = %s""", evaluation, charity)[0]
    assert (score, note) == ("35", "两次逾期未送达，已约谈")
    assert float(rescored) < float(formula), "a coordinator's 35 is below the neutral 60 an unscored charity gets"
    assert page.locator(f"#charity-{charity} td.score").inner_text() == f"{float(rescored):.1f}"

    # The browser keeps the field within 0-100; the Store refuses what gets past it.
    page.locator(f"#charity-{charity} input[name=score]").evaluate("input => input.removeAttribute('max')")
    page.locator(f"#charity-{charity} input[name=score]").fill("101")
    with expect_status(page, 422):
        page.locator(f"#charity-{charity} button[type=submit]").click()
        page.wait_for_load_state()
    assert "0 到 100" in page.locator("p.flash.refused").inner_text()
    assert app.value(
        "SELECT coordinator_score FROM evaluation_charities WHERE evaluation_id = %s AND charity_id = %s",
        evaluation, charity) == "35"

    page.goto(app.url + f"/dashboard/evaluations?period={period}")
    page.click(f"#evaluation-{evaluation} form.evaluation-publish button[type=submit]")
    page.wait_for_load_state()
    assert "已公示" in page.locator(".notice").inner_text()
    assert app.value("SELECT status FROM evaluations WHERE id = %s", evaluation) == "published"
    assert app.value("SELECT published_at IS NOT NULL FROM evaluations WHERE id = %s", evaluation) == "t"
    assert app.value(
        """SELECT count(*) FROM audit_log WHERE entity_type = 'evaluation' AND entity_id = %s
              AND action IN ('evaluation.compute', 'evaluation.score', 'evaluation.publish')""", evaluation) == "3"
    assert page.locator(f"#evaluation-{evaluation} form").count() == 0

    with urllib.request.urlopen(app.url + f"/v1/public/evaluations?region=320508&period={period}") as response:
        published = json.load(response)["items"]
    assert {str(item["charity_id"]) for item in published} == {row[0] for row in rows}
    mine = next(item for item in published if str(item["charity_id"]) == charity)
    assert mine["score"] == float(rescored) and mine["period"] == period
    assert all(item[key] is None or item[key] >= 20 for item in published
               for key in ("accepted", "delivered", "confirmed", "complaints", "satisfaction_count"))

    for width in (1366, 820):
        for lang, word in (("zh-CN", "已公示"), ("en", "Published")):
            view = person("coordinator", width=width, lang=lang)
            view.goto(app.url + f"/dashboard/evaluations?period={period}")
            assert word in view.locator(f"#evaluation-{evaluation} .evaluation-status").inner_text()
            assert view.locator(f"#charity-{charity}").count() == 1
            view.goto(app.url + "/dashboard/charities")
            assert view.locator("main a[href='/dashboard/evaluations']").count() == 1
