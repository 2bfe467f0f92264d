/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The domain codec (app/domain/kiosk-domain-codec.h): the seed catalog
 * decodes whole and round-trips; what the codec must refuse, from JSON and
 * hex strings; a case draft encodes and decodes to the same draft. */
#include "config.h"

#include <string.h>

#include "kiosk-domain-codec.h"
#include "domain-test-util.h"
#include "kiosk-domain-rules.h"

static KioskCatalog *
seed_catalog (void)
{
  g_autofree char *path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) skipped = NULL;
  gsize len;
  KioskCatalog *c;

  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  c = kiosk_catalog_decode (text, len, &skipped, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c);
  for (guint i = 0; i < skipped->len; i++)
    g_test_message ("skipped: %s", (char *) skipped->pdata[i]);
  g_assert_cmpuint (skipped->len, ==, 0);
  return c;
}

static void
test_seed_catalog (void)
{
  g_autoptr (KioskCatalog) c = seed_catalog ();
  KioskCatalogItem *rs1 = kiosk_catalog_find (c, "RS-001");
  guint commitment = 0, deferral = 0, cross = 0, elsewhere = 0, types = 0;

  g_assert_cmpuint (c->items->len, >=, 38);
  g_assert_cmpstr (c->version, !=, NULL);
  g_assert_nonnull (rs1);
  g_assert_cmpstr (rs1->name, ==, "城乡居民养老保险参保登记");
  g_assert_cmpstr (rs1->department, ==, "人社");
  g_assert_cmpint (rs1->time_limit_days, ==, 3);
  g_assert_cmpint (rs1->fee.amount_fen, ==, 0);
  g_assert_cmpuint (rs1->n_materials, ==, 3);
  g_assert_cmpint (rs1->materials[0].provided_by, ==, KIOSK_PROVIDED_BY_ID_CARD_READER);
  g_assert_cmpint (rs1->materials[1].provided_by, ==, KIOSK_PROVIDED_BY_E_LICENCE);
  g_assert_cmpint (rs1->materials[2].provided_by, ==, KIOSK_PROVIDED_BY_KIOSK_FORM);
  g_assert_true (g_strv_contains ((const char *const *) rs1->aliases, "新农保"));
  g_assert_cmpint (rs1->form_fields[0].type, ==, KIOSK_FIELD_PHONE);
  g_assert_cmpint (rs1->form_fields[1].type, ==, KIOSK_FIELD_CHOICE);
  g_assert_cmpstr (rs1->form_fields[1].choices[0], ==, "200元");
  g_assert_true (kiosk_catalog_item_offers_delivery (rs1, KIOSK_DELIVERY_POST));
  g_assert_cmpint (rs1->commitment_allowed, ==, KIOSK_FLAG_NO);
  g_assert_null (rs1->commitment);

  for (guint i = 0; i < c->items->len; i++)
    {
      KioskCatalogItem *it = c->items->pdata[i];
      g_autofree char *enc = kiosk_catalog_item_encode (it);
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskCatalogItem) again = kiosk_catalog_item_decode (enc, strlen (enc), &error);

      g_assert_no_error (error);
      g_assert_true (kiosk_catalog_item_equal (it, again));
      if (it->commitment_allowed == KIOSK_FLAG_YES)
        {
          commitment++;
          g_assert_nonnull (it->commitment->proof);
          g_assert_nonnull (it->commitment->liability);
        }
      if (it->deferral_allowed == KIOSK_FLAG_YES)
        {
          deferral++;
          g_assert_cmpint (it->deferral->deadline_days, >=, 1);
        }
      if (it->cross_region)
        {
          cross++;
          g_assert_nonnull (it->handling_region.name);
        }
      if (!it->kiosk_accepts)
        {
          elsewhere++;
          g_assert_nonnull (it->where_to_apply);
        }
      for (guint f = 0; f < it->n_form_fields; f++)
        types |= 1u << it->form_fields[f].type;
    }
  /* The seed has every kind the journeys need (issue 14). */
  g_assert_cmpuint (commitment, >=, 1);
  g_assert_cmpuint (deferral, >=, 1);
  g_assert_cmpuint (cross, >=, 1);
  g_assert_cmpuint (elsewhere, >=, 1);
  g_assert_cmpuint (types, ==, (1u << (KIOSK_FIELD_ID_NUMBER + 1)) - 1);
}

