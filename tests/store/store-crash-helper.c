/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store-test"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "store-test-util.h"
#include "test-vfs.h"

/* The victim processes of the crash and power-loss tests.
 *
 *   store-crash-helper enqueue DB N SEED      submit N cases, print each number once accepted
 *   store-crash-helper sync DB URL            deliver until the outbox is empty
 *   store-crash-helper powerloss DB CUT SEED  like enqueue (plus some deliveries marked done),
 *                                             with a power cut after CUT SQLite writes
 *
 * A number is printed only after kiosk_store_submit_case() returned it: that
 * is the moment the UI would tell the resident "accepted". */

static int
enqueue (const char *db, guint n, guint seed, gboolean mark_some_done, guint pause_us)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = kiosk_store_open (db, "K-CRASH", &error);

  if (store == NULL)
    {
      fprintf (stderr, "open: %s\n", error->message);
      return 1;
    }
  kiosk_store_set_min_free_bytes (store, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *number = test_submit_demo_case (store, seed + i, 1 + i % 2, 24, 24, &error);
      if (number == NULL)
        {
          fprintf (stderr, "submit: %s\n", error->message);
          return 1;
        }
      printf ("%s\n", number);
      fflush (stdout);
      if (pause_us)
        g_usleep (pause_us); /* a resident's pace, compressed */
      if (i % 4 == 3 && kiosk_store_enqueue_rating (store, "{\"level\":1}", &error) == 0)
        {
          fprintf (stderr, "rating: %s\n", error->message);
          return 1;
        }
      if (mark_some_done && i % 3 == 2)
        {
          g_autoptr (KioskOutboxItem) head = kiosk_store_outbox_head (store, &error);
          g_autofree char *resp = NULL;
          if (head == NULL)
            continue;
          resp = g_strdup_printf ("{\"official_number\":\"ZW-PL-%" G_GINT64_FORMAT "-%u\"}", head->id, seed);
          if (!kiosk_store_outbox_mark_done (store, head->id, resp, &error))
            {
              fprintf (stderr, "mark done: %s\n", error->message);
              return 1;
            }
        }
    }
  return 0;
}

int
main (int argc, char **argv)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  if (argc == 5 && g_str_equal (argv[1], "enqueue"))
    return enqueue (argv[2], (guint) g_ascii_strtoull (argv[3], NULL, 10), (guint) g_ascii_strtoull (argv[4], NULL, 10),
                    FALSE, 2000);
  if (argc == 4 && g_str_equal (argv[1], "sync"))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskStore) store = kiosk_store_open (argv[2], "K-CRASH", &error);
      g_autoptr (KioskSync) sync = NULL;

      if (store == NULL)
        {
          fprintf (stderr, "open: %s\n", error->message);
          return 1;
        }
      sync = test_sync_new (store, argv[3], 1, 5);
      return kiosk_sync_run_until_empty (sync, 0, NULL, &error) ? 0 : 1;
    }
  if (argc == 5 && g_str_equal (argv[1], "powerloss"))
    {
      test_vfs_register ();
      test_vfs_cut_after (g_ascii_strtoll (argv[3], NULL, 10));
      return enqueue (argv[2], 100000, (guint) g_ascii_strtoull (argv[4], NULL, 10), TRUE, 0);
    }
  fprintf (stderr, "usage: see the source\n");
  return 2;
}
