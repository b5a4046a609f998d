"""What the administrator's journeys share: passwords set as an operator does, valid and
broken 统一社会信用代码, and the API asked with a bearer token."""

import subprocess
import urllib.error
import urllib.request

from conftest import CLI

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(body):
    """`body` (17 characters of the GB 32100 alphabet) with its check character."""
    total = sum(ALPHABET.index(character) * weight for character, weight in zip(body, WEIGHTS))
    return body + ALPHABET[(31 - total % 31) % 31]


def broken(code):
    """The same code with a wrong check character."""
    return code[:17] + ALPHABET[(ALPHABET.index(code[17]) + 1) % 31]


def set_password(app, login, password, must_change=False):
    """`charity-match user set-password`, the password on standard input."""
    args = [CLI, "user", "set-password", "--login", login] + (["--must-change"] if must_change else [])
    result = subprocess.run(args, env=app.env, input=password + "\n", capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def api_status(app, path, token):
    """The status the API answers `GET path` with `token`."""
    request = urllib.request.Request(app.url + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def sign_in_with_password(page, app, login, password):
    """Fills and posts the password form of the sign-in page."""
    if "/dashboard/sign-in" not in page.url:
        page.goto(app.url + "/dashboard/sign-in")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("#password-sign-in button[type=submit]")
    page.wait_for_load_state()
