#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The kiosk program itself, as tools/demo and the startup benchmark run it:
# it starts on the display, writes a screenshot of its first frame (or of a
# frame a few seconds later) and quits cleanly, also while its devices are
# still starting (libcamera on a worker thread). Needs DISPLAY (skips
# without one).
#   test-kiosk-binary.sh KIOSK
kiosk=$1
[ -n "${DISPLAY:-}" ] || { echo "1..0 # SKIP no display"; exit 0; }
tmp=$(mktemp -d /tmp/kiosk-binary-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
check() { # description command...
    n=$((n + 1)); d=$1; shift
    if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fail=1; fi
}
png() { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }

# Real backends with nothing plugged in, as on a fresh kiosk.
cat >"$tmp/kiosk.conf" <<CONF
[kiosk]
id=test-0001
station=测试村便民服务站
[store]
path=$tmp/store/kiosk.db
[platform]
url=http://127.0.0.1:9/
allow-http=true
[idcard]
backend=real
ports=$tmp/no-such-tty
[camera]
backend=real
[pad]
backend=real
[printer]
backend=real
CONF
mkdir -p "$tmp/store"

# Quit at once after the first frame, five times: the devices are still
# starting every time.
ok=true
for i in 1 2 3 4 5; do
    rm -f "$tmp/first.png"
    timeout 60 "$kiosk" --config "$tmp/kiosk.conf" --screenshot "$tmp/first.png" --quit-after-screenshot \
        >"$tmp/out-$i.log" 2>&1 || { echo "# run $i exited $?"; tail -n 5 "$tmp/out-$i.log" | sed 's/^/# /'; ok=false; }
    png "$tmp/first.png" || { echo "# run $i wrote no PNG"; ok=false; }
done
check "first-frame screenshot and a clean exit, 5 runs" $ok

timeout 60 "$kiosk" --config "$tmp/kiosk.conf" --screenshot "$tmp/later.png" --screenshot-delay 2 \
    --quit-after-screenshot >"$tmp/later.log" 2>&1
rc=$?
check "--screenshot-delay 2 exits 0" [ $rc -eq 0 ]
check "--screenshot-delay 2 writes a PNG" png "$tmp/later.png"

"$kiosk" --config "$tmp/kiosk.conf" --screenshot-delay -1 >/dev/null 2>&1
rc=$?
check "a bad --screenshot-delay exits 2" [ $rc -eq 2 ]
"$kiosk" --config "$tmp/missing.conf" >/dev/null 2>"$tmp/missing.log"
rc=$?
check "a missing configuration exits 2, naming the file" \
    sh -c "[ $rc -eq 2 ] && grep -q missing.conf '$tmp/missing.log'"

echo "1..$n"
exit $fail
