/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The notices (政务公开) on the attract screen (issue #16, point 5).
 *
 *   (no argument)  1280x720 (cage's default) with more notices than fit:
 *                  pages of whole notices, none cut in half, turned in
 *                  turn and by themselves, a dot per page, the card's
 *                  place the same on every page and never over the touch
 *                  banner; [kiosk] notices say they are the station's own.
 *   fetched        the platform's notices kept in the store: a kiosk
 *                  started offline says when they were fetched (更新于
 *                  HH:MM, a date once the day has passed).
 *   elder          长辈模式 with the voice: a notice touched (a real click
 *                  through the X server) is read aloud and begins no
 *                  session; a touch anywhere else begins one.
 *
 * Screenshots in KIOSK_SCREENSHOT_DIR. Skips (77) without a display. */
#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "kiosk-attract-page.h"
#include "kiosk-core-voice.h"
#include "kiosk-shell.h"
#include "kiosk-store.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"

#define NOTICE                                                                                                                                                           \
  "第%d条通知：本条通知较长，用来检查小屏幕上的通知卡片只显示完整的通知，不会溢出到下面的提示区域，也不会把一行字" \
  "切成两半。"
#define N_NOTICES 10

static struct {
  char *dir;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
} T;

static gboolean
named (GtkWidget *w, gpointer name)
{
  return g_strcmp0 (gtk_widget_get_name (w), name) == 0;
}

static gboolean
banner (GtkWidget *w, gpointer data)
{
  return gtk_widget_has_css_class (w, "touch-banner");
}

static GtkWidget *
find (gboolean (*func) (GtkWidget *, gpointer), gpointer data)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (T.window), func, data, found);
  g_assert_cmpuint (found->len, ==, 1);
  return found->pdata[0];
}

static KioskAttractPage *
attract_page (void)
{
  return KIOSK_ATTRACT_PAGE (kiosk_shell_get_page (KIOSK_SHELL (kiosk_window_get_shell (T.window)), "attract"));
}

static const char *
notice_text (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "notice-text");
}

/* The page shown: every notice on it whole inside the box, every other one
 * neither mapped nor inside. Adds the shown notices' texts to @seen. */
static guint
check_page (GtkWidget *notices, GHashTable *seen)
{
  int box_height = gtk_widget_get_height (notices);
  guint shown = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (notices); row; row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t r;

      g_assert_true (gtk_widget_compute_bounds (row, notices, &r));
      if (gtk_widget_get_child_visible (row))
        {
          g_assert_true (gtk_widget_get_mapped (row));
          g_assert_cmpfloat (r.origin.y, >=, 0);
          g_assert_cmpfloat (r.origin.y + r.size.height, <=, box_height + 0.5);
          /* on one page only */
          g_assert_true (g_hash_table_add (seen, (gpointer) notice_text (row)));
          shown++;
        }
      else
        {
          g_assert_false (gtk_widget_get_mapped (row));
          g_assert_cmpfloat (r.origin.y, >=, box_height);
        }
    }
  g_assert_cmpuint (shown, >=, 1);
  return shown;
}

/* One dot per page, the shown page's marked. */
static void
check_dots (guint page, guint n_pages)
{
  GtkWidget *dots = find (named, (gpointer) "notice-dots");
  guint n = 0;

  g_assert_true (gtk_widget_get_visible (dots));
  for (GtkWidget *d = gtk_widget_get_first_child (dots); d; d = gtk_widget_get_next_sibling (d), n++)
    g_assert_cmpint (gtk_widget_has_css_class (d, "current"), ==, n == page);
  g_assert_cmpuint (n, ==, n_pages);
}

