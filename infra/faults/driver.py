#!/usr/bin/env python3
"""Fault-injection driver (issue 3): runs the scenarios against real tenantryd processes,
the shared Kafka broker and PostgreSQL, prints each check, and `faults: N/N passed` last.
Exit status 0 only when every scenario passed. Run it through infra/faults.sh."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (ROOT, Checks, Env, delete_topics, drop_schema,  # noqa: E402
                    ensure_shared_services, log)

SCENARIOS = {
    1: "s1_writer_kill",
    2: "s2_kafka_kill",
    3: "s3_projector_faults",
    4: "s4_second_writer",
    5: "s5_delete_restore",
    6: "s6_limits",
    7: "s7_unstorable_text",
}


def run_scenario(env: Env, n: int) -> dict:
    module = importlib.import_module(SCENARIOS[n])
    checks = Checks(f"{n}")
    log(f"===== scenario {n}: {module.TITLE}")
    t0 = time.monotonic()
    try:
        ensure_shared_services(env)
        module.run(env, checks)
    except Exception as e:  # noqa: BLE001 - a crashed scenario fails, the run goes on
        checks.check("scenario ran to completion", False, f"{e!r}")
        traceback.print_exc()
    finally:
        for server in env.servers:  # whatever a failed scenario left running
            if server.alive():
                server.kill9()
        env.servers.clear()
        try:
            ensure_shared_services(env)
        except Exception as e:  # noqa: BLE001
            checks.check("Kafka and PostgreSQL running afterwards", False, repr(e))
    secs = time.monotonic() - t0
    failed = [name for name, ok, _ in checks.items if not ok]
    log(f"===== scenario {n}: {'PASSED' if checks.passed else 'FAILED'} in {secs:.0f} s"
        + (f" (failed: {'; '.join(failed)})" if failed else ""))
    return {"scenario": n, "title": module.TITLE, "passed": checks.passed,
            "seconds": round(secs, 1), "figures": checks.figures,
            "checks": [{"name": a, "ok": b, "detail": c} for a, b, c in checks.items]}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--small", action="store_true", help="the small CI-sized runs")
    p.add_argument("--tenantryd", required=True, help="path of the tenantryd binary")
    p.add_argument("--only", default="", help="comma-separated scenario numbers, e.g. 1,4")
    p.add_argument("--keep", action="store_true", help="keep topics, schemas and logs")
    p.add_argument("--results", default="", help="write a JSON summary here")
    args = p.parse_args()

    var_dir = Path(os.environ.get("TENANTRY_VAR_DIR", ROOT / "var"))
    run_id = time.strftime("%m%d%H%M%S") + f"{os.getpid() % 1000:03d}"
    work_dir = var_dir / "faults" / run_id
    work_dir.mkdir(parents=True, exist_ok=True)
    env = Env.from_environment(args.tenantryd, var_dir, work_dir, run_id, small=args.small,
                               keep=args.keep)
    chosen = [int(x) for x in args.only.split(",") if x.strip()] or sorted(SCENARIOS)
    log(f"faults: {'small' if args.small else 'full'} run {run_id} of scenarios {chosen} with "
        f"{env.tenantryd}; logs in {work_dir}")

    # ctest's timeout (or Ctrl-C) must still restart Kafka and PostgreSQL and clean up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = []
    try:
        for n in chosen:
            results.append(run_scenario(env, n))
    finally:
        for server in env.servers:
            if server.alive():
                server.kill9()
        ensure_shared_services(env)
        if not env.keep:
            delete_topics(env, env.created_topics)
            for s in env.created_schemas:
                drop_schema(env, s)
            if results and all(r["passed"] for r in results):
                shutil.rmtree(work_dir, ignore_errors=True)  # logs kept only for failures
    if args.results:
        Path(args.results).write_text(json.dumps({"run": run_id, "small": args.small,
                                                  "results": results}, indent=2))
    print()
    for r in results:
        print(f"scenario {r['scenario']} ({r['title']}): {'passed' if r['passed'] else 'FAILED'}"
              f" in {r['seconds']:.0f} s; {json.dumps(r['figures'])}")
    passed = sum(1 for r in results if r["passed"])
    print(f"faults: {passed}/{len(results)} passed", flush=True)
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
