/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Where recorded ratings go: the store's outbox (kiosk-rating-store-sink.h)
 * in the kiosk, a memory sink in tests. A sink takes the JSON payload of one
 * rating (kind "rating"); once the async call succeeds it is durable. */

#define KIOSK_TYPE_RATING_SINK (kiosk_rating_sink_get_type ())
G_DECLARE_INTERFACE (KioskRatingSink, kiosk_rating_sink, KIOSK, RATING_SINK, GObject)

struct _KioskRatingSinkInterface {
  GTypeInterface g_iface;

  void (*enqueue_async) (KioskRatingSink *self, const char *json, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data);
  gboolean (*enqueue_finish) (KioskRatingSink *self, GAsyncResult *result, GError **error);
};

void kiosk_rating_sink_enqueue_async (KioskRatingSink *self, const char *json, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
gboolean kiosk_rating_sink_enqueue_finish (KioskRatingSink *self, GAsyncResult *result, GError **error);

/* The sink the kiosk uses when nobody set one on a flow: the application
 * core sets it once it has opened the store. NULL until then. */
void kiosk_rating_sink_set_default (KioskRatingSink *sink);
KioskRatingSink *kiosk_rating_sink_get_default (void);

/* A sink that keeps payloads in memory (tests, demo). It can be told to fail
 * like a full disk. */
#define KIOSK_TYPE_RATING_MEMORY_SINK (kiosk_rating_memory_sink_get_type ())
G_DECLARE_FINAL_TYPE (KioskRatingMemorySink, kiosk_rating_memory_sink, KIOSK, RATING_MEMORY_SINK, GObject)

KioskRatingMemorySink *kiosk_rating_memory_sink_new (void);
/* The payloads accepted so far, oldest first. */
GPtrArray *kiosk_rating_memory_sink_get_items (KioskRatingMemorySink *self);
void kiosk_rating_memory_sink_set_failing (KioskRatingMemorySink *self, gboolean failing);

G_END_DECLS
