"""Scenario 2: kill -9 the (shared) Kafka broker under load, keep the load on while it is
down, then restart it with infra/kafka.sh. While it is down the API answers 503 (never a
500, never a 2xx for something not durable); tenantryd recovers by itself within 30 s of
the broker being back; nothing acknowledged is lost."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time

from common import (Checks, Env, Ledger, Server, check_log, check_read_model, kafka_pid, log,
                    login, read_log, start_kafka)
from load import Load

TITLE = "kill -9 the Kafka broker under load"


def watch_listening(env: Env, out: list[float]) -> None:
    """Appends the moment the broker's port first accepts a TCP connection (60 s at most)."""
    host, port = env.brokers.split(",")[0].rsplit(":", 1)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, int(port)), timeout=0.2):
                out.append(time.monotonic())
                return
        except OSError:
            time.sleep(0.02)


def run(env: Env, checks: Checks) -> None:
    workers = 16 if env.small else 64
    down_for = 4.0 if env.small else 10.0
    server = Server(env, "s2", env.topic("s2"), env.schema("s2"))
    server.start()
    token = login(server.port)
    ledger = Ledger()
    load = Load(ledger, token, lambda: ("s2", server.port), workers, "s2", max_backoff=0.5)
    load.start()
    t_kill = t_up = t_back = None
    first_listen: list[float] = []  # when the restarted broker first accepted a connection
    try:
        time.sleep(3 if env.small else 8)
        pid = kafka_pid(env)
        if pid is None:
            raise RuntimeError("the broker on the Kafka port is not the one infra/kafka.sh "
                               "started from this checkout (var/kafka/kafka.pid)")
        before = ledger.counts()
        log(f"s2: kill -9 Kafka (pid {pid}) after {sum(before.values())} commands; "
            f"down for {down_for:.0f} s")
        t_kill = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        while True:  # until the process is gone
            try:
                os.kill(pid, 0)
                time.sleep(0.05)
            except ProcessLookupError:
                break
        time.sleep(down_for)
        t_restart = time.monotonic()
        listening = threading.Thread(target=watch_listening, args=(env, first_listen),
                                     daemon=True)
        listening.start()
        took = start_kafka(env)
        t_up = time.monotonic()
        listening.join(timeout=5)
        log(f"s2: Kafka answers again {took:.1f} s after its restart")
        checks.figure("kafka_down_s", round(t_up - t_kill, 1))
        checks.figure("kafka_start_s", round(took, 1))
        # Recovered: a command started after the broker came back is acknowledged.
        deadline = t_up + 60
        while time.monotonic() < deadline and t_back is None:
            time.sleep(0.2)
            for c, a in ledger.attempts():
                if a.started >= t_up and a.status is not None and 200 <= a.status < 300:
                    t_back = a.ended if t_back is None else min(t_back, a.ended)
        if t_back is not None:
            log(f"s2: tenantryd acknowledges commands again {t_back - t_up:.1f} s after Kafka "
                f"answered ({t_back - t_restart:.1f} s after its restart began)")
            time.sleep(3)
    finally:
        load.stop(settle_timeout=60)
    checks.check("load workers ran without internal errors", not load.errors, str(load.errors[:3]))
    log(f"s2: load stopped: {ledger.counts()}")
    ledger.dump(env.work_dir / "s2-ledger.jsonl")
    checks.check("tenantryd kept running while Kafka was down", server.alive())
    if t_kill is None or t_up is None:
        checks.check("the broker was killed and restarted", False)
        server.kill9()
        return

    recovery = None if t_back is None else t_back - t_up
    checks.check("recovers by itself within 30 s of the broker being back",
                 recovery is not None and recovery <= 30,
                 "never" if recovery is None else f"{recovery:.1f} s")
    checks.figure("recovery_s", None if recovery is None else round(recovery, 1))

    # While the broker was down: 503, never a 500, never a fresh 2xx. "Down" ends when the
    # restarted broker first accepts a connection: from then on it can commit, so a 2xx is
    # durable (check_log proves each one is in the log); infra/kafka.sh itself returns
    # only a moment later, when its metadata request succeeds.
    t_down_end = first_listen[0] if first_listen else t_up
    checks.figure("kafka_listening_before_ready_s", round(t_up - t_down_end, 2))
    during, wrong, fresh_ok = {}, [], []
    for c, a in ledger.attempts():
        if a.started >= t_kill and a.ended <= t_down_end:
            during[a.status] = during.get(a.status, 0) + 1
            if a.status != 503:
                wrong.append((c.cid, a.status, a.error))
            replayed = c.response is not None and c.response.headers.get("idempotent-replayed")
            if a.status is not None and 200 <= a.status < 300 and not replayed:
                fresh_ok.append((c.cid, a.status, round(a.started - t_kill, 2)))
    # A command in flight while the broker is down is answered promptly (the writer gives
    # up on a transaction after 10 s: 15 s allowed), not held until the broker is back.
    held = []
    for c, a in ledger.attempts():
        if a.started <= t_up and a.ended >= t_kill:
            deadline = max(a.started, t_kill) + 15
            if deadline < t_up and a.ended > deadline:
                replayed = c.response is not None and \
                    c.response.headers.get("idempotent-replayed") == "true"
                held.append((round(a.ended - a.started, 1), c.cid, a.status, a.error,
                             round(a.started - t_kill, 3), replayed))
    held.sort(reverse=True)
    checks.check("commands in flight while Kafka was down are answered within 15 s", not held,
                 f"{len(held)} held longer; e.g. (seconds, id, status, error, sent at kill+s, "
                 f"a later retry was replayed): {held[:5]}")
    status500 = [(c.cid, a.error) for c, a in ledger.attempts() if a.status == 500]
    checks.figure("answers_while_down", {str(k): v for k, v in during.items()})
    checks.check("commands answered while Kafka was down", sum(during.values()) > 0,
                 str(during))
    checks.check("every command answered 503 while Kafka was down", not wrong,
                 f"{len(wrong)} others: {wrong[:5]}")
    checks.check("no 2xx (other than a replay) answered while Kafka was down", not fresh_ok, str(fresh_ok[:5]))
    checks.check("no 500 answers at all", not status500, f"{len(status500)}: {status500[:5]}")

    events = read_log(env, server.topic)
    check_log(checks, events, ledger, ("s2-",))
    end = events[-1].offset + 1 if events else 0
    checks.check("read model caught up", server.wait_projected(end, 120),
                 f"{server.projector_position()} of {end}")
    check_read_model(checks, env, server.schema, events)
    code = server.terminate()
    checks.check("SIGTERM stops tenantryd cleanly", code == 0, f"exit status {code}")
    checks.figure("connections", workers)
