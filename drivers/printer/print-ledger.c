/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer"

#include "config.h"

#include "print-ledger.h"

struct _KioskPrintLedger {
  GMutex lock;
  GPtrArray *records; /* KioskPrintRecord*, creation order */
  KioskPrintRecordSink sink;
  gpointer sink_data;
  GDestroyNotify sink_destroy;
};

const char *
kiosk_print_record_status_to_string (KioskPrintRecordStatus status)
{
  switch (status)
    {
    case KIOSK_PRINT_RECORD_PENDING:
      return "pending";
    case KIOSK_PRINT_RECORD_NOT_SUBMITTED:
      return "not_submitted";
    case KIOSK_PRINT_RECORD_SUBMITTED:
      return "submitted";
    case KIOSK_PRINT_RECORD_PRINTED:
      return "printed";
    case KIOSK_PRINT_RECORD_FAILED:
      return "failed";
    case KIOSK_PRINT_RECORD_INTERRUPTED:
      return "interrupted";
    default:
      return "unknown";
    }
}

KioskPrintRecord *
kiosk_print_record_copy (const KioskPrintRecord *r)
{
  KioskPrintRecord *c = g_new0 (KioskPrintRecord, 1);

  *c = *r;
  c->record_id = g_strdup (r->record_id);
  c->document_id = g_strdup (r->document_id);
  c->template_name = g_strdup (r->template_name);
  c->printer = g_strdup (r->printer);
  c->kiosk_id = g_strdup (r->kiosk_id);
  c->job_state = g_strdup (r->job_state);
  c->detail = g_strdup (r->detail);
  c->reprint_of = g_strdup (r->reprint_of);
  c->reprint_by = g_strdup (r->reprint_by);
  c->reprint_reason = g_strdup (r->reprint_reason);
  return c;
}

void
kiosk_print_record_free (KioskPrintRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->record_id);
  g_free (r->document_id);
  g_free (r->template_name);
  g_free (r->printer);
  g_free (r->kiosk_id);
  g_free (r->job_state);
  g_free (r->detail);
  g_free (r->reprint_of);
  g_free (r->reprint_by);
  g_free (r->reprint_reason);
  g_free (r);
}

static void
add_time (JsonBuilder *b, const char *name, gint64 us)
{
  json_builder_set_member_name (b, name);
  if (us > 0)
    {
      g_autoptr (GDateTime) t = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
      g_autofree char *s = g_date_time_format_iso8601 (t);
      json_builder_add_string_value (b, s);
    }
  else
    json_builder_add_null_value (b);
}

static void
add_str (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

char *
kiosk_print_record_to_json (const KioskPrintRecord *r)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  add_str (b, "record_id", r->record_id);
  add_str (b, "document_id", r->document_id);
  add_str (b, "template", r->template_name);
  add_str (b, "printer", r->printer);
  add_str (b, "kiosk_id", r->kiosk_id);
  add_str (b, "status", kiosk_print_record_status_to_string (r->status));
  json_builder_set_member_name (b, "counted");
  json_builder_add_boolean_value (b, r->status == KIOSK_PRINT_RECORD_PRINTED);
  json_builder_set_member_name (b, "job_id");
  json_builder_add_int_value (b, r->job_id);
  add_str (b, "job_state", r->job_state);
  add_str (b, "detail", r->detail);
  add_time (b, "created_at", r->created_at);
  add_time (b, "submitted_at", r->submitted_at);
  add_time (b, "finished_at", r->finished_at);
  json_builder_set_member_name (b, "reprint_count");
  json_builder_add_int_value (b, r->reprint_count);
  add_str (b, "reprint_of", r->reprint_of);
  add_str (b, "reprint_by", r->reprint_by);
  add_str (b, "reprint_reason", r->reprint_reason);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

KioskPrintLedger *
kiosk_print_ledger_new (void)
{
  KioskPrintLedger *self = g_new0 (KioskPrintLedger, 1);
  g_mutex_init (&self->lock);
  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_print_record_free);
  return self;
}

