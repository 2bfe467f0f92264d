/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "kiosk-sync.h"
#include "kioskctl.h"

/* kioskctl sync run [--until-empty] [--timeout S]
 * Runs the sync engine in the foreground. Without --until-empty: one pass
 * over the items that are due now. With it: keeps retrying (with backoff)
 * until nothing is pending. Exit 0 when the outbox has nothing pending at
 * the end (rejected items are reported, not pending), 1 otherwise. */

static void
usage (void)
{
  fprintf (stderr, "usage: kioskctl [--config FILE] sync run [--until-empty] [--timeout S]\n");
}

int
kioskctl_sync (KioskctlContext *ctx, int argc, char **argv)
{
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskSync) sync = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) doc_error = NULL;
  g_autoptr (KioskDeadline) deadline = NULL;
  GCancellable *cancellable = NULL;
  KioskConfig *config;
  gboolean until_empty = FALSE;
  double timeout = 0;
  KioskSyncStats stats;
  KioskQueueCounts c;
  gboolean ok;

  if (argc < 2 || !g_str_equal (argv[1], "run"))
    {
      usage ();
      return KIOSKCTL_EXIT_USAGE;
    }
  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--until-empty"))
        until_empty = TRUE;
      else if (g_str_equal (argv[i], "--timeout") && i + 1 < argc)
        {
          char *end = NULL;
          timeout = g_ascii_strtod (argv[++i], &end);
          if (end == argv[i] || *end || timeout <= 0)
            {
              fprintf (stderr, "kioskctl: bad --timeout '%s'\n", argv[i]);
              return KIOSKCTL_EXIT_USAGE;
            }
        }
      else
        {
          usage ();
          return KIOSKCTL_EXIT_USAGE;
        }
    }

  config = kioskctl_config (ctx);
  if (config == NULL)
    return KIOSKCTL_EXIT_USAGE;
  store = kiosk_store_open_from_config (config, &error);
  if (store == NULL)
    {
      fprintf (stderr, "kioskctl: %s\n", error->message);
      return KIOSKCTL_EXIT_FAIL;
    }
  sync = kiosk_sync_new_from_config (store, config);
  /* --timeout bounds the whole command, the catalog fetch included: what
   * is in flight at the deadline is cancelled (and retried next time). */
  if (timeout > 0)
    {
      deadline = kiosk_deadline_new (timeout, NULL);
      cancellable = kiosk_deadline_get_cancellable (deadline);
    }

  /* Catalog and notices first (cheap when unchanged); their failure does
   * not stop the outbox. */
  if (!kiosk_sync_refresh_documents (sync, cancellable, &doc_error))
    fprintf (stderr, "kioskctl: catalog/notices not refreshed: %s\n", doc_error->message);

  if (until_empty)
    ok = kiosk_sync_run_until_empty (sync, timeout, cancellable, &error);
  else
    ok = kiosk_sync_run_once (sync, cancellable, &error);
  if (deadline && kiosk_deadline_expired (deadline) && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_error (&error);
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "stopped at --timeout %g s", timeout);
    }

  kiosk_sync_get_stats (sync, &stats);
  kiosk_store_queue_counts (store, &c, NULL);
  printf ("delivered %u, rejected %u, transient failures %u, attachments uploaded %u (%" G_GUINT64_FORMAT
          " bytes)\npending %d, rejected in total %d\n",
          stats.delivered, stats.rejected, stats.transient_failures, stats.attachments_uploaded, stats.bytes_uploaded,
          c.pending, c.rejected);
  if (!ok && error)
    fprintf (stderr, "kioskctl: %s\n", error->message);
  return ok && c.pending == 0 ? KIOSKCTL_EXIT_OK : KIOSKCTL_EXIT_FAIL;
}
