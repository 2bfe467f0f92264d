#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Catch-up after an outage: N cases with K pages each are queued offline,
# then the sync engine delivers them (every page marked as started, then a
# verified upload; every case with its own request; every state change
# recorded, without an fsync of its own; up to 3 items in flight, each on
# its own kept-alive connection; statements prepared once).
#
# The baseline is curl sending the same HTTP requests to a fresh platform
# of the same build, with the same durability: the catalog and notices
# GETs, then per case, in the outbox's order, one PATCH per page (the same
# bytes and upload headers) and the POST of the case (the very body the
# kiosk sent, taken from its platform's database, and the same
# Idempotency-Key), in one process on one kept-alive connection. Both
# platforms count the requests they served (printed: they must match) and
# the cases they stored. What is left is the price of exactly-once
# delivery: reading, checking and recording every item, and the retry
# logic. Goal: ratio <= 1.5 (issue #11). For comparison with older figures
# the bench also times curl uploading the pages only (no case POSTs, the
# baseline used before).
#
# The machine's load moves both sides: compare runs made back to back. CPU
# seconds of each process are printed too, and the ratio of the CPU each
# side used with its platform (it moves less with the load).
# On a saturated machine (no idle core) the items in flight cannot overlap
# the kiosk's work with the platform's, and the ratio tends to the ratio of
# the CPU the two sides use, platform included.
#
#   sync-bench-catchup.sh BUILD_DIR [CASES] [PAGES] [PAGE_SIZE]
#   (defaults 10000 cases, 3 pages, 96x128 demo pages)
set -eu
build=$1
cases=${2:-10000}
pages=${3:-3}
size=${4:-96x128}
platform=$build/platform/kiosk-platform
kioskctl=$build/tools/kioskctl
for tool in curl sqlite3; do
    command -v $tool >/dev/null || { echo "sync-bench-catchup: $tool is missing"; exit 77; }
done
tck=$(getconf CLK_TCK)

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

# CPU seconds (user + system) a platform used so far.
platform_cpu() {
    awk -v t="$tck" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$(cat "$dir/$1.pid")/stat"
}

