/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rules of 自助申报 (app/domain/kiosk-domain-rules.h): validation per
 * field type, prefill from the card, 告知承诺 only where allowed and with a
 * signature, 容缺 only for deferrable materials and never past the promised
 * time limit, completeness listing every problem at once, and the wipe. */
#include "config.h"

#include "domain-test-util.h"
#include "kiosk-domain-rules.h"

#define ITEM(extra)                                                                                      \
  "{\"code\":\"T-1\",\"name\":\"测试事项\",\"department\":\"民政\",\"time_limit_days\":3,"         \
  "\"materials\":[{\"name\":\"居民身份证\",\"required\":true,\"provided_by\":\"id_card_reader\"},"  \
  "{\"name\":\"户口簿\",\"required\":true,\"provided_by\":\"e_licence\"},"                            \
  "{\"name\":\"申请表\",\"required\":true,\"provided_by\":\"kiosk_form\"},"                           \
  "{\"name\":\"照片\",\"required\":true,\"provided_by\":\"scan\",\"deferrable\":true},"                \
  "{\"name\":\"死亡证明\",\"required\":true,\"provided_by\":\"scan\"}],"                             \
  "\"form_fields\":[{\"id\":\"phone\",\"label\":\"联系电话\",\"type\":\"phone\",\"required\":true}," \
  "{\"id\":\"name\",\"label\":\"姓名\",\"type\":\"text\",\"required\":true},"                          \
  "{\"id\":\"gender\",\"label\":\"性别\",\"type\":\"choice\",\"choices\":[\"男性\",\"女性\"]},"    \
  "{\"id\":\"birth_date\",\"label\":\"出生日期\",\"type\":\"date\"},"                                \
  "{\"id\":\"address\",\"label\":\"户籍地址\",\"type\":\"address\"},"                                \
  "{\"id\":\"id_number\",\"label\":\"身份证号码\",\"type\":\"id_number\"},"                         \
  "{\"id\":\"spouse_id\",\"label\":\"配偶身份证号码\",\"type\":\"id_number\"},"                   \
  "{\"id\":\"size\",\"label\":\"家庭人口\",\"type\":\"number\"}" extra "],"                              \
  "\"delivery\":[\"pickup\",\"post\"]"

#define COMMIT                                                                                                  \
  ",\"commitment_allowed\":true,\"commitment\":{\"proof\":\"死亡证明\",\"content\":\"参保人已死亡\"," \
  "\"basis\":\"国办发〔2020〕42号\",\"liability\":\"承诺不实的依法处理\"}"
#define DEFER(days) \
  ",\"deferral_allowed\":true,\"deferral\":{\"deadline_days\":" #days ",\"consequence\":\"逾期不予受理\"}"

