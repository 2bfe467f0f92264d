/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The reading loop (KioskIdcardDevice, backend=sim): the kiosk starts
 * idcard-sim itself and reads through the real serial transport. One
 * "identity" per placed card, on the main context; errors become device
 * states with the resident's message. Every log line of the run (ours and
 * the simulator's) is captured and searched: no name, ID number, address or
 * birth date may appear. */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "idcard-device.h"
#include "idcard-json.h"
#include "idcard-test-util.h"

typedef struct {
  KioskDevice *device;
  KioskConfig *config;
  char *dir;
  TestSim ctl; /* only .control is used: the device owns the sim */
  GPtrArray *identities;
  GArray *events; /* IdcardEvent, in order */
  GThread *main_thread;
  gboolean wrong_thread;
} Fixture;

static int log_fd = -1;

/* Every record, formatted, to the capture file (thread-safe: one write). */
static GLogWriterOutput
capture_writer (GLogLevelFlags level, const GLogField *fields, gsize n, gpointer data)
{
  g_autofree char *line = g_log_writer_format_fields (level, fields, n, FALSE);
  g_autofree char *nl = g_strconcat (line, "\n", NULL);

  if (write (log_fd, nl, strlen (nl)) < 0)
    return G_LOG_WRITER_UNHANDLED;
  return G_LOG_WRITER_HANDLED;
}

static void
identity_cb (KioskDevice *device, const KioskIdentity *identity, Fixture *f)
{
  if (g_thread_self () != f->main_thread)
    f->wrong_thread = TRUE;
  g_ptr_array_add (f->identities, kiosk_identity_copy (identity));
}

static void
card_event_cb (KioskDevice *device, int event, Fixture *f)
{
  if (g_thread_self () != f->main_thread)
    f->wrong_thread = TRUE;
  g_array_append_val (f->events, event);
}

static gboolean
wait_for (gboolean (*cond) (Fixture *f, gconstpointer arg), Fixture *f, gconstpointer arg, int ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (!cond (f, arg))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
  return TRUE;
}

static gboolean
has_identities (Fixture *f, gconstpointer n)
{
  return f->identities->len >= GPOINTER_TO_UINT (n);
}

static gboolean
has_message (Fixture *f, gconstpointer msg)
{
  return g_strcmp0 (kiosk_device_get_message (f->device), msg) == 0;
}

static gboolean
has_state (Fixture *f, gconstpointer state)
{
  return kiosk_device_get_state (f->device) == (KioskDeviceState) GPOINTER_TO_INT (state);
}

static gboolean
control_ready (Fixture *f, gconstpointer unused)
{
  return g_file_test (f->ctl.control, G_FILE_TEST_EXISTS);
}

static void
pause_ms (Fixture *f, int ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

#define PLACE_MSG "Please place your ID card on the reader"

static gboolean
has_events (Fixture *f, gconstpointer n)
{
  return f->events->len >= GPOINTER_TO_UINT (n);
}

/* @auto_place > 0: the simulator places cards by itself every that many
 * seconds, and the device gets no control socket from the configuration. */
static void
setup_with (Fixture *f, int auto_place)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *fixtures = test_fixtures_dir ();
  g_autofree char *data = NULL;

  f->dir = g_dir_make_tmp ("idcard-dev-XXXXXX", &error);
  g_assert_no_error (error);
  f->ctl.control = g_build_filename (f->dir, "ctl", NULL);
  if (auto_place > 0)
    data = g_strdup_printf ("[kiosk]\nid=k1\nstation=测试站\n[store]\npath=kiosk.db\n"
                            "[platform]\nurl=http://127.0.0.1:8080/\nallow-http=true\n"
                            "[idcard]\nbackend=sim\nsim-cards=%s\nsim-auto-place=%d\npoll-ms=50\n",
                            fixtures, auto_place);
  else
    data = g_strdup_printf ("[kiosk]\nid=k1\nstation=测试站\n[store]\npath=kiosk.db\n"
                            "[platform]\nurl=http://127.0.0.1:8080/\nallow-http=true\n"
                            "[idcard]\nbackend=sim\nsim-cards=%s\nsim-control=%s\nsim-auto-place=0\npoll-ms=50\n",
                            fixtures, f->ctl.control);
  f->config = kiosk_config_new_from_data (data, f->dir, &error);
  g_assert_no_error (error);
  f->device = kiosk_idcard_device_new (f->config, &error);
  g_assert_no_error (error);
  g_assert_true (KIOSK_IS_IDCARD_DEVICE (f->device));
  g_assert_cmpstr (kiosk_device_get_backend (f->device), ==, "sim");
  f->identities = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_identity_free);
  f->events = g_array_new (FALSE, FALSE, sizeof (int));
  f->main_thread = g_thread_self ();
  g_signal_connect (f->device, "identity", G_CALLBACK (identity_cb), f);
  g_signal_connect (f->device, "card-event", G_CALLBACK (card_event_cb), f);
  kiosk_device_start (f->device);
  if (auto_place <= 0)
    g_assert_true (wait_for (control_ready, f, NULL, 5000));
  g_assert_true (wait_for (has_message, f, PLACE_MSG, 5000));
  g_assert_cmpint (kiosk_device_get_state (f->device), ==, KIOSK_DEVICE_STATE_READY);
}

