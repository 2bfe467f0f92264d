/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The maintenance screen's core (issue #16 point 4) without GTK: the kiosk
 * core with simulated devices (ippeveprinter behind the printer's sim
 * backend, the camera playing an image, the pad's sim), its store and the
 * reference platform:
 *  - the gesture: taps on the clock alone, or too late after the long
 *    press, open nothing; the whole gesture ends the resident's session;
 *  - the right PIN opens; wrong PINs wait 5, 10, 20, 40 s and the fifth
 *    locks for [maintenance] lockout-minutes, also across a restart of the
 *    core; the configuration and the store hold no clear PIN;
 *  - every action (sync now, test page, pad, camera, card, log excerpt,
 *    open, close, wrong PINs) leaves an audit record in the store's outbox,
 *    and each reaches the platform (POST /v1/records/audit);
 *  - the card test shows the masked name and number only, and neither is
 *    in any audit record; the log excerpt masks an ID number. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "camera-device.h"
#include "kiosk-core.h"
#include "kiosk-maint.h"
#include "kiosk-pin.h"
#include "pad-device.h"
#include "store-test-util.h"

#define PIN "246810"
#define ID_NUMBER "11010519491231002X"

static struct {
  char *dir;
  char *conf;
  char *hash;
  TestPlatform *platform;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskMaint *maint;
  gint64 now;
  guint frames;
} T;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_FOR(cond, secs)                                            \
  G_STMT_START                                                          \
  {                                                                     \
    gboolean _timed_out = FALSE;                                        \
    guint _t = g_timeout_add_seconds ((secs), timeout_cb, &_timed_out); \
    while (!(cond) && !_timed_out)                                      \
      g_main_context_iteration (NULL, TRUE);                            \
    if (!_timed_out)                                                    \
      g_source_remove (_t);                                             \
    if (!(cond))                                                        \
      g_error ("timed out waiting for: %s", #cond);                     \
  }                                                                     \
  G_STMT_END

static void
advance (int seconds)
{
  T.now += (gint64) seconds * G_USEC_PER_SEC;
  _kiosk_maint_set_now (T.maint, T.now);
  kiosk_maint_tick (T.maint);
}

static void
core_up (void)
{
  g_autoptr (GError) error = NULL;
  KioskDevice *printer;

  T.config = kiosk_config_new_from_data (T.conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  T.maint = kiosk_core_get_maint (T.core);
  g_assert_nonnull (T.maint);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_maint_set_manual_clock (T.maint, TRUE);
  _kiosk_maint_set_now (T.maint, T.now);
  kiosk_core_start (T.core);
  WAIT_FOR (kiosk_core_get_store (T.core) != NULL && kiosk_core_get_sync (T.core) != NULL, 20);
  printer = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");
  WAIT_FOR (kiosk_device_get_state (printer) == KIOSK_DEVICE_STATE_READY, 60);
}

static void
core_down (void)
{
  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  T.session = NULL;
  T.maint = NULL;
}

static void
do_gesture (void)
{
  g_assert_false (kiosk_maint_gesture (T.maint, KIOSK_MAINT_GESTURE_STATION_LONG_PRESS));
  for (int i = 1; i < KIOSK_MAINT_CLOCK_TAPS; i++)
    g_assert_false (kiosk_maint_gesture (T.maint, KIOSK_MAINT_GESTURE_CLOCK_TAP));
  g_assert_true (kiosk_maint_gesture (T.maint, KIOSK_MAINT_GESTURE_CLOCK_TAP));
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_PIN);
}

/* @pin typed: waits for the worker thread's answer. */
static void
enter_pin (const char *pin)
{
  g_assert_true (kiosk_maint_enter_pin (T.maint, pin));
  g_assert_true (kiosk_maint_get_pin_busy (T.maint));
  WAIT_FOR (!kiosk_maint_get_pin_busy (T.maint), 30);
}

/* The audit records in the kiosk's outbox: "action:result" each, and
 * whether every one was delivered. */
static GPtrArray *
outbox_audits (gboolean *all_done, GString *payloads)
{
  g_autofree char *db = g_build_filename (T.dir, "kiosk.db", NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *h = NULL;
  sqlite3_stmt *st = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db, &h, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (h, 5000);
  g_assert_cmpint (
      sqlite3_prepare_v2 (h,
                          "SELECT json_extract(payload, '$.action'), json_extract(payload, '$.result'), state,"
                          " payload, json_extract(payload, '$.kiosk_id'), json_extract(payload, '$.at')"
                          " FROM outbox WHERE kind = 'audit' ORDER BY id",
                          -1, &st, NULL),
      ==, SQLITE_OK);
  if (all_done)
    *all_done = TRUE;
  while (sqlite3_step (st) == SQLITE_ROW)
    {
      g_ptr_array_add (out, g_strdup_printf ("%s:%s", sqlite3_column_text (st, 0), sqlite3_column_text (st, 1)));
      if (all_done && sqlite3_column_int (st, 2) != KIOSK_OUTBOX_DONE)
        *all_done = FALSE;
      g_assert_cmpstr ((const char *) sqlite3_column_text (st, 4), ==, "MT-01");
      g_assert_nonnull (sqlite3_column_text (st, 5));
      if (payloads)
        g_string_append_printf (payloads, "%s\n", sqlite3_column_text (st, 3));
    }
  sqlite3_finalize (st);
  sqlite3_close (h);
  return out;
}

static gboolean
has_audit (GPtrArray *audits, const char *prefix)
{
  for (guint i = 0; i < audits->len; i++)
    if (g_str_has_prefix (audits->pdata[i], prefix))
      return TRUE;
  return FALSE;
}

/* Every audit record delivered, the last one the idle close. */
static gboolean
audits_delivered (void)
{
  gboolean all_done = FALSE;
  g_autoptr (GPtrArray) a = outbox_audits (&all_done, NULL);

  return all_done && has_audit (a, "close:idle");
}

static guint
n_audits (void)
{
  g_autoptr (GPtrArray) a = outbox_audits (NULL, NULL);
  return a->len;
}

/* ---- tests ----------------------------------------------------------------------- */

static void
test_gesture (void)
{
  g_assert_true (kiosk_maint_get_configured (T.maint));
  g_assert_true (kiosk_session_touch (T.session));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);

  /* Taps on the clock alone open nothing. */
  for (int i = 0; i < 2 * KIOSK_MAINT_CLOCK_TAPS; i++)
    g_assert_false (kiosk_maint_gesture (T.maint, KIOSK_MAINT_GESTURE_CLOCK_TAP));
  /* Nor taps too long after the long press. */
  g_assert_false (kiosk_maint_gesture (T.maint, KIOSK_MAINT_GESTURE_STATION_LONG_PRESS));
  advance (KIOSK_MAINT_GESTURE_SECONDS + 1);
  for (int i = 0; i < KIOSK_MAINT_CLOCK_TAPS; i++)
    g_assert_false (kiosk_maint_gesture (T.maint, KIOSK_MAINT_GESTURE_CLOCK_TAP));
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_OFF);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);

  /* The whole gesture: the resident's session ends, the PIN is asked. */
  do_gesture ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  /* A second gesture while it is open does nothing. */
  g_assert_false (kiosk_maint_gesture (T.maint, KIOSK_MAINT_GESTURE_STATION_LONG_PRESS));

  /* The PIN prompt closes by itself. */
  for (int i = 0; i < KIOSK_MAINT_PIN_IDLE_SECONDS - 1; i++)
    kiosk_maint_tick (T.maint);
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_PIN);
  kiosk_maint_touch (T.maint);
  kiosk_maint_tick (T.maint);
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_PIN);
  for (int i = 0; i < KIOSK_MAINT_PIN_IDLE_SECONDS; i++)
    kiosk_maint_tick (T.maint);
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_OFF);
}

