#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpus of fuzz-domain.c into tests/fuzz/domain-corpus:
the first byte picks the decoder (0 item, 1 catalog, 2 case of the fixed
item), the rest is JSON. Run from the top of the tree; output committed."""
import json
import os

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "domain-corpus")
os.makedirs(out, exist_ok=True)
seed = json.load(open(os.path.join(here, "..", "platform", "seed-catalog.json"), encoding="utf-8"))


def write(name, kind, text):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([kind]) + text.encode("utf-8"))


for code in ("RS-001", "RS-005", "RS-009", "RS-016", "WJ-028", "CL-031", "GA-036"):
    item = next(i for i in seed["items"] if i["code"] == code)
    write("item-" + code, 0, json.dumps(item, ensure_ascii=False))
small = {"version": "v", "items": seed["items"][:3] + [{"code": "X"}, 7]}
write("catalog-small", 1, json.dumps(small, ensure_ascii=False))
write("catalog-bad-utf8", 1, '{"items":[{"code":"\\631"}]}')
case = {
    "item_code": "T-1",
    "applicant": {"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000", "address": "某地1号"},
    "form": {"phone": "13800138000", "name": "张三", "size": "4", "birth_date": "1949-12-31", "gender": "女",
             "address": "某地1号", "id_number": "11010519491231002X"},
    "commitment": {"signed": True, "signature": "告知承诺书签名", "signature_sha256": "a" * 64},
    "owed_materials": [{"name": "照片", "due": "2026-03-12"}],
    "materials": [{"name": "居民身份证", "state": "id_card", "pages": []},
                  {"name": "照片", "state": "owed", "pages": []},
                  {"name": "死亡证明", "state": "committed", "pages": []}],
    "delivery": {"method": "post", "address": "某县某镇某村5号"},
    "proxy_authorisation": None,
    "agent": {"name": "王五"},
    "handling_region": {"code": "130110", "name": "鹿泉区"},
}
write("case-commit-owed", 2, json.dumps(case, ensure_ascii=False))
case2 = dict(case, commitment=None, owed_materials=[], agent=None, handling_region=None,
             materials=[{"name": "照片", "state": "scanned",
                         "pages": [{"name": "照片 p1", "media_type": "image/jpeg", "size": 10, "sha256": "b" * 64}]}],
             delivery={"method": "pickup"})
write("case-scanned", 2, json.dumps(case2, ensure_ascii=False))
write("case-bad", 2, '{"item_code":"T-1","applicant":{"name":"a\\u202e","id_number":"1"}}')
