/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-rating"

#include "config.h"

#include "kiosk-rating-store-sink.h"

#define KIOSK_TYPE_RATING_STORE_SINK (kiosk_rating_store_sink_get_type ())
G_DECLARE_FINAL_TYPE (KioskRatingStoreSink, kiosk_rating_store_sink, KIOSK, RATING_STORE_SINK, GObject)

struct _KioskRatingStoreSink {
  GObject parent_instance;
  KioskStore *store;
};

static void store_sink_iface_init (KioskRatingSinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KioskRatingStoreSink, kiosk_rating_store_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KIOSK_TYPE_RATING_SINK, store_sink_iface_init))

static void
enqueued_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  gint64 id = kiosk_store_enqueue_finish (KIOSK_STORE (source), result, &error);

  if (id <= 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_enqueue_async (KioskRatingSink *sink, const char *json, GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
  KioskRatingStoreSink *self = KIOSK_RATING_STORE_SINK (sink);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  kiosk_store_enqueue_async (self->store, "rating", json, cancellable, enqueued_cb, task);
}

static gboolean
store_enqueue_finish (KioskRatingSink *sink, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
store_sink_iface_init (KioskRatingSinkInterface *iface)
{
  iface->enqueue_async = store_enqueue_async;
  iface->enqueue_finish = store_enqueue_finish;
}

static void
kiosk_rating_store_sink_dispose (GObject *object)
{
  g_clear_object (&KIOSK_RATING_STORE_SINK (object)->store);
  G_OBJECT_CLASS (kiosk_rating_store_sink_parent_class)->dispose (object);
}

static void
kiosk_rating_store_sink_class_init (KioskRatingStoreSinkClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kiosk_rating_store_sink_dispose;
}

static void
kiosk_rating_store_sink_init (KioskRatingStoreSink *self)
{
}

KioskRatingSink *
kiosk_rating_store_sink_new (KioskStore *store)
{
  KioskRatingStoreSink *self = g_object_new (KIOSK_TYPE_RATING_STORE_SINK, NULL);
  self->store = g_object_ref (store);
  return KIOSK_RATING_SINK (self);
}
