/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "print-document.h"
#include "kiosk-module.h"
#include "print-ipp.h"

/* ---- codec ---------------------------------------------------------------- */

typedef enum {
  SEV_INFO,
  SEV_WARNING, /* the printer still prints: technician only */
  SEV_ERROR,   /* stops printing: the resident is told */
  SEV_OFFLINE, /* the printer is not there */
} Severity;

static const struct {
  const char *keyword;
  Severity severity;
  const char *message; /* msgid, NULL for none */
} reason_table[] = {
  { "offline", SEV_OFFLINE, N_ ("The printer is offline. Please contact the staff.") },
  { "shutdown", SEV_OFFLINE, N_ ("The printer is offline. Please contact the staff.") },
  { "connecting-to-device", SEV_OFFLINE, N_ ("The printer is offline. Please contact the staff.") },
  { "timed-out", SEV_OFFLINE, N_ ("The printer is offline. Please contact the staff.") },
  { "media-empty", SEV_ERROR, N_ ("The printer is out of paper. Please contact the staff.") },
  { "media-needed", SEV_ERROR, N_ ("The printer is out of paper. Please contact the staff.") },
  { "media-jam", SEV_ERROR, N_ ("The printer has a paper jam. Please contact the staff.") },
  { "door-open", SEV_ERROR, N_ ("A printer cover is open. Please contact the staff.") },
  { "cover-open", SEV_ERROR, N_ ("A printer cover is open. Please contact the staff.") },
  { "interlock-open", SEV_ERROR, N_ ("A printer cover is open. Please contact the staff.") },
  { "toner-empty", SEV_ERROR, N_ ("The printer is out of toner. Please contact the staff.") },
  { "marker-supply-empty", SEV_ERROR, N_ ("The printer is out of toner. Please contact the staff.") },
  { "marker-waste-full", SEV_ERROR, N_ ("The printer needs maintenance. Please contact the staff.") },
  { "input-tray-missing", SEV_ERROR, N_ ("The printer's paper tray is missing. Please contact the staff.") },
  { "output-tray-missing", SEV_ERROR, N_ ("The printer's paper tray is missing. Please contact the staff.") },
  { "output-area-full", SEV_ERROR, N_ ("The printer's output tray is full. Please take your documents.") },
  { "spool-area-full", SEV_ERROR, N_ ("The printer is busy. Please try again later.") },
  { "paused", SEV_ERROR, N_ ("The printer is paused. Please contact the staff.") },
  { "moving-to-paused", SEV_ERROR, N_ ("The printer is paused. Please contact the staff.") },
  { "fuser-over-temp", SEV_ERROR, N_ ("The printer has a fault. Please contact the staff.") },
  { "fuser-under-temp", SEV_WARNING, NULL },
  { "toner-low", SEV_WARNING, NULL },
  { "marker-supply-low", SEV_WARNING, NULL },
  { "marker-waste-almost-full", SEV_WARNING, NULL },
  { "media-low", SEV_WARNING, NULL },
  { "developer-low", SEV_WARNING, NULL },
  { "opc-near-eol", SEV_WARNING, NULL },
  { "identify-printer-requested", SEV_INFO, NULL },
  { "cups-waiting-for-job-completed", SEV_INFO, NULL },
  { "none", SEV_INFO, NULL },
};

/* Splits "media-jam-error" into "media-jam" and "error". */
static char *
split_suffix (const char *keyword, const char **suffix)
{
  static const char *const suffixes[] = { "-error", "-warning", "-report" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (keyword, suffixes[i]))
      {
        *suffix = suffixes[i] + 1;
        return g_strndup (keyword, strlen (keyword) - strlen (suffixes[i]));
      }
  *suffix = NULL;
  return g_strdup (keyword);
}

KioskDeviceState
kiosk_printer_classify (int printer_state, const char *const *reasons, char **reason_out, const char **message_out)
{
  KioskDeviceState state = kiosk_printer_classify_msgid (printer_state, reasons, reason_out, message_out);

  if (message_out && *message_out)
    *message_out = _ (*message_out);
  return state;
}

