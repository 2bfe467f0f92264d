/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real serial transport and protocol layer against idcard-sim over a
 * pseudo-terminal, with each fault the simulator can inject. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>

#include "idcard-json.h"
#include "idcard-test-util.h"
#include "idcard-transport.h"

typedef struct {
  TestSim *sim;
  IdcardReader *reader;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *ports[] = { "/nonexistent/ttyUSB9", NULL, NULL };
  IdcardTransport *t;

  f->sim = test_sim_start (NULL);
  ports[1] = f->sim->link;
  /* The probe skips a port that does not exist and finds the sim. */
  t = idcard_serial_probe (ports, 115200, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t);
  g_assert_nonnull (strstr (t->description, f->sim->link));
  f->reader = idcard_reader_new (t, NULL);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  idcard_reader_free (f->reader);
  test_sim_stop (f->sim);
}

static SamCard *
read_card (Fixture *f, guint8 *sw3, GError **error)
{
  return idcard_reader_read_card (f->reader, 115200, FALSE, FALSE, sw3, error);
}

static void
assert_reads_fp (Fixture *f, const char *fixture, gboolean fingerprints)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SamCard) card = NULL;
  g_autofree char *path = NULL, *fixtures = test_fixtures_dir ();
  g_autoptr (SamCard) want = NULL;
  g_autofree char *a = NULL, *b = NULL;
  g_autofree char *cmd = g_strdup_printf ("place %s", fixture);

  test_sim_ok (f->sim, cmd);
  card = idcard_reader_read_card (f->reader, 115200, fingerprints, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (card);
  path = g_strdup_printf ("%s/%s.json", fixtures, fixture);
  want = idcard_card_from_file (path, &error);
  g_assert_no_error (error);
  /* Fingerprints come only with 30 10, and only from a card that has them. */
  want->has_fingerprint = want->has_fingerprint && fingerprints;
  g_assert_null (card->photo);
  a = idcard_card_to_json (card);
  b = idcard_card_to_json (want);
  g_assert_cmpstr (a, ==, b);
}

static void
assert_reads (Fixture *f, const char *fixture)
{
  assert_reads_fp (f, fixture, FALSE);
}

static void
test_probe_and_sam_id (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = idcard_reader_sam_id (f->reader, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "05.01-20101129-0001228293-0296863149");
}

static void
test_probe_nothing (void)
{
  g_autoptr (GError) error = NULL;
  const char *ports[] = { "/nonexistent/a", "/dev/null", NULL };
  IdcardTransport *t = idcard_serial_probe (ports, 9600, NULL, &error);

  g_assert_null (t);
  g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "/nonexistent/a"));
}

static void
test_no_card (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint8 sw3 = 0;
  SamCard *card = read_card (f, &sw3, &error);

  g_assert_null (card);
  g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_NO_CARD);
  g_assert_cmphex (sw3, ==, 0x80);
}

static void
test_every_card_type (Fixture *f, gconstpointer data)
{
  const char *names[] = { "resident", "resident-elder", "foreign-2017", "foreign-2023", "hmt-permit" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      assert_reads (f, names[i]);
      assert_reads_fp (f, names[i], TRUE);
    }
}

static void
test_card_read_once (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  assert_reads (f, "resident");
  /* Still on the reader, but read: find fails until it is placed again. */
  g_assert_null (read_card (f, NULL, &error));
  g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_NO_CARD);
  assert_reads (f, "resident");
}

static void
test_every_error_status (Fixture *f, gconstpointer data)
{
  test_sim_ok (f->sim, "place resident");
  for (gsize i = 0; i < G_N_ELEMENTS (sam_all_statuses); i++)
    {
      guint8 want = sam_all_statuses[i], sw3 = 0;
      g_autoptr (GError) error = NULL;
      g_autofree char *cmd = g_strdup_printf ("fault status %02x read", want);
      SamCard *card;

      if (sam_status_is_success (want))
        continue;
      test_sim_ok (f->sim, cmd);
      card = read_card (f, &sw3, &error);
      g_assert_null (card);
      g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_STATUS);
      g_assert_cmphex (sw3, ==, want);
    }
  /* The card is still there and reads now. */
  assert_reads (f, "resident");
}

static void
test_status_on_find (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint8 sw3 = 0;

  test_sim_ok (f->sim, "place resident");
  test_sim_ok (f->sim, "fault status 60 find");
  g_assert_false (idcard_reader_find (f->reader, &sw3, &error));
  g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_STATUS);
  g_assert_cmphex (sw3, ==, 0x60);
}

