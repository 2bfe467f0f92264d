#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet view (issue #18 point 3) over HTTP: GET /v1/admin/fleet with
heartbeats of several kiosks (one stops and turns silent after
--silent-after, listed first; a registered kiosk never heard from is
silent too), device reasons, today's cases and ratings counted per kiosk;
the county account's login (401 without the session, wrong password
refused, a forged cookie refused, logout); --kiosk-tokens; the
`kiosk-platform fleet` and `hash-password` subcommands.

    test-fleet.py BUILD_DIR"""

import gzip
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fleetlib  # noqa: E402

build = sys.argv[1]
t = fleetlib.Tap()
binary = fleetlib.platform_binary(build)

# ---- hash-password --------------------------------------------------------
pw = 'county-secret-2026'
h = fleetlib.hash_password(build, pw)
t.ok(h.startswith('$argon2id$'), 'hash-password prints an Argon2id hash', h)
h2 = fleetlib.hash_password(build, pw)
t.ok(h2 != h, 'two hashes of one password differ (salted)')
r = subprocess.run([binary, 'hash-password'], input='short\n', capture_output=True, text=True)
t.ok(r.returncode != 0 and r.stdout == '', 'hash-password refuses a password under 8 characters', r.stderr)

wd = fleetlib.workdir('fleet')
accounts = os.path.join(wd, 'accounts')
with open(accounts, 'w') as f:
    f.write('# county accounts\ncounty:%s\n' % h)

SILENT = 3
p = fleetlib.Platform(build, wd, '--admin-accounts', accounts, '--silent-after', str(SILENT), '--kiosks',
                      'K-0009,K-0001,K-0002,K-0003')
try:
    # ---- authentication ---------------------------------------------------
    st, _ = p.fleet()
    t.ok(st == 401, 'fleet JSON without a session: 401', st)
    st, _, _ = p.request('GET', '/v1/admin/stats')
    t.ok(st == 401, '/v1/admin/stats with --admin-accounts and no session: 401', st)
    st, hd, _ = p.request('GET', '/fleet')
    t.ok(st == 303 and hd.get('location') == '/fleet/login', 'the page without a session sends to the login', (st, hd))
    st, hd, body = p.request('GET', '/fleet/login')
    t.ok(st == 200 and '县域自助终端运行状态' in body.decode() and 'password' in body.decode(), 'the login form')
    t.ok("default-src 'self'" in hd.get('content-security-policy', ''), 'pages carry a Content-Security-Policy')

    st, loc, cookie = p.login('county', 'wrong-password')
    t.ok(st == 303 and loc == '/fleet/login?failed=1' and cookie is None, 'a wrong password is refused', (st, loc))
    st, loc, cookie = p.login('nobody', pw)
    t.ok(cookie is None and loc == '/fleet/login?failed=1', 'an unknown account is refused', (st, loc))
    st, loc, cookie = p.login('county', pw)
    t.ok(st == 303 and loc == '/fleet' and cookie, 'the right password logs in', (st, loc))
    sc = getattr(p, 'last_set_cookie', '')
    t.ok('HttpOnly' in sc and 'SameSite=Strict' in sc, 'the session cookie is HttpOnly and SameSite=Strict', sc)
    st, _ = p.fleet(cookie)
    t.ok(st == 200, 'fleet JSON with the session: 200', st)
    st, _, _ = p.request('GET', '/v1/admin/stats', None, {'Cookie': 'kiosk_fleet_session=' + cookie})
    t.ok(st == 200, '/v1/admin/stats with the session: 200', st)
    parts = cookie.split('.')
    forged = '.'.join([parts[0], str(int(parts[1]) + 3600)] + parts[2:])
    t.ok(p.fleet(forged)[0] == 401, 'a cookie with its expiry changed is refused')
    t.ok(p.fleet('admin' + cookie[len('county'):])[0] == 401, 'a cookie with another name is refused')
    # Five wrong passwords in a row: the next attempt, even the right one,
    # is refused unchecked for 1 s; then the right one works again.
    for n in range(5):
        p.login('county', 'wrong-%d' % n)
    st, loc, c2 = p.login('county', pw)
    t.ok(c2 is None and loc == '/fleet/login?failed=1', 'after 5 wrong passwords in a row the next is refused', loc)
    time.sleep(1.2)
    st, loc, c2 = p.login('county', pw)
    t.ok(c2 is not None and loc == '/fleet', 'a second later the right password works again', loc)
    st, hd, _ = p.request('GET', '/fleet', None, {'Cookie': 'kiosk_fleet_session=' + cookie})
    t.ok(st == 200 and 'text/html' in hd.get('content-type', ''), 'the page with the session', (st, hd))
    for f in ('fleet.js', 'fleet.css', 'login.js'):
        st, hd, _ = p.request('GET', '/fleet/' + f)
        t.ok(st == 200, 'the page\'s %s is served from the binary' % f, st)
    st, hd, _ = p.request('POST', '/fleet/logout', '', {'Cookie': 'kiosk_fleet_session=' + cookie})
    t.ok(st == 303 and any(c.startswith('kiosk_fleet_session=;') and 'Max-Age=0' in c for c in hd.get('set-cookie', [])),
         'logout clears the cookie', hd)

    # ---- the fleet -----------------------------------------------------------
    # K-0003 sends one heartbeat and then stops; K-0001 and K-0002 keep on.
    printer_out = {'idcard': 'ready', 'camera': 'ready', 'pad': 'ready', 'printer': 'error'}
    t.ok(p.heartbeat('K-0003') == 200, 'heartbeat of K-0003')
    t.ok(p.heartbeat('K-0001', printer_out, {'printer': 'media-empty', 'idcard': 'simulated'}, backlog=4,
                     oldest=5400) == 200, 'heartbeat of K-0001 (printer out of paper)')
    t.ok(p.heartbeat('K-0002', {'idcard': 'absent', 'printer': 'ready'}, {'idcard': 'reader unplugged'}) == 200,
         'heartbeat of K-0002 (reader unplugged)')
    for n in range(3):
        t.ok(p.submit_case('K-0001', n) == 201, 'case %d of K-0001' % n)
    t.ok(p.submit_case('K-0002', 0) == 201, 'case of K-0002')
    t.ok(p.submit_rating('K-0001') == 201, 'a rating from K-0001')
    t.ok(p.submit_rating('K-0002') == 201, 'rating 1 from K-0002')
    t.ok(p.submit_rating('K-0002') == 201, 'rating 2 from K-0002')

    st, f = p.fleet(cookie)
    k = {x['kiosk_id']: x for x in f['kiosks']}
    order = [x['kiosk_id'] for x in f['kiosks']]
    t.ok(order[0] == 'K-0009' and k['K-0009']['silent'] and k['K-0009']['last_heartbeat_at'] is None,
         'a registered kiosk never heard from is silent and first', order)
    t.ok(not any(k[i]['silent'] for i in ('K-0001', 'K-0002', 'K-0003')), 'kiosks just heard are not silent', f)
    t.ok(f['total'] == 4 and f['silent'] == 1 and f['silent_after_seconds'] == SILENT, 'totals', f)
    pr = k['K-0001']['devices']['printer']
    t.ok(pr == {'state': 'error', 'reason': 'media-empty'}, 'the printer\'s state and its reason', pr)
    t.ok(k['K-0002']['devices']['idcard'] == {'state': 'absent', 'reason': 'reader unplugged'},
         'the reader\'s state and its reason', k['K-0002']['devices'])
    t.ok(k['K-0001']['backlog'] == 4 and k['K-0001']['oldest_pending_age_seconds'] == 5400,
         'backlog and the age of its oldest item', k['K-0001'])
    t.ok(k['K-0001']['app_version'] == '0.1.0', 'app version', k['K-0001'])
    t.ok((k['K-0001']['cases_today'], k['K-0002']['cases_today'], k['K-0003']['cases_today']) == (3, 1, 0),
         'today\'s cases per kiosk, counted in the database', [(i, k[i]['cases_today']) for i in sorted(k)])
    t.ok((k['K-0001']['ratings_today'], k['K-0002']['ratings_today']) == (1, 2), 'today\'s ratings per kiosk',
         [(i, k[i]['ratings_today']) for i in sorted(k)])
    t.ok([k[i]['problem'] for i in ('K-0001', 'K-0002', 'K-0003', 'K-0009')] == [True, True, False, True]
         and f['problems'] == 3, 'problem: a device failing or gone, or silent', f)

    # K-0003 falls silent; the others keep sending.
    deadline = time.time() + SILENT + 1.5
    while time.time() < deadline:
        p.heartbeat('K-0001', printer_out, {'printer': 'media-empty'}, backlog=4, oldest=5400)
        p.heartbeat('K-0002', {'idcard': 'absent', 'printer': 'ready'}, {'idcard': 'reader unplugged'})
        time.sleep(0.5)
    st, f = p.fleet(cookie)
    order = [x['kiosk_id'] for x in f['kiosks']]
    k = {x['kiosk_id']: x for x in f['kiosks']}
    t.ok(order[:2] == ['K-0009', 'K-0003'] and k['K-0003']['silent'], 'K-0003 stopped: silent, listed first', order)
    t.ok(k['K-0003']['heartbeat_age_seconds'] > SILENT, 'its heartbeat age passed the threshold', k['K-0003'])
    t.ok(not k['K-0001']['silent'] and not k['K-0002']['silent'] and order[2:] == ['K-0001', 'K-0002'],
         'the kiosks still sending follow, by id', order)

    # ---- kiosk-platform fleet ---------------------------------------------------
    r = subprocess.run([binary, 'fleet', '--db', p.db, '--silent-after', str(SILENT), '--kiosks', 'K-0009'],
                       capture_output=True, text=True)
    lines = r.stdout.splitlines()
    t.ok(r.returncode == 0 and lines[0].startswith('4 kiosks, 2 silent'), 'fleet: the summary line', r.stdout + r.stderr)
    t.ok(lines[1].split()[:3] == ['STATUS', 'KIOSK', 'HEARD'], 'fleet: the header', lines[1:2])
    t.ok(lines[2].split()[:3] == ['SILENT', 'K-0009', 'never'] and lines[3].split()[:2] == ['SILENT', 'K-0003'],
         'fleet: silent kiosks first', r.stdout)
    row1 = next((l for l in lines if ' K-0001 ' in l), '')
    t.ok(row1.split()[0] == 'PROBLEM' and 'printer=error(media-empty)' in row1 and row1.split()[6] == '3',
         'fleet: K-0001 with its printer\'s reason and 3 cases today', row1)
    t.ok(lines[0].startswith('4 kiosks, 2 silent, 4 with a problem'), 'fleet: problems counted', lines[0])
    p.heartbeat('K-0002', {'idcard': 'ready', 'printer': 'ready'}, {})
    p.heartbeat('K-0001', printer_out, {'printer': 'media-empty'})
    r = subprocess.run([binary, 'fleet', '--db', p.db, '--silent-after', str(SILENT), '--problems'],
                       capture_output=True, text=True)
    ids = [l.split()[1] for l in r.stdout.splitlines()[2:]]
    t.ok(r.returncode == 0 and ids == ['K-0003', 'K-0001'], 'fleet --problems: K-0002 mended is left out', r.stdout)
    r = subprocess.run([binary, 'fleet', '--db', p.db, '--json'], capture_output=True, text=True)
    j = json.loads(r.stdout)
    t.ok(j['silent_after_seconds'] == 900 and j['total'] == 3, 'fleet --json: the default threshold (900 s)', j)
    r = subprocess.run([binary, 'fleet'], capture_output=True, text=True)
    t.ok(r.returncode == 2, 'fleet without --db: usage', r.stderr)
finally:
    p.stop()

# ---- without --admin-accounts: open, as /v1/admin/stats always was ----------
wd2 = fleetlib.workdir('fleet-open')
p = fleetlib.Platform(build, wd2)
try:
    t.ok(p.fleet()[0] == 200, 'without --admin-accounts the fleet JSON needs no login')
    t.ok(p.request('GET', '/v1/admin/stats')[0] == 200, 'without --admin-accounts /v1/admin/stats stays open')
    # A fleet of 60: megabytes for a city, gzipped for a client that takes it.
    for i in range(60):
        p.heartbeat('K-%04d' % i)
    st, hd, plain = p.request('GET', '/v1/admin/fleet')
    st2, hd2, gz = p.request('GET', '/v1/admin/fleet', None, {'Accept-Encoding': 'gzip, deflate'})
    t.ok(st == 200 and 'content-encoding' not in hd and len(plain) > 8192, 'fleet JSON plain without Accept-Encoding',
         (st, hd, len(plain)))
    same = hd2.get('content-encoding') == 'gzip' and len(gz) * 4 < len(plain) and \
        json.loads(gzip.decompress(gz))['total'] == 60
    t.ok(same, 'fleet JSON gzipped for a client that accepts it (%d of %d bytes)' % (len(gz), len(plain)), hd2)
finally:
    p.stop()

# ---- --kiosk-tokens ------------------------------------------------------------
wd3 = fleetlib.workdir('fleet-tokens')
tokens = os.path.join(wd3, 'tokens')
with open(tokens, 'w') as f:
    f.write('K-0001:0123456789abcdef0123\nK-0002:fedcba9876543210fedc\n')
p = fleetlib.Platform(build, wd3, '--kiosk-tokens', tokens)
try:
    t.ok(p.heartbeat('K-0001') == 401, 'a kiosk without its token: 401')
    t.ok(p.heartbeat('K-0001', token='fedcba9876543210fedc') == 401, 'a kiosk with another kiosk\'s token: 401')
    t.ok(p.heartbeat('K-0001', token='0123456789abcdef0123') == 200, 'a kiosk with its token: 200')
    st, _, _ = p.request('GET', '/v1/catalog', None, {'X-Kiosk-Id': 'K-0002'})
    t.ok(st == 401, 'the catalog needs the token too', st)
    st, _, _ = p.request('GET', '/v1/verify/NOSUCHCODE')
    t.ok(st == 404, 'verifying a paper needs no token (404: unknown code)', st)
finally:
    p.stop()
bad = os.path.join(wd3, 'bad-tokens')
with open(bad, 'w') as f:
    f.write('K-0001:short\n')
r = subprocess.run([binary, '--listen', '127.0.0.1:0', '--db', os.path.join(wd3, 'x.db'), '--kiosk-tokens', bad],
                   capture_output=True, text=True, timeout=30)
t.ok(r.returncode == 1 and 'shorter than 16' in r.stderr, 'a token under 16 characters stops the platform', r.stderr)
with open(bad, 'w') as f:
    f.write('county:not-a-hash\n')
r = subprocess.run([binary, '--listen', '127.0.0.1:0', '--db', os.path.join(wd3, 'x.db'), '--admin-accounts', bad],
                   capture_output=True, text=True, timeout=30)
t.ok(r.returncode == 1 and 'hash-password' in r.stderr, 'an account without a hash stops the platform', r.stderr)

t.done()
