/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kiosk-config.h"
#include "kiosk-device.h"
#include "print-document.h"
#include "print-ipp.h"
#include "print-ledger.h"
#include "print-sim.h"

G_BEGIN_DECLS

/* Creates the printer device with the backend chosen by [printer] backend:
 * "real" prints to [printer] uri (driverless IPP) or [printer] queue (CUPS);
 * "sim" starts a real ippeveprinter on a loopback port and prints to it
 * through the same libcups path. */
KioskDevice *kiosk_printer_device_new (KioskConfig *config, GError **error);

#define KIOSK_TYPE_PRINTER_DEVICE (kiosk_printer_device_get_type ())
G_DECLARE_FINAL_TYPE (KioskPrinterDevice, kiosk_printer_device, KIOSK, PRINTER_DEVICE, KioskDevice)

/* The print records of this device (in memory; each transition also goes to
 * the sink, normally the store's outbox). */
KioskPrintLedger *kiosk_printer_device_get_ledger (KioskPrinterDevice *self);
/* Sends every record transition to @sink (kiosk_store_enqueue_print_record
 * in the kiosk). Set it before the first print. */
void kiosk_printer_device_set_record_sink (KioskPrinterDevice *self, KioskPrintRecordSink sink, gpointer user_data,
                                           GDestroyNotify destroy);
/* The printer's URI or queue; for "sim" known once started. */
char *kiosk_printer_device_dup_target (KioskPrinterDevice *self);
KioskPaper kiosk_printer_device_get_paper (KioskPrinterDevice *self);
/* The simulator (backend "sim", once started), else NULL. For tests. */
KioskPrinterSim *kiosk_printer_device_get_sim (KioskPrinterDevice *self);
/* Asks the monitor thread to read the printer state now. */
void kiosk_printer_device_refresh (KioskPrinterDevice *self);

/* An explicit, audited reprint. */
typedef struct {
  const char *by;     /* who asked: staff id, "resident", ... (required) */
  const char *reason; /* why (required) */
} KioskReprint;

/* Prints @template_name with @data in a worker thread: creates the print
 * record, renders, checks the printer, submits, follows the job until the
 * printer says completed, aborted or cancelled. @document_id names the
 * document for duplicate control ("certificate:<ref>", "receipt:<case>");
 * NULL makes it a new document. A document already sent to the printer is
 * refused (KIOSK_PRINT_ERROR_ALREADY_PRINTED) unless @reprint is given.
 * The device must be started. */
void kiosk_printer_device_print_async (KioskPrinterDevice *self, const char *template_name, JsonObject *data,
                                       const char *document_id, const KioskReprint *reprint, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
/* TRUE when the printer confirmed the job completed. @record (may be NULL)
 * gets the final print record whenever one was created, also on failure. */
gboolean kiosk_printer_device_print_finish (KioskPrinterDevice *self, GAsyncResult *result, KioskPrintRecord **record,
                                            GError **error);
/* Blocking form for tools. */
gboolean kiosk_printer_device_print_sync (KioskPrinterDevice *self, const char *template_name, JsonObject *data,
                                          const char *document_id, const KioskReprint *reprint,
                                          GCancellable *cancellable, KioskPrintRecord **record, GError **error);

/* Reads the printer state (blocking). */
gboolean kiosk_printer_device_get_status_sync (KioskPrinterDevice *self, KioskPrinterStatus *status, GError **error);

/* A plain Chinese message for the resident for a print error. */
const char *kiosk_print_error_message (const GError *error);

G_END_DECLS
