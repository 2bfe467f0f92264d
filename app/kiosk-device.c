/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-device"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-device.h"

typedef struct {
  char *kind;
  char *backend;
  KioskDeviceState state;
  char *reason;
  char *message;
  GMainContext *context;
  gboolean started;
} KioskDevicePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (KioskDevice, kiosk_device, G_TYPE_OBJECT)

enum { PROP_0, PROP_KIND, PROP_BACKEND, PROP_STATE, PROP_REASON, PROP_MESSAGE, N_PROPS };

static GParamSpec *properties[N_PROPS];

const char *
kiosk_device_state_to_string (KioskDeviceState state)
{
  switch (state)
    {
    case KIOSK_DEVICE_STATE_ABSENT:
      return "absent";
    case KIOSK_DEVICE_STATE_READY:
      return "ready";
    case KIOSK_DEVICE_STATE_BUSY:
      return "busy";
    case KIOSK_DEVICE_STATE_ERROR:
      return "error";
    default:
      return "unknown";
    }
}

static void
kiosk_device_finalize (GObject *object)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (KIOSK_DEVICE (object));

  g_free (priv->kind);
  g_free (priv->backend);
  g_free (priv->reason);
  g_free (priv->message);
  g_main_context_unref (priv->context);
  G_OBJECT_CLASS (kiosk_device_parent_class)->finalize (object);
}

static void
kiosk_device_dispose (GObject *object)
{
  KioskDevice *self = KIOSK_DEVICE (object);
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (self);

  if (priv->started)
    kiosk_device_stop (self);
  G_OBJECT_CLASS (kiosk_device_parent_class)->dispose (object);
}

static void
kiosk_device_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (KIOSK_DEVICE (object));

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, priv->kind);
      break;
    case PROP_BACKEND:
      g_value_set_string (value, priv->backend);
      break;
    case PROP_STATE:
      g_value_set_int (value, priv->state);
      break;
    case PROP_REASON:
      g_value_set_string (value, priv->reason);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, priv->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_device_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (KIOSK_DEVICE (object));

  switch (prop_id)
    {
    case PROP_KIND:
      priv->kind = g_value_dup_string (value);
      break;
    case PROP_BACKEND:
      priv->backend = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_device_class_init (KioskDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_device_finalize;
  object_class->dispose = kiosk_device_dispose;
  object_class->get_property = kiosk_device_get_property;
  object_class->set_property = kiosk_device_set_property;

  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL,
                                               G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BACKEND] = g_param_spec_string ("backend", NULL, NULL, NULL,
                                                  G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, KIOSK_DEVICE_STATE_ABSENT, KIOSK_DEVICE_STATE_ERROR,
                                             KIOSK_DEVICE_STATE_ABSENT,
                                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_device_init (KioskDevice *self)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (self);

  priv->state = KIOSK_DEVICE_STATE_ABSENT;
  priv->reason = g_strdup ("not started");
  priv->context = g_main_context_ref_thread_default ();
}

const char *
kiosk_device_get_kind (KioskDevice *self)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (self);
  return priv->kind;
}

const char *
kiosk_device_get_backend (KioskDevice *self)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (self);
  return priv->backend;
}

KioskDeviceState
kiosk_device_get_state (KioskDevice *self)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (self);
  return priv->state;
}

const char *
kiosk_device_get_reason (KioskDevice *self)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (self);
  return priv->reason;
}

const char *
kiosk_device_get_message (KioskDevice *self)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (self);
  /* Kept untranslated: the resident may switch languages at any time. */
  return priv->message != NULL ? g_dgettext (GETTEXT_PACKAGE, priv->message) : NULL;
}

GMainContext *
kiosk_device_get_context (KioskDevice *self)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (self);
  return priv->context;
}

void
kiosk_device_start (KioskDevice *self)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (self);

  g_return_if_fail (KIOSK_IS_DEVICE (self));
  if (priv->started)
    return;
  priv->started = TRUE;
  if (KIOSK_DEVICE_GET_CLASS (self)->start)
    KIOSK_DEVICE_GET_CLASS (self)->start (self);
}

void
kiosk_device_stop (KioskDevice *self)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (self);

  g_return_if_fail (KIOSK_IS_DEVICE (self));
  if (!priv->started)
    return;
  priv->started = FALSE;
  if (KIOSK_DEVICE_GET_CLASS (self)->stop)
    KIOSK_DEVICE_GET_CLASS (self)->stop (self);
}

typedef struct {
  KioskDevice *device;
  KioskDeviceState state;
  char *reason;
  char *message;
} StateChange;

static void
state_change_free (gpointer data)
{
  StateChange *c = data;
  g_object_unref (c->device);
  g_free (c->reason);
  g_free (c->message);
  g_free (c);
}