# Runs a command; its CPU seconds (user + system, its children included)
# go to $dir/NAME.cpu.
timed() { # NAME COMMAND...
    f=$dir/$1.cpu
    shift
    sh -c '"$@"; rc=$?; awk -v t="'"$tck"'" "{ printf \"%.2f\", (\$16 + \$17) / t }" /proc/$$/stat >"$0"; exit $rc' \
        "$f" "$@"
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
c0=$(platform_cpu sync)
timed kiosk "$kioskctl" --config "$dir/kiosk.conf" sync run --until-empty >"$dir/sync.log" 2>&1
t2=$(now)
c1=$(platform_cpu sync)

# The same requests with curl. The case bodies as the kiosk's platform
# received them (byte for byte), one file each.
mkdir "$dir/bodies"
sqlite3 "$dir/queue.db" "ATTACH '$dir/sync.db' AS p;
    SELECT writefile('$dir/bodies/' || o.id, pc.payload) FROM outbox o JOIN cases c ON c.id = o.case_id
    JOIN p.cases pc ON pc.kiosk_id = 'K-BENCH' AND pc.provisional_number = c.provisional_number;" >/dev/null
patch_conf() { # url sha size file
    printf 'url = "%sv1/attachments/%s"\nrequest = "PATCH"\nheader = "Accept: application/json"\nheader = "X-Kiosk-Id: K-BENCH"\nheader = "Upload-Offset: 0"\nheader = "Upload-Length: %s"\nheader = "Content-Type: application/offset+octet-stream"\nheader = "Expect:"\ndata-binary = "@%s"\noutput = "/dev/null"\nnext\n' \
        "$1" "$2" "$3" "$dir/queue.db.attachments/$4"
}
url2=$(start_platform curl)
{
    for doc in catalog notices; do
        printf 'url = "%sv1/%s"\nheader = "Accept: application/json"\nheader = "X-Kiosk-Id: K-BENCH"\noutput = "/dev/null"\nnext\n' "$url2" "$doc"
    done
    sqlite3 -separator ' ' "$dir/queue.db" "SELECT o.id, o.idempotency_key, a.sha256, a.size, a.file
        FROM outbox o JOIN attachments a ON a.case_id = o.case_id WHERE o.kind = 'case' ORDER BY o.id, a.position" |
    {
        last=
        while read -r id key sha len file; do
            if [ -n "$last" ] && [ "$id" != "$last" ]; then
                printf 'url = "%sv1/cases"\nheader = "Accept: application/json"\nheader = "X-Kiosk-Id: K-BENCH"\nheader = "Idempotency-Key: %s"\nheader = "Content-Type: application/json"\nheader = "Expect:"\ndata-binary = "@%s"\noutput = "/dev/null"\nnext\n' \
                    "$url2" "$lastkey" "$dir/bodies/$last"
            fi
            patch_conf "$url2" "$sha" "$len" "$file"
            last=$id
            lastkey=$key
        done
        printf 'url = "%sv1/cases"\nheader = "Accept: application/json"\nheader = "X-Kiosk-Id: K-BENCH"\nheader = "Idempotency-Key: %s"\nheader = "Content-Type: application/json"\nheader = "Expect:"\ndata-binary = "@%s"\noutput = "/dev/null"\n' \
            "$url2" "$lastkey" "$dir/bodies/$last"
    }
} >"$dir/curl.conf"
c2=$(platform_cpu curl)
t3=$(now)
timed curl curl -s -K "$dir/curl.conf"
t4=$(now)
c3=$(platform_cpu curl)

# The older baseline: the pages only, to a third platform.
url3=$(start_platform pages)
sqlite3 -separator ' ' "$dir/queue.db" "SELECT sha256, size, file FROM attachments ORDER BY id" |
    while read -r sha len file; do patch_conf "$url3" "$sha" "$len" "$file"; done | sed '$d' >"$dir/pages.conf"
t5=$(now)
curl -s -K "$dir/pages.conf"
t6=$(now)

bytes=$(sqlite3 "$dir/queue.db" "SELECT sum(size) FROM attachments")
stats() { curl -s "${1}v1/admin/stats" | sed 's/.*"cases":\([0-9]*\).*"requests":\([0-9]*\).*/cases \1, requests \2/'; }
st1=$(stats "$url")
st2=$(stats "$url2")
awk -v c="$cases" -v p="$pages" -v b="$bytes" -v e="$t0 $t1" -v s="$t1 $t2" -v u="$t3 $t4" -v o="$t5 $t6" \
    -v kc="$(cat "$dir/kiosk.cpu")" -v cc="$(cat "$dir/curl.cpu")" -v pk="$c0 $c1" -v pc="$c2 $c3" \
    -v st1="$st1" -v st2="$st2" 'BEGIN {
    split(e, E, " "); split(s, S, " "); split(u, U, " "); split(o, O, " "); split(pk, PK, " "); split(pc, PC, " ");
    enq = E[2] - E[1]; sync = S[2] - S[1]; curl = U[2] - U[1]; pages = O[2] - O[1];
    printf "catch-up: %d cases, %d pages, %.1f MB\n", c, c * p, b / 1e6;
    printf "%-46s %8s %9s %13s %13s\n", "", "seconds", "pages/s", "client CPU s", "platform CPU s";
    printf "%-46s %8.2f %9.0f\n", "enqueue offline (kioskctl demo seed)", enq, c * p / enq;
    printf "%-46s %8.2f %9.0f %13.2f %13.2f\n", "sync engine (kioskctl sync run --until-empty)", sync, c * p / sync, kc, PK[2] - PK[1];
    printf "%-46s %8.2f %9.0f %13.2f %13.2f\n", "curl, same requests, one connection", curl, c * p / curl, cc, PC[2] - PC[1];
    printf "%-46s %8.2f %9.0f\n", "curl, pages only (the older baseline)", pages, c * p / pages;
    printf "platform of the sync engine: %s; of curl: %s\n", st1, st2;
    printf "ratio sync/curl = %.2f (pages-only baseline: %.2f)\n", sync / curl, sync / pages;
    printf "CPU ratio (client + its platform) = %.2f\n", (kc + PK[2] - PK[1]) / (cc + PC[2] - PC[1]);
}'
tail -2 "$dir/sync.log"
