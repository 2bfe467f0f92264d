/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "kiosk-state-file.h"
#include "kioskctl.h"

/* Reading the running kiosk's state file (app/core/kiosk-state-file.h). */

const char *
kioskctl_kiosk_status_to_string (KioskctlKioskStatus status)
{
  switch (status)
    {
    case KIOSKCTL_KIOSK_ABSENT:
      return "not-running";
    case KIOSKCTL_KIOSK_UNREADABLE:
      return "unreadable";
    case KIOSKCTL_KIOSK_STOPPED:
      return "stopped";
    case KIOSKCTL_KIOSK_GONE:
      return "gone";
    case KIOSKCTL_KIOSK_HUNG:
      return "hung";
    case KIOSKCTL_KIOSK_RUNNING:
      return "running";
    default:
      return "unknown";
    }
}

static gboolean
pid_alive (gint64 pid)
{
  if (pid <= 0 || pid > G_MAXINT)
    return FALSE;
  /* EPERM: alive, another user's (the kiosk user's) process. */
  return kill ((pid_t) pid, 0) == 0 || errno == EPERM;
}

void
kioskctl_kiosk_load (KioskctlKiosk *kiosk, KioskConfig *config)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonNode *root;
  gint64 updated, heartbeat;

  memset (kiosk, 0, sizeof *kiosk);
  kiosk->path = config ? kiosk_state_file_path (config) : NULL;
  if (kiosk->path == NULL)
    kiosk->path = kiosk_state_file_path_for_store (KIOSKCTL_DEFAULT_STORE);

  if (!g_file_get_contents (kiosk->path, &text, NULL, &error))
    {
      kiosk->status = g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? KIOSKCTL_KIOSK_ABSENT
                                                                                : KIOSKCTL_KIOSK_UNREADABLE;
      if (kiosk->status == KIOSKCTL_KIOSK_UNREADABLE)
        kiosk->error = g_strdup_printf ("%s (the file is the kiosk user's alone: run kioskctl as that user or root)",
                                        error->message);
      return;
    }
  if (!json_parser_load_from_data (parser, text, -1, &error)
      || !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    {
      kiosk->status = KIOSKCTL_KIOSK_UNREADABLE;
      kiosk->error = g_strdup_printf ("%s: not a kiosk state file%s%s", kiosk->path, error ? ": " : "",
                                      error ? error->message : "");
      return;
    }
  kiosk->state = json_object_ref (json_node_get_object (root));
  kiosk->pid = json_object_get_int_member_with_default (kiosk->state, "pid", 0);
  updated = json_object_get_int_member_with_default (kiosk->state, "updated_at", 0);
  heartbeat
      = json_object_get_int_member_with_default (kiosk->state, "heartbeat_seconds", KIOSK_STATE_HEARTBEAT_SECONDS);
  kiosk->age = g_get_real_time () / G_USEC_PER_SEC - updated;

  if (!json_object_get_boolean_member_with_default (kiosk->state, "running", FALSE))
    kiosk->status = KIOSKCTL_KIOSK_STOPPED;
  else if (!pid_alive (kiosk->pid))
    kiosk->status = KIOSKCTL_KIOSK_GONE;
  else if (kiosk->age > 3 * heartbeat + 10)
    kiosk->status = KIOSKCTL_KIOSK_HUNG;
  else
    kiosk->status = KIOSKCTL_KIOSK_RUNNING;
}

void
kioskctl_kiosk_clear (KioskctlKiosk *kiosk)
{
  g_clear_pointer (&kiosk->path, g_free);
  g_clear_pointer (&kiosk->error, g_free);
  g_clear_pointer (&kiosk->state, json_object_unref);
}

JsonObject *
kioskctl_kiosk_device (KioskctlKiosk *kiosk, const char *kind)
{
  JsonNode *devices, *node;

  if (kiosk->state == NULL || (devices = json_object_get_member (kiosk->state, "devices")) == NULL
      || !JSON_NODE_HOLDS_OBJECT (devices))
    return NULL;
  node = json_object_get_member (json_node_get_object (devices), kind);
  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}
