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

#include "camera-barcode.h"
#include "camera-device.h"
#include "kiosk-guide-journey.h"
#include "kiosk-i18n.h"
#include "kiosk-journey-page.h"
#include "kiosk-progress-journey.h"
#include "kiosk-steps.h"
#include "kiosk-store.h"
#include "kiosk-sync.h"
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
  g_autofree char *platform = g_build_filename (KIOSK_BUILD_DIR, "platform", "kiosk-platform", NULL);
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
  assert_shown ("请输入回执单上的受理编号");
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
  /* Anonymous: the kiosk cannot tell the applicant, and says who may rate. */
  g_assert_null (kiosk_session_get_service_event (T.session)->applicant_id_number);
  assert_shown ("只有申请人本人可以评价此办件");
  screenshot ("progress-rate");

  /* The wipe clears what the page showed. */
  kiosk_session_wipe (T.session);
  settle ();
  g_assert_cmpint (kiosk_progress_journey_get_state (progress), ==, KIOSK_PROGRESS_IDLE);
  g_assert_null (kiosk_progress_journey_get_case (progress));
}

/* The on-screen key that types @key ("1", "Q", "back", "clear"). */
static GtkWidget *
find_key (GtkWidget *w, const char *key)
{
  if (GTK_IS_BUTTON (w) && gtk_widget_get_mapped (w) && g_strcmp0 (g_object_get_data (G_OBJECT (w), "key"), key) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *k = find_key (c, key);
      if (k)
        return k;
    }
  return NULL;
}

static void
press_key (const char *key)
{
  GtkWidget *b = find_key (GTK_WIDGET (T.window), key);
  if (b == NULL)
    g_error ("no key '%s'", key);
  kiosk_window_activity (T.window);
  g_signal_emit_by_name (b, "clicked");
}

/* Where the keys and the number field are, in window coordinates. */
typedef struct {
  graphene_rect_t r[6];
} KeyLayout;

static KeyLayout
key_layout (void)
{
  const char *keys[] = { "1", "0", "Q", "M", "back", "clear" };
  KeyLayout l;

  settle ();
  /* A page just made may not be laid out yet on a busy machine: wait for
   * the keys' allocation (never smaller than 64 px once laid out). */
  for (guint tries = 0;; tries++)
    {
      gboolean laid_out = TRUE;
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          GtkWidget *k = find_key (GTK_WIDGET (T.window), keys[i]);
          if (k == NULL)
            g_error ("no key '%s'", keys[i]);
          g_assert_true (gtk_widget_compute_bounds (k, GTK_WIDGET (T.window), &l.r[i]));
          laid_out = laid_out && l.r[i].size.width >= 64 && l.r[i].size.height >= 64;
        }
      if (laid_out)
        return l;
      if (tries >= 100)
        g_error ("the keypad was not laid out");
      settle ();
    }
}

/* Nothing moved under a finger (issue 13: 5). */
static void
assert_same_layout (const KeyLayout *a, const char *what)
{
  KeyLayout b = key_layout ();
  for (guint i = 0; i < G_N_ELEMENTS (a->r); i++)
    if (!graphene_rect_equal (&a->r[i], &b.r[i]))
      g_error ("key %u moved when the page showed %s: %gx%g+%g+%g -> %gx%g+%g+%g", i, what, a->r[i].size.width,
               a->r[i].size.height, a->r[i].origin.x, a->r[i].origin.y, b.r[i].size.width, b.r[i].size.height,
               b.r[i].origin.x, b.r[i].origin.y);
}

/* 进度查询 with the platform gone (issue 13: 4, 5): a case held here is
 * shown as this kiosk's dated copy, never as the platform's answer; a number
 * the kiosk does not hold gets "the platform cannot be reached" with a time
 * to try again, not "not found". A receipt read while typing does not
 * replace the typing, and nothing on the keypad moves whatever is shown. */
