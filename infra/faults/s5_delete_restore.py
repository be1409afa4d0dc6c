"""Scenario 5: delete (recursively) then restore 1,000 random subtrees of a varied
hierarchy (suspended and inactive tenants, renamed ones, tenants deleted beforehand):
afterwards the read models equal what they were before, except each tenant's version and
updated_at, which move by exactly one delete and one restore per time it was deleted."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from common import (Checks, Client, Command, Env, Ledger, Server, attempt, check_log,
                    check_read_model, diff_tenants, log, login, read_log, tenant_rows,
                    user_rows, OK)

TITLE = "delete then restore random subtrees"

UNCHANGED = ("slug", "name", "description", "parent_id", "level", "path", "status",
             "effective_status", "is_deleted", "deletion_id", "created_at", "deleted_at")


def run(env: Env, checks: Checks) -> None:
    size = 150 if env.small else 1500
    rounds = 60 if env.small else 1000
    workers = 4
    rng = random.Random()
    server = Server(env, "s5", env.topic("s5"), env.schema("s5"))
    server.start()
    token = login(server.port)
    ledger = Ledger()
    local = threading.local()
    seq = iter(range(10**9))
    seq_lock = threading.Lock()

    def send(kind, method, path, body=None) -> Command:
        with seq_lock:
            n = next(seq)
        cmd = Command(f"s5-{n:06d}", kind, method, path, body)
        ledger.add(cmd)
        if not hasattr(local, "client"):
            local.client = Client(server.port, token)
        for _ in range(20):
            if attempt(local.client, cmd, "s5") != "indeterminate":
                break
            time.sleep(0.2)
        return cmd

    # ---- a varied hierarchy, built level by level
    roots = max(4, size // 25)
    tree: dict[str, dict] = {}
    with ThreadPoolExecutor(8) as pool:
        made = list(pool.map(lambda i: send("create", "POST", "/v1/tenants",
                                            {"name": f"s5 org {i}", "description": f"org {i}"}),
                             range(roots)))
        for c in made:
            b = c.response.json
            tree[b["id"]] = {"parent": None, "level": 1, "root": b["id"]}
        while len(tree) < size:
            candidates = [t for t, v in tree.items() if v["level"] < 7]
            batch = min(64, size - len(tree))
            parents = [rng.choice(candidates) for _ in range(batch)]
            made = list(pool.map(lambda p: send("create", "POST", "/v1/tenants",
                                                {"name": f"s5 t{rng.randrange(10**6)}",
                                                 "parent": p}), parents))
            for c, p in zip(made, parents):
                if c.outcome == OK:
                    b = c.response.json
                    tree[b["id"]] = {"parent": p, "level": tree[p]["level"] + 1,
                                     "root": tree[p]["root"]}
    ids = list(tree)
    children: dict[str, list] = {t: [] for t in ids}
    for t, v in tree.items():
        if v["parent"]:
            children[v["parent"]].append(t)

    def subtree(t):
        out, todo = [], [t]
        while todo:
            x = todo.pop()
            out.append(x)
            todo.extend(children[x])
        return out

    # Variety: renames, suspended and inactive tenants, tenants deleted for good beforehand.
    for t in rng.sample(ids, len(ids) // 10):
        send("rename", "PATCH", f"/v1/tenants/{t}", {"name": f"renamed {t[-6:]}",
                                                     "description": "changed"})
    for t in rng.sample(ids, len(ids) // 20):
        send("suspend", "POST", f"/v1/tenants/{t}/suspend", {"reason": "s5"})
    for t in rng.sample(ids, len(ids) // 30):
        send("deactivate", "POST", f"/v1/tenants/{t}/deactivate", {})
    gone: set[str] = set()
    non_roots = [t for t in ids if tree[t]["parent"]]
    for t in rng.sample(non_roots, len(non_roots) // 30):
        if t in gone:
            continue
        c = send("pre-delete", "DELETE", f"/v1/tenants/{t}?recursive=true")
        if c.outcome == OK:
            gone.update(subtree(t))
    refused = [(c.cid, c.path, c.response.status if c.response else None)
               for c in ledger.commands if c.outcome != OK]
    checks.check("the hierarchy was built", not refused, str(refused[:5]))

    events = read_log(env, server.topic)
    end = events[-1].offset + 1
    server.wait_projected(end, 120)
    before = tenant_rows(env, server.schema)
    users_before = user_rows(env, server.schema)
    log(f"s5: {len(before)} tenants ({len(gone)} deleted beforehand, "
        f"{sum(1 for r in before.values() if r['status'] != 'active')} not active); "
        f"{rounds} delete/restore rounds on {workers} workers")

    # ---- delete then restore random subtrees; each worker owns whole organizations, so
    # the subtrees that workers touch at the same time never overlap.
    by_root: dict[str, list] = {}
    for t in ids:
        if t not in gone:
            by_root.setdefault(tree[t]["root"], []).append(t)
    root_list = list(by_root)
    problems: list[str] = []
    deleted_count: dict[str, int] = {}
    count_lock = threading.Lock()

    def worker(w: int) -> None:
        wr = random.Random(w)
        mine = [t for i, r in enumerate(root_list) if i % workers == w for t in by_root[r]]
        for i in range(w, rounds, workers):
            t = wr.choice(mine)
            d = send("delete", "DELETE", f"/v1/tenants/{t}?recursive=true")
            if d.outcome != OK or d.response.status != 204:
                problems.append(f"delete {t}: {d.response.status if d.response else None} "
                                f"{d.response.raw[:200] if d.response else ''}")
                continue
            with count_lock:
                for x in subtree(t):
                    if x not in gone:
                        deleted_count[x] = deleted_count.get(x, 0) + 1
            if i % 10 == 0:  # the subtree is gone from reads
                token_hdr = d.response.headers.get("x-consistency-token", "")
                r = local.client.request("GET", f"/v1/tenants/{t}",
                                         headers={"X-Consistency-Token": token_hdr})
                if r.status != 404:
                    problems.append(f"GET deleted {t}: {r.status}")
            r = send("restore", "POST", f"/v1/tenants/{t}/restore")
            if r.outcome != OK or r.response.status != 200:
                problems.append(f"restore {t}: {r.response.status if r.response else None} "
                                f"{r.response.raw[:200] if r.response else ''}")
                continue
            body = r.response.json or {}
            want = before[t]
            diff = [k for k in ("slug", "name", "status", "effective_status", "parent_id",
                                "level", "is_deleted") if body.get(k) != want.get(k)]
            if diff:
                problems.append(f"restore {t} answered {[(k, body.get(k), want.get(k)) for k in diff]}")

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(w,)) for w in range(workers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    secs = time.monotonic() - t0
    checks.check("every delete answered 204 and every restore 200 with the tenant as it was",
                 not problems, f"{len(problems)}: " + "; ".join(problems[:5]))
    ledger.dump(env.work_dir / "s5-ledger.jsonl")

    events = read_log(env, server.topic)
    end = events[-1].offset + 1
    checks.check("read model caught up", server.wait_projected(end, 120),
                 f"{server.projector_position()} of {end}")
    after = tenant_rows(env, server.schema)
    d = diff_tenants(before, after, UNCHANGED)
    checks.check(f"read model equals what it was before ({len(before)} tenants, "
                 f"all columns but version and updated_at)", not d, "; ".join(d))
    wrong_version = [(t, before[t]["version"], after[t]["version"], deleted_count.get(t, 0))
                     for t in before if t in after and
                     after[t]["version"] != before[t]["version"] + 2 * deleted_count.get(t, 0)]
    checks.check("versions moved by exactly one delete and one restore per deletion",
                 not wrong_version, str(wrong_version[:5]))
    checks.check("users unchanged", user_rows(env, server.schema) == users_before)
    check_log(checks, events, ledger, ("s5-",))
    check_read_model(checks, env, server.schema, events)
    server.terminate()
    checks.figure("tenants", len(before))
    checks.figure("deleted_beforehand", len(gone))
    checks.figure("subtrees_deleted_and_restored", rounds)
    checks.figure("tenants_deleted_and_restored", sum(deleted_count.values()))
    checks.figure("rounds_per_s", round(rounds / secs, 1))
