#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the domain codec's libFuzzer target (fuzz-domain.c) with clang
# (ASan + UBSan) in its own small build and fuzzes for a bounded time.
#
#   tests/fuzz/run-domain-fuzz.sh [SECONDS] [BUILD_DIR]
#
# Exit 0: no crash; 1: a crash (the reproducer is in BUILD_DIR); 77: no
# clang/libFuzzer here (skipped). The seed is fixed (FUZZ_SEED, default 1).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
seconds=${1:-${DOMAIN_FUZZ_SECONDS:-30}}
out=${2:-${TMPDIR:-/tmp}/kiosk-domain-fuzz}

command -v clang >/dev/null 2>&1 || { echo "clang not found: skipped"; exit 77; }
mkdir -p "$out/corpus"
printf '#define GETTEXT_PACKAGE "kiosk"\n#define PACKAGE_VERSION "fuzz"\n' > "$out/config.h"
pkgs="glib-2.0 gobject-2.0 json-glib-1.0"
if ! clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -D_GNU_SOURCE -I"$out" -I"$top/app/domain" -I"$top/app" \
    $(pkg-config --cflags $pkgs) \
    "$here/fuzz-domain.c" "$top/app/domain/kiosk-catalog-item.c" "$top/app/domain/kiosk-case-draft.c" \
    "$top/app/domain/kiosk-domain-codec.c" "$top/app/domain/kiosk-domain-rules.c" "$top/app/kiosk-identity.c" \
    $(pkg-config --libs $pkgs) -o "$out/fuzz-domain" 2>"$out/build.log"; then
    if grep -q 'libclang_rt.fuzzer\|fuzzer' "$out/build.log"; then
        cat "$out/build.log"; echo "libFuzzer runtime missing: skipped"; exit 77
    fi
    cat "$out/build.log"; exit 1
fi
cd "$out"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
exec ./fuzz-domain -error_exitcode=1 -timeout_exitcode=1 -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" \
    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$out/corpus" "$here/domain-corpus"
