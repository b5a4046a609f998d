"""转介 between offices: a caseworker transfers a household to a village of another township;
that township's caseworker accepts it on the transfers page and the household moves with its
open needs and its history, out of the sender's reach. A second transfer is returned with a
reason, and that household stays where it was. Pages fit at 1366 px in Chinese and 820 px in
English."""

from conftest import expect_status


def households_to_move(app):
    """Two households of the caseworkers' township with open needs, never transferred; the
    last ones by id, away from the needs other caseworker journeys pick first."""
    rows = app.sql(
        """SELECT h.id FROM households h
            WHERE left(h.region_code, 9) = left(%s, 9)
              AND EXISTS (SELECT 1 FROM needs n WHERE n.household_id = h.id AND n.status = 'open')
              AND NOT EXISTS (SELECT 1 FROM case_transfers t WHERE t.household_id = h.id)
            ORDER BY h.id DESC LIMIT 2""", app.township)
    assert len(rows) == 2, "the demo township has too few households with open needs"
    return int(rows[0][0]), int(rows[1][0])


def send(page, app, household, village, reason):
    """Sends `household` to `village` from its aid chain page; the transfer's id."""
    page.goto(f"{app.url}/dashboard/households/{household}/timeline")
    page.select_option("#to_region", village)
    page.fill("#transfer-reason", reason)
    page.click("#send-transfer button[type=submit]")
    page.wait_for_url(f"**/dashboard/households/{household}/timeline")
    assert "已转出" in page.locator("[role=status]").inner_text()
    return app.value("SELECT id FROM case_transfers WHERE household_id = %s AND status = 'pending'", household)


def test_a_transfer_accepted_and_one_returned(person, app):
    moved, kept = households_to_move(app)
    destination = app.other_townships[0]
    village = app.value(
        "SELECT min(code) FROM regions WHERE level = 5 AND code LIKE left(%s, 9) || '%'", destination)
    origin = app.value("SELECT region_code FROM households WHERE id = %s", moved)
    needs = app.sql(
        "SELECT id FROM needs WHERE household_id = %s AND status IN ('open', 'matched') ORDER BY id", moved)

    sender = person("caseworker")
    transfer = send(sender, app, moved, village, "全家迁居外乡镇")
    # Pending: still the sender's, in one place only.
    assert app.value("SELECT region_code FROM households WHERE id = %s", moved) == origin
    sender.click("header nav a[href='/dashboard/transfers']")
    assert "待接收" in sender.locator(f"#outgoing #transfer-{transfer}").inner_text()

    receiver = person(None, width=820, lang="en", token=app.token("caseworker", region=destination))
    receiver.click("header nav a[href='/dashboard/transfers']")
    row = receiver.locator(f"#incoming #transfer-{transfer}")
    assert "全家迁居外乡镇" in row.inner_text()
    row.locator("button[name=accept]").click()
    receiver.wait_for_url("**/dashboard/transfers")
    assert f"Transfer #{transfer} accepted" in receiver.locator("[role=status]").inner_text()

    assert app.sql("SELECT status, decided_at IS NOT NULL FROM case_transfers WHERE id = %s", transfer) == [
        ("accepted", "t")]
    assert app.value("SELECT region_code FROM households WHERE id = %s", moved) == village
    assert app.sql(
        "SELECT id FROM needs WHERE household_id = %s AND status IN ('open', 'matched') ORDER BY id", moved) == needs
    assert app.value(
        """SELECT count(*) FROM matches m JOIN needs n ON n.id = m.need_id
            WHERE n.household_id = %s AND m.status IN ('proposed', 'approved', 'accepted')""", moved) == "0"
    assert app.value(
        "SELECT count(*) FROM audit_log WHERE entity_type = 'transfer' AND entity_id = %s", transfer) == "2"

    # The chain moved with it: the receiver reads it, the sender no longer can.
    receiver.click(f"#incoming #transfer-{transfer} a[href='/dashboard/households/{moved}/timeline']")
    timeline = receiver.locator("#timeline tbody")
    assert "全家迁居外乡镇" in timeline.locator("tr", has_text="Sent on").first.inner_text()
    assert timeline.locator("tr", has_text="Transfer accepted").count() == 1
    with expect_status(sender, 404):
        sender.goto(f"{app.url}/dashboard/households/{moved}/timeline")

    # The second is returned with a reason: nothing moves.
    before = app.value("SELECT region_code FROM households WHERE id = %s", kept)
    second = send(sender, app, kept, village, "投靠子女")
    receiver.goto(f"{app.url}/dashboard/transfers")
    row = receiver.locator(f"#incoming #transfer-{second}")
    row.locator("input[name=reason]").fill("Household not found at this address")
    row.locator("button[name=return]").click()
    receiver.wait_for_url("**/dashboard/transfers")
    assert f"Transfer #{second} returned" in receiver.locator("[role=status]").inner_text()
    assert app.sql("SELECT status, return_reason FROM case_transfers WHERE id = %s", second) == [
        ("returned", "Household not found at this address")]
    assert app.value("SELECT region_code FROM households WHERE id = %s", kept) == before
    assert app.value(
        "SELECT count(*) FROM case_transfers WHERE household_id = %s AND status = 'pending'", kept) == "0"

    sender.goto(f"{app.url}/dashboard/households/{kept}/timeline")
    assert "Household not found" in sender.locator("#timeline tr", has_text="转介被退回").first.inner_text()
    sender.click("header a.inbox-link")
    assert sender.locator("table.inbox", has_text=f"转介 #{second} 被退回").count() == 1


