"""Shared pieces of the fault-injection scenarios: tenantryd as a child process, a small
HTTP client, a ledger of commands (ok / failed / indeterminate), the event log read back
with kcat, the read models read with psql, and the checks every scenario shares.

Standard library only."""

from __future__ import annotations

import http.client
import base64
import json
import os
import re
import signal
import socket
import struct
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADMIN_EMAIL = "admin@faults.local"
ADMIN_PASSWORD = "faults-admin-password-1"


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --------------------------------------------------------------------------- environment


@dataclass
class Env:
    """What every scenario needs to know about the machine."""

    tenantryd: str
    brokers: str
    database_url: str
    pg_port: int
    var_dir: Path
    work_dir: Path  # logs and keys of this run
    run_id: str
    small: bool
    keep: bool = False  # keep topics and schemas after the run
    _counter: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    created_topics: list = field(default_factory=list)
    created_schemas: list = field(default_factory=list)
    servers: list = field(default_factory=list)  # every tenantryd started, to clean up

    @classmethod
    def from_environment(cls, tenantryd: str, var_dir: Path, work_dir: Path, run_id: str, *,
                         small: bool, keep: bool) -> "Env":
        """The broker and database of the infra scripts' environment (infra/env.sh)."""
        return cls(
            tenantryd=str(Path(tenantryd).resolve()),
            brokers=os.environ.get("TENANTRY_KAFKA_BROKERS", "127.0.0.1:39092"),
            database_url=os.environ.get("TENANTRY_DATABASE_URL",
                                        "postgresql://tenantry@127.0.0.1:35432/tenantry"),
            pg_port=int(os.environ.get("TENANTRY_PG_PORT", "35432")),
            var_dir=var_dir, work_dir=work_dir, run_id=run_id, small=small, keep=keep)

    def name(self, what: str) -> str:
        with self._lock:
            self._counter += 1
            return f"faults_{what}_{self.run_id}_{self._counter}"

    def topic(self, what: str) -> str:
        t = self.name(what)
        self.created_topics.append(t)
        return t

    def schema(self, what: str) -> str:
        s = self.name(what)
        self.created_schemas.append(s)
        return s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- shared services


def kafka_ready(env: Env, timeout: float = 3) -> bool:
    try:
        r = subprocess.run(
            ["kcat", "-b", env.brokers, "-L", "-m", str(int(max(timeout, 1)))],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout + 5,
        )
        return r.returncode == 0
    except subprocess.TimeoutExpired:
        return False


