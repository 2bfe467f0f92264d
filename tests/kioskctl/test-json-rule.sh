#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# One rule for every kioskctl command: with --json, stdout is JSON (one
# document), errors included; the exit code says whether the command did
# what was asked (0 done, 1 failed, 2 bad usage or input). Also: sync run
# fails when the platform is unreachable even with nothing to send, and
# camera list and doctor agree on the cameras.
#   test-json-rule.sh KIOSKCTL SOURCE_DIR KIOSK_PLATFORM
set -u
kioskctl=$1
src=$2
platform_bin=$3
tap_name=json; . "$(dirname "$0")/tap-lib.sh"

# json EXPECTED_EXIT PYTHON_ASSERTION ARGS... : runs kioskctl ARGS (with
# --json among them), checks the exit code, that stdout is one JSON
# document and the assertion on it (d).
json() {
    want=$1; cond=$2; shift 2
    "$kioskctl" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ "$rc" -ne "$want" ]; then
        not_ok "kioskctl $*: exit $rc, not $want"; sed 's/^/# /' "$tmp/err" | head -5; return
    fi
    if python3 -c "import json,sys
d=json.loads(sys.stdin.read())
assert $cond, d" <"$tmp/out" 2>"$tmp/py.err"; then ok "kioskctl $*: exit $rc, JSON"; else
        not_ok "kioskctl $*: stdout is not the JSON expected"; sed 's/^/# /' "$tmp/out" "$tmp/py.err" | head -8; fi
}
failed="d['ok'] is False and d['exit_code']"

cat >"$tmp/kiosk.conf" <<CONF
[kiosk]
id=k-json-1
station=测试站
[store]
path=$tmp/store/kiosk.db
[platform]
url=http://127.0.0.1:9/
allow-http=true
timeout-seconds=2
[idcard]
backend=sim
sim-cards=$src/drivers/idcard/fixtures
[camera]
backend=sim
sim-images=$src/drivers/camera/sim-images
[pad]
backend=none
[printer]
backend=sim
sim-spool=$tmp/spool
CONF
c="--config $tmp/kiosk.conf"

json 0 "d['version'].count('.')==2" --json --version
# Usage and configuration errors.
json 2 "$failed==2 and '--config' in d['error']" --json queue status --config
json 2 "$failed==2" --json
json 2 "$failed==2 and 'no-such' in d['error']" --json no-such
json 2 "$failed==2 and 'missing.conf' in d['error']" --json --config "$tmp/missing.conf" queue status
json 2 "$failed==2" --json queue
json 2 "$failed==2" --json $c sync walk
json 2 "$failed==2" --json $c queue requeue abc
json 2 "$failed==2" --json idcard bogus
json 2 "$failed==2" --json camera focus
json 2 "$failed==2" --json print
json 2 "$failed==2 and 'nope' in d['error']" --json print render --template nope --out "$tmp/x.pdf"

# The store and the platform.
json 0 "d['pending']==0 and d['rejected_items']==[]" --json $c queue status
json 1 "$failed==1" --json $c queue requeue 999
json 0 "len(d['cases'])==1" --json $c demo seed --cases 1 --pages 1
json 1 "d['ok'] is False and d['platform_reached'] is False and d['delivered']==0 and d['pending']==1 and d['error']" \
    --json $c sync run
# Nothing to send and the platform down: still a failure.
cat >"$tmp/empty.conf" <<CONF
[kiosk]
id=k-json-2
station=测试站
[store]
path=$tmp/empty/kiosk.db
[platform]
url=http://127.0.0.1:9/
allow-http=true
timeout-seconds=2
CONF
json 1 "d['ok'] is False and d['platform_reached'] is False and d['pending']==0" \
    --json --config "$tmp/empty.conf" sync run
"$kioskctl" --config "$tmp/empty.conf" sync run >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "not reached" "$tmp/err" && ! grep -q '{' "$tmp/out" \
    && ok "sync run, platform down, nothing to send: text, exit 1" || not_ok "sync run text: exit $rc"

