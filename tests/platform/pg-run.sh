#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The platform's tests against PostgreSQL (issue #18): one throw-away
# cluster made by pg_virtualenv (postgresql-common), every command given
# run inside it in turn with KIOSK_TEST_PG_URI=postgresql:// (the server,
# user and password from the PG* variables pg_virtualenv exports; each test
# creates databases of its own). Exit 0 when all passed, 77 (skip) without
# pg_virtualenv.
#
#   pg-run.sh 'COMMAND [ARGS]' ['COMMAND [ARGS]' ...]
#
# As root, pg_virtualenv always names its cluster "regress" under
# /etc/postgresql, so two runs at once would collide: runs are serialized
# with flock. As another user it works in a temporary folder of its own.
set -eu

if ! command -v pg_virtualenv >/dev/null 2>&1; then
    echo "SKIP: pg_virtualenv not found (apt-get install postgresql postgresql-common; tools/setup-deps does)"
    exit 77
fi

lock=/tmp/kiosk-pg-virtualenv.lock
[ "$(id -u)" -eq 0 ] || lock="${TMPDIR:-/tmp}/kiosk-pg-virtualenv-$(id -u).lock"

# The inner script runs each command and reports each one's result.
inner='
status=0
export KIOSK_TEST_PG_URI=postgresql://
for cmd in "$@"; do
    echo "=== $cmd"
    start=$(date +%s)
    if sh -c "$cmd"; then r=ok; else r="FAILED ($?)"; status=1; fi
    echo "=== $r after $(( $(date +%s) - start )) s: $cmd"
done
exit $status
'
exec flock "$lock" pg_virtualenv -- sh -c "$inner" pg-run "$@"