void
kiosk_print_ledger_free (KioskPrintLedger *self)
{
  if (self == NULL)
    return;
  if (self->sink_destroy)
    self->sink_destroy (self->sink_data);
  g_ptr_array_unref (self->records);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
kiosk_print_ledger_set_sink (KioskPrintLedger *self, KioskPrintRecordSink sink, gpointer user_data,
                             GDestroyNotify destroy)
{
  g_mutex_lock (&self->lock);
  if (self->sink_destroy)
    self->sink_destroy (self->sink_data);
  self->sink = sink;
  self->sink_data = user_data;
  self->sink_destroy = destroy;
  g_mutex_unlock (&self->lock);
}

gboolean
kiosk_print_ledger_put (KioskPrintLedger *self, const KioskPrintRecord *record, GError **error)
{
  g_autofree char *json = kiosk_print_record_to_json (record);
  gboolean ok = TRUE;
  guint i;

  g_mutex_lock (&self->lock);
  if (self->sink)
    ok = self->sink (json, self->sink_data, error);
  if (ok)
    {
      for (i = 0; i < self->records->len; i++)
        {
          KioskPrintRecord *r = g_ptr_array_index (self->records, i);
          if (g_str_equal (r->record_id, record->record_id))
            {
              kiosk_print_record_free (r);
              self->records->pdata[i] = kiosk_print_record_copy (record);
              break;
            }
        }
      if (i == self->records->len)
        g_ptr_array_add (self->records, kiosk_print_record_copy (record));
    }
  g_mutex_unlock (&self->lock);
  g_log_structured (G_LOG_DOMAIN, ok ? G_LOG_LEVEL_INFO : G_LOG_LEVEL_WARNING, "PRINT_RECORD", record->record_id,
                    "MESSAGE", "print record %s (%s, job %d): %s%s%s", record->record_id, record->template_name,
                    record->job_id, kiosk_print_record_status_to_string (record->status),
                    ok ? "" : " NOT STORED: ", ok ? "" : (error && *error ? (*error)->message : "sink failed"));
  return ok;
}

static GPtrArray *
list_where (KioskPrintLedger *self, const char *document_id)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_print_record_free);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->records->len; i++)
    {
      KioskPrintRecord *r = g_ptr_array_index (self->records, i);
      if (document_id == NULL || g_strcmp0 (r->document_id, document_id) == 0)
        g_ptr_array_add (out, kiosk_print_record_copy (r));
    }
  g_mutex_unlock (&self->lock);
  return out;
}

GPtrArray *
kiosk_print_ledger_list (KioskPrintLedger *self, const char *document_id)
{
  g_return_val_if_fail (document_id != NULL, NULL);
  return list_where (self, document_id);
}

GPtrArray *
kiosk_print_ledger_list_all (KioskPrintLedger *self)
{
  return list_where (self, NULL);
}

guint
kiosk_print_ledger_count_printed (KioskPrintLedger *self, const char *document_id)
{
  g_autoptr (GPtrArray) all = kiosk_print_ledger_list (self, document_id);
  guint n = 0;

  for (guint i = 0; i < all->len; i++)
    n += ((KioskPrintRecord *) g_ptr_array_index (all, i))->status == KIOSK_PRINT_RECORD_PRINTED;
  return n;
}

KioskPrintRecord *
kiosk_print_ledger_find_sent (KioskPrintLedger *self, const char *document_id)
{
  g_autoptr (GPtrArray) all = kiosk_print_ledger_list (self, document_id);

  for (guint i = all->len; i-- > 0;)
    {
      KioskPrintRecord *r = g_ptr_array_index (all, i);
      if (r->status != KIOSK_PRINT_RECORD_PENDING && r->status != KIOSK_PRINT_RECORD_NOT_SUBMITTED)
        return kiosk_print_record_copy (r);
    }
  return NULL;
}
