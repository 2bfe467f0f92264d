/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store-test"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "store-test-util.h"
#include "test-vfs.h"

/* Crash and power-loss tests. The victims are store-crash-helper
 * processes; this process only watches, then checks the store. Both run on
 * tmpfs when available: SIGKILL does not lose the page cache, and the power
 * cut is simulated by the test VFS (it reverts every write SQLite has not
 * synced), so the real disk adds only time. */

static const char *
helper (void)
{
  const char *h = g_getenv ("KIOSK_STORE_CRASH_HELPER");
  return h ? h : KIOSK_BUILD_DIR "/tests/store/store-crash-helper";
}

static guint
env_uint (const char *name, guint def)
{
  const char *v = g_getenv (name);
  return v ? (guint) g_ascii_strtoull (v, NULL, 10) : def;
}

/* Adds the complete lines of @out (numbers acknowledged) to @acked. */
static void
collect (GSubprocess *proc, GHashTable *acked)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  GInputStream *in = g_subprocess_get_stdout_pipe (proc);

  /* Until EOF: the process is dead or dies at its power cut. */
  for (;;)
    {
      g_autoptr (GBytes) out = g_input_stream_read_bytes (in, 65536, NULL, &error);
      g_assert_no_error (error);
      if (g_bytes_get_size (out) == 0)
        break;
      g_string_append_len (text, g_bytes_get_data (out, NULL), g_bytes_get_size (out));
    }
  lines = g_strsplit (text->str, "\n", -1);
  /* The last element follows the last newline: incomplete, ignored. */
  for (guint i = 0; lines[i] && lines[i + 1]; i++)
    if (*lines[i])
      g_hash_table_add (acked, g_strdup (lines[i]));
}

static gint64
count (const char *db, const char *sql)
{
  sqlite3 *h = NULL;
  sqlite3_stmt *st = NULL;
  gint64 n = -1;

  sqlite3_open (db, &h);
  sqlite3_prepare_v2 (h, sql, -1, &st, NULL);
  if (sqlite3_step (st) == SQLITE_ROW)
    n = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  sqlite3_close (h);
  return n;
}

static void
check_acknowledged (KioskStore *store, GHashTable *acked, gboolean check_files)
{
  GHashTableIter it;
  gpointer key;
  g_autoptr (GError) error = NULL;

  g_assert_true (kiosk_store_check_integrity (store, &error));
  g_assert_no_error (error);
  g_hash_table_iter_init (&it, acked);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      g_autoptr (KioskCaseInfo) info = kiosk_store_find_case (store, key, &error);
      g_autoptr (GPtrArray) atts = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (info);
      if (!check_files)
        continue;
      atts = kiosk_store_list_attachments (store, info->id, &error);
      g_assert_cmpuint (atts->len, >=, 1);
      for (guint i = 0; i < atts->len; i++)
        {
          KioskAttachmentInfo *a = atts->pdata[i];
          g_autofree char *contents = NULL;
          g_autofree char *sum = NULL;
          gsize len;

          g_assert_true (g_file_get_contents (a->path, &contents, &len, NULL));
          sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
          g_assert_cmpstr (sum, ==, a->sha256);
        }
    }
}

