/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pad device with the sim backend: reports go through the same parser
 * as the real pad's; key edges, hotplug, feedback, the sim-input FIFO and
 * configuration errors. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pad-device.h"

#define BASE "[kiosk]\nid=k1\nstation=s\n[store]\npath=a.db\n[platform]\nurl=https://p.example/\n"

typedef struct {
  GArray *keys;
  guint reports;
  guint malformed;
  guint unmapped;
  guint other;
  char *feedback_event;
  GBytes *feedback_bytes;
} Seen;

static void
key_cb (KioskPadDevice *pad, guint key, Seen *seen)
{
  g_array_append_val (seen->keys, key);
}

static void
report_cb (KioskPadDevice *pad, GBytes *report, int kind, guint value, Seen *seen)
{
  seen->reports++;
  seen->malformed += kind == KIOSK_PAD_REPORT_MALFORMED;
  seen->unmapped += kind == KIOSK_PAD_REPORT_UNMAPPED;
  seen->other += kind == KIOSK_PAD_REPORT_OTHER;
}

static void
feedback_cb (KioskPadDevice *pad, const char *event, GBytes *bytes, Seen *seen)
{
  g_free (seen->feedback_event);
  seen->feedback_event = g_strdup (event);
  g_clear_pointer (&seen->feedback_bytes, g_bytes_unref);
  seen->feedback_bytes = g_bytes_ref (bytes);
}

static void
seen_clear (Seen *seen)
{
  g_array_unref (seen->keys);
  g_free (seen->feedback_event);
  g_clear_pointer (&seen->feedback_bytes, g_bytes_unref);
}

static KioskPadDevice *
make_pad (const char *pad_group, Seen *seen)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = g_strconcat (BASE, pad_group, NULL);
  g_autoptr (KioskConfig) config = kiosk_config_new_from_data (data, g_get_tmp_dir (), &error);
  KioskDevice *dev;

  g_assert_no_error (error);
  dev = kiosk_pad_device_new (config, &error);
  g_assert_no_error (error);
  g_assert_true (KIOSK_IS_PAD_DEVICE (dev));
  memset (seen, 0, sizeof *seen);
  seen->keys = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (dev, "key", G_CALLBACK (key_cb), seen);
  g_signal_connect (dev, "report", G_CALLBACK (report_cb), seen);
  g_signal_connect (dev, "feedback", G_CALLBACK (feedback_cb), seen);
  return KIOSK_PAD_DEVICE (dev);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static guint
key_at (Seen *seen, guint i)
{
  g_assert_cmpuint (i, <, seen->keys->len);
  return g_array_index (seen->keys, guint, i);
}

static void
test_sim_every_key (void)
{
  Seen seen;
  g_autoptr (KioskPadDevice) pad = make_pad ("[pad]\nbackend=sim\n", &seen);

  kiosk_device_start (KIOSK_DEVICE (pad));
  drain ();
  g_assert_cmpint (kiosk_device_get_state (KIOSK_DEVICE (pad)), ==, KIOSK_DEVICE_STATE_READY);
  for (KioskPadKey k = KIOSK_PAD_KEY_VERY_SATISFIED; k <= KIOSK_PAD_KEY_LAST; k++)
    g_assert_true (kiosk_pad_device_sim_press (pad, k));
  g_assert_cmpuint (seen.keys->len, ==, 7);
  for (guint i = 0; i < 7; i++)
    g_assert_cmpuint (key_at (&seen, i), ==, i + 1);
  g_assert_cmpuint (seen.reports, ==, 14); /* press + release each */
  kiosk_device_stop (KIOSK_DEVICE (pad));
  seen_clear (&seen);
}

