/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 自助申报's materials step with the document camera, on screen under Xvfb
 * (issue 14, points 3 "materials" and 4 "camera gone"): the simulated
 * camera looks at a page on the mat. Its live picture is drawn in the
 * camera view (the rendered pixels are checked, not only the texture), the
 * page is taken by itself once it lies still, 拍照 takes one more, 删除
 * removes one, 重拍 takes the last one again; the camera unplugged puts
 * what to do instead (容缺) in the picture's place; the wipe empties the
 * view. Screenshots of each; with the argument "small" the same in a
 * 1280x800 window. Skips (77) without a display. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "camera-device.h"
#include "kiosk-apply-journey.h"
#include "kiosk-apply-page.h"
#include "kiosk-camera-view.h"
#include "kiosk-form-field.h"
#include "kiosk-store.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"

static struct {
  gboolean small;
  char *dir;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
  KioskApplyJourney *apply;
} T;

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

static gboolean
is_named (GtkWidget *w, gpointer name)
{
  return gtk_widget_get_mapped (w) && g_strcmp0 (gtk_widget_get_name (w), name) == 0;
}

static GtkWidget *
named (const char *name)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_named, (gpointer) name, found);
  if (found->len == 0)
    g_error ("no widget named %s on screen", name);
  return found->pdata[0];
}

static gboolean
has_named (const char *name)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_named, (gpointer) name, found);
  return found->len > 0;
}

static void
press_named (const char *name)
{
  GtkWidget *b = named (name);

  g_assert_true (gtk_widget_is_sensitive (b));
  kiosk_window_activity (T.window);
  g_signal_emit_by_name (b, "clicked");
  kiosk_ui_test_wait_frame ();
}

static void
assert_accessible (const char *name, const char *label)
{
  GtkWidget *w = named (name);

  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  if (GTK_IS_BUTTON (w) && gtk_button_get_label (GTK_BUTTON (w)))
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (w)), ==, label);
}

static void
shot (const char *what)
{
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot (what);
}

static KioskCameraView *
view (void)
{
  return KIOSK_CAMERA_VIEW (named ("apply-camera"));
}

static guint
n_pages (int material)
{
  return kiosk_case_draft_get_n_pages (kiosk_apply_journey_get_draft (T.apply), (guint) material);
}

/* The picture as the window's renderer draws it: its grey levels' spread
 * and how much of it is not the empty background. */
static void
rendered_picture_stats (double *stddev, double *not_background)
{
  GtkWidget *picture = named ("camera-picture");
  int w = gtk_widget_get_width (picture), h = gtk_widget_get_height (picture);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (picture);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree guint8 *pixels = NULL;
  double sum = 0, sum2 = 0;
  guint64 other = 0, n = (guint64) w * h;

  g_assert_cmpint (w, ==, T.small ? KIOSK_CAMERA_VIEW_PICTURE_WIDTH_COMPACT : KIOSK_CAMERA_VIEW_PICTURE_WIDTH);
  g_assert_cmpint (h, ==, T.small ? KIOSK_CAMERA_VIEW_PICTURE_HEIGHT_COMPACT : KIOSK_CAMERA_VIEW_PICTURE_HEIGHT);
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (picture)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  pixels = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, pixels, (gsize) w * 4);
  for (guint64 i = 0; i < n; i++)
    {
      /* cairo's ARGB32 in memory: B, G, R, A */
      const guint8 *p = pixels + i * 4;
      double grey = (p[0] + p[1] + p[2]) / 3.0;
      sum += grey;
      sum2 += grey * grey;
      /* the view's background is (26, 28, 33) */
      other += ABS ((int) p[2] - 26) + ABS ((int) p[1] - 28) + ABS ((int) p[0] - 33) > 24;
    }
  *stddev = sqrt (MAX (0, sum2 / n - (sum / n) * (sum / n)));
  *not_background = (double) other / n;
}

/* From the attract screen into 自助申报 with the card, RS-009 (社会保障卡
 * 申领), its form, to the materials step. */
