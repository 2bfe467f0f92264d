/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-core"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "kiosk-state-file.h"

/* The file is written on a worker thread (never on the main thread, where
 * the state is read). Each write carries a sequence number; an older write
 * finishing late never replaces a newer one (the last, "running": false,
 * included). */
typedef struct {
  gatomicrefcount ref;
  char *path;
  GMutex lock;
  guint64 written_seq; /* under lock */
  gboolean warned;     /* under lock */
} Writer;

struct _KioskStateFile {
  KioskCore *core; /* not owned: the core owns us */
  Writer *writer;
  gint64 started_at;
  guint64 seq;
  guint cards_read;
  guint timer;
  guint idle;
  KioskDevice *idcard;
};

char *
kiosk_state_file_path_for_store (const char *store_path)
{
  g_return_val_if_fail (store_path != NULL, NULL);
  return g_strconcat (store_path, ".state.json", NULL);
}

char *
kiosk_state_file_path (KioskConfig *config)
{
  g_autofree char *store = kiosk_config_get_path_value (config, "store", "path");
  return store ? kiosk_state_file_path_for_store (store) : NULL;
}

static Writer *
writer_ref (Writer *w)
{
  g_atomic_ref_count_inc (&w->ref);
  return w;
}

static void
writer_unref (Writer *w)
{
  if (!g_atomic_ref_count_dec (&w->ref))
    return;
  g_mutex_clear (&w->lock);
  g_free (w->path);
  g_free (w);
}

typedef struct {
  Writer *writer;
  guint64 seq;
  char *json;
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  writer_unref (job->writer);
  g_free (job->json);
  g_free (job);
}

static void
write_now (WriteJob *job)
{
  g_autoptr (GError) error = NULL;
  Writer *w = job->writer;

  g_mutex_lock (&w->lock);
  if (job->seq > w->written_seq)
    {
      g_autofree char *dir = g_path_get_dirname (w->path);

      /* Atomic replace, 0600: the kiosk user alone reads it. The store's
       * folder may not exist yet (the store opens on its own thread). */
      if (g_mkdir_with_parents (dir, 0700) != 0
          || !g_file_set_contents_full (w->path, job->json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        {
          if (!w->warned)
            g_message ("state file %s not written: %s", w->path, error ? error->message : g_strerror (errno));
          w->warned = TRUE;
        }
      else
        w->written_seq = job->seq;
    }
  g_mutex_unlock (&w->lock);
}

static void
write_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  write_now (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
add_device (JsonBuilder *b, KioskDevice *d)
{
  json_builder_set_member_name (b, kiosk_device_get_kind (d));
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "backend");
  json_builder_add_string_value (b, kiosk_device_get_backend (d));
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, kiosk_device_state_to_string (kiosk_device_get_state (d)));
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, kiosk_device_get_reason (d));
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, kiosk_device_get_message (d));
  json_builder_end_object (b);
}

static WriteJob *
snapshot (KioskStateFile *self, gboolean running)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  KioskDeviceManager *devices = kiosk_core_get_devices (self->core);
  KioskConfig *config = kiosk_core_get_config (self->core);
  WriteJob *job = g_new0 (WriteJob, 1);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, KIOSK_STATE_FORMAT);
  json_builder_set_member_name (b, "app_version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "pid");
  json_builder_add_int_value (b, getpid ());
  json_builder_set_member_name (b, "config");
  json_builder_add_string_value (b, kiosk_config_get_path (config));
  json_builder_set_member_name (b, "started_at");
  json_builder_add_int_value (b, self->started_at);
  json_builder_set_member_name (b, "updated_at");
  json_builder_add_int_value (b, g_get_real_time () / G_USEC_PER_SEC);
  json_builder_set_member_name (b, "heartbeat_seconds");
  json_builder_add_int_value (b, KIOSK_STATE_HEARTBEAT_SECONDS);
  json_builder_set_member_name (b, "running");
  json_builder_add_boolean_value (b, running);
  json_builder_set_member_name (b, "session");
  json_builder_add_string_value (
      b, kiosk_session_state_to_string (kiosk_session_get_state (kiosk_core_get_session (self->core))));
  json_builder_set_member_name (b, "cards_read");
  json_builder_add_int_value (b, self->cards_read);
  json_builder_set_member_name (b, "online");
  json_builder_add_boolean_value (b, kiosk_core_get_online (self->core));
  json_builder_set_member_name (b, "backlog");
  json_builder_add_int_value (b, kiosk_core_get_backlog (self->core));
  json_builder_set_member_name (b, "accepting");
  json_builder_add_boolean_value (b, kiosk_core_get_accepting (self->core));
  json_builder_set_member_name (b, "store_error");
  json_builder_add_string_value (b, kiosk_core_get_store_error (self->core));
  json_builder_set_member_name (b, "devices");
  json_builder_begin_object (b);
  for (const char *const *k = kiosk_device_kinds (); *k; k++)
    add_device (b, kiosk_device_manager_get (devices, *k));
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  job->json = json_to_string (root, FALSE);
  job->writer = writer_ref (self->writer);
  job->seq = ++self->seq;
  return job;
}

