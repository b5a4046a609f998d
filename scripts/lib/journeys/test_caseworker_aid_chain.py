"""A caseworker keeps one aid chain per household (一户一条救助链): ends a household's 低保
with a reason and sees the match that asked for 低保 closed; uploads a government aid file
and sees it block a duplicate (the offer moves to 重复救助, the coordinator's approval of an
earlier proposal is refused, the same file again adds nothing); reads the chain."""

import json
import urllib.error
import urllib.request

from caseworker_support import api, fresh_need, post_offer
from conftest import expect_status


def refused(app, method, path, token, body):
    """The problem an API call answers with; the call must fail."""
    request = urllib.request.Request(app.url + path, data=json.dumps(body).encode(), method=method)
    request.add_header("Authorization", "Bearer " + token)
    request.add_header("Content-Type", "application/json")
    try:
        urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    raise AssertionError(f"{method} {path} succeeded")


def test_ending_dibao_with_a_reason_closes_the_match_that_asked_for_it(person, app):
    need, household, category = app.sql(
        """SELECT n.id, h.id, c.code FROM needs n JOIN households h ON h.id = n.household_id
             JOIN categories c ON c.id = n.category_id
            WHERE n.status = 'open' AND left(h.region_code, 9) = left(%s, 9) AND h.assistance_statuses = '{dibao}'
              AND h.consent_given_at IS NOT NULL AND h.consent_withdrawn_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM matches m JOIN needs o ON o.id = m.need_id WHERE o.household_id = h.id)
              AND NOT EXISTS (SELECT 1 FROM aid_records a WHERE a.household_id = h.id)
            ORDER BY n.id LIMIT 1""", app.township)[0]
    offer = post_offer(app, category, "Journey dibao parcel")
    # The charity's offer is for 低保 households only (how it says so is its own journey).
    app.sql("UPDATE offers SET eligible_statuses = '{dibao}' WHERE id = %s RETURNING id", offer)
    match = api(app, "POST", "/v1/matches", app.token("caseworker"), {"need_id": int(need), "offer_id": offer})["id"]
    api(app, "POST", f"/v1/matches/{match}/approve", app.token("coordinator"), {})
    assert app.value("SELECT allocated FROM offers WHERE id = %s", offer) != "0"

    page = person("caseworker")
    page.goto(f"{app.url}/dashboard/households/{household}")
    page.click(f"a[href='/dashboard/households/{household}/edit']")
    page.uncheck("input[name=status][value=dibao]")
    page.check("input[name=status][value=temporary]")
    with expect_status(page, 422):
        page.click("main form button[type=submit]")
    assert page.locator("#reason[aria-invalid=true]").count() == 1
    assert not page.is_checked("input[name=status][value=dibao]")
    assert app.value("SELECT assistance_statuses::text FROM households WHERE id = %s", household) == "{dibao}"

    page.fill("#reason", "家庭收入超过低保标准，停发低保，转临时救助")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/dashboard/households/{household}")
    assert "救助身份终止" in page.locator("[role=status]").inner_text()
    assert app.sql("SELECT status, reason_code FROM matches WHERE id = %s", match) == [("cancelled", "status_ended")]
    assert app.value("SELECT allocated FROM offers WHERE id = %s", offer) == "0"
    assert app.value("SELECT status FROM needs WHERE id = %s", need) == "open"
    assert app.sql(
        """SELECT reason, details->>'ended_statuses' FROM audit_log
            WHERE action = 'household.update' AND entity_id = %s""", household) == [
        ("家庭收入超过低保标准，停发低保，转临时救助", '["dibao"]')]

    page.click(f"a[href='/dashboard/households/{household}/timeline']")
    timeline = page.locator("#timeline tbody")
    assert "家庭收入超过低保标准" in timeline.locator("tr", has_text="信息变更").first.inner_text()
    assert "救助身份终止" in timeline.locator("tr", has_text="匹配已取消").first.inner_text()


def test_a_government_aid_file_blocks_a_duplicate(person, app, tmp_path):
    need, category = fresh_need(app)
    case_number = app.value(
        "SELECT h.case_number FROM needs n JOIN households h ON h.id = n.household_id WHERE n.id = %s", need)
    offer = post_offer(app, category, "Journey aid parcel")
    page = person("caseworker")
    page.goto(f"{app.url}/dashboard/needs/{need}")
    ranked = page.locator("#candidates tr.ranked", has_text="Journey aid parcel")
    assert ranked.count() == 1
    ranked.locator("input[name=units]").fill("1")
    ranked.locator("button[type=submit]").click()
    page.wait_for_url(f"**/dashboard/needs/{need}*")
    match = app.value("SELECT id FROM matches WHERE need_id = %s AND offer_id = %s", need, offer)

    today = app.value("SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text")
    path = tmp_path / "aid.csv"
    path.write_text(
        "case_number,category,amount,units,given_on,program,external_ref\n"
        f"{case_number},{category},,1,{today},临时救助实物,JOURNEY-AID-1\n"
        f"{case_number},{category},,1,2999-01-01,临时救助实物,JOURNEY-AID-2\n", encoding="utf-8")
    page.click("header nav a[href='/dashboard/households']")
    page.click("a[href='/dashboard/aid/import']")
    page.set_input_files("#file", str(path))
    with expect_status(page, 422):
        page.click("main form button[type=submit]")
    rows = [row.locator("td").all_inner_texts() for row in page.locator("#report tbody tr").all()]
    assert [(line, column) for line, column, _ in rows] == [("3", "given_on")]
    assert app.value("SELECT count(*) FROM aid_records WHERE external_ref LIKE 'JOURNEY-AID-%'") == "0"

    path.write_text(
        "case_number,category,amount,units,given_on,program,external_ref\n"
        f"{case_number},{category},,1,{today},临时救助实物,JOURNEY-AID-1\n", encoding="utf-8")
    page.set_input_files("#file", str(path))
    page.click("main form button[type=submit]")
    assert "导入 1 条救助记录" in page.locator("#report h2").inner_text()
    assert app.sql(
        """SELECT a.source, a.units, a.program FROM aid_records a JOIN households h ON h.id = a.household_id
            WHERE a.external_ref = 'JOURNEY-AID-1' AND h.case_number = %s""", case_number) == [
        ("government", "1", "临时救助实物")]

    # The same file again adds nothing.
    page.set_input_files("#file", str(path))
    with expect_status(page, 422):
        page.click("main form button[type=submit]")
    assert "already recorded" in page.locator("#report tbody").inner_text()
    assert app.value("SELECT count(*) FROM aid_records WHERE external_ref = 'JOURNEY-AID-1'") == "1"

    # The offer is now out as duplicate aid, and the earlier proposal cannot be approved.
    page.goto(f"{app.url}/dashboard/needs/{need}")
    assert page.locator("#candidates tr.ranked", has_text="Journey aid parcel").count() == 0
    duplicate = page.locator("#reason-duplicate_aid")
    duplicate.locator("summary").click()
    assert duplicate.get_by_text("Journey aid parcel").count() == 1
    status, problem = refused(app, "POST", f"/v1/matches/{match}/approve", app.token("coordinator"), {})
    assert status == 409 and problem["code"] == "duplicate_aid"
    assert app.value("SELECT status FROM matches WHERE id = %s", match) == "proposed"
    assert app.value("SELECT allocated FROM offers WHERE id = %s", offer) == "0"

    household = app.value("SELECT household_id FROM needs WHERE id = %s", need)
    page.goto(f"{app.url}/dashboard/households/{household}/timeline")
    assert "临时救助实物" in page.locator("#timeline tr.government").first.inner_text()