static void
test_bad_checksum (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  test_sim_ok (f->sim, "place resident");
  test_sim_ok (f->sim, "fault checksum read");
  g_assert_null (read_card (f, NULL, &error));
  g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_CHECKSUM);
  /* Reported at once, not at the end of the read budget. */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 1000 * 1000);
  assert_reads (f, "resident");
}

static void
test_split_frames (Fixture *f, gconstpointer data)
{
  test_sim_ok (f->sim, "fault split any always");
  test_probe_and_sam_id (f, NULL);
  assert_reads (f, "foreign-2023");
}

static void
test_garbage (Fixture *f, gconstpointer data)
{
  test_sim_ok (f->sim, "fault garbage any always");
  test_probe_and_sam_id (f, NULL);
  assert_reads (f, "hmt-permit");
}

static void
test_slow_within_budget (Fixture *f, gconstpointer data)
{
  test_sim_ok (f->sim, "fault slow 300 any always");
  assert_reads (f, "resident");
}

static void
test_slow_past_budget (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  test_sim_ok (f->sim, "place resident");
  test_sim_ok (f->sim, "fault slow 1500 find");
  g_assert_false (idcard_reader_find (f->reader, NULL, &error));
  g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_TIMEOUT);
  /* The late find reply arrives while we wait for the next answer: it does
   * not fit SAM status and is dropped. */
  g_usleep (600 * 1000);
  {
    SamReply r;
    g_autoptr (GError) e2 = NULL;
    g_assert_true (idcard_reader_transact (f->reader, SAM_CMD_STATUS, 1000, &r, &e2));
    g_assert_no_error (e2);
    g_assert_cmphex (r.sw3, ==, 0x90);
  }
  assert_reads (f, "resident");
}

static void
test_truncated (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  test_sim_ok (f->sim, "place resident");
  test_sim_ok (f->sim, "fault length read");
  g_assert_null (read_card (f, NULL, &error));
  g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_LENGTH);
  assert_reads (f, "resident");
}

static void
test_silence (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  test_sim_ok (f->sim, "fault silence find");
  g_assert_false (idcard_reader_find (f->reader, NULL, &error));
  g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_TIMEOUT);
}

static void
test_disconnect (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *ports[] = { NULL, NULL };
  IdcardTransport *t = NULL;

  test_sim_ok (f->sim, "fault disconnect 1");
  g_assert_false (idcard_reader_find (f->reader, NULL, &error));
  g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_DISCONNECTED);
  g_clear_pointer (&f->reader, idcard_reader_free);

  /* Re-plug: the same configured path answers again. */
  ports[0] = f->sim->link;
  for (int i = 0; i < 40 && t == NULL; i++)
    {
      g_clear_error (&error);
      t = idcard_serial_probe (ports, 115200, NULL, &error);
      if (t == NULL)
        g_usleep (100 * 1000);
    }
  g_assert_nonnull (t);
  f->reader = idcard_reader_new (t, NULL);
  assert_reads (f, "resident");
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr (GCancellable) c = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  IdcardReader *r;
  const char *ports[] = { f->sim->link, NULL };
  IdcardTransport *t = idcard_serial_probe (ports, 115200, NULL, &error);
  gint64 t0;

  g_assert_nonnull (t);
  r = idcard_reader_new (t, c);
  test_sim_ok (f->sim, "fault silence any always");
  g_cancellable_cancel (c);
  t0 = g_get_monotonic_time ();
  g_assert_false (idcard_reader_find (r, NULL, &error));
  g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 300 * 1000);
  idcard_reader_free (r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  signal (SIGPIPE, SIG_IGN);
#define ADD(name, fn) g_test_add ("/idcard/serial/" name, Fixture, NULL, setup, fn, teardown)
  ADD ("probe-and-sam-id", test_probe_and_sam_id);
  g_test_add_func ("/idcard/serial/probe-nothing", test_probe_nothing);
  ADD ("no-card", test_no_card);
  ADD ("every-card-type", test_every_card_type);
  ADD ("card-read-once", test_card_read_once);
  ADD ("every-error-status", test_every_error_status);
  ADD ("status-on-find", test_status_on_find);
  ADD ("bad-checksum", test_bad_checksum);
  ADD ("split-frames", test_split_frames);
  ADD ("garbage", test_garbage);
  ADD ("slow-within-budget", test_slow_within_budget);
  ADD ("slow-past-budget", test_slow_past_budget);
  ADD ("truncated", test_truncated);
  ADD ("silence", test_silence);
  ADD ("disconnect", test_disconnect);
  ADD ("cancel", test_cancel);
  return g_test_run ();
}