static void
test_right_pin (void)
{
  guint before = n_audits ();

  do_gesture ();
  /* Not a PIN: refused at once, nothing counted. */
  g_assert_false (kiosk_maint_enter_pin (T.maint, "12a4"));
  g_assert_false (kiosk_maint_enter_pin (T.maint, "12"));
  enter_pin (PIN);
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_OPEN);
  g_assert_cmpint (kiosk_maint_get_pin_wait (T.maint), ==, 0);
  kiosk_maint_leave (T.maint);
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_OFF);
  WAIT_FOR (n_audits () == before + 2, 10);
  {
    g_autoptr (GPtrArray) a = outbox_audits (NULL, NULL);
    g_assert_cmpstr (a->pdata[before], ==, "open:ok");
    g_assert_cmpstr (a->pdata[before + 1], ==, "close:button");
  }
}

static void
test_wrong_pins (void)
{
  static const int delays[] = { 5, 10, 20, 40 };

  do_gesture ();
  for (int i = 0; i < KIOSK_PIN_MAX_FAILURES; i++)
    {
      g_assert_cmpint (kiosk_maint_get_pin_wait (T.maint), ==, 0);
      enter_pin ("135790");
      g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_PIN);
      if (i == KIOSK_PIN_MAX_FAILURES - 1)
        break;
      g_assert_false (kiosk_maint_get_pin_locked (T.maint));
      g_assert_cmpint (kiosk_maint_get_pin_wait (T.maint), ==, delays[i]);
      g_assert_nonnull (strstr (kiosk_maint_get_pin_message (T.maint), "Try again in"));
      /* Not even the right PIN before the wait is over. */
      g_assert_false (kiosk_maint_enter_pin (T.maint, PIN));
      advance (delays[i] - 1);
      g_assert_cmpint (kiosk_maint_get_pin_wait (T.maint), ==, 1);
      g_assert_false (kiosk_maint_enter_pin (T.maint, PIN));
      advance (1);
      kiosk_maint_touch (T.maint);
    }
  g_assert_true (kiosk_maint_get_pin_locked (T.maint));
  g_test_message ("locked: %s", kiosk_maint_get_pin_message (T.maint));
  g_assert_nonnull (strstr (kiosk_maint_get_pin_message (T.maint), "locked"));
  g_assert_nonnull (strstr (kiosk_maint_get_pin_message (T.maint), "30 min"));
  g_assert_false (kiosk_maint_enter_pin (T.maint, PIN));
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_PIN);
  kiosk_maint_leave (T.maint);
}

