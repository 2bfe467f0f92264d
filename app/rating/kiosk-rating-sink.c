/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-rating"

#include "config.h"

#include "kiosk-rating-sink.h"

G_DEFINE_INTERFACE (KioskRatingSink, kiosk_rating_sink, G_TYPE_OBJECT)

static void
kiosk_rating_sink_default_init (KioskRatingSinkInterface *iface)
{
}

void
kiosk_rating_sink_enqueue_async (KioskRatingSink *self, const char *json, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (KIOSK_IS_RATING_SINK (self));
  KIOSK_RATING_SINK_GET_IFACE (self)->enqueue_async (self, json, cancellable, callback, user_data);
}

gboolean
kiosk_rating_sink_enqueue_finish (KioskRatingSink *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_RATING_SINK (self), FALSE);
  return KIOSK_RATING_SINK_GET_IFACE (self)->enqueue_finish (self, result, error);
}

static KioskRatingSink *default_sink;

void
kiosk_rating_sink_set_default (KioskRatingSink *sink)
{
  g_set_object (&default_sink, sink);
}

KioskRatingSink *
kiosk_rating_sink_get_default (void)
{
  return default_sink;
}

/* ---- memory sink -------------------------------------------------------- */

struct _KioskRatingMemorySink {
  GObject parent_instance;
  GPtrArray *items;
  gboolean failing;
};

static void memory_sink_iface_init (KioskRatingSinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KioskRatingMemorySink, kiosk_rating_memory_sink, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KIOSK_TYPE_RATING_SINK, memory_sink_iface_init))

static void
memory_enqueue_async (KioskRatingSink *sink, const char *json, GCancellable *cancellable, GAsyncReadyCallback callback,
                      gpointer user_data)
{
  KioskRatingMemorySink *self = KIOSK_RATING_MEMORY_SINK (sink);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  if (self->failing)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "memory sink told to fail (disk full)");
      return;
    }
  g_ptr_array_add (self->items, g_strdup (json));
  g_task_return_boolean (task, TRUE);
}

static gboolean
memory_enqueue_finish (KioskRatingSink *sink, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
memory_sink_iface_init (KioskRatingSinkInterface *iface)
{
  iface->enqueue_async = memory_enqueue_async;
  iface->enqueue_finish = memory_enqueue_finish;
}

static void
kiosk_rating_memory_sink_finalize (GObject *object)
{
  g_ptr_array_unref (KIOSK_RATING_MEMORY_SINK (object)->items);
  G_OBJECT_CLASS (kiosk_rating_memory_sink_parent_class)->finalize (object);
}

static void
kiosk_rating_memory_sink_class_init (KioskRatingMemorySinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_rating_memory_sink_finalize;
}

static void
kiosk_rating_memory_sink_init (KioskRatingMemorySink *self)
{
  self->items = g_ptr_array_new_with_free_func (g_free);
}

KioskRatingMemorySink *
kiosk_rating_memory_sink_new (void)
{
  return g_object_new (KIOSK_TYPE_RATING_MEMORY_SINK, NULL);
}

GPtrArray *
kiosk_rating_memory_sink_get_items (KioskRatingMemorySink *self)
{
  return self->items;
}

void
kiosk_rating_memory_sink_set_failing (KioskRatingMemorySink *self, gboolean failing)
{
  self->failing = failing;
}