static void
test_pages (void)
{
  GtkWidget *notices = find (named, (gpointer) "notices");
  GtkWidget *card = gtk_widget_get_parent (notices);
  GtkWidget *touch = find (banner, NULL);
  KioskAttractPage *page = attract_page ();
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  graphene_rect_t c0, c, b;
  guint n_pages = 0, first;

  g_assert_cmpstr (kiosk_shell_get_page_name (KIOSK_SHELL (kiosk_window_get_shell (T.window))), ==, "attract");
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (T.window)), ==, 720);
  g_assert_true (gtk_widget_get_overflow (notices) == GTK_OVERFLOW_HIDDEN);
  kiosk_ui_test_settle (100);
  g_assert_cmpuint (kiosk_attract_page_get_notice_page (page, &n_pages), ==, 0);
  g_test_message ("%u pages of notices, box %d px", n_pages, gtk_widget_get_height (notices));
  g_assert_cmpuint (n_pages, >=, 2);
  g_assert_cmpuint (n_pages, <=, N_NOTICES / 2); /* a few at a time, not one */
  g_assert_true (gtk_widget_compute_bounds (card, GTK_WIDGET (T.window), &c0));
  g_assert_true (gtk_widget_compute_bounds (touch, GTK_WIDGET (T.window), &b));
  /* the card ends above the touch banner */
  g_assert_cmpfloat (c0.origin.y + c0.size.height, <=, b.origin.y);
  kiosk_ui_test_assert_shown ("第1条通知");
  kiosk_ui_test_assert_shown ("本站公告");
  kiosk_ui_test_screenshot ("attract-1280x720");

  first = check_page (notices, seen);
  check_dots (0, n_pages);
  g_assert_cmpuint (first, >=, 2);
  for (guint p = 1; p < n_pages; p++)
    {
      kiosk_attract_page_turn_notices (page);
      kiosk_ui_test_wait_frame ();
      g_assert_cmpuint (kiosk_attract_page_get_notice_page (page, NULL), ==, p);
      check_page (notices, seen);
      check_dots (p, n_pages);
      /* nothing moves: the card is where it was, as tall */
      g_assert_true (gtk_widget_compute_bounds (card, GTK_WIDGET (T.window), &c));
      g_assert_true (graphene_rect_equal (&c, &c0));
      if (p == 1)
        {
          kiosk_ui_test_assert_shown ("本站公告");
          kiosk_ui_test_screenshot ("attract-1280x720-page-2");
        }
    }
  /* every notice on exactly one page, and after the last the first */
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_NOTICES);
  kiosk_attract_page_turn_notices (page);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpuint (kiosk_attract_page_get_notice_page (page, NULL), ==, 0);
  check_dots (0, n_pages);

  /* by themselves, at a steady pace */
  kiosk_attract_page_set_notice_interval (page, 300);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_attract_page_get_notice_page (page, NULL) == 1, 5);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_attract_page_get_notice_page (page, NULL) == 2 % n_pages, 5);
  kiosk_attract_page_set_notice_interval (page, 8000);
  {
    guint now = kiosk_attract_page_get_notice_page (page, NULL);

    kiosk_ui_test_settle (600);
    g_assert_cmpuint (kiosk_attract_page_get_notice_page (page, NULL), ==, now);
  }
}

/* ---- the platform's notices, from the store, offline ------------------- */

static gint64 fetched_at;

