/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-bench"

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "kiosk-demo.h"
#include "kiosk-store.h"

/* Durable enqueue against the floor it cannot beat, in one run:
 *   A  bare SQLite: one INSERT per transaction, WAL, synchronous=FULL
 *   B  kiosk_store_enqueue_rating (record + outbox row, one transaction)
 *   C  bare files: write + fsync of K pages, fsync of the folder, then A
 *   D  kiosk_store_submit_case with K pages (what the UI does)
 * Prints per-operation times and the ratios B/A and D/C.
 *
 *   store-bench-enqueue [N] [K] [DIR]     (defaults 300, 3, $TMPDIR) */

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static sqlite3 *
bare_open (const char *path)
{
  sqlite3 *db = NULL;

  sqlite3_open (path, &db);
  sqlite3_exec (db,
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, payload TEXT, created INTEGER)",
                NULL, NULL, NULL);
  return db;
}

static void
bare_insert (sqlite3 *db, const char *payload)
{
  sqlite3_stmt *st = NULL;

  sqlite3_prepare_v2 (db, "INSERT INTO t (payload, created) VALUES (?1, ?2)", -1, &st, NULL);
  sqlite3_bind_text (st, 1, payload, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st, 2, g_get_real_time ());
  if (sqlite3_step (st) != SQLITE_DONE)
    g_error ("bare insert: %s", sqlite3_errmsg (db));
  sqlite3_finalize (st);
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 300;
  guint k = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 3;
  g_autofree char *dir = g_build_filename (argc > 3 ? argv[3] : g_get_tmp_dir (), "kiosk-bench-enqueue-XXXXXX", NULL);
  g_autofree char *bare_db = NULL, *bare_files = NULL, *store_db = NULL;
  g_autoptr (GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *case_json = kiosk_demo_case_json (1);
  const char *rating = "{\"case_number\":\"K-1-20260101-000001X\",\"level\":1,\"channel\":5,\"comment\":\"\"}";
  double a, b, c, d, t0;
  sqlite3 *db;

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  if (g_mkdtemp (dir) == NULL)
    g_error ("mkdtemp %s", dir);
  bare_db = g_build_filename (dir, "bare.db", NULL);
  bare_files = g_build_filename (dir, "bare-files", NULL);
  store_db = g_build_filename (dir, "queue.db", NULL);
  g_mkdir (bare_files, 0700);
  for (guint i = 0; i < k; i++)
    g_ptr_array_add (pages, kiosk_demo_page_jpeg (1, i, 600, 800));

  /* A */
  db = bare_open (bare_db);
  t0 = now_ms ();
  for (guint i = 0; i < n; i++)
    bare_insert (db, rating);
  a = (now_ms () - t0) / n;

  /* B */
  store = kiosk_store_open (store_db, "K-BENCH", &error);
  g_assert_no_error (error);
  kiosk_store_set_min_free_bytes (store, 0);
  t0 = now_ms ();
  for (guint i = 0; i < n; i++)
    if (kiosk_store_enqueue_rating (store, rating, &error) == 0)
      g_error ("%s", error->message);
  b = (now_ms () - t0) / n;

  /* C */
  t0 = now_ms ();
  for (guint i = 0; i < n; i++)
    {
      for (guint p = 0; p < k; p++)
        {
          g_autofree char *path = g_strdup_printf ("%s/%u-%u", bare_files, i, p);
          gsize len;
          const char *data = g_bytes_get_data (pages->pdata[p], &len);
          int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
          if (fd < 0 || write (fd, data, len) != (ssize_t) len || fsync (fd) != 0)
            g_error ("bare file write");
          close (fd);
        }
      {
        int dfd = open (bare_files, O_RDONLY | O_DIRECTORY);
        fsync (dfd);
        close (dfd);
      }
      bare_insert (db, case_json);
    }
  c = (now_ms () - t0) / n;
  sqlite3_close (db);

  /* D */
  t0 = now_ms ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GPtrArray) atts = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *number = NULL;
      for (guint p = 0; p < k; p++)
        {
          KioskAttachmentDraft *dr = g_new0 (KioskAttachmentDraft, 1);
          dr->name = "page";
          dr->media_type = "image/jpeg";
          dr->data = pages->pdata[p];
          g_ptr_array_add (atts, dr);
        }
      number = kiosk_store_submit_case (store, case_json, atts, &error);
      if (number == NULL)
        g_error ("%s", error->message);
    }
  d = (now_ms () - t0) / n;

  printf ("durable enqueue, %u operations each, %u pages of %zu bytes per case, in %s\n", n, k,
          g_bytes_get_size (pages->pdata[0]), dir);
  printf ("%-52s %10s %10s\n", "operation", "ms/op", "ops/s");
  printf ("%-52s %10.3f %10.0f\n", "A bare SQLite INSERT + fsync (WAL, synchronous=FULL)", a, 1000 / a);
  printf ("%-52s %10.3f %10.0f\n", "B kiosk_store_enqueue_rating", b, 1000 / b);
  printf ("%-52s %10.3f %10.0f\n", "C bare: K files + fsync, dir fsync, INSERT + fsync", c, 1000 / c);
  printf ("%-52s %10.3f %10.0f\n", "D kiosk_store_submit_case with K pages", d, 1000 / d);
  printf ("ratio B/A = %.2f   ratio D/C = %.2f\n", b / a, d / c);

  g_clear_object (&store);
  if (g_getenv ("KIOSK_KEEP_BENCH_FILES") == NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
      if (system (cmd) != 0)
        g_warning ("could not remove %s", dir);
    }
  return 0;
}
