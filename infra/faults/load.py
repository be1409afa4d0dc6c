"""Command load: N worker threads, each on its own keep-alive connection(s), sending tenant
commands (create, rename, suspend/resume, move), each with an Idempotency-Key and a
client-side id, and retrying indeterminate ones with that same key."""

from __future__ import annotations

import random
import threading
import time
from typing import Callable

from common import (INDETERMINATE, OK, Client, Command, Ledger, attempt)


class Load:
    """`target()` returns (label, port) of the server a command should go to now."""

    def __init__(self, ledger: Ledger, token: str, target: Callable[[], tuple[str, int]],
                 workers: int, prefix: str, *, max_backoff: float = 1.0,
                 request_timeout: float = 30, pace: float = 0.0,
                 max_commands: int | None = None):
        self.ledger = ledger
        self.token = token
        self.target = target
        self.workers = workers
        self.prefix = prefix
        self.max_backoff = max_backoff
        self.request_timeout = request_timeout
        self.pace = pace  # pause between a worker's commands (s)
        self.max_commands = max_commands  # per worker
        self.stopping = threading.Event()
        self.give_up = threading.Event()
        self.threads: list[threading.Thread] = []
        self.errors: list[str] = []

    def start(self) -> None:
        for w in range(self.workers):
            t = threading.Thread(target=self._worker, args=(w,), daemon=True,
                                 name=f"{self.prefix}-w{w}")
            t.start()
            self.threads.append(t)

    def stop(self, settle_timeout: float = 60) -> None:
        """Stops issuing new commands; indeterminate ones keep being retried (with their
        key) for up to settle_timeout seconds, then are left indeterminate."""
        self.stopping.set()
        deadline = time.monotonic() + settle_timeout
        for t in self.threads:
            t.join(max(0.0, deadline - time.monotonic()))
        self.give_up.set()
        for t in self.threads:
            t.join()

    # ---------------------------------------------------------------- one worker

    def _worker(self, w: int) -> None:
        rng = random.Random(f"{self.prefix}-{w}")
        clients: dict[int, Client] = {}
        own: dict[str, dict] = {}  # id -> {"status", "children", "level"}
        n = 0
        try:
            while not self.stopping.is_set():
                if self.max_commands is not None and n >= self.max_commands:
                    break
                n += 1
                cid = f"{self.prefix}-w{w:02d}-{n:06d}"
                cmd = self._next(rng, cid, own)
                self.ledger.add(cmd)
                self.execute(cmd, clients)
                if cmd.outcome == OK:
                    self._learn(cmd, own)
                if self.pace:
                    time.sleep(self.pace)
        except Exception as e:  # noqa: BLE001 - reported by the scenario
            self.errors.append(f"worker {w}: {e!r}")
        finally:
            for c in clients.values():
                c.close()

    def execute(self, cmd: Command, clients: dict[int, Client]) -> None:
        backoff = 0.05
        while True:
            label, port = self.target()
            client = clients.get(port)
            if client is None:
                client = clients[port] = Client(port, self.token, self.request_timeout)
            if attempt(client, cmd, label) != INDETERMINATE:
                return
            if self.give_up.is_set():
                return
            time.sleep(backoff * (0.5 + random.random()))
            backoff = min(backoff * 2, self.max_backoff)

    def _next(self, rng: random.Random, cid: str, own: dict) -> Command:
        active = [i for i, t in own.items() if t["status"] == "active"]
        r = rng.random()
        if len(own) < 3 or r < 0.35 or not active:
            parents = [i for i in active if own[i]["level"] < 6]
            body = {"name": cid}
            if parents and rng.random() < 0.8:
                body["parent"] = rng.choice(parents)
            return Command(cid, "create", "POST", "/v1/tenants", body)
        if r < 0.6:
            t = rng.choice(active)
            return Command(cid, "rename", "PATCH", f"/v1/tenants/{t}", {"name": cid},)
        if r < 0.88:
            leaves = [i for i, t in own.items() if not t["children"]]
            if leaves:
                t = rng.choice(leaves)
                action = "suspend" if own[t]["status"] == "active" else "resume"
                return Command(cid, action, "POST", f"/v1/tenants/{t}/{action}",
                               {"reason": cid})
        # A move of a tenant to the top or under one of this worker's roots; never to
        # where it already is (that would be a no-op: acknowledged, but no event).
        t = rng.choice(active)
        options = [i for i in active if own[i]["level"] == 1 and i != t]
        if own[t]["parent"] is not None:
            options.append(None)
        options = [p for p in options if p != own[t]["parent"]]
        if not options:
            return Command(cid, "rename", "PATCH", f"/v1/tenants/{t}", {"name": cid})
        parent = rng.choice(options)
        return Command(cid, "move", "POST", f"/v1/tenants/{t}/move", {"parent": parent})

    @staticmethod
    def _learn(cmd: Command, own: dict) -> None:
        body = cmd.response.json if cmd.response is not None else None
        if not isinstance(body, dict) or "id" not in body:
            return
        tid = body["id"]
        if cmd.kind == "create":
            own[tid] = {"status": "active", "children": set(), "level": body.get("level", 1),
                        "parent": body.get("parent_id")}
            parent = body.get("parent_id")
            if parent in own:
                own[parent]["children"].add(tid)
        elif tid in own:
            own[tid]["status"] = body.get("status", own[tid]["status"])
            if cmd.kind == "move":
                for t in own.values():
                    t["children"].discard(tid)
                parent = body.get("parent_id")
                if parent in own:
                    own[parent]["children"].add(tid)
                own[tid]["level"] = body.get("level", own[tid]["level"])
                own[tid]["parent"] = parent