def test_the_transfer_pages_fit_in_both_languages(person, app):
    household = app.value(
        """SELECT min(h.id) FROM households h
            WHERE left(h.region_code, 9) = left(%s, 9)
              AND EXISTS (SELECT 1 FROM needs n WHERE n.household_id = h.id AND n.status = 'open')""", app.township)
    for width, lang, words in ((820, "zh-CN", "转办到其他乡镇"), (1366, "en", "Transfer to another township")):
        page = person("caseworker", width=width, lang=lang)
        page.goto(f"{app.url}/dashboard/households/{household}/timeline")
        assert words in page.locator("#send-transfer h2").inner_text()
        assert page.locator("#send-referral form.referral").first.locator("select[name=charity] option").count() > 1
        page.click("header nav a[href='/dashboard/transfers']")
        assert page.locator("#incoming h2").count() == 1 and page.locator("#outgoing h2").count() == 1


def test_a_charity_takes_a_referred_need_on(person, app):
    need, household = app.sql(
        """SELECT n.id, h.id FROM needs n JOIN households h ON h.id = n.household_id
            WHERE n.status = 'open' AND left(h.region_code, 9) = left(%s, 9)
              AND h.consent_given_at IS NOT NULL AND h.consent_withdrawn_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM case_transfers t WHERE t.household_id = h.id)
            ORDER BY n.id LIMIT 1""", app.township)[0]
    charity = app.value("SELECT name FROM charities WHERE id = %s", app.charity_id)
    caseworker = person("caseworker")
    caseworker.goto(f"{app.url}/dashboard/households/{household}/timeline")
    form = caseworker.locator(f"#refer-need-{need}")
    form.locator("select[name=charity]").select_option(label=charity)
    form.locator("input[name=reason]").fill("需要上门照料")
    form.locator("button[type=submit]").click()
    caseworker.wait_for_url(f"**/dashboard/households/{household}/timeline")
    assert "已转出" in caseworker.locator("[role=status]").inner_text()
    referral = app.value(
        "SELECT id FROM case_transfers WHERE need_id = %s AND kind = 'referral' AND status = 'pending'", need)
    assert app.value("SELECT to_charity_id FROM case_transfers WHERE id = %s", referral) == app.charity_id

    page = person("charity", width=820, lang="en")
    page.click("header nav a[href='/dashboard/transfers']")
    row = page.locator(f"#incoming #transfer-{referral}")
    assert "需要上门照料" in row.inner_text()
    row.locator("button[name=accept]").click()
    page.wait_for_url("**/dashboard/transfers")
    assert app.value("SELECT status FROM case_transfers WHERE id = %s", referral) == "accepted"
    assert "Contact" in page.locator(f"#incoming #transfer-{referral}").inner_text()
    assert page.locator("#outgoing").count() == 0
