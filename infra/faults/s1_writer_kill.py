"""Scenario 1: kill -9 tenantryd every 3-8 s under 64-connection load, 20 times; every
indeterminate command is retried with its Idempotency-Key. Then: no acknowledged command
missing from the log, none applied twice, aggregate versions without gaps, and the read
models equal the fold of the log."""

from __future__ import annotations

import random
import time

from common import (Checks, Env, Ledger, Server, check_log, check_read_model, log, login,
                    read_log)
from load import Load

TITLE = "kill -9 tenantryd under load"


def run(env: Env, checks: Checks) -> None:
    kills = 3 if env.small else 20
    interval = (1.5, 3.0) if env.small else (3.0, 8.0)
    workers = 16 if env.small else 64
    rng = random.Random()

    server = Server(env, "s1", env.topic("s1"), env.schema("s1"))
    server.start()
    token = login(server.port)
    ledger = Ledger()
    instance = lambda: (f"s1_{server.starts}", server.port)  # noqa: E731
    load = Load(ledger, token, instance, workers, "s1")
    log(f"s1: {workers} connections of commands; {kills} kill -9 every "
        f"{interval[0]}-{interval[1]} s")
    load.start()
    restart_times = []
    try:
        for i in range(kills):
            time.sleep(rng.uniform(*interval))
            before = ledger.counts()
            server.kill9()
            t0 = time.monotonic()
            server.start(wait=False)
            server.wait_writer(120)
            restart_times.append(time.monotonic() - t0)
            log(f"s1: kill {i + 1}/{kills} after {sum(before.values())} commands "
                f"({before}); the writer serves again {restart_times[-1]:.1f} s later "
                f"(projector at {server.projector_position()})")
        time.sleep(1.0)
    finally:
        load.stop(settle_timeout=60)
    checks.check("load workers ran without internal errors", not load.errors, str(load.errors[:3]))
    counts = ledger.counts()
    log(f"s1: load stopped: {counts}")

    status500 = [(c.cid, a.status, a.error) for c, a in ledger.attempts() if a.status == 500]
    checks.check("no 500 answers", not status500, f"{len(status500)}: {status500[:3]}")

    ledger.dump(env.work_dir / "s1-ledger.jsonl")
    events = read_log(env, server.topic)
    check_log(checks, events, ledger, ("s1-",))
    end = events[-1].offset + 1 if events else 0
    behind = end - (server.projector_position() or 0)
    t0 = time.monotonic()
    checks.check("read model caught up with the log", server.wait_projected(end, 900),
                 f"end offset {end}, projector at {server.projector_position()}")
    checks.figure("projector_behind_at_end", behind)
    checks.figure("projector_catch_up_s", round(time.monotonic() - t0, 1))
    check_read_model(checks, env, server.schema, events)
    code = server.terminate()
    checks.check("SIGTERM stops tenantryd cleanly", code == 0, f"exit status {code}")

    checks.figure("kills", kills)
    checks.figure("connections", workers)
    checks.figure("restart_to_writer_ready_s_max", round(max(restart_times), 2) if restart_times else None)
    checks.figure("restart_to_writer_ready_s_avg",
                  round(sum(restart_times) / len(restart_times), 2) if restart_times else None)
