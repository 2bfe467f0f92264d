/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-maint"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "camera-device.h"
#include "idcard-device.h"
#include "kiosk-maint.h"
#include "kiosk-pin.h"
#include "kiosk-platform-adapter.h"
#include "pad-device.h"
#include "printer-device.h"

/* The store's settings key of the technician's wrong-PIN count. */
#define PIN_STATE_NAME "maint_pin"
/* Pad keys kept on the screen. */
#define PAD_KEYS_SHOWN 8
/* Outbox problems listed. */
#define PROBLEMS_LISTED 20

typedef struct {
  gboolean on;
  KioskMaintTestState state;
  char *result;
  guint count;
} Test;

struct _KioskMaint {
  GObject parent_instance;
  KioskCore *core; /* owns us: not a reference */
  char *kiosk_id;
  char *station;
  char *pin_hash;
  int idle_seconds;
  int lockout_seconds;

  KioskMaintState state;
  /* the gesture */
  gint64 long_press_at; /* 0: none yet */
  int taps;
  /* idle and waits: one tick a second while not OFF */
  int idle;
  gboolean manual_clock;
  guint tick_id;
  gint64 now_override;
  /* the PIN */
  guint pin_generation; /* a verification that returns after a leave is dropped */
  gboolean pin_busy;
  int pin_wait;
  gboolean pin_locked;
  KioskPinState pin_state; /* as last read from the store */
  char *pin_message;
  /* the screen */
  KioskMaintStatus status;
  gboolean refreshing;
  Test tests[KIOSK_MAINT_N_ACTIONS];
  KioskDevice *pad;
  KioskDevice *camera;
  GCancellable *cancellable;
  GQueue audit_queue; /* JSON of records not yet handed to the store */
  gboolean audit_busy;
  guint audits;
};

G_DEFINE_FINAL_TYPE (KioskMaint, kiosk_maint, G_TYPE_OBJECT)

enum { PROP_0, PROP_STATE, PROP_PIN_BUSY, PROP_PIN_WAIT, PROP_PIN_LOCKED, PROP_PIN_MESSAGE, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_STATUS_CHANGED, SIGNAL_TEST_CHANGED, SIGNAL_CAMERA_FRAME, N_SIGNALS };
static guint signals[N_SIGNALS];

static void update_tick (KioskMaint *self);
static void stop_tests (KioskMaint *self);

static gint64
now_real (KioskMaint *self)
{
  return self->now_override ? self->now_override : g_get_real_time ();
}

static gint64
now_mono (KioskMaint *self)
{
  return self->now_override ? self->now_override : g_get_monotonic_time ();
}

const char *
kiosk_maint_action_to_string (KioskMaintAction action)
{
  static const char *const names[]
      = { "sync_now", "test_print", "pad_test", "camera_test", "card_test", "log_excerpt" };
  return action < G_N_ELEMENTS (names) ? names[action] : "unknown";
}

/* ---- audit records -------------------------------------------------------- */

static void audit_next (KioskMaint *self);

static void
audit_enqueued_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (KioskMaint) self = data;
  g_autoptr (GError) error = NULL;
  gint64 id = kiosk_store_enqueue_finish (KIOSK_STORE (source), result, &error);

  self->audit_busy = FALSE;
  if (id <= 0)
    g_message ("audit record not stored: %s", error ? error->message : "?");
  else
    {
      self->audits++;
      g_debug ("audit record stored (outbox %" G_GINT64_FORMAT ")", id);
    }
  audit_next (self);
}

/* One record at a time, so the outbox keeps them in the order they
 * happened (the store's own writes run in a thread pool). */
static void
audit_next (KioskMaint *self)
{
  KioskStore *store = self->core ? kiosk_core_get_store (self->core) : NULL;
  g_autofree char *json = NULL;

  if (self->audit_busy || g_queue_is_empty (&self->audit_queue))
    return;
  json = g_queue_pop_head (&self->audit_queue);
  if (store == NULL)
    {
      g_message ("audit record not stored: no store");
      audit_next (self);
      return;
    }
  self->audit_busy = TRUE;
  kiosk_store_enqueue_async (store, "audit", json, NULL, audit_enqueued_cb, g_object_ref (self));
}

/* The core is going away: what is still queued is written now. */
static void
audit_flush (KioskMaint *self)
{
  KioskStore *store = self->core ? kiosk_core_get_store (self->core) : NULL;
  char *json;

  while ((json = g_queue_pop_head (&self->audit_queue)) != NULL)
    {
      g_autoptr (GError) error = NULL;
      if (store == NULL || kiosk_store_enqueue (store, "audit", json, &error) <= 0)
        g_message ("audit record not stored: %s", error ? error->message : "no store");
      else
        self->audits++;
      g_free (json);
    }
}

/* {kiosk_id, action, result, at}: nothing personal, ever (a card test's
 * result is "read", never what was read). */
static void
audit (KioskMaint *self, const char *action, const char *result)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_local (now_real (self) / G_USEC_PER_SEC);
  g_autofree char *at = g_date_time_format_iso8601 (now);

  g_info ("maintenance: %s: %s", action, result);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kiosk_id");
  json_builder_add_string_value (b, self->kiosk_id);
  json_builder_set_member_name (b, "action");
  json_builder_add_string_value (b, action);
  json_builder_set_member_name (b, "result");
  json_builder_add_string_value (b, result);
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, at);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  g_queue_push_tail (&self->audit_queue, json_to_string (root, FALSE));
  audit_next (self);
}

guint
kiosk_maint_get_audits (KioskMaint *self)
{
  g_return_val_if_fail (KIOSK_IS_MAINT (self), 0);
  return self->audits;
}

/* ---- state, idle, the gesture ----------------------------------------------- */

