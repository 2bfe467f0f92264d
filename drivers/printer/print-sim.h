/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The printer simulator: a real IPP Everywhere printer (ippeveprinter from
 * cups-ipp-utils) on a free loopback port, with the private D-Bus system bus
 * it needs, printed to through the same libcups path as a real printer.
 * It accepts PDF and keeps every document it receives in its spool folder.
 * The children die with the thread that started them (PR_SET_PDEATHSIG), so
 * a crashed test leaves nothing behind; start it from a long-lived thread. */

typedef struct {
  const char *name;       /* printer name; NULL: "KioskSim" */
  const char *spool_dir;  /* NULL: a new temporary folder, removed at the end */
  const char *command;    /* ippeveprinter -c print command; NULL: true (jobs complete at once) */
  const char *const *env; /* extra KEY=VALUE for ippeveprinter and its command */
} KioskPrinterSimOptions;

typedef struct _KioskPrinterSim KioskPrinterSim;

KioskPrinterSim *kiosk_printer_sim_start (const KioskPrinterSimOptions *options, GError **error);
const char *kiosk_printer_sim_get_uri (KioskPrinterSim *self);
int kiosk_printer_sim_get_port (KioskPrinterSim *self);
const char *kiosk_printer_sim_get_spool_dir (KioskPrinterSim *self);
GPid kiosk_printer_sim_get_pid (KioskPrinterSim *self);
/* The received documents (absolute paths of *.pdf in the spool), sorted. */
GPtrArray *kiosk_printer_sim_list_received (KioskPrinterSim *self);
/* Kills the printer at once (SIGKILL), as a power cut would (fault tests);
 * the bus stays until kiosk_printer_sim_free(). */
void kiosk_printer_sim_kill (KioskPrinterSim *self);
/* Stops both processes, waits for them, removes a temporary spool. */
void kiosk_printer_sim_free (KioskPrinterSim *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskPrinterSim, kiosk_printer_sim_free)

G_END_DECLS