#define ITEM_HEAD "{\"code\":\"T-1\",\"name\":\"测试\",\"department\":\"民政\","
#define ITEM_MATS "\"materials\":[{\"name\":\"照片\",\"required\":true,\"provided_by\":\"scan\"}]"

static void
test_item_minimal (void)
{
  const char *json = ITEM_HEAD ITEM_MATS "}";
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskCatalogItem) it = kiosk_catalog_item_decode (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (it->category, ==, "民政"); /* the department stands in */
  g_assert_cmpint (it->time_limit_days, ==, -1);
  g_assert_cmpint (it->commitment_allowed, ==, KIOSK_FLAG_UNSTATED);
  g_assert_cmpint (it->deferral_allowed, ==, KIOSK_FLAG_UNSTATED);
  g_assert_cmpuint (it->delivery, ==, KIOSK_DELIVERY_PICKUP);
  g_assert_true (it->kiosk_accepts);
  g_assert_false (it->cross_region);
  g_assert_cmpuint (it->n_form_fields, ==, 0);
  g_assert_nonnull (it->aliases);
  g_assert_null (it->aliases[0]);
}

/* Decodes (no error); -1: refused, any code. */
#define OK 100

typedef struct {
  const char *json;
  int code;
} Refusal;

static void
test_item_refusals (void)
{
  static const Refusal cases[] = {
    { "", KIOSK_DOMAIN_ERROR_SYNTAX },
    { "[]", KIOSK_DOMAIN_ERROR_SYNTAX },
    { "{\"code\":", KIOSK_DOMAIN_ERROR_SYNTAX },
    { ITEM_MATS "}", KIOSK_DOMAIN_ERROR_SYNTAX },
    { "{\"name\":\"x\",\"department\":\"y\"," ITEM_MATS "}", KIOSK_DOMAIN_ERROR_MISSING },
    { ITEM_HEAD "\"materials\":[]}", OK },
    { ITEM_HEAD "\"x\":1}", KIOSK_DOMAIN_ERROR_MISSING },
    { "{\"code\":\"T 1\",\"name\":\"n\",\"department\":\"d\"," ITEM_MATS "}", KIOSK_DOMAIN_ERROR_INVALID },
    { "{\"code\":42,\"name\":\"n\",\"department\":\"d\"," ITEM_MATS "}", KIOSK_DOMAIN_ERROR_INVALID },
    { ITEM_HEAD "\"materials\":[{\"name\":\"a\",\"provided_by\":\"fax\"}]}", KIOSK_DOMAIN_ERROR_INVALID },
    { ITEM_HEAD "\"materials\":[{\"name\":\"a\",\"provided_by\":\"scan\"},{\"name\":\"a\",\"provided_by\":\"scan\"}]}",
      KIOSK_DOMAIN_ERROR_INVALID },
    { ITEM_HEAD ITEM_MATS ",\"form_fields\":[{\"id\":\"a\",\"label\":\"A\",\"type\":\"colour\"}]}",
      KIOSK_DOMAIN_ERROR_INVALID },
    { ITEM_HEAD ITEM_MATS ",\"form_fields\":[{\"id\":\"A-b\",\"label\":\"A\",\"type\":\"text\"}]}",
      KIOSK_DOMAIN_ERROR_INVALID },
    { ITEM_HEAD ITEM_MATS ",\"form_fields\":[{\"id\":\"a\",\"label\":\"A\",\"type\":\"choice\"}]}",
      KIOSK_DOMAIN_ERROR_MISSING },
    { ITEM_HEAD ITEM_MATS ",\"form_fields\":[{\"id\":\"a\",\"label\":\"A\",\"type\":\"text\"},"
                          "{\"id\":\"a\",\"label\":\"B\",\"type\":\"text\"}]}",
      KIOSK_DOMAIN_ERROR_INVALID },
    { ITEM_HEAD ITEM_MATS ",\"commitment_allowed\":true}", KIOSK_DOMAIN_ERROR_MISSING },
    { ITEM_HEAD ITEM_MATS ",\"commitment_allowed\":\"yes\"}", KIOSK_DOMAIN_ERROR_INVALID },
    { ITEM_HEAD ITEM_MATS ",\"deferral_allowed\":true,\"deferral\":{\"deadline_days\":0,\"consequence\":\"c\"}}",
      KIOSK_DOMAIN_ERROR_INVALID },
    { ITEM_HEAD ITEM_MATS ",\"deferral_allowed\":true,\"deferral\":{\"deadline_days\":5}}",
      KIOSK_DOMAIN_ERROR_MISSING },
    { ITEM_HEAD ITEM_MATS ",\"time_limit_days\":-1}", KIOSK_DOMAIN_ERROR_INVALID },
    { ITEM_HEAD ITEM_MATS ",\"time_limit_days\":2.5}", KIOSK_DOMAIN_ERROR_INVALID },
    { ITEM_HEAD ITEM_MATS ",\"fee\":{\"amount_yuan\":-3}}", KIOSK_DOMAIN_ERROR_INVALID },
    { ITEM_HEAD ITEM_MATS ",\"cross_region\":true}", KIOSK_DOMAIN_ERROR_MISSING },
    { ITEM_HEAD ITEM_MATS ",\"cross_region\":true,\"handling_region\":{\"code\":\"13A\",\"name\":\"x\"}}",
      KIOSK_DOMAIN_ERROR_INVALID },
    { ITEM_HEAD ITEM_MATS ",\"kiosk_accepts\":false}", KIOSK_DOMAIN_ERROR_MISSING },
    /* Control, bidi and other format characters; a line break only in long texts. */
    { "{\"code\":\"T-1\",\"name\":\"a\\u0007b\",\"department\":\"d\"," ITEM_MATS "}", KIOSK_DOMAIN_ERROR_ENCODING },
    { "{\"code\":\"T-1\",\"name\":\"a\\nb\",\"department\":\"d\"," ITEM_MATS "}", KIOSK_DOMAIN_ERROR_ENCODING },
    { "{\"code\":\"T-1\",\"name\":\"a\\u202eb\",\"department\":\"d\"," ITEM_MATS "}", KIOSK_DOMAIN_ERROR_ENCODING },
    { "{\"code\":\"T-1\",\"name\":\"a\\u200bb\",\"department\":\"d\"," ITEM_MATS "}", KIOSK_DOMAIN_ERROR_ENCODING },
    { "{\"code\":\"T-1\",\"name\":\"a\\u0085b\",\"department\":\"d\"," ITEM_MATS "}", KIOSK_DOMAIN_ERROR_ENCODING },
    { "{\"code\":\"T-1\",\"name\":\"a\\u007fb\",\"department\":\"d\"," ITEM_MATS "}", KIOSK_DOMAIN_ERROR_ENCODING },
    { ITEM_HEAD ITEM_MATS ",\"legal_basis\":\"第一条\\n第二条\"}", OK },
    { ITEM_HEAD ITEM_MATS ",\"legal_basis\":\"第一条\\r第二条\"}", KIOSK_DOMAIN_ERROR_ENCODING },
    /* json-glib reads "\631" as an octal byte: not UTF-8 afterwards. */
    { ITEM_HEAD ITEM_MATS ",\"level\":\"\\631\"}", -1 },
    { "{\"code\\u0001\":\"T-1\"}", KIOSK_DOMAIN_ERROR_ENCODING },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskCatalogItem) it = kiosk_catalog_item_decode (cases[i].json, strlen (cases[i].json), &error);

      g_test_message ("%u: %s", i, cases[i].json);
      if (cases[i].code == OK)
        {
          g_assert_no_error (error);
          g_assert_nonnull (it);
          continue;
        }
      g_assert_null (it);
      g_assert_nonnull (error);
      g_assert_true (error->domain == KIOSK_DOMAIN_ERROR);
      if (cases[i].code >= 0)
        g_assert_cmpint (error->code, ==, cases[i].code);
    }
}