static void
test_progress_offline (void)
{
  KioskProgressJourney *progress;
  KioskDevice *camera = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "camera");
  GtkWidget *entry;
  KeyLayout layout;

  g_assert_nonnull (T.case_number);
  kiosk_session_wipe (T.session);
  g_assert_true (kiosk_session_touch (T.session));
  settle ();
  click ("进度查询");
  settle ();
  progress = KIOSK_PROGRESS_JOURNEY (kiosk_session_get_journey (T.session));
  entry = find_entry (GTK_WIDGET (T.window));
  layout = key_layout ();

  /* Digits first: the digit keys come before the letters, and are larger. */
  {
    graphene_rect_t one, q;
    g_assert_true (gtk_widget_compute_bounds (find_key (GTK_WIDGET (T.window), "1"), GTK_WIDGET (T.window), &one));
    g_assert_true (gtk_widget_compute_bounds (find_key (GTK_WIDGET (T.window), "Q"), GTK_WIDGET (T.window), &q));
    g_assert_cmpfloat (one.origin.y, <, q.origin.y);
    g_assert_cmpfloat (one.size.width, >, q.size.width);
    g_assert_cmpfloat (q.size.width, >=, 64);
    g_assert_cmpfloat (q.size.height, >=, 64);
  }

  /* Online first: the answer says it is the platform's. */
  gtk_editable_set_text (GTK_EDITABLE (entry), T.case_number);
  click ("查询");
  WAIT_FOR (kiosk_progress_journey_get_state (progress) != KIOSK_PROGRESS_QUERYING, 20);
  g_assert_cmpint (kiosk_progress_journey_get_state (progress), ==, KIOSK_PROGRESS_FOUND);
  g_assert_false (kiosk_progress_journey_get_offline (progress));
  g_assert_cmpint (kiosk_progress_journey_get_origin (progress)->source, ==, KIOSK_PROGRESS_FROM_PLATFORM);
  assert_same_layout (&layout, "a case from the platform");
  assert_shown ("政务服务平台，刚刚查询");
  assert_shown ("受理编号");

  /* The platform dies. */
  g_subprocess_force_exit (T.platform);
  g_subprocess_wait (T.platform, NULL, NULL);
  g_clear_object (&T.platform);

  click ("查询");
  WAIT_FOR (kiosk_progress_journey_get_state (progress) != KIOSK_PROGRESS_QUERYING, 40);
  g_assert_cmpint (kiosk_progress_journey_get_state (progress), ==, KIOSK_PROGRESS_FOUND);
  g_assert_true (kiosk_progress_journey_get_offline (progress));
  g_assert_cmpint (kiosk_progress_journey_get_origin (progress)->source, ==, KIOSK_PROGRESS_FROM_LOCAL_COPY);
  g_assert_cmpint (kiosk_progress_journey_get_origin (progress)->as_of, >, 0);
  assert_shown ("现在连不上政务服务平台");
  assert_shown ("本机保存的记录，截至 ");
  assert_shown ("分钟后");
  g_assert_false (shows_text (GTK_WIDGET (T.window), "刚刚查询"));
  assert_same_layout (&layout, "an offline copy");
  screenshot ("progress-offline-copy");

  /* A number this kiosk does not hold: not the resident's fault. */
  press_key ("clear");
  for (const char *k = "ZW2026030900009999"; *k; k++)
    {
      char key[2] = { *k, 0 };
      press_key (key);
    }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "ZW2026030900009999");
  click ("查询");
  WAIT_FOR (kiosk_progress_journey_get_state (progress) != KIOSK_PROGRESS_QUERYING, 40);
  g_assert_cmpint (kiosk_progress_journey_get_state (progress), ==, KIOSK_PROGRESS_UNREACHABLE);
  assert_shown ("这不是您的编号有误");
  assert_shown ("分钟后");
  g_assert_false (shows_text (GTK_WIDGET (T.window), "未找到"));
  assert_same_layout (&layout, "platform unreachable");
  screenshot ("progress-offline-unknown");

  /* Typing in progress, a receipt on the mat: the typing stays. */
  press_key ("clear");
  press_key ("Z");
  press_key ("W");
  press_key ("2");
  g_signal_emit_by_name (camera, "barcode", "QRCode", T.case_number);
  settle ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "ZW2");
  g_assert_cmpint (kiosk_progress_journey_get_scan_notice (progress), ==, KIOSK_PROGRESS_SCAN_HELD_BACK);
  assert_shown ("没有替换您正在输入的编号");
  assert_same_layout (&layout, "a scan held back");
  press_key ("0");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "ZW20");
  /* Still typing: still said, and the next read is held back too. */
  g_assert_cmpint (kiosk_progress_journey_get_scan_notice (progress), ==, KIOSK_PROGRESS_SCAN_HELD_BACK);
  g_signal_emit_by_name (camera, "barcode", "QRCode", T.case_number);
  settle ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "ZW20");
  assert_shown ("没有替换您正在输入的编号");
  screenshot ("progress-scan-while-typing");

  /* A foreign code gets a word, and nothing moves either. */
  g_signal_emit_by_name (camera, "barcode", "QRCode", "http://example.com/some shop");
  settle ();
  g_assert_cmpint (kiosk_progress_journey_get_scan_notice (progress), ==, KIOSK_PROGRESS_SCAN_FOREIGN);
  assert_shown ("不是办事回执单上的二维码");
  assert_same_layout (&layout, "a foreign code");
  screenshot ("progress-foreign-code");

  /* Cleared: the receipt is taken. */
  press_key ("clear");
  g_signal_emit_by_name (camera, "barcode", "QRCode", T.case_number);
  WAIT_FOR (kiosk_progress_journey_get_state (progress) == KIOSK_PROGRESS_FOUND, 40);
  {
    g_autofree char *upper = g_ascii_strup (T.case_number, -1);
    settle ();
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, upper);
  }
  assert_same_layout (&layout, "a scanned case");
  kiosk_session_wipe (T.session);
  settle ();
}

