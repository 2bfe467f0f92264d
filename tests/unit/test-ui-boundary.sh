#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The UI sees the core only: no file under ui/ includes a header of a
# driver (drivers/) or of the store and sync engine (offline-cache/).
#   test-ui-boundary.sh SOURCE_DIR
set -u
src=${1:?source dir}
cd "$src" || exit 1

forbidden=$(find drivers offline-cache -name '*.h' -printf '%f\n' | sort -u)
n=0
fail=0
echo "1..2"

# 1: no direct #include of a driver or store header under ui/.
bad=""
for f in $(find ui -name '*.c' -o -name '*.h' | sort); do
    for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1/p' "$f"); do
        base=$(basename "$h")
        if echo "$forbidden" | grep -qx "$base"; then
            bad="$bad $f:$h"
        fi
    done
done
n=$((n + 1))
if [ -z "$bad" ]; then
    echo "ok $n - no ui/ file includes a driver or store header"
else
    for b in $bad; do echo "# includes a driver or store header: $b"; done
    echo "not ok $n - ui/ includes driver or store headers"
    fail=1
fi

# 2: the check itself finds one (a driver header named in a ui-like file).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/ui"
printf '#include "printer-device.h"\n' > "$tmp/ui/probe.c"
found=0
for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1/p' "$tmp/ui/probe.c"); do
    echo "$forbidden" | grep -qx "$(basename "$h")" && found=1
done
n=$((n + 1))
if [ "$found" = 1 ]; then
    echo "ok $n - a driver header is recognised"
else
    echo "not ok $n - the check does not recognise printer-device.h"
    fail=1
fi
exit $fail