static void
set_state (KioskMaint *self, KioskMaintState state)
{
  if (self->state == state)
    return;
  self->state = state;
  self->idle = 0;
  update_tick (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_pin_message (KioskMaint *self, const char *message)
{
  if (g_strcmp0 (self->pin_message, message) == 0)
    return;
  g_free (self->pin_message);
  self->pin_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIN_MESSAGE]);
}

/* The wait and lock-out at this moment, from the last state read, with
 * their message. */
static void
update_pin_wait (KioskMaint *self)
{
  gint64 now = now_real (self);
  int wait = kiosk_pin_state_wait (&self->pin_state, now);
  int lock = kiosk_pin_state_lock_remaining (&self->pin_state, now, self->lockout_seconds);
  gboolean locked = lock > 0;

  if (locked)
    {
      g_autofree char *text
          = g_strdup_printf (_ ("Wrong PIN %d times in a row: maintenance is locked. Try again in %d min, or call "
                                "the county's technical support."),
                             self->pin_state.failures, (lock + 59) / 60);
      set_pin_message (self, text);
    }
  else if (wait > 0)
    {
      g_autofree char *text = g_strdup_printf (_ ("Wrong PIN. Try again in %d s."), wait);
      set_pin_message (self, text);
    }
  else if (self->pin_locked || self->pin_wait > 0)
    set_pin_message (self, self->pin_state.failures > 0 ? _ ("Wrong PIN. Please enter it again.") : NULL);
  if (self->pin_wait != wait)
    {
      self->pin_wait = wait;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIN_WAIT]);
    }
  if (self->pin_locked != locked)
    {
      self->pin_locked = locked;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIN_LOCKED]);
    }
}

static void
leave (KioskMaint *self, const char *why)
{
  if (self->state == KIOSK_MAINT_OFF)
    return;
  stop_tests (self);
  if (self->state == KIOSK_MAINT_OPEN)
    audit (self, "close", why);
  self->pin_generation++;
  if (self->pin_busy)
    {
      self->pin_busy = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIN_BUSY]);
    }
  set_pin_message (self, NULL);
  for (guint i = 0; i < KIOSK_MAINT_N_ACTIONS; i++)
    {
      g_clear_pointer (&self->tests[i].result, g_free);
      self->tests[i].state = KIOSK_MAINT_TEST_IDLE;
      self->tests[i].count = 0;
    }
  set_state (self, KIOSK_MAINT_OFF);
}

void
kiosk_maint_tick (KioskMaint *self)
{
  g_return_if_fail (KIOSK_IS_MAINT (self));
  if (self->pin_wait > 0 || self->pin_locked)
    update_pin_wait (self);
  if (self->state == KIOSK_MAINT_OFF)
    return;
  self->idle++;
  if (self->idle >= (self->state == KIOSK_MAINT_OPEN ? self->idle_seconds : KIOSK_MAINT_PIN_IDLE_SECONDS))
    {
      g_message ("maintenance closed after %d s without a touch", self->idle);
      leave (self, "idle");
    }
}

static gboolean
tick_cb (gpointer data)
{
  kiosk_maint_tick (data);
  return G_SOURCE_CONTINUE;
}

static void
update_tick (KioskMaint *self)
{
  gboolean want = !self->manual_clock && self->state != KIOSK_MAINT_OFF;

  if (want && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  else if (!want)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

void
kiosk_maint_set_manual_clock (KioskMaint *self, gboolean manual)
{
  g_return_if_fail (KIOSK_IS_MAINT (self));
  self->manual_clock = manual;
  update_tick (self);
}

void
_kiosk_maint_set_now (KioskMaint *self, gint64 now)
{
  g_return_if_fail (KIOSK_IS_MAINT (self));
  self->now_override = now;
}

void
kiosk_maint_touch (KioskMaint *self)
{
  g_return_if_fail (KIOSK_IS_MAINT (self));
  self->idle = 0;
}

/* The wrong-PIN count kept in the store (a restart, a lock-out still
 * running): read in a worker thread as soon as the PIN is asked, so the
 * screen says so before anything is typed. */
typedef struct {
  KioskStore *store;
  char *pin_hash;
  KioskPinState state;
} LoadData;

static void
load_data_free (LoadData *d)
{
  g_clear_object (&d->store);
  g_free (d->pin_hash);
  g_free (d);
}

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  LoadData *d = data;

  kiosk_pin_state_load (d->store, PIN_STATE_NAME, d->pin_hash, &d->state);
  g_task_return_boolean (task, TRUE);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskMaint *self = KIOSK_MAINT (source);
  LoadData *d = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || self->state != KIOSK_MAINT_PIN || self->pin_busy)
    return;
  self->pin_state = d->state;
  update_pin_wait (self);
}

