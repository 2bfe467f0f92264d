#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpus of the idcard fuzzer (idcard-corpus/): reader
replies of every card type and status, split and garbled streams.
Standard library only; run from anywhere."""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
fixtures = os.path.join(here, '..', '..', 'drivers', 'idcard', 'fixtures')
out = os.path.join(here, 'idcard-corpus')
PRE = bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69])

def reply(sw3, data=b'', sw1=0, sw2=0):
    body = bytes([sw1, sw2, sw3]) + data
    n = len(body) + 1
    head = bytes([n >> 8, n & 0xFF])
    chk = 0
    for b in head + body:
        chk ^= b
    return PRE + head + body + bytes([chk])

def put(buf, off, length, s):
    raw = (s or '').encode('utf-16-le')[:length]
    raw += ' '.encode('utf-16-le') * ((length - len(raw)) // 2)
    buf[off:off + length] = raw

def d(s):
    return (s or '').replace('-', '')

def count(v):
    return '' if v is None else '%02d' % int(v)

def text(c):
    t = bytearray(' '.encode('utf-16-le') * 128)
    ty = c.get('card_type', 'resident')
    g = c.get('gender_code', '1')
    if ty in ('resident', 'hmt_permit'):
        put(t, 0, 30, c.get('name')); put(t, 30, 2, g); put(t, 32, 4, c.get('nation_code'))
        put(t, 36, 16, d(c.get('birth_date'))); put(t, 52, 70, c.get('address'))
        put(t, 122, 36, c.get('id_number')); put(t, 158, 30, c.get('authority'))
        put(t, 188, 16, d(c.get('valid_from'))); put(t, 204, 16, c['valid_to'] if c['valid_to'] == '长期' else d(c['valid_to']))
        if ty == 'hmt_permit':
            put(t, 220, 18, c.get('pass_number')); put(t, 238, 4, count(c.get('issue_count'))); put(t, 248, 2, 'J')
    elif ty == 'foreign_2017':
        put(t, 0, 120, c.get('name_en')); put(t, 120, 2, g); put(t, 122, 30, c.get('id_number'))
        put(t, 152, 6, c.get('nationality')); put(t, 158, 30, c.get('name'))
        put(t, 188, 16, d(c.get('valid_from'))); put(t, 204, 16, d(c.get('valid_to')))
        put(t, 220, 16, d(c.get('birth_date'))); put(t, 236, 4, c.get('card_version'))
        put(t, 240, 8, c.get('authority_code')); put(t, 248, 2, 'I')
    else:
        en = c.get('name_en', '')
        put(t, 0, 30, c.get('name')); put(t, 30, 2, g); put(t, 32, 4, count(c.get('renewal_count')))
        put(t, 36, 16, d(c.get('birth_date'))); put(t, 52, 70, en[:35]); put(t, 122, 36, c.get('id_number'))
        put(t, 188, 16, d(c.get('valid_from'))); put(t, 204, 16, d(c.get('valid_to')))
        put(t, 220, 22, en[35:]); put(t, 242, 6, c.get('nationality')); put(t, 248, 2, 'Y')
    return bytes(t)

def read_reply(c, fp=None):
    photo = b'WL' + bytes((i * 7 + 1) & 0xFF for i in range(2, 1024))
    if fp is None:
        return reply(0x90, b'\x01\x00\x04\x00' + text(c) + photo)
    return reply(0x90, b'\x01\x00\x04\x00' + bytes([fp >> 8, fp & 0xFF]) + text(c) + photo + b'C' * fp)

os.makedirs(out, exist_ok=True)
seeds = {}
for name in sorted(os.listdir(fixtures)):
    if name.endswith('.json'):
        with open(os.path.join(fixtures, name), encoding='utf-8') as f:
            c = json.load(f)
        base = name[:-5]
        seeds['read-' + base] = read_reply(c)
        seeds['read-fp-' + base] = read_reply(c, 1024 if c.get('has_fingerprint') else 0)
r = seeds['read-resident']
seeds['split-garbage-resident'] = b'\x00\x13\xaa\xaa\x96' + r[:700] + r[700:]
seeds['two-frames'] = reply(0x9F, b'\0' * 4) + reply(0x90, b'\0' * 8)
seeds['bad-checksum'] = r[:-1] + bytes([r[-1] ^ 1])
seeds['truncated'] = r[:600] + reply(0x90)
seeds['sam-id'] = reply(0x90, bytes.fromhex('05000100 09B83201 05BE1200 ADC5B111'))
for sw3 in (0x90, 0x9F, 0x91, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81):
    seeds['status-%02x' % sw3] = reply(sw3)
for k, v in seeds.items():
    with open(os.path.join(out, k), 'wb') as f:
        f.write(v)
print('%d seeds in %s' % (len(seeds), out), file=sys.stderr)
