/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The journey framework without GTK: the core with its devices (a reader
 * on a missing port, the camera, no pad, a printer nobody answers) and its
 * store, driven by intents and by device events as the drivers emit them.
 * Covers the registry (menu order, icons, camera modes), the routing of
 * device events to the current journey, Back inside a journey's steps, the
 * 办事指南 journey (catalog from the store, typed) and the 进度查询 journey
 * (a receipt's QR code → query → this kiosk's copy). The platform is a port
 * nobody listens on: everything here works offline. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "camera-device.h"
#include "kiosk-core.h"
#include "kiosk-guide-journey.h"
#include "kiosk-journey-registry.h"
#include "kiosk-progress-journey.h"
#include "kiosk-store.h"

static struct {
  char *dir;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
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

/* ---- a journey with steps, as a form journey has them --------------------- */

#define TEST_TYPE_STEPS_JOURNEY (test_steps_journey_get_type ())
G_DECLARE_FINAL_TYPE (TestStepsJourney, test_steps_journey, TEST, STEPS_JOURNEY, KioskJourney)

struct _TestStepsJourney {
  KioskJourney parent_instance;
  int begun;
  int wiped;
  int barcodes;
  int pad_keys;
  int pages;
  char *last_code;
};

G_DEFINE_FINAL_TYPE (TestStepsJourney, test_steps_journey, KIOSK_TYPE_JOURNEY)

static void
steps_begin (KioskJourney *j)
{
  TEST_STEPS_JOURNEY (j)->begun++;
}

static void
steps_wipe (KioskJourney *j)
{
  TEST_STEPS_JOURNEY (j)->wiped++;
  g_clear_pointer (&TEST_STEPS_JOURNEY (j)->last_code, g_free);
}

static void
steps_barcode (KioskJourney *j, const char *format, const char *text)
{
  TestStepsJourney *self = TEST_STEPS_JOURNEY (j);
  self->barcodes++;
  g_free (self->last_code);
  self->last_code = g_strdup (text);
}

static void
steps_pad_key (KioskJourney *j, guint key)
{
  TEST_STEPS_JOURNEY (j)->pad_keys++;
}

static void
steps_page (KioskJourney *j, GBytes *jpeg, int width, int height, int dpi, const char *message)
{
  TEST_STEPS_JOURNEY (j)->pages++;
}

static void
test_steps_journey_finalize (GObject *object)
{
  g_free (TEST_STEPS_JOURNEY (object)->last_code);
  G_OBJECT_CLASS (test_steps_journey_parent_class)->finalize (object);
}

static void
test_steps_journey_class_init (TestStepsJourneyClass *klass)
{
  KioskJourneyClass *jc = KIOSK_JOURNEY_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_steps_journey_finalize;
  jc->begin = steps_begin;
  jc->wipe = steps_wipe;
  jc->barcode = steps_barcode;
  jc->pad_key = steps_pad_key;
  jc->page_captured = steps_page;
  /* back: the default, one step back while there is one */
}

static void
test_steps_journey_init (TestStepsJourney *self)
{
  static const char *const steps[]
      = { "item", "Choose the item", "form", "Fill in the form", "review", "Check and hand in", NULL };
  kiosk_journey_set_steps (KIOSK_JOURNEY (self), steps);
}

/* ---- fixture --------------------------------------------------------------- */

static int
free_port (void)
{
  g_autoptr (GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) a = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (s, a, TRUE, NULL));
  bound = g_socket_get_local_address (s, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;

  T.dir = g_dir_make_tmp ("kiosk-journey-core-XXXXXX", &error);
  g_assert_no_error (error);
  /* The platform's port has nobody behind it: offline from the start. */
  conf = g_strdup_printf ("[kiosk]\nid=JC-01\nstation=测试村便民服务站\nphone=0571-00000000\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\n"
                          "[idcard]\nbackend=real\nports=%s/no-such-tty\ntransport=serial\n"
                          "[camera]\nbackend=real\n[pad]\nbackend=none\n"
                          "[printer]\nbackend=real\nuri=ipp://127.0.0.1:%d/ipp/print\n",
                          T.dir, free_port (), T.dir, free_port ());
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_core_start (T.core);
  WAIT_FOR (kiosk_core_get_store (T.core) != NULL, 20);
  /* The reference platform's seed catalog, as sync would store it. */
  {
    g_autofree char *path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
    g_autofree char *catalog = NULL;
    g_assert_true (g_file_get_contents (path, &catalog, NULL, &error));
    g_assert_true (kiosk_store_set_catalog (kiosk_core_get_store (T.core), catalog, NULL, &error));
    g_assert_no_error (error);
  }
}

static void
teardown (void)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", T.dir);

  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (T.dir);
}