static void
load_pin_state (KioskMaint *self)
{
  g_autoptr (GTask) task = NULL;
  KioskStore *store = kiosk_core_get_store (self->core);
  LoadData *d;

  if (store == NULL)
    return;
  d = g_new0 (LoadData, 1);
  d->store = g_object_ref (store);
  d->pin_hash = g_strdup (self->pin_hash);
  task = g_task_new (self, self->cancellable, loaded_cb, NULL);
  g_task_set_source_tag (task, load_pin_state);
  g_task_set_task_data (task, d, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
kiosk_maint_gesture (KioskMaint *self, KioskMaintGesture gesture)
{
  gint64 now;

  g_return_val_if_fail (KIOSK_IS_MAINT (self), FALSE);
  if (self->state != KIOSK_MAINT_OFF)
    return FALSE;
  now = now_mono (self);
  if (gesture == KIOSK_MAINT_GESTURE_STATION_LONG_PRESS)
    {
      self->long_press_at = now;
      self->taps = 0;
      return FALSE;
    }
  /* A tap on the clock counts only soon after the long press. */
  if (self->long_press_at == 0 || now - self->long_press_at > (gint64) KIOSK_MAINT_GESTURE_SECONDS * G_USEC_PER_SEC)
    {
      self->long_press_at = 0;
      self->taps = 0;
      return FALSE;
    }
  if (++self->taps < KIOSK_MAINT_CLOCK_TAPS)
    return FALSE;
  self->long_press_at = 0;
  self->taps = 0;
  g_message ("maintenance gesture: the technician's PIN is asked; the resident's session ends");
  /* Nobody's session stays open behind the maintenance screen. */
  kiosk_session_wipe (kiosk_core_get_session (self->core));
  set_state (self, KIOSK_MAINT_PIN);
  if (self->pin_hash == NULL)
    set_pin_message (self, _ ("No maintenance PIN is set on this kiosk ([maintenance] pin-hash)."));
  else
    load_pin_state (self);
  update_pin_wait (self);
  return TRUE;
}

/* ---- the PIN, in a worker thread ------------------------------------------- */

typedef struct {
  KioskStore *store;
  char *pin_hash;
  char *pin;
  gint64 now;
  int lockout_seconds;
  guint generation;
  KioskPinState state;
  gboolean tried;
  gboolean right;
  gboolean unsaved;
} PinData;

static void
pin_data_free (PinData *d)
{
  g_clear_object (&d->store);
  g_free (d->pin_hash);
  if (d->pin)
    {
      explicit_bzero (d->pin, strlen (d->pin));
      g_free (d->pin);
    }
  g_free (d);
}

static void
pin_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  PinData *d = data;
  g_autoptr (GError) error = NULL;

  /* The count on disk is the truth (a restart, another process). */
  kiosk_pin_state_load (d->store, PIN_STATE_NAME, d->pin_hash, &d->state);
  if (kiosk_pin_state_lock_remaining (&d->state, d->now, d->lockout_seconds) > 0
      || kiosk_pin_state_wait (&d->state, d->now) > 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  d->tried = TRUE;
  d->right = kiosk_pin_verify (d->pin_hash, d->pin);
  if (d->right)
    memset (&d->state, 0, sizeof d->state);
  else
    kiosk_pin_state_fail (&d->state, d->now);
  if (!kiosk_pin_state_save (d->store, PIN_STATE_NAME, d->pin_hash, &d->state, &error))
    {
      /* A count that cannot be kept lets nobody in. */
      g_warning ("maintenance PIN state not saved: %s", error->message);
      d->right = FALSE;
      d->unsaved = TRUE;
    }
  g_task_return_boolean (task, TRUE);
}

static void
pin_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskMaint *self = KIOSK_MAINT (source);
  PinData *d = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || d->generation != self->pin_generation)
    return; /* closed meanwhile */
  self->pin_busy = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIN_BUSY]);
  self->pin_state = d->state;
  if (d->right)
    {
      g_message ("maintenance opened");
      set_pin_message (self, NULL);
      update_pin_wait (self);
      set_state (self, KIOSK_MAINT_OPEN);
      audit (self, "open", "ok");
      kiosk_maint_refresh (self);
      return;
    }
  if (d->unsaved)
    {
      set_pin_message (self, _ ("The PIN cannot be checked now: the kiosk's store cannot be written."));
      return;
    }
  set_pin_message (self, _ ("Wrong PIN. Please enter it again."));
  update_pin_wait (self);
  if (d->tried)
    {
      g_autofree char *res = g_strdup_printf ("wrong (%d in a row)", self->pin_state.failures);
      audit (self, self->pin_locked ? "pin_locked" : "pin_wrong", res);
    }
}

gboolean
kiosk_maint_enter_pin (KioskMaint *self, const char *pin)
{
  g_autoptr (GTask) task = NULL;
  KioskStore *store;
  PinData *d;
  size_t len;

  g_return_val_if_fail (KIOSK_IS_MAINT (self), FALSE);
  if (self->state != KIOSK_MAINT_PIN || self->pin_busy || pin == NULL)
    return FALSE;
  self->idle = 0;
  if (self->pin_hash == NULL)
    {
      set_pin_message (self, _ ("No maintenance PIN is set on this kiosk ([maintenance] pin-hash)."));
      return FALSE;
    }
  update_pin_wait (self);
  if (self->pin_locked || self->pin_wait > 0)
    return FALSE;
  len = strlen (pin);
  if (len < KIOSK_PIN_MIN_LENGTH || len > KIOSK_PIN_MAX_LENGTH || strspn (pin, "0123456789") != len)
    {
      set_pin_message (self, _ ("The PIN is 4 to 12 digits."));
      return FALSE;
    }
  store = kiosk_core_get_store (self->core);
  if (store == NULL)
    {
      set_pin_message (self, _ ("The PIN cannot be checked now: the kiosk's store is not open."));
      return FALSE;
    }
  d = g_new0 (PinData, 1);
  d->store = g_object_ref (store);
  d->pin_hash = g_strdup (self->pin_hash);
  d->pin = g_strdup (pin);
  d->now = now_real (self);
  d->lockout_seconds = self->lockout_seconds;
  d->generation = self->pin_generation;
  self->pin_busy = TRUE;
  set_pin_message (self, _ ("Checking the PIN…"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIN_BUSY]);
  task = g_task_new (self, self->cancellable, pin_done_cb, NULL);
  g_task_set_source_tag (task, kiosk_maint_enter_pin);
  g_task_set_task_data (task, d, (GDestroyNotify) pin_data_free);
  g_task_run_in_thread (task, pin_thread);
  return TRUE;
}

void
kiosk_maint_leave (KioskMaint *self)
{
  g_return_if_fail (KIOSK_IS_MAINT (self));
  leave (self, "button");
}

