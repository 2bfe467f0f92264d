/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-device.h"

G_BEGIN_DECLS

/* ---- The codec: printer-state and printer-state-reasons to a device state.
 * Pure (no I/O): a function of the IPP attribute values. */

#define KIOSK_IPP_PRINTER_IDLE 3
#define KIOSK_IPP_PRINTER_PROCESSING 4
#define KIOSK_IPP_PRINTER_STOPPED 5

/* Maps @printer_state (3/4/5, or 0 when unknown) and @reasons (the
 * printer-state-reasons keywords as sent, with or without their -error,
 * -warning or -report suffix; NULL-terminated, may be NULL) to a device state.
 * @reason_out (technician, English, may be NULL) lists the reasons that
 * matter; @message_out (may be NULL) gets the plain Chinese message for the
 * resident, or NULL when there is nothing to tell. */
KioskDeviceState kiosk_printer_classify (int printer_state, const char *const *reasons, char **reason_out,
                                         const char **message_out);

/* The same, with @msgid_out the untranslated message (for
 * kiosk_device_set_state(), which translates when the message is read). */
KioskDeviceState kiosk_printer_classify_msgid (int printer_state, const char *const *reasons, char **reason_out,
                                               const char **msgid_out);

/* The resident's message when the printer does not answer at all
 * (translated, and untranslated). */
const char *kiosk_printer_unreachable_message (void);
const char *kiosk_printer_unreachable_msgid (void);

/* IPP job states (RFC 8011): 3 pending .. 9 completed. */
typedef enum {
  KIOSK_JOB_PENDING = 3,
  KIOSK_JOB_HELD = 4,
  KIOSK_JOB_PROCESSING = 5,
  KIOSK_JOB_STOPPED = 6,
  KIOSK_JOB_CANCELED = 7,
  KIOSK_JOB_ABORTED = 8,
  KIOSK_JOB_COMPLETED = 9,
} KioskJobState;

const char *kiosk_job_state_to_string (int state);
gboolean kiosk_job_state_is_final (int state);

/* ---- The transport: libcups (blocking; call from worker threads). ------- */

typedef struct {
  gboolean reachable;
  int printer_state;    /* 3/4/5 */
  char **reasons;       /* printer-state-reasons */
  char *state_message;  /* printer-state-message */
  char *make_and_model; /* printer-make-and-model */
} KioskPrinterStatus;

void kiosk_printer_status_clear (KioskPrinterStatus *status);

typedef struct _KioskIppPrinter KioskIppPrinter;

/* @target: an ipp:// or ipps:// URI (driverless IPP Everywhere), or a CUPS
 * queue name. @timeout_ms bounds each connection attempt. */
KioskIppPrinter *kiosk_ipp_printer_new (const char *target, int timeout_ms, GError **error);
void kiosk_ipp_printer_free (KioskIppPrinter *self);
const char *kiosk_ipp_printer_get_uri (KioskIppPrinter *self);

/* Get-Printer-Attributes. FALSE with KIOSK_PRINT_ERROR_UNREACHABLE when the
 * printer does not answer (@status->reachable is FALSE then). */
gboolean kiosk_ipp_printer_get_status (KioskIppPrinter *self, KioskPrinterStatus *status, GError **error);
/* Create-Job + Send-Document of @pdf; returns the job id (> 0), or 0 with
 * UNREACHABLE (nothing was sent) or REFUSED (the printer answered no). */
int kiosk_ipp_printer_submit (KioskIppPrinter *self, GBytes *pdf, const char *job_name, GError **error);
/* Get-Job-Attributes: the job state, or 0 with UNREACHABLE. @reasons_out
 * (may be NULL) gets job-state-reasons joined by commas. */
int kiosk_ipp_printer_get_job_state (KioskIppPrinter *self, int job_id, char **reasons_out, GError **error);
/* Cancel-Job (best effort). */
gboolean kiosk_ipp_printer_cancel_job (KioskIppPrinter *self, int job_id, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskIppPrinter, kiosk_ipp_printer_free)

/* A printer found by kiosk_ipp_list_destinations(). */
typedef struct {
  char *name;
  char *uri;            /* printer-uri-supported or device-uri; may be NULL */
  char *make_and_model; /* may be NULL */
  gboolean discovered;  /* found by DNS-SD on the link (driverless IPP), not a CUPS queue */
} KioskIppDestination;

void kiosk_ipp_destination_free (KioskIppDestination *dest);
/* The queues the local CUPS has and the driverless IPP printers DNS-SD
 * finds on the link, searching at most @timeout_ms (kioskctl doctor).
 * Blocking. An empty array when there is none (or no scheduler); NULL with
 * UNREACHABLE only when printer support cannot be loaded. */
GPtrArray *kiosk_ipp_list_destinations (int timeout_ms, GError **error);

/* The transport lives in the kiosk module "kiosk-cups" (print-cups.c,
 * app/kiosk-module.h); the functions above forward to its table, and
 * kiosk_ipp_printer_new() loads it (UNREACHABLE, naming the file, when it
 * cannot). */
#define KIOSK_IPP_MODULE "drivers/printer/kiosk-cups"
#define KIOSK_IPP_MODULE_SYMBOL "kiosk_ipp_module"
#define KIOSK_IPP_API_VERSION 2

typedef struct {
  int version; /* KIOSK_IPP_API_VERSION */
  KioskIppPrinter *(*printer_new) (const char *target, int timeout_ms, GError **error);
  void (*printer_free) (KioskIppPrinter *self);
  const char *(*printer_get_uri) (KioskIppPrinter *self);
  gboolean (*printer_get_status) (KioskIppPrinter *self, KioskPrinterStatus *status, GError **error);
  int (*printer_submit) (KioskIppPrinter *self, GBytes *pdf, const char *job_name, GError **error);
  int (*printer_get_job_state) (KioskIppPrinter *self, int job_id, char **reasons_out, GError **error);
  gboolean (*printer_cancel_job) (KioskIppPrinter *self, int job_id, GError **error);
  GPtrArray *(*list_destinations) (int timeout_ms); /* since version 2 */
} KioskIppApi;

G_END_DECLS