static void
test_validate_types (void)
{
  g_autoptr (KioskCatalogItem) it = domain_test_item (
      ITEM (",{\"id\":\"expected\",\"label\":\"预产期\",\"type\":\"date\"},"
            "{\"id\":\"born\",\"label\":\"新生儿出生日期\",\"type\":\"date\",\"past_only\":true}") "}");
  g_autoptr (GDate) today = domain_test_date (2026, 3, 9);
  const KioskFormField *phone = kiosk_catalog_item_find_field (it, "phone");
  const KioskFormField *name = kiosk_catalog_item_find_field (it, "name");
  const KioskFormField *gender = kiosk_catalog_item_find_field (it, "gender");
  const KioskFormField *birth = kiosk_catalog_item_find_field (it, "birth_date");
  const KioskFormField *expected = kiosk_catalog_item_find_field (it, "expected");
  const KioskFormField *born = kiosk_catalog_item_find_field (it, "born");
  const KioskFormField *address = kiosk_catalog_item_find_field (it, "address");
  const KioskFormField *id = kiosk_catalog_item_find_field (it, "spouse_id");
  const KioskFormField *size = kiosk_catalog_item_find_field (it, "size");
  g_autofree char *too_long = g_strnfill (KIOSK_DOMAIN_MAX_VALUE_CHARS + 1, 'a');

  /* required */
  g_assert_cmpstr (kiosk_field_validate (name, NULL, today), ==, "Please fill this in.");
  g_assert_cmpstr (kiosk_field_validate (name, "  ", today), ==, "Please fill this in.");
  g_assert_null (kiosk_field_validate (address, "", today)); /* optional */
  g_assert_null (kiosk_field_validate (name, "李四", today));
  g_assert_cmpstr (kiosk_field_validate (name, "李\x01四", today), ==, "This contains characters that cannot be used.");
  g_assert_cmpstr (kiosk_field_validate (address, too_long, today), ==, "This is too long.");
  /* phone */
  g_assert_null (kiosk_field_validate (phone, "13800138000", today));
  g_assert_nonnull (kiosk_field_validate (phone, "23800138000", today));
  g_assert_nonnull (kiosk_field_validate (phone, "1380013800", today));
  g_assert_nonnull (kiosk_field_validate (phone, "138001380001", today));
  g_assert_nonnull (kiosk_field_validate (phone, "1380013800a", today));
  /* number */
  g_assert_null (kiosk_field_validate (size, "4", today));
  g_assert_null (kiosk_field_validate (size, "1200.50", today));
  g_assert_cmpstr (kiosk_field_validate (size, "四", today), ==, "Please enter a number, using digits only.");
  g_assert_nonnull (kiosk_field_validate (size, "1.2.3", today));
  g_assert_nonnull (kiosk_field_validate (size, "-1", today));
  g_assert_nonnull (kiosk_field_validate (size, "3.", today));
  /* choice */
  g_assert_null (kiosk_field_validate (gender, "女性", today));
  g_assert_cmpstr (kiosk_field_validate (gender, "女", today), ==, "Please choose one of the options.");
  /* date; a birth date not after today; other dates may be */
  g_assert_true (birth->past_only);
  g_assert_false (expected->past_only);
  g_assert_true (born->past_only);
  g_assert_null (kiosk_field_validate (birth, "1949-12-31", today));
  g_assert_null (kiosk_field_validate (birth, "2026-03-09", today));
  g_assert_cmpstr (kiosk_field_validate (birth, "2026-03-10", today), ==, "A birth date cannot be after today.");
  g_assert_cmpstr (kiosk_field_validate (born, "2027-01-01", today), ==, "A birth date cannot be after today.");
  g_assert_null (kiosk_field_validate (expected, "2026-10-01", today));
  g_assert_nonnull (kiosk_field_validate (expected, "2026-02-29", today)); /* not a leap year */
  g_assert_null (kiosk_field_validate (expected, "2028-02-29", today));
  g_assert_nonnull (kiosk_field_validate (expected, "2026-13-01", today));
  g_assert_nonnull (kiosk_field_validate (expected, "2026-1-01", today));
  g_assert_nonnull (kiosk_field_validate (expected, "26-01-01", today));
  /* ID number: GB 11643 check character, real birth date */
  g_assert_null (kiosk_field_validate (id, "11010519491231002X", today));
  g_assert_null (kiosk_field_validate (id, "11010519491231002x", today));
  g_assert_cmpstr (kiosk_field_validate (id, "110105194912310021", today), ==,
                   "This ID number is not right: a character may be mistyped. Please check it.");
  g_assert_cmpstr (kiosk_field_validate (id, "11010519491231002", today), ==, "An ID number has 18 characters.");
  g_assert_cmpstr (kiosk_field_validate (id, "1101051949123100AX", today), ==,
                   "An ID number is 17 digits followed by a digit or X.");
  g_assert_cmpstr (kiosk_field_validate (id, "110105194902300021", today), ==,
                   "The birth date inside this ID number does not exist. Please check it.");
  g_assert_true (kiosk_id_number_check_char ("11010519491231002") == 'X');
  g_assert_true (kiosk_id_number_check_char ("1101051949123100") == 0);
  g_assert_true (kiosk_id_number_is_valid ("11010519491231002X"));
  g_assert_false (kiosk_id_number_is_valid ("11010519491231003X"));
}