static void
test_sim_edges_and_bad_reports (void)
{
  Seen seen;
  g_autoptr (KioskPadDevice) pad = make_pad ("[pad]\nbackend=sim\nreport-id=1\nkey-offset=1\nreport-length=4\n", &seen);
  const guint8 held[] = { 1, 2, 0, 0 };
  const guint8 release[] = { 1, 0, 0, 0 };
  const guint8 unmapped[] = { 1, 0x3f, 0, 0 };
  const guint8 other[] = { 9, 4, 0, 0 };
  const guint8 shortr[] = { 1 };

  kiosk_device_start (KIOSK_DEVICE (pad));
  /* a key held down repeats its report: one key */
  kiosk_pad_device_sim_inject (pad, held, sizeof held);
  kiosk_pad_device_sim_inject (pad, held, sizeof held);
  kiosk_pad_device_sim_inject (pad, held, sizeof held);
  g_assert_cmpuint (seen.keys->len, ==, 1);
  /* release and press again: a second key */
  kiosk_pad_device_sim_inject (pad, release, sizeof release);
  kiosk_pad_device_sim_inject (pad, held, sizeof held);
  g_assert_cmpuint (seen.keys->len, ==, 2);
  /* junk never becomes a key, and does not break the next one */
  kiosk_pad_device_sim_inject (pad, unmapped, sizeof unmapped);
  kiosk_pad_device_sim_inject (pad, other, sizeof other);
  kiosk_pad_device_sim_inject (pad, shortr, sizeof shortr);
  kiosk_pad_device_sim_inject (pad, shortr, 0);
  g_assert_cmpuint (seen.keys->len, ==, 2);
  g_assert_cmpuint (seen.unmapped, ==, 1);
  g_assert_cmpuint (seen.other, ==, 1);
  g_assert_cmpuint (seen.malformed, ==, 2);
  /* after unmapped junk, the held key counts as a new press */
  kiosk_pad_device_sim_inject (pad, held, sizeof held);
  g_assert_cmpuint (seen.keys->len, ==, 3);
  g_assert_cmpuint (key_at (&seen, 2), ==, KIOSK_PAD_KEY_SATISFIED);
  kiosk_device_stop (KIOSK_DEVICE (pad));
  seen_clear (&seen);
}

static void
test_sim_no_release_model (void)
{
  Seen seen;
  g_autoptr (KioskPadDevice) pad = make_pad ("[pad]\nbackend=sim\nrelease-reports=false\n", &seen);
  const guint8 r[] = { 3, 0, 0, 0, 0, 0, 0, 0 };

  kiosk_device_start (KIOSK_DEVICE (pad));
  kiosk_pad_device_sim_inject (pad, r, sizeof r);
  kiosk_pad_device_sim_inject (pad, r, sizeof r);
  g_assert_cmpuint (seen.keys->len, ==, 2); /* each report is a press */
  kiosk_device_stop (KIOSK_DEVICE (pad));
  seen_clear (&seen);
}

