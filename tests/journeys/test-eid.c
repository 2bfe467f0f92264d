/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The e-ID QR seam on the identify screen (issue 14 point 3), without GTK:
 * the kiosk core with its devices (the camera's "barcode" signal emitted as
 * the driver emits it) and a test identity provider (no real one ships):
 *  - off (the default): a code read on the identify screen is ignored, the
 *    provider never asked, the camera not put in barcode mode;
 *  - on: the camera looks for codes on the identify screen; a good code
 *    identifies the resident as a card does (source e-ID) and the chosen
 *    journey begins; a refused code leaves the identify screen with a
 *    message (the session's EID_FAILED notice), asked once per code;
 *  - nothing logged carries the ID number, the name or the code. */
#include "config.h"

#include <string.h>

#include "camera-device.h"
#include "kiosk-core.h"
#include "kiosk-eid.h"

static const char *const ID_NUMBER = "11010519491231002X";
static const char *const NAME = "张三丰";
static const char *const GOOD_CODE = "EIDTEST:OK:8f3k7q2m-ZZZ";
static const char *const REFUSED_CODE = "EIDTEST:REVOKED:11aa22bb";

static GString *logged; /* every message, to check none is personal */

/* ---- a test identity provider ------------------------------------------------ */

#define TEST_TYPE_VERIFIER (test_verifier_get_type ())
G_DECLARE_FINAL_TYPE (TestVerifier, test_verifier, TEST, VERIFIER, GObject)

struct _TestVerifier {
  GObject parent_instance;
  guint calls;
};

static void
verify_async (KioskEidVerifier *verifier, const char *payload, GCancellable *cancellable, GAsyncReadyCallback callback,
              gpointer user_data)
{
  TestVerifier *self = TEST_VERIFIER (verifier);
  g_autoptr (GTask) task = g_task_new (verifier, cancellable, callback, user_data);

  self->calls++;
  if (g_str_equal (payload, GOOD_CODE))
    {
      KioskIdentity *id = kiosk_identity_new ();
      id->card_type = KIOSK_CARD_RESIDENT;
      id->name = g_strdup (NAME);
      id->gender_code = '1';
      id->birth_date = g_strdup ("1949-12-31");
      id->id_number = g_strdup (ID_NUMBER);
      id->id_number_valid = TRUE;
      id->valid_to = g_strdup ("长期");
      g_task_return_pointer (task, id, (GDestroyNotify) kiosk_identity_free);
    }
  else if (g_str_has_prefix (payload, "EIDTEST:"))
    g_task_return_new_error (task, KIOSK_EID_ERROR, KIOSK_EID_ERROR_REFUSED, "code %s revoked", payload);
  else
    g_task_return_new_error (task, KIOSK_EID_ERROR, KIOSK_EID_ERROR_NOT_EID, "not an e-ID code");
}

static KioskIdentity *
verify_finish (KioskEidVerifier *verifier, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_verifier_iface_init (KioskEidVerifierInterface *iface)
{
  iface->verify_async = verify_async;
  iface->verify_finish = verify_finish;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestVerifier, test_verifier, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KIOSK_TYPE_EID_VERIFIER, test_verifier_iface_init))

static void
test_verifier_class_init (TestVerifierClass *klass)
{
}

static void
test_verifier_init (TestVerifier *self)
{
}

/* ---- the kiosk ----------------------------------------------------------------- */

static struct {
  char *dir;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskDevice *camera;
  TestVerifier *verifier;
  int notices;
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
settle (void)
{
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
notice_cb (KioskSession *session, int notice, gpointer data)
{
  if (notice == KIOSK_CARD_NOTICE_EID_FAILED)
    T.notices++;
}

static void
core_up (gboolean eid)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = g_strdup_printf ("[kiosk]\nid=EI-01\nstation=测试村便民服务站\n"
                                           "[store]\npath=%s/kiosk.db\n"
                                           "[platform]\nurl=http://127.0.0.1:9/\nallow-http=true\n"
                                           "%s"
                                           "[idcard]\nbackend=real\nports=%s/no-such-tty\ntransport=serial\n"
                                           "[camera]\nbackend=real\n[pad]\nbackend=none\n"
                                           "[printer]\nbackend=real\nuri=ipp://127.0.0.1:9/ipp/print\n",
                                           T.dir, eid ? "[identity]\neid-qr=true\n" : "", T.dir);

  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_core_start (T.core);
  WAIT_FOR (kiosk_core_get_store (T.core) != NULL, 20);
  T.camera = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "camera");
  g_assert_true (KIOSK_IS_CAMERA_DEVICE (T.camera));
  g_assert_nonnull (kiosk_core_get_eid (T.core));
  g_assert_cmpint (kiosk_eid_get_enabled (kiosk_core_get_eid (T.core)), ==, eid);
  T.verifier = g_object_new (TEST_TYPE_VERIFIER, NULL);
  kiosk_eid_set_verifier (kiosk_core_get_eid (T.core), KIOSK_EID_VERIFIER (T.verifier));
  T.notices = 0;
  g_signal_connect (T.session, "card-notice", G_CALLBACK (notice_cb), NULL);
}

static void
core_down (void)
{
  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_object (&T.verifier);
  g_clear_pointer (&T.config, kiosk_config_unref);
}

/* The resident chose 自助申报 (it needs an identity): the identify screen. */
static void
to_identify (void)
{
  kiosk_session_wipe (T.session);
  g_assert_true (kiosk_session_touch (T.session));
  g_assert_true (kiosk_session_select_journey (T.session, "apply"));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_IDENTIFY);
}

