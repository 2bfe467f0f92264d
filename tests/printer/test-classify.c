/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer-test"

#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>

#include "print-ipp.h"

/* The codec from printer-state / printer-state-reasons to a device state and
 * the resident's message: pure, no printer needed. */

static const struct {
  int printer_state;
  const char *reasons; /* comma-separated, "" for none */
  KioskDeviceState state;
  const char *message; /* NULL: no message */
  const char *reason_has;
} cases[] = {
  { 3, "none", KIOSK_DEVICE_STATE_READY, NULL, "printer idle" },
  { 3, "", KIOSK_DEVICE_STATE_READY, NULL, "printer idle" },
  { 4, "none", KIOSK_DEVICE_STATE_BUSY, NULL, "processing" },
  { 3, "media-empty-error", KIOSK_DEVICE_STATE_ERROR, "打印机缺纸，请联系工作人员", "media-empty-error" },
  { 5, "media-empty", KIOSK_DEVICE_STATE_ERROR, "打印机缺纸，请联系工作人员", "media-empty" },
  /* ippeveprinter reports its print command's conditions as -report */
  { 3, "media-empty-report", KIOSK_DEVICE_STATE_ERROR, "打印机缺纸，请联系工作人员", "media-empty-report" },
  { 3, "media-needed-error", KIOSK_DEVICE_STATE_ERROR, "打印机缺纸，请联系工作人员", NULL },
  { 5, "media-jam-error", KIOSK_DEVICE_STATE_ERROR, "打印机卡纸，请联系工作人员", "media-jam" },
  { 5, "door-open-error", KIOSK_DEVICE_STATE_ERROR, "打印机盖板未关闭，请联系工作人员", "door-open" },
  { 5, "cover-open", KIOSK_DEVICE_STATE_ERROR, "打印机盖板未关闭，请联系工作人员", NULL },
  { 5, "offline-report", KIOSK_DEVICE_STATE_ABSENT, "打印机未连接，请联系工作人员", "offline" },
  { 3, "shutdown", KIOSK_DEVICE_STATE_ABSENT, "打印机未连接，请联系工作人员", NULL },
  { 5, "toner-empty-error", KIOSK_DEVICE_STATE_ERROR, "打印机墨粉耗尽，请联系工作人员", NULL },
  { 5, "marker-supply-empty-error", KIOSK_DEVICE_STATE_ERROR, "打印机墨粉耗尽，请联系工作人员", NULL },
  /* low supplies: still printing, technician only */
  { 3, "toner-low-warning", KIOSK_DEVICE_STATE_READY, NULL, "toner-low-warning" },
  { 3, "marker-supply-low-report", KIOSK_DEVICE_STATE_READY, NULL, "marker-supply-low" },
  { 3, "media-low-warning", KIOSK_DEVICE_STATE_READY, NULL, NULL },
  /* a -warning suffix downgrades an error keyword */
  { 3, "media-empty-warning", KIOSK_DEVICE_STATE_READY, NULL, "media-empty-warning" },
  /* the worst condition wins; offline beats a jam */
  { 5, "toner-low-warning,media-jam-error", KIOSK_DEVICE_STATE_ERROR, "打印机卡纸，请联系工作人员", "toner-low" },
  { 5, "media-jam-error,offline-report", KIOSK_DEVICE_STATE_ABSENT, "打印机未连接，请联系工作人员", "media-jam" },
  /* unknown keywords: an -error stops us, anything else is noted */
  { 5, "com.example-smoke-error", KIOSK_DEVICE_STATE_ERROR, "打印机故障，请联系工作人员", "smoke" },
  { 3, "com.example-dust-report", KIOSK_DEVICE_STATE_READY, NULL, "dust" },
  /* stopped without a reason is still a fault */
  { 5, "none", KIOSK_DEVICE_STATE_ERROR, "打印机故障，请联系工作人员", "stopped" },
  { 5, "paused", KIOSK_DEVICE_STATE_ERROR, "打印机已暂停，请联系工作人员", NULL },
};

static void
test_classify (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (GStrv) reasons = *cases[i].reasons ? g_strsplit (cases[i].reasons, ",", -1) : g_new0 (char *, 1);
      g_autofree char *reason = NULL;
      const char *message = NULL;
      KioskDeviceState state
          = kiosk_printer_classify (cases[i].printer_state, (const char *const *) reasons, &reason, &message);

      g_test_message ("%d %s -> %s / %s / %s", cases[i].printer_state, cases[i].reasons,
                      kiosk_device_state_to_string (state), reason, message);
      g_assert_cmpint (state, ==, cases[i].state);
      g_assert_cmpstr (message, ==, cases[i].message);
      if (cases[i].reason_has)
        g_assert_nonnull (strstr (reason, cases[i].reason_has));
    }
  /* NULL reasons and NULL out-parameters are fine. */
  g_assert_cmpint (kiosk_printer_classify (3, NULL, NULL, NULL), ==, KIOSK_DEVICE_STATE_READY);
}

static void
test_job_states (void)
{
  g_assert_cmpstr (kiosk_job_state_to_string (9), ==, "completed");
  g_assert_cmpstr (kiosk_job_state_to_string (8), ==, "aborted");
  g_assert_cmpstr (kiosk_job_state_to_string (7), ==, "canceled");
  g_assert_cmpstr (kiosk_job_state_to_string (42), ==, "unknown");
  g_assert_true (kiosk_job_state_is_final (7));
  g_assert_true (kiosk_job_state_is_final (9));
  g_assert_false (kiosk_job_state_is_final (5));
  g_assert_false (kiosk_job_state_is_final (6)); /* stopped: may resume */
}

int
main (int argc, char **argv)
{
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, KIOSK_BUILD_DIR "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/printer/classify/reasons", test_classify);
  g_test_add_func ("/printer/classify/job-states", test_job_states);
  return g_test_run ();
}
