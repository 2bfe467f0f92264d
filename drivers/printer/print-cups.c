/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The IPP transport over libcups: the kiosk module "kiosk-cups"
 * (app/kiosk-module.h), loaded by print-ipp.c when a printer is first
 * opened. libcups brings Kerberos, Avahi and GnuTLS with it: none of them
 * is mapped before the kiosk's first frame, nor on a kiosk without a
 * printer. Only kiosk_ipp_module() is exported. */
#define G_LOG_DOMAIN "kiosk-printer"

#include "config.h"

#include <string.h>

#include <cups/cups.h>

#include "print-document.h"
#include "print-ipp.h"

struct _KioskIppPrinter {
  char *target;
  char *uri;
  int timeout_ms;
  cups_dest_t *dest;
};

KioskIppPrinter *
kiosk_ipp_printer_new (const char *target, int timeout_ms, GError **error)
{
  KioskIppPrinter *self;
  cups_dest_t *dest;
  const char *uri;

  if (target == NULL || *target == '\0')
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE,
                   "no printer configured ([printer] uri or queue)");
      return NULL;
    }
  if (g_str_has_prefix (target, "ipp://") || g_str_has_prefix (target, "ipps://"))
    {
      /* Driverless IPP Everywhere: talk to the printer itself. */
      dest = cupsGetDestWithURI (NULL, target);
      if (dest == NULL)
        {
          g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE, "bad printer URI %s: %s", target,
                       cupsLastErrorString ());
          return NULL;
        }
      dest->num_options = cupsAddOption ("printer-uri-supported", target, dest->num_options, &dest->options);
    }
  else
    {
      dest = cupsGetNamedDest (CUPS_HTTP_DEFAULT, target, NULL);
      if (dest == NULL)
        {
          g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE, "CUPS has no queue named '%s': %s",
                       target, cupsLastErrorString ());
          return NULL;
        }
    }
  uri = cupsGetOption ("printer-uri-supported", dest->num_options, dest->options);
  self = g_new0 (KioskIppPrinter, 1);
  self->target = g_strdup (target);
  self->uri = g_strdup (uri ? uri : target);
  self->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
  self->dest = dest;
  return self;
}

void
kiosk_ipp_printer_free (KioskIppPrinter *self)
{
  if (self == NULL)
    return;
  cupsFreeDests (1, self->dest);
  g_free (self->target);
  g_free (self->uri);
  g_free (self);
}

const char *
kiosk_ipp_printer_get_uri (KioskIppPrinter *self)
{
  return self->uri;
}

static http_t *
connect_dest (KioskIppPrinter *self, char *resource, size_t size, GError **error)
{
  int cancel = 0;
  http_t *http
      = cupsConnectDest (self->dest, CUPS_DEST_FLAGS_NONE, self->timeout_ms, &cancel, resource, size, NULL, NULL);
  if (http == NULL)
    g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE, "cannot connect to %s: %s", self->uri,
                 cupsLastErrorString ());
  else
    httpSetTimeout (http, self->timeout_ms / 1000.0, NULL, NULL);
  return http;
}

gboolean
kiosk_ipp_printer_get_status (KioskIppPrinter *self, KioskPrinterStatus *status, GError **error)
{
  static const char *const attrs[]
      = { "printer-state", "printer-state-reasons", "printer-state-message", "printer-make-and-model" };
  char resource[1024];
  http_t *http;
  ipp_t *request, *response;
  ipp_attribute_t *attr;

  kiosk_printer_status_clear (status);
  http = connect_dest (self, resource, sizeof resource, error);
  if (http == NULL)
    return FALSE;
  request = ippNewRequest (IPP_OP_GET_PRINTER_ATTRIBUTES);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, self->uri);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser ());
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", G_N_ELEMENTS (attrs), NULL,
                 attrs);
  response = cupsDoRequest (http, request, resource);
  if (response == NULL || cupsLastError () > IPP_STATUS_OK_CONFLICTING)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE, "Get-Printer-Attributes on %s: %s",
                   self->uri, cupsLastErrorString ());
      ippDelete (response);
      httpClose (http);
      return FALSE;
    }
  status->reachable = TRUE;
  if ((attr = ippFindAttribute (response, "printer-state", IPP_TAG_ENUM)))
    status->printer_state = ippGetInteger (attr, 0);
  if ((attr = ippFindAttribute (response, "printer-state-reasons", IPP_TAG_KEYWORD)))
    {
      int n = ippGetCount (attr);
      status->reasons = g_new0 (char *, n + 1);
      for (int i = 0; i < n; i++)
        status->reasons[i] = g_strdup (ippGetString (attr, i, NULL));
    }
  else
    status->reasons = g_new0 (char *, 1);
  if ((attr = ippFindAttribute (response, "printer-state-message", IPP_TAG_TEXT)))
    status->state_message = g_strdup (ippGetString (attr, 0, NULL));
  if ((attr = ippFindAttribute (response, "printer-make-and-model", IPP_TAG_TEXT)))
    status->make_and_model = g_strdup (ippGetString (attr, 0, NULL));
  ippDelete (response);
  httpClose (http);
  return TRUE;
}