/* ---- status: outbox and disk, in a worker thread ---------------------------------- */

static void
status_clear (KioskMaintStatus *st)
{
  g_clear_pointer (&st->problems, g_ptr_array_unref);
  g_clear_pointer (&st->disk_folder, g_free);
  g_clear_pointer (&st->error, g_free);
  memset (st, 0, sizeof *st);
}

static void
status_free (KioskMaintStatus *st)
{
  status_clear (st);
  g_free (st);
}

typedef struct {
  KioskStore *store;
  char *folder;
} RefreshData;

static void
refresh_data_free (RefreshData *d)
{
  g_clear_object (&d->store);
  g_free (d->folder);
  g_free (d);
}

static void
add_problems (GPtrArray *out, GPtrArray *items, const char *what)
{
  for (guint i = 0; items && i < items->len && out->len < PROBLEMS_LISTED; i++)
    {
      KioskOutboxItem *it = items->pdata[i];
      g_autofree char *reason = kiosk_platform_text_sanitize (it->last_error ? it->last_error : "", 200, FALSE);
      g_ptr_array_add (out, g_strdup_printf ("#%" G_GINT64_FORMAT " %s %s HTTP %d: %s", it->id, it->kind, what,
                                             it->last_status, reason));
    }
}

static void
refresh_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  RefreshData *d = data;
  KioskMaintStatus *st = g_new0 (KioskMaintStatus, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) folder = g_file_new_for_path (d->folder);
  g_autoptr (GFileInfo) fs = NULL;

  st->problems = g_ptr_array_new_with_free_func (g_free);
  st->disk_folder = g_strdup (d->folder);
  fs = g_file_query_filesystem_info (folder, G_FILE_ATTRIBUTE_FILESYSTEM_FREE "," G_FILE_ATTRIBUTE_FILESYSTEM_SIZE,
                                     cancellable, &error);
  if (fs)
    {
      st->disk_free = g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
      st->disk_size = g_file_info_get_attribute_uint64 (fs, G_FILE_ATTRIBUTE_FILESYSTEM_SIZE);
    }
  else
    st->error = g_strdup_printf ("disk: %s", error->message);
  g_clear_error (&error);
  if (d->store)
    {
      KioskQueueCounts c = { 0 };
      g_autoptr (GPtrArray) rejected = NULL;
      g_autoptr (GPtrArray) failing = NULL;

      if (kiosk_store_queue_counts (d->store, &c, &error)
          && (rejected = kiosk_store_list_rejected (d->store, PROBLEMS_LISTED, &error)) != NULL
          && (failing = kiosk_store_list_failing (d->store, PROBLEMS_LISTED, &error)) != NULL)
        {
          st->valid = TRUE;
          st->pending = c.pending;
          st->done = c.done;
          st->rejected = c.rejected;
          st->oldest_pending_age
              = c.oldest_pending_created_at ? (g_get_real_time () - c.oldest_pending_created_at) / G_USEC_PER_SEC : 0;
          add_problems (st->problems, rejected, "rejected");
          add_problems (st->problems, failing, "failing");
        }
      else
        {
          g_free (st->error);
          st->error = g_strdup_printf ("store: %s", error->message);
        }
    }
  else if (st->error == NULL)
    st->error = g_strdup ("store: not open");
  g_task_return_pointer (task, st, (GDestroyNotify) status_free);
}

static void
refreshed_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskMaint *self = KIOSK_MAINT (source);
  KioskMaintStatus *st = g_task_propagate_pointer (G_TASK (result), NULL);

  if (st == NULL)
    return; /* cancelled: the maintenance is going away */
  self->refreshing = FALSE;
  status_clear (&self->status);
  self->status = *st;
  g_free (st);
  g_signal_emit (self, signals[SIGNAL_STATUS_CHANGED], 0);
}

void
kiosk_maint_refresh (KioskMaint *self)
{
  g_autoptr (GTask) task = NULL;
  KioskStore *store;
  RefreshData *d;

  g_return_if_fail (KIOSK_IS_MAINT (self));
  if (self->refreshing)
    return;
  store = kiosk_core_get_store (self->core);
  d = g_new0 (RefreshData, 1);
  d->store = store ? g_object_ref (store) : NULL;
  if (store)
    d->folder = g_path_get_dirname (kiosk_store_get_path (store));
  else
    {
      g_autofree char *path = kiosk_config_get_path_value (kiosk_core_get_config (self->core), "store", "path");
      d->folder = g_path_get_dirname (path ? path : "/var/lib/kiosk/kiosk.db");
    }
  self->refreshing = TRUE;
  task = g_task_new (self, self->cancellable, refreshed_cb, NULL);
  g_task_set_source_tag (task, kiosk_maint_refresh);
  g_task_set_task_data (task, d, (GDestroyNotify) refresh_data_free);
  g_task_run_in_thread (task, refresh_thread);
}

const KioskMaintStatus *
kiosk_maint_get_status (KioskMaint *self)
{
  g_return_val_if_fail (KIOSK_IS_MAINT (self), NULL);
  return &self->status;
}

/* ---- the actions ------------------------------------------------------------------- */

static void
set_test (KioskMaint *self, KioskMaintAction action, KioskMaintTestState state, const char *result)
{
  Test *t = &self->tests[action];

  t->state = state;
  if (g_strcmp0 (t->result, result) != 0)
    {
      g_free (t->result);
      t->result = g_strdup (result);
    }
  g_signal_emit (self, signals[SIGNAL_TEST_CHANGED], 0, (int) action);
}