static void
setup (Fixture *f)
{
  setup_with (f, 0);
}

static void
teardown (Fixture *f)
{
  kiosk_device_stop (f->device);
  g_object_unref (f->device);
  kiosk_config_unref (f->config);
  g_ptr_array_unref (f->identities);
  g_array_unref (f->events);
  g_unlink (f->ctl.control);
  g_rmdir (f->dir);
  g_free (f->ctl.control);
  g_free (f->dir);
}

static void
test_reading_loop (void)
{
  Fixture fx = { 0 }, *f = &fx;
  const KioskIdentity *id;

  setup (f);

  /* This reader finds a card again while it stays after a read (some do):
   * the loop must still read it once. */
  test_sim_ok (&f->ctl, "reactivate on");

  /* One card, one identity, on the main thread. */
  test_sim_ok (&f->ctl, "place resident");
  g_assert_true (wait_for (has_identities, f, GUINT_TO_POINTER (1), 5000));
  id = f->identities->pdata[0];
  g_assert_false (f->wrong_thread);
  g_assert_cmpint (id->card_type, ==, KIOSK_CARD_RESIDENT);
  g_assert_cmpstr (id->name, ==, "张三");
  g_assert_cmpstr (id->id_number, ==, "440304199001011233");
  g_assert_true (id->id_number_valid);
  g_assert_true (id->gender_code == '1');
  g_assert_cmpstr (id->nation_code, ==, "01");
  g_assert_cmpstr (id->valid_to, ==, "2035-06-01");
  g_assert_false (id->expired);
  g_assert_true (wait_for (has_message, f, "Card read, please take your card", 2000));

  /* The card stays and the reader finds it again: no second identity. */
  pause_ms (f, 600);
  g_assert_cmpuint (f->identities->len, ==, 1);

  /* It leaves; a new placement is a new identity. */
  test_sim_ok (&f->ctl, "remove");
  g_assert_true (wait_for (has_message, f, PLACE_MSG, 3000));
  test_sim_ok (&f->ctl, "place resident-expired");
  g_assert_true (wait_for (has_identities, f, GUINT_TO_POINTER (2), 5000));
  id = f->identities->pdata[1];
  g_assert_true (id->expired);
  g_assert_true (wait_for (has_message, f, "The card has expired", 2000));

  /* Every card type reaches the core. */
  {
    const char *names[] = { "foreign-2017", "foreign-2023", "hmt-permit", "resident-elder" };
    const KioskCardType types[]
        = { KIOSK_CARD_FOREIGN_2017, KIOSK_CARD_FOREIGN_2023, KIOSK_CARD_HMT_PERMIT, KIOSK_CARD_RESIDENT };
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *cmd = g_strdup_printf ("place %s", names[i]);
        test_sim_ok (&f->ctl, "remove");
        g_assert_true (wait_for (has_message, f, PLACE_MSG, 3000));
        test_sim_ok (&f->ctl, cmd);
        g_assert_true (wait_for (has_identities, f, GUINT_TO_POINTER (3 + i), 5000));
        id = f->identities->pdata[2 + i];
        g_assert_cmpint (id->card_type, ==, types[i]);
      }
    g_assert_cmpstr (id->valid_to, ==, "长期");
  }

  /* A card that will not read: retried, then an error state and the
   * resident is asked to place it again. */
  test_sim_ok (&f->ctl, "remove");
  g_assert_true (wait_for (has_message, f, PLACE_MSG, 3000));
  test_sim_ok (&f->ctl, "fault status 41 read always");
  test_sim_ok (&f->ctl, "place resident");
  g_assert_true (wait_for (has_message, f, "Reading failed, please place the card again", 5000));
  g_assert_cmpint (kiosk_device_get_state (f->device), ==, KIOSK_DEVICE_STATE_ERROR);
  g_assert_cmpuint (f->identities->len, ==, 6);
  test_sim_ok (&f->ctl, "clear");
  test_sim_ok (&f->ctl, "remove");
  g_assert_true (wait_for (has_message, f, PLACE_MSG, 3000));
  g_assert_cmpint (kiosk_device_get_state (f->device), ==, KIOSK_DEVICE_STATE_READY);

  /* Garbled and split replies are absorbed. */
  test_sim_ok (&f->ctl, "fault garbage any x3");
  test_sim_ok (&f->ctl, "fault split any x3");
  test_sim_ok (&f->ctl, "fault checksum read");
  test_sim_ok (&f->ctl, "place hmt-permit");
  g_assert_true (wait_for (has_identities, f, GUINT_TO_POINTER (7), 5000));
  test_sim_ok (&f->ctl, "remove");
  test_sim_ok (&f->ctl, "clear");
  g_assert_true (wait_for (has_message, f, PLACE_MSG, 3000));

  /* An unknown card type. */
  test_sim_ok (&f->ctl, "fault status 40 read");
  test_sim_ok (&f->ctl, "place resident");
  g_assert_true (wait_for (has_message, f, "This card cannot be recognised", 5000));
  test_sim_ok (&f->ctl, "remove");
  g_assert_true (wait_for (has_message, f, PLACE_MSG, 3000));

  /* The SAM fails its self-test: the reader is out of order. */
  test_sim_ok (&f->ctl, "fault status 60 find always");
  g_assert_true (wait_for (has_message, f, "The ID card reader is out of order, please ask the staff", 5000));
  g_assert_cmpint (kiosk_device_get_state (f->device), ==, KIOSK_DEVICE_STATE_ERROR);
  test_sim_ok (&f->ctl, "clear");

  /* Unplugged, then back: noticed, and reading resumes without a restart. */
  test_sim_ok (&f->ctl, "fault disconnect 1");
  g_assert_true (wait_for (has_state, f, GINT_TO_POINTER (KIOSK_DEVICE_STATE_ABSENT), 3000));
  g_assert_cmpstr (kiosk_device_get_message (f->device), ==,
                   "The ID card reader is not connected, please ask the staff");
  g_assert_true (wait_for (has_message, f, PLACE_MSG, 6000));
  test_sim_ok (&f->ctl, "place foreign-2023");
  g_assert_true (wait_for (has_identities, f, GUINT_TO_POINTER (8), 5000));

  g_assert_false (f->wrong_thread);
  teardown (f);
}

