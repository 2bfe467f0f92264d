/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "kioskctl.h"
#include "pad-device.h"

/* kioskctl [--json] pad test [--raw] [--count N]
 *
 * For a technician setting up a pad model: opens the pad configured in
 * [pad] (real or sim backend) and prints one line per key press until
 * interrupted (Ctrl-C exits 0): as text (--raw adds "raw KIND  value ..."
 * lines for every report),
 *   key satisfied  level 2  value 02  report 0200000000000000
 * or, with --json, one JSON object a line,
 *   {"event":"key","key":"satisfied","level":2,"value":"02","report":"0200000000000000","time":"..."}
 * "level" is the internal level 1 (非常满意) … 5 (非常不满意), null for
 * confirm/cancel. With --raw every input report is printed as well
 * ({"event":"report","kind":"unmapped","value":"3f",...}) so the values of
 * an unknown model can be read off and put in [pad] key-map. Device state
 * changes go to stderr. --count N exits 0 after N key presses. */

typedef struct {
  GMainLoop *loop;
  gboolean json;
  gboolean raw;
  int count;
  int keys;
  GBytes *last_report;
  guint last_value;
} PadTest;

static void
add_time (JsonBuilder *b)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *iso = g_date_time_format_iso8601 (now);
  json_builder_set_member_name (b, "time");
  json_builder_add_string_value (b, iso);
}

static void
add_report (JsonBuilder *b, GBytes *report, guint value)
{
  gsize len = 0;
  const guint8 *data = report ? g_bytes_get_data (report, &len) : NULL;
  g_autofree char *hex = kiosk_pad_hex_format (data, len);
  g_autofree char *v = g_strdup_printf ("%02x", value);

  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, v);
  json_builder_set_member_name (b, "report");
  json_builder_add_string_value (b, hex);
}

static void
report_cb (KioskPadDevice *pad, GBytes *report, int kind, guint value, PadTest *t)
{
  g_clear_pointer (&t->last_report, g_bytes_unref);
  t->last_report = g_bytes_ref (report);
  t->last_value = value;
  if (t->raw && !t->json)
    {
      gsize len = 0;
      const guint8 *data = g_bytes_get_data (report, &len);
      g_autofree char *hex = kiosk_pad_hex_format (data, len);
      printf ("raw %s  value %02x  report %s\n", kiosk_pad_report_kind_to_string (kind), value, hex);
      fflush (stdout);
    }
  else if (t->raw)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event");
      json_builder_add_string_value (b, "report");
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, kiosk_pad_report_kind_to_string (kind));
      add_report (b, report, value);
      add_time (b);
      json_builder_end_object (b);
      kioskctl_print_json (b);
    }
}

static void
key_cb (KioskPadDevice *pad, guint key, PadTest *t)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  if (!t->json)
    {
      gsize len = 0;
      const guint8 *data = t->last_report ? g_bytes_get_data (t->last_report, &len) : NULL;
      g_autofree char *hex = kiosk_pad_hex_format (data, len);
      g_autofree char *level = kiosk_pad_key_is_level (key) ? g_strdup_printf ("%u", key) : g_strdup ("-");
      printf ("key %s  level %s  value %02x  report %s\n", kiosk_pad_key_to_string (key), level, t->last_value, hex);
      fflush (stdout);
      if (t->count > 0 && ++t->keys >= t->count)
        g_main_loop_quit (t->loop);
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "event");
  json_builder_add_string_value (b, "key");
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, kiosk_pad_key_to_string (key));
  json_builder_set_member_name (b, "level");
  if (kiosk_pad_key_is_level (key))
    json_builder_add_int_value (b, key);
  else
    json_builder_add_null_value (b);
  add_report (b, t->last_report, t->last_value);
  add_time (b);
  json_builder_end_object (b);
  kioskctl_print_json (b);

  if (t->count > 0 && ++t->keys >= t->count)
    g_main_loop_quit (t->loop);
}

static void
state_cb (KioskDevice *dev, GParamSpec *pspec, PadTest *t)
{
  fprintf (stderr, "pad (%s): %s: %s\n", kiosk_device_get_backend (dev),
           kiosk_device_state_to_string (kiosk_device_get_state (dev)),
           kiosk_device_get_reason (dev) ? kiosk_device_get_reason (dev) : "");
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static int
usage (void)
{
  fprintf (stderr, "usage: kioskctl [--config FILE] [--json] pad test [--raw] [--count N]\n");
  return KIOSKCTL_EXIT_USAGE;
}

static int
pad_test (KioskctlContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskDevice) dev = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  PadTest t = { .json = ctx->json };
  KioskConfig *config;
  guint sigint, sigterm;

  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--raw"))
        t.raw = TRUE;
      else if (g_str_equal (argv[i], "--count") && i + 1 < argc)
        {
          char *end = NULL;
          long n = strtol (argv[++i], &end, 10);
          if (end == argv[i] || *end != '\0' || n <= 0 || n > G_MAXINT)
            return usage ();
          t.count = (int) n;
        }
      else
        return usage ();
    }

  config = kioskctl_config (ctx);
  if (config == NULL)
    return KIOSKCTL_EXIT_USAGE;
  {
    /* Never take the pad from a running kiosk. */
    KioskctlKiosk kiosk;
    gboolean held;

    kioskctl_kiosk_load (&kiosk, config);
    held = kiosk.status == KIOSKCTL_KIOSK_RUNNING || kiosk.status == KIOSKCTL_KIOSK_HUNG;
    kioskctl_kiosk_clear (&kiosk);
    if (held)
      return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL,
                             "the evaluation pad is in use by the kiosk: stop the kiosk first");
  }
  dev = kiosk_pad_device_new (config, &error);
  if (dev == NULL)
    {
      fprintf (stderr, "kioskctl: %s\n", error->message);
      return KIOSKCTL_EXIT_USAGE;
    }
  if (kiosk_pad_device_from_device (dev) == NULL)
    {
      fprintf (stderr, "kioskctl: %s\n", "no pad configured ([pad] backend=none)");
      return KIOSKCTL_EXIT_FAIL;
    }

  loop = g_main_loop_new (NULL, FALSE);
  t.loop = loop;
  g_signal_connect (dev, "report", G_CALLBACK (report_cb), &t);
  g_signal_connect (dev, "key", G_CALLBACK (key_cb), &t);
  g_signal_connect (dev, "notify::state", G_CALLBACK (state_cb), &t);
  g_signal_connect (dev, "notify::reason", G_CALLBACK (state_cb), &t);
  sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);

  fprintf (stderr, "Press the pad's keys; Ctrl-C ends.\n");
  kiosk_device_start (dev);
  g_main_loop_run (loop);
  kiosk_device_stop (dev);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (dev, &t);
  g_clear_pointer (&t.last_report, g_bytes_unref);
  return KIOSKCTL_EXIT_OK;
}

int
kioskctl_pad (KioskctlContext *ctx, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "test"))
    return pad_test (ctx, argc, argv);
  return usage ();
}