static void
test_sigkill (void)
{
  guint target = env_uint ("KIOSK_CRASH_KILLS", 200);
  const char *args[] = { "--fault-reset", "0.1", "--seed", "7", NULL };
  g_autofree char *dir = store_test_fast_tmpdir ("crash");
  g_autofree char *db = g_build_filename (dir, "queue.db", NULL);
  g_autoptr (GHashTable) acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (12345);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskSync) sync = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GBytes) list = NULL;
  TestPlatform *platform = test_platform_start (dir, args);
  JsonArray *cases;
  guint kills = 0;
  gint64 startup;

  /* How long a helper needs to accept its first case (much longer under
   * sanitizers): kills land from before that moment to well after it. */
  {
    g_autofree char *cal_db = g_build_filename (dir, "calibrate.db", NULL);
    const char *cal_argv[] = { helper (), "enqueue", cal_db, "1", "999999", NULL };
    gint64 t0 = g_get_monotonic_time ();
    g_autoptr (GSubprocess) cal = g_subprocess_newv (cal_argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);

    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait_check (cal, NULL, &error));
    startup = g_get_monotonic_time () - t0;
    g_test_message ("helper start-up: %.1f ms", startup / 1000.0);
  }

  for (guint r = 0; kills < target; r++)
    {
      g_autofree char *seed = g_strdup_printf ("%u", r * 1000);
      const char *enq_argv[] = { helper (), "enqueue", db, "40", seed, NULL };
      const char *sync_argv[] = { helper (), "sync", db, platform->url, NULL };
      g_autoptr (GSubprocess) enq = g_subprocess_newv (enq_argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      g_autoptr (GSubprocess) snc = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (r, <, target); /* the helpers must not outrun the kills */
      snc = g_subprocess_newv (sync_argv, G_SUBPROCESS_FLAGS_NONE, &error);
      g_assert_no_error (error);
      g_usleep (g_rand_int_range (rand, (gint32) (startup / 2), (gint32) (startup + 40000)));
      if (g_rand_boolean (rand))
        {
          g_subprocess_send_signal (enq, SIGKILL);
          g_usleep (g_rand_int_range (rand, 0, 10000));
          g_subprocess_send_signal (snc, SIGKILL);
        }
      else
        {
          g_subprocess_send_signal (snc, SIGKILL);
          g_usleep (g_rand_int_range (rand, 0, 10000));
          g_subprocess_send_signal (enq, SIGKILL);
        }
      g_subprocess_wait (enq, NULL, NULL);
      g_subprocess_wait (snc, NULL, NULL);
      /* A process that finished before its kill does not count. */
      kills += g_subprocess_get_if_signaled (enq) + g_subprocess_get_if_signaled (snc);
      collect (enq, acked);
    }
  g_test_message ("%u processes killed, %u cases acknowledged before the kills", kills, g_hash_table_size (acked));
  g_assert_cmpuint (g_hash_table_size (acked), >, 0);

  /* Restart: the store is whole, then everything goes out exactly once. */
  store = kiosk_store_open (db, "K-CRASH", &error);
  g_assert_no_error (error);
  check_acknowledged (store, acked, TRUE);
  sync = test_sync_new (store, platform->url, 1, 5);
  g_assert_true (kiosk_sync_run_until_empty (sync, 120, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (count (db, "SELECT count(*) FROM cases WHERE official_number IS NULL"), ==, 0);
  g_assert_cmpint (test_platform_stat (platform, "cases"), ==, count (db, "SELECT count(*) FROM cases"));
  g_assert_cmpint (test_platform_stat (platform, "ratings"), ==,
                   count (db, "SELECT count(*) FROM outbox WHERE kind = 'rating'"));
  list = test_platform_get (platform, "/v1/admin/cases", NULL);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (list, NULL), g_bytes_get_size (list), NULL));
  cases = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      g_autoptr (KioskCaseInfo) info
          = kiosk_store_find_case (store, json_object_get_string_member (c, "provisional_number"), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (info->official_number, ==, json_object_get_string_member (c, "official_number"));
    }
  test_platform_stop (platform);
  store_test_rmdir (dir);
}

static void
test_power_loss (void)
{
  guint rounds = env_uint ("KIOSK_POWERLOSS_ROUNDS", 40);
  g_autofree char *dir = store_test_fast_tmpdir ("powerloss");
  g_autofree char *db = g_build_filename (dir, "queue.db", NULL);
  g_autoptr (GHashTable) acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (777);
  g_autoptr (GError) error = NULL;
  guint cuts = 0;

  for (guint r = 0; r < rounds; r++)
    {
      g_autofree char *cut = g_strdup_printf ("%d", g_rand_int_range (rand, 0, 1500));
      g_autofree char *seed = g_strdup_printf ("%u", r * 100000);
      const char *argv[] = { helper (), "powerloss", db, cut, seed, NULL };
      g_autoptr (GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      g_autoptr (KioskStore) store = NULL;

      g_assert_no_error (error);
      collect (proc, acked);
      g_subprocess_wait (proc, NULL, NULL);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, TEST_VFS_CUT_EXIT);
      cuts++;

      /* Power back: every acknowledged case is there, whole. */
      store = kiosk_store_open (db, "K-CRASH", &error);
      g_assert_no_error (error);
      check_acknowledged (store, acked, r + 1 == rounds);
    }
  g_test_message ("%u power cuts, %u acknowledged cases all survived", cuts, g_hash_table_size (acked));
  g_assert_cmpuint (g_hash_table_size (acked), >, rounds);
  store_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/store/crash-sigkill", test_sigkill);
  g_test_add_func ("/store/power-loss", test_power_loss);
  return g_test_run ();
}
