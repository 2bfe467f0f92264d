#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# kioskctl pin-hash (the technician's PIN for [maintenance] pin-hash): the
# PIN from stdin, an Argon2id hash out (a new salt each time), never the PIN
# itself; bad input is exit 2; a configuration holding the hash validates.
#   test-pin-hash.sh KIOSKCTL
# check evaluates its condition later, on purpose (eval).
# shellcheck disable=SC2016,SC2034
set -u
kioskctl=$1
tmp=$(mktemp -d /tmp/pin-hash.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

one=$(echo 246810 | "$kioskctl" pin-hash 2>"$tmp/err")
rc=$?
check "a PIN on stdin: exit 0" '[ $rc -eq 0 ]'
check "an Argon2id hash" 'echo "$one" | grep -Eq "^\\\$argon2id\\\$v=19\\\$m=[0-9]+,t=[0-9]+,p=[0-9]+\\\$[A-Za-z0-9+/]+\\\$[A-Za-z0-9+/]+$"'
check "the PIN is not in it" '! echo "$one" | grep -q 246810'
two=$(printf '246810\n' | "$kioskctl" pin-hash)
check "a new salt each time" '[ -n "$two" ] && [ "$one" != "$two" ]'
json=$(echo 246810 | "$kioskctl" --json pin-hash)
check "--json" 'echo "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); assert d[\"pin_hash\"].startswith(\"\$argon2id\$\")"'
for bad in "" 123 1234567890123 12a4; do
    printf '%s\n' "$bad" | "$kioskctl" pin-hash >"$tmp/out" 2>"$tmp/err"
    rc=$?
    check "'$bad' refused with exit 2, nothing on stdout" '[ $rc -eq 2 ] && [ ! -s "$tmp/out" ]'
done
"$kioskctl" pin-hash 246810 </dev/null >"$tmp/out" 2>&1
rc=$?
check "a PIN as an argument is refused (it would be in ps and the history)" '[ $rc -eq 2 ] && ! grep -q argon2 "$tmp/out"'
printf '[kiosk]\nid=T-1\nstation=测试站\n[platform]\nurl=https://platform.example/\n[store]\npath=%s/k.db\n[maintenance]\npin-hash=%s\n' "$tmp" "$one" >"$tmp/k.conf"
"$kioskctl" --config "$tmp/k.conf" --json doctor --no-network >"$tmp/doctor.json" 2>/dev/null
check "a configuration with the hash is valid" 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"config\"][\"valid\"], d[\"config\"]" "$tmp/doctor.json"'
printf '[kiosk]\nid=T-1\nstation=测试站\n[platform]\nurl=https://platform.example/\n[store]\npath=%s/k.db\n[maintenance]\npin-hash=246810\n' "$tmp" >"$tmp/bad.conf"
"$kioskctl" --config "$tmp/bad.conf" --json doctor --no-network >"$tmp/doctor.json" 2>/dev/null
check "a clear PIN in pin-hash is refused by the configuration" 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert not d[\"config\"][\"valid\"]; assert \"pin-hash\" in json.dumps(d[\"config\"][\"errors\"])" "$tmp/doctor.json"'
echo "1..$n"
exit $fail
