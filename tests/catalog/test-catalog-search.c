/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kiosk-catalog-search.h"

/* The search on the reference platform's seed catalog
 * (tests/platform/seed-catalog.json), with libpinyin's readings. */

static KioskPinyin *pinyin;
static KioskCatalogSearch *search;

static char *
seed_json (void)
{
  g_autofree char *path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* The codes found for @query, best first, space-separated. */
static char *
codes (KioskCatalogSearch *s, const char *query, const char *category)
{
  g_autoptr (GPtrArray) found = kiosk_catalog_search_find (s, query, category);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < found->len; i++)
    {
      KioskCatalogMatch *m = found->pdata[i];
      g_string_append_printf (out, "%s%s", i ? " " : "", m->code);
    }
  return g_string_free (out, FALSE);
}

static const char *
first_name (const char *query)
{
  static char name[256];
  g_autoptr (GPtrArray) found = kiosk_catalog_search_find (search, query, NULL);

  if (found->len == 0)
    return "";
  g_strlcpy (name, ((KioskCatalogMatch *) found->pdata[0])->name, sizeof name);
  return name;
}

static void
assert_has (const char *list, const char *code)
{
  if (strstr (list, code) == NULL)
    g_error ("%s not in [%s]", code, list);
}

static void
test_readings (void)
{
  g_auto (GStrv) gao = kiosk_pinyin_readings (pinyin, g_utf8_get_char ("高"));
  g_auto (GStrv) chang = kiosk_pinyin_readings (pinyin, g_utf8_get_char ("长"));
  g_auto (GStrv) lv = kiosk_pinyin_readings (pinyin, g_utf8_get_char ("绿"));
  g_auto (GStrv) xing = kiosk_pinyin_readings (pinyin, g_utf8_get_char ("行"));
  g_auto (GStrv) letter = kiosk_pinyin_readings (pinyin, 'a');

  g_assert_nonnull (gao);
  g_assert_cmpstr (gao[0], ==, "gao");
  g_assert_null (gao[1]);
  /* Polyphones: every reading. */
  g_assert_true (g_strv_contains ((const char *const *) chang, "chang"));
  g_assert_true (g_strv_contains ((const char *const *) chang, "zhang"));
  g_assert_true (g_strv_contains ((const char *const *) xing, "xing"));
  g_assert_true (g_strv_contains ((const char *const *) xing, "hang"));
  g_assert_true (g_strv_contains ((const char *const *) lv, "lv"));
  g_assert_null (letter);
}

static void
test_initials (void)
{
  g_autofree char *gljt = codes (search, "gljt", NULL);
  g_autofree char *ylbx = codes (search, "ylbx", NULL);
  g_autofree char *upper = codes (search, "GLJT", NULL);

  g_assert_cmpstr (first_name ("gljt"), ==, "高龄津贴申领");
  g_assert_true (g_str_has_prefix (gljt, "MZ-026"));
  g_assert_cmpstr (upper, ==, gljt);
  /* Every 城乡居民养老保险 item; ylbx is also 医疗保险 (yi liao bao xian). */
  assert_has (ylbx, "RS-001");
  assert_has (ylbx, "RS-002");
  assert_has (ylbx, "RS-003");
  assert_has (ylbx, "RS-004");
  assert_has (ylbx, "YB-020");
  {
    g_autoptr (GPtrArray) found = kiosk_catalog_search_find (search, "ylbx", NULL);
    for (guint i = 0; i < found->len; i++)
      {
        const char *name = ((KioskCatalogMatch *) found->pdata[i])->name;
        g_assert_true (strstr (name, "养老保险") || strstr (name, "医疗保险"));
      }
  }
}

