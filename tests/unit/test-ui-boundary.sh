#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The UI sees the core only: no file under ui/ includes a header of a
# driver (drivers/) or of the store and sync engine (offline-cache/), and
# with the flags ui/ is compiled with (compile_commands.json) such a header
# does not even compile, while the core's headers do.
#   test-ui-boundary.sh SOURCE_DIR BUILD_DIR
set -u
src=${1:?source dir}
build=${2:?build dir}
cd "$src" || exit 1

forbidden=$(find drivers offline-cache -name '*.h' -printf '%f\n' | sort -u)
n=0
fail=0
echo "1..4"

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
# 3, 4: compiled as ui/kiosk-menu-page.c is, the core's headers compile and
# no driver or store header does.
cat > "$tmp/probe-core.c" <<'EOC'
#include "config.h"
#include "kiosk-core.h"
#include "kiosk-guide-journey.h"
#include "kiosk-journey-registry.h"
#include "kiosk-progress-journey.h"
#include "kiosk-rating-flow.h"
EOC
compile_as_ui () {
    python3 - "$build" "$1" <<'EOP'
import json, os, shlex, subprocess, sys
build, probe = sys.argv[1], sys.argv[2]
for e in json.load(open(os.path.join(build, "compile_commands.json"))):
    if e["file"].endswith("ui/kiosk-menu-page.c"):
        args = shlex.split(e["command"])
        out, skip = [], False
        for a in args:
            if skip:
                skip = False
                continue
            if a in ("-o", "-MF", "-MQ", "-c"):
                skip = True
                continue
            if a == "-MD" or a.endswith("kiosk-menu-page.c"):
                continue
            out.append(a)
        r = subprocess.run(out + ["-fsyntax-only", probe], cwd=e["directory"], capture_output=True)
        sys.exit(r.returncode)
sys.exit(2)
EOP
}
n=$((n + 1))
if compile_as_ui "$tmp/probe-core.c"; then
    echo "ok $n - the core's headers compile as ui/ is compiled"
else
    echo "not ok $n - the core's headers do not compile as ui/ is compiled"
    fail=1
fi
n=$((n + 1))
compiled=""
for h in printer-device.h camera-device.h idcard-device.h pad-device.h kiosk-store.h kiosk-sync.h; do
    printf '#include "config.h"\n#include "%s"\n' "$h" > "$tmp/probe-driver.c"
    if compile_as_ui "$tmp/probe-driver.c"; then
        compiled="$compiled $h"
    fi
done
if [ -z "$compiled" ]; then
    echo "ok $n - no driver or store header compiles as ui/ is compiled"
else
    echo "# compiles under ui/:$compiled"
    echo "not ok $n - driver or store headers reach ui/"
    fail=1
fi
exit $fail
