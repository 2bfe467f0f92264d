/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stddef.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "kiosk-application.h"
#include "kiosk-ui.h"
#include "kiosk-window.h"

struct _KioskApplication {
  GtkApplication parent_instance;

  KioskCore *core;
  KioskLaunchOptions options;
  char *screenshot;
  KioskWindow *window;
  gulong shot_paint_id;
  guint signal_ids[3];
  guint start_id;
  guint watchdog_id;
};

G_DEFINE_FINAL_TYPE (KioskApplication, kiosk_application, GTK_TYPE_APPLICATION)

double
_kiosk_process_age_ms (void)
{
  g_autofree char *stat = NULL;
  const char *p;
  guint64 start_ticks;
  char *end;
  struct timespec now;
  long hz = sysconf (_SC_CLK_TCK);

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) || hz <= 0)
    return -1;
  /* Field 22, counted after the ")" that ends the command name. */
  p = strrchr (stat, ')');
  if (p == NULL)
    return -1;
  for (int field = 2; field < 22 && p != NULL; field++)
    p = strchr (p + 1, ' ');
  if (p == NULL)
    return -1;
  start_ticks = g_ascii_strtoull (p + 1, &end, 10);
  if (end == p + 1)
    return -1;
  clock_gettime (CLOCK_BOOTTIME, &now);
  return (now.tv_sec * 1000.0 + now.tv_nsec / 1e6) - (double) start_ticks * 1000.0 / hz;
}

void
kiosk_application_quit (KioskApplication *self)
{
  g_return_if_fail (KIOSK_IS_APPLICATION (self));

  g_info ("quitting");
  if (self->window != NULL)
    {
      kiosk_window_set_allow_close (self->window, TRUE);
      gtk_window_destroy (GTK_WINDOW (self->window));
    }
  g_application_quit (G_APPLICATION (self));
}

/* systemd's notification protocol (sd_notify(3)): one datagram to the
 * AF_UNIX socket named by NOTIFY_SOCKET ("@" for the abstract namespace).
 * Never blocks; a no-op when the kiosk is not started by systemd. */
static void
kiosk_sd_notify (const char *state)
{
  const char *path = g_getenv ("NOTIFY_SOCKET");
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  size_t len;
  int fd;

  if (path == NULL || (path[0] != '/' && path[0] != '@') || (len = strlen (path)) >= sizeof addr.sun_path)
    return;
  memcpy (addr.sun_path, path, len);
  if (path[0] == '@')
    addr.sun_path[0] = '\0';
  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return;
  if (sendto (fd, state, strlen (state), MSG_NOSIGNAL, (struct sockaddr *) &addr,
              (socklen_t) (offsetof (struct sockaddr_un, sun_path) + len))
      < 0)
    g_debug ("sd_notify: %s", g_strerror (errno));
  close (fd);
}

static gboolean
watchdog_cb (gpointer data)
{
  kiosk_sd_notify ("WATCHDOG=1");
  return G_SOURCE_CONTINUE;
}

/* WATCHDOG=1 from a main-loop timer at half the service's WatchdogSec=: a
 * main loop that stops turning stops the pings, and systemd restarts it. */
static void
start_watchdog (KioskApplication *self)
{
  const char *usec = g_getenv ("WATCHDOG_USEC");
  const char *pid = g_getenv ("WATCHDOG_PID");
  guint64 interval;

  if (usec == NULL || self->watchdog_id != 0)
    return;
  /* Under cage, systemd's main process (WATCHDOG_PID) is cage, our parent. */
  if (pid != NULL && g_ascii_strtoull (pid, NULL, 10) != (guint64) getpid ()
      && g_ascii_strtoull (pid, NULL, 10) != (guint64) getppid ())
    return;
  interval = g_ascii_strtoull (usec, NULL, 10) / 2000;
  if (interval == 0)
    return;
  self->watchdog_id = g_timeout_add ((guint) MIN (interval, G_MAXUINT), watchdog_cb, NULL);
  kiosk_sd_notify ("WATCHDOG=1");
}

static gboolean
unix_signal_cb (gpointer data)
{
  kiosk_application_quit (KIOSK_APPLICATION (data));
  return G_SOURCE_CONTINUE;
}

/* Devices, store and sync start once the first frame is drawn: their
 * threads and I/O would only compete with it, and nobody can use the kiosk
 * before it shows. */
/* Start-up allocates and frees a lot (style sheets, templates, font
 * tables); give the freed heap back once things have settled. */
static gboolean
trim_heap_cb (gpointer data)
{
  malloc_trim (0);
  return G_SOURCE_REMOVE;
}

static void
start_core (KioskApplication *self)
{
  g_clear_handle_id (&self->start_id, g_source_remove);
  kiosk_core_start (self->core);
  g_debug ("core started at %.0f ms", _kiosk_process_age_ms ());
  g_timeout_add_seconds (3, trim_heap_cb, NULL);
}

static gboolean
start_timeout_cb (gpointer data)
{
  KioskApplication *self = data;

  self->start_id = 0;
  g_message ("no frame drawn after 5 s: starting the devices anyway");
  start_core (self);
  return G_SOURCE_REMOVE;
}

static gboolean
quit_idle_cb (gpointer data)
{
  kiosk_application_quit (KIOSK_APPLICATION (data));
  return G_SOURCE_REMOVE;
}