static void
test_sim_hotplug_and_feedback (void)
{
  Seen seen;
  g_autoptr (KioskPadDevice) pad = make_pad ("[pad]\nbackend=sim\nfeedback=interrupt\n"
                                             "feedback-map=prompt:0101;thanks:0102\n",
                                             &seen);

  kiosk_device_start (KIOSK_DEVICE (pad));
  drain ();
  g_assert_true (kiosk_pad_device_feedback (pad, "prompt"));
  g_assert_cmpstr (seen.feedback_event, ==, "prompt");
  g_assert_cmpuint (g_bytes_get_size (seen.feedback_bytes), ==, 2);
  g_assert_false (kiosk_pad_device_feedback (pad, "reason")); /* not configured */

  kiosk_pad_device_sim_set_connected (pad, FALSE);
  drain ();
  g_assert_cmpint (kiosk_device_get_state (KIOSK_DEVICE (pad)), ==, KIOSK_DEVICE_STATE_ABSENT);
  g_assert_nonnull (kiosk_device_get_message (KIOSK_DEVICE (pad)));
  g_assert_false (kiosk_pad_device_sim_press (pad, KIOSK_PAD_KEY_SATISFIED));
  g_assert_false (kiosk_pad_device_feedback (pad, "thanks"));
  g_assert_cmpuint (seen.keys->len, ==, 0);

  kiosk_pad_device_sim_set_connected (pad, TRUE);
  drain ();
  g_assert_cmpint (kiosk_device_get_state (KIOSK_DEVICE (pad)), ==, KIOSK_DEVICE_STATE_READY);
  g_assert_true (kiosk_pad_device_sim_press (pad, KIOSK_PAD_KEY_SATISFIED));
  g_assert_cmpuint (seen.keys->len, ==, 1);
  kiosk_device_stop (KIOSK_DEVICE (pad));
  seen_clear (&seen);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_sim_fifo (void)
{
  Seen seen;
  g_autofree char *dir = g_dir_make_tmp ("pad-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "pad.fifo", NULL);
  g_autofree char *group = NULL;
  g_autoptr (KioskPadDevice) pad = NULL;
  const char *lines = "# a technician's script\n01 00 00 00 00 00 00 00\n0000000000000000\nzz\nunplug\n02\nplug\n"
                      "press very-dissatisfied\n06\n";
  gboolean timed_out = FALSE;
  guint id;
  int fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  group = g_strdup_printf ("[pad]\nbackend=sim\nsim-input=%s\n", fifo);
  pad = make_pad (group, &seen);
  kiosk_device_start (KIOSK_DEVICE (pad));

  fd = open (fifo, O_WRONLY | O_NONBLOCK);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, lines, strlen (lines)), ==, (ssize_t) strlen (lines));
  close (fd);

  id = g_timeout_add_seconds (5, timeout_cb, &timed_out);
  while (seen.keys->len < 3 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_assert_false (timed_out);
  /* 02 was sent while unplugged: dropped */
  g_assert_cmpuint (seen.keys->len, ==, 3);
  g_assert_cmpuint (key_at (&seen, 0), ==, KIOSK_PAD_KEY_VERY_SATISFIED);
  g_assert_cmpuint (key_at (&seen, 1), ==, KIOSK_PAD_KEY_VERY_DISSATISFIED);
  g_assert_cmpuint (key_at (&seen, 2), ==, KIOSK_PAD_KEY_CONFIRM);
  kiosk_device_stop (KIOSK_DEVICE (pad));
  seen_clear (&seen);
  g_unlink (fifo);
  g_rmdir (dir);
}

static void
test_config_errors (void)
{
  const char *bad[] = {
    "[pad]\nbackend=sim\nkey-map=01:happy\n",          "[pad]\nbackend=sim\nkey-offset=8\nreport-length=8\n",
    "[pad]\nbackend=sim\nreport-id=3\nkey-offset=0\n", "[pad]\nbackend=real\nusb-ids=12345:1\n",
    "[pad]\nbackend=real\nfeedback-map=thanks\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *data = g_strconcat (BASE, bad[i], NULL);
      g_autoptr (KioskConfig) config = kiosk_config_new_from_data (data, NULL, &error);
      KioskDevice *dev;
      g_assert_no_error (error);
      dev = kiosk_pad_device_new (config, &error);
      g_assert_null (dev);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
    }
}

static void
test_real_without_ids_and_none (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) c1 = kiosk_config_new_from_data (BASE "[pad]\nbackend=real\n", NULL, &error);
  g_autoptr (KioskConfig) c2 = kiosk_config_new_from_data (BASE "[pad]\nbackend=none\n", NULL, &error);
  g_autoptr (KioskDevice) real = kiosk_pad_device_new (c1, &error);
  g_autoptr (KioskDevice) none = kiosk_pad_device_new (c2, &error);

  g_assert_no_error (error);
  kiosk_device_start (real);
  kiosk_device_start (none);
  drain ();
  g_assert_cmpint (kiosk_device_get_state (real), ==, KIOSK_DEVICE_STATE_ABSENT);
  g_assert_cmpstr (kiosk_device_get_reason (real), ==, "no [pad] usb-ids configured");
  g_assert_cmpint (kiosk_device_get_state (none), ==, KIOSK_DEVICE_STATE_ABSENT);
  g_assert_null (kiosk_pad_device_from_device (none));
  kiosk_device_stop (real);
  kiosk_device_stop (none);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pad/sim/every-key", test_sim_every_key);
  g_test_add_func ("/pad/sim/edges-and-bad-reports", test_sim_edges_and_bad_reports);
  g_test_add_func ("/pad/sim/no-release-model", test_sim_no_release_model);
  g_test_add_func ("/pad/sim/hotplug-and-feedback", test_sim_hotplug_and_feedback);
  g_test_add_func ("/pad/sim/fifo", test_sim_fifo);
  g_test_add_func ("/pad/config-errors", test_config_errors);
  g_test_add_func ("/pad/real-without-ids-and-none", test_real_without_ids_and_none);
  return g_test_run ();
}