/* The count is in the store: a restart keeps the lock-out. */
static void
test_locked_across_restart (void)
{
  core_down ();
  core_up ();
  do_gesture ();
  WAIT_FOR (kiosk_maint_get_pin_locked (T.maint), 10);
  g_assert_false (kiosk_maint_enter_pin (T.maint, PIN));
  advance (29 * 60);
  kiosk_maint_touch (T.maint);
  g_assert_true (kiosk_maint_get_pin_locked (T.maint));
  g_assert_nonnull (strstr (kiosk_maint_get_pin_message (T.maint), "1 min"));
  advance (60);
  g_assert_false (kiosk_maint_get_pin_locked (T.maint));
  /* One more wrong PIN after a lock-out locks again at once. */
  enter_pin ("000000");
  g_assert_true (kiosk_maint_get_pin_locked (T.maint));
  advance (30 * 60);
  kiosk_maint_touch (T.maint);
  enter_pin (PIN);
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_OPEN);
  kiosk_maint_leave (T.maint);
  {
    g_autoptr (GPtrArray) a = outbox_audits (NULL, NULL);
    g_assert_true (has_audit (a, "pin_wrong:wrong (1 in a row)"));
    g_assert_true (has_audit (a, "pin_locked:wrong (5 in a row)"));
    g_assert_true (has_audit (a, "pin_locked:wrong (6 in a row)"));
  }
}

