/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pad's pure report codec: every key, releases, malformed and
 * unexpected reports, key-map and feedback parsing. */
#include "config.h"

#include <string.h>

#include "pad-report.h"

static void
make_map (KioskPadKeyMap *map, int report_id, guint offset, guint8 mask, const char *spec)
{
  g_auto (GStrv) entries = g_strsplit (spec, ";", -1);
  g_autoptr (GError) error = NULL;

  memset (map, 0, sizeof *map);
  map->report_id = report_id;
  map->offset = offset;
  map->mask = mask;
  map->release_reports = TRUE;
  g_assert_true (kiosk_pad_key_map_parse (map, (const char *const *) entries, &error));
  g_assert_no_error (error);
}

#define DEFAULT_MAP "01:very-satisfied;02:satisfied;03:basic;04:dissatisfied;05:very-dissatisfied;06:confirm;07:cancel"

static void
test_every_key (void)
{
  KioskPadKeyMap map;
  make_map (&map, -1, 0, 0xff, DEFAULT_MAP);

  for (guint8 v = 1; v <= 7; v++)
    {
      guint8 report[8] = { v, 0, 0, 0, 0, 0, 0, 0 };
      KioskPadKey key = 99;
      guint8 value = 0;
      g_assert_cmpint (kiosk_pad_report_parse (&map, report, sizeof report, &key, &value), ==, KIOSK_PAD_REPORT_KEY);
      g_assert_cmpint (key, ==, v); /* 01 → very-satisfied (1) … 07 → cancel (7) */
      g_assert_cmpuint (value, ==, v);
    }
  g_assert_cmpstr (kiosk_pad_key_to_string (KIOSK_PAD_KEY_VERY_SATISFIED), ==, "very-satisfied");
  g_assert_cmpstr (kiosk_pad_key_to_string (KIOSK_PAD_KEY_VERY_DISSATISFIED), ==, "very-dissatisfied");
  g_assert_cmpint (kiosk_pad_key_from_string ("basic"), ==, KIOSK_PAD_KEY_BASIC);
  g_assert_cmpint (kiosk_pad_key_from_string ("bogus"), ==, KIOSK_PAD_KEY_NONE);
  g_assert_true (kiosk_pad_key_is_level (KIOSK_PAD_KEY_DISSATISFIED));
  g_assert_false (kiosk_pad_key_is_level (KIOSK_PAD_KEY_CONFIRM));
}

static void
test_bitmap_model_with_report_id (void)
{
  /* A model with report id 2, keys as bits in byte 1, and noise in the top
   * bit (a "battery low" flag) that the mask removes. */
  KioskPadKeyMap map;
  KioskPadKey key;
  guint8 value;
  make_map (&map, 2, 1, 0x7f,
            "01:very-satisfied;02:satisfied;04:basic;08:dissatisfied;10:very-dissatisfied;20:confirm;40:cancel");

  {
    guint8 r[] = { 0x02, 0x88, 0x00 };
    g_assert_cmpint (kiosk_pad_report_parse (&map, r, sizeof r, &key, &value), ==, KIOSK_PAD_REPORT_KEY);
    g_assert_cmpint (key, ==, KIOSK_PAD_KEY_DISSATISFIED);
  }
  {
    guint8 r[] = { 0x02, 0x80, 0x00 }; /* only the flag: nothing pressed */
    g_assert_cmpint (kiosk_pad_report_parse (&map, r, sizeof r, &key, &value), ==, KIOSK_PAD_REPORT_RELEASE);
    g_assert_cmpint (key, ==, KIOSK_PAD_KEY_NONE);
  }
  {
    guint8 r[] = { 0x02, 0x03 }; /* two keys at once: not a key */
    g_assert_cmpint (kiosk_pad_report_parse (&map, r, sizeof r, &key, &value), ==, KIOSK_PAD_REPORT_UNMAPPED);
    g_assert_cmpint (key, ==, KIOSK_PAD_KEY_NONE);
    g_assert_cmpuint (value, ==, 0x03);
  }
  {
    guint8 r[] = { 0x03, 0x01, 0x00 }; /* another report (e.g. battery): not ours */
    g_assert_cmpint (kiosk_pad_report_parse (&map, r, sizeof r, &key, &value), ==, KIOSK_PAD_REPORT_OTHER);
    g_assert_cmpint (key, ==, KIOSK_PAD_KEY_NONE);
  }
  {
    guint8 r[] = { 0x02 }; /* id only: truncated */
    g_assert_cmpint (kiosk_pad_report_parse (&map, r, sizeof r, &key, &value), ==, KIOSK_PAD_REPORT_MALFORMED);
  }
}