/* As the driver emits a decoded code. */
static void
show_code (const char *code)
{
  g_signal_emit_by_name (T.camera, "barcode", "QR_CODE", code);
}

/* ---- tests ------------------------------------------------------------------- */

static void
test_off_ignores (void)
{
  core_up (FALSE);
  to_identify ();
  g_assert_cmpint (kiosk_camera_device_get_scan_mode (KIOSK_CAMERA_DEVICE (T.camera)), ==, KIOSK_CAMERA_SCAN_NONE);
  show_code (GOOD_CODE);
  kiosk_eid_scanned (kiosk_core_get_eid (T.core), GOOD_CODE);
  settle ();
  g_assert_cmpuint (T.verifier->calls, ==, 0);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_IDENTIFY);
  g_assert_null (kiosk_session_get_identity (T.session));
  g_assert_null (kiosk_eid_get_message (kiosk_core_get_eid (T.core)));
  g_assert_cmpint (T.notices, ==, 0);
  core_down ();
}

static void
test_on_identifies (void)
{
  const KioskIdentity *who;

  core_up (TRUE);
  /* Not on the identify screen: ignored. */
  g_assert_true (kiosk_session_touch (T.session));
  show_code (GOOD_CODE);
  settle ();
  g_assert_cmpuint (T.verifier->calls, ==, 0);

  to_identify ();
  g_assert_cmpint (kiosk_camera_device_get_scan_mode (KIOSK_CAMERA_DEVICE (T.camera)), ==, KIOSK_CAMERA_SCAN_BARCODE);
  show_code (GOOD_CODE);
  show_code (GOOD_CODE); /* read again while verifying: asked once */
  WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_JOURNEY, 10);
  g_assert_cmpuint (T.verifier->calls, ==, 1);
  g_assert_cmpstr (kiosk_journey_get_id (kiosk_session_get_journey (T.session)), ==, "apply");
  who = kiosk_session_get_identity (T.session);
  g_assert_nonnull (who);
  g_assert_cmpint (who->source, ==, KIOSK_IDENTITY_SOURCE_EID);
  g_assert_cmpstr (who->id_number, ==, ID_NUMBER);
  g_assert_cmpint (T.notices, ==, 0);
  /* In the journey the camera is the journey's again (自助申报: pages). */
  g_assert_cmpint (kiosk_camera_device_get_scan_mode (KIOSK_CAMERA_DEVICE (T.camera)), !=, KIOSK_CAMERA_SCAN_BARCODE);
  kiosk_session_wipe (T.session);
  core_down ();
}

static void
test_on_refused (void)
{
  KioskEid *eid;

  core_up (TRUE);
  eid = kiosk_core_get_eid (T.core);
  to_identify ();
  show_code (REFUSED_CODE);
  WAIT_FOR (T.notices == 1, 10);
  g_assert_nonnull (kiosk_eid_get_message (eid));
  g_assert_false (kiosk_eid_get_verifying (eid));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_IDENTIFY);
  g_assert_null (kiosk_session_get_identity (T.session));
  /* The same code again: not asked again, no second notice. */
  show_code (REFUSED_CODE);
  settle ();
  g_assert_cmpuint (T.verifier->calls, ==, 1);
  g_assert_cmpint (T.notices, ==, 1);
  /* A code that is no e-ID code at all: its own message. */
  show_code ("https://example.org/not-an-eid");
  WAIT_FOR (T.notices == 2, 10);
  g_assert_nonnull (strstr (kiosk_eid_get_message (eid), "not an e-ID code"));
  /* A card still works, and leaving the screen forgets the message. */
  kiosk_session_back (T.session);
  g_assert_null (kiosk_eid_get_message (eid));
  /* No provider installed: said so. */
  kiosk_eid_set_verifier (eid, NULL);
  to_identify ();
  show_code (GOOD_CODE);
  g_assert_cmpint (T.notices, ==, 3);
  g_assert_nonnull (strstr (kiosk_eid_get_message (eid), "cannot be checked on this kiosk"));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_IDENTIFY);
  kiosk_session_wipe (T.session);
  core_down ();
}

static void
test_nothing_personal_logged (void)
{
  g_assert_cmpuint (logged->len, >, 0);
  g_assert_null (strstr (logged->str, ID_NUMBER));
  g_assert_null (strstr (logged->str, NAME));
  g_assert_null (strstr (logged->str, "8f3k7q2m"));
  g_assert_null (strstr (logged->str, "11aa22bb"));
  g_assert_nonnull (strstr (logged->str, "e-ID code verified"));
}

static GLogWriterOutput
writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      g_string_append_printf (logged, "%s\n", (const char *) fields[i].value);
  /* Debug and info lines are kept for the check above only: the default
   * writer would put them on stdout, among the TAP lines. */
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *cmd = NULL;
  int ret;

  logged = g_string_new (NULL);
  g_log_set_writer_func (writer, NULL, NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_init (&argc, &argv, NULL);
  /* The missing reader and printer are warned about: expected. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  T.dir = g_dir_make_tmp ("kiosk-eid-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/eid/off-ignores", test_off_ignores);
  g_test_add_func ("/eid/on-identifies", test_on_identifies);
  g_test_add_func ("/eid/on-refused", test_on_refused);
  g_test_add_func ("/eid/nothing-personal-logged", test_nothing_personal_logged);
  ret = g_test_run ();

  cmd = g_strdup_printf ("rm -rf '%s'", T.dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (T.dir);
  g_string_free (logged, TRUE);
  return ret;
}
