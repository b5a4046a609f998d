"""Clients for `scripts/bench limits`: each subcommand prints one JSON line.

half-open PORT N TOKEN REQUESTS: holds N connections that sent half a request head
  (reopening those the server closes), and meanwhile times REQUESTS legitimate
  GET /v1/me requests, each on a new connection; prints p50/p99 and how many failed.
stalled PORT TOKEN CALLERS: sends CALLERS concurrent GET /v1/me and prints each one's
  status and the slowest time to an answer (run while the database is stopped).
bad-csv PATH BYTES: writes a household file of about BYTES bytes whose every row is bad.
"""
import json
import selectors
import socket
import sys
import threading
import time

HALF_HEAD = b"GET /v1/me HTTP/1.1\r\nHost: bench\r\nX-Slow: "


def request_me(port, token, timeout=30.0):
    """One GET /v1/me on a new connection: (status, seconds)."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(
                f"GET /v1/me HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
                "Connection: close\r\n\r\n".encode())
            data = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
    except OSError:
        status = 0
    return status, time.monotonic() - started


def compact(record):
    """One JSON line without spaces, as scripts/bench greps it."""
    return json.dumps(record, separators=(",", ":"))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * fraction) - 1))]


def half_open(port, count, token, requests):
    selector = selectors.DefaultSelector()
    stop = threading.Event()
    held = {"open": 0, "reopened": 0}

    def open_one():
        sock = socket.socket()
        sock.setblocking(False)
        try:
            sock.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        selector.register(sock, selectors.EVENT_WRITE, "connecting")
        held["open"] += 1

    def hold():
        for _ in range(count):
            open_one()
        while not stop.is_set():
            for key, events in selector.select(timeout=0.1):
                sock = key.fileobj
                if key.data == "connecting":
                    try:
                        sock.send(HALF_HEAD)
                        selector.modify(sock, selectors.EVENT_READ, "held")
                        continue
                    except OSError:
                        pass
                try:
                    if key.data == "held" and sock.recv(4096):
                        continue
                except OSError:
                    pass
                selector.unregister(sock)
                sock.close()
                held["open"] -= 1
                held["reopened"] += 1
                open_one()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    time.sleep(max(3.0, count / 2000))
    latencies, failures = [], 0
    for _ in range(requests):
        status, seconds = request_me(port, token)
        if status == 200:
            latencies.append(seconds * 1000)
        else:
            failures += 1
    stop.set()
    holder.join()
    print(compact({
        "bench": "half-open", "held": count, "requests": requests, "failed": failures,
        "reopened": held["reopened"], "p50_ms": round(percentile(latencies, 0.50), 3) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99), 3) if latencies else None,
    }))


def stalled(port, token, callers):
    answers = [None] * callers

    def call(index):
        answers[index] = request_me(port, token)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = {}
    for status, _ in answers:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    print(compact({
        "bench": "stalled", "callers": callers, "statuses": statuses,
        "slowest_s": round(max(seconds for _, seconds in answers), 3),
        "median_s": round(percentile([seconds for _, seconds in answers], 0.5), 3),
    }))


def bad_csv(path, size):
    header = ("case_number,head_name,id_number,region_code,members,assistance_statuses,vulnerability_flags,"
              "per_capita_income,latitude,longitude,contact_phone,address,consent_given_at,consent_scope,"
              "member_birth_dates\n")
    with open(path, "w", encoding="utf-8") as out:
        out.write(header)
        written, row = len(header), 0
        while written < size:
            line = (f"BAD-{row:08d},某某,12345678901234567X,99999999,many,none,nobody,-1,91,181,"
                    f"not-a-phone,某地,2099-13-40,,1800-01-01;2200-01-01\n")
            out.write(line)
            written += len(line.encode("utf-8"))
            row += 1
    print(compact({"bench": "bad-csv", "bytes": written, "rows": row}))


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "half-open":
        half_open(int(arguments[0]), int(arguments[1]), arguments[2], int(arguments[3]))
    elif command == "stalled":
        stalled(int(arguments[0]), arguments[1], int(arguments[2]))
    elif command == "bad-csv":
        bad_csv(arguments[0], int(arguments[1]))
    else:
        sys.exit(f"unknown command {command}")
