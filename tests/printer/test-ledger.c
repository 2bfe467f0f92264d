/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "print-ledger.h"

/* Print accounting without a printer: the journal that makes duplicate
 * control survive a restart (and a power cut mid-job), and the sink (the
 * outbox) that may refuse for a while without anything being lost. */

static KioskPrintRecord *
record_new (const char *id, const char *doc, KioskPrintRecordStatus status, int job)
{
  KioskPrintRecord *r = g_new0 (KioskPrintRecord, 1);
  r->record_id = g_strdup (id);
  r->document_id = g_strdup (doc);
  r->template_name = g_strdup ("certificate");
  r->printer = g_strdup ("ipp://localhost:631/ipp/print");
  r->kiosk_id = g_strdup ("T-1");
  r->status = status;
  r->job_id = job;
  r->created_at = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;
  return r;
}

static void
put (KioskPrintLedger *l, KioskPrintRecord *r, KioskPrintRecordStatus status)
{
  g_autoptr (GError) error = NULL;
  r->status = status;
  g_assert_true (kiosk_print_ledger_put (l, r, &error));
  g_assert_no_error (error);
}

static KioskPrintRecordStatus
status_of (KioskPrintLedger *l, const char *doc)
{
  g_autoptr (GPtrArray) all = kiosk_print_ledger_list (l, doc);
  g_assert_cmpuint (all->len, ==, 1);
  return ((KioskPrintRecord *) all->pdata[0])->status;
}

