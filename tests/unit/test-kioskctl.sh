#!/bin/sh
# kioskctl's own contract: --version, doctor (text and --json, exit codes),
# --config errors naming the bad key, unknown commands. The full doctor
# report and the --json rule: tests/kioskctl/.
set -u
kioskctl=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

out=$("$kioskctl" --version); rc=$?
check "--version exits 0" "[ $rc -eq 0 ]"
check "--version prints the version" "echo '$out' | grep -Eq '^kioskctl [0-9]+\.[0-9]+\.[0-9]+$'"

"$kioskctl" >/dev/null 2>&1; rc=$?
check "no command is a usage error (2)" "[ $rc -eq 2 ]"
"$kioskctl" no-such-command >/dev/null 2>&1; rc=$?
check "unknown command is a usage error (2)" "[ $rc -eq 2 ]"

cat > "$tmp/bad.conf" <<'CONF'
[kiosk]
id=k1
station=s
[store]
path=k.db
[platform]
url=https://p.example/
[printer]
backend=laser
CONF
# A configuration with an error is a finding of doctor (exit 1), reported
# with its key; other commands refuse it (exit 2).
out=$("$kioskctl" --config "$tmp/bad.conf" doctor --no-network 2>/dev/null); rc=$?
check "doctor: bad config is a finding (exit 1)" "[ $rc -eq 1 ]"
check "doctor: bad config message names the key" "echo \"\$out\" | grep -q '\[printer\] backend'"
err=$("$kioskctl" --config "$tmp/bad.conf" queue status 2>&1 >/dev/null); rc=$?
check "queue status: bad config exits 2, naming the key" "[ $rc -eq 2 ] && echo \"\$err\" | grep -q '\[printer\] backend'"

out=$("$kioskctl" --config "$tmp/missing.conf" doctor --no-network 2>/dev/null); rc=$?
check "doctor: missing config exits 1 with a report" "[ $rc -eq 1 ] && echo \"\$out\" | grep -q '^fonts:'"
check "doctor: missing config message names the file" "echo \"\$out\" | grep -q 'missing.conf'"

# The example configuration: real devices, nothing plugged in here. The
# platform (platform.example.gov.cn) is not asked: --no-network.
json=$("$kioskctl" --config "$src/assets/kiosk.conf.example" --json doctor --no-network); rc=$?
check "doctor exits 1 (nothing plugged in, no kiosk running)" "[ $rc -eq 1 ]"
check "doctor --json is JSON with the config path and four devices" \
  "echo '$json' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"config\"][\"path\"].endswith(\"kiosk.conf.example\"); assert d[\"config\"][\"store\"]==\"/var/lib/kiosk/kiosk.db\"; dev=d[\"devices\"][\"devices\"]; assert sorted(x[\"kind\"] for x in dev)==[\"camera\",\"idcard\",\"pad\",\"printer\"]; assert all(x[\"backend\"]==\"real\" for x in dev); assert d[\"ok\"]==(\"$rc\"==\"0\")'"
text=$("$kioskctl" doctor --no-network --config "$src/assets/kiosk.conf.example")
check "doctor text names the configuration" "echo \"\$text\" | grep -q '^configuration: .*kiosk.conf.example'"
check "doctor --json lists the kiosk modules, all loading from the build" \
  "echo '$json' | python3 -c 'import json,sys; d=json.load(sys.stdin); m={x[\"name\"]: x for x in d[\"modules\"][\"modules\"]}; assert {\"kiosk-zxing\",\"kiosk-cups\",\"kiosk-platform-http\"} <= set(m); assert all(x[\"loads\"] and x[\"path\"].endswith(x[\"name\"] + \".so\") for x in m.values())'"
json=$(KIOSK_MODULE_DIR="$tmp/no-modules" "$kioskctl" --config "$src/assets/kiosk.conf.example" --json doctor --no-network 2>/dev/null)
check "doctor --json names a missing module's file" \
  "echo '$json' | python3 -c 'import json,sys; d=json.load(sys.stdin); x=[m for m in d[\"modules\"][\"modules\"] if m[\"name\"]==\"kiosk-cups\"][0]; assert not x[\"loads\"]; assert \"no-modules/kiosk-cups.so\" in x[\"error\"]'"

echo "1..$n"
exit $fail
