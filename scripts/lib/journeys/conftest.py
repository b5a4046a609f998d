"""Fixtures for the browser journeys: a served throwaway database per test module, and
signed-in pages of Debian's Chromium driven by Playwright that fail the test on anything a
person would notice going wrong (a console or page error, an error status the person did
not cause, a page wider than the window).

Environment (set by scripts/journeys): DATABASE_URL (a cluster's maintenance database,
where each module creates its own), CM_CLI (the charity-match binary), CM_PSQL (psql),
CM_CHROMIUM (the browser)."""

import contextlib
import os
import re
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

from pageprobe import OVERFLOW_PROBE

CLI = os.environ["CM_CLI"]
PSQL = os.environ["CM_PSQL"]
COUNTY = "320508000000"


def database_url(name):
    """The URL of database `name` on the cluster DATABASE_URL points at."""
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")


def literal(value):
    if value is None:
        return "NULL"
    return "'" + str(value).replace("'", "''") + "'"


class App:
    """A `charity-match serve` over its own database holding the demo county as scripts/demo
    leaves it: `township` (the caseworker's) not matched yet, `other_townships` matched with
    decisions played, `charity_id` the charity with the most approved matches to accept."""

    def __init__(self, name, log_dir):
        self.name = name
        self.db_url = database_url(name)
        self.env = dict(os.environ, DATABASE_URL=self.db_url, ID_PEPPER="journeys-" + "0" * 32, LOG_LEVEL="notice")
        self.log_path = os.path.join(log_dir, f"{name}.log")
        self.server = None
        self.tokens = {}

    def psql(self, url, query):
        result = subprocess.run(
            [PSQL, "-X", "-Atq", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", query],
            capture_output=True, text=True)
        if result.returncode != 0:
            raise AssertionError(f"psql failed: {result.stderr.strip()}\n{query}")
        return result.stdout

    def sql(self, query, *params):
        """Rows of `query` (each `%s` replaced by a quoted parameter) as tuples of strings."""
        text = query
        for value in params:
            text = text.replace("%s", literal(value), 1)
        out = self.psql(self.db_url, text)
        return [tuple(line.split("\t")) for line in out.splitlines() if line != ""]

    def value(self, query, *params):
        """The single value `query` returns."""
        rows = self.sql(query, *params)
        assert len(rows) == 1 and len(rows[0]) == 1, f"expected one value, got {rows!r}"
        return rows[0][0]

    def cli(self, *args, check=True):
        """Runs charity-match with this database; returns its standard output."""
        result = subprocess.run([CLI, *args], env=self.env, capture_output=True, text=True)
        if check and result.returncode != 0:
            raise AssertionError(f"charity-match {' '.join(args)} failed ({result.returncode}): {result.stderr}")
        return result.stdout

    def token(self, role, **scope):
        """A token for a new account of `role` (region/charity default to the demo's)."""
        login = scope.pop("login", None) or f"journey-{role}-{len(self.tokens) + 1}"
        args = ["token", "create", "--role", role, "--login", login, "--name", scope.pop("name", "演示" + role)]
        if role in ("coordinator", "caseworker"):
            args += ["--region", scope.pop("region", COUNTY if role == "coordinator" else self.township)]
        if role == "charity":
            args += ["--charity", str(scope.pop("charity", self.charity_id))]
        token = self.cli(*args).strip().splitlines()[-1]
        self.tokens[login] = token
        return token

    def start(self):
        server_url = os.environ["DATABASE_URL"]
        self.psql(server_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.psql(server_url, f'CREATE DATABASE "{self.name}"')
        self.cli("migrate", "--migrations", os.path.join(os.environ["CM_REPO"], "sql"))
        self.cli("seed", "--demo", "--households", "400", "--charities", "12", "--offers", "60", "--seed", "1")
        # The demo's story (scripts/lib/demo.sh): every township but the first matched, decided
        # on in part and matched again; the first township's needs wait with ranked candidates.
        townships = [row[0] for row in self.sql(
            "SELECT code FROM regions WHERE level = 4 AND code LIKE '320508%' ORDER BY code")]
        self.township, self.other_townships = townships[0], townships[1:]
        for place in self.other_townships:
            self.cli("match", "--region", place)
        self.cli("rehearse", "--region", COUNTY, "--share", "0.4")
        for place in self.other_townships:
            self.cli("match", "--region", place)
        self.charity_id = self.value(
            """SELECT o.charity_id FROM offers o JOIN matches m ON m.offer_id = o.id GROUP BY o.charity_id
               ORDER BY count(*) FILTER (WHERE m.status = 'approved') DESC, count(*) DESC, o.charity_id LIMIT 1""")
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(self.log_path, "w")
        self.server = subprocess.Popen(
            [CLI, "serve", "--port", str(port), "--rate-limit", "0"], env=self.env, stdout=self.log,
            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(self.url + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            if self.server.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"charity-match serve did not become ready; see {self.log_path}")

    def stop(self):
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
            self.log.close()
        self.psql(os.environ["DATABASE_URL"], f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    with sync_playwright() as playwright:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []
        chromium = playwright.chromium.launch(executable_path=os.environ["CM_CHROMIUM"], args=args)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def served_apps(tmp_path_factory):
    """One served database per role, shared by that role's journeys (test_<role>_*.py) and
    started when the first of them needs it: seeding and serving cost more than a journey."""
    apps = {}
    yield apps, str(tmp_path_factory.mktemp("logs"))
    for served in apps.values():
        served.stop()


@pytest.fixture(scope="module")
def app(request, served_apps):
    """The served demo county of the module's role (the word after `test_` in its name)."""
    apps, log_dir = served_apps
    module = request.module.__name__.rsplit(".", 1)[-1].lower()
    role = re.sub(r"[^a-z0-9]", "_", module.removeprefix("test_").split("_", 1)[0])
    if role not in apps:
        served = App(f"journey_{role}_{os.getpid()}", log_dir)
        apps[role] = served
        served.start()
    return apps[role]


class Watch:
    """What went wrong on one page that the person did not cause."""

    def __init__(self, page):
        self.page = page
        self.allowed = set()
        self.problems = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("response", self.response)

    def console(self, message):
        if message.type != "error":
            return
        # A failed load is reported by its status (below), which may be one the person caused.
        if message.text.startswith("Failed to load resource: the server responded with a status of"):
            return
        self.problems.append(f"console error: {message.text}")

    def response(self, response):
        if response.status >= 400 and response.status not in self.allowed:
            self.problems.append(f"{response.status} from {response.request.method} {response.url}")


@contextlib.contextmanager
def expect_status(page, *statuses):
    """Within the block the person causes `statuses` (a form refused with 409, say):
    they are expected, and at least one of them must happen."""
    watch = page._cm_watch
    seen = []
    listener = lambda response: seen.append(response.status)
    page.on("response", listener)
    before = set(watch.allowed)
    watch.allowed |= set(statuses)
    try:
        yield
    finally:
        watch.allowed = before
        page.remove_listener("response", listener)
    assert any(status in statuses for status in seen), f"expected a response with status {statuses}, saw {seen}"


def sign_in(page, app, token):
    page.goto(app.url + "/dashboard/sign-in")
    page.fill("input[name=token]", token)
    page.click("form[action='/dashboard/sign-in'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/dashboard/(?!sign-in).*"))


def new_tab(page):
    """A second tab of the same signed-in person (same cookies), watched like the first."""
    tab = page.context.new_page()
    tab._cm_watch = Watch(tab)
    page.context._cm_watches.append(tab._cm_watch)
    return tab


@pytest.fixture
def person(app, browser):
    """`person(role, width=1366, lang="zh-CN", token=None)`: a Playwright page signed in
    through the sign-in form as a new account of `role` (or with `token`), watched for
    errors until the test ends."""
    contexts = []

    def open_page(role, width=1366, lang="zh-CN", token=None):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale=lang,
            extra_http_headers={"Accept-Language": lang})
        context.add_init_script(OVERFLOW_PROBE)
        context.set_default_timeout(15000)
        context._cm_watches = []
        contexts.append(context)
        page = context.new_page()
        page._cm_watch = Watch(page)
        context._cm_watches.append(page._cm_watch)
        sign_in(page, app, token or app.token(role))
        return page

    yield open_page
    problems = [problem for context in contexts for watch in context._cm_watches for problem in watch.problems]
    for context in contexts:
        context.close()
    assert not problems, "the person met problems:\n" + "\n".join(problems)