start_platform "$platform_bin" --db "$tmp/platform.db"
sed -i "s|^url=.*|url=$url|" "$tmp/kiosk.conf" "$tmp/empty.conf"
json 0 "d['ok'] and d['platform_reached'] and d['delivered']>=1 and d['pending']==0 and d['error'] is None" \
    --json $c sync run --until-empty --timeout 60
json 0 "d['ok'] and d['platform_reached'] and d['delivered']==0" --json --config "$tmp/empty.conf" sync run

# Printing: sim backend without a running kiosk: nothing to ask.
json 1 "d['source']=='none' and d['state']=='unknown' and d['error']" --json $c print status
json 0 "d['bytes']>1000 and d['template']=='test-page'" --json print render --template test-page --out "$tmp/t.pdf"

# ID cards: decode errors and card are JSON with --json only.
printf '12 34 56' | "$kioskctl" --json idcard decode >"$tmp/out" 2>/dev/null; rc=$?
[ $rc -eq 2 ] && python3 -c "import json,sys; d=json.load(sys.stdin); assert d['error']=='preamble'" <"$tmp/out" \
    && ok "idcard decode --json: a JSON error, exit 2" || not_ok "idcard decode --json: $rc"
json 2 "$failed==2" --json --config "$tmp/missing.conf" idcard read --timeout 1

# Cameras: camera list shows the simulated camera the configuration uses,
# and the same libcamera cameras as doctor.
json 0 "[x['id'] for x in d if x['backend']=='sim']==['sim']" --json $c camera list
"$kioskctl" $c camera list >"$tmp/out" 2>/dev/null
grep -q "^sim	simulated camera" "$tmp/out" && ok "camera list (text) shows the simulated camera" \
    || not_ok "camera list text: $(cat "$tmp/out")"
"$kioskctl" $c --json camera list >"$tmp/list.json" 2>/dev/null
"$kioskctl" $c --json doctor --no-network >"$tmp/doctor.json" 2>/dev/null
python3 - "$tmp/list.json" "$tmp/doctor.json" <<'PY' && ok "camera list and doctor agree" || not_ok "camera list and doctor disagree"
import json, sys
cams = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
assert sorted(c['id'] for c in cams if c['backend'] == 'libcamera') == sorted(c['id'] for c in doc['cameras']['cameras'])
assert doc['cameras']['configured_backend'] == 'sim'
cam = [d for d in doc['devices']['devices'] if d['kind'] == 'camera'][0]
# No kiosk runs: doctor does not claim the simulated camera is ready.
assert cam['backend'] == 'sim' and cam['state'] == 'unknown' and not cam['answers']
PY

# The other command groups: whatever they say, with --json it is JSON.
json 1 "d['ok'] is False" --json $c pad test --count 1
json 2 "$failed==2" --json pad
json 2 "$failed==2" --json demo seed --cases x
"$kioskctl" --json barcode decode "$tmp/no-such.png" >"$tmp/out" 2>/dev/null; rc=$?
[ $rc -ne 0 ] && python3 -c "import json,sys; json.load(sys.stdin)" <"$tmp/out" \
    && ok "barcode decode of a missing file: JSON, exit $rc" || not_ok "barcode decode --json: $rc $(cat "$tmp/out")"
"$kioskctl" --json barcode decode "$src/drivers/camera/sim-images/02-receipt-qr.jpg" >"$tmp/out" 2>/dev/null; rc=$?
[ $rc -eq 0 ] && python3 -c "import json,sys
lines=sys.stdin.read().splitlines()
assert len(lines)==1 and json.loads(lines[0])['file'].endswith('02-receipt-qr.jpg')" <"$tmp/out" \
    && ok "barcode decode --json: one JSON line per file and nothing else" || not_ok "barcode decode --json: $rc $(cat "$tmp/out")"
"$kioskctl" --json scan page "$tmp/no-such.png" "$tmp/out.jpg" >"$tmp/out" 2>/dev/null; rc=$?
[ $rc -ne 0 ] && python3 -c "import json,sys; json.load(sys.stdin)" <"$tmp/out" \
    && ok "scan page of a missing file: JSON, exit $rc" || not_ok "scan page --json: $rc $(cat "$tmp/out")"

echo "1..$n"
exit $fail
