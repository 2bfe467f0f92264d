#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# kioskctl doctor: a full report with no configuration file, with a broken
# one (every problem with its key), against the platform (reachable, clock
# skew, kiosk id known), and with a kiosk's state file (what the kiosk sees,
# a crashed kiosk). Exit codes: 0 no finding, 1 findings, 2 doctor could
# not run.
#   test-doctor.sh KIOSKCTL SOURCE_DIR KIOSK_PLATFORM
set -u
kioskctl=$1
src=$2
platform_bin=$3
tap_name=doctor; . "$(dirname "$0")/tap-lib.sh"

# A USB bus in sysfs form: a known ID card reader claimed by a program
# (usbfs), and a hub that is nothing of ours.
mkdir -p "$tmp/usb/1-1" "$tmp/usb/1-1:1.0" "$tmp/usb/1-2" "$tmp/drivers/usbfs"
printf '0400\n' >"$tmp/usb/1-1/idVendor"; printf 'c35a\n' >"$tmp/usb/1-1/idProduct"
printf 'iDR200\n' >"$tmp/usb/1-1/product"
ln -s "$tmp/drivers/usbfs" "$tmp/usb/1-1:1.0/driver"
printf '1d6b\n' >"$tmp/usb/1-2/idVendor"; printf '0002\n' >"$tmp/usb/1-2/idProduct"
export KIOSK_SYSFS_USB="$tmp/usb"

sections="config kiosk devices modules fonts printers usb cameras disk clock platform"

# ---- no configuration file at all ------------------------------------------
"$kioskctl" --config "$tmp/none.conf" doctor >"$tmp/text" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && ok "no configuration: doctor exits 1 (findings)" || not_ok "no configuration: exit $rc"
grep -q "^configuration: $tmp/none.conf: NOT FOUND" "$tmp/text" && ok "text names the file looked for" \
    || not_ok "text: $(head -3 "$tmp/text")"
missing=
for s in kiosk devices modules fonts printers usb cameras disk clock platform; do
    grep -q "^$s:" "$tmp/text" || missing="$missing $s"
done
[ -z "$missing" ] && ok "text reports every section" || not_ok "text lacks:$missing"
grep -q "ID card reader 0400:c35a at 1-1 (iDR200): held by a program" "$tmp/text" \
    && ok "text lists the known reader on USB" || not_ok "text: no reader line"
grep -Eq '^[0-9]+ findings? \(marked !\)$' "$tmp/text" && ok "text ends with the number of findings" \
    || not_ok "text end: $(tail -1 "$tmp/text")"

"$kioskctl" --config "$tmp/none.conf" --json doctor >"$tmp/json" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && ok "no configuration: doctor --json exits 1" || not_ok "no configuration --json: exit $rc"
pycheck "--json: every section, each with ok and findings" "
for s in '$sections'.split():
    assert isinstance(d[s], dict), s
    assert isinstance(d[s]['ok'], bool) and isinstance(d[s]['findings'], list), s
assert d['ok'] is False and len(d['findings']) >= 1" <"$tmp/json"
pycheck "--json config: the file looked for, not found, not valid, the error" "
c=d['config']
assert c['path']=='$tmp/none.conf' and c['found'] is False and c['valid'] is False
assert 'none.conf' in c['errors'][0]['message'] and c['errors'][0]['key'] is None
assert not c['ok']" <"$tmp/json"
pycheck "--json kiosk and devices: no kiosk, no device list without a configuration" "
assert d['kiosk']['status']=='not-running' and d['kiosk']['running'] is False
assert d['kiosk']['state_file'].endswith('.state.json')
assert d['devices']['devices']==[]" <"$tmp/json"
pycheck "--json modules: the kiosk modules, each loading from the build" "
m={x['name']: x for x in d['modules']['modules']}
assert {'kiosk-zxing','kiosk-cups','kiosk-platform-http','kiosk-libpinyin','kiosk-espeak'} <= set(m)
assert all(x['loads'] and x['path'].endswith(x['name']+'.so') for x in m.values())" <"$tmp/json"
pycheck "--json fonts: the three families the documents use, found" "
f={x['family']: x for x in d['fonts']['fonts']}
assert set(f)=={'Noto Serif CJK SC','Noto Sans CJK SC','DejaVu Sans'}
assert all(x['found'] and x['file'] for x in f.values()), f" <"$tmp/json"
pycheck "--json printers: a list (CUPS queues and DNS-SD), searched in bounded time" "
p=d['printers']
assert isinstance(p['printers'], list) and p['searched_ms'] < 10000
assert all(x['kind'] in ('cups-queue','driverless-ipp') for x in p['printers'])" <"$tmp/json"
pycheck "--json usb: the known reader by VID:PID, claimed, and nothing else" "
u=d['usb']
assert u['readable'] and u['usb_devices_seen']==2
assert [(x['id'], x['role'], x['claimed'], x['product']) for x in u['devices']]==[('0400:c35a','idcard',True,'iDR200')]
assert '0400:c35a' in u['known_reader_ids']" <"$tmp/json"
pycheck "--json cameras, disk, clock, platform" "
assert isinstance(d['cameras']['cameras'], list) and isinstance(d['cameras']['libcamera'], bool)
assert d['disk']['free_bytes'] > 0 and d['disk']['min_free_bytes']==64*1024*1024
assert d['clock']['now'][:2]=='20' and d['clock']['synchronized'] in (True, False, None) and d['clock']['ok']
assert d['platform']['checked'] is False" <"$tmp/json"