static void
test_full_pinyin (void)
{
  g_autofree char *yanglao = codes (search, "yanglao", NULL);
  g_autofree char *spaced = codes (search, "yang lao", NULL);
  g_autofree char *partial = codes (search, "gaolingj", NULL);
  g_autofree char *mixed = codes (search, "gaolingjt", NULL);

  assert_has (yanglao, "RS-001");
  assert_has (yanglao, "RS-002");
  assert_has (yanglao, "RS-003");
  assert_has (yanglao, "RS-004");
  g_assert_nonnull (strstr (first_name ("yanglao"), "养老"));
  assert_has (spaced, "RS-001");
  g_assert_true (g_str_has_prefix (partial, "MZ-026"));
  g_assert_true (g_str_has_prefix (mixed, "MZ-026"));
  /* zh/ch/sh count as an initial too: 社(sh)会保障卡. */
  g_assert_cmpstr (first_name ("shbzk"), ==, "社会保障卡申领");
}

static void
test_polyphone (void)
{
  /* 长寿补贴 (an alias of 高龄津贴): 长 read chang here. */
  g_autofree char *chang = codes (search, "changshou", NULL);
  g_autofree char *cs = codes (search, "csbt", NULL);

  g_assert_true (g_str_has_prefix (chang, "MZ-026"));
  g_assert_true (g_str_has_prefix (cs, "MZ-026"));
}

static void
test_chinese (void)
{
  g_autofree char *ylbx = codes (search, "养老保险", NULL);
  g_autofree char *two = codes (search, "养老 注销", NULL);
  g_autofree char *order = codes (search, "养老登记", NULL);

  g_assert_cmpstr (first_name ("高龄"), ==, "高龄津贴申领");
  g_assert_cmpstr (first_name ("高龄津贴申领"), ==, "高龄津贴申领");
  assert_has (ylbx, "RS-001");
  assert_has (ylbx, "RS-004");
  g_assert_true (g_str_has_prefix (two, "RS-004"));
  /* Characters in order: 养老(保险参保)登记. */
  assert_has (order, "RS-001");
}

static void
test_alias (void)
{
  g_assert_cmpstr (first_name ("低保"), ==, "最低生活保障申请(审核确认)");
  g_assert_cmpstr (first_name ("dibao"), ==, "最低生活保障申请(审核确认)");
  g_assert_cmpstr (first_name ("db"), !=, "");
  g_assert_cmpstr (first_name ("社保卡丢了"), ==, "社会保障卡补领、换领(含自助即时制卡)");
  g_assert_cmpstr (first_name ("老年证"), ==, "老年人优待证办理");
  g_assert_cmpstr (first_name ("准生证"), ==, "生育登记");
}

static void
test_category (void)
{
  const char *const *cats = kiosk_catalog_search_get_categories (search);
  g_autofree char *help = codes (search, NULL, "社会救助");
  g_autofree char *help_blank = codes (search, "  ", "社会救助");
  g_autofree char *in_cat = codes (search, "临时", "社会救助");
  g_autofree char *not_in_cat = codes (search, "gljt", "社会救助");
  g_autofree char *by_name = codes (search, "社会救助", NULL);
  g_autofree char *dept = codes (search, "民政", NULL);
  g_autofree char *all = codes (search, NULL, NULL);

  g_assert_cmpstr (cats[0], ==, "社会保险");
  g_assert_true (g_strv_contains (cats, "老年人服务"));
  g_assert_cmpuint (g_strv_length ((char **) cats), ==, 12);
  g_assert_cmpstr (help, ==, "MZ-022 MZ-023 MZ-024");
  g_assert_cmpstr (help_blank, ==, help);
  g_assert_cmpstr (in_cat, ==, "MZ-024");
  g_assert_cmpstr (not_in_cat, ==, "");
  g_assert_cmpstr (by_name, ==, "MZ-022 MZ-023 MZ-024");
  assert_has (dept, "MZ-026");
  g_assert_cmpuint (strlen (all), ==, 38 * 7 - 1);
  g_assert_cmpuint (kiosk_catalog_search_get_n_items (search), ==, 38);
}

static void
test_code (void)
{
  g_autofree char *code = codes (search, "MZ-026", NULL);
  g_autofree char *key = codes (search, "mz026", NULL);

  g_assert_true (g_str_has_prefix (code, "MZ-026"));
  g_assert_true (g_str_has_prefix (key, "MZ-026"));
}