/* The labels carrying the CSS class "personal", referenced. */
static void
collect_personal (GtkWidget *w, GPtrArray *out)
{
  if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "personal"))
    g_ptr_array_add (out, g_object_ref (w));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect_personal (c, out);
}

/* 我的办件 (issue 13: 6): after the ID card, 进度查询 lists the resident's
 * own cases at once, from the platform, with status, dated steps and the
 * promised date; the keypad does not move when the list arrives; the wipe
 * clears it. */
static void
test_my_cases (void)
{
  KioskProgressJourney *progress;
  g_autoptr (KioskIdentity) id = kiosk_identity_new ();
  KeyLayout layout;
  g_autofree char *upper = NULL;

  g_assert_nonnull (T.case_number);
  /* The keypad of the anonymous page, the one that lists nothing. */
  kiosk_session_wipe (T.session);
  g_assert_true (kiosk_session_touch (T.session));
  settle ();
  click ("进度查询");
  settle ();
  g_assert_cmpint (
      kiosk_progress_journey_get_mine_state (KIOSK_PROGRESS_JOURNEY (kiosk_session_get_journey (T.session))), ==,
      KIOSK_PROGRESS_MINE_NONE);
  g_assert_false (shows_text (GTK_WIDGET (T.window), "我的办件"));
  layout = key_layout ();
  kiosk_session_wipe (T.session);
  settle ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("测试");
  id->id_number = g_strdup ("11010519491231002X"); /* the applicant of T.case_number */
  id->id_number_valid = TRUE;
  g_assert_true (kiosk_session_identity_read (T.session, id));
  settle ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);
  click ("进度查询");
  progress = KIOSK_PROGRESS_JOURNEY (kiosk_session_get_journey (T.session));
  g_assert_cmpint (kiosk_progress_journey_get_mine_state (progress), !=, KIOSK_PROGRESS_MINE_NONE);
  WAIT_FOR (kiosk_progress_journey_get_mine_state (progress) != KIOSK_PROGRESS_MINE_LOADING, 30);
  g_assert_cmpint (kiosk_progress_journey_get_mine_state (progress), ==, KIOSK_PROGRESS_MINE_READY);
  g_assert_cmpuint (kiosk_progress_journey_get_my_cases (progress)->len, >=, 1);
  settle ();
  assert_shown ("我的办件");
  assert_shown ("城乡居民养老保险参保登记");
  assert_shown (T.case_number);
  assert_shown ("已受理");
  assert_shown ("承诺办结日期");
  assert_same_layout (&layout, "my cases");
  screenshot ("progress-my-cases");

  /* One of their own cases, queried and done: the resident is its
   * applicant, and is asked to rate it (issue 13: 9). */
  kiosk_progress_journey_query (progress, T.case_number);
  WAIT_FOR (kiosk_progress_journey_get_state (progress) == KIOSK_PROGRESS_FOUND, 20);
  settle ();
  click ("完成");
  settle ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_RATE);
  g_assert_cmpstr (kiosk_session_get_service_event (T.session)->applicant_id_number, ==, "11010519491231002X");
  g_assert_false (shows_text (GTK_WIDGET (T.window), "只有申请人本人可以评价此办件"));
  assert_shown ("非常满意");
  screenshot ("progress-rate-own-case");
  kiosk_session_wipe (T.session);
  settle ();
  g_assert_true (kiosk_session_identity_read (T.session, id));
  settle ();
  click ("进度查询");
  progress = KIOSK_PROGRESS_JOURNEY (kiosk_session_get_journey (T.session));
  WAIT_FOR (kiosk_progress_journey_get_mine_state (progress) != KIOSK_PROGRESS_MINE_LOADING, 30);
  settle ();

  /* The wipe leaves nothing of it: each label that showed the list is
   * emptied, not only taken off the screen. */
  {
    g_autoptr (GPtrArray) personal = g_ptr_array_new_with_free_func (g_object_unref);
    collect_personal (GTK_WIDGET (T.window), personal);
    g_assert_cmpuint (personal->len, >=, 4);
    kiosk_session_wipe (T.session);
    settle ();
    for (guint i = 0; i < personal->len; i++)
      g_assert_cmpstr (gtk_label_get_text (personal->pdata[i]), ==, "");
  }
  g_assert_cmpint (kiosk_progress_journey_get_mine_state (progress), ==, KIOSK_PROGRESS_MINE_NONE);
  g_assert_false (shows_text (GTK_WIDGET (T.window), T.case_number));
  upper = g_ascii_strup (T.case_number, -1);
  g_assert_false (shows_text (GTK_WIDGET (T.window), upper));
}

