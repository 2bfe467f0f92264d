/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 办事指南 and 进度查询 journeys end to end, in-process under Xvfb: the
 * reference platform runs as a real process; the kiosk core opens its store,
 * syncs the catalog and a case; the guide lists the catalog and shows one
 * item's materials; a progress query finds the case by its receipt number,
 * shows its status, and "done" leads to the rating with the case number.
 * Screenshots of each screen go to the build folder. Skips (77) without a
 * display. */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "camera-device.h"
#include "kiosk-guide-journey.h"
#include "kiosk-i18n.h"
#include "kiosk-progress-journey.h"
#include "kiosk-ui.h"
#include "kiosk-window.h"
#include "printer-device.h"

static struct {
  char *dir;
  char *shots;
  int shot_no;
  GSubprocess *platform;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
  char *case_number;
} T;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until @cond (polled) holds, or fails after @secs. */
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

static gboolean ticked;

static gboolean
tick_cb (gpointer data)
{
  ticked = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the UI settle (layout, paint) for a moment. */
static void
settle (void)
{
  ticked = FALSE;
  g_timeout_add (150, tick_cb, NULL);
  WAIT_FOR (ticked, 5);
}

static void
screenshot (const char *what)
{
  g_autofree char *name = g_strdup_printf ("%02d-%s.png", ++T.shot_no, what);
  g_autofree char *path = g_build_filename (T.shots, name, NULL);
  g_autoptr (GError) error = NULL;

  int min_width, min_height;

  settle ();
  /* The screen fits a 1920x1080 kiosk: nothing pushes the window wider or
   * taller than the monitor. */
  gtk_widget_measure (kiosk_window_get_shell (T.window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (kiosk_window_get_shell (T.window), GTK_ORIENTATION_VERTICAL, 1920, &min_height, NULL, NULL, NULL);
  if (min_width > 1920 || min_height > 1080)
    g_error ("the %s screen needs %dx%d px", what, min_width, min_height);
  g_assert_true (kiosk_window_save_screenshot (T.window, path, &error));
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
}

static gboolean
shows_text (GtkWidget *w, const char *text)
{
  const char *t = NULL;

  if (!gtk_widget_get_mapped (w))
    return FALSE;
  if (GTK_IS_LABEL (w))
    t = gtk_label_get_text (GTK_LABEL (w));
  if (t && strstr (t, text))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    if (shows_text (c, text))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_button (GtkWidget *w, const char *text)
{
  if (GTK_IS_BUTTON (w) && gtk_widget_get_mapped (w) && shows_text (w, text))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *b = find_button (c, text);
      if (b)
        return b;
    }
  return NULL;
}

static GtkWidget *
find_entry (GtkWidget *w)
{
  if (GTK_IS_ENTRY (w) && gtk_widget_get_mapped (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *e = find_entry (c);
      if (e)
        return e;
    }
  return NULL;
}

static void
click (const char *text)
{
  GtkWidget *b = find_button (GTK_WIDGET (T.window), text);
  if (b == NULL)
    g_error ("no button showing '%s'", text);
  kiosk_window_activity (T.window);
  g_signal_emit_by_name (b, "clicked");
}

static void
assert_shown (const char *text)
{
  if (!shows_text (GTK_WIDGET (T.window), text))
    g_error ("'%s' is not on screen", text);
}

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
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
catalog_ready (void)
{
  KioskStore *store = kiosk_core_get_store (T.core);
  g_autofree char *json = store ? kiosk_store_get_catalog (store, NULL) : NULL;
  return json && strlen (json) > 10;
}

static void
setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *platform = g_build_filename (KIOSK_BUILD_DIR, "tests", "platform", "kiosk-platform", NULL);
  g_autofree char *listen = NULL;
  g_autofree char *db = NULL;
  g_autofree char *conf = NULL;
  int port = free_port ();

  T.dir = g_dir_make_tmp ("kiosk-journeys-XXXXXX", &error);
  g_assert_no_error (error);
  T.shots = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys", "screenshots", NULL);
  g_mkdir_with_parents (T.shots, 0755);

  listen = g_strdup_printf ("127.0.0.1:%d", port);
  db = g_build_filename (T.dir, "platform.db", NULL);
  {
    g_autoptr (GSubprocessLauncher) l
        = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
    /* The platform must not outlive a failed test. */
    g_subprocess_launcher_set_child_setup (l, die_with_parent, NULL, NULL);
    T.platform = g_subprocess_launcher_spawn (l, &error, platform, "--listen", listen, "--db", db, NULL);
  }
  g_assert_no_error (error);

  conf = g_strdup_printf ("[kiosk]\nid=jt-01\nstation=测试村便民服务站\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\nheartbeat-seconds=5\n"
                          "[idcard]\nbackend=real\nports=%s/no-such-tty\ntransport=serial\n"
                          "[camera]\nbackend=real\n[pad]\nbackend=none\n[printer]\nbackend=sim\n",
                          T.dir, port, T.dir);
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_core_start (T.core);

  kiosk_ui_init ();
  T.window = kiosk_window_new (NULL, T.core, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (T.window), 1920, 1080);
  gtk_window_present (GTK_WINDOW (T.window));

  /* The store opens, sync fetches the catalog from the platform. */
  WAIT_FOR (kiosk_core_get_store (T.core) != NULL, 20);
  WAIT_FOR (catalog_ready (), 30);
}

static void
test_guide (void)
{
  KioskGuideJourney *guide = KIOSK_GUIDE_JOURNEY (kiosk_session_find_journey (T.session, "guide"));

  g_assert_true (kiosk_journey_get_available (KIOSK_JOURNEY (guide)));
  g_assert_true (kiosk_session_touch (T.session));
  settle ();
  click ("办事指南");
  WAIT_FOR (!kiosk_guide_journey_get_loading (guide)
                && json_array_get_length (kiosk_guide_journey_get_items (guide)) >= 30,
            10);
  settle ();
  /* The first item's everything-at-once details. */
  assert_shown ("城乡居民养老保险参保登记");
  assert_shown ("户口簿");
  assert_shown ("承诺时限");
  screenshot ("guide");

  /* The guide printed on the (simulated IPP Everywhere) printer: counted
   * only when the printer says completed, its record queued for sync. */
  {
    KioskDevice *printer = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");
    KioskPrinterSim *sim;
    g_autoptr (GPtrArray) received = NULL;
    g_autofree char *cmd = NULL;
    g_autofree char *text = NULL;
    KioskQueueCounts before = { 0 }, after = { 0 };

    g_assert_true (KIOSK_IS_PRINTER_DEVICE (printer));
    WAIT_FOR (kiosk_device_get_state (printer) == KIOSK_DEVICE_STATE_READY, 30);
    sim = kiosk_printer_device_get_sim (KIOSK_PRINTER_DEVICE (printer));
    g_assert_nonnull (sim);
    g_assert_true (kiosk_store_queue_counts (kiosk_core_get_store (T.core), &before, NULL));
    click ("打印本指南");
    /* Said at once, on the click: the simulated printer can finish the
     * job before any settling of the main loop is over. */
    assert_shown ("正在打印");
    WAIT_FOR (shows_text (GTK_WIDGET (T.window), "打印完成"), 60);
    screenshot ("guide-printed");
    received = kiosk_printer_sim_list_received (sim);
    g_assert_cmpuint (received->len, ==, 1);
    cmd = g_strdup_printf ("pdftotext '%s' -", (char *) received->pdata[0]);
    g_assert_true (g_spawn_command_line_sync (cmd, &text, NULL, NULL, NULL));
    g_assert_nonnull (strstr (text, "城乡居民养老保险参保登记"));
    g_assert_nonnull (strstr (text, "户口簿"));
    g_assert_true (kiosk_store_queue_counts (kiosk_core_get_store (T.core), &after, NULL));
    g_assert_cmpint (after.pending + after.done, >, before.pending + before.done);
    /* The outbox wakes the sync engine: the records reach the platform
     * long before its next timed look (60 s). */
    WAIT_FOR (kiosk_store_queue_counts (kiosk_core_get_store (T.core), &after, NULL) && after.pending == 0
                  && after.done > before.done,
              20);
  }

  /* Another item from the list. */
  click ("最低生活保障");
  settle ();
  assert_shown ("核对授权书");
  screenshot ("guide-item");
  click ("返回");
  settle ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);
}

static void
test_progress (void)
{
  KioskStore *store = kiosk_core_get_store (T.core);
  KioskProgressJourney *progress;
  GtkWidget *entry;
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskCaseInfo) info = NULL;

  /* A case handed in at this kiosk, delivered by sync. */
  T.case_number = kiosk_store_submit_case (
      store,
      "{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"测试\",\"id_number\":\"11010519491231002X\"},"
      "\"form\":{\"phone\":\"13800000000\",\"contribution_grade\":\"300元\"},\"delivery\":{\"method\":\"pickup\"}}",
      NULL, &error);
  g_assert_no_error (error);
  kiosk_sync_wake (kiosk_core_get_sync (T.core));
  WAIT_FOR ((info = kiosk_store_find_case (store, T.case_number, NULL)) != NULL
                && (info->sync_state == KIOSK_CASE_SUBMITTED || (kiosk_case_info_free (info), info = NULL, FALSE)),
            30);
  g_assert_nonnull (info->official_number);

  click ("进度查询");
  settle ();
  progress = KIOSK_PROGRESS_JOURNEY (kiosk_session_get_journey (T.session));
  g_assert_nonnull (progress);
  assert_shown ("请输入回执单上的办件编号");
  screenshot ("progress-empty");

  /* A mistyped number. */
  entry = find_entry (GTK_WIDGET (T.window));
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "NO-SUCH-CASE-1");
  click ("查询");
  WAIT_FOR (kiosk_progress_journey_get_state (progress) == KIOSK_PROGRESS_NOT_FOUND, 20);
  settle ();
  assert_shown ("未找到");

  /* Invalid characters. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "abc/../x");
  click ("查询");
  g_assert_cmpint (kiosk_progress_journey_get_state (progress), ==, KIOSK_PROGRESS_INVALID);

  /* The receipt number: most of it typed in, the last character on the
   * on-screen keys. */
  {
    g_autofree char *upper = g_ascii_strup (T.case_number, -1);
    char last[2] = { upper[strlen (upper) - 1], 0 };
    upper[strlen (upper) - 1] = '\0';
    gtk_editable_set_text (GTK_EDITABLE (entry), upper);
    click ("删除");
    click ("清空");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
    gtk_editable_set_text (GTK_EDITABLE (entry), upper);
    click (last);
  }
  click ("查询");
  WAIT_FOR (kiosk_progress_journey_get_state (progress) == KIOSK_PROGRESS_FOUND, 20);
  settle ();
  assert_shown ("城乡居民养老保险参保登记");
  assert_shown (info->official_number);
  screenshot ("progress-found");

  /* The receipt's QR code under the camera does the same: the camera scans
   * for codes only while 进度查询 is open. */
  {
    KioskDevice *camera = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "camera");
    g_autofree char *url = g_strdup_printf ("https://kiosk.example/progress?case=%s", T.case_number);

    g_assert_true (KIOSK_IS_CAMERA_DEVICE (camera));
    g_assert_cmpint (kiosk_camera_device_get_scan_mode (KIOSK_CAMERA_DEVICE (camera)), ==, KIOSK_CAMERA_SCAN_BARCODE);
    click ("清空");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
    click ("返回");
    settle ();
    g_assert_cmpint (kiosk_camera_device_get_scan_mode (KIOSK_CAMERA_DEVICE (camera)), ==, KIOSK_CAMERA_SCAN_NONE);
    click ("进度查询");
    settle ();
    progress = KIOSK_PROGRESS_JOURNEY (kiosk_session_get_journey (T.session));
    entry = find_entry (GTK_WIDGET (T.window));
    g_assert_cmpint (kiosk_camera_device_get_scan_mode (KIOSK_CAMERA_DEVICE (camera)), ==, KIOSK_CAMERA_SCAN_BARCODE);
    g_signal_emit_by_name (camera, "barcode", "QRCode", "not a case number at all");
    g_assert_cmpint (kiosk_progress_journey_get_state (progress), ==, KIOSK_PROGRESS_IDLE);
    g_signal_emit_by_name (camera, "barcode", "QRCode", url);
    WAIT_FOR (kiosk_progress_journey_get_state (progress) == KIOSK_PROGRESS_FOUND, 20);
    settle ();
    {
      g_autofree char *upper = g_ascii_strup (T.case_number, -1);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, upper);
    }
    assert_shown (info->official_number);
  }

  /* Done: the query was a service event, rated with the case number. */
  click ("完成");
  settle ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_RATE);
  g_assert_nonnull (kiosk_session_get_service_event (T.session));
  g_assert_cmpstr (kiosk_session_get_service_event (T.session)->case_number, ==, info->official_number);
  g_assert_cmpstr (kiosk_session_get_service_event (T.session)->kind, ==, "progress");
  screenshot ("progress-rate");

  /* The wipe clears what the page showed. */
  kiosk_session_wipe (T.session);
  settle ();
  g_assert_cmpint (kiosk_progress_journey_get_state (progress), ==, KIOSK_PROGRESS_IDLE);
  g_assert_null (kiosk_progress_journey_get_case (progress));
}