static void
write_async (KioskStateFile *self)
{
  g_autoptr (GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_source_tag (task, write_async);
  g_task_set_task_data (task, snapshot (self, TRUE), (GDestroyNotify) write_job_free);
  g_task_run_in_thread (task, write_thread);
}

static gboolean
idle_cb (gpointer data)
{
  KioskStateFile *self = data;
  self->idle = 0;
  write_async (self);
  return G_SOURCE_REMOVE;
}

/* Something changed: write soon, once for a burst of changes. */
static void
changed (KioskStateFile *self)
{
  if (self->idle == 0)
    self->idle = g_timeout_add (100, idle_cb, self);
}

static void
changed_cb (gpointer instance, gpointer arg, gpointer data)
{
  changed (data);
}

static void
identity_cb (KioskDevice *idcard, gconstpointer identity, KioskStateFile *self)
{
  self->cards_read++;
  changed (self);
}

static gboolean
heartbeat_cb (gpointer data)
{
  write_async (data);
  return G_SOURCE_CONTINUE;
}

KioskStateFile *
kiosk_state_file_new (KioskCore *core, const char *path)
{
  KioskStateFile *self = g_new0 (KioskStateFile, 1);

  g_return_val_if_fail (KIOSK_IS_CORE (core) && path != NULL, NULL);
  self->core = core;
  self->writer = g_new0 (Writer, 1);
  g_atomic_ref_count_init (&self->writer->ref);
  g_mutex_init (&self->writer->lock);
  self->writer->path = g_strdup (path);
  self->started_at = g_get_real_time () / G_USEC_PER_SEC;

  g_signal_connect_swapped (kiosk_core_get_devices (core), "device-changed", G_CALLBACK (changed), self);
  g_signal_connect (kiosk_core_get_session (core), "notify::state", G_CALLBACK (changed_cb), self);
  g_signal_connect (core, "notify", G_CALLBACK (changed_cb), self);
  self->idcard = kiosk_device_manager_get (kiosk_core_get_devices (core), "idcard");
  if (g_signal_lookup ("identity", G_OBJECT_TYPE (self->idcard)) != 0)
    g_signal_connect (self->idcard, "identity", G_CALLBACK (identity_cb), self);
  self->timer = g_timeout_add_seconds (KIOSK_STATE_HEARTBEAT_SECONDS, heartbeat_cb, self);
  write_async (self);
  return self;
}

void
kiosk_state_file_free (KioskStateFile *self)
{
  WriteJob *last;

  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (kiosk_core_get_devices (self->core), self);
  g_signal_handlers_disconnect_by_data (kiosk_core_get_session (self->core), self);
  g_signal_handlers_disconnect_by_data (self->core, self);
  g_signal_handlers_disconnect_by_data (self->idcard, self);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->idle, g_source_remove);
  /* The last word, written here (a small file, at shutdown). */
  last = snapshot (self, FALSE);
  write_now (last);
  write_job_free (last);
  writer_unref (self->writer);
  g_free (self);
}