/* 我的办件 with the platform gone (after progress-offline): the cases filed
 * at this kiosk, the one delivered and one still queued, newest first, said
 * to be this kiosk's copy; the resident may rate their own (issue 13: 6). */
static void
test_my_cases_offline (void)
{
  KioskStore *store = kiosk_core_get_store (T.core);
  KioskProgressJourney *progress;
  g_autoptr (KioskIdentity) id = kiosk_identity_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *queued = NULL;
  GPtrArray *mine;

  g_assert_nonnull (T.case_number);
  queued = kiosk_store_submit_case (
      store,
      "{\"item_code\":\"MZ-026\",\"applicant\":{\"name\":\"测试\",\"id_number\":\"11010519491231002x\"},"
      "\"form\":{\"phone\":\"13800000000\"},\"delivery\":{\"method\":\"pickup\"}}",
      NULL, &error);
  g_assert_no_error (error);
  /* Someone else's case is not listed. */
  g_free (kiosk_store_submit_case (store,
                                   "{\"item_code\":\"MZ-026\",\"applicant\":{\"name\":\"别人\",\"id_number\":"
                                   "\"110105194912310038\"},\"delivery\":{\"method\":\"pickup\"}}",
                                   NULL, &error));
  g_assert_no_error (error);

  kiosk_session_wipe (T.session);
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("测试");
  id->id_number = g_strdup ("11010519491231002X");
  id->id_number_valid = TRUE;
  g_assert_true (kiosk_session_identity_read (T.session, id));
  settle ();
  click ("进度查询");
  progress = KIOSK_PROGRESS_JOURNEY (kiosk_session_get_journey (T.session));
  WAIT_FOR (kiosk_progress_journey_get_mine_state (progress) != KIOSK_PROGRESS_MINE_LOADING, 60);
  g_assert_cmpint (kiosk_progress_journey_get_mine_state (progress), ==, KIOSK_PROGRESS_MINE_READY);
  g_assert_true (kiosk_progress_journey_get_mine_offline (progress));
  mine = kiosk_progress_journey_get_my_cases (progress);
  g_assert_cmpuint (mine->len, ==, 2);
  g_assert_cmpstr (((KioskProgressCase *) mine->pdata[0])->provisional_number, ==, queued);
  g_assert_cmpstr (((KioskProgressCase *) mine->pdata[1])->provisional_number, ==, T.case_number);
  settle ();
  assert_shown ("现在连不上政务服务平台。以下是在本机办理的办件");
  assert_shown (queued);
  assert_shown ("高龄津贴申领");
  screenshot ("progress-my-cases-offline");
  kiosk_session_wipe (T.session);
  settle ();
}

