/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <json-glib/json-glib.h>

#include "kiosk-platform-adapter.h"
#include "kiosk-store.h"
#include "kioskctl.h"

/* kioskctl queue status: counts by state, the oldest pending item's age,
 * every rejected item with its reason and the pending items whose last
 * attempt failed (first 20), with attempts, next attempt and reason.
 * kioskctl queue requeue ID: put a rejected item back in the queue. */

static char *
format_age (gint64 seconds)
{
  if (seconds < 120)
    return g_strdup_printf ("%" G_GINT64_FORMAT " s", seconds);
  if (seconds < 7200)
    return g_strdup_printf ("%" G_GINT64_FORMAT " min", seconds / 60);
  if (seconds < 2 * 86400)
    return g_strdup_printf ("%" G_GINT64_FORMAT " h %" G_GINT64_FORMAT " min", seconds / 3600, seconds % 3600 / 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT " days %" G_GINT64_FORMAT " h", seconds / 86400, seconds % 86400 / 3600);
}

/* One outbox item in `queue status --json`: a rejected item with when it
 * was made, a failing one with its attempts and next try. */
static void
add_item_json (JsonBuilder *b, const KioskOutboxItem *it, gboolean failing)
{
  g_autofree char *reason = kiosk_platform_text_sanitize (it->last_error ? it->last_error : "", 0, FALSE);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, it->id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, it->kind);
  if (failing)
    {
      json_builder_set_member_name (b, "attempts");
      json_builder_add_int_value (b, it->attempts);
      json_builder_set_member_name (b, "next_attempt_at");
      json_builder_add_int_value (b, it->next_attempt_at / G_USEC_PER_SEC);
    }
  else
    {
      json_builder_set_member_name (b, "created_at");
      json_builder_add_int_value (b, it->created_at / G_USEC_PER_SEC);
    }
  json_builder_set_member_name (b, "http_status");
  json_builder_add_int_value (b, it->last_status);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_end_object (b);
}

static int
queue_status (KioskctlContext *ctx, KioskStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rejected = NULL;
  g_autoptr (GPtrArray) failing = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  KioskQueueCounts c;
  gint64 age;

  if (!kiosk_store_queue_counts (store, &c, &error) || (rejected = kiosk_store_list_rejected (store, 0, &error)) == NULL
      || (failing = kiosk_store_list_failing (store, 20, &error)) == NULL)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "%s", error->message);
  age = c.oldest_pending_created_at ? (g_get_real_time () - c.oldest_pending_created_at) / G_USEC_PER_SEC : 0;

  if (!ctx->json)
    {
      g_autofree char *age_s = format_age (age);
      printf ("store:     %s\n", kiosk_store_get_path (store));
      printf ("pending:   %d%s%s%s\n", c.pending, c.pending ? " (oldest " : "", c.pending ? age_s : "",
              c.pending ? ")" : "");
      printf ("done:      %d\n", c.done);
      printf ("rejected:  %d\n", c.rejected);
      printf ("accepting new applications: %s\n", kiosk_store_is_accepting (store) ? "yes" : "NO (disk space)");
      for (guint i = 0; i < rejected->len; i++)
        {
          KioskOutboxItem *it = rejected->pdata[i];
          g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (it->created_at / G_USEC_PER_SEC);
          g_autofree char *ws = g_date_time_format (when, "%Y-%m-%d %H:%M");
          /* Also a reason stored before the adapter cleaned the platform's
           * text: no escape sequence reaches the terminal. */
          g_autofree char *reason = kiosk_platform_text_sanitize (it->last_error ? it->last_error : "", 0, FALSE);
          printf ("  #%" G_GINT64_FORMAT " %-20s %s  HTTP %d  %s\n", it->id, it->kind, ws, it->last_status, reason);
        }
      if (failing->len > 0)
        printf ("failing (retried automatically, oldest first):\n");
      for (guint i = 0; i < failing->len; i++)
        {
          KioskOutboxItem *it = failing->pdata[i];
          g_autoptr (GDateTime) when = g_date_time_new_from_unix_local (it->next_attempt_at / G_USEC_PER_SEC);
          g_autofree char *ws = g_date_time_format (when, "%Y-%m-%d %H:%M:%S");
          g_autofree char *reason = kiosk_platform_text_sanitize (it->last_error ? it->last_error : "", 0, FALSE);
          printf ("  #%" G_GINT64_FORMAT " %-20s %d attempts, next %s  HTTP %d  %s\n", it->id, it->kind, it->attempts,
                  ws, it->last_status, reason);
        }
      return KIOSKCTL_EXIT_OK;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pending");
  json_builder_add_int_value (b, c.pending);
  json_builder_set_member_name (b, "done");
  json_builder_add_int_value (b, c.done);
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, c.rejected);
  json_builder_set_member_name (b, "oldest_pending_age_seconds");
  json_builder_add_int_value (b, age);
  json_builder_set_member_name (b, "accepting_applications");
  json_builder_add_boolean_value (b, kiosk_store_is_accepting (store));
  json_builder_set_member_name (b, "rejected_items");
  json_builder_begin_array (b);
  for (guint i = 0; i < rejected->len; i++)
    add_item_json (b, rejected->pdata[i], FALSE);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "failing_items");
  json_builder_begin_array (b);
  for (guint i = 0; i < failing->len; i++)
    add_item_json (b, failing->pdata[i], TRUE);
  json_builder_end_array (b);
  json_builder_end_object (b);
  kioskctl_print_json (b);
  return KIOSKCTL_EXIT_OK;
}

int
kioskctl_queue (KioskctlContext *ctx, int argc, char **argv)
{
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (GError) error = NULL;
  KioskConfig *config;
  gboolean status = argc == 2 && g_str_equal (argv[1], "status");
  gboolean requeue = argc == 3 && g_str_equal (argv[1], "requeue");

  if (!status && !requeue)
    {
      fprintf (stderr, "usage: kioskctl [--config FILE] [--json] queue status\n"
                       "       kioskctl [--config FILE] [--json] queue requeue ID\n");
      return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "usage: kioskctl queue status | queue requeue ID");
    }
  config = kioskctl_config (ctx);
  if (config == NULL)
    return KIOSKCTL_EXIT_USAGE;
  store = kiosk_store_open_from_config (config, &error);
  if (store == NULL)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "%s", error->message);
  if (status)
    return queue_status (ctx, store);

  {
    char *end = NULL;
    gint64 id = g_ascii_strtoll (argv[2], &end, 10);
    if (end == argv[2] || *end || id <= 0)
      return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "bad outbox id '%s'", argv[2]);
    if (!kiosk_store_outbox_requeue (store, id, &error))
      return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "%s", error->message);
    if (ctx->json)
      {
        g_autoptr (JsonBuilder) b = json_builder_new ();
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "ok");
        json_builder_add_boolean_value (b, TRUE);
        json_builder_set_member_name (b, "requeued");
        json_builder_add_int_value (b, id);
        json_builder_end_object (b);
        kioskctl_print_json (b);
      }
    else
      printf ("item %" G_GINT64_FORMAT " queued again\n", id);
  }
  return KIOSKCTL_EXIT_OK;
}
