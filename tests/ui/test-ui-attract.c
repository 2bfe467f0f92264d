/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The attract screen on the smallest screen the kiosk meets (1280x720,
 * cage's default) with more notices than fit: whole notices only, none cut
 * in half, the card never over the touch banner. Skips (77) without a
 * display. */
#include "config.h"

#include <gtk/gtk.h>

#include "kiosk-shell.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"

#define NOTICE                                                                                                                                                                \
  "第%"                                                                                                                                                                      \
  "d条通知：本条通知较长，用来检查小屏幕上的通知卡片只显示完整的通知，不会溢出到下面的提示区域，也不会把一行字切成两" \
  "半。"
#define N_NOTICES 10

static struct {
  KioskConfig *config;
  KioskCore *core;
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

static void
test_notices_fit (void)
{
  GtkWidget *notices = find (named, (gpointer) "notices");
  GtkWidget *card = gtk_widget_get_parent (notices);
  GtkWidget *touch = find (banner, NULL);
  int box_height = gtk_widget_get_height (notices);
  int shown = 0, hidden = 0;
  graphene_rect_t c, b;

  g_assert_cmpstr (kiosk_shell_get_page_name (KIOSK_SHELL (kiosk_window_get_shell (T.window))), ==, "attract");
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (T.window)), ==, 720);
  g_assert_true (gtk_widget_get_overflow (notices) == GTK_OVERFLOW_HIDDEN);
  for (GtkWidget *row = gtk_widget_get_first_child (notices); row; row = gtk_widget_get_next_sibling (row))
    {
      graphene_rect_t r;

      g_assert_true (gtk_widget_compute_bounds (row, notices, &r));
      if (r.origin.y + r.size.height <= box_height + 0.5)
        {
          /* shown whole, and after every notice shown before it */
          g_assert_cmpint (hidden, ==, 0);
          shown++;
        }
      else
        {
          /* left out whole: below the box, where its clip hides it */
          g_assert_cmpfloat (r.origin.y, >=, box_height);
          hidden++;
        }
    }
  g_test_message ("%d notices shown, %d left out, box %d px", shown, hidden, box_height);
  g_assert_cmpint (shown + hidden, ==, N_NOTICES);
  g_assert_cmpint (shown, >=, 2);
  g_assert_cmpint (hidden, >=, 1);

  /* the card ends above the touch banner */
  g_assert_true (gtk_widget_compute_bounds (card, GTK_WIDGET (T.window), &c));
  g_assert_true (gtk_widget_compute_bounds (touch, GTK_WIDGET (T.window), &b));
  g_assert_cmpfloat (c.origin.y + c.size.height, <=, b.origin.y);
  kiosk_ui_test_assert_shown ("第1条通知");
  kiosk_ui_test_screenshot ("attract-1280x720");
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) conf = g_string_new ("[kiosk]\nid=kiosk-test\nstation=测试村便民服务站\nnotices=");
  int status;

  for (int i = 1; i <= N_NOTICES; i++)
    {
      g_string_append_printf (conf, NOTICE, i);
      g_string_append_c (conf, i < N_NOTICES ? ';' : '\n');
    }
  g_string_append (conf, "[ui]\nfullscreen=false\nwidth=1280\nheight=720\n"
                         "[store]\npath=test-attract.db\n[platform]\nurl=https://platform.example/\n"
                         "[idcard]\nbackend=sim\n[camera]\nbackend=sim\n[pad]\nbackend=none\n[printer]\nbackend=sim\n");
  kiosk_ui_test_init (&argc, &argv);
  T.config = kiosk_config_new_from_data (conf->str, NULL, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.window = kiosk_ui_test_open_window (T.core, FALSE, KIOSK_SCREENSHOT_DIR);

  g_test_add_func ("/ui/attract/notices-fit", test_notices_fit);
  status = g_test_run ();

  kiosk_ui_test_close_window ();
  g_clear_object (&T.core);
  kiosk_config_unref (T.config);
  return status;
}
