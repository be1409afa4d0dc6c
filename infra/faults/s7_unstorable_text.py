"""Scenario 7: text the read side cannot store, in a burst under load. While workers send
tenant commands, bursts of commands carry U+0000 (in names, descriptions, group and token
fields, a path segment and a query value) and other control characters (a description: names refuse them). Every U+0000 is
refused 400 validation_error and nothing of it reaches the log; commands with the other
control characters are taken; afterwards the projector has caught up, is not stopped at any
event, and the read models equal the fold of the log."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from common import (OK, Checks, Client, Command, Env, Ledger, Server, attempt, check_log,
                    check_read_model, log, login, read_log)
from load import Load

TITLE = "text the read side cannot store, under load"

NUL = "\u0000"
CONTROLS = "\u0001\u0008\u001b\u001f\u007f\t\r\n"


def run(env: Env, checks: Checks) -> None:
    bursts = 3 if env.small else 10
    per_burst = 60 if env.small else 300
    workers = 8 if env.small else 32
    server = Server(env, "s7", env.topic("s7"), env.schema("s7"))
    server.start()
    token = login(server.port)
    ledger = Ledger()
    instance = lambda: ("s7", server.port)  # noqa: E731
    load = Load(ledger, token, instance, workers, "s7")
    log(f"s7: {workers} connections of commands; {bursts} bursts of {per_burst} commands "
        "carrying U+0000 or other control characters")
    load.start()

    seq = iter(range(10**9))
    seq_lock = threading.Lock()
    local = threading.local()
    refused: list[tuple[str, int | None, str]] = []  # U+0000 commands not refused as they must be
    taken_controls = 0
    counted = threading.Lock()

    def client() -> Client:
        if not hasattr(local, "client"):
            local.client = Client(server.port, token)
        return local.client

    def org() -> str:
        c = client()
        r = c.request("POST", "/v1/tenants", {"name": f"s7 org {time.monotonic_ns()}"})
        return r.json["id"] if r.status == 201 else ""

    target = org()

    def nul_request(i: int) -> tuple[str, str, object, dict]:
        """A command with U+0000 somewhere: (method, path, body, extra headers)."""
        kind = i % 7
        if kind == 0:
            return "POST", "/v1/tenants", {"name": f"s7 nul{NUL}{i}"}, {}
        if kind == 1:
            return "POST", "/v1/tenants", {"name": f"s7 ok {i}", "description": NUL}, {}
        if kind == 2:
            return "PATCH", f"/v1/tenants/{target}", {"description": f"x{NUL}"}, {}
        if kind == 3:
            return "POST", f"/v1/tenants/{target}/groups", {"name": f"g{NUL}{i}"}, {}
        if kind == 4:
            return "POST", f"/v1/tenants/{target}/tokens", {"name": f"t{i}", "scopes": [NUL]}, {}
        if kind == 5:  # (an HTTP header cannot carry U+0000 at all)
            return "PATCH", f"/v1/tenants/{target}?note=%00", {"name": f"s7 q {i}"}, {}
        return "POST", f"/v1/tenants/{target}%00/suspend", {"reason": "x"}, {}

    def send_nul(i: int) -> None:
        method, path, body, headers = nul_request(i)
        r = client().request(method, path, body, headers)
        if r.status != 400 or r.error_code() != "validation_error":
            with counted:
                refused.append((f"{method} {path}", r.status, r.error_code()))

    def send_controls(i: int) -> None:
        nonlocal taken_controls
        with seq_lock:
            n = next(seq)
        cmd = Command(f"s7c-{n:06d}", "create", "POST", "/v1/tenants",
                      {"name": f"s7 ctl {n}", "description": f"ctl{CONTROLS}{n}"})
        ledger.add(cmd)
        for _ in range(20):
            if attempt(client(), cmd, "s7") != "indeterminate":
                break
            time.sleep(0.2)
        if cmd.outcome == OK:
            with counted:
                taken_controls += 1

    try:
        with ThreadPoolExecutor(8) as pool:
            for b in range(bursts):
                list(pool.map(lambda i: (send_nul(i), send_controls(i)), range(per_burst)))
                log(f"s7: burst {b + 1}/{bursts} sent; load so far {ledger.counts()}")
                time.sleep(0.5)
    finally:
        load.stop(settle_timeout=60)
    checks.check("load workers ran without internal errors", not load.errors, str(load.errors[:3]))
    checks.check("every command carrying U+0000 was refused 400 validation_error", not refused,
                 f"{len(refused)} were not, e.g. {refused[:3]}")
    checks.check("commands with other control characters were taken", taken_controls > 0,
                 f"{taken_controls} taken")

    events = read_log(env, server.topic)
    def texts(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield k
                yield from texts(v)
        elif isinstance(value, list):
            for v in value:
                yield from texts(v)

    nul_in_log = [e.offset for e in events
                  if any(NUL in t for t in texts(e.payload)) or
                  any(NUL in str(v) for v in e.headers.values())]
    checks.check("no event of the log holds U+0000", not nul_in_log, str(nul_in_log[:5]))
    check_log(checks, events, ledger, ("s7-", "s7c-"))
    end = events[-1].offset + 1 if events else 0
    checks.check("read model caught up with the log", server.wait_projected(end, 600),
                 f"end offset {end}, projector at {server.projector_position()}")
    status, body = server.readyz()
    checks.check("the projector is not stopped at any event", "projector_fault" not in body,
                 str(body.get("projector_fault")))
    check_read_model(checks, env, server.schema, events)
    code = server.terminate()
    checks.check("SIGTERM stops tenantryd cleanly", code == 0, f"exit status {code}")
    checks.figure("nul_commands", bursts * per_burst)
    checks.figure("control_commands_taken", taken_controls)
    checks.figure("load_commands", sum(ledger.counts().values()))
