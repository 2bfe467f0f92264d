/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store-test"

#include "config.h"

#include <string.h>

#include "store-test-util.h"

/* The adapter seam's helpers (issue #12): text from the platform made safe
 * to show, deadlines that a trickling peer cannot stretch, and the sync
 * engine never taking anything but an acknowledgement for a delivery. */

static void
test_sanitize (void)
{
  static const struct {
    const char *in;
    gboolean keep_newlines;
    gsize max;
    const char *out;
  } cases[] = {
    { "plain text 已受理", FALSE, 0, "plain text 已受理" },
    { "\x1b[2J\x1b[1;31mALL CASES DELETED\a", FALSE, 0, "[2J[1;31mALL CASES DELETED" },
    /* C1 CSI (U+009B), DEL, NUL-free C0 */
    { "a\xc2\x9b"
      "31mb\x7f"
      "c\x01"
      "d",
      FALSE, 0, "a31mbcd" },
    /* bidi override, isolate, zero-width space, line separator */
    { "x\xe2\x80\xae"
      "y\xe2\x81\xa6"
      "z\xe2\x80\x8b"
      "w\xe2\x80\xa8"
      "v",
      FALSE, 0, "xyzwv" },
    { "line1\r\nline2\tend", FALSE, 0, "line1 line2 end" },
    { "line1\r\nline2\tend", TRUE, 0, "line1\nline2\tend" },
    /* invalid UTF-8 is repaired, never passed on */
    { "bad\xff\xfe"
      "byte",
      FALSE, 0,
      "bad\xef\xbf\xbd\xef\xbf\xbd"
      "byte" },
    { "abcdef", FALSE, 4, "abcd…" },
    { "审查中审查中", FALSE, 7, "审查…" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = kiosk_platform_text_sanitize (cases[i].in, cases[i].max, cases[i].keep_newlines);
      g_assert_cmpstr (out, ==, cases[i].out);
      g_assert_true (g_utf8_validate (out, -1, NULL));
    }
  g_assert_null (kiosk_platform_text_sanitize (NULL, 0, FALSE));
}

static void
test_deadline (void)
{
  g_autoptr (GCancellable) parent = g_cancellable_new ();
  KioskDeadline *d;
  gint64 start;

  /* Expires: the cancellable is cancelled from the watchdog thread, which
   * wakes a blocking wait on it. */
  start = g_get_monotonic_time ();
  d = kiosk_deadline_new (0.2, NULL);
  {
    GPollFD pfd = { 0 };
    g_assert_true (g_cancellable_make_pollfd (kiosk_deadline_get_cancellable (d), &pfd));
    pfd.events = G_IO_IN;
    g_assert_cmpint (g_poll (&pfd, 1, 30000), ==, 1);
    g_cancellable_release_fd (kiosk_deadline_get_cancellable (d));
  }
  g_assert_true (g_cancellable_is_cancelled (kiosk_deadline_get_cancellable (d)));
  g_assert_true (kiosk_deadline_expired (d));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
  kiosk_deadline_free (d);

  /* Freed in time: nothing is cancelled. */
  d = kiosk_deadline_new (60, parent);
  g_assert_false (g_cancellable_is_cancelled (kiosk_deadline_get_cancellable (d)));
  kiosk_deadline_free (d);
  g_assert_false (g_cancellable_is_cancelled (parent));

  /* The parent's cancellation passes on, and is not an expiry. */
  d = kiosk_deadline_new (60, parent);
  g_cancellable_cancel (parent);
  g_assert_true (g_cancellable_is_cancelled (kiosk_deadline_get_cancellable (d)));
  g_assert_false (kiosk_deadline_expired (d));
  kiosk_deadline_free (d);

  /* Cancelled at once. */
  d = kiosk_deadline_new (60, NULL);
  kiosk_deadline_cancel (d);
  g_assert_true (g_cancellable_is_cancelled (kiosk_deadline_get_cancellable (d)));
  g_assert_false (kiosk_deadline_expired (d));
  kiosk_deadline_free (d);
}

/* An adapter that answers every submission with one fixed outcome. */
typedef struct {
  KioskPlatformAdapter parent;
  KioskPlatformOutcome outcome;
  int status;
  int submissions;
} FakeAdapter;

static void
fake_submit (KioskPlatformAdapter *ad, const char *kind, const char *key, const char *payload,
             GCancellable *cancellable, KioskPlatformResult *out)
{
  FakeAdapter *self = (FakeAdapter *) ad;

  kiosk_platform_result_clear (out);
  self->submissions++;
  out->outcome = self->outcome;
  out->http_status = self->status;
}

static void
fake_free (KioskPlatformAdapter *ad)
{
}

static const KioskPlatformAdapterClass fake_class = {
  .submit = fake_submit,
  .free = fake_free,
};

static KioskPlatformAdapter *
fake_factory (gpointer data, GError **error)
{
  return data;
}

/* process_head took NOT_MODIFIED (a 304) as a delivery: the case was
 * marked delivered without an official number, and the retention purge
 * then removed its personal data. */
static void
test_not_modified_is_not_delivery (void)
{
  g_autofree char *dir = store_test_fast_tmpdir ("adapter");
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = kiosk_store_open (db, "K-FAKE", &error);
  g_autoptr (KioskSync) sync = NULL;
  g_autoptr (KioskCaseInfo) info = NULL;
  g_autofree char *number = NULL;
  g_autofree char *json = NULL;
  FakeAdapter fake = { { &fake_class }, KIOSK_PLATFORM_NOT_MODIFIED, 304, 0 };

  g_assert_no_error (error);
  number = test_submit_demo_case (store, 7, 0, 0, 0, &error);
  g_assert_no_error (error);
  sync = kiosk_sync_new (store, fake_factory, &fake, NULL);
  kiosk_sync_set_backoff (sync, 1, 10);

  kiosk_sync_run_once (sync, NULL, NULL);
  g_assert_cmpint (fake.submissions, >=, 1);
  info = kiosk_store_find_case (store, number, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->sync_state, ==, KIOSK_CASE_QUEUED);
  g_assert_null (info->official_number);
  g_assert_cmpint (kiosk_store_get_backlog (store), ==, 1);

  g_assert_cmpint (kiosk_store_purge (store, 0, g_get_real_time () + (gint64) 86400 * G_USEC_PER_SEC * 2, &error), ==,
                   0);
  g_assert_no_error (error);
  json = kiosk_store_get_case_json (store, info->id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json);

  g_clear_object (&sync);
  g_clear_object (&store);
  store_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/platform/sanitize", test_sanitize);
  g_test_add_func ("/platform/deadline", test_deadline);
  g_test_add_func ("/sync/not-modified-is-not-delivery", test_not_modified_is_not_delivery);
  return g_test_run ();
}