static KioskCameraDevice *
camera (void)
{
  KioskDevice *d = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "camera");
  g_assert_true (KIOSK_IS_CAMERA_DEVICE (d));
  return KIOSK_CAMERA_DEVICE (d);
}

/* ---- tests ------------------------------------------------------------------ */

/* The menu is the registry, in its order, each journey with its row. */
static void
test_registry (void)
{
  GListModel *journeys = kiosk_session_get_journeys (T.session);
  guint n = 0;
  const KioskJourneyInfo *rows = kiosk_journey_registry (&n);

  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (journeys), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (KioskJourney) j = g_list_model_get_item (journeys, i);
      g_assert_cmpstr (kiosk_journey_get_id (j), ==, rows[i].id);
      g_assert_true (kiosk_journey_get_info (j) == &rows[i]);
      g_assert_cmpstr (kiosk_journey_get_title (j), ==, rows[i].title);
      g_assert_cmpstr (kiosk_journey_get_icon_name (j), ==, rows[i].icon);
      g_assert_cmpstr (kiosk_journey_get_description (j), ==, rows[i].description);
      g_assert_cmpint (kiosk_journey_get_requires_identity (j), ==, rows[i].requires_identity);
      g_assert_cmpint (kiosk_journey_get_available (j), ==, rows[i].create != NULL);
    }
  g_assert_true (kiosk_journey_registry_lookup ("progress") == &rows[3]);
  g_assert_null (kiosk_journey_registry_lookup ("nope"));
}

/* Back steps back inside a journey's steps, then leaves it; device events
 * reach the current journey only. */
static void
test_back_within_steps (void)
{
  TestStepsJourney *j
      = g_object_new (TEST_TYPE_STEPS_JOURNEY, "id", "steps", "title", "Steps", "available", TRUE, NULL);
  KioskJourney *journey = KIOSK_JOURNEY (j);
  KioskDevice *cam = KIOSK_DEVICE (camera ());

  kiosk_session_register_journey (T.session, journey);
  g_assert_cmpuint (g_list_model_get_n_items (kiosk_journey_get_steps (journey)), ==, 3);

  /* Not current: a code read now goes nowhere. */
  g_signal_emit_by_name (cam, "barcode", "QRCode", "ignored");
  g_assert_cmpint (j->barcodes, ==, 0);

  g_assert_true (kiosk_session_touch (T.session));
  g_assert_true (kiosk_session_select_journey (T.session, "steps"));
  g_assert_cmpint (j->begun, ==, 1);
  g_assert_cmpuint (kiosk_journey_get_step (journey), ==, 0);
  kiosk_journey_set_step (journey, 2);
  g_assert_cmpuint (kiosk_journey_get_step (journey), ==, 2);
  kiosk_journey_set_step (journey, 7); /* past the last: the last */
  g_assert_cmpuint (kiosk_journey_get_step (journey), ==, 2);

  g_signal_emit_by_name (cam, "barcode", "QRCode", "hello");
  g_assert_cmpint (j->barcodes, ==, 1);
  g_assert_cmpstr (j->last_code, ==, "hello");
  g_signal_emit_by_name (cam, "page-failed", "no page");
  g_assert_cmpint (j->pages, ==, 1);

  /* Back: step 2 → 1 → 0, still in the journey; then the menu. */
  g_assert_true (kiosk_session_back (T.session));
  g_assert_cmpuint (kiosk_journey_get_step (journey), ==, 1);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_JOURNEY);
  g_assert_true (kiosk_session_back (T.session));
  g_assert_cmpuint (kiosk_journey_get_step (journey), ==, 0);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_JOURNEY);
  g_assert_true (kiosk_session_back (T.session));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);

  /* Back at the menu: events no longer reach it. */
  g_signal_emit_by_name (cam, "barcode", "QRCode", "later");
  g_assert_cmpint (j->barcodes, ==, 1);

  /* Entering again starts at the first step; the wipe resets it too. */
  g_assert_true (kiosk_session_select_journey (T.session, "steps"));
  g_assert_cmpint (j->begun, ==, 2);
  kiosk_journey_set_step (journey, 1);
  kiosk_session_wipe (T.session);
  g_assert_cmpint (j->wiped, >=, 1);
  g_assert_null (j->last_code);
  g_assert_cmpuint (kiosk_journey_get_step (journey), ==, 0);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
}

