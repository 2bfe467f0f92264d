#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# kioskctl idcard decode|read, as a technician runs them: the exact JSON and
# exit codes of decode from frames on stdin (seed frames of the fuzz
# corpus), and read against idcard-sim started by backend=sim.
#   test-kioskctl-idcard.sh KIOSKCTL SOURCE_DIR IDCARD_SIM
set -u
kioskctl=$1
src=$2
export KIOSK_IDCARD_SIM=$3
corpus=$src/tests/fuzz/idcard-corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

hexof() { od -An -v -tx1 "$1"; }

# decode SEED EXPECTED_EXIT EXPECTED_JSON
decode() {
    out=$(hexof "$corpus/$1" | "$kioskctl" --json idcard decode)
    rc=$?
    if [ "$rc" = "$2" ] && [ "$out" = "$3" ]; then ok "decode $1"; else
        not_ok "decode $1: exit $rc, got $out"; fi
}

decode read-resident 0 '{"card_type":"resident","name":"张三","gender_code":"1","gender":"男","birth_date":"1990-01-01","id_number":"440304199001011233","id_number_valid":true,"nation_code":"01","nation":"汉","address":"广东省深圳市福田区测试路1号","authority":"深圳市公安局福田分局","valid_from":"2015-06-01","valid_to":"2035-06-01","has_fingerprint":false}'
decode read-fp-resident-elder 0 '{"card_type":"resident","name":"欧阳秀兰","gender_code":"2","gender":"女","birth_date":"1949-12-31","id_number":"11010519491231002X","id_number_valid":true,"nation_code":"03","nation":"回","address":"北京市朝阳区演示街道示例小区3号楼2单元101室","authority":"北京市公安局朝阳分局","valid_from":"2010-03-01","valid_to":"长期","has_fingerprint":true}'
decode read-hmt-permit 0 '{"card_type":"hmt_permit","name":"陈大文","gender_code":"1","gender":"男","birth_date":"1980-01-01","id_number":"810000198001010014","id_number_valid":true,"address":"广东省珠海市香洲区示范路6号","authority":"珠海市公安局","valid_from":"2019-09-01","valid_to":"2029-09-01","has_fingerprint":false,"pass_number":"H12345678","issue_count":1}'
decode status-41 2 '{"error":"status","sw3":"41","message":"the reader reported status 41: read failed"}'
decode status-9f 2 '{"error":"format","message":"a find-card reply, not a read reply"}'
decode bad-checksum 2 '{"error":"checksum","message":"the frame'"'"'s checksum does not match its bytes"}'
decode split-garbage-resident 0 "$(hexof "$corpus/read-resident" | "$kioskctl" --json idcard decode)"

# Line breaks, tabs and garbage before the preamble.
out=$( (printf '00 13\n\tAA '; hexof "$corpus/status-80") | "$kioskctl" --json idcard decode); rc=$?
[ $rc = 2 ] && [ "$out" = '{"error":"status","sw3":"80","message":"the reader reported status 80: find card failed (no card)"}' ] \
    && ok "decode with garbage and line breaks" || not_ok "decode with garbage: $rc $out"
out=$(printf '12 34 56' | "$kioskctl" --json idcard decode); rc=$?
[ $rc = 2 ] && [ "$out" = '{"error":"preamble","message":"no frame preamble (AA AA AA 96 69) in the input"}' ] \
    && ok "decode without a preamble" || not_ok "decode without a preamble: $rc $out"
out=$(head -c 600 "$corpus/read-resident" | od -An -v -tx1 | "$kioskctl" --json idcard decode); rc=$?
[ $rc = 2 ] && [ "$out" = '{"error":"length","message":"the frame is shorter or longer than its length field says"}' ] \
    && ok "decode a cut frame" || not_ok "decode a cut frame: $rc $out"
# Without --json: the card as text, one "field: value" a line; errors on stderr.
out=$(hexof "$corpus/read-resident" | "$kioskctl" idcard decode 2>/dev/null); rc=$?
[ $rc = 0 ] && printf '%s\n' "$out" | grep -qx 'card_type: resident' && printf '%s\n' "$out" | grep -qx 'gender: 男' \
    && ! printf '%s' "$out" | grep -q '{' && ok "decode without --json prints text" || not_ok "decode text: $rc $out"
out=$(printf '12 34 56' | "$kioskctl" idcard decode 2>"$tmp/decode.err"); rc=$?
[ $rc = 2 ] && [ -z "$out" ] && grep -q 'preamble' "$tmp/decode.err" \
    && ok "decode error without --json: stderr, nothing on stdout" || not_ok "decode error text: $rc $out"
"$kioskctl" idcard bogus >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "unknown subcommand exits 2" || not_ok "unknown subcommand: $rc"

# read, with the kiosk starting idcard-sim (a card placed after 1 s).
cat > "$tmp/kiosk.conf" <<CONF
[kiosk]
id=k1
station=test
[store]
path=$tmp/store.db
[platform]
url=https://platform.example/
[idcard]
backend=sim
sim-cards=$src/drivers/idcard/fixtures
sim-auto-place=1
CONF
out=$("$kioskctl" --config "$tmp/kiosk.conf" --json idcard read --timeout 10 2>"$tmp/read.err"); rc=$?
case "$out" in
'{"card_type":"foreign_2017",'*) [ $rc = 0 ] && ok "read a card from idcard-sim" || not_ok "read: exit $rc" ;;
*) not_ok "read: exit $rc, $out"; cat "$tmp/read.err" ;;
esac
sed -i 's/sim-auto-place=1/sim-auto-place=0/' "$tmp/kiosk.conf"
out=$("$kioskctl" --config "$tmp/kiosk.conf" --json idcard read --timeout 1 2>/dev/null); rc=$?
case "$out" in
'{"error":"no-card",'*) [ $rc = 1 ] && ok "read without a card exits 1" || not_ok "read without a card: exit $rc" ;;
*) not_ok "read without a card: $out" ;;
esac
# A running kiosk holds the reader: read refuses, and starts no simulator.
printf '{"format":1,"pid":%s,"running":true,"updated_at":%s,"heartbeat_seconds":5,"devices":{}}' \
    $$ "$(date +%s)" > "$tmp/store.db.state.json"
sed -i 's/sim-auto-place=0/sim-auto-place=1/' "$tmp/kiosk.conf"
out=$("$kioskctl" --config "$tmp/kiosk.conf" --json idcard read --timeout 3 2>/dev/null); rc=$?
case "$out" in
'{"error":"in-use",'*) [ $rc = 1 ] && ok "read refused while the kiosk runs" || not_ok "read while the kiosk runs: exit $rc" ;;
*) not_ok "read while the kiosk runs: $out" ;;
esac
rm -f "$tmp/store.db.state.json"
# No personal data on the technician's stderr.
if grep -q 'SMITH\|史密斯\|USA110080070401' "$tmp/read.err"; then not_ok "stderr holds personal data"; else
    ok "stderr free of personal data"; fi

echo "1..$n"
exit $fail
