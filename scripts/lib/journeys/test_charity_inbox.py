"""The inbox: messages to the charity show on every page's header as an unread count, read
one by one or all at once; each reader's "read" is their own. Checked in the database."""


def post_to_charity(app, kind, entity_id):
    app.sql("INSERT INTO inbox_messages (kind, entity_type, entity_id, details, recipient_charity_id) "
            "VALUES (%s, 'match', %s, '{\"match\": \"#0\"}', %s)", kind, str(entity_id), app.charity_id)


def reads(app):
    return int(app.value(
        "SELECT count(*) FROM inbox_reads r JOIN users u ON u.id = r.user_id WHERE u.charity_id = %s",
        app.charity_id))


def test_read_one_message_then_all_in_english(app, person):
    match = app.value("SELECT min(m.id) FROM matches m JOIN offers o ON o.id = m.offer_id WHERE o.charity_id = %s",
                      app.charity_id)
    post_to_charity(app, "journey.first", match)
    post_to_charity(app, "journey.second", match)
    before = reads(app)
    page = person("charity", width=820, lang="en")
    page.goto(app.url + "/dashboard/matches")
    badge = page.locator("header .inbox-link .badge")
    unread = int(badge.inner_text())
    assert unread >= 2
    page.click("header .inbox-link")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Inbox"
    assert page.locator("tr.unread").count() == unread
    assert page.locator("tr.unread", has_text="journey.second").locator("a").get_attribute("href") == \
        f"/dashboard/matches/{match}"
    page.screenshot(path="/tmp/charity-inbox-820.png", full_page=True)

    page.locator("tr.unread", has_text="journey.first").locator("button").click()
    page.wait_for_load_state()
    assert page.locator("[role=status]").inner_text() == "Marked read."
    assert reads(app) == before + 1
    assert int(page.locator("header .inbox-link .badge").inner_text()) == unread - 1

    page.click("nav.tabs a:text-is('Unread')")
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == unread - 1
    page.click("button:text-is('Mark all read')")
    page.wait_for_load_state()
    assert page.locator("[role=status]").inner_text() == f"{unread - 1} messages marked read."
    assert page.locator("header .inbox-link .badge").count() == 0
    assert reads(app) == before + unread
    # Another person of the same charity still has them unread.
    other = person("charity", width=1366)
    other.goto(app.url + "/dashboard/inbox")
    assert other.locator("tr.unread", has_text="journey.first").count() == 1
