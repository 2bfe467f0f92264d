/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "print-document.h"
#include "print-sim.h"

struct _KioskPrinterSim {
  char *dir; /* our temporary folder: bus socket, config, logs */
  char *spool_dir;
  gboolean own_spool;
  char *uri;
  int port;
  GPid dbus_pid;
  GPid ipp_pid;
};

static const char dbus_config[] = "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN\"\n"
                                  " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                                  "<busconfig>\n"
                                  "  <type>system</type>\n"
                                  "  <listen>unix:path=%s/bus</listen>\n"
                                  "  <auth>EXTERNAL</auth>\n"
                                  "  <policy context=\"default\">\n"
                                  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                                  "    <allow eavesdrop=\"true\"/>\n"
                                  "    <allow own=\"*\"/>\n"
                                  "    <allow user=\"*\"/>\n"
                                  "  </policy>\n"
                                  "</busconfig>\n";

static void
child_setup (gpointer data)
{
  /* Die with the thread that started us: no orphans after a crash. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  setsid ();
}

static int
free_port (void)
{
  g_autoptr (GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  if (sock == NULL || !g_socket_bind (sock, addr, FALSE, NULL))
    return 0;
  bound = g_socket_get_local_address (sock, NULL);
  return bound ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : 0;
}

static gboolean
spawn_logged (char **argv, char **envp, const char *log_path, GPid *pid, GError **error)
{
  int fd = open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  gboolean ok;

  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "%s: %s", log_path, g_strerror (errno));
      return FALSE;
    }
  ok = g_spawn_async_with_pipes_and_fds (NULL, (const char *const *) argv, (const char *const *) envp,
                                         G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL,
                                         child_setup, NULL, -1, fd, fd, NULL, NULL, 0, pid, NULL, NULL, NULL, error);
  close (fd);
  return ok;
}

static gboolean
child_exited (GPid pid)
{
  int status;
  return waitpid (pid, &status, WNOHANG) == pid;
}

static void
stop_child (GPid *pid)
{
  int status;

  if (*pid <= 0)
    return;
  kill (*pid, SIGTERM);
  for (int i = 0; i < 100; i++)
    {
      if (waitpid (*pid, &status, WNOHANG) == *pid)
        {
          *pid = 0;
          return;
        }
      g_usleep (10 * 1000);
    }
  kill (*pid, SIGKILL);
  waitpid (*pid, &status, 0);
  *pid = 0;
}

static gboolean
port_answers (int port)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) conn = NULL;

  g_socket_client_set_timeout (client, 1);
  conn = g_socket_client_connect_to_host (client, "localhost", port, NULL, NULL);
  return conn != NULL;
}

static gboolean
start_dbus (KioskPrinterSim *self, GError **error)
{
  g_autofree char *conf = g_build_filename (self->dir, "dbus.conf", NULL);
  g_autofree char *text = g_strdup_printf (dbus_config, self->dir);
  g_autofree char *bus = g_build_filename (self->dir, "bus", NULL);
  g_autofree char *log = g_build_filename (self->dir, "dbus.log", NULL);
  g_autofree char *conf_arg = g_strdup_printf ("--config-file=%s", conf);
  char *argv[] = { (char *) "dbus-daemon", conf_arg, (char *) "--nofork", (char *) "--nopidfile", NULL };

  if (!g_file_set_contents (conf, text, -1, error))
    return FALSE;
  if (!spawn_logged (argv, NULL, log, &self->dbus_pid, error))
    {
      g_prefix_error (error, "cannot start dbus-daemon (package dbus): ");
      return FALSE;
    }
  for (int i = 0; i < 500; i++)
    {
      if (g_file_test (bus, G_FILE_TEST_EXISTS))
        return TRUE;
      if (child_exited (self->dbus_pid))
        {
          self->dbus_pid = 0;
          break;
        }
      g_usleep (10 * 1000);
    }
  g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE,
               "the private dbus-daemon did not start (see %s)", log);
  return FALSE;
}

static gboolean
start_printer (KioskPrinterSim *self, const KioskPrinterSimOptions *opt, GError **error)
{
  g_autofree char *log = g_build_filename (self->dir, "ippeveprinter.log", NULL);
  g_autofree char *bus_env = g_strdup_printf ("DBUS_SYSTEM_BUS_ADDRESS=unix:path=%s/bus", self->dir);
  g_auto (GStrv) envp = g_get_environ ();
  const char *name = opt && opt->name ? opt->name : "KioskSim";
  g_autofree char *true_path = g_find_program_in_path ("true");

  envp = g_environ_setenv (envp, "DBUS_SYSTEM_BUS_ADDRESS", bus_env + strlen ("DBUS_SYSTEM_BUS_ADDRESS="), TRUE);
  for (int i = 0; opt && opt->env && opt->env[i]; i++)
    {
      g_auto (GStrv) kv = g_strsplit (opt->env[i], "=", 2);
      if (kv[0] && kv[1])
        envp = g_environ_setenv (envp, kv[0], kv[1], TRUE);
    }

  for (int attempt = 0; attempt < 5; attempt++)
    {
      g_autofree char *port = NULL;
      g_autoptr (GPtrArray) argv = g_ptr_array_new ();
      GError *local = NULL;

      self->port = free_port ();
      port = g_strdup_printf ("%d", self->port);
      g_ptr_array_add (argv, (char *) "ippeveprinter");
      g_ptr_array_add (argv, (char *) "-r");
      g_ptr_array_add (argv, (char *) "off");
      g_ptr_array_add (argv, (char *) "-p");
      g_ptr_array_add (argv, port);
      g_ptr_array_add (argv, (char *) "-n");
      g_ptr_array_add (argv, (char *) "localhost");
      g_ptr_array_add (argv, (char *) "-d");
      g_ptr_array_add (argv, self->spool_dir);
      g_ptr_array_add (argv, (char *) "-k");
      g_ptr_array_add (argv, (char *) "-f");
      g_ptr_array_add (argv, (char *) "application/pdf");
      g_ptr_array_add (argv, (char *) "-M");
      g_ptr_array_add (argv, (char *) "Kiosk");
      g_ptr_array_add (argv, (char *) "-m");
      g_ptr_array_add (argv, (char *) "Simulated Printer");
      /* Without a print command ippeveprinter "prints" at a simulated
       * 10 pages a minute; `true` completes each job at once. */
      g_ptr_array_add (argv, (char *) "-c");
      g_ptr_array_add (argv, opt && opt->command ? (char *) opt->command : true_path);
      g_ptr_array_add (argv, (char *) name);
      g_ptr_array_add (argv, NULL);

      if (!spawn_logged ((char **) argv->pdata, envp, log, &self->ipp_pid, &local))
        {
          g_prefix_error (&local, "cannot start ippeveprinter (package cups-ipp-utils): ");
          g_propagate_error (error, local);
          return FALSE;
        }
      for (int i = 0; i < 250; i++)
        {
          if (child_exited (self->ipp_pid))
            {
              self->ipp_pid = 0;
              break;
            }
          if (port_answers (self->port))
            {
              self->uri = g_strdup_printf ("ipp://localhost:%d/ipp/print", self->port);
              g_debug ("simulated printer %s up (pid %d)", self->uri, (int) self->ipp_pid);
              return TRUE;
            }
          g_usleep (20 * 1000);
        }
      stop_child (&self->ipp_pid);
      g_message ("simulated printer did not come up on port %d, trying another", self->port);
    }
  g_set_error (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_UNREACHABLE, "ippeveprinter did not start (see %s)", log);
  return FALSE;
}

