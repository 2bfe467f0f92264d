#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpus of the JSON fuzzer (json-corpus/): the first byte
picks the decoder (see fuzz-json.c), the rest is JSON: each template's
example print data (checked; rendered on A4 and on the roll; checked
against every template), print records as the journal holds them, and the ID card
fixtures. Standard library only; run from anywhere."""
import json, os, re

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.join(here, '..', '..')
out = os.path.join(here, 'json-corpus')
# The templates in the order the fuzzer numbers them (kiosk_print_templates(),
# drivers/printer/print-render.c): a new template gets its seeds by itself.
with open(os.path.join(top, 'drivers', 'printer', 'print-render.c'), encoding='utf-8') as f:
    templates = re.findall(r'"([^"]+)"', re.search(r'templates\[\]\s*=\s*\{([^}]*)\}', f.read()).group(1))
assert 'receipt' in templates and 'deferral-notice' in templates, templates

def sel(name):
    """The selector byte's template bits for @name (fuzz-json.c): bits 0-2
    the index mod 5, bit 5 set for indexes 5-9."""
    i = templates.index(name)
    return (i % 5) | (32 if i >= 5 else 0)

os.makedirs(out, exist_ok=True)
# Inputs libFuzzer found (checked in as they were found) stay; everything
# else here is written below.
found_by_fuzzing = {'octal-escape-not-utf8', 'record-octal-escape'}
for old in os.listdir(out):
    if old not in found_by_fuzzing:
        os.remove(os.path.join(out, old))

def write(name, selector, obj):
    text = json.dumps(obj, ensure_ascii=False, separators=(',', ':')).encode('utf-8')
    with open(os.path.join(out, name), 'wb') as f:
        f.write(bytes([selector]) + text)

for t in templates:
    with open(os.path.join(top, 'tests', 'printer', 'data', t + '.json'), encoding='utf-8') as f:
        data = json.load(f)
    data.pop('signature_file', None)  # relative to the data folder: no folder here
    write('print-%s' % t, sel(t) | 16, data)
    write('print-%s-roll' % t, sel(t) | 16 | 8, data)
    write('check-%s' % t, sel(t), data)
    write('check-all-%s' % t, 7, data)

records = [
    {"record_id": "6f1c2a9e-0000-4000-8000-000000000001", "document_id": "certificate:YLZM-2026-8F3K-7Q2M",
     "template": "certificate", "printer": "ipp://localhost:8631/ipp/print", "kiosk_id": "LQ-XLG-01",
     "status": "printed", "counted": True, "job_id": 7, "job_state": "completed", "detail": "completed",
     "created_at": "2026-11-22T10:15:00Z", "submitted_at": "2026-11-22T10:15:01Z",
     "finished_at": "2026-11-22T10:15:09Z", "reprint_count": 0, "reprint_of": None, "reprint_by": None,
     "reprint_reason": None},
    {"record_id": "6f1c2a9e-0000-4000-8000-000000000002", "document_id": "receipt:LQ20261122-000123",
     "template": "receipt", "status": "interrupted", "job_id": 9, "reprint_count": 1,
     "reprint_of": "6f1c2a9e-0000-4000-8000-000000000001", "reprint_by": "staff-1", "reprint_reason": "paper jam"},
]
for i, r in enumerate(records):
    write('record-%d' % i, 5, r)

fixtures = os.path.join(top, 'drivers', 'idcard', 'fixtures')
for name in sorted(os.listdir(fixtures)):
    if name.endswith('.json'):
        with open(os.path.join(fixtures, name), encoding='utf-8') as f:
            write('idcard-' + name[:-5], 6, json.load(f))

# Regressions (issue #12): inputs that failed once.
def write_raw(name, data):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)

write_raw('regress-record-empty', bytes([5]))                    # NULL without an error
write_raw('regress-print-deep', bytes([sel('test-page') | 16]) + b'{"station":' + b'[' * 20000 + b']' * 20000 + b'}')
write_raw('regress-record-deep', bytes([5]) + b'{"record_id":' + b'[' * 20000)
write_raw('regress-print-newlines', bytes([sel('test-page') | 16]) + b'{"station":"' + b'\\n' * 2000 + b'"}')
write_raw('regress-guide-empty-url', bytes([sel('guide') | 16]) + b'{"item_name":"x","guide_url":""}')
write_raw('regress-record-types', bytes([5]) + b'{"record_id":"r","document_id":"d","status":"printed",'
          b'"job_id":"7","reprint_count":[1]}')
