#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 13, point 7: the demo's sample receipt picture (the camera
# simulator plays it) must find a case in 进度查询. The number is read from
# the picture with the kiosk's own barcode decoder (kioskctl barcode
# decode), not written here; the demo's platform seeding (tools/demo
# --seed-platform) must then make the reference platform know it by that
# number, and list it among the demo card holder's cases (我的办件).
#   test-demo-sample.sh KIOSKCTL SOURCE_DIR KIOSK_PLATFORM
set -u
kioskctl=$1
src=$2
platform_bin=$3
tap_name=demo-sample; . "$(dirname "$0")/tap-lib.sh"

picture="$src/drivers/camera/sim-images/02-receipt-qr.jpg"
"$kioskctl" --json barcode decode "$picture" >"$tmp/decode.json" 2>"$tmp/decode.err"
number=$(python3 -c "import json,sys
d=json.load(sys.stdin)
codes=[r['text'] for r in d['results'] if r['format']=='QRCode']
assert len(codes)==1, d
print(codes[0])" <"$tmp/decode.json" 2>>"$tmp/decode.err")
if [ -n "$number" ]; then ok "the sample receipt's QR code reads $number"; else
    not_ok "the sample receipt's QR code is not read"; sed 's/^/# /' "$tmp/decode.json" "$tmp/decode.err"; fi

start_platform "$platform_bin" --db "$tmp/platform.db"
if [ -z "$url" ]; then
    not_ok "the reference platform did not start"; sed 's/^/# /' "$tmp/platform.err"; echo "1..$n"; exit 1
fi
ok "reference platform at $url"

# get PATH: the HTTP status of GET url+PATH, the body in $tmp/get.json.
get() {
    python3 - "$url" "$1" "$tmp/get.json" <<'PY'
import sys, urllib.error, urllib.parse, urllib.request
url, path, out = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    with urllib.request.urlopen(url + path, timeout=10) as r:
        status, body = r.status, r.read()
except urllib.error.HTTPError as e:
    status, body = e.code, e.read()
open(out, "wb").write(body)
print(status)
PY
}
quoted=$(python3 -c "import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=''))" "$number")

# Before the seeding the number is unknown: the check below can fail.
status=$(get "v1/cases/$quoted")
if [ "$status" = 404 ]; then ok "before seeding: $number is not found (404)"; else
    not_ok "before seeding: GET /v1/cases/$number answered $status, not 404"; fi

if sh "$src/tools/demo" --seed-platform "$url" >"$tmp/seed.out" 2>&1; then ok "tools/demo --seed-platform"; else
    not_ok "tools/demo --seed-platform failed"; sed 's/^/# /' "$tmp/seed.out"; fi

status=$(get "v1/cases/$quoted")
if [ "$status" = 200 ]; then ok "after seeding: GET /v1/cases/$number answers 200"; else
    not_ok "after seeding: GET /v1/cases/$number answered $status"; sed 's/^/# /' "$tmp/get.json"; fi
pycheck "the case found is the sample receipt's, with an official number and a status" "
assert d['provisional_number'] == '$number', d
assert d['official_number'] and d['status'] and d['status_text'], d" <"$tmp/get.json"

# 我的办件 of the demo card's holder lists it (the ID number in the body).
python3 - "$url" "$src/drivers/idcard/fixtures/resident.json" >"$tmp/mine.json" 2>"$tmp/mine.err" <<'PY'
import json, sys, urllib.request
url, card = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))
req = urllib.request.Request(url + "v1/cases/of-applicant", method="POST",
                             data=json.dumps({"id_number": card["id_number"]}).encode(),
                             headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=10) as r:
    sys.stdout.write(r.read().decode())
PY
pycheck "the demo card holder's cases (我的办件) include it, with the material owed" "
c = [c for c in d['cases'] if c['provisional_number'] == '$number']
assert len(c) == 1, d
assert c[0]['owed_materials'], c" <"$tmp/mine.json"

# A second demo start on the same platform database: answered, not refused.
if sh "$src/tools/demo" --seed-platform "$url" >"$tmp/seed2.out" 2>&1 && grep -q "$number" "$tmp/seed2.out"; then
    ok "seeding again keeps the case (same number)"; else
    not_ok "seeding again failed"; sed 's/^/# /' "$tmp/seed2.out"; fi
status=$(get "v1/admin/stats")
pycheck "the platform holds the case once" "assert d['cases'] == 1, d" <"$tmp/get.json"

echo "1..$n"
exit $fail