static void
test_fetched (void)
{
  KioskAttractPage *page = attract_page ();
  g_autoptr (GDateTime) at = g_date_time_new_from_unix_local (fetched_at / G_USEC_PER_SEC);
  g_autofree char *hhmm = g_date_time_format (at, "%H:%M");
  g_autofree char *today = g_strdup_printf ("更新于 %s", hhmm);
  g_autofree char *before
      = g_strdup_printf ("更新于 %d月%d日 %s", g_date_time_get_month (at), g_date_time_get_day_of_month (at), hhmm);
  GtkWidget *time_label = find (named, (gpointer) "notices-time");
  guint n_pages = 0;

  /* the core reads the store in a worker: the platform's notices come */
  KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_notices_fetched_at (T.core) != 0, 10);
  g_assert_cmpint (kiosk_core_get_notices_fetched_at (T.core), ==, fetched_at);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown ("停水通知：12月5日8:00至17:00，村东片区停水检修。");
  kiosk_ui_test_assert_shown ("医保缴费提醒");
  g_assert_null (kiosk_ui_test_find_shown ("本站的配置通知")); /* [kiosk] notices only without the platform's */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (time_label)), ==, today);
  kiosk_ui_test_assert_shown (today);
  kiosk_attract_page_get_notice_page (page, &n_pages);
  g_assert_cmpuint (n_pages, ==, 1);
  g_assert_false (gtk_widget_get_visible (find (named, (gpointer) "notice-dots"))); /* one page: no dots */
  kiosk_ui_test_screenshot ("attract-fetched");

  /* the next day the date is said too */
  {
    g_autoptr (GDateTime) tomorrow = g_date_time_add_days (at, 1);

    kiosk_attract_page_set_time (page, tomorrow);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (time_label)), ==, before);
    kiosk_ui_test_screenshot ("attract-fetched-yesterday");
  }
}

/* ---- 长辈模式: a notice touched is read aloud -------------------------- */

static gboolean
click_on (GtkWidget *w)
{
  graphene_point_t p;

  g_assert_true (gtk_widget_compute_point (
      w, GTK_WIDGET (T.window), &GRAPHENE_POINT_INIT (gtk_widget_get_width (w) / 2.0, gtk_widget_get_height (w) / 2.0),
      &p));
  return kiosk_ui_test_x_click ((int) p.x, (int) p.y);
}