static void
printed_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  GError **out = data;
  if (kiosk_guide_journey_print_finish (KIOSK_GUIDE_JOURNEY (source), result, out))
    *out = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "printed (nobody should have)");
}

/* 办事指南: the catalog read from the store, shown by item; leaving with
 * Back (no steps of its own). */
static void
test_guide (void)
{
  KioskGuideJourney *guide = KIOSK_GUIDE_JOURNEY (kiosk_session_find_journey (T.session, "guide"));

  g_assert_true (kiosk_session_touch (T.session));
  g_assert_true (kiosk_session_select_journey (T.session, "guide"));
  g_assert_cmpint (kiosk_camera_device_get_scan_mode (camera ()), ==, KIOSK_CAMERA_SCAN_NONE);
  WAIT_FOR (!kiosk_guide_journey_get_loading (guide)
                && json_array_get_length (kiosk_guide_journey_get_items (guide)) > 0,
            10);
  g_assert_nonnull (kiosk_guide_journey_find (guide, "MZ-026"));
  g_assert_null (kiosk_guide_journey_find (guide, "XX-000"));
  {
    g_auto (GStrv) departments = kiosk_guide_journey_dup_departments (guide);
    g_assert_cmpuint (g_strv_length (departments), >=, 2);
    g_assert_cmpstr (departments[0], ==, "人社");
  }
  /* Typed for the page (app/domain's items): no JSON beyond the journey,
   * every item of the catalog decoded. */
  g_assert_cmpuint (kiosk_guide_journey_get_n_items (guide), ==,
                    json_array_get_length (kiosk_guide_journey_get_items (guide)));
  {
    const KioskCatalogItem *item = kiosk_guide_journey_lookup (guide, "MZ-026");
    const KioskMaterial *m;

    g_assert_nonnull (item);
    g_assert_cmpstr (kiosk_guide_journey_get_item (guide, 0)->code, ==, "RS-001");
    g_assert_cmpstr (item->name, ==, "高龄津贴申领");
    g_assert_cmpstr (item->department, ==, "民政");
    g_assert_cmpint (item->time_limit_days, ==, 22);
    g_assert_nonnull (item->fee.text);
    g_assert_cmpint (item->commitment_allowed, ==, KIOSK_FLAG_NO);
    g_assert_cmpuint (item->delivery, ==, KIOSK_DELIVERY_PICKUP | KIOSK_DELIVERY_POST);
    g_assert_cmpuint (item->n_materials, ==, 3);
    m = &item->materials[0];
    g_assert_cmpstr (m->name, ==, "户口簿");
    g_assert_true (m->required);
    g_assert_null (kiosk_guide_journey_lookup (guide, "XX-000"));
  }
  /* Printing goes through the core and back through print_progress: the
   * printer nobody answers gives the resident's message. */
  {
    GError *error = NULL;
    kiosk_guide_journey_print_async (guide, "MZ-026", NULL, printed_cb, &error);
    WAIT_FOR (error != NULL, 90);
    g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS));
    g_assert_cmpuint (strlen (error->message), >, 0);
    g_test_message ("print failed as it should: %s", error->message);
    g_error_free (error);
  }
  g_assert_true (kiosk_session_back (T.session));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);
  kiosk_session_wipe (T.session);
}

