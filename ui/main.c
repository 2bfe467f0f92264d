/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "kiosk-core.h"

static char *config_path;

static void
activate_cb (GtkApplication *app, KioskCore *core)
{
  GtkWidget *win = gtk_application_window_new (app);
  GtkWidget *label = gtk_label_new (_("Service guide"));
  gtk_window_set_child (GTK_WINDOW (win), label);
  gtk_window_present (GTK_WINDOW (win));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) config = NULL;
  g_autoptr (KioskCore) core = NULL;
  g_autoptr (GtkApplication) app = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "Configuration file", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) opts = g_option_context_new ("- self-service kiosk");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_option_context_add_main_entries (opts, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (opts, &argc, &argv, &error))
    {
      g_printerr ("kiosk: %s\n", error->message);
      return 2;
    }
  config = kiosk_config_load (config_path, &error);
  if (config == NULL)
    {
      g_printerr ("kiosk: %s\n", error->message);
      return 2;
    }
  core = kiosk_core_new (config);
  app = gtk_application_new ("cn.gov.kiosk", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), core);
  kiosk_core_start (core);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
