"""Scenario 4: start a second writer (same topic, same transactional id) while the first is
under load, again and again. Exactly one writes at a time: the fenced one stops writing and
says so (503 writer_fenced, its log, /readyz), and the log shows no interleaving of the
two: every event names (through its correlation id) the instance that wrote it."""

from __future__ import annotations

import random
import threading
import time

from common import (Checks, Env, Ledger, Server, check_log, check_read_model, log, login,
                    read_log)
from load import Load

TITLE = "a second writer takes over"


def run(env: Env, checks: Checks) -> None:
    handovers = 2 if env.small else 10
    workers = 16 if env.small else 64
    topic = env.topic("s4")
    txn = f"{topic}-writer"
    key = env.work_dir / f"{topic}.pem"
    schemas = [env.schema("s4a"), env.schema("s4b")]
    ports = [None, None]

    servers: list[Server] = []  # every instance, in start order
    live: list[Server] = []  # the instances the load talks to
    lock = threading.Lock()
    rng = random.Random()

    def new_instance(i: int) -> Server:
        slot = i % 2
        s = Server(env, f"s4_{i}", topic, schemas[slot], transactional_id=txn, key_path=key,
                   port=ports[slot])
        ports[slot] = s.port
        servers.append(s)
        return s

    def target():
        with lock:
            s = rng.choice(live)
        return s.label, s.port

    first = new_instance(0)
    first.start()
    live.append(first)
    token = login(first.port)
    ledger = Ledger()
    load = Load(ledger, token, target, workers, "s4")
    load.start()
    ready_at: dict[str, float] = {}
    fenced_seen = []
    try:
        time.sleep(2 if env.small else 4)
        for i in range(1, handovers + 1):
            old = live[-1]
            new = new_instance(i)
            # The new instance reuses the port of the one before the old one: stop that.
            for s in list(live):
                if s.port == new.port:
                    s.terminate()
                    with lock:
                        live.remove(s)
            new.start()
            ready_at[new.label] = time.time()
            with lock:
                live.append(new)
            log(f"s4: {new.label} took over from {old.label}; both serve the load")
            time.sleep(2 if env.small else 4)
            status, body = old.readyz()
            says = "fenced" in old.log_text()
            fenced_seen.append((old.label, body.get("writer"), says))
            log(f"s4: {old.label}: /readyz {status} writer={body.get('writer')}; "
                f"log says fenced: {says}")
    finally:
        load.stop(settle_timeout=60)
    checks.check("load workers ran without internal errors", not load.errors, str(load.errors[:3]))
    log(f"s4: load stopped: {ledger.counts()}")
    ledger.dump(env.work_dir / "s4-ledger.jsonl")

    bad = [x for x in fenced_seen if x[1] != "fenced" or not x[2]]
    checks.check("each replaced writer reports fenced (/readyz and its log)", not bad, str(bad))

    # The replaced instance answers commands with 503 writer_fenced, never a 2xx write.
    order = [s.label for s in servers]
    late_writes, fenced_answers = [], {}
    for c, a in ledger.attempts():
        if a.target not in order or order.index(a.target) == len(order) - 1:
            continue
        successor = order[order.index(a.target) + 1]
        if a.status == 503 and a.error == "writer_fenced":
            fenced_answers[a.target] = fenced_answers.get(a.target, 0) + 1
        replayed = c.response is not None and c.response.headers.get("idempotent-replayed")
        if (a.status is not None and 200 <= a.status < 300 and successor in ready_at
                and a.started > ready_at[successor] + 0.5 and not replayed
                and c.kind != "read"):
            late_writes.append((c.cid, a.target, a.status))
    replaced = order[:-1]
    checks.check("every replaced writer answered 503 writer_fenced",
                 all(fenced_answers.get(x, 0) > 0 for x in replaced), str(fenced_answers))
    checks.check("no 2xx write from a replaced writer after its successor was ready",
                 not late_writes, str(late_writes[:5]))

    events = read_log(env, topic)
    check_log(checks, events, ledger, ("s4-",))

    # No interleaving: the writers' events come in runs, in the order they took over.
    runs: list[str] = []
    for e in events:
        parts = e.correlation.split(".")
        if len(parts) == 3 and parts[0].startswith("s4-"):
            if not runs or runs[-1] != parts[2]:
                runs.append(parts[2])
    interleaved = len(runs) != len(set(runs)) or runs != sorted(runs, key=order.index)
    checks.check("log shows one writer at a time, in take-over order", not interleaved,
                 f"writer runs in the log: {runs}")
    checks.figure("writer_runs_in_log", runs)

    last = live[-1]
    end = events[-1].offset + 1 if events else 0
    checks.check("read model caught up", last.wait_projected(end, 120),
                 f"{last.projector_position()} of {end}")
    check_read_model(checks, env, last.schema, events)
    for s in live:
        s.terminate()
    for s in servers:
        s.kill9()
    checks.figure("handovers", handovers)
    checks.figure("connections", workers)
