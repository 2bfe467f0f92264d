#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the image decoders' libFuzzer target (fuzz-image.c) with clang
# (ASan + UBSan) in its own small build, outside meson's gcc build, and
# fuzzes for a bounded time.
#
#   tests/fuzz/run-image-fuzz.sh [SECONDS] [BUILD_DIR]
#
# SECONDS defaults to $IMAGE_FUZZ_SECONDS or 30. New inputs go to a scratch
# corpus in BUILD_DIR; the seed corpus in the tree is read only. Exit 0: no
# crash; 1: a crash (the reproducer is in BUILD_DIR); 77: no clang/libFuzzer
# here (skipped).
# The seed is fixed (FUZZ_SEED, default 1) so that a CI run is repeatable;
# set another to explore. A crash exits 1 (libFuzzer says 77 by default,
# which meson reads as a skip).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
seconds=${1:-${IMAGE_FUZZ_SECONDS:-30}}
out=${2:-${TMPDIR:-/tmp}/kiosk-image-fuzz}

command -v clang >/dev/null 2>&1 || { echo "clang not found: skipped"; exit 77; }
mkdir -p "$out/corpus"
printf '#define GETTEXT_PACKAGE "kiosk"\n' > "$out/config.h"
pkgs="glib-2.0 gobject-2.0 gio-2.0 libpng cairo"
# The loader and the image operations are compiled in (instrumented);
# libjpeg-turbo and libpng are linked.
if ! clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -D_GNU_SOURCE -I"$out" -I"$top/drivers/camera" $(pkg-config --cflags $pkgs) \
    "$here/fuzz-image.c" "$top/drivers/camera/camera-image.c" "$top/drivers/camera/camera-page.c" \
    $(pkg-config --libs $pkgs) -ljpeg -lm -o "$out/fuzz-image" 2>"$out/build.log"; then
    if grep -q 'libclang_rt.fuzzer\|fuzzer' "$out/build.log"; then
        cat "$out/build.log"; echo "libFuzzer runtime missing: skipped"; exit 77
    fi
    cat "$out/build.log"; exit 1
fi
cd "$out"
# -max_len: seeds are under 2 KB; room for inserted chunks. -rss_limit_mb:
# an image within the largest frame (40 MP) decodes in well under 1 GB.
exec ./fuzz-image -error_exitcode=1 -timeout_exitcode=1 -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "$out/corpus" "$here/image-corpus"