# The default file, when there is none (as on a fresh machine).
if [ ! -e /etc/kiosk/kiosk.conf ]; then
    "$kioskctl" --json doctor --no-network >"$tmp/json" 2>/dev/null; rc=$?
    [ $rc -eq 1 ] && ok "default configuration missing: exit 1" || not_ok "default missing: exit $rc"
    pycheck "default configuration missing: JSON report naming /etc/kiosk/kiosk.conf" "
assert d['config']['path']=='/etc/kiosk/kiosk.conf' and not d['config']['found']
assert d['fonts']['fonts'] and 'usb' in d" <"$tmp/json"
else
    ok "# SKIP /etc/kiosk/kiosk.conf exists here"; ok "# SKIP"
fi

# ---- a configuration with several problems -----------------------------------
cat >"$tmp/bad.conf" <<CONF
[kiosk]
id=k1
idd=typo
station=s
[session]
idle-warning-seconds=1
[platform]
url=https://p.example/
[printer]
backend=laser
CONF
"$kioskctl" --config "$tmp/bad.conf" --json doctor --no-network >"$tmp/json" 2>/dev/null; rc=$?
[ $rc -eq 1 ] && ok "bad configuration: exit 1" || not_ok "bad configuration: exit $rc"
pycheck "bad configuration: every problem, each with its group and key" "
c=d['config']
assert c['found'] and not c['valid']
keys=sorted((e['group'], e['key']) for e in c['errors'])
assert keys==[('kiosk','idd'),('printer','backend'),('session','idle-warning-seconds'),('store','path')], keys
assert all('bad.conf' in e['message'] for e in c['errors'])
assert d['fonts']['fonts'] and d['usb']['devices']" <"$tmp/json"
"$kioskctl" --config "$tmp/bad.conf" doctor --no-network >"$tmp/text" 2>/dev/null
grep -q "! .*\[printer\] backend = 'laser'" "$tmp/text" && grep -q "! .*unknown key \[kiosk\] idd" "$tmp/text" \
    && ok "bad configuration: text names each key" || not_ok "bad configuration text"

# ---- doctor itself cannot run: exit 2, JSON too --------------------------------
"$kioskctl" doctor --bogus >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "bad doctor argument: exit 2" || not_ok "bad doctor argument: exit $rc"
"$kioskctl" --json doctor --timeout 0 >"$tmp/json" 2>/dev/null; rc=$?
[ $rc -eq 2 ] && ok "bad doctor argument --json: exit 2" || not_ok "bad doctor argument --json: exit $rc"
pycheck "bad doctor argument --json: a JSON error" "
assert d['ok'] is False and d['exit_code']==2 and 'usage' in d['error']" <"$tmp/json"

# ---- the platform: unreachable, known kiosk, unknown kiosk --------------------
conf() { # ID URL
    cat >"$tmp/kiosk.conf" <<CONF
[kiosk]
id=$1
station=测试站
[store]
path=$tmp/store/kiosk.db
[platform]
url=$2
allow-http=true
[idcard]
backend=sim
[camera]
backend=sim
[pad]
backend=sim
[printer]
backend=sim
CONF
}
conf k-doc-1 "http://127.0.0.1:9/"
"$kioskctl" --config "$tmp/kiosk.conf" --json doctor --timeout 3 >"$tmp/json" 2>/dev/null; rc=$?
[ $rc -eq 1 ] && ok "platform down: exit 1" || not_ok "platform down: exit $rc"
pycheck "platform down: unreachable, a finding; simulated devices not started" "
p=d['platform']
assert p['checked'] and p['reachable'] is False and not p['ok'] and 'unreachable' in p['findings'][0]
dev={x['kind']: x for x in d['devices']['devices']}
assert all(x['backend']=='sim' and x['source']=='none' and x['state']=='unknown' for x in dev.values()), dev
assert d['kiosk']['status']=='not-running' and not d['kiosk']['ok']" <"$tmp/json"