static void
test_malformed (void)
{
  KioskPadKeyMap map;
  KioskPadKey key;
  guint8 value;
  make_map (&map, -1, 2, 0xff, DEFAULT_MAP);

  g_assert_cmpint (kiosk_pad_report_parse (&map, NULL, 0, &key, &value), ==, KIOSK_PAD_REPORT_MALFORMED);
  {
    guint8 r[] = { 0x01 };
    g_assert_cmpint (kiosk_pad_report_parse (&map, r, 0, &key, &value), ==, KIOSK_PAD_REPORT_MALFORMED);
    g_assert_cmpint (kiosk_pad_report_parse (&map, r, 1, &key, &value), ==, KIOSK_PAD_REPORT_MALFORMED);
  }
  {
    guint8 r[] = { 0x01, 0x01 }; /* key byte (offset 2) missing */
    g_assert_cmpint (kiosk_pad_report_parse (&map, r, 2, &key, &value), ==, KIOSK_PAD_REPORT_MALFORMED);
  }
  {
    guint8 r[] = { 0xff, 0xff, 0xee, 0xff }; /* unknown value */
    g_assert_cmpint (kiosk_pad_report_parse (&map, r, sizeof r, &key, &value), ==, KIOSK_PAD_REPORT_UNMAPPED);
    g_assert_cmpint (key, ==, KIOSK_PAD_KEY_NONE);
  }
  {
    guint8 r[] = { 0xff, 0xff, 0x05, 0xff }; /* garbage elsewhere does not matter */
    g_assert_cmpint (kiosk_pad_report_parse (&map, r, sizeof r, &key, &value), ==, KIOSK_PAD_REPORT_KEY);
    g_assert_cmpint (key, ==, KIOSK_PAD_KEY_VERY_DISSATISFIED);
  }
}

static void
test_every_byte_value (void)
{
  /* No single-byte report at any value crashes or invents a key. */
  KioskPadKeyMap map;
  make_map (&map, -1, 0, 0xff, DEFAULT_MAP);
  for (guint v = 0; v < 256; v++)
    {
      guint8 r = (guint8) v;
      KioskPadKey key;
      KioskPadReportKind kind = kiosk_pad_report_parse (&map, &r, 1, &key, NULL);
      if (v >= 1 && v <= 7)
        g_assert_cmpint (kind, ==, KIOSK_PAD_REPORT_KEY);
      else if (v == 0)
        g_assert_cmpint (kind, ==, KIOSK_PAD_REPORT_RELEASE);
      else
        {
          g_assert_cmpint (kind, ==, KIOSK_PAD_REPORT_UNMAPPED);
          g_assert_cmpint (key, ==, KIOSK_PAD_KEY_NONE);
        }
    }
}

static void
test_random_reports (void)
{
  /* Random bytes of random length: the parser never reads past the report,
   * and a KEY result always names a mapped key for the value it saw. */
  KioskPadKeyMap map;
  GRand *rand = g_rand_new_with_seed (20261122);
  make_map (&map, 2, 3, 0x3f, DEFAULT_MAP);
  for (int i = 0; i < 20000; i++)
    {
      gsize len = (gsize) g_rand_int_range (rand, 0, 16);
      guint8 *buf = g_malloc (len ? len : 1); /* exact size: ASan sees any overread */
      KioskPadKey key;
      guint8 value, expect;
      KioskPadReportKind kind;

      for (gsize j = 0; j < len; j++)
        buf[j] = (guint8) g_rand_int_range (rand, 0, 256);
      if (len > 0 && g_rand_boolean (rand))
        buf[0] = 2;
      kind = kiosk_pad_report_parse (&map, buf, len, &key, &value);
      if (kind == KIOSK_PAD_REPORT_KEY)
        {
          g_assert_true (len > 3 && buf[0] == 2);
          g_assert_true (kiosk_pad_key_map_value_for (&map, key, &expect));
          g_assert_cmpuint (expect, ==, buf[3] & 0x3f);
        }
      else
        g_assert_cmpint (key, ==, KIOSK_PAD_KEY_NONE);
      if (len <= 3 && len > 0 && buf[0] == 2)
        g_assert_cmpint (kind, ==, KIOSK_PAD_REPORT_MALFORMED);
      g_free (buf);
    }
  g_rand_free (rand);
}