static int
event_at (Fixture *f, guint i)
{
  g_assert_cmpuint (f->events->len, >, i);
  return g_array_index (f->events, int, i);
}

/* What the resident did with a card is announced once, as an event, not
 * only as a state the next poll replaces (issue 13: 1). */
static void
test_card_events (void)
{
  Fixture fx = { 0 }, *f = &fx;

  setup (f);

  /* A good card read and taken away: an identity, no event. */
  test_sim_ok (&f->ctl, "place resident");
  g_assert_true (wait_for (has_identities, f, GUINT_TO_POINTER (1), 5000));
  test_sim_ok (&f->ctl, "remove");
  g_assert_true (wait_for (has_message, f, PLACE_MSG, 3000));
  pause_ms (f, 200);
  g_assert_cmpuint (f->events->len, ==, 0);

  /* A card of a type the reader does not know. */
  test_sim_ok (&f->ctl, "fault status 40 read");
  test_sim_ok (&f->ctl, "place resident");
  g_assert_true (wait_for (has_events, f, GUINT_TO_POINTER (1), 5000));
  g_assert_cmpint (event_at (f, 0), ==, IDCARD_EVENT_UNREADABLE);
  test_sim_ok (&f->ctl, "remove");
  g_assert_true (wait_for (has_message, f, PLACE_MSG, 3000));

  /* A card that will not read: place it again. */
  test_sim_ok (&f->ctl, "fault status 41 read always");
  test_sim_ok (&f->ctl, "place resident");
  g_assert_true (wait_for (has_events, f, GUINT_TO_POINTER (2), 5000));
  g_assert_cmpint (event_at (f, 1), ==, IDCARD_EVENT_READ_FAILED);
  test_sim_ok (&f->ctl, "clear");
  test_sim_ok (&f->ctl, "remove");
  g_assert_true (wait_for (has_message, f, PLACE_MSG, 3000));
  g_assert_cmpuint (f->events->len, ==, 2);

  /* Taken away while the read is under way (the reader does not answer
   * the read, and the card is gone when it asks again). */
  test_sim_ok (&f->ctl, "fault silence read always");
  test_sim_ok (&f->ctl, "place resident");
  g_assert_true (wait_for (has_state, f, GINT_TO_POINTER (KIOSK_DEVICE_STATE_BUSY), 5000));
  test_sim_ok (&f->ctl, "remove");
  g_assert_true (wait_for (has_events, f, GUINT_TO_POINTER (3), 8000));
  g_assert_cmpint (event_at (f, 2), ==, IDCARD_EVENT_REMOVED);
  test_sim_ok (&f->ctl, "clear");
  g_assert_true (wait_for (has_message, f, PLACE_MSG, 3000));
  g_assert_cmpuint (f->identities->len, ==, 1);

  g_assert_false (f->wrong_thread);
  teardown (f);
}