static void
test_prefill (void)
{
  g_autoptr (KioskCatalogItem) it = domain_test_item (ITEM (",{\"id\":\"holder\",\"label\":\"户主姓名\","
                                                            "\"type\":\"text\",\"prefill\":\"name\"}") "}");
  g_autoptr (KioskIdentity) id = domain_test_identity ();
  g_autoptr (KioskCaseDraft) d = kiosk_case_draft_new (it, id);
  g_autofree char *male = NULL;

  kiosk_case_draft_set_value (d, "address", "已填的地址");
  /* name, gender (the matching choice), birth date, ID number, the holder
   * (an explicit prefill); the address typed already stays; the spouse's
   * ID number and the phone are not the card's. */
  g_assert_cmpuint (kiosk_case_draft_prefill (d), ==, 5);
  g_assert_cmpstr (kiosk_case_draft_get_value (d, "name"), ==, "张三");
  g_assert_cmpstr (kiosk_case_draft_get_value (d, "holder"), ==, "张三");
  g_assert_cmpstr (kiosk_case_draft_get_value (d, "gender"), ==, "女性");
  g_assert_cmpstr (kiosk_case_draft_get_value (d, "birth_date"), ==, "1949-12-31");
  g_assert_cmpstr (kiosk_case_draft_get_value (d, "id_number"), ==, "11010519491231002X");
  g_assert_cmpstr (kiosk_case_draft_get_value (d, "address"), ==, "已填的地址");
  g_assert_null (kiosk_case_draft_get_value (d, "spouse_id"));
  g_assert_null (kiosk_case_draft_get_value (d, "phone"));
  /* Nothing twice. */
  g_assert_cmpuint (kiosk_case_draft_prefill (d), ==, 0);
  kiosk_case_draft_set_value (d, "address", NULL);
  g_assert_cmpuint (kiosk_case_draft_prefill (d), ==, 1);
  g_assert_cmpstr (kiosk_case_draft_get_value (d, "address"), ==, "北京市朝阳区某街道1号");
  /* An unstated gender (9) says nothing. */
  id->gender_code = '9';
  g_assert_null (kiosk_identity_prefill_value (id, KIOSK_PREFILL_GENDER, NULL));
  /* A text field gets the plain word. */
  id->gender_code = '1';
  male = kiosk_identity_prefill_value (id, KIOSK_PREFILL_GENDER, kiosk_catalog_item_find_field (it, "name"));
  g_assert_cmpstr (male, ==, "男");
}

static void
test_prefill_seed (void)
{
  g_autoptr (KioskCatalog) c = domain_test_seed_catalog ();
  g_autoptr (KioskIdentity) id = domain_test_identity ();
  g_autoptr (KioskCaseDraft) d = kiosk_case_draft_new (kiosk_catalog_find (c, "RS-001"), id);

  /* 参保登记表: gender, birth date and household address from the card. */
  g_assert_cmpuint (kiosk_case_draft_prefill (d), ==, 3);
  g_assert_cmpstr (kiosk_case_draft_get_value (d, "gender"), ==, "女");
  g_assert_cmpstr (kiosk_case_draft_get_value (d, "birth_date"), ==, "1949-12-31");
  g_assert_cmpstr (kiosk_case_draft_get_value (d, "household_address"), ==, "北京市朝阳区某街道1号");
}

static void
test_commitment (void)
{
  g_autoptr (KioskCatalogItem) plain = domain_test_item (ITEM ("") "}");
  g_autoptr (KioskCatalogItem) allowed = domain_test_item (ITEM ("") COMMIT "}");
  g_autoptr (KioskIdentity) id = domain_test_identity ();
  g_autoptr (KioskCaseDraft) a = kiosk_case_draft_new (plain, id);
  g_autoptr (KioskCaseDraft) b = kiosk_case_draft_new (allowed, id);
  g_autoptr (GBytes) png = domain_test_png (1);
  g_autoptr (GBytes) jpeg = domain_test_jpeg (1);
  g_autoptr (GError) error = NULL;
  int proof = kiosk_catalog_item_find_material (allowed, "死亡证明");
  g_autofree char *png_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);

  /* Not allowed: refused, and no signature without the commitment. */
  g_assert_false (kiosk_commitment_allowed (a));
  g_assert_false (kiosk_case_draft_set_commitment (a, KIOSK_COMMITMENT_COMMIT, &error));
  g_assert_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kiosk_case_draft_set_signature (a, png, &error));
  g_clear_error (&error);
  g_assert_null (kiosk_case_draft_get_signature_sha256 (a));

  /* Allowed: committing replaces the proof; a PNG signature is required. */
  g_assert_true (kiosk_commitment_allowed (b));
  g_assert_cmpint (kiosk_case_draft_get_material_state (b, (guint) proof), ==, KIOSK_MATERIAL_MISSING);
  g_assert_true (kiosk_case_draft_set_commitment (b, KIOSK_COMMITMENT_COMMIT, &error));
  g_assert_cmpint (kiosk_case_draft_get_material_state (b, (guint) proof), ==, KIOSK_MATERIAL_COMMITTED);
  g_assert_false (kiosk_case_draft_set_signature (b, jpeg, &error));
  g_clear_error (&error);
  g_assert_true (kiosk_case_draft_set_signature (b, png, &error));
  g_assert_cmpstr (kiosk_case_draft_get_signature_sha256 (b), ==, png_sha);
  /* The ordinary route: the proof is missing again, the signature gone. */
  g_assert_true (kiosk_case_draft_set_commitment (b, KIOSK_COMMITMENT_PROOF, &error));
  g_assert_cmpint (kiosk_case_draft_get_material_state (b, (guint) proof), ==, KIOSK_MATERIAL_MISSING);
  g_assert_null (kiosk_case_draft_get_signature_sha256 (b));
  /* Only the applicant commits: never an agent. */
  kiosk_case_draft_set_agent (b, "代办员王五", NULL);
  g_assert_false (kiosk_commitment_allowed (b));
  g_assert_false (kiosk_case_draft_set_commitment (b, KIOSK_COMMITMENT_COMMIT, &error));
  g_assert_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_INVALID);
}