int
kiosk_ipp_printer_submit (KioskIppPrinter *self, GBytes *pdf, const char *job_name, GError **error)
{
  char resource[1024];
  http_t *http;
  cups_dinfo_t *info;
  int job_id = 0;
  ipp_status_t st;
  gsize len;
  const char *data = g_bytes_get_data (pdf, &len);

  http = connect_dest (self, resource, sizeof resource, error);
  if (http == NULL)
    return 0;
  info = cupsCopyDestInfo (http, self->dest);
  if (info == NULL)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE, "cannot read the capabilities of %s: %s",
                   self->uri, cupsLastErrorString ());
      httpClose (http);
      return 0;
    }
  st = cupsCreateDestJob (http, self->dest, info, &job_id, job_name, 0, NULL);
  if (st > IPP_STATUS_OK_CONFLICTING || job_id <= 0)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_REFUSED, "Create-Job refused by %s: %s", self->uri,
                   cupsLastErrorString ());
      cupsFreeDestInfo (info);
      httpClose (http);
      return 0;
    }
  if (cupsStartDestDocument (http, self->dest, info, job_id, job_name, CUPS_FORMAT_PDF, 0, NULL, 1)
      != HTTP_STATUS_CONTINUE)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_REFUSED, "Send-Document to %s (job %d) failed: %s",
                   self->uri, job_id, cupsLastErrorString ());
      cupsFreeDestInfo (info);
      httpClose (http);
      return -job_id;
    }
  for (gsize off = 0; off < len;)
    {
      gsize n = MIN (len - off, 65536);
      if (cupsWriteRequestData (http, data + off, n) != HTTP_STATUS_CONTINUE)
        break;
      off += n;
    }
  st = cupsFinishDestDocument (http, self->dest, info);
  cupsFreeDestInfo (info);
  httpClose (http);
  if (st > IPP_STATUS_OK_CONFLICTING)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_REFUSED, "Send-Document to %s (job %d) failed: %s",
                   self->uri, job_id, cupsLastErrorString ());
      /* The job exists on the printer: the caller must not resubmit. */
      return -job_id;
    }
  return job_id;
}

int
kiosk_ipp_printer_get_job_state (KioskIppPrinter *self, int job_id, char **reasons_out, GError **error)
{
  static const char *const attrs[] = { "job-state", "job-state-reasons" };
  char resource[1024];
  http_t *http;
  ipp_t *request, *response;
  ipp_attribute_t *attr;
  int state = 0;

  http = connect_dest (self, resource, sizeof resource, error);
  if (http == NULL)
    return 0;
  request = ippNewRequest (IPP_OP_GET_JOB_ATTRIBUTES);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, self->uri);
  ippAddInteger (request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  ippAddString (request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser ());
  ippAddStrings (request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", G_N_ELEMENTS (attrs), NULL,
                 attrs);
  response = cupsDoRequest (http, request, resource);
  httpClose (http);
  if (response == NULL || cupsLastError () > IPP_STATUS_OK_CONFLICTING)
    {
      g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE, "Get-Job-Attributes (job %d) on %s: %s",
                   job_id, self->uri, cupsLastErrorString ());
      ippDelete (response);
      return 0;
    }
  if ((attr = ippFindAttribute (response, "job-state", IPP_TAG_ENUM)))
    state = ippGetInteger (attr, 0);
  if (reasons_out && (attr = ippFindAttribute (response, "job-state-reasons", IPP_TAG_KEYWORD)))
    {
      GString *s = g_string_new (NULL);
      for (int i = 0; i < ippGetCount (attr); i++)
        g_string_append_printf (s, "%s%s", i ? "," : "", ippGetString (attr, i, NULL));
      *reasons_out = g_string_free (s, FALSE);
    }
  else if (reasons_out)
    *reasons_out = g_strdup ("");
  ippDelete (response);
  return state;
}