static void
test_normalise (void)
{
  g_autofree char *a = kiosk_progress_normalise_number ("  jt-01-20261122-000001k ");
  g_autofree char *b = kiosk_progress_normalise_number ("https://x.example/q?case=JT-01-1&lang=zh");
  g_autofree char *c = kiosk_progress_normalise_number ("a b");
  g_autofree char *d = kiosk_progress_normalise_number ("");

  g_assert_cmpstr (a, ==, "JT-01-20261122-000001K");
  g_assert_cmpstr (b, ==, "JT-01-1");
  g_assert_null (c);
  g_assert_null (d);
}

static void
teardown (void)
{
  if (T.window)
    {
      kiosk_window_set_allow_close (T.window, TRUE);
      gtk_window_destroy (GTK_WINDOW (T.window));
    }
  if (T.core)
    kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  if (T.platform)
    {
      g_subprocess_force_exit (T.platform);
      g_subprocess_wait (T.platform, NULL, NULL);
      g_clear_object (&T.platform);
    }
  if (T.dir)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", T.dir);
      g_assert_cmpint (system (cmd), ==, 0);
    }
  g_free (T.case_number);
  g_free (T.shots);
  g_free (T.dir);
}

int
main (int argc, char **argv)
{
  int status;

  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_test_init (&argc, &argv, NULL);
  /* Sync logs warnings while the platform starts; only criticals are bugs. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/journeys/normalise", test_normalise);
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_message ("no display: skipping the UI journeys");
      return g_test_run ();
    }
  kiosk_i18n_init ();
  kiosk_i18n_set_language ("zh_CN");
  kiosk_ui_preinit ();
  gtk_init ();
  setup ();
  g_test_add_func ("/journeys/guide", test_guide);
  g_test_add_func ("/journeys/progress", test_progress);
  status = g_test_run ();
  teardown ();
  return status;
}