static void
test_deferral (void)
{
  g_autoptr (KioskCatalogItem) none = domain_test_item (ITEM ("") "}");
  g_autoptr (KioskCatalogItem) five = domain_test_item (ITEM ("") DEFER (5) "}");
  g_autoptr (KioskCatalogItem) thirty = domain_test_item (ITEM ("") DEFER (30) "}");
  g_autoptr (KioskIdentity) id = domain_test_identity ();
  g_autoptr (KioskCaseDraft) d = kiosk_case_draft_new (five, id);
  g_autoptr (KioskCaseDraft) n = kiosk_case_draft_new (none, id);
  g_autoptr (GDate) monday = domain_test_date (2026, 3, 9);
  g_autoptr (GDate) friday = domain_test_date (2026, 3, 13);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) page = domain_test_jpeg (2);
  guint photo = (guint) kiosk_catalog_item_find_material (five, "照片");
  guint proof = (guint) kiosk_catalog_item_find_material (five, "死亡证明");
  GDate due, promised;
  char buf[16];

  /* Only deferrable materials of an item that allows 容缺. */
  g_assert_true (kiosk_material_may_be_owed (five, photo));
  g_assert_false (kiosk_material_may_be_owed (five, proof));
  g_assert_false (kiosk_material_may_be_owed (five, 0)); /* the card */
  g_assert_false (kiosk_material_may_be_owed (none, photo));
  g_assert_false (kiosk_case_draft_owe_material (n, photo, monday, &error));
  g_assert_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kiosk_case_draft_owe_material (d, proof, monday, &error));
  g_clear_error (&error);

  /* Monday + 3 working days = Thursday; 5 calendar days would be
   * Saturday: capped at Thursday. */
  kiosk_item_promised_date (five, monday, &promised);
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &promised);
  g_assert_cmpstr (buf, ==, "2026-03-12");
  g_assert_true (kiosk_deferral_due_date (five, monday, &due));
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &due);
  g_assert_cmpstr (buf, ==, "2026-03-12");
  /* Friday + 3 working days = Wednesday; + 5 days = Wednesday too. */
  g_assert_true (kiosk_deferral_due_date (five, friday, &due));
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &due);
  g_assert_cmpstr (buf, ==, "2026-03-18");
  g_assert_true (kiosk_deferral_due_date (thirty, friday, &due));
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &due);
  g_assert_cmpstr (buf, ==, "2026-03-18");

  /* Owing drops the pages; a page taken afterwards settles it. */
  g_assert_true (kiosk_case_draft_add_page (d, photo, "image/jpeg", page, &error));
  g_assert_true (kiosk_case_draft_owe_material (d, photo, monday, &error));
  g_assert_cmpint (kiosk_case_draft_get_material_state (d, photo), ==, KIOSK_MATERIAL_OWED);
  g_assert_cmpuint (kiosk_case_draft_get_n_pages (d, photo), ==, 0);
  g_assert_cmpstr (kiosk_case_draft_get_owed_due (d, photo), ==, "2026-03-12");
  g_assert_true (kiosk_case_draft_add_page (d, photo, "image/jpeg", page, &error));
  g_assert_cmpint (kiosk_case_draft_get_material_state (d, photo), ==, KIOSK_MATERIAL_SCANNED);
  g_assert_null (kiosk_case_draft_get_owed_due (d, photo));
}

