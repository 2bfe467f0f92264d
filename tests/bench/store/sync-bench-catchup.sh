#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Catch-up after an outage: N cases with K pages each are queued offline,
# then the sync engine delivers them (every page marked as started, then a
# verified upload; every case with its own request; every state change
# recorded, without an fsync of its own; up to 3 items in flight, each on
# its own kept-alive connection; statements prepared once). Compared
# with curl uploading the same page bytes to the same kind of server in one
# keep-alive process (no cases, no offsets, no bookkeeping): the price of
# exactly-once delivery. Goal: ratio <= 1.5 (issue #11). The machine's load
# moves both sides: compare runs made back to back. On a saturated machine
# (no idle core) the items in flight cannot overlap the kiosk's work with
# the platform's, and the ratio tends to the CPU ratio of the two sides.
#
#   sync-bench-catchup.sh BUILD_DIR [CASES] [PAGES] [PAGE_SIZE]
#   (defaults 10000 cases, 3 pages, 96x128 demo pages)
set -eu
build=$1
cases=${2:-10000}
pages=${3:-3}
size=${4:-96x128}
platform=$build/tests/platform/kiosk-platform
kioskctl=$build/tools/kioskctl
for tool in curl sqlite3; do
    command -v $tool >/dev/null || { echo "sync-bench-catchup: $tool is missing"; exit 77; }
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-bench-catchup-XXXXXX")
cleanup() {
    for f in "$dir"/*.pid; do
        [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
    done
    [ -n "${KIOSK_KEEP_BENCH_FILES:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT INT TERM

start_platform() { # name -> URL
    "$platform" --listen 127.0.0.1:0 --db "$dir/$1.db" >"$dir/$1.out" 2>"$dir/$1.err" &
    echo $! >"$dir/$1.pid" # (called in $(...): a variable would not survive)
    for _ in $(seq 100); do
        grep -q '^listening on ' "$dir/$1.out" 2>/dev/null && break
        sleep 0.05
    done
    sed -n 's/^listening on //p' "$dir/$1.out"
}

now() { date +%s.%N; }

url=$(start_platform sync)
cat >"$dir/kiosk.conf" <<CONF
[kiosk]
id=K-BENCH
station=bench
[store]
path=$dir/queue.db
min-free-mb=0
[platform]
url=$url
allow-http=true
CONF

t0=$(now)
"$kioskctl" --config "$dir/kiosk.conf" demo seed --cases "$cases" --pages "$pages" --page-size "$size" >/dev/null
t1=$(now)
"$kioskctl" --config "$dir/kiosk.conf" sync run --until-empty >"$dir/sync.log" 2>&1
t2=$(now)

# The same bytes with curl: one PATCH per page, one process, keep-alive.
url2=$(start_platform curl)
sqlite3 -separator ' ' "$dir/queue.db" "SELECT sha256, size, file FROM attachments ORDER BY id" |
{
    first=true
    while read -r sha len file; do
        $first || echo next
        first=false
        printf 'url = "%sv1/attachments/%s"\nrequest = "PATCH"\nheader = "Upload-Offset: 0"\nheader = "Upload-Length: %s"\nheader = "Content-Type: application/offset+octet-stream"\ndata-binary = "@%s"\noutput = "/dev/null"\n' \
            "$url2" "$sha" "$len" "$dir/queue.db.attachments/$file"
    done
} >"$dir/curl.conf"
t3=$(now)
curl -s -K "$dir/curl.conf"
t4=$(now)

bytes=$(sqlite3 "$dir/queue.db" "SELECT sum(size) FROM attachments")
stored=$(curl -s "${url2}v1/admin/stats")
awk -v c="$cases" -v p="$pages" -v b="$bytes" -v e="$t0 $t1" -v s="$t1 $t2" -v u="$t3 $t4" -v st="$stored" 'BEGIN {
    split(e, E, " "); split(s, S, " "); split(u, U, " ");
    enq = E[2] - E[1]; sync = S[2] - S[1]; curl = U[2] - U[1];
    printf "catch-up: %d cases, %d pages, %.1f MB\n", c, c * p, b / 1e6;
    printf "%-44s %9s %12s\n", "", "seconds", "pages/s";
    printf "%-44s %9.2f %12.0f\n", "enqueue offline (kioskctl demo seed)", enq, c * p / enq;
    printf "%-44s %9.2f %12.0f\n", "sync engine (kioskctl sync run --until-empty)", sync, c * p / sync;
    printf "%-44s %9.2f %12.0f\n", "curl, same bytes, one process", curl, c * p / curl;
    printf "ratio sync/curl = %.2f\n", sync / curl;
    printf "curl platform stats: %s\n", st;
}'
tail -2 "$dir/sync.log"
