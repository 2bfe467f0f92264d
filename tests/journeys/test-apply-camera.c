/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 自助申报's document camera without GTK (issue 14, point 3 "materials"):
 * the core with the simulated camera looking at a page on the mat. The
 * live picture ("camera-preview") arrives on the main loop, made on the
 * camera's thread, small and at most 10 a second, only on the materials
 * step (where the main context converts no full preview frame);
 * leaving the step, leaving the journey or the wipe stops it. The
 * page is taken by itself when it lies still, on 拍照, and again after 重拍;
 * 删除 drops one page and frees its memory. */
#include "config.h"

#include <malloc.h>
#include <string.h>

#include <glib/gstdio.h>

#if defined(__SANITIZE_ADDRESS__)
/* libasan's (sanitizer/allocator_interface.h is not installed with GCC) */
size_t __sanitizer_get_current_allocated_bytes (void);
#endif

#include "camera-device.h"
#include "kiosk-apply-journey.h"
#include "kiosk-core.h"
#include "kiosk-store.h"

static struct {
  char *dir;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskApplyJourney *apply;
  GThread *main_thread;
  /* frames seen */
  guint frames;
  guint off_thread; /* frames seen on another thread (must stay 0) */
  guint with_outline;
  int max_width;
  gboolean bad_layout;
} T;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_FOR(cond, secs)                                            \
  G_STMT_START                                                          \
  {                                                                     \
    gboolean _timed_out = FALSE;                                        \
    guint _t = g_timeout_add_seconds ((secs), timeout_cb, &_timed_out); \
    while (!(cond) && !_timed_out)                                      \
      g_main_context_iteration (NULL, TRUE);                            \
    if (!_timed_out)                                                    \
      g_source_remove (_t);                                             \
    if (!(cond))                                                        \
      g_error ("timed out waiting for %s", #cond);                      \
  }                                                                     \
  G_STMT_END

/* Runs the main loop for @ms. */
static void
spin (guint ms)
{
  gboolean done = FALSE;
  guint id = g_timeout_add (ms, timeout_cb, &done);

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  (void) id;
}

static int
free_port (void)
{
  g_autoptr (GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) a = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (s, a, TRUE, NULL));
  bound = g_socket_get_local_address (s, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Bytes the allocator has handed out and not got back. */
static gsize
heap_in_use (void)
{
#if defined(__SANITIZE_ADDRESS__)
  return __sanitizer_get_current_allocated_bytes ();
#else
  struct mallinfo2 mi = mallinfo2 ();
  return mi.uordblks + mi.hblkhd;
#endif
}

static void
preview_cb (KioskCore *core, KioskCameraFrame *frame, gpointer data)
{
  gsize size = g_bytes_get_size (frame->pixels);

  T.frames++;
  if (g_thread_self () != T.main_thread)
    T.off_thread++;
  T.max_width = MAX (T.max_width, frame->width);
  if (frame->format != KIOSK_CAMERA_FRAME_RGB24 || frame->width <= 0 || frame->height <= 0
      || frame->stride < frame->width * 3 || size < (gsize) frame->stride * (frame->height - 1) + frame->width * 3)
    T.bad_layout = TRUE;
  if (frame->has_outline)
    {
      T.with_outline++;
      for (guint i = 0; i < 8; i++)
        if (frame->outline[i] < -1 || frame->outline[i] > (i % 2 ? frame->height : frame->width) + 1)
          T.bad_layout = TRUE;
    }
}

static KioskIdentity *
resident (void)
{
  KioskIdentity *id = kiosk_identity_new ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("张三");
  id->gender_code = '2';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup ("11010519491231002X");
  id->id_number_valid = TRUE;
  id->address = g_strdup ("北京市朝阳区某街道1号");
  id->valid_to = g_strdup ("长期");
  return id;
}

static guint
n_pages (int material)
{
  return kiosk_case_draft_get_n_pages (kiosk_apply_journey_get_draft (T.apply), (guint) material);
}

/* Frames over @ms of main loop. */
static guint
frames_during (guint ms)
{
  guint before = T.frames;

  spin (ms);
  return T.frames - before;
}

/* Into 自助申报 with the card, RS-005 (告知承诺 declined: proof), to the
 * materials step. */
static int
to_materials (void)
{
  g_autoptr (KioskIdentity) id = resident ();

  kiosk_session_wipe (T.session);
  g_assert_true (kiosk_session_touch (T.session));
  g_assert_true (kiosk_session_select_journey (T.session, "apply"));
  g_assert_true (kiosk_session_identity_read (T.session, id));
  WAIT_FOR (!kiosk_apply_journey_get_loading (T.apply), 20);
  g_assert_true (kiosk_apply_journey_choose_item (T.apply, "RS-005", NULL));
  kiosk_apply_journey_set_value (T.apply, "phone", "13800138000");
  kiosk_apply_journey_set_value (T.apply, "deceased_name", "张某");
  kiosk_apply_journey_set_value (T.apply, "date_of_death", "2026-02-01");
  kiosk_apply_journey_set_value (T.apply, "relationship", "子女");
  kiosk_apply_journey_set_value (T.apply, "benefit", "丧葬补助金");
  g_assert_true (kiosk_apply_journey_next (T.apply, NULL));
  g_assert_true (kiosk_apply_journey_set_commitment (T.apply, KIOSK_COMMITMENT_PROOF, NULL));
  /* Not yet on the materials step: no picture. */
  g_assert_false (kiosk_core_get_camera_preview (T.core));
  g_assert_cmpuint (frames_during (600), ==, 0);
  g_assert_true (kiosk_apply_journey_next (T.apply, NULL));
  g_assert_cmpint (kiosk_apply_journey_get_current_step (T.apply), ==, KIOSK_APPLY_STEP_MATERIALS);
  g_assert_true (kiosk_core_get_camera_preview (T.core));
  return kiosk_catalog_item_find_material (kiosk_apply_journey_get_item (T.apply),
                                           "关系承诺书及受益人/继承人证件(无法用参保人账户领取时)");
}

static void
test_preview_rate_and_stop (void)
{
  KioskCameraDevice *camera
      = KIOSK_CAMERA_DEVICE (kiosk_device_manager_get (kiosk_core_get_devices (T.core), "camera"));
  guint64 camera_frames;
  gint64 start;
  guint n;
  double seconds;

  to_materials ();
  /* On the materials step: frames, on the main loop, small, bounded. */
  WAIT_FOR (T.frames > 0, 10);
  camera_frames = kiosk_camera_device_get_frames (camera);
  start = g_get_monotonic_time ();
  n = frames_during (3000);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_test_message ("%u frames in %.2f s (%.1f a second), at most %d px wide, %u with the page outlined", n, seconds,
                  n / seconds, T.max_width, T.with_outline);
  g_assert_cmpuint (n, >=, 3);
  g_assert_cmpfloat (n / seconds, <=, KIOSK_CAMERA_PREVIEW_FPS + 0.5);
  g_assert_cmpuint (T.off_thread, ==, 0);
  g_assert_false (T.bad_layout);
  g_assert_cmpint (T.max_width, <=, KIOSK_CAMERA_PREVIEW_WIDTH);
  g_assert_cmpint (T.max_width, >=, 320);
  /* the page on the mat is found in the frames */
  g_assert_cmpuint (T.with_outline, >, 0);
  /* Meanwhile the main context converted no full preview frame: auto-
   * capture watches the small frames on the camera's thread. */
  g_assert_cmpuint (kiosk_camera_device_get_frames (camera), <=, camera_frames + 1);

  /* Back to the commitment step: none any more. */
  g_assert_true (kiosk_session_back (T.session));
  g_assert_cmpint (kiosk_apply_journey_get_current_step (T.apply), ==, KIOSK_APPLY_STEP_COMMITMENT);
  g_assert_false (kiosk_core_get_camera_preview (T.core));
  g_assert_cmpuint (frames_during (800), ==, 0);

  /* Materials again, then the wipe: none after it. */
  g_assert_true (kiosk_apply_journey_next (T.apply, NULL));
  WAIT_FOR (frames_during (200) > 0, 10);
  kiosk_session_wipe (T.session);
  g_assert_false (kiosk_core_get_camera_preview (T.core));
  g_assert_cmpuint (frames_during (800), ==, 0);

  /* Materials again, then out of the journey (to the menu): none. */
  to_materials ();
  WAIT_FOR (frames_during (200) > 0, 10);
  g_assert_true (kiosk_session_journey_done (T.session, FALSE));
  g_assert_cmpint (kiosk_session_get_state (T.session), !=, KIOSK_SESSION_JOURNEY);
  g_assert_false (kiosk_core_get_camera_preview (T.core));
  g_assert_cmpuint (frames_during (800), ==, 0);
  kiosk_session_wipe (T.session);
}

static void
test_capture_retake_remove (void)
{
  g_autoptr (GError) error = NULL;
  int relation = to_materials ();
  guint failures_before;
  gsize before, after;

  g_assert_cmpint (relation, >=, 0);
  /* 拍照 needs a material to scan for. */
  g_assert_false (kiosk_apply_journey_take_picture (T.apply, &error));
  g_assert_error (error, KIOSK_APPLY_ERROR, KIOSK_APPLY_ERROR_NOT_NOW);
  g_clear_error (&error);

  /* The page lies still on the mat: taken by itself. */
  g_assert_true (kiosk_apply_journey_set_scan_target (T.apply, relation, NULL));
  WAIT_FOR (n_pages (relation) == 1, 30);
  /* It stays: not taken again while it does not move. */
  spin (2000);
  g_assert_cmpuint (n_pages (relation), ==, 1);

  /* 拍照: one more now. */
  if (!kiosk_apply_journey_take_picture (T.apply, &error))
    g_error ("拍照 refused: %s", error->message);
  WAIT_FOR (n_pages (relation) == 2, 30);

  /* 重拍: the last one dropped, the page on the mat taken again. */
  failures_before = n_pages (relation);
  g_assert_true (kiosk_apply_journey_retake_last (T.apply, (guint) relation));
  g_assert_cmpuint (n_pages (relation), ==, failures_before - 1);
  WAIT_FOR (n_pages (relation) == 2, 30);

  /* 删除 of one page: dropped, and its memory given back (a page of a few
   * MB, so that the allocator's count shows it). */
  kiosk_apply_journey_set_scan_target (T.apply, -1, NULL);
  spin (300);
  {
    gsize big = 6 * 1024 * 1024;
    guint8 *jpeg = g_malloc (big);
    GBytes *bytes;
    memset (jpeg, 0x5a, big);
    jpeg[0] = 0xff, jpeg[1] = 0xd8, jpeg[2] = 0xff, jpeg[3] = 0xe0;
    bytes = g_bytes_new_take (jpeg, big);
    g_assert_true (kiosk_apply_journey_set_scan_target (T.apply, relation, NULL));
    _kiosk_journey_page_captured (KIOSK_JOURNEY (T.apply), bytes, 1000, 1400, 200, NULL);
    g_bytes_unref (bytes);
    kiosk_apply_journey_set_scan_target (T.apply, -1, NULL);
  }
  g_assert_cmpuint (n_pages (relation), ==, 3);
  g_assert_cmpuint (kiosk_case_draft_get_page (kiosk_apply_journey_get_draft (T.apply), (guint) relation, 2)->size, ==,
                    6 * 1024 * 1024);
  before = heap_in_use ();
  g_assert_true (kiosk_apply_journey_remove_page (T.apply, (guint) relation, 2));
  after = heap_in_use ();
  g_test_message ("heap in use %zu -> %zu", before, after);
  g_assert_cmpuint (n_pages (relation), ==, 2);
  g_assert_cmpuint (before - MIN (before, after), >=, 6 * 1024 * 1024 - 4096);
  /* The others stay, in order; an unknown page is refused. */
  g_assert_false (kiosk_apply_journey_remove_page (T.apply, (guint) relation, 7));
  g_assert_true (kiosk_apply_journey_remove_page (T.apply, (guint) relation, 0));
  g_assert_cmpuint (n_pages (relation), ==, 1);
  g_assert_true (kiosk_apply_journey_retake_last (T.apply, (guint) relation));
  g_assert_cmpuint (n_pages (relation), ==, 0);
  g_assert_false (kiosk_apply_journey_retake_last (T.apply, (guint) relation));
  kiosk_session_wipe (T.session);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *catalog_path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autofree char *page = g_build_filename (KIOSK_SOURCE_DIR, "drivers", "camera", "sim-images", "01-page.jpg", NULL);
  g_autofree char *images = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *cmd = NULL;
  gsize len;
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* Warnings (no platform, plain HTTP) are expected here; criticals stay
   * fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  T.main_thread = g_thread_self ();
  T.dir = g_dir_make_tmp ("kiosk-apply-camera-XXXXXX", &error);
  g_assert_no_error (error);
  /* The simulated camera looks at one page lying on the mat. */
  images = g_build_filename (T.dir, "images", NULL);
  g_mkdir_with_parents (images, 0700);
  copy = g_build_filename (images, "01-page.jpg", NULL);
  g_assert_true (g_file_get_contents (page, &bytes, &len, &error));
  g_assert_true (g_file_set_contents (copy, bytes, (gssize) len, &error));
  conf = g_strdup_printf ("[kiosk]\nid=AP-03\nstation=测试村便民服务站\nphone=0571-00000000\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\n"
                          "[idcard]\nbackend=sim\n"
                          "[camera]\nbackend=sim\nsim-images=%s\nfps=25\nauto-capture-ms=400\n"
                          "[pad]\nbackend=none\n[printer]\nbackend=sim\n",
                          T.dir, free_port (), images);
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  g_signal_connect (T.core, "camera-preview", G_CALLBACK (preview_cb), NULL);
  kiosk_core_start (T.core);
  WAIT_FOR (kiosk_core_get_store (T.core) != NULL, 20);
  g_assert_true (g_file_get_contents (catalog_path, &catalog, NULL, &error));
  g_assert_true (kiosk_store_set_catalog (kiosk_core_get_store (T.core), catalog, NULL, &error));
  g_assert_no_error (error);
  T.apply = KIOSK_APPLY_JOURNEY (kiosk_session_find_journey (T.session, "apply"));
  g_assert_nonnull (T.apply);
  WAIT_FOR (kiosk_apply_journey_get_camera_state (T.apply) == KIOSK_APPLY_CAMERA_READY, 30);

  g_test_add_func ("/apply-camera/preview-rate-and-stop", test_preview_rate_and_stop);
  g_test_add_func ("/apply-camera/capture-retake-remove", test_capture_retake_remove);
  ret = g_test_run ();

  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  cmd = g_strdup_printf ("rm -rf '%s'", T.dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (T.dir);
  return ret;
}