void
kiosk_maint_sync_now (KioskMaint *self)
{
  KioskSync *sync;

  g_return_if_fail (KIOSK_IS_MAINT (self));
  if (self->state != KIOSK_MAINT_OPEN)
    return;
  self->idle = 0;
  sync = kiosk_core_get_sync (self->core);
  if (sync == NULL)
    {
      set_test (self, KIOSK_MAINT_ACTION_SYNC, KIOSK_MAINT_TEST_FAILED,
                _ ("The sync engine is not running (the store is not open)."));
      audit (self, "sync_now", "failed: no sync engine");
      return;
    }
  kiosk_sync_wake (sync);
  set_test (self, KIOSK_MAINT_ACTION_SYNC, KIOSK_MAINT_TEST_DONE, _ ("Sync started."));
  audit (self, "sync_now", "ok");
  kiosk_maint_refresh (self);
}

static void
printed_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (KioskMaint) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskPrintRecord) record = NULL;
  gboolean ok = kiosk_printer_device_print_finish (KIOSK_PRINTER_DEVICE (source), result, &record, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ok)
    {
      set_test (self, KIOSK_MAINT_ACTION_PRINT, KIOSK_MAINT_TEST_DONE, _ ("The test page was printed."));
      audit (self, "test_print", "printed");
    }
  else
    {
      g_autofree char *text = g_strdup_printf ("%s (%s)", kiosk_print_error_message (error), error->message);
      g_autofree char *res = g_strdup_printf ("failed: %s", error->message);
      set_test (self, KIOSK_MAINT_ACTION_PRINT, KIOSK_MAINT_TEST_FAILED, text);
      audit (self, "test_print", res);
    }
}

void
kiosk_maint_test_print (KioskMaint *self)
{
  KioskDevice *printer;
  g_autoptr (JsonObject) data = NULL;
  g_autofree char *target = NULL;
  g_autofree char *state = NULL;

  g_return_if_fail (KIOSK_IS_MAINT (self));
  if (self->state != KIOSK_MAINT_OPEN || self->tests[KIOSK_MAINT_ACTION_PRINT].state == KIOSK_MAINT_TEST_RUNNING)
    return;
  self->idle = 0;
  printer = kiosk_device_manager_get (kiosk_core_get_devices (self->core), "printer");
  if (!KIOSK_IS_PRINTER_DEVICE (printer))
    {
      set_test (self, KIOSK_MAINT_ACTION_PRINT, KIOSK_MAINT_TEST_FAILED, _ ("No printer is configured."));
      audit (self, "test_print", "failed: no printer");
      return;
    }
  data = json_object_new ();
  target = kiosk_printer_device_dup_target (KIOSK_PRINTER_DEVICE (printer));
  state = g_strdup_printf ("%s %.48s", kiosk_device_state_to_string (kiosk_device_get_state (printer)),
                           kiosk_device_get_reason (printer) ? kiosk_device_get_reason (printer) : "");
  json_object_set_string_member (data, "printer_name", target ? target : "");
  json_object_set_string_member (data, "printer_state", g_strstrip (state));
  json_object_set_string_member (data, "kiosk_id", self->kiosk_id);
  json_object_set_string_member (data, "station", self->station);
  set_test (self, KIOSK_MAINT_ACTION_PRINT, KIOSK_MAINT_TEST_RUNNING, _ ("Printing the test page…"));
  kiosk_printer_device_print_async (KIOSK_PRINTER_DEVICE (printer), "test-page", data, NULL, NULL, self->cancellable,
                                    printed_cb, g_object_ref (self));
}

static void
pad_key_cb (KioskDevice *pad, guint key, KioskMaint *self)
{
  Test *t = &self->tests[KIOSK_MAINT_ACTION_PAD];
  g_auto (GStrv) old = NULL;
  g_autoptr (GStrvBuilder) keys = g_strv_builder_new ();
  g_auto (GStrv) shown = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *text = NULL;
  const char *prefix = _ ("Keys pressed: ");
  guint n;

  self->idle = 0;
  t->count++;
  /* The last few keys, newest last. */
  if (t->result && g_str_has_prefix (t->result, prefix))
    old = g_strsplit (t->result + strlen (prefix), " ", -1);
  n = old ? g_strv_length (old) : 0;
  for (guint i = n >= PAD_KEYS_SHOWN ? n - PAD_KEYS_SHOWN + 1 : 0; i < n; i++)
    g_strv_builder_add (keys, old[i]);
  g_strv_builder_add (keys, kiosk_pad_key_to_string ((KioskPadKey) key));
  shown = g_strv_builder_end (keys);
  joined = g_strjoinv (" ", shown);
  text = g_strconcat (prefix, joined, NULL);
  set_test (self, KIOSK_MAINT_ACTION_PAD, KIOSK_MAINT_TEST_DONE, text);
}

static void
camera_frame_cb (KioskDevice *camera, KioskImage *image, const KioskQuad *outline, KioskMaint *self)
{
  Test *t = &self->tests[KIOSK_MAINT_ACTION_CAMERA];
  KioskCameraFrame frame = { 0 };

  if (!t->on || image->format != KIOSK_PIXEL_RGB24)
    return;
  frame.pixels = g_bytes_new_with_free_func (image->data, (gsize) image->stride * image->height,
                                             (GDestroyNotify) kiosk_image_unref, kiosk_image_ref (image));
  frame.width = image->width;
  frame.height = image->height;
  frame.stride = image->stride;
  frame.format = KIOSK_CAMERA_FRAME_RGB24;
  frame.has_outline = outline != NULL;
  for (guint i = 0; outline && i < 4; i++)
    {
      frame.outline[2 * i] = outline->p[i].x;
      frame.outline[2 * i + 1] = outline->p[i].y;
    }
  g_signal_emit (self, signals[SIGNAL_CAMERA_FRAME], 0, &frame);
  g_bytes_unref (frame.pixels);
  if (t->count++ % KIOSK_CAMERA_PREVIEW_FPS == 0)
    {
      g_autofree char *text
          = g_strdup_printf (_ ("Live picture: %d × %d, %u frames."), image->width, image->height, t->count);
      set_test (self, KIOSK_MAINT_ACTION_CAMERA, KIOSK_MAINT_TEST_DONE, text);
    }
}

