/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-core"

#include "config.h"

#include <json-glib/json-glib.h>

#include "kiosk-staff-call.h"
#include "kiosk-store.h"
#include "kiosk-sync.h"

static void
enqueued_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  g_autoptr (GError) error = NULL;
  gint64 id = kiosk_store_enqueue_finish (KIOSK_STORE (source), result, &error);
  KioskCore *core = g_task_get_source_object (task);

  if (id <= 0)
    {
      g_message ("staff call not recorded: %s", error ? error->message : "?");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_info ("staff call recorded (outbox %" G_GINT64_FORMAT ")", id);
  if (kiosk_core_get_sync (core) != NULL)
    kiosk_sync_wake (kiosk_core_get_sync (core));
  g_task_return_boolean (task, TRUE);
}

void
kiosk_core_call_staff_async (KioskCore *self, const char *screen, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  KioskStore *store = kiosk_core_get_store (self);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *at = g_date_time_format_iso8601 (now);
  g_autofree char *kiosk_id = kiosk_config_get_string (kiosk_core_get_config (self), "kiosk", "id");
  g_autofree char *station = kiosk_config_get_string (kiosk_core_get_config (self), "kiosk", "station");
  g_autofree char *json = NULL;

  g_return_if_fail (KIOSK_IS_CORE (self));
  g_task_set_source_tag (task, kiosk_core_call_staff_async);
  g_info ("staff called from the %s screen", screen ? screen : "?");
  if (store == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "no store: %s",
                               kiosk_core_get_store_error (self) ? kiosk_core_get_store_error (self) : "not open");
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kiosk_id");
  json_builder_add_string_value (b, kiosk_id);
  json_builder_set_member_name (b, "station");
  json_builder_add_string_value (b, station);
  json_builder_set_member_name (b, "screen");
  json_builder_add_string_value (b, screen ? screen : "");
  json_builder_set_member_name (b, "called_at");
  json_builder_add_string_value (b, at);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json = json_to_string (root, FALSE);
  kiosk_store_enqueue_async (store, "staff_call", json, cancellable, enqueued_cb, g_steal_pointer (&task));
}

gboolean
kiosk_core_call_staff_finish (KioskCore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