/* The step indicator follows a journey's steps; a one-screen journey has
 * none. */
static void
test_step_indicator (void)
{
  static const char *const three[] = { "a", "First step", "b", "Second step", "c", "Third step", NULL };
  static const char *const one[] = { "a", "Only step", NULL };
  g_autoptr (KioskJourney) j = kiosk_journey_new_placeholder ("steps-test", "Steps", FALSE);
  GtkWidget *steps;

  kiosk_journey_set_steps (j, three);
  steps = g_object_ref_sink (kiosk_journey_steps_new (j));
  g_assert_true (gtk_widget_get_visible (steps));
  g_assert_cmpuint (kiosk_steps_get_current (KIOSK_STEPS (steps)), ==, 0);
  kiosk_journey_set_step (j, 2);
  g_assert_cmpuint (kiosk_steps_get_current (KIOSK_STEPS (steps)), ==, 2);
  g_assert_nonnull (strstr (kiosk_steps_get_summary (KIOSK_STEPS (steps)), "Third step"));
  g_assert_true (_kiosk_journey_back (j));
  g_assert_cmpuint (kiosk_steps_get_current (KIOSK_STEPS (steps)), ==, 1);
  kiosk_journey_set_steps (j, one);
  g_assert_false (gtk_widget_get_visible (steps));
  g_object_unref (steps);
}

/* A core set up without starting it: no store, no platform. */
static KioskCore *
bare_core (KioskConfig **config_out)
{
  g_autoptr (GError) error = NULL;
  KioskConfig *config = kiosk_config_new_from_data (
      "[kiosk]\nid=jt-02\nstation=测试站\n[store]\npath=/nonexistent/kiosk.db\n[platform]\nurl=http://127.0.0.1:9/"
      "\nallow-http=true\n[pad]\nbackend=none\n",
      "/nonexistent", &error);
  g_assert_no_error (error);
  *config_out = config;
  return kiosk_core_new (config);
}

/* A scan never replaces typing in progress (issue 13: 5): held back, said
 * so; taken once the field is empty. */
