#!/usr/bin/env python3
"""Schemathesis against tenantryd's own OpenAPI document (issue 11, hole 12).

Starts tenantryd on its own topic and schema, logs in as the bootstrap admin and runs
`st run` on /v1/openapi.json with every check for a bounded time. Passes only when
schemathesis found nothing (no 5xx, no schema-valid request refused, every response as
documented), tenantryd is still up with nothing from the sanitizers in its log, and the
projector has caught up with the log without stopping at any event.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here.parent / "faults"))

from common import (Client, Env, Server, delete_topics, drop_schema, log, login,  # noqa: E402
                    read_log)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--tenantryd", required=True)
    p.add_argument("--st", required=True, help="the schemathesis command (st)")
    p.add_argument("--max-time", type=int, default=60, help="seconds schemathesis runs")
    p.add_argument("--work-dir", required=True)
    p.add_argument("--keep", action="store_true", help="keep the topic and schema")
    args, st_args = p.parse_known_args()

    # st runs in the work directory: a relative path to it must not depend on that.
    st = shutil.which(args.st) or args.st
    st = str(Path(st).resolve()) if "/" in st else st
    work_dir = Path(args.work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex[:8]
    env = Env.from_environment(args.tenantryd, work_dir, work_dir, run_id, small=True,
                               keep=args.keep)
    topic = f"conformance_{run_id}"
    schema = f"conformance_{run_id}"
    server = Server(env, "tenantryd", topic, schema)
    failures: list[str] = []
    try:
        server.start()
        token = login(server.port)
        base = f"http://127.0.0.1:{server.port}"
        cmd = [st, "--config-file", str(here / "schemathesis.toml"), "run",
               f"{base}/v1/openapi.json", "--max-time", str(args.max_time),
               "-H", f"Authorization: Bearer {token}",
               # Every read carries a token the server did issue (offset 0, the bootstrap
               # admin's registration): a schema cannot say which offsets the log holds, and
               # one ahead of it is answered 503 not_yet_consistent after the wait.
               "-H", "X-Consistency-Token: t1.0", *st_args]
        log(f"conformance: {' '.join(c if 'Bearer' not in c else 'Authorization: Bearer …' for c in cmd)}")
        set_aside = work_dir / "set-aside.txt"
        set_aside.unlink(missing_ok=True)
        st_env = dict(os.environ, NO_COLOR="1", SCHEMATHESIS_HOOKS="conformance_hooks",
                      PYTHONPATH=str(here), CONFORMANCE_SET_ASIDE=str(set_aside))
        rc = subprocess.run(cmd, cwd=work_dir, env=st_env).returncode
        if set_aside.exists():
            counts = Counter(set_aside.read_text().splitlines())
            log(f"conformance: {sum(counts.values())} answers set aside as the documented "
                "answer to a rule no schema can state (conformance_hooks.py):")
            for line, n in counts.most_common():
                log(f"  {n:5d}  {line}")
        if rc != 0:
            failures.append(f"schemathesis found failures (exit status {rc})")
        if server.alive():
            me = Client(server.port, token).request("GET", "/v1/users/me")
            if me.status != 200:
                failures.append(f"the admin's token no longer works after the run ({me.status}): "
                                "the run stopped testing anything")
        if not server.alive():
            failures.append("tenantryd is not running after the run")
        else:
            events = read_log(env, topic)
            end = events[-1].offset + 1 if events else 0
            if not server.wait_projected(end, 300):
                failures.append(f"the projector did not reach the end of the log ({end}); "
                                f"it is at {server.projector_position()}")
            status, body = server.readyz()
            if status != 200 or "projector_fault" in body:
                failures.append(f"/readyz answers {status} {body}")
            log(f"conformance: {len(events)} events written, projector caught up")
            code = server.terminate()
            if code != 0:
                failures.append(f"tenantryd exited with status {code} on SIGTERM")
        text = server.log_text()
        for marker in ("AddressSanitizer", "runtime error:", "[critical]"):
            if marker in text:
                failures.append(f"tenantryd's log holds {marker!r} (see {server.log_path})")
    finally:
        for s in env.servers:
            if s.alive():
                s.kill9()
        if not args.keep:
            delete_topics(env, [topic])
            drop_schema(env, schema)
    for f in failures:
        log(f"conformance: FAILED: {f}")
    if not failures:
        log("conformance: passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