start_platform "$platform_bin" --db "$tmp/platform.db" --kiosks k-doc-1,k-doc-2
[ -n "$url" ] || { not_ok "platform did not start"; cat "$tmp/platform.err"; echo "1..$n"; exit 1; }
conf k-doc-1 "$url"
"$kioskctl" --config "$tmp/kiosk.conf" --json doctor --timeout 10 >"$tmp/json" 2>/dev/null
pycheck "platform up: reachable, HTTP 200, clock skew measured, kiosk id known" "
p=d['platform']
assert p['reachable'] and p['http_status']==200 and p['kiosk_known'] is True and p['ok'], p
assert abs(p['clock_skew_seconds']) <= 5 and p['tls'] is False" <"$tmp/json"
conf k-stranger "$url"
"$kioskctl" --config "$tmp/kiosk.conf" --json doctor --timeout 10 >"$tmp/json" 2>/dev/null
pycheck "platform up: an unknown kiosk id is a finding" "
p=d['platform']
assert p['reachable'] and p['http_status']==404 and p['kiosk_known'] is False and p['error_code']=='unknown_kiosk'
assert not p['ok'] and 'k-stranger' in p['findings'][0]" <"$tmp/json"
"$kioskctl" --config "$tmp/kiosk.conf" doctor --timeout 10 >"$tmp/text" 2>/dev/null
grep -q "clock skew: [+-][0-9]* s against the platform's Date" "$tmp/text" && ok "text: the clock skew" \
    || not_ok "text: no clock skew line"

# ---- a platform with --kiosk-tokens: [platform] token is sent ------------------
kill "$platform_pid"; wait "$platform_pid" 2>/dev/null; platform_pid=
printf 'k-doc-1:k-doc-1-token-0123456789\n' >"$tmp/tokens"
start_platform "$platform_bin" --db "$tmp/platform-tokens.db" --kiosk-tokens "$tmp/tokens"
conf k-doc-1 "$url"
sed -i '/^allow-http=true/a token=k-doc-1-token-0123456789' "$tmp/kiosk.conf"
"$kioskctl" --config "$tmp/kiosk.conf" --json doctor --timeout 10 >"$tmp/json" 2>/dev/null
pycheck "kiosk token: the doctor sends [platform] token, the platform knows the kiosk" "
p=d['platform']
assert d['config']['valid'], d['config']
assert p['http_status']==200 and p['kiosk_known'] is True and p['ok'], p" <"$tmp/json"
sed -i 's/^token=.*/token=k-doc-1-token-9999999999/' "$tmp/kiosk.conf"
"$kioskctl" --config "$tmp/kiosk.conf" --json doctor --timeout 10 >"$tmp/json" 2>/dev/null
pycheck "kiosk token: a wrong token is a finding (HTTP 401)" "
p=d['platform']
assert p['http_status']==401 and not p['ok'] and p['findings'], p" <"$tmp/json"

# ---- TLS: the pinned CA, the kiosk's client certificate, a wrong CA ----------
if command -v openssl >/dev/null; then
    kill "$platform_pid"; wait "$platform_pid" 2>/dev/null; platform_pid=
    ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
    (cd "$tmp" && printf 'subjectAltName=IP:127.0.0.1\n' >san.ext && printf 'extendedKeyUsage=clientAuth\n' >client.ext \
        && openssl req -x509 $ec -keyout ca.key -out ca.pem -days 30 -subj /CN=kiosk-test-ca \
        && openssl req -x509 $ec -keyout other.key -out other.pem -days 30 -subj /CN=other \
        && openssl req $ec -keyout server.key -out server.csr -subj /CN=127.0.0.1 \
        && openssl req $ec -keyout client.key -out client.csr -subj /CN=k-doc-1 \
        && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 365 -extfile san.ext \
        && openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 365 -extfile client.ext) \
        >"$tmp/openssl.log" 2>&1 || { not_ok "openssl could not make the test certificates"; cat "$tmp/openssl.log"; }
    : >"$tmp/platform.out"
    "$platform_bin" --listen 127.0.0.1:0 --db "$tmp/platform-tls.db" --tls-cert "$tmp/server.pem" --tls-key "$tmp/server.key" \
        --client-ca "$tmp/ca.pem" >"$tmp/platform.out" 2>"$tmp/platform.err" &
    platform_pid=$!
    url=
    for i in $(seq 1 100); do
        url=$(sed -n 's/^listening on //p' "$tmp/platform.out" 2>/dev/null | head -1)
        [ -n "$url" ] && break
        sleep 0.1
    done
    conf k-doc-1 "$url"
    printf 'ca-file=%s\nclient-cert=%s\nclient-key=%s\n' "$tmp/ca.pem" "$tmp/client.pem" "$tmp/client.key" >>"$tmp/kiosk.conf"
    sed -i '/^allow-http/d' "$tmp/kiosk.conf"
    # [platform] keys must sit in [platform]: move them up.
    python3 - "$tmp/kiosk.conf" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
