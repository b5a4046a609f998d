"""The charity's matches: accept; decline with "other", which needs a note; deliver with the
units, the day and the receiver's confirmation (签收); print the receipt. Each step is checked
in the database afterwards."""

import json
import urllib.request

from conftest import expect_status


def api(app, method, path, role, body=None):
    request = urllib.request.Request(
        app.url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": "Bearer " + app.token(role), "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read() or b"null")


def approved_match(app, units_at_least=1):
    """An approved match on the fixture charity's offers, approving a proposal when none waits."""
    query = ("SELECT m.id FROM matches m JOIN offers o ON o.id = m.offer_id "
             "WHERE o.charity_id = %s AND m.status = %s AND m.units >= %s ORDER BY m.id LIMIT 1")
    rows = app.sql(query, app.charity_id, "approved", units_at_least)
    if rows:
        return rows[0][0]
    proposed = app.sql(query, app.charity_id, "proposed", units_at_least)
    assert proposed, "the demo county has no proposal on the charity's offers"
    api(app, "POST", f"/v1/matches/{proposed[0][0]}/approve", "coordinator")
    return proposed[0][0]


def match_state(app, match):
    return app.sql("SELECT status, coalesce(reason_code, ''), coalesce(note, '') FROM matches WHERE id = %s",
                   match)[0]


def test_accept_then_deliver_with_units_day_and_receipt(app, person):
    match = approved_match(app)
    page = person("charity", width=820)
    page.goto(app.url + f"/dashboard/matches/{match}")
    page.click(f"#match-{match} button:text-is('接受')")
    page.wait_for_load_state()
    assert "已接受" in page.locator("[role=status]").inner_text()
    assert match_state(app, match)[0] == "accepted"

    units = int(app.sql("SELECT units FROM matches WHERE id = %s", match)[0][0])
    today = app.sql("SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text")[0][0]
    page.fill(f"#units-{match}", str(units))
    page.fill(f"#on-{match}", "2099-01-01")
    page.fill(f"#code-{match}", "QS-2026-0001")
    with expect_status(page, 422):
        page.click(f"#match-{match} form.deliver button[type=submit]")
    assert page.get_attribute(f"#on-{match}", "aria-invalid") == "true"
    assert page.input_value(f"#code-{match}") == "QS-2026-0001"
    page.screenshot(path="/tmp/charity-deliver-form-820.png", full_page=True)
    assert match_state(app, match)[0] == "accepted"

    page.fill(f"#on-{match}", today)
    page.fill(f"#by-{match}", "王某某")
    page.click(f"#match-{match} form.deliver button[type=submit]")
    page.wait_for_load_state()
    assert "送达" in page.locator("[role=status]").inner_text()
    assert app.sql(
        "SELECT status, delivered_units, delivered_on::text, received_by, receipt_code FROM matches WHERE id = %s",
        match) == [("delivered", str(units), today, "王某某", "QS-2026-0001")]
    assert app.sql("SELECT units, given_on::text FROM aid_records WHERE match_id = %s", match) == [(str(units), today)]

    page.click("text=打印签收单")
    page.wait_for_url(f"**/dashboard/matches/{match}/receipt")
    assert "王某某" in page.inner_text("#receipt")
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()
    assert page.locator("#receipt").is_visible()
    page.screenshot(path="/tmp/charity-receipt-print.png", full_page=True)
    page.emulate_media(media="screen")


def test_decline_with_other_needs_a_note(app, person):
    match = approved_match(app)
    page = person("charity")
    page.goto(app.url + f"/dashboard/matches/{match}")
    page.select_option(f"#reason-{match}", "other")
    with expect_status(page, 422):
        page.click(f"#match-{match} form.decline button[type=submit]")
    assert page.get_attribute(f"#note-{match}", "aria-invalid") == "true"
    assert match_state(app, match)[0] == "approved"

    page.fill(f"#note-{match}", "车辆故障，本周无法送达")
    page.click(f"#match-{match} form.decline button[type=submit]")
    page.wait_for_load_state()
    assert "已婉拒" in page.locator("[role=status]").inner_text()
    assert match_state(app, match) == ("declined", "other", "车辆故障，本周无法送达")
