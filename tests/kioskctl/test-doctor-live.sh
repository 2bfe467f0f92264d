#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# kioskctl against a running kiosk with simulated devices (as tools/demo
# runs it): doctor and print status report what the kiosk sees (its state
# file), every command leaves the kiosk's devices alone (the ID card
# simulator's control socket survives), and the kiosk still reads a card
# placed afterwards. Needs a display: runs itself under xvfb-run when there
# is none.
#   test-doctor-live.sh KIOSK KIOSKCTL IDCARD_SIM KIOSK_PLATFORM SOURCE_DIR
set -u
if [ -z "${DISPLAY:-}" ]; then
    command -v xvfb-run >/dev/null || { echo "1..0 # SKIP no display and no xvfb-run"; exit 0; }
    exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" sh "$0" "$@"
fi
kiosk=$1
kioskctl=$2
idcard_sim=$3
platform_bin=$4
src=$5
tap_name=live; . "$(dirname "$0")/tap-lib.sh"
state_file=$tmp/store/kiosk.db.state.json
# state_value KEY: a top-level value of the kiosk's state file
state_value() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$state_file" "$1" 2>/dev/null; }
# wait_for SECONDS COMMAND...: polls until COMMAND succeeds
wait_for() {
    deadline=$(( $(date +%s) + $1 )); shift
    while [ "$(date +%s)" -le "$deadline" ]; do "$@" && return 0; sleep 0.2; done
    return 1
}

"$platform_bin" --listen 127.0.0.1:0 --db "$tmp/platform.db" >"$tmp/platform.out" 2>"$tmp/platform.err" &
platform_pid=$!
wait_for 30 grep -q '^listening on ' "$tmp/platform.out" || { echo "Bail out! platform did not start"; exit 1; }
url=$(sed -n 's/^listening on //p' "$tmp/platform.out" | head -1)

sock=$tmp/idcard-sim.sock
cat >"$tmp/kiosk.conf" <<CONF
[kiosk]
id=k-live-1
station=测试村便民服务站
[store]
path=$tmp/store/kiosk.db
[platform]
url=$url
allow-http=true
heartbeat-seconds=5
[ui]
fullscreen=false
width=1280
height=800
[idcard]
backend=sim
sim-cards=$src/drivers/idcard/fixtures
sim-control=$sock
sim-auto-place=0
[camera]
backend=sim
sim-images=$src/drivers/camera/sim-images
[pad]
backend=sim
[printer]
backend=sim
sim-spool=$tmp/spool
CONF
c="--config $tmp/kiosk.conf"

"$kiosk" $c >"$tmp/kiosk.log" 2>&1 &
kiosk_pid=$!
# Ready: every device, as the kiosk writes in its state file.
all_ready() {
    [ -S "$sock" ] && python3 -c "import json,sys
d=json.load(open(sys.argv[1]))
assert all(x['state']=='ready' for x in d['devices'].values())" "$state_file" 2>/dev/null
}
if wait_for 120 all_ready; then ok "the kiosk runs, writes its state file and its devices are ready"; else
    not_ok "the kiosk did not get ready"; tail -n 20 "$tmp/kiosk.log" | sed 's/^/# /'; echo "1..$n"; exit 1
fi
mode=$(stat -c %a "$state_file")
[ "$mode" = 600 ] && ok "the state file is the kiosk user's alone (0600)" || not_ok "state file mode $mode"
if grep -q '张三\|440304199001011233' "$state_file"; then not_ok "personal data in the state file"; else
    ok "no personal data in the state file"; fi
sock_inode=$(stat -c %i "$sock")

# ---- every kioskctl command a technician may run while the kiosk runs ----
"$kioskctl" $c doctor --timeout 10 >"$tmp/doctor.txt" 2>"$tmp/doctor.err"; rc=$?
[ $rc -eq 0 ] && ok "doctor against the running kiosk: exit 0, no finding" \
    || { not_ok "doctor: exit $rc"; grep '!' "$tmp/doctor.txt" | sed 's/^/# /'; }
grep -q "idcard   sim   ready (as the kiosk sees it; in use by the kiosk)" "$tmp/doctor.txt" \
    && ok "doctor text: the reader in use by the kiosk" || not_ok "doctor text: $(grep idcard "$tmp/doctor.txt")"