/* Neither the configuration nor the store holds the PIN in clear. */
static void
test_no_clear_pin (void)
{
  const char *const files[] = { "kiosk.db", "kiosk.db-wal", "kiosk.conf" };

  g_assert_true (g_str_has_prefix (T.hash, "$argon2id$"));
  g_assert_null (strstr (T.conf, PIN));
  g_assert_nonnull (strstr (T.conf, T.hash));
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (T.dir, files[i], NULL);
      g_autofree char *bytes = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &bytes, &len, NULL))
        continue;
      g_assert_null (g_strstr_len (bytes, (gssize) len, PIN));
    }
  /* Two hashes of the same PIN differ (a salt each), both verify. */
  {
    g_autofree char *again = kiosk_pin_hash (PIN);
    g_assert_cmpstr (again, !=, T.hash);
    g_assert_true (kiosk_pin_verify (again, PIN));
    g_assert_false (kiosk_pin_verify (again, "246811"));
  }
}

static void
frame_cb (KioskMaint *maint, const KioskCameraFrame *frame, gpointer data)
{
  g_assert_cmpint (frame->width, >, 0);
  g_assert_cmpint (frame->width, <=, KIOSK_CAMERA_PREVIEW_WIDTH);
  T.frames++;
}

static void
test_actions (void)
{
  KioskDevice *idcard = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "idcard");
  KioskPadDevice *pad = kiosk_pad_device_from_device (kiosk_core_get_pad (T.core));
  g_autoptr (GPtrArray) audits = NULL;
  g_autoptr (GString) payloads = g_string_new (NULL);
  g_autofree char *excerpt = NULL;
  const KioskMaintStatus *st;
  gulong id;

  do_gesture ();
  enter_pin (PIN);
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_OPEN);
  g_assert_cmpstr (kiosk_maint_get_kiosk_id (T.maint), ==, "MT-01");
  g_assert_cmpstr (kiosk_maint_get_version (T.maint), ==, PACKAGE_VERSION);

  /* What it shows: outbox and disk, measured in a worker thread. */
  st = kiosk_maint_get_status (T.maint);
  WAIT_FOR (st->valid, 20);
  g_assert_cmpuint (st->disk_free, >, 0);
  g_assert_cmpuint (st->disk_size, >=, st->disk_free);
  g_assert_null (st->error);

  kiosk_maint_sync_now (T.maint);
  g_assert_cmpint (kiosk_maint_get_test_state (T.maint, KIOSK_MAINT_ACTION_SYNC), ==, KIOSK_MAINT_TEST_DONE);

  kiosk_maint_test_print (T.maint);
  g_assert_cmpint (kiosk_maint_get_test_state (T.maint, KIOSK_MAINT_ACTION_PRINT), ==, KIOSK_MAINT_TEST_RUNNING);
  WAIT_FOR (kiosk_maint_get_test_state (T.maint, KIOSK_MAINT_ACTION_PRINT) != KIOSK_MAINT_TEST_RUNNING, 60);
  g_test_message ("print: %s", kiosk_maint_get_test_result (T.maint, KIOSK_MAINT_ACTION_PRINT));
  g_assert_cmpint (kiosk_maint_get_test_state (T.maint, KIOSK_MAINT_ACTION_PRINT), ==, KIOSK_MAINT_TEST_DONE);

  g_assert_nonnull (pad);
  kiosk_maint_set_test (T.maint, KIOSK_MAINT_ACTION_PAD, TRUE);
  g_assert_true (kiosk_maint_get_test_on (T.maint, KIOSK_MAINT_ACTION_PAD));
  g_assert_true (kiosk_pad_device_sim_press (pad, KIOSK_PAD_KEY_VERY_SATISFIED));
  WAIT_FOR (strstr (kiosk_maint_get_test_result (T.maint, KIOSK_MAINT_ACTION_PAD),
                    kiosk_pad_key_to_string (KIOSK_PAD_KEY_VERY_SATISFIED))
                != NULL,
            10);
  g_assert_true (kiosk_pad_device_sim_press (pad, KIOSK_PAD_KEY_DISSATISFIED));
  WAIT_FOR (strstr (kiosk_maint_get_test_result (T.maint, KIOSK_MAINT_ACTION_PAD),
                    kiosk_pad_key_to_string (KIOSK_PAD_KEY_DISSATISFIED))
                != NULL,
            10);
  kiosk_maint_set_test (T.maint, KIOSK_MAINT_ACTION_PAD, FALSE);

  id = g_signal_connect (T.maint, "camera-frame", G_CALLBACK (frame_cb), NULL);
  kiosk_maint_set_test (T.maint, KIOSK_MAINT_ACTION_CAMERA, TRUE);
  WAIT_FOR (T.frames >= 3, 30);
  kiosk_maint_set_test (T.maint, KIOSK_MAINT_ACTION_CAMERA, FALSE);
  g_signal_handler_disconnect (T.maint, id);
  {
    KioskDevice *camera = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "camera");
    g_assert_false (kiosk_camera_device_get_screen_preview (KIOSK_CAMERA_DEVICE (camera)));
  }

  /* A card while the card test is off reaches nobody (no session). */
  {
    KioskIdentity *who = kiosk_identity_new ();
    who->card_type = KIOSK_CARD_RESIDENT;
    who->name = g_strdup ("张三丰");
    who->id_number = g_strdup (ID_NUMBER);
    who->id_number_valid = TRUE;
    who->birth_date = g_strdup ("1949-12-31");
    who->valid_to = g_strdup ("长期");
    g_signal_emit_by_name (idcard, "identity", who);
    g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
    g_assert_cmpstr (kiosk_maint_get_test_result (T.maint, KIOSK_MAINT_ACTION_CARD), ==, "");
    kiosk_maint_set_test (T.maint, KIOSK_MAINT_ACTION_CARD, TRUE);
    g_signal_emit_by_name (idcard, "identity", who);
    kiosk_identity_free (who);
  }
  g_test_message ("card: %s", kiosk_maint_get_test_result (T.maint, KIOSK_MAINT_ACTION_CARD));
  g_assert_nonnull (strstr (kiosk_maint_get_test_result (T.maint, KIOSK_MAINT_ACTION_CARD), "张**"));
  g_assert_nonnull (strstr (kiosk_maint_get_test_result (T.maint, KIOSK_MAINT_ACTION_CARD), "1101**********002X"));
  g_assert_null (strstr (kiosk_maint_get_test_result (T.maint, KIOSK_MAINT_ACTION_CARD), "三丰"));
  g_assert_null (strstr (kiosk_maint_get_test_result (T.maint, KIOSK_MAINT_ACTION_CARD), "19491231"));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  kiosk_maint_set_test (T.maint, KIOSK_MAINT_ACTION_CARD, FALSE);

  /* The log: kept, an ID number or a phone masked even if one got there. */
  g_message ("maint test line: a number " ID_NUMBER " and 13800001234 must not show");
  excerpt = kiosk_maint_log_excerpt (T.maint, 50);
  g_assert_nonnull (strstr (excerpt, "maint test line"));
  g_assert_nonnull (strstr (excerpt, "[ID number]"));
  g_assert_nonnull (strstr (excerpt, "[phone]"));
  g_assert_null (strstr (excerpt, ID_NUMBER));
  g_assert_null (strstr (excerpt, "13800001234"));
  g_assert_nonnull (strstr (excerpt, "maintenance opened"));

  /* Idle: back to the attract screen. */
  for (int i = 0; i < 30; i++)
    kiosk_maint_tick (T.maint);
  g_assert_cmpint (kiosk_maint_get_state (T.maint), ==, KIOSK_MAINT_OFF);

  /* Every action in the outbox, and on the platform. */
  WAIT_FOR (audits_delivered (), 60);
  audits = outbox_audits (NULL, payloads);
  for (guint i = 0; i < audits->len; i++)
    g_test_message ("audit: %s", (char *) audits->pdata[i]);
  {
    const char *const expected[] = { "open:ok",
                                     "sync_now:ok",
                                     "test_print:printed",
                                     "pad_test:started",
                                     "pad_test:stopped after 2 keys",
                                     "camera_test:started",
                                     "camera_test:stopped after",
                                     "card_test:started",
                                     "card_test:read",
                                     "card_test:stopped after 1 cards",
                                     "log_excerpt:",
                                     "close:idle" };
    guint at = 0;
    /* Each one, in the order it happened. */
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      {
        while (at < audits->len && !g_str_has_prefix (audits->pdata[at], expected[i]))
          at++;
        if (at == audits->len)
          g_error ("no audit record %s (in its place)", expected[i]);
      }
  }
  g_assert_null (strstr (payloads->str, "张"));
  g_assert_null (strstr (payloads->str, "1101"));
  g_assert_null (strstr (payloads->str, PIN));
  {
    sqlite3 *h = NULL;
    sqlite3_stmt *q = NULL;
    g_assert_cmpint (sqlite3_open_v2 (T.platform->db, &h, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    sqlite3_busy_timeout (h, 5000);
    g_assert_cmpint (sqlite3_prepare_v2 (h, "SELECT count(*) FROM records WHERE kind = 'audit' AND kiosk_id = 'MT-01'",
                                         -1, &q, NULL),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (q), ==, SQLITE_ROW);
    g_test_message ("the platform holds %d audit records, the outbox %u", sqlite3_column_int (q, 0), audits->len);
    g_assert_cmpint (sqlite3_column_int (q, 0), ==, (int) audits->len);
    sqlite3_finalize (q);
    sqlite3_close (h);
  }
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *images = NULL;
  g_autofree char *conf_path = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* Devices and the sync engine warn about what a test does on purpose
   * (plain HTTP, no reader): criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_writer_func (kiosk_maint_log_writer, NULL, NULL);
  T.dir = g_dir_make_tmp ("maint-core-XXXXXX", &error);
  g_assert_no_error (error);
  {
    g_autofree char *mat
        = g_build_filename (KIOSK_SOURCE_DIR, "drivers", "camera", "sim-images", "03-empty-mat.jpg", NULL);
    g_autofree char *copy = NULL;
    g_autofree char *bytes = NULL;
    gsize len = 0;

    images = g_build_filename (T.dir, "images", NULL);
    g_mkdir_with_parents (images, 0700);
    copy = g_build_filename (images, "03-empty-mat.jpg", NULL);
    g_assert_true (g_file_get_contents (mat, &bytes, &len, &error));
    g_assert_true (g_file_set_contents (copy, bytes, (gssize) len, &error));
  }
  T.platform = test_platform_start (T.dir, NULL);
  T.hash = kiosk_pin_hash (PIN);
  g_assert_nonnull (T.hash);
  T.conf = g_strdup_printf ("[kiosk]\nid=MT-01\nstation=测试村便民服务站\nphone=0571-00000000\n"
                            "[store]\npath=%s/kiosk.db\n"
                            "[platform]\nurl=%s\nallow-http=true\n"
                            "[idcard]\nbackend=real\nports=%s/no-such-tty\ntransport=serial\n"
                            "[camera]\nbackend=sim\nsim-images=%s\n"
                            "[pad]\nbackend=sim\n[printer]\nbackend=sim\n"
                            "[maintenance]\npin-hash=%s\nidle-seconds=30\nlockout-minutes=30\n",
                            T.dir, T.platform->url, T.dir, images, T.hash);
  conf_path = g_build_filename (T.dir, "kiosk.conf", NULL);
  g_assert_true (g_file_set_contents (conf_path, T.conf, -1, &error));
  T.now = g_get_real_time ();
  core_up ();

  g_test_add_func ("/maint/gesture", test_gesture);
  g_test_add_func ("/maint/right-pin", test_right_pin);
  g_test_add_func ("/maint/wrong-pins", test_wrong_pins);
  g_test_add_func ("/maint/locked-across-restart", test_locked_across_restart);
  g_test_add_func ("/maint/no-clear-pin", test_no_clear_pin);
  g_test_add_func ("/maint/actions", test_actions);
  ret = g_test_run ();

  core_down ();
  test_platform_stop (T.platform);
  store_test_rmdir (T.dir);
  g_free (T.dir);
  g_free (T.conf);
  g_free (T.hash);
  return ret;
}
