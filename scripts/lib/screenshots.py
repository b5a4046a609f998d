"""Drives headless Chromium over the dashboard's pages, one role at a time, through the
DevTools protocol: signs in as each role with its token (the way a person does, through
the sign-in form), follows the navigation and the first detail link of each list, and
writes a PNG per page. Exits 1 if any page answers an error status or logs a JavaScript
error or exception. Standard library only."""

import base64, http.client, json, os, re, socket, struct, subprocess, sys, tempfile, time, urllib.parse, urllib.request

APP = sys.argv[1]            # http://127.0.0.1:PORT
OUT = sys.argv[2]            # folder for the PNGs
TOKENS = dict(arg.split("=", 1) for arg in sys.argv[3:])   # role=token


def fetch(method, path, body=None, cookies=None):
    host = urllib.parse.urlparse(APP)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    set = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            set[key.strip()] = rest.split(";")[0]
    if response.status == 303 and method == "GET":
        return fetch("GET", response.getheader("Location"), cookies=cookies)
    return response.status, response.read().decode("utf-8", "replace"), set


def sign_in(token):
    status, html, cookies = fetch("GET", "/dashboard/sign-in")
    csrf = re.search(r'name="_csrf" value="([^"]+)"', html).group(1)
    form = urllib.parse.urlencode({"token": token, "_csrf": csrf})
    status, _, set = fetch("POST", "/dashboard/sign-in", form, cookies)
    if status != 303 or "cm_session" not in set:
        sys.exit(f"screenshots: signing in failed with status {status}")
    return set["cm_session"]


def pages(session):
    """The navigation of the role's home, each list's first detail link, and English."""
    home = fetch("GET", "/dashboard", cookies={"cm_session": session})[1]
    found = []
    nav = re.search(r"<nav>(.*?)</nav>", home, re.S)
    for href in re.findall(r'href="(/dashboard/[^"?#]*)"', nav.group(1) if nav else ""):
        if href not in found:
            found.append(href)
    for page in list(found):
        body = fetch("GET", page, cookies={"cm_session": session})[1]
        detail = re.search(r'href="(/dashboard/[a-z-]+/\d+)"', body)
        if detail and detail.group(1) not in found:
            found.append(detail.group(1))
        new = re.search(r'href="(/dashboard/[a-z-]+/new)"', body)
        if new and new.group(1) not in found:
            found.append(new.group(1))
    if found:
        found.append(found[0] + "?lang=en")
    return found


class DevTools:
    """A minimal WebSocket client (RFC 6455, text frames) speaking the DevTools protocol."""

    def __init__(self, url):
        parts = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            reply += self.sock.recv(4096)
        self.buffer = reply.split(b"\r\n\r\n", 1)[1]
        self.next_id = 0
        self.events = []

    def send(self, method, **params):
        self.next_id += 1
        payload = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(payload))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        while True:
            message = self.receive()
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def receive(self):
        message = b""
        while True:
            first, second = self.read(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self.read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self.read(8))[0]
            message += self.read(length)
            if first & 0x80:
                return json.loads(message)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for index, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(index)
            self.events.append(self.receive())
        raise TimeoutError(method)


def main():
    os.makedirs(OUT, exist_ok=True)
    port = 9222 + os.getpid() % 500
    profile = tempfile.mkdtemp(prefix="cm-chromium-")
    browser = subprocess.Popen(
        ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--remote-debugging-port={port}", f"--user-data-dir={profile}", "--window-size=1366,900",
         "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = []
    try:
        for _ in range(100):
            try:
                targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list").read())
                page = next(t for t in targets if t["type"] == "page")
                break
            except Exception:
                time.sleep(0.1)
        else:
            sys.exit("screenshots: chromium did not start")
        tools = DevTools(page["webSocketDebuggerUrl"])
        for domain in ("Page", "Runtime", "Log", "Network"):
            tools.send(f"{domain}.enable")
        tools.send("Network.setExtraHTTPHeaders", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        for role, token in TOKENS.items():
            session = sign_in(token)
            tools.send("Network.clearBrowserCookies")
            tools.send("Network.setCookie", name="cm_session", value=session, url=APP + "/dashboard",
                       httpOnly=True, sameSite="Strict")
            found = pages(session)
            for path, width in [(path, 1366) for path in found] + [(found[0], 820)] if found else []:
                tools.send("Emulation.setDeviceMetricsOverride", width=width, height=900 if width > 1000 else 1180,
                           deviceScaleFactor=1, mobile=False)
                tools.events.clear()
                tools.send("Page.navigate", url=APP + path)
                tools.wait_for("Page.loadEventFired")
                time.sleep(0.2)
                statuses = [e["params"]["response"]["status"] for e in tools.events
                            if e.get("method") == "Network.responseReceived" and e["params"].get("type") == "Document"]
                errors = [e for e in tools.events if e.get("method") == "Runtime.exceptionThrown"
                          or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
                          or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error")]
                metrics = tools.send("Page.getLayoutMetrics")["cssContentSize"]
                shot = tools.send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                                  clip={"x": 0, "y": 0, "width": max(width, metrics["width"]),
                                        "height": min(6000, metrics["height"]), "scale": 1})
                name = f"{role}-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")
                name += ("-tablet" if width < 1000 else "") + ".png"
                with open(os.path.join(OUT, name), "wb") as file:
                    file.write(base64.b64decode(shot["data"]))
                status = statuses[-1] if statuses else 0
                verdict = "ok" if status == 200 and not errors else "FAILED"
                print(f"{verdict:6} {status} {role:12} {path} -> {name}" + (f" ({len(errors)} errors)" if errors else ""))
                if verdict != "ok":
                    failures.append(path)
    finally:
        browser.terminate()
        browser.wait(timeout=10)
    if failures:
        sys.exit(f"screenshots: {len(failures)} page(s) failed")


main()
