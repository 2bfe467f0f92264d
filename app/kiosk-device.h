/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-config.h"

G_BEGIN_DECLS

/* A device the kiosk talks to (idcard, camera, pad, printer). Each kind has
 * backends ("real", "sim") chosen in the configuration file. A device does
 * its blocking work on its own thread or through async I/O, and reports on
 * the GLib main context it was created on: state changes and the events of
 * its subclass (e.g. the ID card reader's "identity") are always emitted
 * there, never from a worker thread. */

typedef enum {
  KIOSK_DEVICE_STATE_ABSENT, /* not connected / not found */
  KIOSK_DEVICE_STATE_READY,  /* working */
  KIOSK_DEVICE_STATE_BUSY,   /* working on a request (reading, printing) */
  KIOSK_DEVICE_STATE_ERROR,  /* present but failing; see reason */
} KioskDeviceState;

const char *kiosk_device_state_to_string (KioskDeviceState state);

#define KIOSK_TYPE_DEVICE (kiosk_device_get_type ())
G_DECLARE_DERIVABLE_TYPE (KioskDevice, kiosk_device, KIOSK, DEVICE, GObject)

struct _KioskDeviceClass {
  GObjectClass parent_class;

  /* Starts the device's work (threads, polling); must not block. */
  void (*start) (KioskDevice *self);
  /* Stops it; blocks until worker threads have ended. */
  void (*stop) (KioskDevice *self);
  /* Checks that the device answers; may block: called from a worker thread
   * by kiosk_device_probe_async() (kioskctl doctor). Returns a one-line
   * description for the technician on success. */
  char *(*probe) (KioskDevice *self, GCancellable *cancellable, GError **error);

  gpointer padding[8];
};

const char *kiosk_device_get_kind (KioskDevice *self);
const char *kiosk_device_get_backend (KioskDevice *self);
KioskDeviceState kiosk_device_get_state (KioskDevice *self);
/* For the technician's log and kioskctl: precise, never personal data. */
const char *kiosk_device_get_reason (KioskDevice *self);
/* For the resident, in the language the kiosk shows now (translated when
 * read, so it follows the 中文/English switch); may be NULL when ready. */
const char *kiosk_device_get_message (KioskDevice *self);

void kiosk_device_start (KioskDevice *self);
void kiosk_device_stop (KioskDevice *self);

void kiosk_device_probe_async (KioskDevice *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                               gpointer user_data);
char *kiosk_device_probe_finish (KioskDevice *self, GAsyncResult *result, GError **error);
/* Blocking convenience for command-line tools. */
char *kiosk_device_probe_sync (KioskDevice *self, GCancellable *cancellable, GError **error);

/* For subclasses. Thread-safe: called from a worker thread, the change is
 * applied and notified on the device's main context. Logs the transition
 * with @reason in the device's log domain. @message is the untranslated
 * message (N_("...")): kiosk_device_get_message() translates it. */
void kiosk_device_set_state (KioskDevice *self, KioskDeviceState state, const char *reason, const char *message);
GMainContext *kiosk_device_get_context (KioskDevice *self);
/* Runs @func on the device's main context: at once when called on the thread
 * that owns that context, otherwise from an idle source there. */
void kiosk_device_invoke (KioskDevice *self, GSourceFunc func, gpointer data, GDestroyNotify notify);

/* A device that does nothing and says why: used for a kind whose backend is
 * not built, or "none". */
KioskDevice *kiosk_null_device_new (const char *kind, const char *backend, KioskDeviceState state, const char *reason);

G_END_DECLS
