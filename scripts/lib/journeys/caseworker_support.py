"""What the caseworker's journeys share: the demo's households and needs to work on, valid
resident ID numbers (GB 11643), and calls to the HTTP API for the steps other people take
(a charity's offer, a coordinator's decision) so a journey reaches the state it needs."""

import json
import urllib.request

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(serial, birth="19800101", area="320508"):
    """A valid 18-character resident ID number; `serial` (0–999) tells numbers apart."""
    body = f"{area}{birth}{serial:03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def wrong_check(number):
    """`number` with a check character that fails."""
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def api(app, method, path, token, body=None, headers=None):
    """One call to the HTTP API; the decoded JSON answer (the call must succeed)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(app.url + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def village(app):
    """A village of the caseworkers' township."""
    return app.value(
        "SELECT min(code) FROM regions WHERE level = 5 AND code LIKE left(%s, 9) || '%'", app.township)


def fresh_need(app):
    """An open need of the township whose household has consent and has had nothing yet
    (no match, no aid), so an offer posted for it ranks; with its category's code."""
    rows = app.sql(
        """SELECT n.id, c.code FROM needs n JOIN households h ON h.id = n.household_id
             JOIN categories c ON c.id = n.category_id
            WHERE n.status = 'open' AND left(h.region_code, 9) = left(%s, 9)
              AND h.consent_given_at IS NOT NULL AND h.consent_withdrawn_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM matches m JOIN needs o ON o.id = m.need_id WHERE o.household_id = h.id)
              AND NOT EXISTS (SELECT 1 FROM aid_records a WHERE a.household_id = h.id)
            ORDER BY n.id LIMIT 1""", app.township)
    assert rows, "the demo township has no untouched open need"
    return int(rows[0][0]), rows[0][1]


def post_offer(app, category, title, capacity=50):
    """An offer of the journey's charity for the township's households; its id."""
    offer = api(app, "POST", "/v1/offers", app.token("charity"), {
        "category": category, "title": title, "capacity": capacity,
        "service_region_prefixes": [app.township[:9]]})
    return int(offer["id"])
