/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Capture: the libcamera listing (no camera in CI: says so), then the sim
 * backend through the same pipeline (frames on the main context, newest
 * preview frame only, stills, auto-capture, barcode scan, hotplug), and the
 * shared frame converter. */
#define G_LOG_DOMAIN "kiosk-camera-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "camera-device.h"

static GThread *main_thread;

static char *
sim_folder (const char *const *names)
{
  g_autofree char *dir = g_dir_make_tmp ("kiosk-camera-sim-XXXXXX", NULL);
  const char *src = g_getenv ("KIOSK_SOURCE_DIR");

  g_assert_nonnull (dir);
  g_assert_nonnull (src);
  for (; *names; names++)
    {
      g_autofree char *from = g_build_filename (src, "drivers", "camera", "sim-images", *names, NULL);
      g_autofree char *to = g_build_filename (dir, *names, NULL);
      g_autofree char *data = NULL;
      gsize size;
      g_assert_true (g_file_get_contents (from, &data, &size, NULL));
      g_assert_true (g_file_set_contents (to, data, (gssize) size, NULL));
    }
  return g_steal_pointer (&dir);
}

static void
remove_folder (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

static KioskConfig *
make_config (const char *backend, const char *sim_dir, const char *extra)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text
      = g_strdup_printf ("[kiosk]\nid=test\nstation=Test\n"
                         "[store]\npath=/tmp/kiosk-camera-test.db\n"
                         "[platform]\nurl=http://127.0.0.1:9\nallow-http=true\n"
                         "[camera]\nbackend=%s\n%s%s\nfps=30\n%s",
                         backend, sim_dir ? "sim-images=" : "", sim_dir ? sim_dir : "", extra ? extra : "");
  KioskConfig *config = kiosk_config_new_from_data (text, "/tmp", &error);
  g_assert_no_error (error);
  return config;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until *flag or the deadline. */
static gboolean
wait_for (gboolean *flag, guint ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (ms, timeout_cb, &expired);
  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return *flag;
}

static gboolean
wait_for_state (KioskDevice *dev, KioskDeviceState state, guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  /* State changes arrive on the main context: apply what is pending first,
   * so that a device already in @state has also had its latest change. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  while (kiosk_device_get_state (dev) != state && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  return kiosk_device_get_state (dev) == state;
}

/* Until the device has said something (its first state after start may
 * equal the state before it: libcamera starts on a worker thread). */
static gboolean
wait_for_message (KioskDevice *dev, guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (kiosk_device_get_message (dev) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  return kiosk_device_get_message (dev) != NULL;
}

/* ---- libcamera ---------------------------------------------------------------- */

static void
test_libcamera_listing (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cams = kiosk_camera_list (&error);
  g_autoptr (KioskConfig) config = make_config ("real", NULL, NULL);
  g_autoptr (KioskDevice) dev = NULL;
  g_autoptr (GError) probe_error = NULL;
  g_autofree char *detail = NULL;

#if !HAVE_LIBCAMERA
  g_assert_null (cams);
  g_assert_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA);
  g_test_skip ("built without libcamera");
  return;
#endif
  g_assert_no_error (error);
  g_assert_nonnull (cams);
  dev = kiosk_camera_device_new (config, NULL);
  g_assert_true (KIOSK_IS_CAMERA_DEVICE (dev));
  detail = kiosk_device_probe_sync (dev, NULL, &probe_error);
  kiosk_device_start (dev);
  if (cams->len == 0)
    {
      g_test_message ("no camera here: libcamera lists none; the device says so and the sim backend takes over");
      g_assert_null (detail);
      g_assert_error (probe_error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA);
      g_assert_true (wait_for_message (dev, 5000));
      g_assert_cmpint (kiosk_device_get_state (dev), ==, KIOSK_DEVICE_STATE_ABSENT);
      g_assert_nonnull (strstr (kiosk_device_get_reason (dev), "no camera"));
    }
  else
    {
      KioskCameraInfo *c = g_ptr_array_index (cams, 0);
      g_test_message ("libcamera lists %u camera(s), first %s", cams->len, c->id);
      g_assert_no_error (probe_error);
      g_assert_nonnull (detail);
    }
  kiosk_device_stop (dev);
}

/* ---- the sim backend, same pipeline ---------------------------------------------------- */

typedef struct {
  guint previews;
  guint stills;
  guint pages;
  guint failures;
  gboolean got_barcode;
  gboolean off_main_thread;
  char *barcode;
  KioskScannedPage *page;
} Seen;

static void
preview_cb (KioskCameraDevice *dev, KioskImage *frame, Seen *seen)
{
  seen->previews++;
  seen->off_main_thread |= g_thread_self () != main_thread;
  g_assert_cmpint (MAX (frame->width, frame->height), <=, 1280);
}

static void
still_cb (KioskCameraDevice *dev, KioskImage *frame, Seen *seen)
{
  seen->stills++;
  seen->off_main_thread |= g_thread_self () != main_thread;
}

static void
page_cb (KioskCameraDevice *dev, KioskScannedPage *page, Seen *seen)
{
  seen->pages++;
  seen->off_main_thread |= g_thread_self () != main_thread;
  if (seen->page == NULL)
    seen->page = kiosk_scanned_page_ref (page);
}

static void
page_failed_cb (KioskCameraDevice *dev, const char *message, Seen *seen)
{
  seen->failures++;
}

static void
barcode_cb (KioskCameraDevice *dev, const char *format, const char *text, Seen *seen)
{
  seen->off_main_thread |= g_thread_self () != main_thread;
  g_assert_cmpstr (format, ==, "QRCode");
  g_free (seen->barcode);
  seen->barcode = g_strdup (text);
  seen->got_barcode = TRUE;
}

static KioskDevice *
start_sim (const char *dir, const char *extra, Seen *seen)
{
  g_autoptr (KioskConfig) config = make_config ("sim", dir, extra);
  KioskDevice *dev = kiosk_camera_device_new (config, NULL);

  g_signal_connect (dev, "preview-frame", G_CALLBACK (preview_cb), seen);
  g_signal_connect (dev, "still", G_CALLBACK (still_cb), seen);
  g_signal_connect (dev, "page", G_CALLBACK (page_cb), seen);
  g_signal_connect (dev, "page-failed", G_CALLBACK (page_failed_cb), seen);
  g_signal_connect (dev, "barcode", G_CALLBACK (barcode_cb), seen);
  kiosk_device_start (dev);
  g_assert_true (wait_for_state (dev, KIOSK_DEVICE_STATE_READY, 2000));
  return dev;
}

static void
seen_clear (Seen *seen)
{
  g_free (seen->barcode);
  g_clear_pointer (&seen->page, kiosk_scanned_page_unref);
}

/* Auto-capture: the page lies still, a still is taken and processed. */
static void
test_sim_page_auto_capture (void)
{
  const char *names[] = { "01-page.jpg", NULL };
  g_autofree char *dir = sim_folder (names);
  Seen seen = { 0 };
  g_autoptr (KioskDevice) dev = start_sim (dir, "auto-capture-ms=300\ndpi=100\n", &seen);
  g_autoptr (GError) error = NULL;
  g_autofree char *detail = kiosk_device_probe_sync (dev, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (strstr (detail, "simulator: 1 image"));
  kiosk_camera_device_set_scan_mode (KIOSK_CAMERA_DEVICE (dev), KIOSK_CAMERA_SCAN_PAGE);
  {
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    while (seen.pages == 0 && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_false (seen.off_main_thread);
  g_assert_cmpuint (seen.pages, ==, 1);
  g_assert_cmpuint (seen.stills, ==, 1);
  g_assert_cmpuint (seen.failures, ==, 0);
  g_assert_cmpint (seen.page->dpi, ==, 100);
  g_assert_cmpuint (g_bytes_get_size (seen.page->jpeg), >, 1000);
  g_assert_cmpint (kiosk_device_get_state (dev), ==, KIOSK_DEVICE_STATE_READY);

  /* Still on the mat: no second page until retake. */
  {
    gint64 end = g_get_monotonic_time () + 600 * 1000;
    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (seen.pages, ==, 1);
  kiosk_camera_device_retake (KIOSK_CAMERA_DEVICE (dev));
  {
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    while (seen.pages < 2 && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (seen.pages, ==, 2);
  {
    g_autofree char *describe = kiosk_camera_device_describe (KIOSK_CAMERA_DEVICE (dev));
    g_test_message ("%u preview frames; %s", seen.previews, describe);
  }
  kiosk_device_stop (dev);
  seen_clear (&seen);
  remove_folder (dir);
}

/* A bare mat never auto-captures; a manual capture says "no document". */
static void
test_sim_empty_mat (void)
{
  const char *names[] = { "03-empty-mat.jpg", NULL };
  g_autofree char *dir = sim_folder (names);
  Seen seen = { 0 };
  g_autoptr (KioskDevice) dev = start_sim (dir, "auto-capture-ms=200\n", &seen);

  kiosk_camera_device_set_scan_mode (KIOSK_CAMERA_DEVICE (dev), KIOSK_CAMERA_SCAN_PAGE);
  {
    gint64 end = g_get_monotonic_time () + 700 * 1000;
    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (seen.previews, >, 5);
  g_assert_cmpuint (seen.stills, ==, 0);
  g_assert_true (kiosk_camera_device_capture (KIOSK_CAMERA_DEVICE (dev)));
  {
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    while (seen.failures == 0 && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (seen.failures, ==, 1);
  g_assert_cmpuint (seen.pages, ==, 0);
  kiosk_device_stop (dev);
  seen_clear (&seen);
  remove_folder (dir);
}

/* Continuous scan: a receipt's QR code in the preview frames. */
static void
test_sim_barcode_scan (void)
{
  const char *names[] = { "02-receipt-qr.jpg", NULL };
  g_autofree char *dir = sim_folder (names);
  Seen seen = { 0 };
  g_autoptr (KioskDevice) dev = start_sim (dir, NULL, &seen);

  kiosk_camera_device_set_scan_mode (KIOSK_CAMERA_DEVICE (dev), KIOSK_CAMERA_SCAN_BARCODE);
  g_assert_true (wait_for (&seen.got_barcode, 5000));
  g_assert_cmpstr (seen.barcode, ==, "DEMO-0001-20260301-0000010");
  g_assert_false (seen.off_main_thread);
  kiosk_device_stop (dev);
  seen_clear (&seen);
  remove_folder (dir);
}

/* Unplugged: absent with a message for the resident; plugged back: ready. */
static void
test_sim_hotplug (void)
{
  const char *names[] = { "01-page.jpg", "02-receipt-qr.jpg", NULL };
  g_autofree char *dir = sim_folder (names);
  Seen seen = { 0 };
  g_autoptr (KioskDevice) dev = start_sim (dir, NULL, &seen);
  guint before;

  kiosk_camera_device_sim_set_present (KIOSK_CAMERA_DEVICE (dev), FALSE);
  g_assert_true (wait_for_state (dev, KIOSK_DEVICE_STATE_ABSENT, 2000));
  g_assert_nonnull (kiosk_device_get_message (dev));
  g_assert_nonnull (strstr (kiosk_device_get_reason (dev), "removed"));
  g_assert_false (kiosk_camera_device_capture (KIOSK_CAMERA_DEVICE (dev)));
  before = seen.previews;
  {
    gint64 end = g_get_monotonic_time () + 300 * 1000;
    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  }
  g_assert_cmpuint (seen.previews, ==, before);
  kiosk_camera_device_sim_set_present (KIOSK_CAMERA_DEVICE (dev), TRUE);
  g_assert_true (wait_for_state (dev, KIOSK_DEVICE_STATE_READY, 2000));
  {
    gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
    while (seen.previews == before && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (seen.previews, >, before);
  kiosk_device_stop (dev);
  seen_clear (&seen);
  remove_folder (dir);
}

/* A missing folder: the device says what is wrong, it does not crash. */
static void
test_sim_bad_folder (void)
{
  g_autoptr (KioskConfig) config = make_config ("sim", "/nonexistent/kiosk-sim", NULL);
  g_autoptr (KioskDevice) dev = kiosk_camera_device_new (config, NULL);

  kiosk_device_start (dev);
  g_assert_true (wait_for_state (dev, KIOSK_DEVICE_STATE_ABSENT, 2000));
  g_assert_nonnull (kiosk_device_get_message (dev));
  kiosk_device_stop (dev);
}

/* ---- the queue: newest preview frame only ------------------------------------------------ */

typedef struct {
  guint previews;
  guint stills;
} Counts;

static void
count_frame_cb (KioskCapture *capture, KioskFrameRole role, KioskImage *image, gpointer data)
{
  Counts *c = data;
  if (role == KIOSK_FRAME_PREVIEW)
    c->previews++;
  else
    c->stills++;
}

static void
test_queue_keeps_newest (void)
{
  const char *names[] = { "01-page.jpg", NULL };
  g_autofree char *dir = sim_folder (names);
  KioskCaptureCallbacks cb = { .frame = count_frame_cb };
  Counts counts = { 0 };
  g_autoptr (GError) error = NULL;
  KioskCapture *cap = kiosk_capture_new_sim (dir, 60, 0, NULL, &cb, &counts, &error);

  g_assert_no_error (error);
  g_assert_true (kiosk_capture_open (cap, &error));
  g_assert_true (kiosk_capture_request_still (cap, &error));
  /* The main loop is busy for 400 ms: ~24 preview frames pile up. */
  g_usleep (400 * 1000);
  {
    gint64 t0 = g_get_monotonic_time ();
    guint allowed;
    while (g_main_context_iteration (NULL, FALSE))
      ;
    /* Frames keep coming at 60 fps while the backlog is dispatched (slow
     * under ASan on a loaded machine): those may be delivered too, however
     * long that takes; the ~24 of the stall may not. A fixed cap here
     * failed in CI when dispatching took a quarter of a second. */
    allowed = 2 + (guint) ((g_get_monotonic_time () - t0) * 60 / G_USEC_PER_SEC) + 1;
    g_assert_cmpuint (counts.stills, ==, 1);
    g_assert_cmpuint (counts.previews, >=, 1);
    g_assert_cmpuint (counts.previews, <=, allowed);
  }
  g_assert_cmpuint (kiosk_capture_get_dropped (cap), >=, 10);
  kiosk_capture_free (cap);
  remove_folder (dir);
}

/* ---- the shared converter ------------------------------------------------------------- */

static void
test_convert_layouts (void)
{
  /* 2x2 frames of one colour each. */
  guint8 bgr[2 * 3 * 2] = { 0 };
  guint8 xrgb[2 * 4 * 2];
  guint8 yuyv[2 * 2 * 2];
  guint8 nv12[2 * 2 + 2];
  KioskLcFrame f = { 0 };
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < 4; i++)
    {
      bgr[3 * i] = 10, bgr[3 * i + 1] = 20, bgr[3 * i + 2] = 30;                         /* RGB888: B G R */
      xrgb[4 * i] = 10, xrgb[4 * i + 1] = 20, xrgb[4 * i + 2] = 30, xrgb[4 * i + 3] = 0; /* B G R X */
    }
  for (int i = 0; i < 2; i++)
    yuyv[4 * i] = 235, yuyv[4 * i + 1] = 128, yuyv[4 * i + 2] = 235, yuyv[4 * i + 3] = 128; /* white */
  memset (nv12, 16, 4);                                                                     /* black */
  nv12[4] = nv12[5] = 128;

  f = (KioskLcFrame){ KIOSK_LC_FORMAT_RGB888, 2, 2, 6, { bgr }, { sizeof bgr }, 1 };
  {
    g_autoptr (KioskImage) img = kiosk_image_from_lc_frame (&f, &error);
    g_assert_no_error (error);
    g_assert_cmpint (img->data[0], ==, 30);
    g_assert_cmpint (img->data[2], ==, 10);
  }
  f = (KioskLcFrame){ KIOSK_LC_FORMAT_XRGB8888, 2, 2, 8, { xrgb }, { sizeof xrgb }, 1 };
  {
    g_autoptr (KioskImage) img = kiosk_image_from_lc_frame (&f, &error);
    g_assert_cmpint (img->data[img->stride + 3], ==, 30);
    g_assert_cmpint (img->data[img->stride + 5], ==, 10);
  }
  f = (KioskLcFrame){ KIOSK_LC_FORMAT_YUYV, 2, 2, 4, { yuyv }, { sizeof yuyv }, 1 };
  {
    g_autoptr (KioskImage) img = kiosk_image_from_lc_frame (&f, &error);
    g_assert_cmpint (img->data[0], >=, 254);
    g_assert_cmpint (img->data[4], >=, 254);
  }
  f = (KioskLcFrame){ KIOSK_LC_FORMAT_NV12, 2, 2, 2, { nv12 }, { sizeof nv12 }, 1 };
  {
    g_autoptr (KioskImage) img = kiosk_image_from_lc_frame (&f, &error);
    g_assert_cmpint (img->data[0], <=, 1);
    g_assert_cmpint (img->data[img->stride + 5], <=, 1);
  }
  /* A short buffer is refused, not read past. */
  f = (KioskLcFrame){ KIOSK_LC_FORMAT_XRGB8888, 2, 2, 8, { xrgb }, { 10 }, 1 };
  g_assert_null (kiosk_image_from_lc_frame (&f, &error));
  g_assert_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();
  g_test_add_func ("/camera/device/libcamera-listing", test_libcamera_listing);
  g_test_add_func ("/camera/device/sim-page-auto-capture", test_sim_page_auto_capture);
  g_test_add_func ("/camera/device/sim-empty-mat", test_sim_empty_mat);
  g_test_add_func ("/camera/device/sim-barcode-scan", test_sim_barcode_scan);
  g_test_add_func ("/camera/device/sim-hotplug", test_sim_hotplug);
  g_test_add_func ("/camera/device/sim-bad-folder", test_sim_bad_folder);
  g_test_add_func ("/camera/capture/queue-keeps-newest", test_queue_keeps_newest);
  g_test_add_func ("/camera/capture/convert-layouts", test_convert_layouts);
  return g_test_run ();
}