KioskPrinterSim *
kiosk_printer_sim_start (const KioskPrinterSimOptions *options, GError **error)
{
  KioskPrinterSim *self = g_new0 (KioskPrinterSim, 1);

  self->dir = g_dir_make_tmp ("kiosk-printer-sim-XXXXXX", error);
  if (self->dir == NULL)
    goto fail;
  if (options && options->spool_dir)
    {
      self->spool_dir = g_strdup (options->spool_dir);
      if (g_mkdir_with_parents (self->spool_dir, 0700) < 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", self->spool_dir, g_strerror (saved));
          goto fail;
        }
    }
  else
    {
      self->own_spool = TRUE;
      self->spool_dir = g_build_filename (self->dir, "spool", NULL);
      g_mkdir (self->spool_dir, 0700);
    }
  if (!start_dbus (self, error) || !start_printer (self, options, error))
    goto fail;
  return self;

fail:
  kiosk_printer_sim_free (self);
  return NULL;
}

const char *
kiosk_printer_sim_get_uri (KioskPrinterSim *self)
{
  return self->uri;
}

int
kiosk_printer_sim_get_port (KioskPrinterSim *self)
{
  return self->port;
}

const char *
kiosk_printer_sim_get_spool_dir (KioskPrinterSim *self)
{
  return self->spool_dir;
}

GPid
kiosk_printer_sim_get_pid (KioskPrinterSim *self)
{
  return self->ipp_pid;
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
kiosk_printer_sim_list_received (KioskPrinterSim *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) dir = g_dir_open (self->spool_dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    if (g_str_has_suffix (name, ".pdf"))
      g_ptr_array_add (out, g_build_filename (self->spool_dir, name, NULL));
  g_ptr_array_sort (out, compare_paths);
  return out;
}

void
kiosk_printer_sim_kill (KioskPrinterSim *self)
{
  int status;

  if (self->ipp_pid <= 0)
    return;
  /* The whole process group: the printer and any print command it runs. */
  kill (-self->ipp_pid, SIGKILL);
  kill (self->ipp_pid, SIGKILL);
  waitpid (self->ipp_pid, &status, 0);
  self->ipp_pid = 0;
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
kiosk_printer_sim_free (KioskPrinterSim *self)
{
  if (self == NULL)
    return;
  if (self->ipp_pid > 0)
    kill (-self->ipp_pid, SIGTERM);
  stop_child (&self->ipp_pid);
  stop_child (&self->dbus_pid);
  if (self->dir)
    remove_tree (self->dir); /* holds the spool when we made it */
  g_free (self->dir);
  g_free (self->spool_dir);
  g_free (self->uri);
  g_free (self);
}
