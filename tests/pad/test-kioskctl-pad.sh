#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# kioskctl pad test: one JSON line per key press until interrupted (SIGINT
# exits 0). Driven through the sim backend's FIFO, and (when umockdev-run
# is there) through the real libusb backend against the emulated pad.
#   test-kioskctl-pad.sh KIOSKCTL SOURCE_DIR
set -u
kioskctl=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

mkfifo "$tmp/pad.fifo"
cat > "$tmp/kiosk.conf" <<CONF
[kiosk]
id=k1
station=test
[store]
path=$tmp/store.db
[platform]
url=https://platform.example/
[pad]
backend=sim
sim-input=$tmp/pad.fifo
CONF

"$kioskctl" --config "$tmp/kiosk.conf" --json pad test >"$tmp/out" 2>"$tmp/err" &
pid=$!
# Hold the FIFO open for writing while the lines go in.
exec 3<>"$tmp/pad.fifo"
printf '01\n00\n05\n00\n3f\n00\n\n06\n06\n00\n' >&3
i=0
while [ "$(wc -l <"$tmp/out")" -lt 3 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.2
kill -INT $pid
wait $pid
rc=$?
exec 3>&-
[ $rc -eq 0 ] && ok "SIGINT exits 0" || not_ok "SIGINT exits 0 (got $rc; stderr: $(cat "$tmp/err"))"
[ "$(wc -l <"$tmp/out")" -eq 3 ] && ok "one line per key press (3)" || not_ok "3 lines expected, got: $(cat "$tmp/out")"
python3 - "$tmp/out" <<'PY' && ok "lines are JSON with key, level, report" || not_ok "JSON content: $(cat "$tmp/out")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
want = [("very-satisfied", 1, "01"), ("very-dissatisfied", 5, "05"), ("confirm", None, "06")]
got = [(l["key"], l["level"], l["value"]) for l in lines]
assert got == want, got
assert all(l["event"] == "key" and l["report"] and l["time"] for l in lines)
PY

# Without --json: the same presses as text.
"$kioskctl" --config "$tmp/kiosk.conf" pad test --count 2 >"$tmp/text" 2>"$tmp/err" &
pid=$!
exec 3<>"$tmp/pad.fifo"
printf '02\n00\n06\n00\n' >&3
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill $pid 2>/dev/null
wait $pid
rc=$?
exec 3>&-
[ $rc -eq 0 ] && [ "$(cat "$tmp/text")" = "key satisfied  level 2  value 02  report 02
key confirm  level -  value 06  report 06" ] && ok "without --json: one text line per press" \
    || not_ok "text lines (exit $rc): $(cat "$tmp/text")"

"$kioskctl" --config "$tmp/kiosk.conf" pad bogus >/dev/null 2>&1
[ $? -eq 2 ] && ok "unknown subcommand exits 2" || not_ok "unknown subcommand exits 2"

umockdev_run=$(command -v umockdev-run || true)
if [ -n "$umockdev_run" ]; then
    cat > "$tmp/usb.conf" <<CONF
[kiosk]
id=k1
station=test
[store]
path=$tmp/store.db
[platform]
url=https://platform.example/
[pad]
backend=real
usb-ids=2a0e:0101
CONF
    ASAN_OPTIONS=verify_asan_link_order=0:intercept_tls_get_addr=0 timeout 20 "$umockdev_run" -d "$src/tests/pad/data/pad.umockdev" \
        -i "/dev/bus/usb/001/005=$src/tests/pad/data/pad.ioctl" -- \
        "$kioskctl" --config "$tmp/usb.conf" --json pad test --raw --count 3 >"$tmp/usb" 2>"$tmp/usberr"
    rc=$?
    [ $rc -eq 0 ] && ok "real backend (umockdev): --count 3 exits 0" || not_ok "umockdev run exit $rc: $(tail -5 "$tmp/usberr")"
    keys=$(grep -c '"event":"key"' "$tmp/usb")
    [ "$keys" -eq 3 ] && ok "real backend: 3 key lines" || not_ok "real backend key lines: $(cat "$tmp/usb")"
    grep -q '"kind":"unmapped","value":"3f"' "$tmp/usb" && ok "--raw shows the unmapped value" || not_ok "--raw: $(cat "$tmp/usb")"
fi
echo "1..$n"
exit $fail