extra = [l for l in lines if l.split('=')[0] in ('ca-file', 'client-cert', 'client-key')]
rest = [l for l in lines if l not in extra]
i = rest.index('[platform]') + 1
open(sys.argv[1], 'w').write('\n'.join(rest[:i] + extra + rest[i:]) + '\n')
PY
    "$kioskctl" --config "$tmp/kiosk.conf" --json doctor --timeout 10 >"$tmp/json" 2>/dev/null
    pycheck "https with the pinned CA and the kiosk's certificate: TLS ok, the certificate named" "
p=d['platform']
assert d['config']['valid'], d['config']
assert p['tls'] and p['tls_ok'] and p['http_status']==200 and p['kiosk_known'] is True and p['ok'], p
assert 'CN=127.0.0.1' in p['certificate_subject'] and p['certificate_valid_until'][:2]=='20'" <"$tmp/json"
    sed -i "s|^ca-file=.*|ca-file=$tmp/other.pem|" "$tmp/kiosk.conf"
    "$kioskctl" --config "$tmp/kiosk.conf" --json doctor --timeout 10 >"$tmp/json" 2>/dev/null
    pycheck "https with another CA pinned: reachable, TLS refused, a finding" "
p=d['platform']
assert p['reachable'] and p['tls_ok'] is False and not p['ok'] and 'TLS' in p['findings'][0], p" <"$tmp/json"
else
    ok "# SKIP no openssl"; ok "# SKIP no openssl"
fi

# ---- what the kiosk sees: its state file ------------------------------------------
conf k-doc-1 "$url"
mkdir -p "$tmp/store"
now=$(date +%s)
state() { # PID RUNNING UPDATED
    printf '{"format":1,"pid":%s,"running":%s,"updated_at":%s,"heartbeat_seconds":5,"session":"attract",
"cards_read":2,"online":true,"backlog":0,"accepting":true,"store_error":null,"devices":{
"idcard":{"backend":"sim","state":"ready","reason":"waiting for a card","message":null},
"camera":{"backend":"sim","state":"ready","reason":"simulator","message":null},
"pad":{"backend":"sim","state":"ready","reason":"simulated pad","message":null},
"printer":{"backend":"sim","state":"absent","reason":"printer unreachable","message":"打印机未连接"}}}' \
        "$1" "$2" "$3" >"$tmp/store/kiosk.db.state.json"
}
# This shell stands for the kiosk: a live process with a fresh heartbeat.
state $$ true "$now"
"$kioskctl" --config "$tmp/kiosk.conf" --json doctor --timeout 10 >"$tmp/json" 2>/dev/null; rc=$?
[ $rc -eq 1 ] && ok "running kiosk with a printer it cannot reach: exit 1" || not_ok "running kiosk: exit $rc"
pycheck "running kiosk: each device as the kiosk sees it, in use by the kiosk; its printer problem a finding" "
k=d['kiosk']
assert k['status']=='running' and k['running'] and k['cards_read']==2 and k['ok'], k
dev={x['kind']: x for x in d['devices']['devices']}
assert all(x['source']=='kiosk' and x['in_use_by_kiosk'] for x in dev.values()), dev
assert dev['idcard']['state']=='ready' and dev['printer']['state']=='absent'
assert len(d['devices']['findings'])==1 and '打印机未连接' in d['devices']['findings'][0]" <"$tmp/json"
"$kioskctl" --config "$tmp/kiosk.conf" doctor --no-network >"$tmp/text" 2>/dev/null
grep -q "printer  sim   absent (as the kiosk sees it; in use by the kiosk): printer unreachable" "$tmp/text" \
    && ok "text: the kiosk's view of the printer" || not_ok "text: $(grep printer "$tmp/text")"

