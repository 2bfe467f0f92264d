/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "print-document.h"
#include "print-ledger.h"

/* Transitions kept for a sink that is not set or refuses (then the journal
 * holds them durably). */
#define MAX_QUEUED 10000

struct _KioskPrintLedger {
  GMutex lock;
  GPtrArray *records; /* KioskPrintRecord*, creation order */
  KioskPrintRecordSink sink;
  gpointer sink_data;
  GDestroyNotify sink_destroy;
  int journal_fd; /* -1: none */
  char *journal_path;
  GQueue to_sink; /* JSON strings the sink has not taken yet, oldest first */
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

static const char *
member_str (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n)
                                                                                         : NULL;
}

static gint64
member_time (JsonObject *o, const char *name)
{
  const char *s = member_str (o, name);
  g_autoptr (GDateTime) t = s ? g_date_time_new_from_iso8601 (s, NULL) : NULL;
  return t ? g_date_time_to_unix (t) * G_USEC_PER_SEC : 0;
}

/* An integer member, or 0 (no critical on another type: a journal line is
 * read back after a power cut, and may be anything). */
static int
member_int (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  gint64 v;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return 0;
  v = json_node_get_int (n);
  return v < G_MININT || v > G_MAXINT ? 0 : (int) v;
}

static gboolean
status_from_string (const char *s, KioskPrintRecordStatus *out)
{
  for (int i = KIOSK_PRINT_RECORD_PENDING; i <= KIOSK_PRINT_RECORD_INTERRUPTED; i++)
    if (g_strcmp0 (s, kiosk_print_record_status_to_string (i)) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

KioskPrintRecord *
kiosk_print_record_from_json (const char *json, GError **error)
{
  g_autoptr (JsonNode) node = NULL;
  KioskPrintRecord *r;
  JsonObject *o;
  KioskPrintRecordStatus status;

  /* A record is one flat object: refuse deep nesting before json-glib's
   * recursive parser sees it. */
  if (json == NULL || !kiosk_print_json_depth_ok (json, strlen (json), 4))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a print record");
      return NULL;
    }
  node = json_from_string (json, error);
  if (node == NULL)
    {
      /* json_from_string() gives NULL without an error for blank text. */
      if (error && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "an empty print record");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a print record must be a JSON object");
      return NULL;
    }
  /* A string that is not UTF-8 could not be written back as JSON. */
  if (!kiosk_print_json_all_utf8 (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a print record with text that is not UTF-8");
      return NULL;
    }
  o = json_node_get_object (node);
  if (member_str (o, "record_id") == NULL || member_str (o, "document_id") == NULL
      || !status_from_string (member_str (o, "status"), &status))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "print record without record_id, document_id or status");
      return NULL;
    }
  r = g_new0 (KioskPrintRecord, 1);
  r->record_id = g_strdup (member_str (o, "record_id"));
  r->document_id = g_strdup (member_str (o, "document_id"));
  r->template_name = g_strdup (member_str (o, "template"));
  r->printer = g_strdup (member_str (o, "printer"));
  r->kiosk_id = g_strdup (member_str (o, "kiosk_id"));
  r->status = status;
  r->job_id = member_int (o, "job_id");
  r->job_state = g_strdup (member_str (o, "job_state"));
  r->detail = g_strdup (member_str (o, "detail"));
  r->created_at = member_time (o, "created_at");
  r->submitted_at = member_time (o, "submitted_at");
  r->finished_at = member_time (o, "finished_at");
  r->reprint_count = member_int (o, "reprint_count");
  r->reprint_of = g_strdup (member_str (o, "reprint_of"));
  r->reprint_by = g_strdup (member_str (o, "reprint_by"));
  r->reprint_reason = g_strdup (member_str (o, "reprint_reason"));
  return r;
}

KioskPrintLedger *
kiosk_print_ledger_new (void)
{
  KioskPrintLedger *self = g_new0 (KioskPrintLedger, 1);
  g_mutex_init (&self->lock);
  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_print_record_free);
  self->journal_fd = -1;
  g_queue_init (&self->to_sink);
  return self;
}

