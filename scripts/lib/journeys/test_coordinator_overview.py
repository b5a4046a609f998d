"""A coordinator reads the overview: the weekly chart has an axis and values, the
satisfaction chart a 0–5 scale, and the gap map units wanted against supply left per
township and category with a legend; a cell drills down to that township's needs ledger,
which prints as a plain table."""


def test_overview_charts_and_the_gap_map_drill_down_to_a_printable_ledger(person, app):
    page = person("coordinator")
    page.click("header nav a[href='/dashboard/overview']")
    weekly = page.locator("svg.chart").first
    assert weekly.locator("line.grid").count() >= 5, "the weekly chart has an axis with gridlines"
    assert weekly.locator("text.value").count() > 0, "and values on its bars"
    assert "供给不足" in page.inner_text(".gap-legend") and "供给足够" in page.inner_text(".gap-legend")

    link = page.locator("table.gaps a").first
    href = link.get_attribute("href")
    wanted, supply = (int(part) for part in link.inner_text().split(" / "))
    township = href.split("township=")[1].split("&")[0]
    category = href.split("category=")[1].split("&")[0]
    expected = app.sql(
        """SELECT count(*), sum(n.quantity - n.fulfilled_quantity - coalesce((SELECT sum(m.units) FROM matches m
                  WHERE m.need_id = n.id AND m.status IN ('proposed', 'approved', 'accepted')), 0))
             FROM needs n JOIN households h ON h.id = n.household_id
            WHERE n.status = 'open' AND n.category_id = %s AND left(h.region_code, 9) = left(%s, 9)
              AND n.quantity - n.fulfilled_quantity - coalesce((SELECT sum(m.units) FROM matches m
                  WHERE m.need_id = n.id AND m.status IN ('proposed', 'approved', 'accepted')), 0) > 0""",
        category, township)[0]
    assert wanted == int(expected[1])
    assert ("gap-short" in link.get_attribute("class")) == (supply < wanted)
    headers = page.locator("table.gaps thead th").all_inner_texts()
    names = {row[0] for row in app.sql("SELECT name_zh FROM categories")}
    assert all(header in names for header in headers[1:]), "category names whole, not cut"

    link.click()
    page.wait_for_url("**/dashboard/ledger?*")
    open_needs = int(app.value(
        """SELECT count(*) FROM needs n JOIN households h ON h.id = n.household_id
            WHERE n.status = 'open' AND n.category_id = %s AND left(h.region_code, 9) = left(%s, 9)""",
        category, township))
    assert page.locator("table.ledger > tbody > tr").count() == open_needs
    first = page.locator("table.ledger > tbody > tr").first
    need = first.locator("td").nth(0).inner_text().strip()
    assert first.locator("td").nth(1).inner_text().strip() == app.value(
        "SELECT h.case_number FROM needs n JOIN households h ON h.id = n.household_id WHERE n.id = %s", need)
    assert "需求台账" in page.inner_text("h1")
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden(), "the ledger prints without the navigation"
    assert page.locator("table.ledger thead").evaluate("e => getComputedStyle(e).display") == "table-header-group"
    page.emulate_media(media="screen")


def test_overview_in_english_at_820_px(person, app):
    page = person("coordinator", width=820, lang="en")
    page.goto(app.url + "/dashboard/overview")
    assert "Short of supply" in page.inner_text(".gap-legend")
