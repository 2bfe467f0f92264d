/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The floor for tests/bench/startup: a bare GTK 4 window drawing the same
 * attract screen as the kiosk (same widgets, same style sheet, same text),
 * without GtkApplication, templates, resources, gettext or the core.
 *
 *   startup-floor STYLE.css STATION NOTICE... */
#include <gtk/gtk.h>

static GtkWidget *
label (const char *text, const char *css_class, float xalign)
{
  GtkWidget *l = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (l), xalign);
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  if (css_class)
    gtk_widget_add_css_class (l, css_class);
  return l;
}

static GtkWidget *
prompt (const char *icon_name, const char *text, gboolean second)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 28);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 72);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  if (second)
    gtk_widget_add_css_class (box, "touch-banner-second");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label (text, "touch-prompt", 0.5));
  return box;
}

static GtkWidget *
status_strip (void)
{
  static const char *const items[][2] = {
    { "kiosk-auth-smartcard-symbolic", "身份证读卡器：未连接" },
    { "kiosk-camera-photo-symbolic", "高拍仪：未连接" },
    { "kiosk-input-tablet-symbolic", "评价器：未连接" },
    { "kiosk-printer-symbolic", "打印机：未连接" },
  };
  GtkWidget *strip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 36);
  GtkWidget *devices = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 36);

  gtk_widget_add_css_class (strip, "status-strip");
  gtk_widget_set_hexpand (devices, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (items); i++)
    {
      GtkWidget *item = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
      GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkWidget *icon = gtk_image_new_from_icon_name (items[i][0]);

      gtk_widget_add_css_class (item, "status-item");
      gtk_widget_add_css_class (item, "state-absent");
      gtk_widget_add_css_class (dot, "state-dot");
      gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
      gtk_image_set_pixel_size (GTK_IMAGE (icon), 22);
      gtk_box_append (GTK_BOX (item), dot);
      gtk_box_append (GTK_BOX (item), icon);
      gtk_box_append (GTK_BOX (item), label (items[i][1], NULL, 0));
      gtk_box_append (GTK_BOX (devices), item);
    }
  gtk_box_append (GTK_BOX (strip), devices);
  gtk_box_append (GTK_BOX (strip), label ("待同步：—", NULL, 0));
  return strip;
}

static GtkWidget *
attract (const char *station, char **notices)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M");
  g_autofree char *date = g_date_time_format (now, "%Y年%-m月%-d日");
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 64);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 20);
  GtkWidget *card_head = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 14);
  GtkWidget *info = gtk_image_new_from_icon_name ("kiosk-dialog-information-symbolic");
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *banner = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (page, "attract-page");
  gtk_widget_set_vexpand (top, TRUE);
  gtk_widget_set_hexpand (left, TRUE);
  gtk_widget_set_valign (left, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (left), label (station, "attract-station", 0));
  gtk_box_append (GTK_BOX (left), label ("政务服务自助终端", "attract-subtitle", 0));
  gtk_box_append (GTK_BOX (left), label (time, "attract-time", 0));
  gtk_box_append (GTK_BOX (left), label (date, "attract-date", 0));
  gtk_box_append (GTK_BOX (top), left);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "notices-card");
  gtk_widget_set_valign (card, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (card, TRUE);
  gtk_image_set_pixel_size (GTK_IMAGE (info), 32);
  gtk_widget_add_css_class (info, "accent-icon");
  gtk_box_append (GTK_BOX (card_head), info);
  gtk_box_append (GTK_BOX (card_head), label ("通知公告", "card-title", 0));
  gtk_box_append (GTK_BOX (card), card_head);
  for (int i = 0; notices[i]; i++)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
      GtkWidget *bullet = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkWidget *text = label (notices[i], NULL, 0);

      gtk_widget_add_css_class (row, "notice");
      gtk_widget_add_css_class (bullet, "notice-bullet");
      gtk_widget_set_valign (bullet, GTK_ALIGN_START);
      gtk_widget_set_hexpand (text, TRUE);
      gtk_box_append (GTK_BOX (row), bullet);
      gtk_box_append (GTK_BOX (row), text);
      gtk_box_append (GTK_BOX (list), row);
    }
  gtk_box_append (GTK_BOX (card), list);
  gtk_box_append (GTK_BOX (top), card);
  gtk_box_append (GTK_BOX (page), top);

  gtk_box_set_homogeneous (GTK_BOX (banner), TRUE);
  gtk_widget_add_css_class (banner, "touch-banner");
  gtk_box_append (GTK_BOX (banner), prompt ("kiosk-input-touchpad-symbolic", "请触摸屏幕开始", FALSE));
  gtk_box_append (GTK_BOX (banner), prompt ("kiosk-auth-smartcard-symbolic", "请放置身份证", TRUE));
  gtk_box_append (GTK_BOX (page), banner);
  return page;
}

static void
after_paint_cb (GdkFrameClock *clock, gpointer data)
{
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, data);
  g_print ("first frame\n");
}

static void
realize_cb (GtkWidget *window, gpointer data)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (window)));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
}

int
main (int argc, char **argv)
{
  GtkCssProvider *css;
  GtkWidget *window, *box, *page;
  GdkRectangle geometry = { 0, 0, 1920, 1080 };
  GListModel *monitors;
  GMainLoop *loop;

  if (argc < 3)
    {
      g_printerr ("usage: startup-floor STYLE.css STATION NOTICE...\n");
      return 2;
    }
  gtk_init ();
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_path (css, argv[1]);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  {
    /* The kiosk's own icons (PNG, next to the style sheet), as the kiosk
     * loads them from its resources: the same screen, the same loaders. */
    g_autofree char *dir = g_path_get_dirname (argv[1]);
    g_autofree char *icons = g_build_filename (dir, "icons", NULL);
    gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()), icons);
  }

  monitors = gdk_display_get_monitors (gdk_display_get_default ());
  if (g_list_model_get_n_items (monitors) > 0)
    {
      g_autoptr (GdkMonitor) m = g_list_model_get_item (monitors, 0);
      gdk_monitor_get_geometry (m, &geometry);
    }

  window = gtk_window_new ();
  gtk_widget_add_css_class (window, "kiosk");
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), geometry.width, geometry.height);
  gtk_window_fullscreen (GTK_WINDOW (window));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  page = attract (argv[2], argv + 3);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  gtk_box_append (GTK_BOX (box), status_strip ());
  gtk_window_set_child (GTK_WINDOW (window), box);
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));

  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop); /* until the bench kills it */
  g_main_loop_unref (loop);
  g_object_unref (css);
  return 0;
}