static void
test_deferral_unstated_limit (void)
{
  g_autoptr (KioskCatalogItem) same_day = domain_test_item (
      "{\"code\":\"T-2\",\"name\":\"n\",\"department\":\"d\",\"time_limit_days\":0,"
      "\"materials\":[{\"name\":\"照片\",\"provided_by\":\"scan\",\"deferrable\":true}]" DEFER (5) "}");
  g_autoptr (KioskCatalogItem) unstated = domain_test_item (
      "{\"code\":\"T-3\",\"name\":\"n\",\"department\":\"d\","
      "\"materials\":[{\"name\":\"照片\",\"provided_by\":\"scan\",\"deferrable\":true}]" DEFER (5) "}");
  g_autoptr (GDate) monday = domain_test_date (2026, 3, 9);
  GDate due;
  char buf[16];

  /* A same-day item cannot wait for a material. */
  g_assert_false (kiosk_material_may_be_owed (same_day, 0));
  g_assert_false (kiosk_deferral_due_date (same_day, monday, &due));
  /* No stated limit: the deferral's own days. */
  g_assert_true (kiosk_deferral_due_date (unstated, monday, &due));
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &due);
  g_assert_cmpstr (buf, ==, "2026-03-14");
}

static gboolean
has_problem (GPtrArray *problems, const char *prefix)
{
  for (guint i = 0; i < problems->len; i++)
    if (g_str_has_prefix (problems->pdata[i], prefix))
      return TRUE;
  return FALSE;
}

static void
test_complete (void)
{
  g_autoptr (KioskCatalogItem) it = domain_test_item (ITEM ("") COMMIT DEFER (5) "}");
  g_autoptr (KioskIdentity) id = domain_test_identity ();
  g_autoptr (KioskCaseDraft) d = kiosk_case_draft_new (it, id);
  g_autoptr (KioskCaseDraft) anonymous = kiosk_case_draft_new (it, NULL);
  g_autoptr (GPtrArray) problems = NULL;
  g_autoptr (GDate) today = domain_test_date (2026, 3, 9);
  g_autoptr (GBytes) png = domain_test_png (3);
  g_autoptr (GError) error = NULL;

  /* Everything missing is listed at once. */
  g_assert_false (kiosk_case_draft_check_complete (d, today, &problems));
  g_assert_true (has_problem (problems, "Please fill this in.\t联系电话"));
  g_assert_true (has_problem (problems, "Please fill this in.\t姓名"));
  g_assert_true (has_problem (problems, "Choose between signing the commitment and supplying the proof.\t死亡证明"));
  g_assert_true (has_problem (problems, "This material is still missing.\t照片"));
  g_assert_true (has_problem (problems, "This material is still missing.\t死亡证明"));
  g_assert_false (has_problem (problems, "This material is still missing.\t居民身份证"));
  g_assert_false (has_problem (problems, "This material is still missing.\t户口簿"));
  g_clear_pointer (&problems, g_ptr_array_unref);

  kiosk_case_draft_prefill (d);
  kiosk_case_draft_set_value (d, "phone", "13800138000");
  g_assert_true (kiosk_case_draft_set_commitment (d, KIOSK_COMMITMENT_COMMIT, &error));
  g_assert_true (kiosk_case_draft_owe_material (d, 3, today, &error));
  g_assert_false (kiosk_case_draft_check_complete (d, today, &problems));
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (problems->pdata[0], ==, "Sign the commitment on the screen.\t");
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_assert_true (kiosk_case_draft_set_signature (d, png, &error));
  g_assert_true (kiosk_case_draft_check_complete (d, today, NULL));

  /* Post needs an address: refused when set without one. */
  g_assert_false (kiosk_case_draft_set_delivery (d, KIOSK_DELIVERY_POST, "", &error));
  g_clear_error (&error);
  g_assert_true (kiosk_case_draft_set_delivery (d, KIOSK_DELIVERY_POST, "某县某镇某村5号", &error));
  g_assert_true (kiosk_case_draft_check_complete (d, today, NULL));
  /* A bad value is a problem. */
  kiosk_case_draft_set_value (d, "id_number", "110105194912310021");
  g_assert_false (kiosk_case_draft_check_complete (d, today, &problems));
  g_assert_true (has_problem (problems, "This ID number is not right"));
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Without a card, nobody applies. */
  g_assert_false (kiosk_case_draft_check_complete (anonymous, today, &problems));
  g_assert_true (has_problem (problems, "Place your ID card on the reader first."));
}

