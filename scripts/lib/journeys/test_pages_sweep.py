"""Every role's pages, as reached through the navigation and each list's first detail link,
at 1366 and 820 px in zh-CN and English: each answers without an error status, a console
error or a page wider than the window."""

import re

import pytest

ROLES = ["caseworker", "coordinator", "charity", "admin"]


def visit_all(page, app):
    links = [a.get_attribute("href") for a in page.locator("header nav a").all()]
    assert links, "the navigation is empty"
    seen = set()
    for href in links:
        page.goto(app.url + href)
        seen.add(href)
        detail = page.locator("main a[href^='/dashboard/'][href*='/']").filter(
            has_not_text=re.compile(r"^\s*$"))
        for index in range(min(detail.count(), 20)):
            target = detail.nth(index).get_attribute("href")
            if re.search(r"/\d+(?:$|[#?])", target or "") and target not in seen:
                page.goto(app.url + target)
                seen.add(target)
                break
    return seen


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("width", [1366, 820])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_and_answers(person, app, role, width, lang):
    page = person(role, width=width, lang=lang)
    assert page.locator("html").get_attribute("lang") == lang
    seen = visit_all(page, app)
    assert len(seen) >= 2