static gboolean
start_test (KioskMaint *self, KioskMaintAction action)
{
  KioskDeviceManager *devices = kiosk_core_get_devices (self->core);

  switch (action)
    {
    case KIOSK_MAINT_ACTION_PAD:
      {
        KioskDevice *pad = kiosk_core_get_pad (self->core);
        if (pad == NULL)
          {
            set_test (self, action, KIOSK_MAINT_TEST_FAILED, _ ("No evaluation pad is configured."));
            return FALSE;
          }
        self->pad = g_object_ref (pad);
        g_signal_connect (pad, "key", G_CALLBACK (pad_key_cb), self);
        set_test (self, action, KIOSK_MAINT_TEST_RUNNING, _ ("Press the keys of the evaluation pad."));
        return TRUE;
      }
    case KIOSK_MAINT_ACTION_CAMERA:
      {
        KioskDevice *camera = kiosk_device_manager_get (devices, "camera");
        if (!KIOSK_IS_CAMERA_DEVICE (camera))
          {
            set_test (self, action, KIOSK_MAINT_TEST_FAILED, _ ("No document camera is configured."));
            return FALSE;
          }
        self->camera = g_object_ref (camera);
        g_signal_connect (camera, "screen-frame", G_CALLBACK (camera_frame_cb), self);
        kiosk_camera_device_set_screen_preview (KIOSK_CAMERA_DEVICE (camera), KIOSK_CAMERA_PREVIEW_WIDTH,
                                                KIOSK_CAMERA_PREVIEW_FPS);
        set_test (self, action, KIOSK_MAINT_TEST_RUNNING,
                  kiosk_device_get_state (camera) == KIOSK_DEVICE_STATE_ABSENT
                      ? _ ("The document camera is not connected.")
                      : _ ("Waiting for the camera's picture…"));
        return TRUE;
      }
    case KIOSK_MAINT_ACTION_CARD:
      set_test (self, action, KIOSK_MAINT_TEST_RUNNING, _ ("Place an ID card on the reader."));
      return TRUE;
    default:
      return FALSE;
    }
}

static void
stop_test (KioskMaint *self, KioskMaintAction action)
{
  Test *t = &self->tests[action];
  g_autofree char *res = NULL;

  if (!t->on)
    return;
  t->on = FALSE;
  if (action == KIOSK_MAINT_ACTION_PAD && self->pad)
    {
      g_signal_handlers_disconnect_by_data (self->pad, self);
      g_clear_object (&self->pad);
    }
  else if (action == KIOSK_MAINT_ACTION_CAMERA && self->camera)
    {
      g_signal_handlers_disconnect_by_data (self->camera, self);
      kiosk_camera_device_set_screen_preview (KIOSK_CAMERA_DEVICE (self->camera), 0, 0);
      g_clear_object (&self->camera);
    }
  res = g_strdup_printf ("stopped after %u %s", t->count,
                         action == KIOSK_MAINT_ACTION_PAD      ? "keys"
                         : action == KIOSK_MAINT_ACTION_CAMERA ? "frames"
                                                               : "cards");
  audit (self, kiosk_maint_action_to_string (action), res);
  if (t->state == KIOSK_MAINT_TEST_RUNNING)
    set_test (self, action, KIOSK_MAINT_TEST_IDLE, NULL);
  else
    g_signal_emit (self, signals[SIGNAL_TEST_CHANGED], 0, (int) action);
}

static void
stop_tests (KioskMaint *self)
{
  for (guint i = 0; i < KIOSK_MAINT_N_ACTIONS; i++)
    stop_test (self, (KioskMaintAction) i);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->refreshing = FALSE;
  if (self->tests[KIOSK_MAINT_ACTION_PRINT].state == KIOSK_MAINT_TEST_RUNNING)
    self->tests[KIOSK_MAINT_ACTION_PRINT].state = KIOSK_MAINT_TEST_IDLE;
}

void
kiosk_maint_set_test (KioskMaint *self, KioskMaintAction action, gboolean on)
{
  Test *t;

  g_return_if_fail (KIOSK_IS_MAINT (self));
  g_return_if_fail (action == KIOSK_MAINT_ACTION_PAD || action == KIOSK_MAINT_ACTION_CAMERA
                    || action == KIOSK_MAINT_ACTION_CARD);
  t = &self->tests[action];
  self->idle = 0;
  if (!on)
    {
      stop_test (self, action);
      return;
    }
  if (t->on || self->state != KIOSK_MAINT_OPEN)
    return;
  t->count = 0;
  if (!start_test (self, action))
    {
      audit (self, kiosk_maint_action_to_string (action), "failed: not configured");
      return;
    }
  t->on = TRUE;
  audit (self, kiosk_maint_action_to_string (action), "started");
  g_signal_emit (self, signals[SIGNAL_TEST_CHANGED], 0, (int) action);
}

gboolean
kiosk_maint_get_test_on (KioskMaint *self, KioskMaintAction action)
{
  g_return_val_if_fail (KIOSK_IS_MAINT (self) && action < KIOSK_MAINT_N_ACTIONS, FALSE);
  return self->tests[action].on;
}

KioskMaintTestState
kiosk_maint_get_test_state (KioskMaint *self, KioskMaintAction action)
{
  g_return_val_if_fail (KIOSK_IS_MAINT (self) && action < KIOSK_MAINT_N_ACTIONS, KIOSK_MAINT_TEST_IDLE);
  return self->tests[action].state;
}