/* A card still on the reader is read again when the core asks (the session
 * that refused it has ended; issue 13: 2), on a reader that can see it. */
static void
test_read_again (void)
{
  Fixture fx = { 0 }, *f = &fx;

  setup (f);
  test_sim_ok (&f->ctl, "reactivate on");
  test_sim_ok (&f->ctl, "place resident");
  g_assert_true (wait_for (has_identities, f, GUINT_TO_POINTER (1), 5000));
  pause_ms (f, 400);
  g_assert_cmpuint (f->identities->len, ==, 1);
  kiosk_idcard_device_read_again (KIOSK_IDCARD_DEVICE (f->device));
  g_assert_true (wait_for (has_identities, f, GUINT_TO_POINTER (2), 5000));
  g_assert_cmpstr (((KioskIdentity *) f->identities->pdata[1])->id_number, ==, "440304199001011233");
  pause_ms (f, 400);
  g_assert_cmpuint (f->identities->len, ==, 2);

  /* Asked with no card there: a later card is read once, as always. */
  test_sim_ok (&f->ctl, "remove");
  g_assert_true (wait_for (has_message, f, PLACE_MSG, 3000));
  kiosk_idcard_device_read_again (KIOSK_IDCARD_DEVICE (f->device));
  pause_ms (f, 200);
  test_sim_ok (&f->ctl, "place hmt-permit");
  g_assert_true (wait_for (has_identities, f, GUINT_TO_POINTER (3), 5000));
  pause_ms (f, 400);
  g_assert_cmpuint (f->identities->len, ==, 3);
  teardown (f);
}

/* The demo's automatic placement stops while the kiosk is busy with
 * someone (issue 13: 16): the device tells the simulator. */
