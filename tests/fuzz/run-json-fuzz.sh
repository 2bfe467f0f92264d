#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the JSON decoders' libFuzzer target (fuzz-json.c) with clang
# (ASan + UBSan) in its own small build, outside meson's gcc build, and
# fuzzes for a bounded time.
#
#   tests/fuzz/run-json-fuzz.sh [SECONDS] [BUILD_DIR]
#
# SECONDS defaults to $JSON_FUZZ_SECONDS or 30. New inputs go to a scratch
# corpus in BUILD_DIR; the seed corpus in the tree is read only. Exit 0: no
# crash; 1: a crash (the reproducer is in BUILD_DIR); 77: no clang/libFuzzer
# here (skipped).
# The seed is fixed (FUZZ_SEED, default 1) so that a CI run is repeatable;
# set another to explore. A crash exits 1 (libFuzzer says 77 by default,
# which meson reads as a skip).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
seconds=${1:-${JSON_FUZZ_SECONDS:-30}}
out=${2:-${TMPDIR:-/tmp}/kiosk-json-fuzz}

command -v clang >/dev/null 2>&1 || { echo "clang not found: skipped"; exit 77; }
mkdir -p "$out/corpus"
printf '#define GETTEXT_PACKAGE "kiosk"\n#define PACKAGE_VERSION "fuzz"\n' > "$out/config.h"
pkgs="glib-2.0 gio-2.0 json-glib-1.0 cairo pango pangocairo"
# The decoders are compiled in (instrumented); zint is linked.
if ! clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -D_GNU_SOURCE -I"$out" -I"$top/drivers/printer" -I"$top/drivers/idcard" -I"$top/app" \
    $(pkg-config --cflags $pkgs) \
    "$here/fuzz-json.c" "$top/drivers/printer/print-render.c" "$top/drivers/printer/print-ledger.c" "$top/drivers/printer/print-ipp-common.c" \
    "$top/app/kiosk-identity.c" "$top/drivers/idcard/idcard-json.c" \
    "$top/drivers/idcard/sam-codec.c" "$top/drivers/idcard/sam-text.c" \
    $(pkg-config --libs $pkgs) -lzint -lm -o "$out/fuzz-json" 2>"$out/build.log"; then
    if grep -q 'libclang_rt.fuzzer\|fuzzer' "$out/build.log"; then
        cat "$out/build.log"; echo "libFuzzer runtime missing: skipped"; exit 77
    fi
    cat "$out/build.log"; exit 1
fi
cd "$out"
# Fonts are found once per process; a render takes up to ~0.5 s, hence the
# per-input timeout. -max_len: print data beyond 64 KB is refused by the caps.
# Leaks: on, with the suite's suppressions (fontconfig, GLib type system and
# cairo 1.16's per-subset leak are not ours).
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
exec ./fuzz-json -error_exitcode=1 -timeout_exitcode=1 -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -max_len=65536 -timeout=30 -rss_limit_mb=2048 \
    -print_final_stats=1 "$out/corpus" "$here/json-corpus"
