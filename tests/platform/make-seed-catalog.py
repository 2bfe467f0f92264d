#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Builds tests/platform/seed-catalog.json (the reference platform's catalog)
from shared/domain/village-items.json. Run once by hand when the source
changes; the output is committed.

    python3 tests/platform/make-seed-catalog.py ../shared/domain/village-items.json \
        > tests/platform/seed-catalog.json

Figures are one locality's published example (see the source links); where
a source does not state something the field says so. Flags marked
"demo" are assumptions for the demonstration, not published rules."""
import json
import re
import sys

PREFIX = {"人社": "RS", "医保": "YB", "民政": "MZ", "民政/残联": "MZ", "民政(老龄)": "MZ",
          "卫健": "WJ", "残联": "CL", "农业农村/自然资源": "NY", "自然资源(乡镇实施)": "ZR",
          "公安": "GA", "司法": "SF", "退役军人事务": "TY",
          "退役军人事务 (2014 source: 民政)": "TY"}

# Legal basis (设定依据) per item number.
BASIS = {
    1: "《中华人民共和国社会保险法》第二十条; 《国务院关于建立统一的城乡居民基本养老保险制度的意见》(国发〔2014〕8号)",
    2: "《中华人民共和国社会保险法》; 国发〔2014〕8号",
    3: "《中华人民共和国社会保险法》第二十一条; 国发〔2014〕8号",
    4: "《中华人民共和国社会保险法》; 国发〔2014〕8号",
    5: "《中华人民共和国社会保险法》第十七条; 《证明事项告知承诺制》(国办发〔2020〕42号)",
    6: "《中华人民共和国社会保险法》第十条", 7: "《中华人民共和国社会保险法》", 8: "《中华人民共和国社会保险法》",
    9: "《中华人民共和国社会保险法》第五十八条; 《社会保障卡管理办法》",
    10: "《中华人民共和国社会保险法》第五十八条; 《社会保障卡管理办法》",
    11: "《社会保障卡管理办法》", 12: "《社会保障卡管理办法》", 13: "《社会保障卡管理办法》", 14: "《社会保障卡管理办法》",
    15: "《中华人民共和国就业促进法》; 《就业服务与就业管理规定》第六十二条",
    16: "《中华人民共和国就业促进法》; 《就业服务与就业管理规定》第六十三条",
    17: "《就业服务与就业管理规定》第六十六条", 18: "《失业保险条例》第十四条",
    19: "《中华人民共和国社会保险法》; 人社部养老待遇资格认证有关规定",
    20: "《中华人民共和国社会保险法》第二十五条", 21: "《中华人民共和国社会保险法》; 当地门诊慢特病管理办法",
    22: "《社会救助暂行办法》第二章; 《最低生活保障审核确认办法》",
    23: "《社会救助暂行办法》第三章; 《国务院关于进一步健全特困人员救助供养制度的意见》(国发〔2016〕14号)",
    24: "《社会救助暂行办法》第十一章; 《国务院关于全面建立临时救助制度的通知》(国发〔2014〕47号)",
    25: "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》(国发〔2015〕52号)",
    26: "《中华人民共和国老年人权益保障法》; 当地高龄津贴实施办法",
    27: "《中华人民共和国老年人权益保障法》第五十七条",
    28: "《中华人民共和国人口与计划生育法》; 当地生育登记服务办法",
    29: "《中华人民共和国人口与计划生育法》; 农村部分计划生育家庭奖励扶助制度",
    30: "《中华人民共和国人口与计划生育法》; 计划生育家庭特别扶助制度",
    31: "《中华人民共和国残疾人保障法》; 《中华人民共和国残疾人证管理办法》",
    32: "《中华人民共和国退役军人保障法》; 《退役军人、其他优抚对象优待证管理办法》",
    33: "《军人抚恤优待条例》", 34: "《中华人民共和国土地管理法》第六十二条",
    35: "《中华人民共和国城乡规划法》第四十一条", 36: "《居住证暂行条例》",
    37: "《中华人民共和国法律援助法》", 38: "《中华人民共和国人民调解法》",
}

TYPE = {3: "05", 4: "05", 5: "05", 18: "05", 22: "05", 23: "05", 24: "05", 25: "05", 26: "05", 29: "08",
        30: "05", 33: "05", 31: "07", 34: "01", 35: "01", 36: "07"}
TYPE_NAME = {"01": "行政许可", "05": "行政给付", "07": "行政确认", "08": "行政奖励", "20": "公共服务"}

# Extra fields of the application form, per item.
FIELDS = {
    1: [("contribution_grade", "缴费档次", "choice", ["200元", "300元", "500元", "1000元", "2000元"]),
        ("gender", "性别", "choice", ["男", "女"]), ("birth_date", "出生日期", "date", None),
        ("household_address", "户籍地址", "address", None)],
    2: [("changed_field", "变更项目", "choice", ["姓名", "身份证号码", "联系电话", "户籍地址"]), ("new_value", "变更后内容", "text", None)],
    3: [("bank_account", "待遇发放账户(社保卡金融账户)", "text", None)],
    4: [("deceased_name", "参保人姓名", "text", None), ("date_of_death", "死亡日期", "date", None), ("relationship", "申请人与参保人关系", "choice", ["配偶", "子女", "父母", "其他法定继承人"])],
    5: [("deceased_name", "参保人姓名", "text", None), ("date_of_death", "死亡日期", "date", None), ("relationship", "申请人与参保人关系", "choice", ["配偶", "子女", "父母", "其他法定继承人"]), ("benefit", "申领待遇", "choice", ["丧葬补助金", "抚恤金", "丧葬补助金及抚恤金"])],
    9: [("bank", "金融账户开户银行", "choice", ["农业银行", "农村信用社", "邮储银行", "工商银行", "建设银行"])],
    10: [("reason", "补换原因", "choice", ["遗失", "损坏", "信息变更"]), ("bank", "金融账户开户银行", "choice", ["农业银行", "农村信用社", "邮储银行"])],
    15: [("employer", "用人单位或灵活就业形式", "text", None), ("start_date", "就业日期", "date", None)],
    16: [("last_employer", "原工作单位", "text", None), ("unemployed_since", "失业日期", "date", None), ("reason", "失业原因", "choice", ["合同期满", "单位解除", "个人辞职", "其他"])],
    18: [("unemployed_since", "失业日期", "date", None), ("bank_account", "发放账户", "text", None)],
    20: [("insured_person", "参保人(本人/新生儿)", "choice", ["本人", "新生儿"]), ("newborn_name", "新生儿姓名", "text", None),
         ("newborn_birth_date", "新生儿出生日期", "date", None)],
    21: [("disease", "申请认定病种", "text", None), ("hospital", "定点医疗机构", "text", None)],
    22: [("household_size", "家庭人口数", "number", None), ("monthly_income", "家庭月收入(元)", "number", None), ("reason", "申请理由", "text", None)],
    23: [("reason", "申请理由", "text", None), ("care_mode", "供养方式", "choice", ["分散供养", "集中供养"])],
    24: [("emergency", "困难情形", "choice", ["火灾等意外事故", "重大疾病", "其他突发困难"]), ("amount", "申请金额(元)", "number", None)],
    25: [("subsidy", "申请补贴", "choice", ["困难残疾人生活补贴", "重度残疾人护理补贴", "两项补贴"]), ("disability_card", "残疾人证号", "text", None)],
    26: [("bank_account", "发放账户", "text", None)],
    27: [("photo_ready", "是否已有照片", "choice", ["已有", "现场拍摄"])],
    28: [("spouse_name", "配偶姓名", "text", None), ("spouse_id_number", "配偶身份证号码", "id_number", None), ("child_order", "本次登记为第几孩", "number", None), ("expected_date", "预产期", "date", None)],
    31: [("disability_type", "残疾类别", "choice", ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"]), ("hospital", "评定医院", "text", None)],
    34: [("area", "申请面积(平方米)", "number", None), ("location", "拟建位置", "text", None)],
    35: [("area", "建筑面积(平方米)", "number", None), ("floors", "层数", "number", None)],
    36: [("residence_address", "居住地址", "address", None), ("since", "居住起始日期", "date", None), ("basis", "申领条件", "choice", ["合法稳定就业", "合法稳定住所", "连续就读"])],
    37: [("matter", "咨询事项", "text", None)],
    38: [("other_party", "纠纷对方", "text", None), ("dispute", "纠纷简述", "text", None)],
}

# Category (the resident's topic, for browsing) and aliases (the names
# people use for an item: a search for them finds it), per item number.
CATEGORY = {}
for _cat, _idx in (("社会保险", (1, 2, 3, 4, 5, 6, 7, 8, 19)), ("社保卡", range(9, 15)),
                   ("就业创业", (15, 16, 17, 18)), ("医疗保障", (20, 21)), ("社会救助", (22, 23, 24)),
                   ("残疾人服务", (25, 31)), ("老年人服务", (26, 27)), ("生育服务", (28, 29, 30)),
                   ("优待抚恤", (32, 33)), ("建房用地", (34, 35)), ("证件办理", (36,)), ("法律服务", (37, 38))):
    for _i in _idx:
        CATEGORY[_i] = _cat
ALIASES = {
    1: ["新农保", "城居保", "交养老保险"], 2: ["养老保险信息变更"], 3: ["领养老金", "养老金申领"],
    4: ["养老保险注销", "丧葬费"], 5: ["丧葬费", "抚恤金"], 6: ["灵活就业养老保险"],
    9: ["办社保卡"], 10: ["社保卡补办", "社保卡换卡", "社保卡丢了"], 11: ["社保卡注销"], 12: ["社保卡查询"],
    13: ["社保卡密码"], 14: ["社保卡激活"], 16: ["失业证"], 17: ["就业证", "就业失业登记证"],
    18: ["失业金", "领失业金"], 19: ["养老认证", "生存认证", "刷脸认证"],
    20: ["医保", "新农合", "交医保", "新生儿医保"], 21: ["慢病", "门特", "慢性病"], 22: ["低保"],
    23: ["五保", "五保户"], 24: ["救急难"], 25: ["残疾人补贴", "两项补贴", "护理补贴"],
    26: ["高龄补贴", "长寿补贴", "老年补贴"], 27: ["老年证", "老人证"],
    28: ["准生证", "生育服务证", "二孩登记"], 29: ["计生奖励", "独生子女奖励"], 30: ["失独", "特扶"],
    31: ["残疾证"], 32: ["优待证"], 33: ["优待金", "军属优待金"], 34: ["宅基地申请", "建房审批"],
    35: ["建房许可"], 36: ["暂住证"], 37: ["找律师"], 38: ["调解", "纠纷调解"],
}

# 容缺 in this demo (no published item guide marks it; see village-items.md).
DEFERRAL_DEMO = {9: ["电子照片"], 27: ["照片"], 36: ["相片"]}
# 告知承诺: item 5 published [O]; items 4 and 28 from third-party pages [T].
COMMITMENT = {
    5: ("O", "死亡证明", "参保人已死亡的事实(死亡信息无法共享时)"),
    4: ("T", "死亡证明", "参保人已死亡的事实"),
    28: ("T", "婚育情况证明", "申请人夫妻双方的婚姻和生育情况"),
}
# The listed materials a signed commitment stands in for ("replaced_by").
COMMITMENT_REPLACES = {4: "死亡、火化证明", 5: "告知承诺书(死亡信息无法共享时)"}

# 跨省通办 / 全区通办 in this demo (失业登记 and 社保卡申领 are on the national
# 跨省通办 list; the handling region is the demo station's district).
CROSS_REGION_DEMO = {
    9: ("全区通办", {"code": "130110", "name": "石家庄市鹿泉区"}),
    16: ("跨省通办", {"code": "130110", "name": "石家庄市鹿泉区"}),
}
# Items a resident cannot apply for at the kiosk, and where to go (demo).
NOT_AT_KIOSK = {
    31: "须本人到县残联指定医院进行残疾评定: 请到乡镇(街道)残联或便民服务站咨询",
}

NOT_OFFERED = ["亲属关系", "居民身份信息", "户口项目变更申请", "养犬", "无犯罪记录", "社区戒毒康复情况", "失踪",
               "婚姻状况", "出生", "健在", "死亡", "疾病状况", "残疾状况", "婚育状况", "就业状况", "个人档案",
               "财产", "遗产继承权", "市场主体住所", "证件遗失"]

# Materials that used to be village proofs and must not be asked of the
# village committee (民政部等六部门, 2020).
VILLAGE_PROOF_NOTES = {
    "村证明": "村委会不再出具证明: 改由申请人书面承诺, 部门通过数据共享核查",
    "死亡、火化证明": "由医疗机构、公安或殡葬服务机构出具(村委会不再出具死亡证明)",
    "继承权证明材料(法律文书/公证/有关证明)": "法律文书或公证书(村委会不再出具遗产继承权证明)",
}


def department(name):
    """The department as a resident reads it: the source list's remarks
    ("退役军人事务 (2014 source: 民政)") stay out of headings."""
    return re.sub(r"\s*\([^)]*[A-Za-z][^)]*\)", "", name).strip()


def material(m, idx):
    o = {"name": m, "required": not m.endswith("(如有)") and "(残疾人)" not in m and "(重特大疾病)" not in m}
    if any(k in m for k in ("身份证", "居民身份")):
        o["provided_by"] = "id_card_reader"
    elif "户口" in m:
        o["provided_by"] = "e_licence"
    elif m.startswith("《") or "申请表" in m or "登记表" in m or m == "申请书":
        o["provided_by"] = "kiosk_form"
    else:
        o["provided_by"] = "scan"
    defer = DEFERRAL_DEMO.get(idx, [])
    o["deferrable"] = any(k in m for k in defer)
    if m in VILLAGE_PROOF_NOTES:
        o["note"] = VILLAGE_PROOF_NOTES[m]
        o["village_may_issue"] = False
        if m == "村证明":
            o["required"] = False
            o["replaced_by"] = "written_commitment"
    return o


def fee(text):
    if "20元" in text:
        return {"amount_yuan": 20, "text": "补换卡工本费 20 元", "stated": True}
    if "stated" in text and ("免" in text):
        return {"amount_yuan": 0, "text": text.split(" (")[0], "stated": True}
    if "保费" in text:
        return {"amount_yuan": 0, "text": "登记免费; 保费按当地标准缴纳", "stated": True}
    return {"amount_yuan": 0, "text": "不收费(目录未列收费项目)", "stated": False}


def main():
    src = json.load(open(sys.argv[1], encoding="utf-8"))
    items = []
    for idx, it in enumerate(src, 1):
        code = "%s-%03d" % (PREFIX[it["department"]], idx)
        t = TYPE.get(idx, "20")
        days = it["time_limit_days"]
        fields = [{"id": "phone", "label": "联系电话", "type": "phone", "required": True}]
        for fid, label, kind, choices in FIELDS.get(idx, []):
            f = {"id": fid, "label": label, "type": kind,
                 "required": fid not in ("newborn_name", "newborn_birth_date")}
            if choices:
                f["choices"] = choices
            if fid.endswith("birth_date"):
                f["past_only"] = True
            fields.append(f)
        mats = [material(m, idx) for m in it["materials"]]
        for m in mats:
            if COMMITMENT_REPLACES.get(idx) == m["name"]:
                m["replaced_by"] = "commitment"
        if not mats:
            mats = [{"name": "居民身份证", "required": True, "provided_by": "id_card_reader", "deferrable": False}]
        entry = {
            "code": code,
            "name": it["name"],
            "aliases": ALIASES.get(idx, []),
            "category": CATEGORY[idx],
            "department": department(it["department"]),
            "item_type": {"code": t, "name": TYPE_NAME[t]},
            "level": "village" if idx == 38 else "village_intake",
            "handling": "村级受理、乡镇或县级办结" if idx not in (38,) else "村级受理办结",
            "case_type": {"code": 1, "name": "即办件"} if days == 0 else {"code": 2, "name": "承诺件"},
            "time_limit_days": days,
            "time_limit_note": it["case_type"] if days is None else None,
            "fee": fee(it["fee"]),
            "legal_basis": BASIS[idx],
            "materials": mats,
            "commitment_allowed": idx in COMMITMENT,
            "deferral_allowed": bool(DEFERRAL_DEMO.get(idx)),
            "form_fields": fields,
            "delivery": ["pickup", "post"] if days != 0 else ["pickup"],
            "proxy_allowed": True,
            "cross_region": idx in CROSS_REGION_DEMO,
            "kiosk_accepts": idx not in NOT_AT_KIOSK,
            "source": it["source"],
        }
        if idx in CROSS_REGION_DEMO:
            entry["cross_region_scope"], entry["handling_region"] = CROSS_REGION_DEMO[idx]
        if idx in NOT_AT_KIOSK:
            entry["where_to_apply"] = NOT_AT_KIOSK[idx]
        if idx in COMMITMENT:
            grade, proof, content = COMMITMENT[idx]
            entry["commitment"] = {
                "proof": proof, "content": content,
                "basis": "国办发〔2020〕42号 证明事项告知承诺制",
                "liability": "承诺不实的, 依法撤销相关决定, 追回已发放待遇, 记入信用记录, 涉嫌犯罪的移送司法机关",
                "excluded": "有虚假承诺记录或被列为失信联合惩戒对象的申请人不适用告知承诺",
                "withdrawable": "作出决定前可撤回承诺, 改按一般程序提交证明",
                "source_grade": grade,
            }
        if entry["deferral_allowed"]:
            entry["deferral"] = {"source": "demo", "deadline_days": min(days or 5, 5),
                                 "consequence": "演示数据: 缺少的非核心材料须在期限内补齐, 逾期按不予受理处理"}
        if entry["time_limit_note"] is None:
            del entry["time_limit_note"]
        items.append(entry)
    doc = {
        "version": "seed-1",
        "items": items,
        "not_offered": {
            "rule": "民政部等六部门 2020: 村(居)委会不再出具以下证明, 自助终端不得作为村级证明提供",
            "proofs": NOT_OFFERED,
            "in_person_only": [{"name": "婚姻登记记录证明", "where": "婚姻登记机关, 本人或受托人现场申请 (民函〔2015〕266号)"}],
        },
        "notices": [
            {"id": "n1", "title": "城乡居民养老保险集中缴费期", "body": "本年度城乡居民养老保险集中缴费截止到12月31日, 请到村便民服务站办理参保登记; 所需材料可在本机办事指南中查看。", "valid_until": None},
            {"id": "n2", "title": "养老待遇资格认证", "body": "领取养老待遇人员每年需进行一次资格认证, 请带身份证到村便民服务站, 由工作人员协助完成。", "valid_until": None},
            {"id": "n3", "title": "村代办员上门代办", "body": "老年人、残疾人可申请村代办员上门代办, 请联系本站代办员。", "valid_until": None},
            {"id": "n4", "title": "24小时自助服务", "body": "本机 24 小时提供办事指南查询和打印、办件进度查询。", "valid_until": None},
        ],
    }
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
