#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The kiosk draws its first frame without the libraries that only drivers
# need: they are kiosk modules, loaded on first use (app/kiosk-module.h).
# This guards it: a driver linking one of them into the kiosk again shows
# up here, before the startup benchmark would notice.
#   test-startup-libs.sh KIOSK_BINARY
kiosk=$1
n=0
fail=0
libs=$(ldd "$kiosk") || { echo "1..0 # SKIP ldd failed on $kiosk"; exit 0; }
for lib in libcamera libZXing libcups libsoup-3 libgnutls liblttng-ust libkrb5 libavahi-client libpinyin libdb-5; do
    n=$((n + 1))
    if echo "$libs" | grep -q "$lib"; then
        echo "not ok $n - the kiosk does not load $lib at start (it does: move it into a kiosk module)"
        fail=1
    else
        echo "ok $n - the kiosk does not load $lib at start"
    fi
done
echo "1..$n"
exit $fail
