# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared by the fleet view's tests (test-fleet.py, test-fleet-browser.py):
start a kiosk-platform, send heartbeats, cases and ratings as kiosks do,
log in. Python standard library only."""

import hashlib
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid


class Tap:
    """Minimal TAP producer (meson's protocol: 'tap')."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, what, detail=None):
        self.n += 1
        print(('ok %d - %s' if cond else 'not ok %d - %s') % (self.n, what), flush=True)
        if not cond:
            self.failed += 1
            if detail is not None:
                for line in str(detail).splitlines():
                    print('#   ' + line, flush=True)
        return cond

    def skip_all(self, why):
        print('1..0 # SKIP ' + why, flush=True)
        sys.exit(77)

    def done(self):
        print('1..%d' % self.n, flush=True)
        sys.exit(1 if self.failed else 0)


def platform_binary(build_dir):
    return os.path.join(build_dir, 'platform', 'kiosk-platform')


def hash_password(build_dir, password):
    r = subprocess.run([platform_binary(build_dir), 'hash-password'], input=password + '\n',
                       capture_output=True, text=True, check=True)
    return r.stdout.strip()


def db_target(path):
    """The platform's --db: the file @path, or with KIOSK_TEST_PG_URI set (the
    PostgreSQL run, as tests/store/store-test-util.c does) a database of its
    own named after @path, created here."""
    base = os.environ.get('KIOSK_TEST_PG_URI')
    if not base:
        return path
    name = 'kiosk_test_' + hashlib.sha256(path.encode()).hexdigest()[:20]
    r = subprocess.run(['createdb', name], capture_output=True, text=True)
    if r.returncode != 0 and 'already exists' not in r.stderr:
        raise RuntimeError('createdb %s: %s' % (name, r.stderr))
    return base + ('' if base.endswith('/') and not base.endswith('://') else '/') + name


class Platform:
    def __init__(self, build_dir, workdir, *args):
        self.db = db_target(os.path.join(workdir, 'platform.db'))
        self.proc = subprocess.Popen(
            [platform_binary(build_dir), '--listen', '127.0.0.1:0', '--db', self.db] + list(args),
            stdout=subprocess.PIPE, stderr=open(os.path.join(workdir, 'platform.log'), 'w'), text=True)
        line = self.proc.stdout.readline()
        if not line.startswith('listening on '):
            self.proc.kill()
            raise RuntimeError('kiosk-platform did not start: %r' % line)
        url = urllib.parse.urlsplit(line.split()[-1])
        self.url = line.split()[-1].rstrip('/')
        self.host, self.port = url.hostname, url.port

    def request(self, method, path, body=None, headers=None):
        """(status, headers dict (lower-case names; Set-Cookie a list), body bytes)."""
        c = http.client.HTTPConnection(self.host, self.port, timeout=30)
        h = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            h.setdefault('Content-Type', 'application/json')
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        hd = {}
        for k, v in r.getheaders():
            if k.lower() == 'set-cookie':
                hd.setdefault('set-cookie', []).append(v)
            else:
                hd[k.lower()] = v
        c.close()
        return r.status, hd, data

    def heartbeat(self, kiosk, devices=None, reasons=None, backlog=0, oldest=0, token=None, accepting=True):
        body = {'kiosk_id': kiosk, 'app_version': '0.1.0',
                'devices': devices or {'idcard': 'ready', 'camera': 'ready', 'pad': 'ready', 'printer': 'ready'},
                'backlog': backlog, 'rejected': 0, 'oldest_pending_age_seconds': oldest,
                'accepting_applications': accepting}
        if reasons is not None:
            body['device_reasons'] = reasons
        h = {'X-Kiosk-Id': kiosk}
        if token:
            h['Authorization'] = 'Bearer ' + token
        return self.request('POST', '/v1/heartbeat', body, h)[0]

    def submit_case(self, kiosk, n):
        body = {'kiosk_id': kiosk, 'provisional_number': '%s-%06d' % (kiosk, n), 'item_code': 'MZ-026',
                'applicant': {'name': '测试', 'id_number': '11010119800101001X'}, 'attachments': []}
        return self.request('POST', '/v1/cases', body, {'X-Kiosk-Id': kiosk, 'Idempotency-Key': str(uuid.uuid4())})[0]

    def submit_rating(self, kiosk):
        body = {'id': str(uuid.uuid4()), 'kiosk_id': kiosk, 'score': 5, 'created_at': '2026-01-01T00:00:00Z'}
        return self.request('POST', '/v1/ratings', body, {'X-Kiosk-Id': kiosk, 'Idempotency-Key': str(uuid.uuid4())})[0]

    def login(self, name, password):
        """(status, location, cookie value or None)."""
        form = urllib.parse.urlencode({'name': name, 'password': password})
        st, h, _ = self.request('POST', '/fleet/login', form, {'Content-Type': 'application/x-www-form-urlencoded'})
        cookie = None
        for c in h.get('set-cookie', []):
            if c.startswith('kiosk_fleet_session=') and not c.startswith('kiosk_fleet_session=;'):
                cookie = c.split(';')[0].split('=', 1)[1]
                self.last_set_cookie = c
        return st, h.get('location'), cookie

    def fleet(self, cookie=None):
        h = {'Cookie': 'kiosk_fleet_session=' + cookie} if cookie else {}
        st, _, data = self.request('GET', '/v1/admin/fleet', None, h)
        return st, (json.loads(data) if st == 200 else None)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def workdir(name):
    return tempfile.mkdtemp(prefix=name + '-')