static void
test_elder_touch (void)
{
  KioskAttractPage *page = attract_page ();
  GtkWidget *notices = find (named, (gpointer) "notices");
  GtkWidget *first = gtk_widget_get_first_child (notices);
  GtkWidget *label = gtk_widget_get_last_child (first);
  const char *prompt;

  g_assert_true (kiosk_session_get_elder_mode (T.session));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
  g_assert_true (kiosk_core_get_voice_on (T.core));
  kiosk_ui_test_wait_frame ();
  g_assert_true (gtk_widget_get_mapped (label));
  g_test_message ("touching \"%s\"", gtk_label_get_text (GTK_LABEL (label)));
  kiosk_ui_test_screenshot ("attract-elder");

  if (click_on (label))
    {
      /* the touched notice is said; no session began */
      KIOSK_UI_TEST_WAIT_FOR (
          (prompt = kiosk_core_get_last_prompt (T.core)) != NULL && strstr (prompt, "村委会换届选举") != NULL, 10);
      g_test_message ("heard \"%s\"", prompt);
      g_assert_true (gtk_widget_has_css_class (first, "notice-reading"));
      kiosk_ui_test_settle (200);
      g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
      g_assert_cmpstr (kiosk_shell_get_page_name (KIOSK_SHELL (kiosk_window_get_shell (T.window))), ==, "attract");
      /* it stays while it is read: not turned at the next interval */
      kiosk_attract_page_set_notice_interval (page, 8000);
      g_assert_true (click_on (label));
      kiosk_ui_test_settle (200);
      g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_ATTRACT);
      kiosk_ui_test_screenshot ("attract-elder-read");
      /* a touch anywhere else begins the session, as before */
      g_assert_true (click_on (find (named, (gpointer) "notices-time")));
      KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_MENU, 10);
      kiosk_session_wipe (T.session);
      KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_ATTRACT, 10);
    }
  else
    g_test_message ("no XTest here: the touch is not clicked for real");

  /* what the window asks before a touch begins a session */
  kiosk_ui_test_wait_frame ();
  g_assert_true (kiosk_attract_page_touch (page, label));
  g_assert_nonnull (strstr (kiosk_core_get_last_prompt (T.core), "村委会换届选举"));
  g_assert_false (kiosk_attract_page_touch (page, find (named, (gpointer) "notices-time")));
  g_assert_false (kiosk_attract_page_touch (page, NULL));
  /* outside 长辈模式 a touch on a notice begins a session like any other */
  kiosk_session_set_elder_mode (T.session, FALSE);
  g_assert_false (kiosk_attract_page_touch (page, label));
  kiosk_session_set_elder_mode (T.session, TRUE);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) conf = g_string_new ("[kiosk]\nid=kiosk-test\nstation=测试村便民服务站\nnotices=");
  const char *mode = argc > 1 ? argv[argc - 1] : "";
  int status;

  kiosk_ui_test_init (&argc, &argv);
  T.dir = g_dir_make_tmp ("kiosk-ui-attract-XXXXXX", &error);
  g_assert_no_error (error);
  if (strcmp (mode, "fetched") == 0)
    g_string_append (conf, "本站的配置通知\n");
  else if (strcmp (mode, "elder") == 0)
    g_string_append (conf, "村民活动中心本周六开放；村委会换届选举将于12月10日举行，请准时参加。;第三条通知\n");
  else
    for (int i = 1; i <= N_NOTICES; i++)
      {
        g_string_append_printf (conf, NOTICE, i);
        g_string_append_c (conf, i < N_NOTICES ? ';' : '\n');
      }
  g_string_append_printf (conf,
                          "[ui]\nfullscreen=false\nwidth=1280\nheight=720\n%s"
                          "[store]\npath=%s/kiosk.db\n[platform]\nurl=http://127.0.0.1:9/\nallow-http=true\n"
                          "[idcard]\nbackend=sim\n[camera]\nbackend=sim\n[pad]\nbackend=none\n[printer]\nbackend=sim\n"
                          "[voice]\nmode=elder\nwav-dir=%s\n",
                          strcmp (mode, "elder") == 0 ? "elder-mode=true\n" : "", T.dir, T.dir);
  if (strcmp (mode, "fetched") == 0)
    {
      /* fetched from the platform by an earlier run of the kiosk */
      g_autofree char *path = g_build_filename (T.dir, "kiosk.db", NULL);
      g_autoptr (KioskStore) store = kiosk_store_open (path, "kiosk-test", &error);

      g_assert_no_error (error);
      g_assert_true (kiosk_store_set_notices (
          store,
          "{\"notices\":[{\"title\":\"停水通知\",\"body\":\"12月5日8:00至17:00，村东片区停水检修。\"},"
          "\"医保缴费提醒：2027年度城乡居民医保缴费截至12月31日。\"]}",
          "\"n1\"", &error));
      g_assert_no_error (error);
      fetched_at = kiosk_store_get_notices_fetched_at (store);
      g_assert_cmpint (fetched_at, >, 0);
      g_assert_cmpint (ABS (g_get_real_time () - fetched_at), <, 60 * G_USEC_PER_SEC);
    }
  T.config = kiosk_config_new_from_data (conf->str, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  T.window = kiosk_ui_test_open_window (T.core, FALSE, KIOSK_SCREENSHOT_DIR);
  if (strcmp (mode, "fetched") == 0 || strcmp (mode, "elder") == 0)
    {
      /* the store opens in a worker; the notices are read again then */
      kiosk_core_start (T.core);
      KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_store (T.core) != NULL, 10);
      kiosk_ui_test_wait_frame ();
    }

  if (strcmp (mode, "fetched") == 0)
    g_test_add_func ("/ui/attract/notices-fetched", test_fetched);
  else if (strcmp (mode, "elder") == 0)
    g_test_add_func ("/ui/attract/notices-elder-touch", test_elder_touch);
  else
    g_test_add_func ("/ui/attract/notices-pages", test_pages);
  status = g_test_run ();

  kiosk_ui_test_close_window ();
  if (strcmp (mode, "fetched") == 0 || strcmp (mode, "elder") == 0)
    kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  kiosk_config_unref (T.config);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", T.dir);

    if (system (cmd) != 0)
      g_printerr ("could not remove %s\n", T.dir);
  }
  g_free (T.dir);
  return status;
}
