/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the printer library and its CUPS module (print-cups.c) both need:
 * compiled into each; the error domain is one quark, by name. */
#define G_LOG_DOMAIN "kiosk-printer"

#include "config.h"

#include "print-document.h"
#include "print-ipp.h"

G_DEFINE_QUARK (kiosk - print - error - quark, kiosk_print_error)

void
kiosk_printer_status_clear (KioskPrinterStatus *status)
{
  g_clear_pointer (&status->reasons, g_strfreev);
  g_clear_pointer (&status->state_message, g_free);
  g_clear_pointer (&status->make_and_model, g_free);
  status->reachable = FALSE;
  status->printer_state = 0;
}
