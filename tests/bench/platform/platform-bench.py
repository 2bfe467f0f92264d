#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Load bench of the platform on PostgreSQL (issue #18): 1, 2 and 4
receivers on one database, simulated kiosks on loopback.

Per receiver count: a fresh database, R receivers (no faults), then
KIOSKS kiosks each sending one heartbeat (one 60 s round of the fleet
compressed into the run) and CASES cases in all, each one page of PAGE
bytes (PATCH /v1/attachments, then POST /v1/cases), from CLIENTS client
processes of THREADS threads, each request to a receiver drawn at random
(a balancer). Prints a table: requests per second, cases per second,
p50/p99 latency of heartbeats, pages and cases, and the database's growth
per 10,000 cases (pg_database_size after minus before, scaled).

  platform-bench.py BUILD_DIR [--kiosks 5000] [--cases 2000] [--page 65536]
                    [--receivers 1,2,4] [--clients 2] [--threads 8]

Run under tests/platform/pg-run.sh (KIOSK_TEST_PG_URI and the PG* server);
meson: `meson test -C BUILD --benchmark platform-load`. The client is
Python: on a 2-core machine it competes with the receivers and PostgreSQL
for the cores, and the figures say so much about the machine as about the
platform (docs/platform.md).
"""

import argparse
import hashlib
import http.client
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def start_receiver(platform, target, tmp, k):
    out = os.path.join(tmp, "receiver%d.out" % k)
    with open(out, "w") as f, open(os.path.join(tmp, "receiver%d.err" % k), "w") as err:
        proc = subprocess.Popen([platform, "--listen", "127.0.0.1:0", "--db", target], stdout=f, stderr=err)
    deadline = time.time() + 30
    while time.time() < deadline:
        with open(out) as f:
            line = f.readline()
        if line.startswith("listening on "):
            hostport = line.split()[2].split("//", 1)[1].rstrip("/")
            host, port = hostport.rsplit(":", 1)
            return proc, (host, int(port))
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    sys.exit("platform-bench: the receiver did not start (see %s)" % tmp)


def psql(db, sql):
    return subprocess.run(["psql", "-XAtq", "-d", db, "-c", sql], check=True, capture_output=True, text=True).stdout


class Client:
    """Keep-alive connections, one per receiver, for one thread."""

    def __init__(self, receivers, seed):
        self.receivers = receivers
        self.conns = [None] * len(receivers)
        self.rand = random.Random(seed)

    def request(self, method, path, body, headers):
        k = self.rand.randrange(len(self.receivers))
        for _ in range(3):
            if self.conns[k] is None:
                self.conns[k] = http.client.HTTPConnection(*self.receivers[k], timeout=60)
            t0 = time.perf_counter()
            try:
                self.conns[k].request(method, path, body=body, headers=headers)
                r = self.conns[k].getresponse()
                r.read()
                return r.status, time.perf_counter() - t0
            except (OSError, http.client.HTTPException):
                self.conns[k].close()
                self.conns[k] = None
        return None, None


def worker(receivers, jobs, page_size, seed, out):
    """One client process: THREADS threads over its share of the jobs."""
    lat = {"heartbeat": [], "page": [], "case": []}
    errors = [0]
    lock = threading.Lock()
    it = iter(jobs)

    def run(t):
        c = Client(receivers, seed * 100 + t)
        rand = random.Random(seed * 1000 + t)
        while True:
            with lock:
                job = next(it, None)
            if job is None:
                return
            kind, kiosk, n = job
            if kind == "heartbeat":
                body = json.dumps({"kiosk_id": kiosk, "app_version": "0.1.0", "backlog": 0}).encode()
                status, dt = c.request("POST", "/v1/heartbeat", body,
                                       {"Content-Type": "application/json", "X-Kiosk-Id": kiosk})
                results = [("heartbeat", status, dt)]
            else:
                page = rand.randbytes(page_size)
                sha = hashlib.sha256(page).hexdigest()
                status, dt = c.request("PATCH", "/v1/attachments/" + sha, page, {
                    "Upload-Offset": "0", "Upload-Length": str(page_size),
                    "Content-Type": "application/offset+octet-stream", "X-Kiosk-Id": kiosk})
                results = [("page", status, dt)]
                body = json.dumps({
                    "provisional_number": "B-%s-%d" % (kiosk, n), "item_code": "RS-001",
                    "applicant": {"name": "测试", "id_number": "B%017d" % n},
                    "attachments": [{"sha256": sha, "size": page_size}]}).encode()
                status, dt = c.request("POST", "/v1/cases", body, {
                    "Content-Type": "application/json", "X-Kiosk-Id": kiosk, "Idempotency-Key": "bench-%d" % n})
                results.append(("case", status, dt))
            with lock:
                for what, status, dt in results:
                    if status in (200, 201):
                        lat[what].append(dt)
                    else:
                        errors[0] += 1

    threads = [threading.Thread(target=run, args=(t,)) for t in range(out["threads"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out["queue"].put((lat, errors[0]))


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--kiosks", type=int, default=5000)
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--page", type=int, default=65536)
    ap.add_argument("--receivers", default="1,2,4")
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--threads", type=int, default=8)
    args = ap.parse_args()

    base = os.environ.get("KIOSK_TEST_PG_URI")
    if not base:
        print("SKIP: no PostgreSQL (run under tests/platform/pg-run.sh)")
        return 77
    platform = os.path.join(os.path.abspath(args.build), "platform", "kiosk-platform")
    tmp = tempfile.mkdtemp(prefix="kiosk-pbench-")
    rows = []
    for r in [int(x) for x in args.receivers.split(",")]:
        name = "kiosk_bench_%d_%d" % (os.getpid(), r)
        subprocess.run(["createdb", name], check=True)
        target = (base + "/" if base.endswith("://") else base.rstrip("/") + "/") + name
        procs = []
        try:
            receivers = []
            for k in range(r):
                proc, addr = start_receiver(platform, target, tmp, k)
                procs.append(proc)
                receivers.append(addr)
            size0 = int(psql(name, "SELECT pg_database_size(current_database())"))
            # Heartbeats of every kiosk and the cases, interleaved.
            jobs = [("heartbeat", "K-%05d" % i, i) for i in range(args.kiosks)]
            jobs += [("case", "K-%05d" % (i % args.kiosks), i) for i in range(args.cases)]
            random.Random(r).shuffle(jobs)
            q = multiprocessing.Queue()
            t0 = time.perf_counter()
            ps = []
            for c in range(args.clients):
                p = multiprocessing.Process(
                    target=worker,
                    args=(receivers, jobs[c :: args.clients], args.page, c + 1, {"threads": args.threads, "queue": q}),
                )
                p.start()
                ps.append(p)
            lat = {"heartbeat": [], "page": [], "case": []}
            errors = 0
            for _ in ps:
                part, e = q.get()
                errors += e
                for k in lat:
                    lat[k] += part[k]
            for p in ps:
                p.join()
            elapsed = time.perf_counter() - t0
            psql(name, "CHECKPOINT")
            size1 = int(psql(name, "SELECT pg_database_size(current_database())"))
            cases = int(psql(name, "SELECT count(*) FROM cases"))
            n_req = sum(len(v) for v in lat.values())
            rows.append((r, n_req / elapsed, cases / elapsed, pct(lat["heartbeat"], 0.5), pct(lat["heartbeat"], 0.99),
                         pct(lat["page"], 0.5), pct(lat["page"], 0.99), pct(lat["case"], 0.5), pct(lat["case"], 0.99),
                         (size1 - size0) / max(cases, 1) * 10000 / 1e6, errors, cases))  # fmt: skip
        finally:
            for p in procs:
                p.kill()
                p.wait()
    print("platform load bench: %d kiosks (one heartbeat each), %d cases of one %d-byte page, %d client processes x %d"
          " threads, on %d cores" % (args.kiosks, args.cases, args.page, args.clients, args.threads, os.cpu_count()))
    print("%-9s %8s %8s %11s %11s %11s %11s %11s %11s %13s %6s" % (
        "receivers", "req/s", "cases/s", "hb p50 ms", "hb p99 ms", "page p50", "page p99", "case p50", "case p99",
        "MB/10k cases", "errors"))  # fmt: skip
    for row in rows:
        print("%-9d %8.0f %8.1f %11.1f %11.1f %11.1f %11.1f %11.1f %11.1f %13.0f %6d" % row[:11])
    bad = [row for row in rows if row[10] or row[11] != args.cases]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