static gboolean
apply_state_cb (gpointer data)
{
  StateChange *c = data;
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (c->device);
  gboolean changed_state = priv->state != c->state;
  gboolean changed_reason = g_strcmp0 (priv->reason, c->reason) != 0;
  gboolean changed_message = g_strcmp0 (priv->message, c->message) != 0;

  if (!changed_state && !changed_reason && !changed_message)
    return G_SOURCE_REMOVE;

  if (changed_state || changed_reason)
    g_log_structured (G_LOG_DOMAIN, c->state == KIOSK_DEVICE_STATE_ERROR ? G_LOG_LEVEL_WARNING : G_LOG_LEVEL_INFO,
                      "DEVICE_KIND", priv->kind, "DEVICE_STATE", kiosk_device_state_to_string (c->state), "MESSAGE",
                      "%s (%s): %s -> %s: %s", priv->kind, priv->backend, kiosk_device_state_to_string (priv->state),
                      kiosk_device_state_to_string (c->state), c->reason ? c->reason : "");

  priv->state = c->state;
  g_free (priv->reason);
  priv->reason = g_strdup (c->reason);
  g_free (priv->message);
  priv->message = g_strdup (c->message);

  g_object_freeze_notify (G_OBJECT (c->device));
  if (changed_reason)
    g_object_notify_by_pspec (G_OBJECT (c->device), properties[PROP_REASON]);
  if (changed_message)
    g_object_notify_by_pspec (G_OBJECT (c->device), properties[PROP_MESSAGE]);
  if (changed_state)
    g_object_notify_by_pspec (G_OBJECT (c->device), properties[PROP_STATE]);
  g_object_thaw_notify (G_OBJECT (c->device));
  return G_SOURCE_REMOVE;
}

void
kiosk_device_set_state (KioskDevice *self, KioskDeviceState state, const char *reason, const char *message)
{
  StateChange *c;

  g_return_if_fail (KIOSK_IS_DEVICE (self));
  c = g_new0 (StateChange, 1);
  c->device = g_object_ref (self);
  c->state = state;
  c->reason = g_strdup (reason);
  c->message = g_strdup (message);
  kiosk_device_invoke (self, apply_state_cb, c, state_change_free);
}

void
kiosk_device_invoke (KioskDevice *self, GSourceFunc func, gpointer data, GDestroyNotify notify)
{
  KioskDevicePrivate *priv = kiosk_device_get_instance_private (self);
  GSource *source;

  /* Directly only on the thread that runs the device's context. Not
   * g_main_context_invoke(): while nobody owns the context (before the loop
   * runs) it would call @func right here, on the worker thread. */
  if (g_main_context_is_owner (priv->context))
    {
      func (data);
      if (notify)
        notify (data);
      return;
    }
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, "[kiosk] device event");
  g_source_attach (source, priv->context);
  g_source_unref (source);
}

static void
probe_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  KioskDevice *self = source;
  GError *error = NULL;
  char *result;

  if (KIOSK_DEVICE_GET_CLASS (self)->probe == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s (%s): this backend cannot be probed",
                               kiosk_device_get_kind (self), kiosk_device_get_backend (self));
      return;
    }
  result = KIOSK_DEVICE_GET_CLASS (self)->probe (self, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, g_free);
}

void
kiosk_device_probe_async (KioskDevice *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_device_probe_async);
  g_task_run_in_thread (task, probe_thread);
}

char *
kiosk_device_probe_finish (KioskDevice *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
kiosk_device_probe_sync (KioskDevice *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, NULL, NULL);
  g_task_run_in_thread_sync (task, probe_thread);
  return g_task_propagate_pointer (task, error);
}

/* ---- the null device ---------------------------------------------------- */

#define KIOSK_TYPE_NULL_DEVICE (kiosk_null_device_get_type ())
G_DECLARE_FINAL_TYPE (KioskNullDevice, kiosk_null_device, KIOSK, NULL_DEVICE, KioskDevice)

struct _KioskNullDevice {
  KioskDevice parent_instance;
  KioskDeviceState initial_state;
  char *initial_reason;
};

G_DEFINE_FINAL_TYPE (KioskNullDevice, kiosk_null_device, KIOSK_TYPE_DEVICE)

static void
null_device_start (KioskDevice *device)
{
  KioskNullDevice *self = KIOSK_NULL_DEVICE (device);
  kiosk_device_set_state (device, self->initial_state, self->initial_reason, NULL);
}

static char *
null_device_probe (KioskDevice *device, GCancellable *cancellable, GError **error)
{
  KioskNullDevice *self = KIOSK_NULL_DEVICE (device);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s", self->initial_reason);
  return NULL;
}

static void
null_device_finalize (GObject *object)
{
  g_free (KIOSK_NULL_DEVICE (object)->initial_reason);
  G_OBJECT_CLASS (kiosk_null_device_parent_class)->finalize (object);
}

static void
kiosk_null_device_class_init (KioskNullDeviceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = null_device_finalize;
  KIOSK_DEVICE_CLASS (klass)->start = null_device_start;
  KIOSK_DEVICE_CLASS (klass)->probe = null_device_probe;
}

static void
kiosk_null_device_init (KioskNullDevice *self)
{
}

KioskDevice *
kiosk_null_device_new (const char *kind, const char *backend, KioskDeviceState state, const char *reason)
{
  KioskNullDevice *self = g_object_new (KIOSK_TYPE_NULL_DEVICE, "kind", kind, "backend", backend, NULL);
  self->initial_state = state;
  self->initial_reason = g_strdup (reason);
  return KIOSK_DEVICE (self);
}