const char *
kiosk_maint_get_test_result (KioskMaint *self, KioskMaintAction action)
{
  g_return_val_if_fail (KIOSK_IS_MAINT (self) && action < KIOSK_MAINT_N_ACTIONS, "");
  return self->tests[action].result ? self->tests[action].result : "";
}

gboolean
kiosk_maint_take_identity (KioskMaint *self, const KioskIdentity *identity)
{
  g_autofree char *name = NULL;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (KIOSK_IS_MAINT (self), FALSE);
  if (self->state == KIOSK_MAINT_OFF)
    return FALSE;
  if (self->state != KIOSK_MAINT_OPEN || !self->tests[KIOSK_MAINT_ACTION_CARD].on)
    return TRUE; /* not for a resident's session either */
  self->idle = 0;
  self->tests[KIOSK_MAINT_ACTION_CARD].count++;
  /* Masked only: the technician sees that the reader reads, not whose card. */
  name = kiosk_mask_name (identity->name && *identity->name ? identity->name : identity->name_en);
  number = kiosk_mask_id_number (identity->id_number);
  text = g_strdup_printf (_ ("Card read: %s, %s%s"), name, number, identity->expired ? _ (" (expired)") : "");
  set_test (self, KIOSK_MAINT_ACTION_CARD, KIOSK_MAINT_TEST_DONE, text);
  audit (self, "card_test", identity->expired ? "read (expired card)" : "read");
  return TRUE;
}

gboolean
kiosk_maint_take_card_event (KioskMaint *self, int idcard_event)
{
  const char *text = NULL, *res = NULL;

  g_return_val_if_fail (KIOSK_IS_MAINT (self), FALSE);
  if (self->state == KIOSK_MAINT_OFF)
    return FALSE;
  if (self->state != KIOSK_MAINT_OPEN || !self->tests[KIOSK_MAINT_ACTION_CARD].on)
    return TRUE;
  switch ((IdcardEvent) idcard_event)
    {
    case IDCARD_EVENT_UNREADABLE:
      text = _ ("The reader found a card it cannot read.");
      res = "unreadable";
      break;
    case IDCARD_EVENT_READ_FAILED:
      text = _ ("Reading the card failed.");
      res = "read failed";
      break;
    case IDCARD_EVENT_REMOVED:
      text = _ ("The card was taken away before it was read.");
      res = "removed";
      break;
    default:
      return TRUE;
    }
  set_test (self, KIOSK_MAINT_ACTION_CARD, KIOSK_MAINT_TEST_FAILED, text);
  audit (self, "card_test", res);
  return TRUE;
}

/* ---- the log ---------------------------------------------------------------------- */

static GMutex log_lock;
static GQueue log_lines = G_QUEUE_INIT;

char *
kiosk_maint_log_scrub (const char *text)
{
  static GRegex *id_re, *phone_re;
  static gsize once = 0;
  g_autofree char *step = NULL;

  if (g_once_init_enter (&once))
    {
      id_re = g_regex_new ("(?<![0-9A-Za-z])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])", G_REGEX_OPTIMIZE, 0, NULL);
      phone_re = g_regex_new ("(?<![0-9])1[3-9][0-9]{9}(?![0-9])", G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&once, 1);
    }
  if (text == NULL)
    return g_strdup ("");
  step = g_regex_replace_literal (id_re, text, -1, 0, "[ID number]", 0, NULL);
  return g_regex_replace_literal (phone_re, step ? step : "", -1, 0, "[phone]", 0, NULL);
}

void
kiosk_maint_log_record (GLogLevelFlags level, const GLogField *fields, gsize n_fields)
{
  const char *domain = NULL, *message = NULL, *tag;
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *time = NULL;
  g_autofree char *clean = NULL;

  if (level & G_LOG_LEVEL_DEBUG)
    return;
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if (message == NULL)
    return;
  tag = level & G_LOG_LEVEL_ERROR      ? "ERROR"
        : level & G_LOG_LEVEL_CRITICAL ? "CRITICAL"
        : level & G_LOG_LEVEL_WARNING  ? "WARNING"
        : level & G_LOG_LEVEL_MESSAGE  ? "MESSAGE"
                                       : "INFO";
  now = g_date_time_new_now_local ();
  time = g_date_time_format (now, "%m-%d %H:%M:%S");
  clean = kiosk_maint_log_scrub (message);
  g_mutex_lock (&log_lock);
  g_queue_push_tail (&log_lines, g_strdup_printf ("%s %s %s: %s", time, tag, domain ? domain : "-", clean));
  while (log_lines.length > KIOSK_MAINT_LOG_LINES)
    g_free (g_queue_pop_head (&log_lines));
  g_mutex_unlock (&log_lock);
}

GLogWriterOutput
kiosk_maint_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  kiosk_maint_log_record (level, fields, n_fields);
  return g_log_writer_default (level, fields, n_fields, user_data);
}

char *
kiosk_maint_log_excerpt (KioskMaint *self, guint max_lines)
{
  GString *out;
  guint n, skip;
  GList *l;
  g_autofree char *res = NULL;

  g_return_val_if_fail (KIOSK_IS_MAINT (self), NULL);
  out = g_string_new (NULL);
  self->idle = 0;
  g_mutex_lock (&log_lock);
  n = log_lines.length;
  skip = max_lines && n > max_lines ? n - max_lines : 0;
  for (l = g_list_nth (log_lines.head, skip); l; l = l->next)
    {
      /* Scrubbed when recorded; once more in case a line came another way. */
      g_autofree char *clean = kiosk_maint_log_scrub (l->data);
      g_string_append (out, clean);
      g_string_append_c (out, '\n');
    }
  g_mutex_unlock (&log_lock);
  res = g_strdup_printf ("%u lines", n - skip);
  if (self->state == KIOSK_MAINT_OPEN)
    {
      set_test (self, KIOSK_MAINT_ACTION_LOG, KIOSK_MAINT_TEST_DONE, NULL);
      audit (self, "log_excerpt", res);
    }
  return g_string_free (out, FALSE);
}

