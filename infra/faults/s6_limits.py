"""Scenario 6: resource limits. A 2 MiB body is 413; 1,000 slow or idle connections do not
stop other clients from being served (and the server sheds them by its deadlines);
oversized page sizes and depths are capped or 400, never a 5xx."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from common import (Checks, Client, Command, Env, Ledger, Server, attempt, log, login, OK)

TITLE = "resource limits"

MAX_PAGE = 200


def raw_exchange(port: int, head: bytes, body_chunks=(), timeout: float = 20) -> tuple[int | None, bytes]:
    """Sends a request byte-for-byte; returns (status, raw answer)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(head)
            for chunk in body_chunks:
                s.sendall(chunk)
        except OSError:
            pass  # the server may answer and close before it read everything
        data = b""
        try:
            while b"\r\n\r\n" not in data or len(data) < 12:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
    try:
        return int(data.split(b" ", 2)[1]), data
    except (IndexError, ValueError):
        return None, data


def run(env: Env, checks: Checks) -> None:
    server = Server(env, "s6", env.topic("s6"), env.schema("s6"))
    server.start()
    token = login(server.port)
    auth = f"Authorization: Bearer {token}\r\n".encode()
    port = server.port

    # ---- bodies over 1 MiB
    two_mib = b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    head = (b"POST /v1/tenants HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" + auth
            + f"Content-Length: {len(two_mib)}\r\n\r\n".encode())
    status, _ = raw_exchange(port, head, [two_mib])
    checks.check("a 2 MiB body (Content-Length) is 413", status == 413, f"got {status}")
    chunked_head = (b"POST /v1/tenants HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + auth + b"Transfer-Encoding: chunked\r\n\r\n")
    chunks = [b"%x\r\n%s\r\n" % (65536, two_mib[i:i + 65536])
              for i in range(0, 2 * 1024 * 1024, 65536)] + [b"0\r\n\r\n"]
    status, _ = raw_exchange(port, chunked_head, chunks)
    checks.check("a 2 MiB chunked body is 413", status == 413, f"got {status}")
    status, _ = raw_exchange(port, b"POST /v1/tenants HTTP/1.1\r\nHost: t\r\n" + auth +
                             b"Content-Length: 3000000000\r\n\r\n", [b"x" * 1024])
    checks.check("a declared 3 GB body is 413 at once", status == 413, f"got {status}")
    status, _ = raw_exchange(port, b"GET /v1/tenants HTTP/1.1\r\nHost: t\r\n" + auth +
                             b"X-Big: " + b"a" * 64 * 1024 + b"\r\n\r\n")
    checks.check("64 KiB of headers is 431", status == 431, f"got {status}")
    nested = b"[" * (1024 * 1024 - 16)
    status, _ = raw_exchange(port, b"POST /v1/tenants HTTP/1.1\r\nHost: t\r\n" + auth +
                             b"Content-Type: application/json\r\n" +
                             f"Content-Length: {len(nested)}\r\n\r\n".encode(), [nested])
    checks.check("1 MiB of nested JSON arrays is a 4xx", status is not None and 400 <= status < 500,
                 f"got {status}")
    c = Client(port, token)
    r = c.request("POST", "/v1/tenants", {"name": "s6 key"}, {"Idempotency-Key": "k" * 300})
    checks.check("a 300-character Idempotency-Key is 400", r.status == 400, f"got {r.status}")
    checks.check("tenantryd still alive after the oversized requests", server.alive())

    # ---- page sizes and depths
    ledger = Ledger()
    seq = iter(range(10**9))
    lock = threading.Lock()
    local = threading.local()

    def send(method, path, body=None) -> Command:
        with lock:
            cmd = Command(f"s6-{next(seq):06d}", "create", method, path, body)
        ledger.add(cmd)
        if not hasattr(local, "c"):
            local.c = Client(port, token)
        for _ in range(20):
            if attempt(local.c, cmd, "s6") != "indeterminate":
                break
            time.sleep(0.2)
        return cmd

    root = send("POST", "/v1/tenants", {"name": "s6 root"}).response.json["id"]
    with ThreadPoolExecutor(8) as pool:
        kids = list(pool.map(lambda i: send("POST", "/v1/tenants",
                                            {"name": f"s6 kid {i}", "parent": root}),
                             range(MAX_PAGE + 10)))
    chain, parent, depth_refusal = [root], root, None
    for level in range(2, 16):
        cmd = send("POST", "/v1/tenants", {"name": f"s6 level {level}", "parent": parent})
        if cmd.outcome != OK:
            depth_refusal = (level, cmd.response.status if cmd.response else None,
                             cmd.response.error_code() if cmd.response else "")
            break
        parent = cmd.response.json["id"]
        chain.append(parent)
    checks.check("children were created", all(k.outcome == OK for k in kids))
    checks.check("a tenant below the maximum depth (10) is refused with a 4xx",
                 depth_refusal is not None and depth_refusal[0] == 11
                 and 400 <= (depth_refusal[1] or 0) < 500, f"refused at {depth_refusal}")
    last_token = kids[-1].response.headers.get("x-consistency-token", "") if kids else ""
    time.sleep(0.1)

    def get(path):
        r = c.request("GET", path, headers={"X-Consistency-Token": last_token})
        return r.status, r.json

    cases = [
        ("/v1/tenants?page_size=1000", "cap"), ("/v1/tenants?limit=100000", "cap"),
        ("/v1/tenants?page_size=2147483647", "cap"), ("/v1/tenants?page_size=99999999999999", "cap"),
        (f"/v1/tenants/{root}/children?page_size=5000", "cap"),
        (f"/v1/tenants?parent_id={root}&page_size=1000000", "cap"),
        ("/v1/tenants?page_size=0", "400"), ("/v1/tenants?page_size=-5", "400"),
        ("/v1/tenants?page_size=abc", "400"), ("/v1/tenants?page=0", "400"),
        ("/v1/tenants?page=-1", "400"), ("/v1/tenants?page=99999999999999", "400|empty"),
        ("/v1/tenants?page=1000000&page_size=200", "400|empty"),
        ("/v1/tenants?tenant_level=99999999999", "400|empty"),
    ]
    bad = []
    for path, want in cases:
        status, body = get(path)
        results = body.get("results") if isinstance(body, dict) else None
        ok = status is not None and status < 500
        if want == "cap":
            ok = ok and (status == 400 or (status == 200 and results is not None and
                                           0 < len(results) <= MAX_PAGE))
        elif want == "400":
            ok = ok and status == 400
        else:
            ok = ok and (status == 400 or (status == 200 and results == []))
        if not ok:
            bad.append((path, status, len(results) if results is not None else body))
    checks.check("oversized or invalid page sizes are capped at 200 or 400", not bad, str(bad))

    def nesting(node) -> int:
        kids_ = node.get("children") or []
        return 1 + max((nesting(k) for k in kids_), default=0)

    bad = []
    for d in ("50", "1000", "100000", "99999999999", "-1", "abc", "0"):
        status, body = get(f"/v1/tenants/{root}/hierarchy?depth={d}")
        if status == 200 and isinstance(body, dict):
            if nesting(body) > 11:  # the root plus at most max_depth levels below
                bad.append((d, status, f"depth {nesting(body)}"))
        elif status != 400:
            bad.append((d, status, body))
    checks.check("oversized or invalid hierarchy depths are capped or 400", not bad, str(bad))

    # ---- 1,000 slow or idle connections while other clients are served
    hold = 12 if env.small else 35
    idle, slow_headers, slow_bodies = [], [], []
    open_errors = 0
    for i in range(1000):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
        except OSError:
            open_errors += 1
            continue
        s.setblocking(False)
        if i % 3 == 0:
            idle.append(s)
        elif i % 3 == 1:
            s.send(b"GET /v1/tenants HTTP/1.1\r\nHost: t\r\n")
            slow_headers.append(s)
        else:
            s.send(b"POST /v1/tenants HTTP/1.1\r\nHost: t\r\n" + auth +
                   b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
            slow_bodies.append(s)
    log(f"s6: holding {len(idle)} idle, {len(slow_headers)} slow-header and "
        f"{len(slow_bodies)} slow-body connections for {hold} s ({open_errors} failed to open)")
    stop = threading.Event()
    closed_at: dict[int, float] = {}
    t_open = time.monotonic()

    def closed(s) -> bool:
        """Whether the server closed this connection (FIN, reset, or an answer)."""
        try:
            return s.recv(4096) is not None  # b"": closed; data: answered (then closed)
        except BlockingIOError:
            return False
        except OSError:
            return True

    def trickle():
        while not stop.is_set():
            now = time.monotonic() - t_open
            for group, byte in ((idle, None), (slow_headers, b"X"), (slow_bodies, b" ")):
                for s in group:
                    if s.fileno() in closed_at:
                        continue
                    if closed(s):
                        closed_at[s.fileno()] = now
                        continue
                    if byte is not None:
                        try:
                            s.send(byte)
                        except OSError:
                            closed_at[s.fileno()] = now
            stop.wait(1.0)

    tr = threading.Thread(target=trickle, daemon=True)
    tr.start()
    latencies, failures = [], []
    lat_lock = threading.Lock()

    def served_client(w: int):
        cl = Client(port, token, timeout=10)
        n = 0
        while time.monotonic() - t_open < hold:
            n += 1
            t0 = time.monotonic()
            try:
                if n % 4 == 0:
                    cmd = Command(f"s6-load-{w}-{n}", "create", "POST", "/v1/tenants",
                                  {"name": f"s6 load {w} {n}", "parent": root})
                    ledger.add(cmd)
                    attempt(cl, cmd, "s6")
                    status = cmd.attempts[-1].status
                else:
                    status = cl.request("GET", "/v1/tenants?page_size=20").status
            except OSError as e:
                status = repr(e)
            dt = time.monotonic() - t0
            with lat_lock:
                latencies.append(dt)
                if status not in (200, 201):
                    failures.append(status)
            time.sleep(0.05)
        cl.close()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(served_client, range(8)))

    def shed(group):
        return sum(1 for s in group if s.fileno() in closed_at)

    # Give the server's deadlines (10 s for a request's headers, 30 s for its body) and
    # our once-a-second look a few seconds more.
    body_deadline = hold > 31
    until = t_open + (38 if body_deadline else 15)
    while time.monotonic() < until and (shed(idle) < len(idle) or
                                        shed(slow_headers) < len(slow_headers) or
                                        (body_deadline and shed(slow_bodies) < len(slow_bodies))):
        time.sleep(0.5)
    stop.set()
    tr.join()
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else None
    worst = latencies[-1] if latencies else None
    checks.check("other clients are served while 1,000 connections idle or trickle",
                 latencies and not failures and p99 < 2.0 and worst < 5.0,
                 f"{len(latencies)} requests, {len(failures)} failed {failures[:5]}, "
                 f"p99 {p99:.3f} s, max {worst:.3f} s")
    shed_idle, shed_slow, shed_body = shed(idle), shed(slow_headers), shed(slow_bodies)
    last_close = max(closed_at.values(), default=0)
    checks.check("idle and slow-header connections are closed by the server (10 s header deadline)",
                 shed_idle == len(idle) and shed_slow == len(slow_headers),
                 f"closed {shed_idle}/{len(idle)} idle, {shed_slow}/{len(slow_headers)} slow-header"
                 f" within {until - t_open:.0f} s (last seen closed at {last_close:.1f} s)")
    if body_deadline:
        checks.check("slow-body connections are closed by the server (30 s request deadline)",
                     shed_body == len(slow_bodies), f"closed {shed_body}/{len(slow_bodies)}")
    for s in idle + slow_headers + slow_bodies:
        s.close()
    checks.check("tenantryd still alive", server.alive())
    checks.figure("served_requests", len(latencies))
    checks.figure("served_p99_s", round(p99, 3) if p99 else None)
    checks.figure("served_max_s", round(worst, 3) if worst else None)
    checks.figure("held_connections", len(idle) + len(slow_headers) + len(slow_bodies))
    server.terminate()