def kafka_pid(env: Env) -> int | None:
    """The pid of the broker infra/kafka.sh started from this var/ folder (None when that
    is not running, e.g. when the port is served by another checkout's broker)."""
    try:
        pid = int((env.var_dir / "kafka" / "kafka.pid").read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        props = str(env.var_dir / "kafka" / "server.properties")
        return pid if "kafka.Kafka" in cmdline and props in cmdline else None
    except (OSError, ValueError):
        return None


def start_kafka(env: Env) -> float:
    """Runs infra/kafka.sh (idempotent); returns the seconds it took."""
    t0 = time.monotonic()
    subprocess.run(["bash", str(ROOT / "infra" / "kafka.sh")], check=True)
    return time.monotonic() - t0


def pg_ready(env: Env) -> bool:
    r = subprocess.run(
        ["/usr/lib/postgresql/15/bin/pg_isready", "-q", "-h", "127.0.0.1", "-p", str(env.pg_port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return r.returncode == 0


def start_postgres(env: Env) -> float:
    t0 = time.monotonic()
    subprocess.run(["bash", str(ROOT / "infra" / "postgres.sh")], check=True,
                   stdout=subprocess.DEVNULL)
    return time.monotonic() - t0


def checkpoint_postgres(env: Env) -> None:
    """A CHECKPOINT (as the postgres superuser): the crash recovery after an immediate stop
    then replays seconds of WAL, not minutes (a shorter outage for everyone sharing it)."""
    subprocess.run(["psql", "-X", "-q", "-h", "127.0.0.1", "-p", str(env.pg_port), "-U",
                    "postgres", "-d", "postgres", "-c", "CHECKPOINT"],
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


def stop_postgres_immediate(env: Env) -> None:
    subprocess.run(
        ["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D",
         str(env.var_dir / "postgres" / "data"), "-m", "immediate", "-w", "stop"],
        check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    if pg_ready(env):
        raise RuntimeError(f"PostgreSQL still answers on port {env.pg_port} after stopping the "
                           f"cluster in {env.var_dir}/postgres/data: it is not this checkout's")


def restart_postgres(env: Env) -> float:
    """Starts the stopped cluster as infra/postgres.sh does, but with
    recovery_init_sync_method=syncfs for this start only: after an immediate stop,
    PostgreSQL 15 otherwise fsyncs every file of the data folder one by one before its
    crash recovery (about 8,000 files here: 15-30 s instead of under 1 s). Then runs
    infra/postgres.sh, which finds it up and checks the role and database."""
    t0 = time.monotonic()
    data = env.var_dir / "postgres" / "data"
    subprocess.run(
        ["runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", str(data),
         "-l", str(env.var_dir / "postgres" / "postgres.log"),
         "-o", "-c recovery_init_sync_method=syncfs", "-w", "-t", "60", "start"],
        check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    start_postgres(env)
    return time.monotonic() - t0


def ensure_shared_services(env: Env) -> None:
    """Never leave Kafka or PostgreSQL stopped."""
    if not pg_ready(env):
        log("PostgreSQL is down: restarting it")
        restart_postgres(env)
    if kafka_pid(env) is None or not kafka_ready(env):
        log("Kafka is down: restarting it")
        start_kafka(env)


# --------------------------------------------------------------------------- psql


def psql(env: Env, sql: str, timeout: float = 300) -> str:
    r = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", env.database_url, "-c", sql],
        capture_output=True, text=True, timeout=timeout,
    )
    if r.returncode != 0:
        raise RuntimeError(f"psql failed: {r.stderr.strip()} (sql: {sql[:200]})")
    return r.stdout.strip()


def psql_json(env: Env, sql: str):
    out = psql(env, f"SELECT coalesce(json_agg(q), '[]'::json) FROM ({sql}) q")
    return json.loads(out) if out else []


TS = "to_char({c} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

TENANT_COLUMNS = (
    "id::text AS id, slug, name, description, parent_id::text AS parent_id, level, path::text AS path,"
    " status, effective_status, is_deleted, deletion_id, version,"
    f" {TS.format(c='created_at')} AS created_at, {TS.format(c='updated_at')} AS updated_at,"
    f" {TS.format(c='deleted_at')} AS deleted_at"
)


def tenant_rows(env: Env, schema: str) -> dict[str, dict]:
    rows = psql_json(env, f'SELECT {TENANT_COLUMNS} FROM "{schema}".tenants ORDER BY id')
    return {r["id"]: r for r in rows}


def user_rows(env: Env, schema: str) -> dict[str, dict]:
    rows = psql_json(
        env,
        f"SELECT id::text AS id, email, name, platform_roles, is_active, version,"
        f" {TS.format(c='created_at')} AS created_at, {TS.format(c='updated_at')} AS updated_at"
        f' FROM "{schema}".users ORDER BY id',
    )
    return {r["id"]: r for r in rows}


def drop_schema(env: Env, schema: str) -> None:
    try:
        psql(env, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    except Exception as e:  # noqa: BLE001 - cleanup is best effort
        log(f"warning: cannot drop schema {schema}: {e}")


# --------------------------------------------------------------------------- Kafka admin


def delete_topics(env: Env, topics: list[str]) -> None:
    """DeleteTopics (API key 20, v1) over the Kafka protocol: no Java tool needed."""
    if not topics:
        return
    host, port = env.brokers.split(",")[0].rsplit(":", 1)

    def string(s: str) -> bytes:
        b = s.encode()
        return struct.pack(">h", len(b)) + b

    body = struct.pack(">i", len(topics)) + b"".join(string(t) for t in topics)
    body += struct.pack(">i", 30000)
    header = struct.pack(">hhi", 20, 1, 4242) + string("tenantry-faults")
    msg = header + body
    try:
        with socket.create_connection((host, int(port)), timeout=40) as s:
            s.sendall(struct.pack(">i", len(msg)) + msg)
            size = struct.unpack(">i", _recv_exact(s, 4))[0]
            data = _recv_exact(s, size)
        pos = 8  # correlation id, throttle time
        n = struct.unpack_from(">i", data, pos)[0]
        pos += 4
        errors = []
        for _ in range(n):
            ln = struct.unpack_from(">h", data, pos)[0]
            name = data[pos + 2:pos + 2 + ln].decode()
            pos += 2 + ln
            code = struct.unpack_from(">h", data, pos)[0]
            pos += 2
            if code not in (0, 3):  # 3: unknown topic (never created)
                errors.append(f"{name}: error {code}")
        if errors:
            log(f"warning: deleting topics: {', '.join(errors)}")
    except OSError as e:
        log(f"warning: cannot delete topics {topics}: {e}")


def _recv_exact(s: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise OSError("connection closed")
        buf += chunk
    return buf


# --------------------------------------------------------------------------- the event log


@dataclass
class Event:
    offset: int
    headers: dict
    key: str | None
    payload: dict

    @property
    def type(self) -> str:
        return self.headers.get("ce_type", "")

    @property
    def subject(self) -> str:
        return self.headers.get("ce_subject", "")

    @property
    def version(self) -> int:
        return int(self.headers.get("tenantry_aggregate_version", "0"))

    @property
    def idem_key(self) -> str:
        return self.headers.get("tenantry_idempotency_key", "")

    @property
    def correlation(self) -> str:
        return self.headers.get("tenantry_correlation_id", "")

    @property
    def time(self) -> str:
        return self.headers.get("ce_time", "")


def read_log(env: Env, topic: str, timeout: float = 600) -> list[Event]:
    """Every committed event of the topic, in offset order (kcat, read_committed)."""
    cmd = ["kcat", "-C", "-b", env.brokers, "-t", topic, "-X", "isolation.level=read_committed",
           "-o", "beginning", "-e", "-J", "-q"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError(f"kcat failed ({r.returncode}): {r.stderr.strip()[:500]}")
    events = []
    # Split on newlines only: str.splitlines also splits on U+2028, U+001E and the like,
    # which a payload may hold unescaped.
    for line in r.stdout.split("\n"):
        if not line.strip():
            continue
        j = json.loads(line)
        h = j.get("headers") or []
        headers = {h[i]: h[i + 1] for i in range(0, len(h) - 1, 2)}
        try:
            payload = json.loads(j.get("payload") or "null") or {}
        except json.JSONDecodeError:
            payload = {"_undecodable": j.get("payload")}
        events.append(Event(j["offset"], headers, j.get("key"), payload))
    events.sort(key=lambda e: e.offset)
    return events


# --------------------------------------------------------------------------- fold of the log


def fold_tenants(events: list[Event]) -> dict[str, dict]:
    """The tenants read model as the event log defines it (independent of the projector)."""
    t: dict[str, dict] = {}
    for e in events:
        if not e.type.startswith("tenantry.tenant."):
            continue
        p = e.payload
        tid = p.get("id")
        kind = e.type.split(".")[2]
        if kind == "created":
            t[tid] = {"id": tid, "slug": p["slug"], "name": p["name"],
                      "description": p.get("description", ""), "parent_id": p.get("parent"),
                      "status": "active", "is_deleted": False, "deletion_id": None,
                      "deleted_at": None, "created_at": e.time}
        elif tid not in t:
            t.setdefault("_orphans", []).append(e.offset)  # an event before its creation
            continue
        row = t[tid]
        if kind == "updated":
            for k in ("name", "description", "slug"):
                if k in p:
                    row[k] = p[k]
        elif kind == "moved":
            row["parent_id"] = p.get("to_parent")
        elif kind in ("suspended", "resumed", "activated", "deactivated"):
            row["status"] = {"suspended": "suspended", "resumed": "active", "activated": "active",
                             "deactivated": "inactive"}[kind]
        elif kind == "deleted":
            row["is_deleted"] = True
            row["deletion_id"] = p.get("deletion_id")
            row["deleted_at"] = e.time
        elif kind == "restored":
            row["is_deleted"] = False
            row["deletion_id"] = None
            row["deleted_at"] = None
        row["version"] = e.version
        row["updated_at"] = e.time
    orphans = t.pop("_orphans", [])
    # Derived columns: level, path, effective status (worst status from the root down).
    rank = {"active": 0, "suspended": 1, "inactive": 2}
    for row in t.values():
        chain, cur, seen = [], row, set()
        while cur is not None and cur["id"] not in seen:
            seen.add(cur["id"])
            chain.append(cur)
            cur = t.get(cur["parent_id"]) if cur["parent_id"] else None
        chain.reverse()
        row["level"] = len(chain)
        row["path"] = ".".join(c["id"].replace("-", "") for c in chain)
        row["effective_status"] = max((c["status"] for c in chain), key=lambda s: rank[s])
    if orphans:
        t["_orphans"] = orphans
    return t


COMPARED = ("slug", "name", "description", "parent_id", "level", "path", "status",
            "effective_status", "is_deleted", "deletion_id", "version", "created_at",
            "updated_at", "deleted_at")


def diff_tenants(expected: dict, actual: dict, columns=COMPARED, limit: int = 5) -> list[str]:
    """Human-readable differences between two {id: row} maps (empty when equal)."""
    out = []
    for tid in sorted(set(expected) | set(actual)):
        if tid.startswith("_"):
            continue
        a, b = expected.get(tid), actual.get(tid)
        if a is None or b is None:
            out.append(f"{tid}: {'missing in expected' if a is None else 'missing in actual'}")
            continue
        d = [f"{c}: {a.get(c)!r} != {b.get(c)!r}" for c in columns if a.get(c) != b.get(c)]
        if d:
            out.append(f"{tid} ({a.get('name')}): " + "; ".join(d))
    if len(out) > limit:
        return out[:limit] + [f"... {len(out) - limit} more"]
    return out


# --------------------------------------------------------------------------- tenantryd


class Server:
    """tenantryd as a child process with its own topic, schema, port and signing key."""

    def __init__(self, env: Env, label: str, topic: str, schema: str, *,
                 transactional_id: str | None = None, key_path: Path | None = None,
                 port: int | None = None, extra: dict | None = None):
        self.env = env
        self.label = label
        self.topic = topic
        self.schema = schema
        self.transactional_id = transactional_id or f"{topic}-writer"
        self.key_path = key_path or (env.work_dir / f"{topic}.pem")
        # The data keys are the log's: every server of one topic shares the KEK and the
        # key schema, whatever its read-model schema (docs/privacy.md).
        self.data_key_path = env.work_dir / f"{topic}.data-key"
        self.key_schema = re.sub(r"[^a-z0-9_]", "_", topic.lower())[:50] + "_keys"
        self.port = port or free_port()
        self.extra = extra or {}
        self.log_path = env.work_dir / f"{label}.log"
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        env.servers.append(self)

    def environment(self) -> dict:
        if not self.data_key_path.exists():  # before any server of the topic starts
            fd = os.open(self.data_key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(base64.b64encode(os.urandom(32)).decode() + "\n")
        e = {k: v for k, v in os.environ.items() if not k.startswith("TENANTRY_")}
        e.update({
            "TENANTRY_LISTEN": f"127.0.0.1:{self.port}",
            "TENANTRY_KAFKA_BROKERS": self.env.brokers,
            "TENANTRY_DATABASE_URL": self.env.database_url,
            "TENANTRY_TOPIC": self.topic,
            "TENANTRY_TRANSACTIONAL_ID": self.transactional_id,
            "TENANTRY_DB_SCHEMA": self.schema,
            "TENANTRY_SIGNING_KEY": str(self.key_path),
            "TENANTRY_DATA_KEY_FILE": str(self.data_key_path),
            "TENANTRY_KEY_SCHEMA": self.key_schema,
            "TENANTRY_ADMIN_EMAIL": ADMIN_EMAIL,
            "TENANTRY_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "TENANTRY_PASSWORD_HASHING": "minimal",
            "TENANTRY_ACCESS_TOKEN_TTL": "86400",
            "TENANTRY_LOG_LEVEL": "info",
            # One principal drives every load here: per-principal rate limits (100
            # requests/min, 30 writes/min by default) would turn it into 429s.
            "TENANTRY_RATE_LIMIT_REQUESTS_PER_MIN": "0",
            "TENANTRY_RATE_LIMIT_WRITES_PER_MIN": "0",
            "TENANTRY_RATE_LIMIT_LOGIN_FAILURES_PER_HOUR": "0",
        })
        e.setdefault("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=0")
        e.update(self.extra)
        return e

    def start(self, wait: bool = True, timeout: float = 90) -> float:
        """Starts tenantryd; with wait, returns the seconds until /readyz answered 200."""
        assert self.proc is None or self.proc.poll() is not None
        self.starts += 1
        with open(self.log_path, "ab") as out:
            out.write(f"\n===== faults: start #{self.starts} at {time.strftime('%H:%M:%S')}\n"
                      .encode())
            out.flush()
            self.proc = subprocess.Popen([self.env.tenantryd], env=self.environment(),
                                         stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        t0 = time.monotonic()
        if wait:
            self.wait_ready(timeout)
        return time.monotonic() - t0

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"{self.label}: tenantryd exited during start-up "
                                   f"(status {self.proc.returncode if self.proc else None}); "
                                   f"see {self.log_path}")
            try:
                if self.readyz()[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.label}: tenantryd not ready within {timeout:.0f} s; "
                           f"see {self.log_path}")

    def wait_writer(self, timeout: float = 90) -> None:
        """Waits until the writer accepts commands (/readyz says writer=ready); the
        projector may still be catching up (under heavy load it can lag far behind)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"{self.label}: tenantryd exited during start-up; "
                                   f"see {self.log_path}")
            try:
                if self.readyz()[1].get("writer") == "ready":
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.label}: the writer not ready within {timeout:.0f} s; "
                           f"see {self.log_path}")

    def readyz(self) -> tuple[int, dict]:
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            c.request("GET", "/readyz")
            r = c.getresponse()
            body = r.read()
            try:
                return r.status, json.loads(body)
            except json.JSONDecodeError:
                return r.status, {}
        finally:
            c.close()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        if self.alive():
            self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait()

    def terminate(self, timeout: float = 60) -> int | None:
        if not self.alive():
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log(f"{self.label}: no exit {timeout:.0f} s after SIGTERM; killing it")
            self.kill9()
            return None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def projector_position(self) -> int | None:
        try:
            status, body = self.readyz()
            return int(body.get("projector_position"))
        except (OSError, TypeError, ValueError):
            return None

    def wait_projected(self, end_offset: int, timeout: float = 120) -> bool:
        """Waits until the projector's next offset is past `end_offset - 1`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pos = self.projector_position()
            if pos is not None and pos >= end_offset:
                return True
            time.sleep(0.2)
        return False


# --------------------------------------------------------------------------- HTTP


class Response:
    def __init__(self, status: int, headers: dict, body: bytes):
        self.status = status
        self.headers = headers
        self.raw = body
        try:
            self.json = json.loads(body) if body else None
        except (json.JSONDecodeError, UnicodeDecodeError):
            self.json = None

    def error_code(self) -> str:
        return self.json.get("error", "") if isinstance(self.json, dict) else ""


class Client:
    """One keep-alive connection; reconnects after any error."""

    def __init__(self, port: int, token: str | None = None, timeout: float = 30):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body=None, headers: dict | None = None) -> Response:
        h = {"Accept": "application/json"}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = body if isinstance(body, (bytes, bytearray)) else json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        if headers:
            h.update(headers)
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body=data, headers=h)
            r = self.conn.getresponse()
            raw = r.read()
            resp = Response(r.status, {k.lower(): v for k, v in r.getheaders()}, raw)
            if r.will_close:
                self.close()
            return resp
        except BaseException:
            self.close()
            raise


def login(port: int, timeout: float = 60) -> str:
    """An access token for the bootstrap admin (retried while the server settles)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            r = Client(port).request("POST", "/v1/auth/token",
                                     {"username": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
            if r.status == 200:
                return r.json["access"]
            last = f"{r.status} {r.raw[:200]!r}"
        except OSError as e:
            last = repr(e)
        time.sleep(0.2)
    raise RuntimeError(f"cannot log in on port {port}: {last}")


# --------------------------------------------------------------------------- the ledger

OK, FAILED, INDETERMINATE = "ok", "failed", "indeterminate"


@dataclass
class Attempt:
    started: float
    ended: float
    target: str  # which server instance answered (or was asked)
    status: int | None  # None: no HTTP answer
    error: str  # the error code, or the exception


@dataclass
class Command:
    cid: str
    kind: str
    method: str
    path: str
    body: object = None
    attempts: list = field(default_factory=list)
    outcome: str = INDETERMINATE
    response: Response | None = None

    @property
    def key(self) -> str:
        return self.cid


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self.commands: list[Command] = []
        self.by_cid: dict[str, Command] = {}

    def add(self, c: Command) -> None:
        with self.lock:
            self.commands.append(c)
            self.by_cid[c.cid] = c

    def counts(self) -> dict:
        out = {OK: 0, FAILED: 0, INDETERMINATE: 0}
        with self.lock:
            for c in self.commands:
                out[c.outcome] += 1
        return out

    def dump(self, path: Path) -> None:
        """One JSON line per command, for the evidence of a failed check."""
        with self.lock, open(path, "w") as out:
            for c in self.commands:
                out.write(json.dumps({
                    "cid": c.cid, "kind": c.kind, "method": c.method, "path": c.path,
                    "body": c.body if not isinstance(c.body, (bytes, bytearray)) else "<bytes>",
                    "outcome": c.outcome,
                    "attempts": [[round(a.started, 3), round(a.ended - a.started, 3), a.target,
                                  a.status, a.error] for a in c.attempts],
                    "response": None if c.response is None else {
                        "status": c.response.status,
                        "replayed": c.response.headers.get("idempotent-replayed"),
                        "body": c.response.raw[:500].decode(errors="replace")},
                }) + "\n")

    def attempts(self):
        with self.lock:
            for c in list(self.commands):
                for a in list(c.attempts):
                    yield c, a


def classify(status: int | None) -> str:
    """ok: 2xx. failed: a definite refusal (4xx). indeterminate: no answer, 5xx."""
    if status is None:
        return INDETERMINATE
    if 200 <= status < 300:
        return OK
    if status >= 500 or status == 429:
        return INDETERMINATE
    return FAILED


def attempt(client: Client, cmd: Command, target: str, timeout: float | None = None) -> str:
    """One try of a command with its Idempotency-Key; records it and returns its class."""
    n = len(cmd.attempts) + 1
    # The request id becomes the events' correlation id: it names the attempt that landed.
    headers = {"Idempotency-Key": cmd.key, "X-Request-Id": f"{cmd.cid}.{n}.{target}"}
    t0 = time.monotonic()
    try:
        if timeout is not None:
            client.timeout = timeout
        r = client.request(cmd.method, cmd.path, cmd.body, headers)
        cmd.attempts.append(Attempt(t0, time.monotonic(), target, r.status, r.error_code()))
        cls = classify(r.status)
        if cls != INDETERMINATE:
            cmd.outcome = cls
            cmd.response = r
        return cls
    except (OSError, http.client.HTTPException) as e:
        cmd.attempts.append(Attempt(t0, time.monotonic(), target, None, type(e).__name__))
        return INDETERMINATE


# --------------------------------------------------------------------------- checks


class Checks:
    """Named pass/fail checks with evidence, and figures worth reporting."""

    def __init__(self, scenario: str):
        self.scenario = scenario
        self.items: list[tuple[str, bool, str]] = []
        self.figures: dict = {}

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.items.append((name, bool(ok), detail))
        log(f"  {'PASS' if ok else 'FAIL'} {name}" + (f": {detail}" if detail else ""))
        return ok

    def figure(self, name: str, value) -> None:
        self.figures[name] = value

    @property
    def passed(self) -> bool:
        return bool(self.items) and all(ok for _, ok, _ in self.items)


def check_log(checks: Checks, events: list[Event], ledger: Ledger,
              known_prefixes: tuple[str, ...]) -> None:
    """The guarantees of the log against what clients were told:
    every acknowledged command is in the log, no command applied twice, no definite
    refusal applied, aggregate versions without gaps."""
    by_key: dict[str, list[Event]] = {}
    for e in events:
        if e.idem_key:
            by_key.setdefault(e.idem_key, []).append(e)

    cmds = list(ledger.commands)
    acked = [c for c in cmds if c.outcome == OK]
    missing = [c for c in acked if c.cid not in by_key]
    checks.check("acknowledged commands missing from the log", not missing,
                 f"{len(missing)} of {len(acked)} missing" + (", e.g. " + "; ".join(
                     f"{c.cid} {c.method} {c.path} {json.dumps(c.body)} -> "
                     f"{[(a.status, a.error) for a in c.attempts]}" for c in missing[:3])
                     if missing else ""))

    # A create's answer names the tenant its event created.
    wrong_id = []
    for c in acked:
        if c.kind == "create" and c.cid in by_key and isinstance(c.response.json, dict):
            created = [e.subject for e in by_key[c.cid] if e.type == "tenantry.tenant.created.v1"]
            if created != [c.response.json.get("id")]:
                wrong_id.append((c.cid, c.response.json.get("id"), created))
    checks.check("created ids answered match the log", not wrong_id, str(wrong_id[:3]) if wrong_id else "")

    twice = []
    for k, evs in by_key.items():
        corr = {e.correlation for e in evs}
        per = {}
        for e in evs:
            per[(e.subject, e.type)] = per.get((e.subject, e.type), 0) + 1
        if len(corr) > 1 or any(n > 1 for n in per.values()):
            twice.append((k, sorted(corr), [e.offset for e in evs]))
    checks.check("commands applied twice", not twice,
                 f"{len(twice)}" + (f", e.g. {twice[:3]}" if twice else ""))

    refused = [c for c in cmds if c.outcome == FAILED and c.cid in by_key]
    checks.check("definitely refused commands found in the log", not refused,
                 f"{len(refused)}" + (", e.g. " + "; ".join(
                     f"{c.cid} {[(a.status, a.error) for a in c.attempts]}" for c in refused[:3])
                     if refused else ""))

    unknown = sorted(k for k in by_key if k not in ledger.by_cid and k.startswith(known_prefixes))
    checks.check("events with keys no client sent", not unknown, str(unknown[:5]) if unknown else "")

    gaps = version_gaps(events)
    checks.check("aggregate versions without gaps", not gaps,
                 f"{len(gaps)} aggregates with gaps" + (f", e.g. {gaps[:3]}" if gaps else ""))

    ind = [c for c in cmds if c.outcome == INDETERMINATE]
    checks.figure("commands", len(cmds))
    checks.figure("ok", len(acked))
    checks.figure("failed", sum(1 for c in cmds if c.outcome == FAILED))
    checks.figure("indeterminate_final", len(ind))
    checks.figure("indeterminate_final_applied", sum(1 for c in ind if c.cid in by_key))
    checks.figure("retried", sum(1 for c in cmds if len(c.attempts) > 1))
    checks.figure("replayed", sum(1 for c in acked if c.response and
                                  c.response.headers.get("idempotent-replayed") == "true"))
    checks.figure("events", len(events))


def version_gaps(events: list[Event]) -> list:
    seen: dict[str, int] = {}
    gaps = []
    for e in events:
        if not e.subject or "tenantry_aggregate_version" not in e.headers:
            continue
        expected = seen.get(e.subject, 0) + 1
        if e.version != expected:
            gaps.append((e.subject, e.offset, f"version {e.version}, expected {expected}"))
        seen[e.subject] = max(seen.get(e.subject, 0), e.version)
    return gaps


def check_read_model(checks: Checks, env: Env, schema: str, events: list[Event],
                     label: str = "read model") -> None:
    """The tenants table equals the fold of the log."""
    expected = fold_tenants(events)
    orphans = expected.pop("_orphans", [])
    checks.check("log: no tenant event before its creation", not orphans, str(orphans[:5]))
    actual = tenant_rows(env, schema)
    d = diff_tenants(expected, actual)
    checks.check(f"{label} equals the fold of the log ({len(expected)} tenants)", not d,
                 "; ".join(d))