/* ---- GObject ---------------------------------------------------------------------- */

KioskMaintState
kiosk_maint_get_state (KioskMaint *self)
{
  g_return_val_if_fail (KIOSK_IS_MAINT (self), KIOSK_MAINT_OFF);
  return self->state;
}

gboolean
kiosk_maint_get_configured (KioskMaint *self)
{
  g_return_val_if_fail (KIOSK_IS_MAINT (self), FALSE);
  return self->pin_hash != NULL;
}

gboolean
kiosk_maint_get_pin_busy (KioskMaint *self)
{
  g_return_val_if_fail (KIOSK_IS_MAINT (self), FALSE);
  return self->pin_busy;
}

int
kiosk_maint_get_pin_wait (KioskMaint *self)
{
  g_return_val_if_fail (KIOSK_IS_MAINT (self), 0);
  return self->pin_wait;
}

gboolean
kiosk_maint_get_pin_locked (KioskMaint *self)
{
  g_return_val_if_fail (KIOSK_IS_MAINT (self), FALSE);
  return self->pin_locked;
}

const char *
kiosk_maint_get_pin_message (KioskMaint *self)
{
  g_return_val_if_fail (KIOSK_IS_MAINT (self), NULL);
  return self->pin_message;
}

const char *
kiosk_maint_get_kiosk_id (KioskMaint *self)
{
  g_return_val_if_fail (KIOSK_IS_MAINT (self), NULL);
  return self->kiosk_id;
}

const char *
kiosk_maint_get_version (KioskMaint *self)
{
  return PACKAGE_VERSION;
}

void
_kiosk_maint_shutdown (KioskMaint *self)
{
  g_return_if_fail (KIOSK_IS_MAINT (self));
  if (self->state == KIOSK_MAINT_OPEN)
    leave (self, "shutdown");
  stop_tests (self);
  audit_flush (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->state = KIOSK_MAINT_OFF;
  self->core = NULL;
}

static void
kiosk_maint_dispose (GObject *object)
{
  KioskMaint *self = KIOSK_MAINT (object);

  if (self->core)
    _kiosk_maint_shutdown (self);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (kiosk_maint_parent_class)->dispose (object);
}

static void
kiosk_maint_finalize (GObject *object)
{
  KioskMaint *self = KIOSK_MAINT (object);

  g_free (self->kiosk_id);
  g_free (self->station);
  g_free (self->pin_hash);
  g_free (self->pin_message);
  g_queue_clear_full (&self->audit_queue, g_free);
  status_clear (&self->status);
  for (guint i = 0; i < KIOSK_MAINT_N_ACTIONS; i++)
    g_free (self->tests[i].result);
  G_OBJECT_CLASS (kiosk_maint_parent_class)->finalize (object);
}

static void
kiosk_maint_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskMaint *self = KIOSK_MAINT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_PIN_BUSY:
      g_value_set_boolean (value, self->pin_busy);
      break;
    case PROP_PIN_WAIT:
      g_value_set_int (value, self->pin_wait);
      break;
    case PROP_PIN_LOCKED:
      g_value_set_boolean (value, self->pin_locked);
      break;
    case PROP_PIN_MESSAGE:
      g_value_set_string (value, self->pin_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_maint_class_init (KioskMaintClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = kiosk_maint_dispose;
  object_class->finalize = kiosk_maint_finalize;
  object_class->get_property = kiosk_maint_get_property;
  properties[PROP_STATE]
      = g_param_spec_int ("state", NULL, NULL, KIOSK_MAINT_OFF, KIOSK_MAINT_OPEN, KIOSK_MAINT_OFF, ro);
  properties[PROP_PIN_BUSY] = g_param_spec_boolean ("pin-busy", NULL, NULL, FALSE, ro);
  properties[PROP_PIN_WAIT] = g_param_spec_int ("pin-wait", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_PIN_LOCKED] = g_param_spec_boolean ("pin-locked", NULL, NULL, FALSE, ro);
  properties[PROP_PIN_MESSAGE] = g_param_spec_string ("pin-message", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_STATUS_CHANGED] = g_signal_new ("status-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (int KioskMaintAction) */
  signals[SIGNAL_TEST_CHANGED] = g_signal_new ("test-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                               NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  /* (KioskCameraFrame *): the camera test's live picture */
  signals[SIGNAL_CAMERA_FRAME]
      = g_signal_new ("camera-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                      KIOSK_TYPE_CAMERA_FRAME | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
kiosk_maint_init (KioskMaint *self)
{
  self->cancellable = g_cancellable_new ();
}

KioskMaint *
_kiosk_maint_new (KioskCore *core)
{
  KioskMaint *self = g_object_new (KIOSK_TYPE_MAINT, NULL);
  KioskConfig *config = kiosk_core_get_config (core);
  g_autofree char *hash = kiosk_config_get_string (config, "maintenance", "pin-hash");

  self->core = core;
  self->kiosk_id = kiosk_config_get_string (config, "kiosk", "id");
  self->station = kiosk_config_get_string (config, "kiosk", "station");
  self->idle_seconds = kiosk_config_get_int (config, "maintenance", "idle-seconds");
  self->lockout_seconds = kiosk_config_get_int (config, "maintenance", "lockout-minutes") * 60;
  if (kiosk_pin_hash_is_valid (hash))
    self->pin_hash = g_steal_pointer (&hash);
  return self;
}