static void
test_no_match (void)
{
  g_autofree char *a = codes (search, "火箭发射", NULL);
  g_autofree char *b = codes (search, "qqqqxz", NULL);
  g_autofree char *c = codes (search, "gljt 火箭", NULL);
  g_autofree char *d = codes (search, "\xff\xfe", NULL);

  g_assert_cmpstr (a, ==, "");
  g_assert_cmpstr (b, ==, "");
  g_assert_cmpstr (c, ==, "");
  g_assert_cmpstr (d, ==, "");
}

/* Without libpinyin the index has no readings: pinyin finds nothing (the
 * readings above come from libpinyin, not from the catalog). */
static void
test_without_pinyin (void)
{
  g_autofree char *json = seed_json ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskCatalogSearch) s = kiosk_catalog_search_new_from_json (json, NULL, &error);
  g_autofree char *gljt = NULL;
  g_autofree char *chinese = NULL;

  g_assert_no_error (error);
  gljt = codes (s, "gljt", NULL);
  chinese = codes (s, "高龄", NULL);
  g_assert_cmpstr (gljt, ==, "");
  g_assert_true (g_str_has_prefix (chinese, "MZ-026"));
}

static void
test_bad_catalog (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskCatalogSearch) s = NULL;
  g_autofree char *found = NULL;

  g_assert_null (kiosk_catalog_search_new_from_json ("{\"x\": 1}", NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (kiosk_catalog_search_new_from_json ("not json", NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  /* The store's form (an array); items without code or name, wrong types. */
  s = kiosk_catalog_search_new_from_json (
      "[{\"code\": \"A-1\", \"name\": \"高龄津贴\", \"aliases\": [1, null, \"长寿\"],"
      " \"category\": 5, \"item_type\": \"x\"}, {\"name\": \"无编码\"}, 7,"
      " {\"code\": \"B-2\", \"name\": null}]",
      pinyin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kiosk_catalog_search_get_n_items (s), ==, 1);
  found = codes (s, "cs", NULL);
  g_assert_cmpstr (found, ==, "A-1");
  g_assert_null (kiosk_catalog_search_get_categories (s)[0]);
}

static void
built_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* As a journey builds it: in a worker thread, back on the main context. */
static void
test_build_async (void)
{
  g_autofree char *json = seed_json ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskCatalogSearch) s = NULL;
  g_autofree char *gljt = NULL;

  kiosk_catalog_search_build_async (json, NULL, built_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  s = kiosk_catalog_search_build_finish (result, &error);
  g_assert_no_error (error);
  gljt = codes (s, "gljt", NULL);
  g_assert_true (g_str_has_prefix (gljt, "MZ-026"));
  g_clear_object (&result);
  kiosk_catalog_search_build_async ("[", NULL, built_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (kiosk_catalog_search_build_finish (result, &error));
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  pinyin = kiosk_pinyin_open (NULL, &error);
  g_assert_no_error (error);
  json = seed_json ();
  search = kiosk_catalog_search_new_from_json (json, pinyin, &error);
  g_assert_no_error (error);

  g_test_add_func ("/catalog/readings", test_readings);
  g_test_add_func ("/catalog/initials", test_initials);
  g_test_add_func ("/catalog/full-pinyin", test_full_pinyin);
  g_test_add_func ("/catalog/polyphone", test_polyphone);
  g_test_add_func ("/catalog/chinese", test_chinese);
  g_test_add_func ("/catalog/alias", test_alias);
  g_test_add_func ("/catalog/category", test_category);
  g_test_add_func ("/catalog/code", test_code);
  g_test_add_func ("/catalog/no-match", test_no_match);
  g_test_add_func ("/catalog/without-pinyin", test_without_pinyin);
  g_test_add_func ("/catalog/bad-catalog", test_bad_catalog);
  g_test_add_func ("/catalog/build-async", test_build_async);
  status = g_test_run ();
  kiosk_catalog_search_free (search);
  kiosk_pinyin_free (pinyin);
  return status;
}