/* Bytes a JSON text cannot carry: hex in, refusal out. */
static void
test_bytes_refusals (void)
{
  static const char *const hex[] = {
    "7b22636f6465223a2254ff227d",     /* {"code":"T\xff"}: not UTF-8 */
    "7b22636f6465223a2254c0af227d",   /* overlong encoding of '/' */
    "7b22636f6465223a2254eda080227d", /* a UTF-16 surrogate in UTF-8 */
    "7b22636f6465223a225400227d",     /* NUL inside */
    "7b22636f6465223a22540a227d",     /* a raw line break in a string (json-glib takes it) */
  };

  for (guint i = 0; i < G_N_ELEMENTS (hex); i++)
    {
      gsize n = strlen (hex[i]) / 2;
      g_autofree char *bytes = g_malloc (n);
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskCatalogItem) it = NULL;

      for (gsize j = 0; j < n; j++)
        bytes[j] = (char) g_ascii_strtoull ((char[]){ hex[i][2 * j], hex[i][2 * j + 1], 0 }, NULL, 16);
      it = kiosk_catalog_item_decode (bytes, n, &error);
      g_assert_null (it);
      g_assert_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_ENCODING);
    }
}

static void
test_caps (void)
{
  g_autoptr (GString) s = g_string_new ("{\"items\":[");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) skipped = NULL;
  g_autoptr (KioskCatalog) c = NULL;
  g_autoptr (KioskCatalogItem) it = NULL;
  g_autofree char *deep = NULL;
  g_autofree char *long_name = NULL;
  g_autofree char *many_a = g_strnfill (201, 'a');

  /* Too deep: refused before json-glib's recursive parser sees it. */
  deep = g_strnfill (100000, '[');
  c = kiosk_catalog_decode (deep, strlen (deep), &skipped, &error);
  g_assert_null (c);
  g_assert_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_clear_pointer (&skipped, g_ptr_array_unref);

  /* Too many items. */
  for (guint i = 0; i <= KIOSK_DOMAIN_MAX_ITEMS; i++)
    g_string_append (s, i ? ",{}" : "{}");
  g_string_append (s, "]}");
  c = kiosk_catalog_decode (s->str, s->len, &skipped, &error);
  g_assert_null (c);
  g_assert_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_clear_pointer (&skipped, g_ptr_array_unref);

  /* A name over its cap (200 characters, counted as characters). */
  long_name = g_strdup_printf ("{\"code\":\"T-1\",\"name\":\"%s\",\"department\":\"d\"," ITEM_MATS "}", many_a);
  it = kiosk_catalog_item_decode (long_name, strlen (long_name), &error);
  g_assert_null (it);
  g_assert_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_TOO_LARGE);
}

