#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue #17: the Debian packages, built by tools/package from this build's
# installed files (no compiling), checked with lintian (errors fail),
# systemd-analyze verify, and by their contents. Skips without dpkg-deb.
#   test-package.sh SOURCE_ROOT BUILD_ROOT VERSION
src=$1
build=$2
version=$3
command -v dpkg-deb >/dev/null 2>&1 || { echo "1..0 # SKIP no dpkg-deb"; exit 0; }
tmp=$(mktemp -d /tmp/kiosk-package-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
check() { # description command...
    n=$((n + 1)); d=$1; shift
    if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fail=1; fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

t0=$(date +%s)
KIOSK_PACKAGE_COMPRESS="-Zgzip -z1" "$src/tools/package" "$build" "$tmp/dist" >"$tmp/package.log" 2>&1
rc=$?
sed 's/^/# /' "$tmp/package.log"
echo "# tools/package: $(($(date +%s) - t0)) s"
check "tools/package BUILDDIR exits 0" [ $rc -eq 0 ]
arch=$(dpkg --print-architecture)
kdeb="$tmp/dist/kiosk_${version}_${arch}.deb"
pdeb="$tmp/dist/kiosk-platform_${version}_${arch}.deb"
check "kiosk_${version} and kiosk-platform_${version} built (meson's version)" [ -s "$kdeb" -a -s "$pdeb" ]
[ $rc -eq 0 ] && [ -s "$kdeb" ] && [ -s "$pdeb" ] || { echo "1..$n"; exit 1; }

dpkg-deb -c "$kdeb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/kiosk.list"
dpkg-deb -c "$pdeb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/platform.list"
has() { grep -qx -- "$2" "$1" || { echo "# missing: $2"; return 1; }; }
has_re() { grep -q -- "$2" "$1" || { echo "# missing: $2"; return 1; }; }
ok=true
for f in /usr/bin/kiosk /usr/bin/kioskctl /etc/kiosk/kiosk.conf /lib/systemd/system/kiosk.service \
    /lib/udev/rules.d/70-kiosk.rules /usr/lib/sysusers.d/kiosk.conf /usr/lib/tmpfiles.d/kiosk.conf \
    /usr/share/locale/zh_CN/LC_MESSAGES/kiosk.mo /usr/share/kiosk/rating-profiles/gbt39046.conf \
    /usr/share/doc/kiosk/copyright /usr/share/doc/kiosk/changelog.gz; do
    has "$tmp/kiosk.list" "$f" || ok=false
done
for m in kiosk-cups kiosk-zxing kiosk-platform-http kiosk-libpinyin kiosk-espeak; do
    has_re "$tmp/kiosk.list" "^/usr/lib/.*/kiosk/$m\.so$" || ok=false
done
check "kiosk holds the binaries, modules, translations, assets, unit, udev, sysusers, tmpfiles" $ok
ok=true
for f in /usr/bin/kiosk-platform /usr/share/kiosk-platform/seed-catalog.json \
    /lib/systemd/system/kiosk-platform.service /usr/share/doc/kiosk-platform/copyright; do
    has "$tmp/platform.list" "$f" || ok=false
done
check "kiosk-platform holds the platform, its catalog and unit" $ok
check "the platform is only in kiosk-platform" sh -c "! grep -q kiosk-platform '$tmp/kiosk.list' || ! grep -q -e /usr/bin/kiosk-platform -e kiosk-platform.service '$tmp/kiosk.list'"

dpkg-deb -e "$kdeb" "$tmp/kiosk.DEBIAN"
check "/etc/kiosk/kiosk.conf is a conffile" grep -qx /etc/kiosk/kiosk.conf "$tmp/kiosk.DEBIAN/conffiles"
check "the packaged kiosk.conf is assets/kiosk.conf.example" \
    sh -c "dpkg-deb --fsys-tarfile '$kdeb' | tar -xO ./etc/kiosk/kiosk.conf | cmp -s - '$src/assets/kiosk.conf.example'"
kdep=$(dpkg-deb -f "$kdeb" Depends)
echo "# kiosk Depends: $kdep"
check "kiosk Depends from dpkg-shlibdeps (libgtk-4-1, libc6), cage and xwayland (cage will not start without it)" \
    sh -c "echo '$kdep' | grep -q 'libgtk-4-1' && echo '$kdep' | grep -q 'libc6 (>=' && echo '$kdep' | grep -qw cage && echo '$kdep' | grep -qw xwayland"
check "kiosk-platform Depends from dpkg-shlibdeps (libsoup-3.0-0)" sh -c "dpkg-deb -f '$pdeb' Depends | grep -q libsoup-3.0-0"
ww=$( { dpkg-deb -c "$kdeb"; dpkg-deb -c "$pdeb"; } | awk 'substr($1,1,1) != "l" && substr($1,9,1) == "w"')
[ -z "$ww" ] || echo "$ww" | sed 's/^/# world-writable: /'
check "no world-writable file or folder" [ -z "$ww" ]
check "every file is owned by root:root" sh -c "! { dpkg-deb -c '$kdeb'; dpkg-deb -c '$pdeb'; } | awk '{print \$2}' | grep -qv '^root/root$'"

# The USB ids the code knows (the [idcard] usb-ids default) have a udev rule.
ids=$(sed -n 's/.*"idcard", "usb-ids", KIOSK_KEY_LIST, FALSE, "\([^"]*\)".*/\1/p' "$src/app/kiosk-config-schema.h" | tr ';' ' ')
ok=true
[ -n "$ids" ] || { echo "# no usb-ids default found in app/kiosk-config-schema.h"; ok=false; }
for id in $ids; do
    v=${id%%:*} p=${id##*:}
    grep -q "ATTR{idVendor}==\"$v\", ATTR{idProduct}==\"$p\".*GROUP=\"kiosk\"" "$src/packaging/udev/70-kiosk.rules" \
        || { echo "# no udev rule for $id"; ok=false; }
done
check "a udev rule for each ID card reader USB id the code knows ($ids)" $ok
check "udev rules grant only the kiosk group" sh -c "! grep -v '^#' '$src/packaging/udev/70-kiosk.rules' | grep -E 'GROUP=|MODE=' | grep -v 'GROUP=\"kiosk\"' | grep -q ."
check "udev rules never make a device world-accessible" sh -c "! grep -v '^#' '$src/packaging/udev/70-kiosk.rules' | grep -Eq 'MODE=\"0?[0-7][0-7][1-7]\"'"

# systemd-analyze verify, against the unpacked packages as the root (so
# /usr/bin/kiosk exists) with cage stood in by an executable if absent.
if command -v systemd-analyze >/dev/null 2>&1; then
    root="$tmp/root"
    mkdir -p "$root"
    dpkg-deb -x "$kdeb" "$root"
    dpkg-deb -x "$pdeb" "$root"
    ok=true
    for u in kiosk.service kiosk-platform.service; do
        cp "$root/lib/systemd/system/$u" "$tmp/$u"
        # Executables resolved inside the unpacked packages; cage may be absent here.
        sed -i -e "s|/usr/bin/cage |$(command -v true) |" -e "s|/usr/bin/kiosk|$root/usr/bin/kiosk|g" "$tmp/$u"
        out=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$tmp/$u" 2>&1)
        r=$?
        out=$(printf '%s\n' "$out" | grep -v -e 'getty@tty7' -e '^$')
        [ -z "$out" ] || printf '%s\n' "$out" | sed "s/^/# $u: /"
        [ $r -eq 0 ] && [ -z "$out" ] || ok=false
    done
    check "systemd-analyze verify: kiosk.service and kiosk-platform.service, no warning" $ok
else
    skip "systemd-analyze verify" "no systemd-analyze"
fi
u="$src/packaging/systemd/kiosk.service"
ok=true
for l in Type=notify WatchdogSec= NotifyAccess=all Restart=always User=kiosk ProtectSystem=strict \
    ReadWritePaths=/var/lib/kiosk PrivateTmp=yes NoNewPrivileges=yes DevicePolicy=closed 'ExecStart=/usr/bin/cage '; do
    grep -q "^$l" "$u" || { echo "# kiosk.service lacks $l"; ok=false; }
done
check "kiosk.service: cage, kiosk user, notify + watchdog, restart, hardening" $ok

if command -v lintian >/dev/null 2>&1; then
    t0=$(date +%s)
    lintian --tag-display-limit 0 "$kdeb" "$pdeb" >"$tmp/lintian.log" 2>&1
    grep -v 'running with root privileges' "$tmp/lintian.log" | sed 's/^/# lintian: /'
    echo "# lintian: $(($(date +%s) - t0)) s"
    check "lintian: no error" sh -c "! grep -q '^E: ' '$tmp/lintian.log'"
else
    skip "lintian" "no lintian (tools/setup-deps)"
fi

echo "1..$n"
exit $fail
