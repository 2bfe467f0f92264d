/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pad's real (libusb) backend against an emulated USB HID pad:
 * umockdev-run gives it data/pad.umockdev (a 2a0e:0101 HID device with
 * interrupt IN 0x81 and OUT 0x02) and replays data/pad.ioctl: key reports,
 * a held key, an unmapped value, an empty report, then the device vanishing
 * (ENODEV), after which the driver finds it again. The script loops. */
#include "config.h"

#include <string.h>

#include "pad-device.h"

#define CONF                                                                                 \
  "[kiosk]\nid=k1\nstation=s\n[store]\npath=a.db\n[platform]\nurl=https://p.example/\n"      \
  "[pad]\nbackend=real\nusb-ids=ffff:0001;2a0e:0101\nrescan-seconds=1\nfeedback=interrupt\n" \
  "feedback-map=thanks:0102;off:0100\n"

typedef struct {
  GArray *keys;
  GArray *states;
  guint malformed;
  guint unmapped;
  char *feedback;
} Seen;

static void
key_cb (KioskPadDevice *pad, guint key, Seen *seen)
{
  g_array_append_val (seen->keys, key);
}

static void
report_cb (KioskPadDevice *pad, GBytes *report, int kind, guint value, Seen *seen)
{
  seen->malformed += kind == KIOSK_PAD_REPORT_MALFORMED;
  seen->unmapped += kind == KIOSK_PAD_REPORT_UNMAPPED;
}

static void
state_cb (KioskDevice *dev, GParamSpec *pspec, Seen *seen)
{
  int state = kiosk_device_get_state (dev);
  g_test_message ("state %s: %s", kiosk_device_state_to_string (state), kiosk_device_get_reason (dev));
  g_array_append_val (seen->states, state);
}

static void
feedback_cb (KioskPadDevice *pad, const char *event, GBytes *bytes, Seen *seen)
{
  g_free (seen->feedback);
  seen->feedback = g_strdup (event);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static guint
count_state (Seen *seen, int state)
{
  guint n = 0;
  for (guint i = 0; i < seen->states->len; i++)
    n += g_array_index (seen->states, int, i) == state;
  return n;
}

static void
test_replay (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskConfig) config = kiosk_config_new_from_data (CONF, NULL, &error);
  g_autoptr (KioskDevice) dev = NULL;
  Seen seen = { 0 };
  gboolean timed_out = FALSE;
  guint id;

  g_assert_no_error (error);
  dev = kiosk_pad_device_new (config, &error);
  g_assert_no_error (error);
  seen.keys = g_array_new (FALSE, FALSE, sizeof (guint));
  seen.states = g_array_new (FALSE, FALSE, sizeof (int));
  g_signal_connect (dev, "key", G_CALLBACK (key_cb), &seen);
  g_signal_connect (dev, "report", G_CALLBACK (report_cb), &seen);
  g_signal_connect (dev, "notify::state", G_CALLBACK (state_cb), &seen);
  g_signal_connect (dev, "feedback", G_CALLBACK (feedback_cb), &seen);

  {
    g_autofree char *probe = kiosk_device_probe_sync (dev, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (probe, "2a0e:0101"));
  }

  kiosk_device_start (dev);
  id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  /* First pass: 01 (press), 00, 04 (press), 04 (held: no key), 3f
   * (unmapped), empty (malformed), 00, 06 (press), 00, then ENODEV. Then the
   * driver reopens the pad and the script plays again. */
  while (!timed_out && (count_state (&seen, KIOSK_DEVICE_STATE_READY) < 2 || seen.keys->len < 4))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_assert_cmpuint (g_array_index (seen.keys, guint, 0), ==, KIOSK_PAD_KEY_VERY_SATISFIED);
  g_assert_cmpuint (g_array_index (seen.keys, guint, 1), ==, KIOSK_PAD_KEY_DISSATISFIED);
  g_assert_cmpuint (g_array_index (seen.keys, guint, 2), ==, KIOSK_PAD_KEY_CONFIRM);
  g_assert_cmpuint (g_array_index (seen.keys, guint, 3), ==, KIOSK_PAD_KEY_VERY_SATISFIED);
  g_assert_cmpuint (seen.unmapped, >=, 1);
  g_assert_cmpuint (seen.malformed, >=, 1);
  /* unplug noticed (absent), replug resumed (ready again) */
  g_assert_cmpint (g_array_index (seen.states, int, 0), ==, KIOSK_DEVICE_STATE_READY);
  g_assert_cmpuint (count_state (&seen, KIOSK_DEVICE_STATE_ABSENT), >=, 1);
  g_assert_cmpuint (count_state (&seen, KIOSK_DEVICE_STATE_READY), >=, 2);

  /* feedback: the OUT report the script expects is delivered */
  g_assert_true (kiosk_pad_device_feedback (KIOSK_PAD_DEVICE (dev), "thanks"));
  while (!timed_out && seen.feedback == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_assert_cmpstr (seen.feedback, ==, "thanks");
  g_source_remove (id);

  kiosk_device_stop (dev);
  g_array_unref (seen.keys);
  g_array_unref (seen.states);
  g_free (seen.feedback);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("UMOCKDEV_DIR") == NULL)
    {
      g_test_skip ("not running under umockdev-run");
      return 77;
    }
  g_test_add_func ("/pad/usb/replay", test_replay);
  return g_test_run ();
}