static int
to_materials (void)
{
  KioskIdentity *id = kiosk_identity_new ();
  KioskDevice *reader = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "idcard");
  KioskCatalogItem *item;

  g_assert_true (kiosk_session_touch (T.session));
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_click ("自助申报");
  kiosk_ui_test_wait_frame ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("张三");
  id->gender_code = '2';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup ("11010519491231002X");
  id->id_number_valid = TRUE;
  id->address = g_strdup ("北京市朝阳区某街道1号");
  id->valid_to = g_strdup ("长期");
  g_signal_emit_by_name (reader, "identity", id);
  kiosk_identity_free (id);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_JOURNEY, 10);
  KIOSK_UI_TEST_WAIT_FOR (!kiosk_apply_journey_get_loading (T.apply) && has_named ("apply-item-RS-009"), 20);
  press_named ("apply-item-RS-009");
  item = kiosk_apply_journey_get_item (T.apply);
  kiosk_form_field_set_text (KIOSK_FORM_FIELD (named ("field-phone")), "13800138000");
  g_signal_emit_by_name (kiosk_form_field_get_choice_button (KIOSK_FORM_FIELD (named ("field-bank")), "农业银行"),
                         "clicked");
  kiosk_ui_test_wait_frame ();
  /* not on the materials step yet: no live picture */
  g_assert_false (kiosk_core_get_camera_preview (T.core));
  press_named ("apply-next");
  g_assert_cmpint (kiosk_apply_journey_get_current_step (T.apply), ==, KIOSK_APPLY_STEP_MATERIALS);
  return kiosk_catalog_item_find_material (item, "符合制卡要求的电子照片");
}