# A real camera the kiosk uses: a listing here that does not show it is no
# finding while the kiosk says its camera is ready; without the kiosk it is.
sed -i '/^\[camera\]/{n;s/backend=sim/backend=real/}' "$tmp/kiosk.conf"
"$kioskctl" --config "$tmp/kiosk.conf" --json doctor --no-network >"$tmp/json" 2>/dev/null
pycheck "a real camera the running kiosk has ready: no camera finding" "
c=d['cameras']
assert c['configured_backend']=='real' and (c['ok'] or c['cameras']), c" <"$tmp/json"
rm -f "$tmp/store/kiosk.db.state.json"
"$kioskctl" --config "$tmp/kiosk.conf" --json doctor --no-network >"$tmp/json" 2>/dev/null
pycheck "a real camera and no kiosk: libcamera listing none is a finding" "
c=d['cameras']
assert c['cameras'] or (not c['ok'] and c['findings']), c" <"$tmp/json"
sed -i '/^\[camera\]/{n;s/backend=real/backend=sim/}' "$tmp/kiosk.conf"

# A kiosk that died without stopping (its pid is gone).
sh -c 'exit 0' & dead=$!; wait $dead
state "$dead" true "$now"
"$kioskctl" --config "$tmp/kiosk.conf" --json doctor --no-network >"$tmp/json" 2>/dev/null
pycheck "a kiosk that ended without stopping: gone, a finding" "
k=d['kiosk']
assert k['status']=='gone' and not k['ok'] and 'crashed' in k['findings'][0]
dev={x['kind']: x for x in d['devices']['devices']}
assert all(x['source']=='kiosk-last' for x in dev.values()), dev" <"$tmp/json"
# A kiosk whose heartbeat stopped while its process lives: its devices are
# left alone.
state $$ true $((now - 600))
"$kioskctl" --config "$tmp/kiosk.conf" --json doctor --no-network >"$tmp/json" 2>/dev/null
pycheck "a hung kiosk: a finding, and its devices are not opened" "
assert d['kiosk']['status']=='hung' and not d['kiosk']['ok']
dev={x['kind']: x for x in d['devices']['devices']}
assert all(x['in_use_by_kiosk'] and x['source']=='none' for x in dev.values()), dev" <"$tmp/json"

# ---- a known device present but out of the kiosk user's reach (issue 17) --
# Its node as the udev rules would leave it (0660, the kiosk's group) and as
# without them (0600 root): doctor reads owner, group and mode for the user.
printf '1\n' >"$tmp/usb/1-1/busnum"; printf '4\n' >"$tmp/usb/1-1/devnum"
mkdir -p "$tmp/devusb/001"; : >"$tmp/devusb/001/004"
export KIOSK_DEVFS_USB="$tmp/devusb" KIOSK_DOCTOR_USER=nobody
chmod 0600 "$tmp/devusb/001/004"
"$kioskctl" --config "$tmp/none.conf" --json doctor --no-network >"$tmp/json" 2>/dev/null
pycheck "a reader the kiosk user cannot open: a finding naming the node and the udev rules" "
x=d['usb']['devices'][0]
assert x['node'].endswith('/devusb/001/004') and x['kiosk_user']=='nobody', x
assert x['accessible_to_kiosk'] is False and 'not readable and writable by nobody' in x['access_problem'], x
assert not d['usb']['ok'] and any('cannot open' in f and '70-kiosk.rules' in f for f in d['usb']['findings'])" <"$tmp/json"
"$kioskctl" --config "$tmp/none.conf" doctor --no-network >"$tmp/text" 2>/dev/null
grep -q '0400:c35a is plugged in but the kiosk user cannot open it' "$tmp/text" \
    && ok "text: the reader is present but not accessible" || not_ok "text: no access finding"
chmod 0666 "$tmp/devusb/001/004"
"$kioskctl" --config "$tmp/none.conf" --json doctor --no-network >"$tmp/json" 2>/dev/null
pycheck "the same reader opened by the kiosk user: no access finding" "
x=d['usb']['devices'][0]
assert x['accessible_to_kiosk'] is True and x['access_problem'] is None, x
assert not any('cannot open' in f for f in d['usb']['findings'])" <"$tmp/json"
unset KIOSK_DEVFS_USB KIOSK_DOCTOR_USER

echo "1..$n"
exit $fail