/* 进度查询: the camera scans codes while it is current; a receipt's QR code
 * is queried, offline from this kiosk's own copy; a foreign code is said. */
static void
test_progress (void)
{
  KioskStore *store = kiosk_core_get_store (T.core);
  KioskProgressJourney *progress = KIOSK_PROGRESS_JOURNEY (kiosk_session_find_journey (T.session, "progress"));
  g_autoptr (GError) error = NULL;
  g_autofree char *number = kiosk_store_submit_case (
      store,
      "{\"item_code\":\"MZ-026\",\"applicant\":{\"name\":\"测试\",\"id_number\":\"11010519491231002X\"},"
      "\"form\":{},\"delivery\":{\"method\":\"pickup\"}}",
      NULL, &error);
  g_autofree char *url = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (number);
  g_assert_true (kiosk_session_touch (T.session));
  g_assert_true (kiosk_session_select_journey (T.session, "progress"));
  g_assert_cmpint (kiosk_camera_device_get_scan_mode (camera ()), ==, KIOSK_CAMERA_SCAN_BARCODE);
  g_assert_cmpint (kiosk_progress_journey_get_state (progress), ==, KIOSK_PROGRESS_IDLE);

  /* Not a receipt: said, nothing queried. */
  g_signal_emit_by_name (camera (), "barcode", "QRCode", "https://example.org/not/a/case");
  g_assert_cmpint (kiosk_progress_journey_get_scan_notice (progress), ==, KIOSK_PROGRESS_SCAN_FOREIGN);
  g_assert_cmpint (kiosk_progress_journey_get_state (progress), ==, KIOSK_PROGRESS_IDLE);

  /* The receipt's code (a URL carrying case=NUMBER). */
  url = g_strdup_printf ("https://kiosk.example/case?case=%s&v=1", number);
  g_signal_emit_by_name (camera (), "barcode", "QRCode", url);
  g_assert_cmpstr (kiosk_progress_journey_get_number (progress), ==, number);
  WAIT_FOR (kiosk_progress_journey_get_state (progress) != KIOSK_PROGRESS_QUERYING, 30);
  g_assert_cmpint (kiosk_progress_journey_get_state (progress), ==, KIOSK_PROGRESS_FOUND);
  g_assert_true (kiosk_progress_journey_get_offline (progress));
  g_assert_cmpstr (kiosk_progress_journey_get_item_name (progress), ==, "高龄津贴申领");

  /* Leaving stops the scanning; the wipe forgets the number. */
  g_assert_true (kiosk_session_back (T.session));
  g_assert_cmpint (kiosk_camera_device_get_scan_mode (camera ()), ==, KIOSK_CAMERA_SCAN_NONE);
  kiosk_session_wipe (T.session);
  g_assert_null (kiosk_progress_journey_get_number (progress));
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* The plain-HTTP platform and the missing devices are warned about:
   * expected here; criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  setup ();
  g_test_add_func ("/journey-core/registry", test_registry);
  g_test_add_func ("/journey-core/guide", test_guide);
  g_test_add_func ("/journey-core/progress", test_progress);
  g_test_add_func ("/journey-core/back-within-steps", test_back_within_steps);
  status = g_test_run ();
  teardown ();
  return status;
}