static void
test_preview_capture_delete (void)
{
  KioskDevice *camera = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "camera");
  int photo;
  g_autofree char *scan = NULL;
  double stddev, other;
  guint frames;

  KIOSK_UI_TEST_WAIT_FOR (kiosk_device_get_state (camera) == KIOSK_DEVICE_STATE_READY, 30);
  photo = to_materials ();
  g_assert_cmpint (photo, >=, 0);
  g_assert_true (kiosk_core_get_camera_preview (T.core));

  /* The live picture: frames arrive and are drawn, not a blank box. */
  KIOSK_UI_TEST_WAIT_FOR (kiosk_camera_view_get_n_frames (view ()) >= 3, 20);
  g_assert_nonnull (kiosk_camera_view_get_texture (view ()));
  g_assert_cmpint (gdk_texture_get_width (kiosk_camera_view_get_texture (view ())), <=, KIOSK_CAMERA_PREVIEW_WIDTH);
  kiosk_ui_test_wait_frame ();
  rendered_picture_stats (&stddev, &other);
  g_test_message ("picture drawn: grey spread %.1f, %.0f %% not background", stddev, other * 100);
  g_assert_cmpfloat (stddev, >, 20);
  g_assert_cmpfloat (other, >, 0.3);
  /* The page on the mat is found: recognising, until a material is chosen
   * the buttons are off and the line says to choose. */
  g_assert_cmpstr (kiosk_camera_view_get_status (view ()), ==, "请先选择要拍摄的材料：点击材料下方的“拍摄”。");
  g_assert_false (gtk_widget_is_sensitive (named ("camera-capture")));
  assert_accessible ("camera-capture", "拍照");
  assert_accessible ("camera-retake", "重拍");
  g_assert_null (kiosk_ui_test_find_shown ("共 0 页"));
  shot ("materials-preview");

  /* 拍摄 for the photo: the page lying still is taken by itself. */
  scan = g_strdup_printf ("apply-scan-%d", photo);
  press_named (scan);
  KIOSK_UI_TEST_WAIT_FOR (g_strcmp0 (kiosk_camera_view_get_status (view ()), "正在识别…") == 0 || n_pages (photo) > 0,
                          20);
  KIOSK_UI_TEST_WAIT_FOR (n_pages (photo) == 1, 30);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_camera_view_get_status (view ()), ==, "已拍摄第 1 页");
  kiosk_ui_test_assert_shown ("共 1 页");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_camera_view_get_n_thumbnails (view ()) == 1, 20);
  assert_accessible ("camera-delete-0", "删除");
  shot ("materials-auto-captured");

  /* 拍照: one more. */
  press_named ("camera-capture");
  KIOSK_UI_TEST_WAIT_FOR (n_pages (photo) == 2, 30);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_camera_view_get_n_thumbnails (view ()) == 2, 20);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown ("共 2 页");
  g_assert_true (has_named ("camera-delete-1"));
  shot ("materials-two-pages");

  /* 删除 under the first: one left, its button gone. */
  press_named ("camera-delete-0");
  g_assert_cmpuint (n_pages (photo), ==, 1);
  kiosk_ui_test_wait_frame ();
  g_assert_false (has_named ("camera-delete-1"));
  kiosk_ui_test_assert_shown ("共 1 页");

  /* 重拍: the last page dropped, and taken again from the mat. */
  press_named ("camera-retake");
  g_assert_cmpuint (n_pages (photo), ==, 0);
  KIOSK_UI_TEST_WAIT_FOR (n_pages (photo) == 1, 30);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_camera_view_get_n_thumbnails (view ()) == 1, 20);

  /* The camera unplugged with the photo still missing: no picture, what to
   * do instead in its place (this photo may be handed in later: 容缺), the
   * buttons off. */
  press_named ("camera-delete-0");
  g_assert_cmpuint (n_pages (photo), ==, 0);
  kiosk_camera_device_sim_set_present (KIOSK_CAMERA_DEVICE (camera), FALSE);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_camera_state (T.apply) == KIOSK_APPLY_CAMERA_GONE, 30);
  kiosk_ui_test_wait_frame ();
  g_assert_true (has_named ("camera-gone"));
  g_assert_false (has_named ("camera-picture"));
  g_assert_nonnull (strstr (kiosk_ui_test_widget_text (named ("camera-gone")), "容缺"));
  g_assert_cmpstr (kiosk_camera_view_get_status (view ()), ==, "高拍仪未连接。");
  g_assert_false (gtk_widget_is_sensitive (named ("camera-capture")));
  frames = kiosk_camera_view_get_n_frames (view ());
  kiosk_ui_test_settle (600);
  g_assert_cmpuint (kiosk_camera_view_get_n_frames (view ()), ==, frames);
  shot ("materials-camera-gone");
  kiosk_camera_device_sim_set_present (KIOSK_CAMERA_DEVICE (camera), TRUE);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_camera_state (T.apply) == KIOSK_APPLY_CAMERA_READY, 30);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_camera_view_get_n_frames (view ()) > frames, 20);
  g_assert_true (has_named ("camera-picture"));

  /* The wipe: the picture and the thumbnails gone, no more frames. */
  {
    g_autoptr (KioskCameraView) held = g_object_ref (view ());
    press_named (scan); /* 停止拍摄 */
    press_named (scan);
    KIOSK_UI_TEST_WAIT_FOR (n_pages (photo) >= 1 && kiosk_camera_view_get_n_thumbnails (held) >= 1, 30);
    kiosk_session_wipe (T.session);
    kiosk_ui_test_wait_frame ();
    g_assert_false (kiosk_core_get_camera_preview (T.core));
    g_assert_null (kiosk_camera_view_get_texture (held));
    g_assert_cmpuint (kiosk_camera_view_get_n_thumbnails (held), ==, 0);
    frames = kiosk_camera_view_get_n_frames (held);
    kiosk_ui_test_settle (500);
    g_assert_cmpuint (kiosk_camera_view_get_n_frames (held), ==, frames);
  }
}

/* The same screen when the item needs a page that cannot be owed: come
 * back later. RS-005 without the commitment needs its proof scanned. */
