"""Every dashboard page of every role as PNGs, at 1366 and 820 px (and the home page in
English), from a served demo: signs in as each role through the sign-in form, follows the
navigation, each list's first detail link and its "new" form, and writes one PNG per page
and width. Exits 1 if any page answers an error status, logs a console or page error, or is
wider than its window. Runs in the journeys' venv (Playwright over Debian's Chromium).

Usage: screenshots.py APP_URL OUT_DIR CHROMIUM role=token ..."""

import os
import re
import sys

from playwright.sync_api import sync_playwright

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "journeys"))
from pageprobe import OVERFLOW_PROBE  # noqa: E402

APP, OUT, CHROMIUM = sys.argv[1:4]
TOKENS = dict(arg.split("=", 1) for arg in sys.argv[4:])
WIDTHS = [1366, 820]


def watched_page(browser, width, lang, problems):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang,
                                  extra_http_headers={"Accept-Language": lang})
    context.add_init_script(OVERFLOW_PROBE)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource")
            and problems.append(f"{width}px {page.url}: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"{width}px {page.url}: page error {e}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{width}px: {r.status} from {r.url}"))
    return page


def sign_in(page, token):
    page.goto(APP + "/dashboard/sign-in")
    page.fill("input[name=token]", token)
    page.click("form[action='/dashboard/sign-in'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/dashboard/(?!sign-in).*"))


def pages_of(page):
    """The role's pages: its navigation, and each list's first detail link and new form."""
    found = [a.get_attribute("href") for a in page.locator("header nav a").all()]
    for href in list(found):
        page.goto(APP + href)
        links = [a.get_attribute("href") or "" for a in page.locator("main a[href^='/dashboard/']").all()]
        for pattern in (r"^/dashboard/[a-z-]+/\d+$", r"^/dashboard/[a-z-]+/new$"):
            match = next((link for link in links if re.match(pattern, link)), None)
            if match and match not in found:
                found.append(match)
    return found


def slug(role, href, width, lang):
    name = re.sub(r"[^a-z0-9]+", "-", href.removeprefix("/dashboard/").lower()).strip("-") or "home"
    return f"{role}-{name}-{width}{'' if lang == 'zh-CN' else '-en'}.png"


def main():
    problems, written = [], 0
    with sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        for role, token in TOKENS.items():
            for width in WIDTHS:
                page = watched_page(browser, width, "zh-CN", problems)
                sign_in(page, token)
                for href in pages_of(page):
                    page.goto(APP + href)
                    page.screenshot(path=os.path.join(OUT, slug(role, href, width, "zh-CN")), full_page=True)
                    written += 1
                page.context.close()
            page = watched_page(browser, WIDTHS[0], "en", problems)
            sign_in(page, token)
            page.screenshot(path=os.path.join(OUT, slug(role, "home", WIDTHS[0], "en")), full_page=True)
            written += 1
            page.context.close()
        browser.close()
    print(f"screenshots: {written} pages written to {OUT}")
    if problems:
        sys.exit("screenshots: problems on the pages:\n" + "\n".join(problems))


main()
