/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store-test"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "kiosk-demo.h"
#include "store-test-util.h"

/* Exactly once through a hostile network: N cases with K pages each
 * (default 1,000 x 3; KIOSK_EXACTLY_ONCE_CASES / _PAGES override for the
 * bench) go through a platform that drops, resets, truncates, delays and
 * fails requests at high rates. At the end the platform holds each case
 * once, no checksum ever failed, and every page is byte-identical to what
 * the kiosk accepted. */

#define PAGE_W 96
#define PAGE_H 128

static guint
env_uint (const char *name, guint def)
{
  const char *v = g_getenv (name);
  return v ? (guint) g_ascii_strtoull (v, NULL, 10) : def;
}

static void
test_exactly_once (void)
{
  const char *args[] = { "--fault-drop",
                         "0.05",
                         "--fault-reset",
                         "0.05",
                         "--fault-truncate",
                         "0.05",
                         "--fault-500",
                         "0.05",
                         "--fault-503",
                         "0.05",
                         "--retry-after",
                         "0",
                         "--fault-delay",
                         "0.03",
                         "--delay-ms",
                         "5",
                         "--seed",
                         "4711",
                         NULL };
  guint n_cases = env_uint ("KIOSK_EXACTLY_ONCE_CASES", 1000);
  guint n_pages = env_uint ("KIOSK_EXACTLY_ONCE_PAGES", 3);
  g_autofree char *dir = store_test_fast_tmpdir ("exactly-once");
  g_autofree char *path = g_build_filename (dir, "queue.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskSync) sync = NULL;
  g_autoptr (GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) platform_cases = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GBytes) list = NULL;
  TestPlatform *platform;
  JsonArray *cases;
  KioskSyncStats stats;
  gint64 t0, t1, t2;
  guint compared = 0;

  store = kiosk_store_open (path, "K-EO", &error);
  g_assert_no_error (error);
  kiosk_store_set_min_free_bytes (store, 0);
  platform = test_platform_start (dir, args);

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n_cases; i++)
    {
      char *n = test_submit_demo_case (store, i, n_pages, PAGE_W, PAGE_H, &error);
      g_assert_no_error (error);
      g_ptr_array_add (numbers, n);
    }
  t1 = g_get_monotonic_time ();

  sync = test_sync_new (store, platform->url, 1, 5);
  g_assert_true (kiosk_sync_run_until_empty (sync, 600, NULL, &error));
  g_assert_no_error (error);
  t2 = g_get_monotonic_time ();
  kiosk_sync_get_stats (sync, &stats);
  g_test_message ("%u cases x %u pages: enqueue %.1f s, sync %.1f s, %u transient failures, %" G_GINT64_FORMAT
                  " faults injected, %" G_GINT64_FORMAT " duplicates absorbed",
                  n_cases, n_pages, (t1 - t0) / 1e6, (t2 - t1) / 1e6, stats.transient_failures,
                  test_platform_stat (platform, "faults_injected"),
                  test_platform_stat (platform, "duplicate_submissions"));

  g_assert_cmpint (test_platform_stat (platform, "cases"), ==, n_cases);
  g_assert_cmpint (test_platform_stat (platform, "attachment_checksum_failures"), ==, 0);
  g_assert_cmpint (test_platform_stat (platform, "attachments"), ==, n_cases * n_pages);
  g_assert_cmpint (test_platform_stat (platform, "faults_injected"), >, n_cases / 4);
  g_assert_cmpint (kiosk_store_get_backlog (store), ==, 0);

  /* Each case once, under its provisional number, with the official number
   * the kiosk recorded. */
  list = test_platform_get (platform, "/v1/admin/cases", NULL);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (list, NULL), g_bytes_get_size (list), NULL));
  cases = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (cases), ==, n_cases);
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      g_assert_true (
          g_hash_table_insert (platform_cases, (gpointer) json_object_get_string_member (c, "provisional_number"), c));
    }

  for (guint i = 0; i < numbers->len; i++)
    {
      g_autoptr (KioskCaseInfo) info = kiosk_store_find_case (store, numbers->pdata[i], &error);
      JsonObject *c = g_hash_table_lookup (platform_cases, numbers->pdata[i]);
      JsonArray *shas;

      g_assert_no_error (error);
      g_assert_nonnull (c);
      g_assert_cmpint (info->sync_state, ==, KIOSK_CASE_SUBMITTED);
      g_assert_cmpstr (info->official_number, ==, json_object_get_string_member (c, "official_number"));
      shas = json_object_get_array_member (c, "attachments");
      g_assert_cmpuint (json_array_get_length (shas), ==, n_pages);
      /* The members a case adds arrived too, through every retry (issue 14). */
      if (i % 2 == 1)
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (c, "handling_region"), "code"),
                         ==, "440300");
      else
        g_assert_true (json_object_get_null_member (c, "handling_region"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                            json_array_get_object_element (json_object_get_array_member (c, "materials"), 1), "pages")),
                        ==, n_pages);
      for (guint k = 0; k < n_pages; k++)
        {
          g_autoptr (GBytes) page = kiosk_demo_page_jpeg (i, k, PAGE_W, PAGE_H);
          g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, page);
          g_autofree char *url = g_strdup_printf ("/v1/attachments/%s/content", sum);
          g_autoptr (GBytes) stored = NULL;
          int status = 0;

          g_assert_cmpstr (json_array_get_string_element (shas, k), ==, sum);
          /* Fetched back and compared byte for byte. */
          stored = test_platform_get (platform, url, &status);
          g_assert_cmpint (status, ==, 200);
          g_assert_true (g_bytes_equal (stored, page));
          compared++;
        }
    }
  g_test_message ("%u pages compared byte for byte", compared);
  g_assert_true (kiosk_store_check_integrity (store, &error));
  test_platform_stop (platform);
  store_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/sync/exactly-once", test_exactly_once);
  return g_test_run ();
}