KioskDeviceState
kiosk_printer_classify_msgid (int printer_state, const char *const *reasons, char **reason_out, const char **msgid_out)
{
  Severity worst = SEV_INFO;
  const char *message = NULL;
  g_autoptr (GString) why = g_string_new (NULL);
  KioskDeviceState state;

  for (gsize i = 0; reasons && reasons[i]; i++)
    {
      const char *suffix;
      g_autofree char *base = split_suffix (reasons[i], &suffix);
      Severity sev = SEV_INFO;
      const char *msg = NULL;
      gboolean known = FALSE;

      for (gsize k = 0; k < G_N_ELEMENTS (reason_table); k++)
        if (g_str_equal (base, reason_table[k].keyword))
          {
            sev = reason_table[k].severity;
            msg = reason_table[k].message;
            known = TRUE;
            break;
          }
      if (!known)
        {
          /* An unknown condition the printer itself calls an error stops us;
           * anything else is for the technician only. */
          if (g_strcmp0 (suffix, "error") == 0)
            {
              sev = SEV_ERROR;
              msg = N_ ("The printer has a fault. Please contact the staff.");
            }
          else
            sev = SEV_WARNING;
        }
      /* "-warning" says the printer still works. ("-report" is kept at the
       * keyword's own severity: ippeveprinter reports every condition its
       * print command raises that way, media-empty included.) */
      if (g_strcmp0 (suffix, "warning") == 0 && sev == SEV_ERROR)
        {
          sev = SEV_WARNING;
          msg = NULL;
        }
      if (sev == SEV_INFO)
        continue;
      if (why->len)
        g_string_append (why, ", ");
      g_string_append (why, reasons[i]);
      if (sev > worst)
        {
          worst = sev;
          message = msg;
        }
    }

  if (worst < SEV_ERROR && printer_state == KIOSK_IPP_PRINTER_STOPPED)
    {
      worst = SEV_ERROR;
      message = N_ ("The printer has a fault. Please contact the staff.");
      if (why->len)
        g_string_append (why, ", ");
      g_string_append (why, "printer-state stopped");
    }

  switch (worst)
    {
    case SEV_OFFLINE:
      state = KIOSK_DEVICE_STATE_ABSENT;
      break;
    case SEV_ERROR:
      state = KIOSK_DEVICE_STATE_ERROR;
      break;
    default:
      state = printer_state == KIOSK_IPP_PRINTER_PROCESSING ? KIOSK_DEVICE_STATE_BUSY : KIOSK_DEVICE_STATE_READY;
      break;
    }
  if (reason_out)
    {
      const char *s = printer_state == 3   ? "idle"
                      : printer_state == 4 ? "processing"
                      : printer_state == 5 ? "stopped"
                                           : "unknown";
      *reason_out = why->len ? g_strdup_printf ("printer %s: %s", s, why->str) : g_strdup_printf ("printer %s", s);
    }
  if (msgid_out)
    *msgid_out = message;
  return state;
}

const char *
kiosk_printer_unreachable_msgid (void)
{
  return N_ ("The printer is offline. Please contact the staff.");
}

const char *
kiosk_printer_unreachable_message (void)
{
  return _ (kiosk_printer_unreachable_msgid ());
}

const char *
kiosk_job_state_to_string (int state)
{
  switch (state)
    {
    case KIOSK_JOB_PENDING:
      return "pending";
    case KIOSK_JOB_HELD:
      return "held";
    case KIOSK_JOB_PROCESSING:
      return "processing";
    case KIOSK_JOB_STOPPED:
      return "stopped";
    case KIOSK_JOB_CANCELED:
      return "canceled";
    case KIOSK_JOB_ABORTED:
      return "aborted";
    case KIOSK_JOB_COMPLETED:
      return "completed";
    default:
      return "unknown";
    }
}

gboolean
kiosk_job_state_is_final (int state)
{
  return state >= KIOSK_JOB_CANCELED;
}

/* ---- transport: forwarded to the kiosk-cups module -------------------------- */

static const KioskIppApi *
ipp_api (GError **error)
{
  g_autoptr (GError) local = NULL;
  const KioskIppApi *api
      = kiosk_module_lookup (KIOSK_IPP_MODULE, KIOSK_IPP_MODULE_SYMBOL, KIOSK_IPP_API_VERSION, &local);

  if (api == NULL)
    g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE, "no printer support: %s", local->message);
  return api;
}

/* Every function but kiosk_ipp_printer_new() takes a printer that only the
 * loaded module can have made. */
#define API() (ipp_api (NULL))

KioskIppPrinter *
kiosk_ipp_printer_new (const char *target, int timeout_ms, GError **error)
{
  const KioskIppApi *api;

  if (target == NULL || *target == '\0')
    {
      /* Said before the module is loaded: a kiosk without a printer never
       * loads libcups. */
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE,
                   "no printer configured ([printer] uri or queue)");
      return NULL;
    }
  api = ipp_api (error);
  return api != NULL ? api->printer_new (target, timeout_ms, error) : NULL;
}

void
kiosk_ipp_destination_free (KioskIppDestination *dest)
{
  if (dest == NULL)
    return;
  g_free (dest->name);
  g_free (dest->uri);
  g_free (dest->make_and_model);
  g_free (dest);
}

GPtrArray *
kiosk_ipp_list_destinations (int timeout_ms, GError **error)
{
  const KioskIppApi *api = ipp_api (error);
  return api != NULL ? api->list_destinations (timeout_ms) : NULL;
}

void
kiosk_ipp_printer_free (KioskIppPrinter *self)
{
  if (self != NULL)
    API ()->printer_free (self);
}

const char *
kiosk_ipp_printer_get_uri (KioskIppPrinter *self)
{
  return API ()->printer_get_uri (self);
}

gboolean
kiosk_ipp_printer_get_status (KioskIppPrinter *self, KioskPrinterStatus *status, GError **error)
{
  return API ()->printer_get_status (self, status, error);
}

int
kiosk_ipp_printer_submit (KioskIppPrinter *self, GBytes *pdf, const char *job_name, GError **error)
{
  return API ()->printer_submit (self, pdf, job_name, error);
}

int
kiosk_ipp_printer_get_job_state (KioskIppPrinter *self, int job_id, char **reasons_out, GError **error)
{
  return API ()->printer_get_job_state (self, job_id, reasons_out, error);
}

gboolean
kiosk_ipp_printer_cancel_job (KioskIppPrinter *self, int job_id, GError **error)
{
  return API ()->printer_cancel_job (self, job_id, error);
}
