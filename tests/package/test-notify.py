#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue #17: the kiosk speaks systemd's notification protocol (what
# kiosk.service's Type=notify and WatchdogSec= rely on): READY=1 after the
# first frame, WATCHDOG=1 from the main loop at half WATCHDOG_USEC (and none
# while the main loop is stopped), STOPPING=1 on SIGTERM; no pings when
# WATCHDOG_PID names another process. Needs DISPLAY (skips without one).
#   test-notify.py KIOSK
import os, signal, socket, subprocess, sys, tempfile, time

kiosk = sys.argv[1]
if not os.environ.get("DISPLAY"):
    print("1..0 # SKIP no display")
    sys.exit(0)

n = 0
failed = False


def check(desc, ok):
    global n, failed
    n += 1
    print(("ok" if ok else "not ok") + f" {n} - {desc}", flush=True)
    failed |= not ok


def receive(sock, until, want=None):
    got = []
    while time.monotonic() < until:
        sock.settimeout(max(0.01, until - time.monotonic()))
        try:
            msg = sock.recv(4096).decode()
        except socket.timeout:
            break
        got.append(msg)
        if want is not None and want(got):
            break
    return got


tmp = tempfile.TemporaryDirectory(prefix="kiosk-notify-test.")
d = tmp.name
os.mkdir(os.path.join(d, "store"))
with open(os.path.join(d, "kiosk.conf"), "w") as f:
    f.write(f"""[kiosk]
id=test-0001
station=测试村便民服务站
[store]
path={d}/store/kiosk.db
[platform]
url=http://127.0.0.1:9/
allow-http=true
[idcard]
backend=real
ports={d}/no-such-tty
[camera]
backend=real
[pad]
backend=real
[printer]
backend=real
""")


def start(env_extra):
    path = os.path.join(d, "notify-%d.sock" % n)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    env = dict(os.environ, NOTIFY_SOCKET=path, LANG="C.UTF-8", G_MESSAGES_DEBUG="all", **env_extra)
    proc = subprocess.Popen([kiosk, "--config", os.path.join(d, "kiosk.conf"), "--windowed"], env=env,
                            stdout=open(os.path.join(d, "kiosk-%d.log" % n), "w"), stderr=subprocess.STDOUT)
    return sock, proc


def stop(proc):
    """The exit status; SIGTERM only if it is not already on its way out."""
    proc.send_signal(signal.SIGCONT)
    try:
        return proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.terminate()
    try:
        return proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


# 1: READY=1, pings at half the interval, none while stopped, STOPPING=1.
sock, proc = start({"WATCHDOG_USEC": "400000"})
try:
    got = receive(sock, time.monotonic() + 60, lambda g: "READY=1" in g)
    check("READY=1 after the first frame", "READY=1" in got)
    start_t = time.monotonic()
    got = receive(sock, start_t + 1.2)
    pings = sum(m == "WATCHDOG=1" for m in got)
    print(f"# {pings} WATCHDOG=1 in 1.2 s (interval 0.2 s)")
    check("WATCHDOG=1 repeatedly at half WATCHDOG_USEC", pings >= 2)
    proc.send_signal(signal.SIGSTOP)
    time.sleep(0.1)
    receive(sock, time.monotonic() + 0.05)  # drain what was in flight
    got = receive(sock, time.monotonic() + 0.8)
    check("no WATCHDOG=1 while the main loop is stopped", "WATCHDOG=1" not in got)
    proc.send_signal(signal.SIGCONT)
    got = receive(sock, time.monotonic() + 30, lambda g: "WATCHDOG=1" in g)
    check("pings resume with the main loop", "WATCHDOG=1" in got)
    proc.terminate()
    got = receive(sock, time.monotonic() + 30, lambda g: "STOPPING=1" in g)
    check("STOPPING=1 on SIGTERM", "STOPPING=1" in got)
finally:
    rc = stop(proc)
    sock.close()
print(f"# exit status {rc}")
check("exits 0 on SIGTERM", rc == 0)

# 2: WATCHDOG_PID of another process: READY=1 but no pings.
sock, proc = start({"WATCHDOG_USEC": "200000", "WATCHDOG_PID": "1"})
try:
    got = receive(sock, time.monotonic() + 60, lambda g: "READY=1" in g)
    got += receive(sock, time.monotonic() + 0.8)
    check("WATCHDOG_PID of another process: READY=1, no WATCHDOG=1",
          "READY=1" in got and "WATCHDOG=1" not in got)
finally:
    proc.terminate()
    stop(proc)
    sock.close()

print(f"1..{n}")
if failed:
    # What the kiosk said, for the technician reading the CI log.
    for name in sorted(os.listdir(d)):
        if name.endswith(".log"):
            with open(os.path.join(d, name), errors="replace") as f:
                sys.stderr.write(f"--- {name}\n{f.read()[-8000:]}\n")
sys.exit(1 if failed else 0)
