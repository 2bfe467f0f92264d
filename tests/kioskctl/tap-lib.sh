# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the kioskctl TAP tests, after setting tap_name:
#   tap_name=doctor; . "$(dirname "$0")/tap-lib.sh"
# Gives $tmp (removed at exit, with the platform and kiosk the test started
# stopped), ok / not_ok / pycheck, and start_platform.
tmp=$(mktemp -d "/tmp/kioskctl-$tap_name.XXXXXX")
platform_pid=
kiosk_pid=
tap_cleanup() {
    [ -n "$kiosk_pid" ] && kill "$kiosk_pid" 2>/dev/null && wait "$kiosk_pid" 2>/dev/null
    [ -n "$platform_pid" ] && kill "$platform_pid" 2>/dev/null && wait "$platform_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap tap_cleanup EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
# pycheck DESCRIPTION PYTHON-ASSERTIONS-ON-d < JSON
pycheck() {
    if python3 -c "import json,sys
d=json.load(sys.stdin)
$2" 2>"$tmp/py.err"; then ok "$1"; else not_ok "$1"; sed 's/^/# /' "$tmp/py.err"; fi
}
# start_platform PLATFORM_BINARY ARGS...: starts the reference platform on a
# free loopback port with ARGS; sets platform_pid and url (empty when it did
# not start within 10 s; its stderr is in $tmp/platform.err).
start_platform() {
    bin=$1; shift
    "$bin" --listen 127.0.0.1:0 "$@" >"$tmp/platform.out" 2>"$tmp/platform.err" &
    platform_pid=$!
    url=
    for i in $(seq 1 100); do
        url=$(sed -n 's/^listening on //p' "$tmp/platform.out" 2>/dev/null | head -1)
        [ -n "$url" ] && break
        sleep 0.1
    done
}