void
kiosk_print_ledger_free (KioskPrintLedger *self)
{
  if (self == NULL)
    return;
  if (self->sink_destroy)
    self->sink_destroy (self->sink_data);
  if (self->to_sink.length && self->sink)
    g_warning ("%u print record transition(s) never reached the outbox", self->to_sink.length);
  else if (self->to_sink.length)
    g_debug ("no print record sink was set: %u transition(s) kept in memory only", self->to_sink.length);
  g_queue_clear_full (&self->to_sink, g_free);
  if (self->journal_fd >= 0)
    close (self->journal_fd);
  g_free (self->journal_path);
  g_ptr_array_unref (self->records);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* Hands queued transitions to the sink, oldest first, until it refuses.
 * Called with the lock held. */
static gboolean
flush_sink (KioskPrintLedger *self, GError **error)
{
  while (self->sink && self->to_sink.length)
    {
      g_autoptr (GError) local = NULL;
      if (!self->sink (g_queue_peek_head (&self->to_sink), self->sink_data, &local))
        {
          g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "MESSAGE",
                            "print records not in the outbox yet (%u waiting): %s", self->to_sink.length,
                            local ? local->message : "sink failed");
          if (error)
            g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_free (g_queue_pop_head (&self->to_sink));
    }
  return TRUE;
}

static void
replace_record (KioskPrintLedger *self, const KioskPrintRecord *record)
{
  guint i;

  for (i = 0; i < self->records->len; i++)
    {
      KioskPrintRecord *r = g_ptr_array_index (self->records, i);
      if (g_str_equal (r->record_id, record->record_id))
        {
          kiosk_print_record_free (r);
          self->records->pdata[i] = kiosk_print_record_copy (record);
          return;
        }
    }
  g_ptr_array_add (self->records, kiosk_print_record_copy (record));
}

static gboolean
journal_append (KioskPrintLedger *self, const char *json, GError **error)
{
  g_autofree char *line = g_strdup_printf ("%s\n", json);
  gsize len = strlen (line), off = 0;

  while (off < len)
    {
      ssize_t n = write (self->journal_fd, line + off, len - off);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot write the print journal %s: %s",
                       self->journal_path, g_strerror (saved));
          return FALSE;
        }
      off += (gsize) n;
    }
  if (fdatasync (self->journal_fd) < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot sync the print journal %s: %s",
                   self->journal_path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
kiosk_print_ledger_open_journal (KioskPrintLedger *self, const char *path, guint *recovered, GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) lines = NULL;
  guint n_recovered = 0, n_bad = 0;
  int fd;

  g_return_val_if_fail (self->journal_fd < 0, FALSE);
  if (!g_file_get_contents (path, &contents, NULL, &local))
    {
      if (!g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      contents = g_strdup ("");
    }
  fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot open the print journal %s: %s", path,
                   g_strerror (saved));
      return FALSE;
    }

  /* End a line cut short by a power loss, so what we append stays whole. */
  if (*contents && !g_str_has_suffix (contents, "\n") && write (fd, "\n", 1) != 1)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot write the print journal %s: %s", path,
                   g_strerror (saved));
      close (fd);
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  self->journal_fd = fd;
  self->journal_path = g_strdup (path);
  lines = g_strsplit (contents, "\n", -1);
  for (int i = 0; lines[i]; i++)
    {
      KioskPrintRecord *r;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      r = kiosk_print_record_from_json (lines[i], NULL);
      if (r == NULL)
        {
          /* A line cut short by a power loss: the line before it holds. */
          n_bad++;
          continue;
        }
      replace_record (self, r);
      kiosk_print_record_free (r);
    }
  /* A job the kiosk was in the middle of when it stopped: it may or may not
   * have printed. Never resend it on our own: interrupted. */
  for (guint i = 0; i < self->records->len; i++)
    {
      KioskPrintRecord *r = g_ptr_array_index (self->records, i);
      g_autofree char *json = NULL;
      if (r->status != KIOSK_PRINT_RECORD_PENDING && r->status != KIOSK_PRINT_RECORD_SUBMITTED)
        continue;
      r->status = KIOSK_PRINT_RECORD_INTERRUPTED;
      g_free (r->detail);
      r->detail = g_strdup ("the kiosk stopped during the job; outcome unknown");
      r->finished_at = g_get_real_time ();
      json = kiosk_print_record_to_json (r);
      if (!journal_append (self, json, error))
        {
          g_mutex_unlock (&self->lock);
          return FALSE;
        }
      g_queue_push_tail (&self->to_sink, g_steal_pointer (&json));
      n_recovered++;
    }
  flush_sink (self, NULL);
  g_mutex_unlock (&self->lock);
  if (n_bad)
    g_warning ("print journal %s: %u unreadable line(s) skipped", path, n_bad);
  if (n_recovered)
    g_warning ("print journal %s: %u job(s) interrupted by a stop of the kiosk", path, n_recovered);
  if (recovered)
    *recovered = n_recovered;
  return TRUE;
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
  flush_sink (self, NULL);
  g_mutex_unlock (&self->lock);
}

gboolean
kiosk_print_ledger_put (KioskPrintLedger *self, const KioskPrintRecord *record, GError **error)
{
  g_autofree char *json = kiosk_print_record_to_json (record);
  g_autoptr (GError) local = NULL;
  gboolean ok = TRUE;
  gboolean journaled;

  g_mutex_lock (&self->lock);
  /* Durable first: the journal (when there is one), then the outbox. With a
   * journal, a sink that fails now gets the transition later. */
  journaled = self->journal_fd >= 0;
  if (journaled)
    ok = journal_append (self, json, &local);
  if (ok)
    {
      g_queue_push_tail (&self->to_sink, g_strdup (json));
      /* Bounded: with no sink ever set (tools, tests) this is only a log. */
      while (self->to_sink.length > MAX_QUEUED)
        g_free (g_queue_pop_head (&self->to_sink));
      if (!flush_sink (self, journaled ? NULL : &local) && !journaled)
        {
          /* No journal: the outbox is the only durable copy. Drop it from
           * the queue; the caller learns that it is not stored. */
          g_free (g_queue_pop_tail (&self->to_sink));
          ok = FALSE;
        }
    }
  if (ok)
    replace_record (self, record);
  g_mutex_unlock (&self->lock);
  g_log_structured (G_LOG_DOMAIN, ok ? G_LOG_LEVEL_INFO : G_LOG_LEVEL_WARNING, "PRINT_RECORD", record->record_id,
                    "MESSAGE", "print record %s (%s, job %d): %s%s%s", record->record_id, record->template_name,
                    record->job_id, kiosk_print_record_status_to_string (record->status),
                    ok ? "" : " NOT STORED: ", ok ? "" : (local ? local->message : "sink failed"));
  if (!ok && local)
    g_propagate_error (error, g_steal_pointer (&local));
  return ok;
}

guint
kiosk_print_ledger_unsynced (KioskPrintLedger *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  flush_sink (self, NULL);
  n = self->to_sink.length;
  g_mutex_unlock (&self->lock);
  return n;
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
