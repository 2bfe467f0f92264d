/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forwarding to the province (issue #18 point 2): a kiosk syncs cases with
 * pages, ratings and print records to a station platform, which forwards
 * them to a provincial platform (a second kiosk-platform) that drops,
 * resets, fails and delays requests at random; the station is killed
 * (SIGKILL) while it forwards and started again on its database. In the
 * end the province holds every case exactly once with every page verified,
 * every rating and print record once, and the station says nothing is
 * pending. KIOSK_FORWARD_CASES sets the number of cases (default 16). */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "kiosk-store.h"
#include "kiosk-sync.h"
#include "store-test-util.h"

static JsonNode *
get_json (TestPlatform *p, const char *path)
{
  int status = 0;
  g_autoptr (GBytes) body = test_platform_get (p, path, &status);
  JsonNode *node;

  g_assert_cmpint (status, ==, 200);
  g_assert_nonnull (body);
  node = json_from_string (g_bytes_get_data (body, NULL), NULL);
  g_assert_nonnull (node);
  return node;
}

static gint64
forward_stat (TestPlatform *station, const char *name)
{
  g_autoptr (JsonNode) node = get_json (station, "/v1/admin/forward");
  return json_object_get_int_member_with_default (json_node_get_object (node), name, -1);
}

static TestPlatform *
station_start (const char *dir, TestPlatform *province)
{
  const char *args[] = {
    "--forward-to",
    province->url,
    "--forward-id",
    "S-01",
    "--forward-allow-http",
    "--forward-backoff-ms",
    "100",
    "--forward-backoff-max-ms",
    "1500",
    "--forward-interval-ms",
    "100",
    "--forward-lease-seconds",
    "3",
    NULL,
  };
  return test_platform_start (dir, args);
}

/* Runs the main loop (the platforms' output, the sync) for @ms. */
static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

static void
test_forward_exactly_once (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = store_test_fast_tmpdir ("kiosk-forward");
  g_autofree char *pdir = g_build_filename (dir, "province", NULL);
  g_autofree char *sdir = g_build_filename (dir, "station", NULL);
  g_autofree char *kdir = g_build_filename (dir, "kiosk", NULL);
  g_autofree char *kdb = g_build_filename (kdir, "kiosk.db", NULL);
  /* About one request in five fails; a case takes five or more (two
   * pages: status and upload each, then the case). */
  const char *faults[] = {
    "--fault-drop",  "0.05", "--fault-reset", "0.05", "--fault-500", "0.05", "--fault-503", "0.04",
    "--retry-after", "1",    "--fault-delay", "0.1",  "--delay-ms",  "200",  NULL,
  };
  const char *n_env = g_getenv ("KIOSK_FORWARD_CASES");
  guint n_cases = n_env ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 16;
  guint n_ratings = 4, n_prints = 3;
  TestPlatform *province, *station;
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskSync) sync = NULL;
  g_autoptr (GHashTable) sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 deadline;
  gboolean killed = FALSE;

  g_assert_cmpint (g_mkdir_with_parents (pdir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (sdir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (kdir, 0700), ==, 0);
  province = test_platform_start (pdir, faults);
  station = station_start (sdir, province);

  /* The kiosk hands everything to its station. */
  store = kiosk_store_open (kdb, "K-FWD-1", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n_cases; i++)
    {
      char *number = test_submit_demo_case (store, 100 + i, 2, 320, 240, &error);
      g_assert_no_error (error);
      g_hash_table_add (sent, number);
    }
  for (guint i = 0; i < n_ratings; i++)
    {
      g_autofree char *json
          = g_strdup_printf ("{\"case_number\":\"elsewhere-%u\",\"level\":%u,\"channel\":5}", i, 1 + i % 5);
      g_assert_cmpint (kiosk_store_enqueue_rating (store, json, &error), >, 0);
    }
  for (guint i = 0; i < n_prints; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"document\":\"参保证明 %u\",\"pages\":1}", i);
      g_assert_cmpint (kiosk_store_enqueue_print_record (store, json, &error), >, 0);
    }
  sync = test_sync_new (store, station->url, 50, 500);
  g_assert_true (kiosk_sync_run_until_empty (sync, 120, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_platform_stat (station, "cases"), ==, n_cases);

  /* The station forwards through the faults; it is killed once some are
   * through, and started again on its database. */
  deadline = g_get_monotonic_time () + 240 * G_USEC_PER_SEC;
  for (;;)
    {
      gint64 forwarded = forward_stat (station, "forwarded");
      gint64 pending = forward_stat (station, "pending");

      if (!killed && forwarded >= 3)
        {
          g_test_message ("SIGKILL to the station with %" G_GINT64_FORMAT " forwarded, %" G_GINT64_FORMAT " pending",
                          forwarded, pending);
          g_subprocess_send_signal (station->proc, SIGKILL);
          test_platform_stop (station);
          station = station_start (sdir, province);
          killed = TRUE;
          continue;
        }
      if (pending == 0 && killed)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("forwarding did not finish: %" G_GINT64_FORMAT " forwarded, %" G_GINT64_FORMAT " pending", forwarded,
                 pending);
      spin (200);
    }
  g_assert_true (killed);
  g_assert_cmpint (forward_stat (station, "rejected"), ==, 0);
  g_assert_cmpint (forward_stat (station, "forwarded"), ==, n_cases + n_ratings + n_prints);

  /* The province: each case once, each page whole and verified. */
  g_assert_cmpint (test_platform_stat (province, "cases"), ==, n_cases);
  g_assert_cmpint (test_platform_stat (province, "ratings"), ==, n_ratings);
  g_assert_cmpint (test_platform_stat (province, "print_records"), ==, n_prints);
  g_assert_cmpint (test_platform_stat (province, "attachment_checksum_failures"), ==, 0);
  g_test_message ("province: %" G_GINT64_FORMAT " duplicate submissions answered from their key, %" G_GINT64_FORMAT
                  " faults injected",
                  test_platform_stat (province, "duplicate_submissions"),
                  test_platform_stat (province, "faults_injected"));
  {
    g_autoptr (JsonNode) cases = get_json (province, "/v1/admin/cases");
    JsonArray *a = json_node_get_array (cases);
    g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    g_assert_cmpuint (json_array_get_length (a), ==, n_cases);
    for (guint i = 0; i < json_array_get_length (a); i++)
      {
        JsonObject *c = json_array_get_object_element (a, i);
        const char *prov = json_object_get_string_member (c, "provisional_number");
        JsonArray *atts = json_object_get_array_member (c, "attachments");

        g_assert_true (g_hash_table_contains (sent, prov));
        g_assert_false (g_hash_table_contains (seen, prov));
        g_hash_table_add (seen, (gpointer) prov);
        g_assert_cmpuint (json_array_get_length (atts), ==, 2);
        for (guint k = 0; k < json_array_get_length (atts); k++)
          {
            const char *sha = json_array_get_string_element (atts, k);
            g_autofree char *path = g_strdup_printf ("/v1/attachments/%s/content", sha);
            int status = 0;
            g_autoptr (GBytes) body = test_platform_get (province, path, &status);
            g_autofree char *sum = NULL;

            g_assert_cmpint (status, ==, 200);
            sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
            g_assert_cmpstr (sum, ==, sha);
          }
      }
  }
  test_platform_stop (station);
  test_platform_stop (province);
  store_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* The sync's warnings about plain HTTP are expected here. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/platform/forward/exactly-once", test_forward_exactly_once);
  return g_test_run ();
}
