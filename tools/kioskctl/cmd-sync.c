/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <json-glib/json-glib.h>

#include "kiosk-sync.h"
#include "kioskctl.h"

/* kioskctl [--json] sync run [--until-empty] [--timeout S]
 * Runs the sync engine in the foreground. Without --until-empty: one pass
 * over the items that are due now. With it: keeps retrying (with backoff)
 * until nothing is pending. Exit 0 when the platform was reached and the
 * outbox has nothing pending at the end (rejected items are reported, not
 * pending), 1 otherwise: an unreachable platform is a failure even with an
 * empty outbox. --json: one object {"ok", "platform_reached",
 * "documents_refreshed", "delivered", "rejected", "transient_failures",
 * "attachments_uploaded", "bytes_uploaded", "pending", "rejected_total",
 * "error"}. */

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
  KioskQueueCounts c = { 0 };
  gboolean ok, docs_ok, reached;
  g_autofree char *why = NULL;

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
            return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "bad --timeout '%s'", argv[i]);
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
    return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "%s", error->message);
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
  docs_ok = kiosk_sync_refresh_documents (sync, cancellable, &doc_error);
  if (!docs_ok && !ctx->json)
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
  /* Any answer from the platform counts as reaching it. */
  reached = docs_ok || stats.delivered > 0 || stats.rejected > 0 || stats.attachments_uploaded > 0;
  if (!ok && error)
    why = g_strdup (error->message);
  else if (!reached)
    why = g_strdup_printf ("the platform was not reached: %s", doc_error ? doc_error->message : "no answer");
  else if (c.pending > 0)
    why = g_strdup_printf ("%d item(s) still pending", c.pending);

  if (ctx->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "ok");
      json_builder_add_boolean_value (b, why == NULL);
      json_builder_set_member_name (b, "platform_reached");
      json_builder_add_boolean_value (b, reached);
      json_builder_set_member_name (b, "documents_refreshed");
      json_builder_add_boolean_value (b, docs_ok);
      json_builder_set_member_name (b, "delivered");
      json_builder_add_int_value (b, stats.delivered);
      json_builder_set_member_name (b, "rejected");
      json_builder_add_int_value (b, stats.rejected);
      json_builder_set_member_name (b, "transient_failures");
      json_builder_add_int_value (b, stats.transient_failures);
      json_builder_set_member_name (b, "attachments_uploaded");
      json_builder_add_int_value (b, stats.attachments_uploaded);
      json_builder_set_member_name (b, "bytes_uploaded");
      json_builder_add_int_value (b, (gint64) stats.bytes_uploaded);
      json_builder_set_member_name (b, "pending");
      json_builder_add_int_value (b, c.pending);
      json_builder_set_member_name (b, "rejected_total");
      json_builder_add_int_value (b, c.rejected);
      json_builder_set_member_name (b, "error");
      if (why)
        json_builder_add_string_value (b, why);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      kioskctl_print_json (b);
    }
  else
    {
      printf ("delivered %u, rejected %u, transient failures %u, attachments uploaded %u (%" G_GUINT64_FORMAT
              " bytes)\npending %d, rejected in total %d\n",
              stats.delivered, stats.rejected, stats.transient_failures, stats.attachments_uploaded,
              stats.bytes_uploaded, c.pending, c.rejected);
      if (why)
        fprintf (stderr, "kioskctl: %s\n", why);
    }
  return why == NULL ? KIOSKCTL_EXIT_OK : KIOSKCTL_EXIT_FAIL;
}