static void
test_key_map_errors (void)
{
  const char *bad[] = {
    "01",                    /* no key */
    "zz:satisfied",          /* not hex */
    "0102:satisfied",        /* two bytes */
    "00:satisfied",          /* 00 means released */
    "01:happy",              /* unknown key */
    "01:satisfied;01:basic", /* mapped twice */
    "80:satisfied",          /* outside mask 7f */
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      KioskPadKeyMap map = { .report_id = -1, .mask = 0x7f };
      g_auto (GStrv) entries = g_strsplit (bad[i], ";", -1);
      g_autoptr (GError) error = NULL;
      g_assert_false (kiosk_pad_key_map_parse (&map, (const char *const *) entries, &error));
      g_assert_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_KEY_MAP);
    }
}

static void
test_build_roundtrip (void)
{
  KioskPadKeyMap map;
  guint8 buf[8];
  make_map (&map, 5, 3, 0xff,
            "10:very-satisfied;20:satisfied;30:basic;40:dissatisfied;50:very-dissatisfied;60:confirm");
  for (KioskPadKey k = KIOSK_PAD_KEY_VERY_SATISFIED; k <= KIOSK_PAD_KEY_CONFIRM; k++)
    {
      KioskPadKey got;
      g_assert_true (kiosk_pad_report_build (&map, k, buf, sizeof buf));
      g_assert_cmpuint (buf[0], ==, 5);
      g_assert_cmpint (kiosk_pad_report_parse (&map, buf, sizeof buf, &got, NULL), ==, KIOSK_PAD_REPORT_KEY);
      g_assert_cmpint (got, ==, k);
    }
  g_assert_false (kiosk_pad_report_build (&map, KIOSK_PAD_KEY_CANCEL, buf, sizeof buf)); /* not mapped */
  g_assert_false (kiosk_pad_report_build (&map, KIOSK_PAD_KEY_SATISFIED, buf, 3));       /* too short */
  g_assert_true (kiosk_pad_report_build (&map, KIOSK_PAD_KEY_NONE, buf, sizeof buf));
  g_assert_cmpint (kiosk_pad_report_parse (&map, buf, sizeof buf, NULL, NULL), ==, KIOSK_PAD_REPORT_RELEASE);
}

static void
test_hex_and_feedback (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) b = kiosk_pad_hex_parse ("0a 1B:ff", &error);
  g_autofree char *s = NULL;
  g_autoptr (GHashTable) fb = NULL;
  const char *good[] = { "prompt:01 01", "thanks: 0102", NULL };
  const char *bad[] = { "thanks", NULL };
  const char *bad2[] = { "thanks:0g", NULL };

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (b), ==, 3);
  s = kiosk_pad_hex_format (g_bytes_get_data (b, NULL), 3);
  g_assert_cmpstr (s, ==, "0a1bff");
  g_assert_null (kiosk_pad_hex_parse ("abc", &error));
  g_assert_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_HEX);
  g_clear_error (&error);

  fb = kiosk_pad_feedback_parse (good, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (fb), ==, 2);
  g_assert_cmpuint (g_bytes_get_size (g_hash_table_lookup (fb, "thanks")), ==, 2);
  g_assert_null (kiosk_pad_feedback_parse (bad, &error));
  g_assert_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_FEEDBACK);
  g_clear_error (&error);
  g_assert_null (kiosk_pad_feedback_parse (bad2, &error));
  g_assert_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_FEEDBACK);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pad/report/every-key", test_every_key);
  g_test_add_func ("/pad/report/bitmap-model-with-report-id", test_bitmap_model_with_report_id);
  g_test_add_func ("/pad/report/malformed", test_malformed);
  g_test_add_func ("/pad/report/every-byte-value", test_every_byte_value);
  g_test_add_func ("/pad/report/random-reports", test_random_reports);
  g_test_add_func ("/pad/report/key-map-errors", test_key_map_errors);
  g_test_add_func ("/pad/report/build-roundtrip", test_build_roundtrip);
  g_test_add_func ("/pad/report/hex-and-feedback", test_hex_and_feedback);
  return g_test_run ();
}