static void
test_scan_keeps_typing (void)
{
  KioskConfig *config = NULL;
  g_autoptr (KioskCore) core = bare_core (&config);
  g_autoptr (KioskJourney) j = kiosk_progress_journey_new (core);
  KioskProgressJourney *p = KIOSK_PROGRESS_JOURNEY (j);

  kiosk_progress_journey_set_draft (p, "ZW20");
  kiosk_progress_journey_scanned (p, "JT-01-20261122-000001K");
  g_assert_cmpint (kiosk_progress_journey_get_state (p), ==, KIOSK_PROGRESS_IDLE);
  g_assert_null (kiosk_progress_journey_get_number (p));
  g_assert_cmpint (kiosk_progress_journey_get_scan_notice (p), ==, KIOSK_PROGRESS_SCAN_HELD_BACK);
  /* The field emptied: the next read is taken (no store here: ERROR). */
  kiosk_progress_journey_set_draft (p, "");
  g_assert_cmpint (kiosk_progress_journey_get_scan_notice (p), ==, KIOSK_PROGRESS_SCAN_NONE);
  kiosk_progress_journey_scanned (p, "JT-01-20261122-000001K");
  g_assert_cmpstr (kiosk_progress_journey_get_number (p), ==, "JT-01-20261122-000001K");
  g_assert_cmpint (kiosk_progress_journey_get_state (p), ==, KIOSK_PROGRESS_ERROR);
  /* The number shown back in the field is no draft: a new receipt is taken. */
  kiosk_progress_journey_set_draft (p, "JT-01-20261122-000001K");
  kiosk_progress_journey_scanned (p, "JT-01-20261122-000002Y");
  g_assert_cmpstr (kiosk_progress_journey_get_number (p), ==, "JT-01-20261122-000002Y");
  g_object_unref (g_steal_pointer (&j));
  g_clear_object (&core);
  kiosk_config_unref (config);
}

/* The demo's sample receipt picture holds what a printed receipt holds, and
 * 进度查询 takes it (issue 13: 7); a foreign code gets a notice. */
static void
test_sample_receipt_qr (void)
{
  g_autofree char *path
      = g_build_filename (KIOSK_SOURCE_DIR, "drivers", "camera", "sim-images", "02-receipt-qr.jpg", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskImage) image = kiosk_image_load (path, &error);
  g_autoptr (GPtrArray) codes = NULL;
  g_autofree char *number = NULL;
  KioskConfig *config = NULL;
  g_autoptr (KioskCore) core = bare_core (&config);
  g_autoptr (KioskJourney) j = kiosk_progress_journey_new (core);
  KioskProgressJourney *p = KIOSK_PROGRESS_JOURNEY (j);

  g_assert_no_error (error);
  codes = kiosk_barcode_decode (image, KIOSK_BARCODE_QR_CODE, KIOSK_BARCODE_THOROUGH, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codes->len, ==, 1);
  number = kiosk_progress_normalise_number (((KioskBarcode *) codes->pdata[0])->text);
  g_assert_nonnull (number);
  g_assert_true (kiosk_case_number_is_valid (number));

  kiosk_progress_journey_scanned (p, "KIOSK-CASE:SL2024-330106-000123");
  g_assert_cmpint (kiosk_progress_journey_get_scan_notice (p), ==, KIOSK_PROGRESS_SCAN_FOREIGN);
  g_assert_cmpint (kiosk_progress_journey_get_state (p), ==, KIOSK_PROGRESS_IDLE);
  kiosk_progress_journey_scanned (p, ((KioskBarcode *) codes->pdata[0])->text);
  g_assert_cmpint (kiosk_progress_journey_get_scan_notice (p), ==, KIOSK_PROGRESS_SCAN_NONE);
  g_assert_cmpstr (kiosk_progress_journey_get_number (p), ==, number);
  g_object_unref (g_steal_pointer (&j));
  g_clear_object (&core);
  kiosk_config_unref (config);
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
  g_test_add_func ("/journeys/scan-keeps-typing", test_scan_keeps_typing);
  g_test_add_func ("/journeys/step-indicator", test_step_indicator);
  g_test_add_func ("/journeys/sample-receipt-qr", test_sample_receipt_qr);
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
  g_test_add_func ("/journeys/my-cases", test_my_cases);
  g_test_add_func ("/journeys/progress-offline", test_progress_offline);
  g_test_add_func ("/journeys/my-cases-offline", test_my_cases_offline);
  status = g_test_run ();
  teardown ();
  return status;
}