static void
test_not_at_kiosk (void)
{
  g_autoptr (KioskCatalog) c = domain_test_seed_catalog ();
  g_autoptr (KioskIdentity) id = domain_test_identity ();
  g_autoptr (GPtrArray) problems = NULL;
  KioskCatalogItem *cl = kiosk_catalog_find (c, "CL-031");
  g_autoptr (KioskCaseDraft) d = kiosk_case_draft_new (cl, id);

  g_assert_false (cl->kiosk_accepts);
  g_assert_false (kiosk_case_draft_check_complete (d, NULL, &problems));
  g_assert_true (has_problem (problems, "This item cannot be applied for at this kiosk.\t须本人"));
}

static void
test_wipe (void)
{
  g_autoptr (KioskCatalogItem) it = domain_test_item (ITEM ("") COMMIT DEFER (5) "}");
  g_autoptr (KioskIdentity) id = domain_test_identity ();
  g_autoptr (KioskCaseDraft) d = kiosk_case_draft_new (it, id);
  g_autoptr (GBytes) png = domain_test_png (4);
  g_autoptr (GBytes) page = domain_test_jpeg (4);
  g_autoptr (GDate) today = domain_test_date (2026, 3, 9);
  g_autoptr (GPtrArray) atts = NULL;
  guint photo = (guint) kiosk_catalog_item_find_material (it, "照片");

  kiosk_case_draft_prefill (d);
  kiosk_case_draft_set_value (d, "phone", "13800138000");
  g_assert_true (kiosk_case_draft_set_commitment (d, KIOSK_COMMITMENT_COMMIT, NULL));
  g_assert_true (kiosk_case_draft_set_signature (d, png, NULL));
  g_assert_true (kiosk_case_draft_add_page (d, photo, "image/jpeg", page, NULL));
  g_assert_true (kiosk_case_draft_add_page (d, photo, "image/jpeg", page, NULL));
  g_assert_true (kiosk_case_draft_set_delivery (d, KIOSK_DELIVERY_POST, "某县某镇某村5号", NULL));
  atts = kiosk_case_draft_get_attachments (d);
  g_assert_cmpuint (atts->len, ==, 3);
  g_assert_cmpstr (((KioskCaseAttachment *) atts->pdata[0])->name, ==, "照片 p1");
  g_assert_cmpstr (((KioskCaseAttachment *) atts->pdata[1])->name, ==, "照片 p2");
  g_assert_cmpstr (((KioskCaseAttachment *) atts->pdata[2])->name, ==, "告知承诺书签名");
  g_assert_cmpstr (((KioskCaseAttachment *) atts->pdata[2])->media_type, ==, "image/png");
  g_clear_pointer (&atts, g_ptr_array_unref);

  kiosk_case_draft_wipe (d);
  g_assert_null (kiosk_case_draft_get_applicant (d));
  for (guint i = 0; i < it->n_form_fields; i++)
    g_assert_null (kiosk_case_draft_get_value (d, it->form_fields[i].id));
  g_assert_null (kiosk_case_draft_get_signature_sha256 (d));
  g_assert_cmpint (kiosk_case_draft_get_commitment (d), ==, KIOSK_COMMITMENT_UNDECIDED);
  g_assert_cmpuint (kiosk_case_draft_get_n_pages (d, photo), ==, 0);
  g_assert_cmpint (kiosk_case_draft_get_material_state (d, photo), ==, KIOSK_MATERIAL_MISSING);
  g_assert_cmpint (kiosk_case_draft_get_delivery (d), ==, KIOSK_DELIVERY_PICKUP);
  g_assert_null (kiosk_case_draft_get_delivery_address (d));
  atts = kiosk_case_draft_get_attachments (d);
  g_assert_cmpuint (atts->len, ==, 0);
  g_assert_false (kiosk_case_draft_check_complete (d, today, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/domain/rules/validate-types", test_validate_types);
  g_test_add_func ("/domain/rules/prefill", test_prefill);
  g_test_add_func ("/domain/rules/prefill-seed", test_prefill_seed);
  g_test_add_func ("/domain/rules/commitment", test_commitment);
  g_test_add_func ("/domain/rules/deferral", test_deferral);
  g_test_add_func ("/domain/rules/deferral-unstated-limit", test_deferral_unstated_limit);
  g_test_add_func ("/domain/rules/complete", test_complete);
  g_test_add_func ("/domain/rules/not-at-kiosk", test_not_at_kiosk);
  g_test_add_func ("/domain/rules/wipe", test_wipe);
  return g_test_run ();
}