static void
write_screenshot (KioskApplication *self, KioskWindow *window)
{
  g_autoptr (GError) error = NULL;

  if (kiosk_window_save_screenshot (window, self->screenshot, &error))
    g_message ("screenshot written to %s", self->screenshot);
  else
    g_printerr ("kiosk: screenshot: %s\n", error->message);
}

/* A delayed screenshot: the frame painted after the delay, taken while
 * its render node is still there. */
static void
delayed_paint_cb (GdkFrameClock *clock, KioskApplication *self)
{
  g_clear_signal_handler (&self->shot_paint_id, clock);
  if (self->window == NULL)
    return;
  write_screenshot (self, self->window);
  if (self->options.quit_after_screenshot)
    g_idle_add_full (G_PRIORITY_DEFAULT, quit_idle_cb, g_object_ref (self), g_object_unref);
}

static gboolean
screenshot_delay_cb (gpointer data)
{
  KioskApplication *self = data;
  GdkSurface *surface;

  if (self->window == NULL || (surface = gtk_native_get_surface (GTK_NATIVE (self->window))) == NULL)
    return G_SOURCE_REMOVE;
  self->shot_paint_id
      = g_signal_connect (gdk_surface_get_frame_clock (surface), "after-paint", G_CALLBACK (delayed_paint_cb), self);
  gtk_widget_queue_draw (GTK_WIDGET (self->window));
  return G_SOURCE_REMOVE;
}

static void
first_frame_cb (KioskWindow *window, KioskApplication *self)
{

  g_debug ("first frame at %.0f ms", _kiosk_process_age_ms ());
  if (self->options.print_first_frame_time)
    {
      printf ("%.0f\n", _kiosk_process_age_ms ());
      fflush (stdout);
    }
  /* Emitted right after the paint: the frame is still there to render to
   * a file. Anything that changes the window (the core starting updates the
   * status strip) must come after. */
  if (self->screenshot != NULL && self->options.screenshot_delay == 0)
    write_screenshot (self, window);
  start_core (self);
  kiosk_sd_notify ("READY=1");
  start_watchdog (self);
  if (self->screenshot != NULL && self->options.screenshot_delay > 0)
    g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, self->options.screenshot_delay, screenshot_delay_cb,
                                g_object_ref (self), g_object_unref);
  else if (self->options.quit_after_screenshot)
    g_idle_add_full (G_PRIORITY_DEFAULT, quit_idle_cb, g_object_ref (self), g_object_unref);
}

static void
kiosk_application_startup (GApplication *app)
{
  KioskApplication *self = KIOSK_APPLICATION (app);

  g_debug ("startup at %.0f ms", _kiosk_process_age_ms ());
  G_APPLICATION_CLASS (kiosk_application_parent_class)->startup (app);
  kiosk_ui_init ();
  g_debug ("styles loaded at %.0f ms", _kiosk_process_age_ms ());
  /* The only ways out: the system asks (shutdown, service stop). */
  self->signal_ids[0] = g_unix_signal_add (SIGTERM, unix_signal_cb, self);
  self->signal_ids[1] = g_unix_signal_add (SIGINT, unix_signal_cb, self);
  self->signal_ids[2] = g_unix_signal_add (SIGHUP, unix_signal_cb, self);
}

static void
kiosk_application_shutdown (GApplication *app)
{
  KioskApplication *self = KIOSK_APPLICATION (app);

  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);
  g_clear_handle_id (&self->start_id, g_source_remove);
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  kiosk_sd_notify ("STOPPING=1");
  G_APPLICATION_CLASS (kiosk_application_parent_class)->shutdown (app);
}

static void
kiosk_application_activate (GApplication *app)
{
  KioskApplication *self = KIOSK_APPLICATION (app);
  gboolean fullscreen;

  if (self->window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->window));
      return;
    }
  fullscreen
      = !self->options.windowed && kiosk_config_get_bool (kiosk_core_get_config (self->core), "ui", "fullscreen");
  self->window = kiosk_window_new (GTK_APPLICATION (app), self->core, fullscreen);
  g_object_add_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  g_signal_connect_object (self->window, "first-frame", G_CALLBACK (first_frame_cb), self, 0);
  g_debug ("window built at %.0f ms", _kiosk_process_age_ms ());
  self->start_id = g_timeout_add_seconds (5, start_timeout_cb, self);
  gtk_window_present (GTK_WINDOW (self->window));
}

static void
kiosk_application_finalize (GObject *object)
{
  KioskApplication *self = KIOSK_APPLICATION (object);

  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  g_clear_object (&self->core);
  g_free (self->screenshot);
  G_OBJECT_CLASS (kiosk_application_parent_class)->finalize (object);
}

static void
kiosk_application_class_init (KioskApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = kiosk_application_finalize;
  app_class->startup = kiosk_application_startup;
  app_class->shutdown = kiosk_application_shutdown;
  app_class->activate = kiosk_application_activate;
}

static void
kiosk_application_init (KioskApplication *self)
{
}

KioskApplication *
kiosk_application_new (KioskCore *core, const KioskLaunchOptions *options)
{
  /* No application id: GApplication would register it on the session bus
   * (one round trip, or a dbus-launch fork when there is no bus) for a
   * uniqueness that systemd already gives the kiosk. */
  KioskApplication *self
      = g_object_new (KIOSK_TYPE_APPLICATION, "application-id", NULL, "flags", G_APPLICATION_NON_UNIQUE, NULL);

  self->core = g_object_ref (core);
  self->options = *options;
  self->screenshot = g_strdup (options->screenshot);
  self->options.screenshot = self->screenshot;
  return self;
}