"$kioskctl" $c --json doctor --timeout 10 >"$tmp/doctor.json" 2>/dev/null
pycheck "doctor --json: the running kiosk, each device from its state file, the platform asked" "
k=d['kiosk']
assert k['running'] and k['status']=='running' and k['pid']==$kiosk_pid, k
dev={x['kind']: x for x in d['devices']['devices']}
assert sorted(dev)==['camera','idcard','pad','printer']
assert all(x['source']=='kiosk' and x['in_use_by_kiosk'] and x['state']=='ready' for x in dev.values()), dev
p=d['platform']
assert p['reachable'] and p['kiosk_known'] is True and abs(p['clock_skew_seconds'])<=5
assert d['ok'] is True" <"$tmp/doctor.json"
"$kioskctl" $c --json print status >"$tmp/print.json" 2>/dev/null; rc=$?
pycheck "print status --json: the kiosk's printer, not a new simulator (exit $rc)" "
assert d['source']=='kiosk' and d['in_use_by_kiosk'] and d['state']=='ready' and $rc==0, d" <"$tmp/print.json"
"$kioskctl" $c --json idcard read --timeout 2 >"$tmp/read.json" 2>/dev/null; rc=$?
pycheck "idcard read is refused: the reader is in use by the kiosk" "
assert d['error']=='in-use' and $rc==1" <"$tmp/read.json"
"$kioskctl" $c --json pad test --count 1 >"$tmp/pad.json" 2>/dev/null; rc=$?
pycheck "pad test is refused: the pad is in use by the kiosk" "
assert d['ok'] is False and 'in use by the kiosk' in d['error'] and $rc==1" <"$tmp/pad.json"
"$kioskctl" $c --json camera list >/dev/null 2>&1
"$kioskctl" $c --json queue status >/dev/null 2>&1
"$kioskctl" $c --json print test-page >/dev/null 2>&1
# Even a second simulator on the same socket leaves the live one alone.
"$idcard_sim" --cards="$src/drivers/idcard/fixtures" --link="$tmp/tty2" --control="$sock" >"$tmp/sim2.out" 2>&1; rc=$?
[ $rc -ne 0 ] && grep -q "in use" "$tmp/sim2.out" && ok "a second idcard-sim refuses the live control socket" \
    || not_ok "second idcard-sim: exit $rc $(cat "$tmp/sim2.out")"

[ -S "$sock" ] && [ "$(stat -c %i "$sock")" = "$sock_inode" ] \
    && ok "the simulator's control socket is still the kiosk's" || not_ok "the control socket was replaced or removed"

# ---- the kiosk still reads a card placed afterwards ----
before=$(state_value cards_read)
"$idcard_sim" --control "$sock" --send 'place resident' >"$tmp/place.out" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "a card placed through the control socket" || not_ok "place: exit $rc $(cat "$tmp/place.out")"
card_read() { [ "$(state_value cards_read)" = $((before + 1)) ]; }
if wait_for 30 card_read; then ok "the kiosk read the card placed after doctor ran"; else
    not_ok "the kiosk did not read the card (cards_read $(state_value cards_read), was $before)"; fi
session_left_attract() { [ "$(state_value session)" != attract ]; }
wait_for 10 session_left_attract && ok "the kiosk's session moved on from attract" \
    || not_ok "session still $(state_value session)"
"$idcard_sim" --control "$sock" --send 'remove' >/dev/null 2>&1

# ---- stopped: the state file says so, doctor reports it ----
kill "$kiosk_pid"; wait "$kiosk_pid"; rc=$?; kiosk_pid=
[ $rc -eq 0 ] && ok "the kiosk stops cleanly on SIGTERM" || not_ok "kiosk exit $rc"
[ "$(state_value running)" = False ] && ok "its last state says it is not running" || not_ok "running: $(state_value running)"
"$kioskctl" $c --json doctor --no-network >"$tmp/doctor.json" 2>/dev/null; rc=$?
pycheck "doctor after the kiosk stopped: a finding, devices as last seen (exit $rc)" "
assert $rc==1 and d['kiosk']['status']=='stopped' and not d['kiosk']['ok']
assert all(x['source']=='kiosk-last' for x in d['devices']['devices'])" <"$tmp/doctor.json"

echo "1..$n"
exit $fail