gboolean
kiosk_ipp_printer_cancel_job (KioskIppPrinter *self, int job_id, GError **error)
{
  char resource[1024];
  http_t *http = connect_dest (self, resource, sizeof resource, error);
  gboolean ok;

  if (http == NULL)
    return FALSE;
  ok = cupsCancelDestJob (http, self->dest, job_id) <= IPP_STATUS_OK_CONFLICTING;
  if (!ok)
    g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_REFUSED, "Cancel-Job %d: %s", job_id,
                 cupsLastErrorString ());
  httpClose (http);
  return ok;
}

/* ---- kioskctl doctor: the printers CUPS and DNS-SD know ---------------- */

typedef struct {
  GPtrArray *found;
  GHashTable *queues; /* names of the local scheduler's queues */
} EnumData;

/* The same as kiosk_ipp_destination_free(), which lives in the program. */
static void
destination_free (KioskIppDestination *dest)
{
  g_free (dest->name);
  g_free (dest->uri);
  g_free (dest->make_and_model);
  g_free (dest);
}

static int
enum_dest_cb (void *user_data, unsigned flags, cups_dest_t *dest)
{
  EnumData *d = user_data;
  KioskIppDestination *out;
  const char *uri;

  if ((flags & CUPS_DEST_FLAGS_REMOVED) || dest->instance != NULL)
    return 1;
  for (guint i = 0; i < d->found->len; i++)
    if (g_str_equal (((KioskIppDestination *) d->found->pdata[i])->name, dest->name))
      return 1;
  uri = cupsGetOption ("printer-uri-supported", dest->num_options, dest->options);
  if (uri == NULL)
    uri = cupsGetOption ("device-uri", dest->num_options, dest->options);
  out = g_new0 (KioskIppDestination, 1);
  out->name = g_strdup (dest->name);
  out->uri = g_strdup (uri);
  out->make_and_model = g_strdup (cupsGetOption ("printer-make-and-model", dest->num_options, dest->options));
  out->discovered = !g_hash_table_contains (d->queues, dest->name);
  g_ptr_array_add (d->found, out);
  return 1;
}

static GPtrArray *
list_destinations (int timeout_ms)
{
  EnumData d = { g_ptr_array_new_with_free_func ((GDestroyNotify) destination_free),
                 g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
  cups_dest_t *dests = NULL;
  int n = cupsGetDests2 (CUPS_HTTP_DEFAULT, &dests);

  for (int i = 0; i < n; i++)
    g_hash_table_add (d.queues, g_strdup (dests[i].name));
  cupsFreeDests (n, dests);
  /* Local queues and, for up to timeout_ms, DNS-SD browsing for IPP. */
  cupsEnumDests (CUPS_DEST_FLAGS_NONE, timeout_ms, NULL, 0, 0, enum_dest_cb, &d);
  g_hash_table_unref (d.queues);
  return d.found;
}

/* The module's one exported symbol (everything else is hidden). */
__attribute__ ((visibility ("default"))) const KioskIppApi *kiosk_ipp_module (void);

const KioskIppApi *
kiosk_ipp_module (void)
{
  static const KioskIppApi api = {
    KIOSK_IPP_API_VERSION,           kiosk_ipp_printer_new,        kiosk_ipp_printer_free,
    kiosk_ipp_printer_get_uri,       kiosk_ipp_printer_get_status, kiosk_ipp_printer_submit,
    kiosk_ipp_printer_get_job_state, kiosk_ipp_printer_cancel_job, list_destinations,
  };
  return &api;
}
