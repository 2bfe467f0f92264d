/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <gio/gio.h>

#include "kiosk-platform-adapter.h"
#include "platform-storage.h"

G_BEGIN_DECLS

/* Forwarding to the province (issue #18 point 2): the cases, ratings and
 * print records a station platform stored are posted on to the provincial
 * platform, each exactly once, with the kiosk's own rules: an idempotency
 * key that stays the same on every retry, attachments resumed at the offset
 * the province holds, exponential backoff with equal jitter and Retry-After
 * for what did not get through, a refusal (4xx) set aside with its reason.
 *
 * The seam is the kiosk's KioskPlatformAdapter (kiosk-platform-adapter.h):
 * a province speaking another protocol gets another adapter; the reference
 * one is the kiosk's HTTP adapter, which speaks docs/platform-api.md to a
 * second kiosk-platform.
 *
 * What is forwarded and how far each item got lives in the database (the
 * forward_* columns of cases and records; forward_claim leases a batch), so
 * several receivers on one database may all forward: a leased item is left
 * to its receiver until the lease ends (a receiver killed mid-way gives its
 * items back that way), and the province's idempotency keys make a second
 * post after a lost answer harmless.
 *
 * Storage runs on the main loop; the adapter's blocking calls run on the
 * forwarder's own thread (the adapter belongs to it). */

typedef struct {
  const char *url;        /* the province's platform root */
  const char *station_id; /* this platform's name to the province (X-Kiosk-Id), in the keys */
  gboolean allow_http;
  const char *ca_file;
  const char *client_cert;
  const char *client_key;
  int timeout_seconds;
  guint interval_ms; /* how often due items are looked for (default 1000) */
  guint base_ms;     /* backoff: first delay (default 2000) */
  guint max_ms;      /* backoff: longest delay (default 300000) */
  int lease_seconds; /* how long a claimed item is this receiver's (default 120) */
  int batch;         /* items claimed at once (default 8) */
} PlatformForwardOptions;

typedef struct _PlatformForwarder PlatformForwarder;

/* The key under which an item is posted to the province: the same for
 * every attempt from any receiver, distinct between stations. */
char *platform_forward_key (const char *station_id, const char *table, gint64 id);

/* The command line's --forward-* options, filling @options (its strings
 * live as long as the process). Forwarding is on when --forward-to is
 * given. */
GOptionGroup *platform_forward_option_group (PlatformForwardOptions *options);

/* Starts forwarding on the thread-default main context. */
PlatformForwarder *platform_forwarder_new (PlatformStorage *storage, const PlatformForwardOptions *options,
                                           GError **error);
void platform_forwarder_free (PlatformForwarder *self);

G_END_DECLS