static void
test_catalog_skips_bad_items (void)
{
  const char *json = "{\"version\":\"v\",\"items\":[" ITEM_HEAD ITEM_MATS "},"
                     "{\"code\":\"T-2\",\"name\":\"x\"}," ITEM_HEAD ITEM_MATS "},"
                     "7]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) skipped = NULL;
  g_autoptr (KioskCatalog) c = kiosk_catalog_decode (json, strlen (json), &skipped, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (c->items->len, ==, 1);
  g_assert_cmpuint (skipped->len, ==, 3);
  g_assert_true (g_str_has_prefix (skipped->pdata[0], "T-2: "));
  g_assert_true (g_str_has_prefix (skipped->pdata[1], "T-1: "));
  g_assert_true (g_str_has_prefix (skipped->pdata[2], "items[3]: "));
}

/* A draft encodes to the store's case JSON and decodes to a draft that
 * encodes the same; refusals of bad case JSON. */
static void
test_case_round_trip (void)
{
  g_autoptr (KioskCatalog) c = domain_test_seed_catalog ();
  g_autoptr (KioskIdentity) id = domain_test_identity ();
  KioskCatalogItem *rs5 = kiosk_catalog_find (c, "RS-005");
  KioskCatalogItem *rs9 = kiosk_catalog_find (c, "RS-009");
  g_autoptr (KioskCaseDraft) a = kiosk_case_draft_new (rs5, id);
  g_autoptr (KioskCaseDraft) b = kiosk_case_draft_new (rs9, id);
  g_autoptr (GBytes) png = domain_test_png (5);
  g_autoptr (GBytes) page = domain_test_jpeg (5);
  g_autoptr (GDate) today = domain_test_date (2026, 3, 9);
  g_autoptr (GError) error = NULL;
  KioskCaseDraft *drafts[] = { a, b };

  kiosk_case_draft_prefill (a);
  kiosk_case_draft_set_value (a, "phone", "13800138000");
  kiosk_case_draft_set_value (a, "deceased_name", "张某");
  g_assert_true (kiosk_case_draft_set_commitment (a, KIOSK_COMMITMENT_COMMIT, &error));
  g_assert_true (kiosk_case_draft_set_signature (a, png, &error));
  g_assert_true (kiosk_case_draft_add_page (a, 2, "image/jpeg", page, &error));
  g_assert_true (kiosk_case_draft_add_page (a, 2, "image/jpeg", page, &error));
  kiosk_case_draft_set_value (b, "phone", "13900139000");
  g_assert_true (kiosk_case_draft_owe_material (b, 1, today, &error));
  g_assert_true (kiosk_case_draft_set_delivery (b, KIOSK_DELIVERY_POST, "某县某镇某村5号", &error));
  kiosk_case_draft_set_agent (b, "代办员王五", "11010519491231002X");

  for (guint i = 0; i < G_N_ELEMENTS (drafts); i++)
    {
      g_autofree char *json = kiosk_case_draft_encode (drafts[i], &error);
      g_autoptr (KioskCaseDraft) again = NULL;
      g_autofree char *json2 = NULL;

      g_assert_no_error (error);
      again = kiosk_case_draft_decode (kiosk_case_draft_get_item (drafts[i]), json, strlen (json), &error);
      g_assert_no_error (error);
      json2 = kiosk_case_draft_encode (again, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (json, ==, json2);
    }
  {
    g_autofree char *json = kiosk_case_draft_encode (a, &error);
    g_assert_nonnull (strstr (json, "\"applicant\":{\"name\":\"张三\",\"id_number\":\"11010519491231002X\","
                                    "\"phone\":\"13800138000\""));
    g_assert_nonnull (strstr (json, "\"signature_sha256\":\""));
    g_assert_nonnull (strstr (json, "\"handling_region\":null"));
    /* Another item's draft refuses it. */
    g_assert_null (kiosk_case_draft_decode (rs9, json, strlen (json), &error));
    g_assert_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_autofree char *json = kiosk_case_draft_encode (b, &error);
    g_assert_nonnull (strstr (json, "\"handling_region\":{\"code\":\"130110\",\"name\":\"石家庄市鹿泉区\"}"));
    g_assert_nonnull (strstr (json, "\"agent\":{\"name\":\"代办员王五\""));
    g_assert_nonnull (strstr (json, "\"commitment\":null"));
  }
  /* A value with a control character is never encoded. */
  kiosk_case_draft_set_value (a, "deceased_name", "张\x1b某");
  g_assert_null (kiosk_case_draft_encode (a, &error));
  g_assert_error (error, KIOSK_DOMAIN_ERROR, KIOSK_DOMAIN_ERROR_ENCODING);
  g_assert_null (strstr (error->message, "张")); /* errors name members, not values */
}

static void
test_case_refusals (void)
{
  g_autoptr (KioskCatalog) c = domain_test_seed_catalog ();
  KioskCatalogItem *rs1 = kiosk_catalog_find (c, "RS-001");
  static const char *const bad[] = {
    "{}",
    "{\"item_code\":\"RS-001\"}",
    "{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"a\"}}",
    "{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"a\",\"id_number\":\"1\"},\"form\":{\"nope\":\"x\"}}",
    "{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"a\",\"id_number\":\"1\"},\"form\":{\"phone\":1}}",
    "{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"a\",\"id_number\":\"1\"},\"commitment\":{}}",
    "{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"a\",\"id_number\":\"1\"},"
    "\"owed_materials\":[{\"name\":\"x\",\"due\":\"2026-01-01\"}]}",
    "{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"a\",\"id_number\":\"1\"},"
    "\"delivery\":{\"method\":\"drone\"}}",
    "{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"a\",\"id_number\":\"1\"},"
    "\"materials\":[{\"name\":\"居民身份证(原件及复印件)\",\"state\":\"scanned\",\"pages\":[{\"media_type\":"
    "\"image/jpeg\",\"size\":1,\"sha256\":\"xyz\"}]}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskCaseDraft) d = kiosk_case_draft_decode (rs1, bad[i], strlen (bad[i]), &error);
      g_test_message ("%u", i);
      g_assert_null (d);
      g_assert_nonnull (error);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/domain/codec/seed-catalog", test_seed_catalog);
  g_test_add_func ("/domain/codec/item-minimal", test_item_minimal);
  g_test_add_func ("/domain/codec/item-refusals", test_item_refusals);
  g_test_add_func ("/domain/codec/bytes-refusals", test_bytes_refusals);
  g_test_add_func ("/domain/codec/caps", test_caps);
  g_test_add_func ("/domain/codec/catalog-skips-bad-items", test_catalog_skips_bad_items);
  g_test_add_func ("/domain/codec/case-round-trip", test_case_round_trip);
  g_test_add_func ("/domain/codec/case-refusals", test_case_refusals);
  return g_test_run ();
}
