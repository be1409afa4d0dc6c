"""Scenario 3: the projector under faults during a catch-up. A backlog is written (a mix
of creates, renames, lifecycle changes, moves, recursive deletes and restores); a clean
tenantryd rebuilds it into a fresh schema (the reference). Then another tenantryd catches
up into a fresh schema while, alternately, PostgreSQL is stopped with `-m immediate` (and
restarted) and tenantryd (the projector runs in it) is killed with -9 (and restarted),
10 times each, every fault while the projector is behind the log and holds a batch's
transaction open (its connections carry the schema as application_name; pg_stat_activity
shows the open transaction). When a catch-up ends before the faults do, the next one starts
in another fresh schema. Every faulted schema must equal the clean rebuild, table by table
(ordered dumps), and the clean rebuild must equal the fold of the log."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from common import (OK, Checks, Client, Command, Env, Ledger, Server, attempt,
                    check_read_model, checkpoint_postgres, diff_tenants, fold_tenants, log,
                    login, pg_ready, psql, read_log, restart_postgres, stop_postgres_immediate,
                    tenant_rows)
from load import Load

TITLE = "stop PostgreSQL and kill -9 the projector during a catch-up"

BOOKKEEPING = ("projection_offsets", "schema_migrations")


def table_digests(env: Env, schema: str) -> dict[str, tuple[int, str]]:
    """Per read-model table: (rows, md5 of its rows as text, in order)."""
    tables = psql(env, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                       f"'{schema}' AND table_type = 'BASE TABLE' ORDER BY 1").split()
    out = {}
    for t in tables:
        if t in BOOKKEEPING:
            continue
        r = psql(env, f"SELECT count(*) || ' ' || md5(coalesce(string_agg(x::text, E'\\n' "
                      f"ORDER BY x::text), '')) FROM \"{schema}\".\"{t}\" x")
        n, digest = r.split()
        out[t] = (int(n), digest)
    return out


def next_offset(env: Env, schema: str) -> int | None:
    r = psql(env, f'SELECT max(next_offset) FROM "{schema}".projection_offsets')
    return int(r) if r else None


def in_batch(env: Env, app: str) -> bool:
    """Whether the projector of the tenantryd whose connections are named `app` holds a
    transaction open (a batch being applied; migrations excluded)."""
    try:
        return psql(env, "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                         f"'{app}' AND xact_start IS NOT NULL AND query NOT ILIKE '%create %'"
                         " AND query NOT ILIKE '%schema_migrations%'",
                    timeout=10) not in ("", "0")
    except Exception:  # noqa: BLE001 - PostgreSQL restarting
        return False


def build_backlog(env: Env, server: Server, seconds: float, workers: int, bulk: int,
                  cycles: int) -> Ledger:
    """A varied backlog: a command load (creates, renames, lifecycle, moves); `bulk` more
    tenants in 4 organizations; `cycles` recursive deletes and restores of each of those
    organizations (one event per tenant each; a restore refolds each tenant's history, the
    projector's heaviest work); random deletes and restores; finally one organization
    deleted for good."""
    token = login(server.port)
    ledger = Ledger()
    load = Load(ledger, token, lambda: ("s3", server.port), workers, "s3")
    load.start()
    time.sleep(seconds)
    load.stop(settle_timeout=30)

    local = threading.local()
    lock = threading.Lock()
    counter = [0]

    def send(kind, method, path, body=None):
        with lock:
            counter[0] += 1
            c = Command(f"s3-{kind}-{counter[0]:06d}", kind, method, path, body)
        ledger.add(c)
        if not hasattr(local, "client"):
            local.client = Client(server.port, token)
        for _ in range(50):
            if attempt(local.client, c, "s3") != "indeterminate":
                break
            time.sleep(0.2)
        return c

    rng = random.Random()
    orgs = []
    for i in range(4):
        c = send("create", "POST", "/v1/tenants", {"name": f"s3 bulk {i}"})
        if c.outcome != OK:
            raise RuntimeError(f"cannot create an organization: {c.attempts[-3:]}")
        orgs.append(c.response.json["id"])
    level = {o: 1 for o in orgs}
    pending = bulk - len(orgs)
    with ThreadPoolExecutor(workers) as pool:
        while pending > 0:
            n = min(pending, 4 * workers)
            parents = [rng.choice([t for t in level if level[t] < 6]) for _ in range(n)]
            made = list(pool.map(lambda p: send("create", "POST", "/v1/tenants",
                                                {"name": f"s3 t{rng.randrange(10**9)}",
                                                 "parent": p}), parents))
            for c, p in zip(made, parents):
                if c.outcome == OK:
                    level[c.response.json["id"]] = level[p] + 1
                    pending -= 1
        for _ in range(cycles):
            list(pool.map(lambda o: (send("delete", "DELETE", f"/v1/tenants/{o}?recursive=true"),
                                     send("restore", "POST", f"/v1/tenants/{o}/restore")), orgs))
    events = read_log(env, server.topic)
    rows = fold_tenants(events)
    rows.pop("_orphans", None)
    live = [t for t, r in rows.items() if not r["is_deleted"] and not r["id"] in orgs]
    # Tenants of which no ancestor is picked too: a recursive delete of an ancestor would
    # make theirs a (correct) 404.
    picked = set(rng.sample(live, min(len(live) // 20, 100)))

    def ancestor_picked(t: str) -> bool:
        p = rows[t].get("parent_id")
        while p:
            if p in picked:
                return True
            p = rows.get(p, {}).get("parent_id")
        return False

    for t in [t for t in picked if not ancestor_picked(t)]:
        d = send("delete", "DELETE", f"/v1/tenants/{t}?recursive=true")
        if d.outcome == OK and rng.random() < 0.7:
            send("restore", "POST", f"/v1/tenants/{t}/restore")
    send("delete", "DELETE", f"/v1/tenants/{orgs[0]}?recursive=true")
    return ledger


def run(env: Env, checks: Checks) -> None:
    faults_each = 2 if env.small else 10
    rng = random.Random()
    topic = env.topic("s3")

    # ---- the backlog
    a = Server(env, "s3_writer", topic, env.schema("s3a"))
    a.start()
    if env.small:
        ledger = build_backlog(env, a, 2, 16, bulk=900, cycles=1)
    else:
        ledger = build_backlog(env, a, 20, 64, bulk=6000, cycles=2)
    events = read_log(env, topic)
    end = events[-1].offset + 1
    counts = ledger.counts()
    log(f"s3: backlog of {len(events)} events (log end {end}) from {sum(counts.values())} "
        f"commands {counts}")
    refused = [(c.cid, c.path, c.response.status if c.response else None)
               for c in ledger.commands if c.outcome != OK]
    checks.check("the backlog was written", not refused, str(refused[:5]))
    live_checked = not env.small  # the live read model is still catching up: only full runs
    if live_checked:
        a.wait_projected(end, 600)
    a.terminate()

    # ---- the clean rebuild (reference)
    clean = Server(env, "s3_clean", topic, env.schema("s3clean"))
    t0 = time.monotonic()
    clean.start(wait=False)
    ok = clean.wait_projected(end, 900)
    rebuild_s = time.monotonic() - t0
    clean.terminate()
    checks.check("a clean rebuild catches up", ok, f"in {rebuild_s:.1f} s")
    reference = table_digests(env, clean.schema)
    reference_rows = tenant_rows(env, clean.schema)
    log(f"s3: clean rebuild of {end} offsets in {rebuild_s:.1f} s "
        f"({end / max(rebuild_s, 0.001):.0f} offsets/s): {reference}")
    checks.figure("backlog_events", len(events))
    checks.figure("clean_rebuild_s", round(rebuild_s, 1))
    check_read_model(checks, env, clean.schema, events, "clean rebuild")
    if live_checked:
        live = table_digests(env, a.schema)
        checks.check("the live read model equals the clean rebuild", live == reference,
                     "" if live == reference else f"live {live} vs clean {reference}; " +
                     "; ".join(diff_tenants(reference_rows, tenant_rows(env, a.schema))))

    # ---- catch-ups under faults: each fault strikes while the projector holds a batch's
    # transaction open (seen in pg_stat_activity under the instance's application_name).
    kills = stops = 0
    rounds: list[dict] = []
    plan = ["pg", "kill"] * faults_each
    b = None
    max_rounds = 2 * len(plan) + 2
    try:
        while plan:
            if len(rounds) >= max_rounds:
                raise RuntimeError(f"{len(rounds)} catch-ups ended before faults could be "
                                   f"injected; {len(plan)} faults left")
            schema = env.schema("s3b")
            url = env.database_url + ("&" if "?" in env.database_url else "?") + \
                f"application_name={schema}"
            b = Server(env, f"s3_catchup{len(rounds) + 1}", topic, schema,
                       extra={"TENANTRY_DATABASE_URL": url})
            b.start(wait=False)
            info = {"schema": schema, "kills": 0, "pg_stops": 0, "positions": []}
            rounds.append(info)
            while plan:
                if plan[0] == "pg":
                    checkpoint_postgres(env)
                struck = None
                deadline = time.monotonic() + 120
                # Half the time, let the projector commit a batch since the last fault.
                past = info["positions"][-1] if info["positions"] and rng.random() < 0.5 else -1
                while time.monotonic() < deadline:
                    pos = b.projector_position()
                    if pos is not None and pos >= end:
                        break
                    if pos is not None and pos > past and in_batch(env, schema):
                        time.sleep(rng.uniform(0.0, 0.2))
                        pos = b.projector_position()
                        if pos is not None and pos < end and in_batch(env, schema):
                            struck = pos
                            break
                    time.sleep(0.02)
                else:
                    raise RuntimeError(f"{b.label}: no projector batch seen in 120 s "
                                       f"(at {b.projector_position()} of {end})")
                if struck is None:
                    break  # this catch-up is over: the next fault goes to a fresh one
                kind = plan.pop(0)
                info["positions"].append(struck)
                if kind == "kill":
                    b.kill9()
                    b.start(wait=False)
                    kills += 1
                    info["kills"] += 1
                    log(f"s3: kill -9 {b.label} mid-batch, its projector at {struck} of {end}")
                else:
                    t_stop = time.monotonic()
                    stop_postgres_immediate(env)
                    time.sleep(rng.uniform(0.2, 1.0))
                    restart_postgres(env)
                    stops += 1
                    info["pg_stops"] += 1
                    log(f"s3: PostgreSQL stopped (-m immediate) mid-batch, the projector at "
                        f"{struck} of {end}; back after {time.monotonic() - t_stop:.1f} s")
            ok = b.wait_projected(end, 900)
            checks.check(f"{b.label} catches up after its faults", ok,
                         f"at {b.projector_position()} of {end}")
            b.terminate()
            b = None
    finally:
        if b is not None:
            b.kill9()
        if not pg_ready(env):
            restart_postgres(env)

    checks.check(f"{faults_each} PostgreSQL stops and {faults_each} kills, each mid-batch "
                 "during a catch-up", stops == faults_each and kills == faults_each,
                 f"{stops} stops, {kills} kills")
    for info in rounds:
        got = table_digests(env, info["schema"])
        same = got == reference
        detail = (f"{info['kills']} kills, {info['pg_stops']} PostgreSQL stops at projector "
                  f"positions {info['positions']}")
        if not same:
            detail += f"; got {got} vs clean {reference}; " + "; ".join(
                diff_tenants(reference_rows, tenant_rows(env, info["schema"])))
        checks.check(f"read models of {info['schema']} equal the clean rebuild", same, detail)
        checks.check(f"{info['schema']}: projector offset at the log end",
                     next_offset(env, info["schema"]) == end,
                     f"{next_offset(env, info['schema'])} vs {end}")
    checks.figure("catch_ups", len(rounds))
    checks.figure("kills", kills)
    checks.figure("pg_stops", stops)