static void
test_camera_absent_come_back (void)
{
  KioskDevice *camera = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "camera");
  KioskIdentity *id = kiosk_identity_new ();
  KioskDevice *reader = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "idcard");

  kiosk_camera_device_sim_set_present (KIOSK_CAMERA_DEVICE (camera), FALSE);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_device_get_state (camera) == KIOSK_DEVICE_STATE_ABSENT, 30);
  g_assert_true (kiosk_session_touch (T.session));
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_click ("自助申报");
  kiosk_ui_test_wait_frame ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("张三");
  id->gender_code = '2';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup ("11010519491231002X");
  id->id_number_valid = TRUE;
  id->address = g_strdup ("北京市朝阳区某街道1号");
  id->valid_to = g_strdup ("长期");
  g_signal_emit_by_name (reader, "identity", id);
  kiosk_identity_free (id);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_JOURNEY, 10);
  KIOSK_UI_TEST_WAIT_FOR (!kiosk_apply_journey_get_loading (T.apply) && has_named ("apply-item-RS-005"), 20);
  press_named ("apply-item-RS-005");
  kiosk_apply_journey_set_value (T.apply, "phone", "13800138000");
  kiosk_apply_journey_set_value (T.apply, "deceased_name", "张某");
  kiosk_apply_journey_set_value (T.apply, "date_of_death", "2026-02-01");
  kiosk_apply_journey_set_value (T.apply, "relationship", "子女");
  kiosk_apply_journey_set_value (T.apply, "benefit", "丧葬补助金");
  g_assert_true (kiosk_apply_journey_next (T.apply, NULL));
  g_assert_true (kiosk_apply_journey_set_commitment (T.apply, KIOSK_COMMITMENT_PROOF, NULL));
  g_assert_true (kiosk_apply_journey_next (T.apply, NULL));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_apply_journey_get_current_step (T.apply), ==, KIOSK_APPLY_STEP_MATERIALS);
  g_assert_true (has_named ("camera-gone"));
  g_assert_nonnull (strstr (kiosk_ui_test_widget_text (named ("camera-gone")), "稍后再来"));
  g_assert_false (gtk_widget_is_sensitive (named ("camera-capture")));
  shot ("materials-camera-absent-come-back");
  /* 长辈模式: larger text, the same places, 64 px buttons */
  kiosk_session_set_elder_mode (T.session, TRUE);
  kiosk_ui_test_wait_frame ();
  g_assert_true (has_named ("camera-gone"));
  shot ("materials-camera-absent-elder");
  kiosk_camera_device_sim_set_present (KIOSK_CAMERA_DEVICE (camera), TRUE);
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
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
  g_autofree char *shots = NULL;
  g_autofree char *cmd = NULL;
  gsize len;
  int ret;

  if (argc > 1 && g_str_equal (argv[argc - 1], "small"))
    {
      T.small = TRUE;
      argc--;
    }
  kiosk_ui_test_init (&argc, &argv);
  g_setenv ("GTK_A11Y", "test", TRUE);
  T.dir = g_dir_make_tmp ("kiosk-apply-camera-page-XXXXXX", &error);
  g_assert_no_error (error);
  /* The simulated camera looks at one page lying on the mat. */
  images = g_build_filename (T.dir, "images", NULL);
  g_mkdir_with_parents (images, 0700);
  copy = g_build_filename (images, "01-page.jpg", NULL);
  g_assert_true (g_file_get_contents (page, &bytes, &len, &error));
  g_assert_true (g_file_set_contents (copy, bytes, (gssize) len, &error));
  conf = g_strdup_printf ("[kiosk]\nid=AP-04\nstation=测试村便民服务站\nphone=0571-00000000\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\n"
                          "[idcard]\nbackend=sim\n"
                          "[camera]\nbackend=sim\nsim-images=%s\nauto-capture-ms=500\n"
                          "[pad]\nbackend=none\n[printer]\nbackend=sim\n%s",
                          T.dir, free_port (), images,
                          T.small ? "[ui]\nfullscreen=false\nwidth=1280\nheight=800\n" : "");
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_core_start (T.core);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_store (T.core) != NULL, 20);
  g_assert_true (g_file_get_contents (catalog_path, &catalog, NULL, &error));
  g_assert_true (kiosk_store_set_catalog (kiosk_core_get_store (T.core), catalog, NULL, &error));
  g_assert_no_error (error);
  T.apply = KIOSK_APPLY_JOURNEY (kiosk_session_find_journey (T.session, "apply"));
  g_assert_nonnull (T.apply);

  shots = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys",
                            T.small ? "screenshots-apply-camera-1280x800" : "screenshots-apply-camera", NULL);
  {
    g_autoptr (GDir) d = g_dir_open (shots, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      if (g_str_has_suffix (name, ".png"))
        {
          g_autofree char *path = g_build_filename (shots, name, NULL);
          g_remove (path);
        }
  }
  T.window = kiosk_ui_test_open_window (T.core, !T.small, shots);

  g_test_add_func ("/apply-camera-page/preview-capture-delete", test_preview_capture_delete);
  g_test_add_func ("/apply-camera-page/camera-absent-come-back", test_camera_absent_come_back);
  ret = g_test_run ();

  kiosk_ui_test_close_window ();
  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  cmd = g_strdup_printf ("rm -rf '%s'", T.dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (T.dir);
  return ret;
}
