"""Requests every dashboard page of every role, as a person reaches them, for the `pages`
section of scripts/bench. Standard library only: the server's own request log times each
answer, so no browser is needed.

Usage: bench-pages.py APP_URL ROUNDS role=token ...
Signs in as each role through the sign-in form, collects the role's pages (its navigation,
each list's detail links, "new" forms, and the lists' own filtered and paged links found on
them), then requests each page ROUNDS times, interleaving pages. Prints the number of pages
and requests as JSON; exits 1 on any error status."""

import http.client
import json
import re
import sys
import urllib.parse

APP, ROUNDS = sys.argv[1], int(sys.argv[2])
TOKENS = dict(arg.split("=", 1) for arg in sys.argv[3:])
HOST = urllib.parse.urlparse(APP)
CONNECTION = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=60)


def fetch(method, path, body=None, cookies=None):
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    CONNECTION.request(method, path, body=body.encode() if body is not None else None, headers=headers)
    response = CONNECTION.getresponse()
    text = response.read().decode("utf-8", "replace")
    if response.status == 303 and method == "GET":
        return fetch("GET", response.getheader("Location"), cookies=cookies)
    set_cookies = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            set_cookies[key.strip()] = rest.split(";")[0]
    return response.status, text, set_cookies


def sign_in(token):
    _, html, cookies = fetch("GET", "/dashboard/sign-in")
    csrf = re.search(r'name="_csrf" value="([^"]+)"', html).group(1)
    status, _, set_cookies = fetch("POST", "/dashboard/sign-in", urllib.parse.urlencode(
        {"token": token, "_csrf": csrf}), cookies)
    if status != 303 or "cm_session" not in set_cookies:
        sys.exit(f"bench pages: signing in failed with status {status}")
    return {"cm_session": set_cookies["cm_session"]}


def pages_of(cookies):
    status, home, _ = fetch("GET", "/dashboard", cookies=cookies)
    nav = re.search(r"<nav>(.*?)</nav>", home, re.S)
    found = []
    for href in re.findall(r'href="(/dashboard/[^"#]*)"', nav.group(1) if nav else ""):
        if href not in found:
            found.append(href)
    for page in list(found):
        _, body, _ = fetch("GET", page, cookies=cookies)
        links = [link.replace("&amp;", "&") for link in re.findall(r'href="(/dashboard/[^"#]*)"', body)]
        for pattern in (r"^/dashboard/[a-z-]+/\d+$", r"^/dashboard/[a-z-]+/new$", r"^/dashboard/[a-z-]+\?.+"):
            for link in [link for link in links if re.match(pattern, link) and "lang=" not in link][:3]:
                if link not in found:
                    found.append(link)
    return found


def main():
    requests, pages = 0, 0
    for role, token in TOKENS.items():
        cookies = sign_in(token)
        role_pages = pages_of(cookies)
        pages += len(role_pages)
        for _ in range(ROUNDS):
            for page in role_pages:
                status, _, _ = fetch("GET", page, cookies=cookies)
                if status >= 400:
                    sys.exit(f"bench pages: {status} from {page} as {role}")
                requests += 1
    print(json.dumps({"pages": pages, "requests": requests}))


main()