static void
test_auto_place (void)
{
  Fixture fx = { 0 }, *f = &fx;

  setup_with (f, 1);
  /* Allowed (the attract screen): a card comes by itself. */
  g_assert_true (wait_for (has_identities, f, GUINT_TO_POINTER (1), 6000));
  /* A session runs: none while it lasts (the simulator takes the card away
   * 2 s after the read, and would place the next 1 s later). */
  kiosk_idcard_device_set_auto_place (KIOSK_IDCARD_DEVICE (f->device), FALSE);
  pause_ms (f, 4500);
  g_assert_cmpuint (f->identities->len, ==, 1);
  /* Back at the attract screen: cards come again. */
  kiosk_idcard_device_set_auto_place (KIOSK_IDCARD_DEVICE (f->device), TRUE);
  g_assert_true (wait_for (has_identities, f, GUINT_TO_POINTER (2), 6000));
  teardown (f);
}

static void
test_identity_from_card (void)
{
  g_autofree char *dir = test_fixtures_dir ();
  g_autofree char *path = g_build_filename (dir, "foreign-2017.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SamCard) c = idcard_card_from_file (path, &error);
  g_autoptr (KioskIdentity) id = NULL;

  g_assert_no_error (error);
  id = idcard_identity_from_card (c, "2030-01-01");
  g_assert_cmpint (id->card_type, ==, KIOSK_CARD_FOREIGN_2017);
  g_assert_cmpstr (id->name_en, ==, "SMITH, JOHN WILLIAM");
  g_assert_cmpstr (id->nationality, ==, "USA");
  g_assert_null (id->address);
  g_assert_true (id->expired);
}

/* Names, numbers, addresses and birth dates of every fixture. */
static void
assert_no_identity_in (const char *log)
{
  g_autofree char *dir = test_fixtures_dir ();
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *n;
  int checked = 0;

  g_assert_nonnull (d);
  while ((n = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, n, NULL);
      g_autoptr (SamCard) c = idcard_card_from_file (path, NULL);
      const char *secrets[] = { c->name, c->name_en, c->id_number, c->address, c->birth_date, c->pass_number };

      for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
        if (secrets[i] && *secrets[i])
          {
            if (strstr (log, secrets[i]))
              g_error ("a log line holds personal data of fixture %s (field %zu)", n, i);
            checked++;
          }
    }
  g_assert_cmpint (checked, >, 20);
}

int
main (int argc, char **argv)
{
  g_autofree char *log_path = NULL;
  g_autofree char *log = NULL;
  int saved_stderr, rc;

  g_test_init (&argc, &argv, NULL);
  /* Errors are states here, not test failures. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  if (!g_getenv ("KIOSK_IDCARD_SIM"))
    g_setenv ("KIOSK_IDCARD_SIM", IDCARD_SIM_PATH, TRUE);

  /* Capture every log line: ours through a writer, the simulator's through
   * the stderr it inherits. */
  log_fd = g_file_open_tmp ("idcard-log-XXXXXX", &log_path, NULL);
  g_assert_cmpint (log_fd, >=, 0);
  saved_stderr = dup (2);
  dup2 (log_fd, 2);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  /* As the application's main loop does: this thread owns the main
   * context, so the worker's reports queue up for it. */
  g_assert_true (g_main_context_acquire (NULL));
  g_test_add_func ("/idcard/device/reading-loop", test_reading_loop);
  g_test_add_func ("/idcard/device/card-events", test_card_events);
  g_test_add_func ("/idcard/device/read-again", test_read_again);
  g_test_add_func ("/idcard/device/auto-place", test_auto_place);
  g_test_add_func ("/idcard/device/identity-from-card", test_identity_from_card);
  rc = g_test_run ();

  dup2 (saved_stderr, 2);
  g_assert_true (g_file_get_contents (log_path, &log, NULL, NULL));
  /* The capture worked: the run's own lines are there. */
  g_assert_nonnull (strstr (log, "card read: resident"));
  g_assert_nonnull (strstr (log, "card placed: fixture resident"));
  g_assert_nonnull (strstr (log, "read card: status 41"));
  assert_no_identity_in (log);
  g_printerr ("log lines checked for personal data: %u bytes, none found\n", (guint) strlen (log));
  g_unlink (log_path);
  return rc;
}
