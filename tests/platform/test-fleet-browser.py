#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet page in a real browser (issue #18 point 3, acceptance): Debian's
headless Chromium, driven by chromedriver over its HTTP WebDriver API from
the Python standard library. Logs in with the county account (a wrong
password first), sees the simulated kiosks with their devices' reasons,
and sees a kiosk that stops sending heartbeats turn red (the row's class
and the word 失联) within --silent-after. Screenshots in
BUILD_DIR/tests/platform/fleet-*.png. Skips (77) without chromium and
chromium-driver (tools/debian-packages.txt).

    test-fleet-browser.py BUILD_DIR"""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fleetlib  # noqa: E402

build = sys.argv[1]
t = fleetlib.Tap()
chromium = shutil.which('chromium') or shutil.which('chromium-browser')
driver = shutil.which('chromedriver')
if chromium is None or driver is None:
    t.skip_all('needs chromium and chromedriver (apt-get install chromium chromium-driver)')

shots = os.path.join(build, 'tests', 'platform')
os.makedirs(shots, exist_ok=True)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class WebDriver:
    def __init__(self):
        self.port = free_port()
        self.log = open(os.path.join(wd, 'chromedriver.log'), 'w')
        self.proc = subprocess.Popen([driver, '--port=%d' % self.port], stdout=self.log, stderr=self.log)
        self.base = 'http://127.0.0.1:%d' % self.port
        for _ in range(100):
            try:
                self.call('GET', '/status')
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        caps = {'capabilities': {'alwaysMatch': {
            'browserName': 'chrome',
            'goog:chromeOptions': {
                'binary': chromium,
                'args': ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                         '--window-size=1600,900', '--lang=zh-CN', '--user-data-dir=' + os.path.join(wd, 'profile')],
            }}}}
        self.session = self.call('POST', '/session', caps)['sessionId']

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read())['value']
        except urllib.error.HTTPError as e:
            raise RuntimeError('%s %s: %s' % (method, path, e.read().decode()[:500]))

    def s(self, method, path, body=None):
        return self.call(method, '/session/%s%s' % (self.session, path), body)

    def go(self, url):
        self.s('POST', '/url', {'url': url})

    def find(self, css):
        el = self.s('POST', '/element', {'using': 'css selector', 'value': css})
        return next(iter(el.values()))

    def type(self, css, text):
        self.s('POST', '/element/%s/value' % self.find(css), {'text': text})

    def click(self, css):
        self.s('POST', '/element/%s/click' % self.find(css), {})

    def js(self, script):
        return self.s('POST', '/execute/sync', {'script': script, 'args': []})

    def url(self):
        return self.s('GET', '/url')

    def screenshot(self, name):
        path = os.path.join(shots, name)
        with open(path, 'wb') as f:
            f.write(base64.b64decode(self.s('GET', '/screenshot')))
        print('# screenshot: ' + path, flush=True)

    def wait(self, script, timeout):
        end = time.time() + timeout
        while True:
            v = self.js(script)
            if v or time.time() > end:
                return v
            time.sleep(0.2)

    def quit(self):
        try:
            self.s('DELETE', '')
        finally:
            self.proc.terminate()
            self.proc.wait(10)


SILENT = 3
PASSWORD = 'county-secret-2026'
wd = fleetlib.workdir('fleet-browser')
accounts = os.path.join(wd, 'accounts')
with open(accounts, 'w') as f:
    f.write('county:%s\n' % fleetlib.hash_password(build, PASSWORD))
p = fleetlib.Platform(build, wd, '--admin-accounts', accounts, '--silent-after', str(SILENT))

# Four simulated kiosks, each a thread sending a heartbeat a second until
# told to stop (K-0103 stops later on).
stop = {k: threading.Event() for k in ('K-0101', 'K-0102', 'K-0103', 'K-0104', 'K-0105')}
simulated = {
    'K-0101': ({'idcard': 'ready', 'camera': 'ready', 'pad': 'ready', 'printer': 'error'},
               {'printer': 'media-empty'}, 2, 640),
    'K-0102': ({'idcard': 'absent', 'camera': 'ready', 'pad': 'ready', 'printer': 'ready'},
               {'idcard': 'reader unplugged'}, 0, 0),
    'K-0103': ({'idcard': 'ready', 'camera': 'ready', 'pad': 'ready', 'printer': 'ready'}, {}, 0, 0),
    'K-0104': ({'idcard': 'ready', 'camera': 'absent', 'pad': 'ready', 'printer': 'ready'},
               {'camera': 'no camera found'}, 7, 5400),
    'K-0105': ({'idcard': 'ready', 'camera': 'ready', 'pad': 'ready', 'printer': 'ready'}, {}, 1, 30),
}


def kiosk(kid):
    devices, reasons, backlog, oldest = simulated[kid]
    while not stop[kid].is_set():
        p.heartbeat(kid, devices, reasons, backlog, oldest)
        stop[kid].wait(1)


threads = [threading.Thread(target=kiosk, args=(k,), daemon=True) for k in stop]
for th in threads:
    th.start()
for n in range(2):
    p.submit_case('K-0101', n)
p.submit_rating('K-0101')

wdrv = None
try:
    wdrv = WebDriver()
    t.ok(True, 'chromium started under chromedriver')
    wdrv.go(p.url + '/fleet')
    t.ok(wdrv.url().endswith('/fleet/login'), 'the page sends to the login first', wdrv.url())
    t.ok('县域自助终端运行状态' in wdrv.js('return document.body.innerText'), 'the login page is in Chinese first')

    wdrv.type('#name', 'county')
    wdrv.type('#password', 'wrong-password')
    wdrv.click('#login')
    shown = wdrv.wait("return !document.getElementById('failed').hidden", 10)
    t.ok(wdrv.url().endswith('/fleet/login?failed=1') and shown, 'a wrong password: back to the login, said so',
         wdrv.url())
    wdrv.screenshot('fleet-login-failed.png')

    wdrv.type('#name', 'county')
    wdrv.type('#password', PASSWORD)
    wdrv.click('#login')
    rows = wdrv.wait("return document.querySelectorAll('#rows tr').length >= 5 && "
                     "Array.from(document.querySelectorAll('#rows tr')).map(r => r.dataset.kiosk)", 15)
    t.ok(wdrv.url().endswith('/fleet') and rows and sorted(rows) == sorted(stop), 'logged in: the five kiosks listed',
         (wdrv.url(), rows))
    t.ok(wdrv.js("return document.cookie") == '', 'the session cookie is not readable from scripts (HttpOnly)')
    text = wdrv.js('return document.body.innerText')
    t.ok('media-empty' in text and 'reader unplugged' in text and 'no camera found' in text,
         'the devices\' reasons are shown', text)
    t.ok('打印机：故障' in text and '身份证读卡器：未连接' in text, 'device states in Chinese', text)
    t.ok(wdrv.js("return document.querySelectorAll('#rows tr.silent').length") == 0, 'no kiosk silent yet')
    cases = wdrv.js("return document.querySelector('#rows tr[data-kiosk=\"K-0101\"]').children[7].textContent")
    t.ok(cases == '2', 'today\'s cases of K-0101', cases)
    wdrv.screenshot('fleet-all-online.png')

    # K-0103 stops sending heartbeats: red within the threshold (plus the
    # page's refresh of 3 s).
    stop['K-0103'].set()
    stopped = time.time()
    red = wdrv.wait("const r = document.querySelector('#rows tr'); return r && r.dataset.kiosk === 'K-0103' && "
                    "r.classList.contains('silent') && r.innerText.includes('失联')", SILENT + 8)
    took = time.time() - stopped
    t.ok(red, 'K-0103 stopped: listed first, in red, with the word 失联', wdrv.js('return document.body.innerText'))
    t.ok(took <= SILENT + 1 + 3 + 1, 'it turned red within the threshold and one refresh (%.1f s)' % took)
    bg = wdrv.js("return getComputedStyle(document.querySelector('#rows tr.silent td')).backgroundColor")
    t.ok(bg == 'rgb(176, 0, 32)', 'the silent row is red', bg)
    others = wdrv.js("return Array.from(document.querySelectorAll('#rows tr:not(.silent)')).map(r => r.dataset.kiosk)")
    t.ok(others == ['K-0101', 'K-0102', 'K-0104', 'K-0105'], 'the kiosks still sending follow, not red', others)
    summary = wdrv.js("return document.getElementById('summary').textContent")
    t.ok('1 台失联' in summary and '4 台有问题' in summary, 'the summary counts it', summary)
    wdrv.screenshot('fleet-one-silent.png')

    # Only the kiosks with a problem: K-0105 (all well, a fresh backlog) goes.
    wdrv.click('#problems-only')
    shown = wdrv.js("return Array.from(document.querySelectorAll('#rows tr')).filter(r => r.offsetParent !== null)"
                    ".map(r => r.dataset.kiosk)")
    t.ok(shown == ['K-0103', 'K-0101', 'K-0102', 'K-0104'], 'only kiosks with a problem', shown)
    time.sleep(3.5)  # a refresh keeps the filter
    shown = wdrv.js("return Array.from(document.querySelectorAll('#rows tr')).filter(r => r.offsetParent !== null)"
                    ".map(r => r.dataset.kiosk)")
    t.ok(shown == ['K-0103', 'K-0101', 'K-0102', 'K-0104'], 'the filter holds across a refresh', shown)
    wdrv.screenshot('fleet-problems-only.png')

    wdrv.click('header button')
    t.ok(wdrv.wait("return location.pathname === '/fleet/login'", 10), 'logout returns to the login')
    wdrv.go(p.url + '/fleet')
    t.ok(wdrv.url().endswith('/fleet/login'), 'after logout the page needs a login again', wdrv.url())
except Exception as e:  # noqa: BLE001 (a browser failure is a failed test, said)
    t.ok(False, 'the browser session ran to its end', repr(e))
finally:
    for ev in stop.values():
        ev.set()
    if wdrv:
        wdrv.quit()
    p.stop()
t.done()