static void
test_json_roundtrip (void)
{
  KioskPrintRecord *r = record_new ("r1", "certificate:X", KIOSK_PRINT_RECORD_PRINTED, 7);
  KioskPrintRecord *back;
  g_autofree char *json = NULL;
  g_autoptr (GError) error = NULL;

  r->reprint_count = 2;
  r->reprint_of = g_strdup ("r0");
  r->reprint_by = g_strdup ("staff-1");
  r->reprint_reason = g_strdup ("paper jam");
  r->job_state = g_strdup ("completed");
  r->submitted_at = r->created_at + G_USEC_PER_SEC;
  json = kiosk_print_record_to_json (r);
  g_assert_nonnull (strstr (json, "\"counted\":true"));
  back = kiosk_print_record_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->record_id, ==, "r1");
  g_assert_cmpstr (back->document_id, ==, "certificate:X");
  g_assert_cmpint (back->status, ==, KIOSK_PRINT_RECORD_PRINTED);
  g_assert_cmpint (back->job_id, ==, 7);
  g_assert_cmpint (back->reprint_count, ==, 2);
  g_assert_cmpstr (back->reprint_by, ==, "staff-1");
  g_assert_cmpstr (back->reprint_reason, ==, "paper jam");
  g_assert_cmpint (back->created_at, ==, r->created_at);
  g_assert_cmpint (back->submitted_at, ==, r->submitted_at);
  kiosk_print_record_free (back);
  kiosk_print_record_free (r);
  g_assert_null (kiosk_print_record_from_json ("{\"record_id\":\"x\"}", NULL));
  g_assert_null (kiosk_print_record_from_json ("{\"record_id\":", NULL));

  /* A damaged journal line: numbers of another type read as 0 (they raised
   * json-glib criticals, fatal in tests), deep nesting is refused before
   * the recursive parser. */
  back = kiosk_print_record_from_json ("{\"record_id\":\"r2\",\"document_id\":\"d\",\"status\":\"printed\","
                                       "\"job_id\":\"7\",\"reprint_count\":[1],\"x\":[[[1]]]}",
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->job_id, ==, 0);
  g_assert_cmpint (back->reprint_count, ==, 0);
  kiosk_print_record_free (back);
  {
    g_autofree char *deep = g_strnfill (100000, '[');
    g_autofree char *line = g_strdup_printf ("{\"record_id\":%s", deep);
    g_assert_null (kiosk_print_record_from_json (line, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_clear_error (&error);
  }
  /* json-glib 1.6 reads "\631" as an octal byte: a string that is not
   * UTF-8 is refused, or the record could not be written back (fuzz-json). */
  g_assert_null (
      kiosk_print_record_from_json ("{\"record_id\":\"a\\631\",\"document_id\":\"d\",\"status\":\"pending\"}", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static void
test_journal_restart (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kiosk-ledger-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "journal", NULL);
  g_autoptr (GError) error = NULL;
  guint recovered = 99;

  {
    g_autoptr (KioskPrintLedger) l = kiosk_print_ledger_new ();
    KioskPrintRecord *a = record_new ("ra", "doc:A", KIOSK_PRINT_RECORD_PENDING, 0);
    KioskPrintRecord *b = record_new ("rb", "doc:B", KIOSK_PRINT_RECORD_PENDING, 0);
    KioskPrintRecord *c = record_new ("rc", "doc:C", KIOSK_PRINT_RECORD_PENDING, 0);
    KioskPrintRecord *d = record_new ("rd", "doc:D", KIOSK_PRINT_RECORD_PENDING, 0);

    g_assert_true (kiosk_print_ledger_open_journal (l, path, &recovered, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (recovered, ==, 0);
    put (l, a, KIOSK_PRINT_RECORD_PENDING);
    a->job_id = 1;
    put (l, a, KIOSK_PRINT_RECORD_SUBMITTED);
    put (l, a, KIOSK_PRINT_RECORD_PRINTED);
    put (l, b, KIOSK_PRINT_RECORD_PENDING); /* the kiosk "dies" here for B... */
    put (l, c, KIOSK_PRINT_RECORD_PENDING);
    c->job_id = 2;
    put (l, c, KIOSK_PRINT_RECORD_SUBMITTED); /* ...and here for C */
    put (l, d, KIOSK_PRINT_RECORD_NOT_SUBMITTED);
    kiosk_print_record_free (a);
    kiosk_print_record_free (b);
    kiosk_print_record_free (c);
    kiosk_print_record_free (d);
  }
  /* A power cut in the middle of the last write. */
  {
    FILE *f = fopen (path, "a");
    fputs ("{\"record_id\":\"rz\",\"document_id\":\"doc:Z\",\"sta", f);
    fclose (f);
  }

  {
    g_autoptr (KioskPrintLedger) l = kiosk_print_ledger_new ();
    g_autoptr (KioskPrintRecord) sent_b = NULL;

    g_test_expect_message ("kiosk-printer", G_LOG_LEVEL_WARNING, "*unreadable line*");
    g_test_expect_message ("kiosk-printer", G_LOG_LEVEL_WARNING, "*2 job(s) interrupted*");
    g_assert_true (kiosk_print_ledger_open_journal (l, path, &recovered, &error));
    g_test_assert_expected_messages ();
    g_assert_no_error (error);
    g_assert_cmpuint (recovered, ==, 2);
    g_assert_cmpint (status_of (l, "doc:A"), ==, KIOSK_PRINT_RECORD_PRINTED);
    g_assert_cmpint (status_of (l, "doc:B"), ==, KIOSK_PRINT_RECORD_INTERRUPTED);
    g_assert_cmpint (status_of (l, "doc:C"), ==, KIOSK_PRINT_RECORD_INTERRUPTED);
    g_assert_cmpint (status_of (l, "doc:D"), ==, KIOSK_PRINT_RECORD_NOT_SUBMITTED);
    g_assert_cmpuint (kiosk_print_ledger_count_printed (l, "doc:A"), ==, 1);
    g_assert_cmpuint (kiosk_print_ledger_count_printed (l, "doc:C"), ==, 0);
    /* B and C may have printed: a new copy needs an explicit reprint. D
     * never reached the printer: printing it is a first print. */
    sent_b = kiosk_print_ledger_find_sent (l, "doc:B");
    g_assert_nonnull (sent_b);
    g_assert_null (kiosk_print_ledger_find_sent (l, "doc:D"));
    g_assert_cmpuint (kiosk_print_ledger_list_all (l)->len, ==, 4);
  }

  /* The recovery itself was journaled: a third start recovers nothing. */
  {
    g_autoptr (KioskPrintLedger) l = kiosk_print_ledger_new ();
    g_test_expect_message ("kiosk-printer", G_LOG_LEVEL_WARNING, "*unreadable line*");
    g_assert_true (kiosk_print_ledger_open_journal (l, path, &recovered, &error));
    g_test_assert_expected_messages ();
    g_assert_cmpuint (recovered, ==, 0);
    g_assert_cmpint (status_of (l, "doc:C"), ==, KIOSK_PRINT_RECORD_INTERRUPTED);
  }
  g_unlink (path);
  g_rmdir (dir);
}

typedef struct {
  gboolean refuse;
  GPtrArray *got;
} FlakySink;

static gboolean
flaky_sink (const char *json, gpointer user_data, GError **error)
{
  FlakySink *s = user_data;
  if (s->refuse)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full");
      return FALSE;
    }
  g_ptr_array_add (s->got, g_strdup (json));
  return TRUE;
}

static void
test_sink_refuses (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kiosk-ledger-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "journal", NULL);
  FlakySink sink = { TRUE, g_ptr_array_new_with_free_func (g_free) };
  g_autoptr (GError) error = NULL;

  /* Without a journal the outbox is the only durable copy: refused. */
  {
    g_autoptr (KioskPrintLedger) l = kiosk_print_ledger_new ();
    g_autoptr (KioskPrintRecord) r = record_new ("r1", "doc:1", KIOSK_PRINT_RECORD_PENDING, 0);
    kiosk_print_ledger_set_sink (l, flaky_sink, &sink, NULL);
    g_assert_false (kiosk_print_ledger_put (l, r, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
    g_clear_error (&error);
    g_assert_cmpuint (kiosk_print_ledger_list_all (l)->len, ==, 0);
    g_assert_cmpuint (kiosk_print_ledger_unsynced (l), ==, 0);
  }
  /* With a journal nothing is lost: the outbox gets it all later, in order. */
  {
    g_autoptr (KioskPrintLedger) l = kiosk_print_ledger_new ();
    g_autoptr (KioskPrintRecord) r = record_new ("r2", "doc:2", KIOSK_PRINT_RECORD_PENDING, 0);
    g_assert_true (kiosk_print_ledger_open_journal (l, path, NULL, &error));
    kiosk_print_ledger_set_sink (l, flaky_sink, &sink, NULL);
    put (l, r, KIOSK_PRINT_RECORD_PENDING);
    put (l, r, KIOSK_PRINT_RECORD_SUBMITTED);
    g_assert_cmpuint (kiosk_print_ledger_unsynced (l), ==, 2);
    g_assert_cmpuint (sink.got->len, ==, 0);
    sink.refuse = FALSE;
    put (l, r, KIOSK_PRINT_RECORD_PRINTED);
    g_assert_cmpuint (kiosk_print_ledger_unsynced (l), ==, 0);
    g_assert_cmpuint (sink.got->len, ==, 3);
    g_assert_nonnull (strstr (sink.got->pdata[0], "\"status\":\"pending\""));
    g_assert_nonnull (strstr (sink.got->pdata[1], "\"status\":\"submitted\""));
    g_assert_nonnull (strstr (sink.got->pdata[2], "\"status\":\"printed\""));
  }
  g_ptr_array_unref (sink.got);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/printer/ledger/json-roundtrip", test_json_roundtrip);
  g_test_add_func ("/printer/ledger/journal-restart", test_journal_restart);
  g_test_add_func ("/printer/ledger/sink-refuses", test_sink_refuses);
  return g_test_run ();
}
