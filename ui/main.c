/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <malloc.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "kiosk-application.h"
#include "kiosk-core.h"
#include "kiosk-i18n.h"
#include "kiosk-maint.h"
#include "kiosk-ui.h"

/* The kiosk itself uses no session-bus service: it needs no D-Bus name
 * (systemd keeps it to one instance), and its devices, store and sync talk
 * to hardware, files and the network. GTK would still look for a session
 * bus (accessibility) and, when there is none, as under a system service or
 * a bare X server, GLib forks dbus-launch to start one, twice, before the
 * first frame: about 15 ms, for a bus nobody listens on. Where no session
 * bus exists, say so, and the lookups fail at once; without a bus no
 * screen reader can reach GTK's accessibility tree either, so GTK is told
 * not to build it (GTK_A11Y=none) rather than warn. A kiosk that runs in a
 * user session (with a screen reader on its bus) keeps both. */
static void
no_bus_autolaunch (void)
{
  g_autofree char *socket = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    return;
  socket = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  if (g_file_test (socket, G_FILE_TEST_EXISTS))
    return;
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "disabled:", TRUE);
  g_setenv ("GTK_A11Y", "none", FALSE);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) config = NULL;
  g_autoptr (KioskCore) core = NULL;
  g_autoptr (KioskApplication) app = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *screenshot = NULL;
  KioskLaunchOptions options = { 0 };
  char *run_argv[] = { argv[0], NULL };
  int status;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "Configuration file", "FILE" },
    { "windowed", 0, 0, G_OPTION_ARG_NONE, &options.windowed, "A normal window of [ui] width x height", NULL },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &screenshot, "Write a PNG of the first frame", "FILE" },
    { "screenshot-delay", 0, 0, G_OPTION_ARG_INT, &options.screenshot_delay,
      "Take the screenshot this many seconds after the first frame (devices started)", "SECONDS" },
    { "quit-after-screenshot", 0, 0, G_OPTION_ARG_NONE, &options.quit_after_screenshot,
      "Quit once the screenshot is written (or the first frame drawn)", NULL },
    { "print-first-frame-time", 0, 0, G_OPTION_ARG_NONE, &options.print_first_frame_time,
      "Print the milliseconds from process start to the first frame", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) opts = g_option_context_new ("- self-service kiosk");

  /* The last lines of the log are kept for the maintenance screen's
   * excerpt; every message still goes to the journal or stderr. */
  g_log_set_writer_func (kiosk_maint_log_writer, NULL, NULL);
  no_bus_autolaunch ();
  kiosk_ui_preinit ();
  /* A kiosk runs a handful of device threads that allocate little: one
   * malloc arena per thread only adds resident memory (measured: -1.7 MiB
   * PSS with one arena). Two keep the UI thread apart from the workers. */
  mallopt (M_ARENA_MAX, 2);
  kiosk_i18n_init ();
  g_debug ("main at %.0f ms", _kiosk_process_age_ms ());

  g_option_context_add_main_entries (opts, entries, NULL);
  if (!g_option_context_parse (opts, &argc, &argv, &error))
    {
      g_printerr ("kiosk: %s\n", error->message);
      return 2;
    }
  options.screenshot = screenshot;
  if (options.screenshot_delay < 0 || options.screenshot_delay > 3600)
    {
      g_printerr ("kiosk: --screenshot-delay: 0 to 3600 seconds\n");
      return 2;
    }

  config = kiosk_config_load (config_path, &error);
  if (config == NULL)
    {
      g_printerr ("kiosk: %s\n", error->message);
      return 2;
    }
  core = kiosk_core_new (config);
  g_debug ("core created at %.0f ms", _kiosk_process_age_ms ());
  app = kiosk_application_new (core, &options);
  /* The application starts the core (devices, store, sync) once the first
   * frame is on the screen. Options are parsed above; GApplication gets
   * none. */
  status = g_application_run (G_APPLICATION (app), 1, run_argv);
  kiosk_core_stop (core);
  return status;
}
