#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two receivers on one PostgreSQL database (issue #18 point 1), end to end.

Two kiosk-platform processes on one database, both injecting faults
(--fault-*), behind tests/store/lossy-proxy.py as a lossy load balancer
(each connection to one receiver drawn at random); KIOSKS simulated kiosks
(each its own queue and `kioskctl`, CASES cases of PAGES pages) sync through
it, PARALLEL at a time, again until each queue is empty. Meanwhile the same
case with the same Idempotency-Key is posted to both receivers at the same
instant DUPLICATES times. Checked on the database's side: every case stored
exactly once with the official number its kiosk recorded, official numbers
distinct, every attachment byte-identical (read through both receivers),
no checksum failure, both simultaneous posts answered with one number.

  two-receivers.py BUILD_DIR [--kiosks 40] [--cases 3] [--pages 2]
                   [--parallel 8] [--duplicates 20] [--timeout 300] [--seed 5]

The database: --db URI, else a new database on the server named by the PG*
variables (tests/platform/pg-run.sh, under pg_virtualenv) when
KIOSK_TEST_PG_URI is set; exit 77 (skip) otherwise. Reuses lossy-link.py's
start() and get().
"""

import argparse
import hashlib
import http.client
import importlib.util
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
STORE = os.path.join(HERE, "..", "store")

_spec = importlib.util.spec_from_file_location("lossy_link", os.path.join(STORE, "lossy-link.py"))
lossy_link = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lossy_link)
start, get = lossy_link.start, lossy_link.get

FAULTS = [
    "--fault-drop", "0.02", "--fault-reset", "0.04", "--fault-truncate", "0.04", "--fault-500", "0.02",
    "--fault-503", "0.02", "--retry-after", "0", "--fault-delay", "0.03", "--delay-ms", "300",
]  # fmt: skip


def post(url, path, body, key, kiosk):
    req = urllib.request.Request(
        url + path.lstrip("/"),
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Idempotency-Key": key, "X-Kiosk-Id": kiosk},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, None
    except (OSError, ValueError, http.client.HTTPException):
        return None, None


def duplicate_storm(urls, n, problems, seed):
    """The same case, the same key, posted to both receivers at once (as a
    balancer retrying a slow request elsewhere would); each side retries
    through the receivers' injected faults until answered."""
    rand = random.Random(seed)
    stored = 0
    for i in range(n):
        body = json.dumps(
            {
                "provisional_number": "DUP-%d" % i,
                "item_code": "RS-001",
                "applicant": {"name": "测试", "id_number": "DUP%015d" % rand.randrange(10**15)},
            }
        ).encode()
        answers = [None, None]

        def send(k):
            for _ in range(50):
                status, reply = post(urls[k], "/v1/cases", body, "dup-key-%d" % i, "K-DUP")
                if status in (200, 201) and reply and reply.get("official_number"):
                    answers[k] = reply["official_number"]
                    return
                time.sleep(0.05)

        threads = [threading.Thread(target=send, args=(k,)) for k in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if None in answers:
            problems.append("duplicate %d: a receiver never answered" % i)
        elif answers[0] != answers[1]:
            problems.append("duplicate %d: the receivers gave %s and %s" % (i, answers[0], answers[1]))
        else:
            stored += 1
    return stored


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--kiosks", type=int, default=40)
    ap.add_argument("--cases", type=int, default=3)
    ap.add_argument("--pages", type=int, default=2)
    ap.add_argument("--parallel", type=int, default=8)
    ap.add_argument("--duplicates", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()

    build = os.path.abspath(args.build)
    platform = os.path.join(build, "platform", "kiosk-platform")
    kioskctl = os.path.join(build, "tools", "kioskctl")
    target = args.db
    if target is None:
        base = os.environ.get("KIOSK_TEST_PG_URI")
        if not base:
            print("SKIP: no PostgreSQL (run under tests/platform/pg-run.sh, or give --db postgresql://...)")
            return 77
        name = "kiosk_two_%d" % os.getpid()
        subprocess.run(["createdb", name], check=True)
        target = base.rstrip("/") + "/" + name if not base.endswith("://") else base + "/" + name

    tmp = tempfile.mkdtemp(prefix="kiosk-two-", dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
    procs = []
    problems = []
    ok = False
    rand = random.Random(args.seed)
    try:
        urls = []
        for k in (0, 1):
            proc, url = start(
                [platform, "--listen", "127.0.0.1:0", "--db", target, "--seed", str(args.seed + k)] + FAULTS,
                os.path.join(tmp, "receiver%d.out" % k),
                os.path.join(tmp, "receiver%d.err" % k),
            )
            procs.append(proc)
            urls.append(url)
        stats_path = os.path.join(tmp, "proxy.json")
        proxy, proxy_url = start(
            [
                sys.executable, os.path.join(STORE, "lossy-proxy.py"),
                "--upstream", ",".join(u.split("//", 1)[1].rstrip("/") for u in urls),
                "--seed", str(args.seed), "--stats", stats_path,
                "--refuse", "0.04", "--busy", "0.04", "--stall", "0.01", "--reset", "0.04", "--cut", "0.04",
                "--stall-min", "1", "--stall-max", "2", "--max-requests", "2",
            ],
            os.path.join(tmp, "proxy.out"),
            os.path.join(tmp, "proxy.err"),
        )  # fmt: skip
        procs.append(proxy)

        # The kiosks, each with its queue of cases.
        kiosks = []
        t0 = time.time()
        seeding = []
        for i in range(args.kiosks):
            kid = "K-TWO-%03d" % i
            db = os.path.join(tmp, "%s.db" % kid)
            conf = os.path.join(tmp, "%s.conf" % kid)
            with open(conf, "w") as f:
                f.write(
                    "[kiosk]\nid=%s\nstation=two\n[store]\npath=%s\nmin-free-mb=0\n"
                    "[platform]\nurl=%s\nallow-http=true\ntimeout-seconds=5\n" % (kid, db, proxy_url)
                )
            kiosks.append((kid, conf, db))
            seeding.append(
                subprocess.Popen(
                    [kioskctl, "--config", conf, "demo", "seed", "--cases", str(args.cases), "--pages",
                     str(args.pages), "--page-size", "96x128", "--seed", str(args.seed * 100000 + i * 1000)],
                    stdout=subprocess.DEVNULL,
                )  # fmt: skip
            )
            if len(seeding) >= args.parallel:
                for p in seeding:
                    if p.wait() != 0:
                        problems.append("seeding failed")
                seeding = []
        for p in seeding:
            if p.wait() != 0:
                problems.append("seeding failed")
        t_seed = time.time() - t0

        # The duplicate storm runs beside the kiosks' sync.
        dup_result = {}
        storm = threading.Thread(
            target=lambda: dup_result.update(n=duplicate_storm(urls, args.duplicates, problems, args.seed))
        )
        storm.start()

        # Sync: PARALLEL kiosks at a time, in random order, each run again
        # until its queue is empty.
        t0 = time.time()
        pending = list(kiosks)
        rand.shuffle(pending)
        running = []
        log = open(os.path.join(tmp, "sync.log"), "w")
        runs = 0
        while (pending or running) and time.time() - t0 < args.timeout:
            while pending and len(running) < args.parallel:
                kid, conf, db = pending.pop()
                left = max(5, int(args.timeout - (time.time() - t0)))
                p = subprocess.Popen(
                    [kioskctl, "--config", conf, "sync", "run", "--until-empty", "--timeout", str(min(left, 120))],
                    stdout=log,
                    stderr=log,
                )
                running.append((p, (kid, conf, db)))
                runs += 1
            time.sleep(0.05)
            still = []
            for p, k in running:
                if p.poll() is None:
                    still.append((p, k))
                elif p.returncode != 0:
                    pending.insert(0, k)  # not empty yet (or the link lost it): again
            running = still
        for p, k in running:
            p.kill()
            p.wait()
            problems.append("%s: sync still running at the bound" % k[0])
        t_sync = time.time() - t0
        storm.join()
        log.close()

        # The database's side, through receiver 0 (admin routes see no faults).
        stats = json.loads(get(urls[0], "/v1/admin/stats"))
        listed = json.loads(get(urls[0], "/v1/admin/cases"))
        with open(stats_path) as f:
            fates = json.load(f)
        seen = {}
        officials = {}
        for c in listed:
            key = (c["kiosk_id"], c["provisional_number"])
            seen[key] = seen.get(key, 0) + 1
            officials.setdefault(c["official_number"], []).append(key)
        for number, keys in officials.items():
            if len(keys) > 1:
                problems.append("official number %s given to %d cases" % (number, len(keys)))
        expected = args.kiosks * args.cases + dup_result.get("n", 0)
        if stats.get("cases") != expected or len(listed) != expected:
            problems.append("the database holds %s cases, %d were filed" % (stats.get("cases"), expected))
        shas = set()
        for kid, conf, db in kiosks:
            con = sqlite3.connect(db)
            local = dict(con.execute("SELECT provisional_number, official_number FROM cases"))
            shas.update(r[0] for r in con.execute("SELECT sha256 FROM attachments"))
            left = con.execute("SELECT count(*) FROM outbox WHERE state = 0").fetchone()[0]
            con.close()
            if left:
                problems.append("%s: %d items still pending" % (kid, left))
            for number, official in local.items():
                n = seen.get((kid, number), 0)
                if n != 1:
                    problems.append("%s case %s stored %d times" % (kid, number, n))
                elif official is None or (kid, number) not in officials.get(official, []):
                    problems.append("%s case %s: the kiosk's official number %s is not the database's" % (
                        kid, number, official))  # fmt: skip
        if stats.get("attachment_checksum_failures", 0) != 0:
            problems.append("%d attachment checksum failures" % stats["attachment_checksum_failures"])
        for i, sha in enumerate(sorted(shas)):
            url = urls[i % 2]  # half through each receiver
            try:
                body = get(url, "/v1/attachments/%s/content" % sha)
            except urllib.error.HTTPError as e:
                problems.append("attachment %s not stored (HTTP %d)" % (sha[:12], e.code))
                continue
            if hashlib.sha256(body).hexdigest() != sha:
                problems.append("attachment %s stored damaged" % sha[:12])
        per_receiver = [json.loads(get(u, "/v1/admin/stats")).get("requests") for u in urls]

        print(
            "two receivers: %d kiosks x %d cases x %d pages (seeded in %.1f s), synced in %.1f s "
            "(%d kioskctl runs, %d at a time); %d duplicate pairs posted to both receivers at once"
            % (args.kiosks, args.cases, args.pages, t_seed, t_sync, runs, args.parallel, dup_result.get("n", 0))
        )
        print(
            "database: %s cases, %s attachments (%d verified), %s duplicates absorbed, %s checksum failures; "
            "requests per receiver %s, faults injected %s"
            % (
                stats.get("cases"),
                stats.get("attachments"),
                len(shas),
                stats.get("duplicate_submissions"),
                stats.get("attachment_checksum_failures"),
                per_receiver,
                [json.loads(get(u, "/v1/admin/stats")).get("faults_injected") for u in urls],
            )
        )
        print("balancer fates: %s" % json.dumps(fates, sort_keys=True))
        for p in problems[:20]:
            print("PROBLEM: " + p)
        ok = not problems
        if ok and (fates.get("upstream_0", 0) == 0 or fates.get("upstream_1", 0) == 0):
            print("PROBLEM: the balancer used one receiver only")
            ok = False
    finally:
        for p in procs:
            p.kill()
            p.wait()
        if ok and not os.environ.get("KIOSK_KEEP_TEST_FILES"):
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("files kept in " + tmp)
            for k in (0, 1):
                path = os.path.join(tmp, "receiver%d.err" % k)
                if os.path.exists(path):
                    with open(path) as f:
                        tail = f.read()[-1500:]
                    if tail.strip():
                        print("receiver %d stderr: %s" % (k, tail))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
