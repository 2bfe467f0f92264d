/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Starting idcard-sim for tests and the bench. */

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>

typedef struct {
  GSubprocess *proc;
  char *dir;
  char *link;    /* the pty, through a stable symlink */
  char *control; /* control socket */
} TestSim;

static inline char *
test_fixtures_dir (void)
{
  const char *src = g_getenv ("KIOSK_SOURCE_DIR");
  return g_build_filename (src ? src : KIOSK_SOURCE_DIR, "drivers", "idcard", "fixtures", NULL);
}

static inline const char *
test_sim_program (void)
{
  const char *p = g_getenv ("KIOSK_IDCARD_SIM");
  return p && *p ? p : IDCARD_SIM_PATH;
}

/* Sends one control line; returns the answer ("ok ..."). */
static inline char *
test_sim_control (TestSim *sim, const char *command)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketAddress) addr = g_unix_socket_address_new (sim->control);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) conn = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (addr), NULL, &error);
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  g_autoptr (GDataInputStream) in = NULL;
  char *answer;

  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), line, strlen (line), NULL, NULL,
                             &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (conn)));
  answer = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

static inline void
test_sim_ok (TestSim *sim, const char *command)
{
  g_autofree char *a = test_sim_control (sim, command);
  if (!g_str_has_prefix (a, "ok"))
    g_error ("idcard-sim: %s -> %s", command, a);
}

/* Starts the simulator with extra arguments (NULL-terminated). */
static inline TestSim *
test_sim_start (const char *first_arg, ...)
{
  TestSim *sim = g_new0 (TestSim, 1);
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *fixtures = test_fixtures_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  va_list ap;

  sim->dir = g_dir_make_tmp ("idcard-test-XXXXXX", &error);
  g_assert_no_error (error);
  sim->link = g_build_filename (sim->dir, "tty", NULL);
  sim->control = g_build_filename (sim->dir, "ctl", NULL);
  g_ptr_array_add (argv, g_strdup (test_sim_program ()));
  g_ptr_array_add (argv, g_strdup ("--exit-with-parent"));
  g_ptr_array_add (argv, g_strconcat ("--cards=", fixtures, NULL));
  g_ptr_array_add (argv, g_strconcat ("--link=", sim->link, NULL));
  g_ptr_array_add (argv, g_strconcat ("--control=", sim->control, NULL));
  va_start (ap, first_arg);
  for (const char *a = first_arg; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  sim->proc = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PTY /dev/"));
  return sim;
}

static inline void
test_sim_stop (TestSim *sim)
{
  g_subprocess_send_signal (sim->proc, SIGTERM);
  g_subprocess_wait (sim->proc, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (sim->proc));
  g_object_unref (sim->proc);
  g_unlink (sim->control);
  g_unlink (sim->link);
  g_rmdir (sim->dir);
  g_free (sim->dir);
  g_free (sim->link);
  g_free (sim->control);
  g_free (sim);
}
