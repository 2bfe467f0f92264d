#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a command and measures it (tests/store/test-hostile.c).

    measure-run.py KILL_AFTER RESULT_FILE -- COMMAND [ARG...]

COMMAND inherits stdin, stdout and stderr; it is SIGKILLed after
KILL_AFTER seconds. RESULT_FILE gets "EXIT MAXRSS_KB SECONDS" (EXIT -1 when
killed by a signal). The peak RSS is the command's own: a process forked
from a large one (a test under AddressSanitizer) would count its parent's
pages until it execs, so the command is forked from this small process.
"""

import os
import sys
import time


def main():
    kill_after = float(sys.argv[1])
    result = sys.argv[2]
    argv = sys.argv[4:] if sys.argv[3] == "--" else sys.argv[3:]
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done == pid:
            break
        if time.monotonic() - start > kill_after:
            os.kill(pid, 9)
            done, status, usage = os.wait4(pid, 0)
            break
        time.sleep(0.02)
    seconds = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    with open(result, "w") as f:
        f.write("%d %d %.3f\n" % (code if code >= 0 else -1, usage.ru_maxrss, seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
