/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The screen widgets of 自助申报 (issue 14: 3, 4) under Xvfb, on a window
 * styled as the kiosk's (window.kiosk, 长辈模式 as window.elder):
 *  - the signature pad: strokes through its drag gesture's signals make it
 *    signed, its PNG decodes with ink where it was drawn; a tap or a short
 *    scratch is not a signature; Clear empties it;
 *  - form fields: typed through the on-screen keyboard's own keys (digits,
 *    X for an ID number, letters), dates shaped as YYYY-MM-DD, the
 *    validator's message under the field without the field changing
 *    height, prefilled read-only with Edit, a choice of large toggles,
 *    accessible names equal to the visible labels;
 *  - the step indicator's spoken summary, its fixed height, and the
 *    contrast of the current and the other steps measured on the rendered
 *    frame (4.5:1, 7:1 in 长辈模式);
 *  - every touch target at least 64 px; screenshots in Chinese, English
 *    and 长辈模式 in screenshots-widgets/. Skips (77) without a display. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "kiosk-apply-page.h"
#include "kiosk-domain-codec.h"
#include "kiosk-form-field.h"
#include "kiosk-i18n.h"
#include "kiosk-osk.h"
#include "kiosk-signature.h"
#include "kiosk-steps.h"
#include "kiosk-ui-test.h"

#define ID_NUMBER "11010519491231002X"

typedef struct {
  const char *steps[6]; /* NULL-terminated */
  const char *name, *id, *phone, *date, *gender, *male, *female;
} Texts;

static const Texts zh = {
  { "选择事项", "填写表单", "签名承诺", "上传材料", "确认提交" },
  "姓名",
  "公民身份号码",
  "联系电话",
  "出生日期",
  "性别",
  "男",
  "女",
};

static const Texts en = {
  { "Choose the item", "Fill in the form", "Sign the commitment", "Scan the materials", "Check and submit" },
  "Name",
  "ID number",
  "Phone",
  "Date of birth",
  "Gender",
  "Male",
  "Female",
};

static struct {
  GtkWidget *window;
  const Texts *texts;
  GtkStringList *model;
  KioskSteps *steps;
  KioskFormFieldWidget *name, *id, *phone, *date, *gender;
  KioskSignaturePad *pad;
  KioskOsk *osk;
  int shot_no;
  guint changed;
} T;

/* ---- the window -------------------------------------------------------------- */

/* The domain's checks are plugged in; this one stands for them. */
static const char *
id_validator (const char *text, gpointer data)
{
  if (*text == '\0')
    return NULL;
  return strlen (text) == 18 ? NULL : N_ ("An ID number has 18 characters.");
}

static void
changed_cb (KioskFormFieldWidget *field, gpointer data)
{
  T.changed++;
}

static void
close_window (void)
{
  if (T.window == NULL)
    return;
  gtk_window_destroy (GTK_WINDOW (T.window));
  T.window = NULL;
  g_clear_object (&T.model);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
wait_frame (void)
{
  kiosk_ui_test_wait_frame ();
}

/* A kiosk-styled window with every widget, in @language, in 长辈模式 or not. */
static void
open_window (const char *language, gboolean elder)
{
  static const char *const values[] = { "male", "female" };
  const char *labels[2];
  GtkWidget *page, *columns, *left, *right;

  close_window ();
  kiosk_i18n_set_language (language);
  T.texts = g_str_equal (language, "en") ? &en : &zh;
  labels[0] = T.texts->male;
  labels[1] = T.texts->female;

  T.window = gtk_window_new ();
  gtk_widget_add_css_class (T.window, "kiosk");
  if (elder)
    gtk_widget_add_css_class (T.window, "elder");
  gtk_window_set_decorated (GTK_WINDOW (T.window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (T.window), 1920, 1080);

  page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_widget_add_css_class (page, "page");
  gtk_widget_set_margin_start (page, 32);
  gtk_widget_set_margin_end (page, 32);
  gtk_widget_set_margin_top (page, 24);
  gtk_window_set_child (GTK_WINDOW (T.window), page);

  T.model = gtk_string_list_new (T.texts->steps);
  T.steps = KIOSK_STEPS (kiosk_steps_new (G_LIST_MODEL (T.model)));
  kiosk_steps_set_current (T.steps, 1);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (T.steps));

  columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 48);
  gtk_box_append (GTK_BOX (page), columns);
  left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_size_request (left, 760, -1);
  gtk_box_append (GTK_BOX (columns), left);
  right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  gtk_box_append (GTK_BOX (columns), right);

  T.osk = KIOSK_OSK (kiosk_osk_new ());
  T.name = KIOSK_FORM_FIELD (kiosk_form_field_new (KIOSK_FORM_FIELD_TEXT, T.texts->name));
  T.id = KIOSK_FORM_FIELD (kiosk_form_field_new (KIOSK_FORM_FIELD_ID_NUMBER, T.texts->id));
  T.phone = KIOSK_FORM_FIELD (kiosk_form_field_new (KIOSK_FORM_FIELD_PHONE, T.texts->phone));
  T.date = KIOSK_FORM_FIELD (kiosk_form_field_new (KIOSK_FORM_FIELD_DATE, T.texts->date));
  T.gender = KIOSK_FORM_FIELD (kiosk_form_field_new_choice (T.texts->gender, values, labels, 2));
  kiosk_form_field_set_validator (T.id, id_validator, NULL, NULL);
  kiosk_form_field_set_required (T.id, TRUE);
  g_signal_connect (T.id, "changed", G_CALLBACK (changed_cb), NULL);
  g_signal_connect (T.gender, "changed", G_CALLBACK (changed_cb), NULL);
  KioskFormFieldWidget *fields[] = { T.name, T.id, T.phone, T.date, T.gender };
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      kiosk_form_field_set_osk (fields[i], T.osk);
      gtk_box_append (GTK_BOX (left), GTK_WIDGET (fields[i]));
    }

  T.pad = KIOSK_SIGNATURE_PAD (kiosk_signature_pad_new ());
  gtk_box_append (GTK_BOX (right), GTK_WIDGET (T.pad));
  gtk_box_append (GTK_BOX (right), GTK_WIDGET (T.osk));

  /* the helpers only look at the window as a widget (touch targets, texts) */
  kiosk_ui_test_set_window ((KioskWindow *) T.window, NULL);
  gtk_window_present (GTK_WINDOW (T.window));
  while (!gtk_widget_get_mapped (T.window))
    g_main_context_iteration (NULL, TRUE);
  wait_frame ();
}

/* ---- frames, screenshots, contrast -------------------------------------------- */

typedef struct {
  gboolean painted;
  GdkTexture *texture;
} Frame;

static void
after_paint_cb (GdkFrameClock *clock, Frame *frame)
{
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  int width = gtk_widget_get_width (T.window), height = gtk_widget_get_height (T.window);

  if (frame->painted)
    return;
  frame->painted = TRUE;
  /* the window's render nodes of this paint, rendered now */
  paintable = gtk_widget_paintable_new (T.window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  frame->texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (T.window)), node,
                                                &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* The next frame of the window, as drawn. */
static GdkTexture *
render (void)
{
  GdkFrameClock *clock = gdk_surface_get_frame_clock (gtk_native_get_surface (GTK_NATIVE (T.window)));
  Frame frame = { FALSE, NULL };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gulong id;

  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &frame);
  gtk_widget_queue_draw (T.window);
  while (!frame.painted && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
  g_assert_true (frame.painted);
  return frame.texture;
}

static void
screenshot (const char *what)
{
  g_autoptr (GdkTexture) texture = render ();
  g_autofree char *name = g_strdup_printf ("%02d-%s.png", ++T.shot_no, what);
  g_autofree char *path = g_build_filename (KIOSK_SCREENSHOT_DIR, name, NULL);
  int min_height;

  g_mkdir_with_parents (KIOSK_SCREENSHOT_DIR, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  /* everything fits the screen */
  gtk_widget_measure (gtk_window_get_child (GTK_WINDOW (T.window)), GTK_ORIENTATION_VERTICAL,
                      gtk_widget_get_width (T.window), &min_height, NULL, NULL, NULL);
  g_assert_cmpint (gtk_widget_get_height (T.window), ==, 1080);
  if (min_height > gtk_widget_get_height (T.window))
    g_error ("the %s screen needs %d px, the window has %d", what, min_height, gtk_widget_get_height (T.window));
}

typedef struct {
  guchar *data;
  gsize stride;
  int width, height;
} Pixels;

static Pixels
pixels_of (GdkTexture *texture)
{
  Pixels p = { NULL, 0, gdk_texture_get_width (texture), gdk_texture_get_height (texture) };

  p.stride = (gsize) p.width * 4;
  p.data = g_malloc (p.stride * (gsize) p.height);
  gdk_texture_download (texture, p.data, p.stride); /* B G R A, premultiplied */
  return p;
}

static guint32
pixel (const Pixels *p, int x, int y)
{
  const guchar *px = p->data + (gsize) y * p->stride + (gsize) x * 4;
  return (guint32) px[2] << 16 | (guint32) px[1] << 8 | px[0];
}

static double
luminance (guint32 rgb)
{
  double c[3];

  for (int i = 0; i < 3; i++)
    {
      double v = ((rgb >> (16 - 8 * i)) & 0xff) / 255.0;
      c[i] = v <= 0.04045 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
    }
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

static double
contrast (guint32 a, guint32 b)
{
  double la = luminance (a), lb = luminance (b);
  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* The contrast of the text drawn in @w: its most frequent colour is the
 * background, the colour furthest from it the text's (antialiased edges
 * lie between). */
static double
text_contrast (GdkTexture *texture, GtkWidget *w)
{
  Pixels p = pixels_of (texture);
  graphene_rect_t r;
  g_autoptr (GHashTable) counts = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key, value;
  guint32 bg = 0;
  guint best = 0;
  double most = 1;
  int x0, x1, y0, y1;

  g_assert_true (gtk_widget_compute_bounds (w, T.window, &r));
  /* inside the rounded ends and the border */
  x0 = (int) (r.origin.x + r.size.height / 2);
  x1 = (int) (r.origin.x + r.size.width - r.size.height / 2);
  y0 = (int) r.origin.y + 4;
  y1 = (int) (r.origin.y + r.size.height) - 4;
  g_assert_cmpint (x1, >, x0);
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        gpointer k = GUINT_TO_POINTER (pixel (&p, x, y) | 0x1000000);
        g_hash_table_insert (counts, k, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, k)) + 1));
      }
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > best)
      {
        best = GPOINTER_TO_UINT (value);
        bg = GPOINTER_TO_UINT (key) & 0xffffff;
      }
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    most = MAX (most, contrast (bg, GPOINTER_TO_UINT (key) & 0xffffff));
  g_free (p.data);
  return most;
}

/* ---- helpers ----------------------------------------------------------------- */

static void
press (const char *key)
{
  GtkWidget *button = kiosk_osk_get_key (T.osk, key);

  if (button == NULL)
    g_error ("no key %s in the keyboard's layout %d", key, kiosk_osk_get_layout (T.osk));
  g_assert_true (gtk_widget_is_drawable (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
type (const char *keys)
{
  for (const char *k = keys; *k; k++)
    {
      char key[2] = { *k, 0 };
      press (key);
    }
}

static GtkGesture *
drag_gesture (void)
{
  GtkWidget *canvas = kiosk_signature_pad_get_canvas (T.pad);
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (canvas);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, i);
      if (GTK_IS_GESTURE_DRAG (c))
        return GTK_GESTURE (c);
    }
  g_error ("the signature pad has no drag gesture");
  return NULL;
}

/* A stroke as the drag gesture reports it: the start, then offsets. */
static void
drag (const double *points, guint n)
{
  GtkGesture *gesture = drag_gesture ();

  g_signal_emit_by_name (gesture, "drag-begin", points[0], points[1]);
  for (guint i = 1; i < n; i++)
    g_signal_emit_by_name (gesture, "drag-update", points[2 * i] - points[0], points[2 * i + 1] - points[1]);
  g_signal_emit_by_name (gesture, "drag-end", points[2 * (n - 1)] - points[0], points[2 * (n - 1) + 1] - points[1]);
}

/* Something like a handwritten name: three strokes. */
static void
sign (void)
{
  double s1[2 * 40], s2[2 * 30];
  static const double s3[] = { 600, 120, 640, 200, 680, 110, 720, 210, 760, 130 };

  for (guint i = 0; i < 40; i++)
    {
      s1[2 * i] = 80 + i * 8;
      s1[2 * i + 1] = 150 + 50 * sin (i * 0.5);
    }
  for (guint i = 0; i < 30; i++)
    {
      s2[2 * i] = 420 + 60 * cos (i * 0.21);
      s2[2 * i + 1] = 150 + 60 * sin (i * 0.21);
    }
  drag (s1, 40);
  drag (s2, 30);
  drag (s3, G_N_ELEMENTS (s3) / 2);
}

static void
assert_accessible_label (GtkWidget *w, const char *label)
{
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
}

static gboolean
is_personal (GtkWidget *w, gpointer data)
{
  return gtk_widget_has_css_class (w, "personal");
}

static void
notify_count_cb (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

/* ---- tests ------------------------------------------------------------------- */

static void
test_signature (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) png = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  static const double tap[] = { 300, 150 };
  static const double scratch[] = { 300, 150, 310, 155, 320, 150, 330, 152 };
  GtkWidget *clear;
  guint notified = 0;
  Pixels p;
  guint ink = 0;

  open_window ("zh_CN", FALSE);
  g_signal_connect (T.pad, "notify::signed", G_CALLBACK (notify_count_cb), &notified);
  clear = kiosk_ui_test_button (C_ ("signature", "Clear"));
  g_assert_nonnull (clear);
  g_assert_true (gtk_widget_get_sensitive (clear));

  /* what a screen reader says */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (T.pad), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Signature"));
  gtk_test_accessible_assert_property (
      GTK_ACCESSIBLE (T.pad), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
      _ ("Sign your name in the white box with your finger. Press Clear to start again."));
  assert_accessible_label (kiosk_signature_pad_get_canvas (T.pad), _ ("Signature box"));
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (kiosk_signature_pad_get_canvas (T.pad)), GTK_ACCESSIBLE_ROLE_IMG);

  /* a tap is not a signature, nor is a short scratch */
  drag (tap, 1);
  g_assert_cmpuint (kiosk_signature_pad_get_n_strokes (T.pad), ==, 1);
  g_assert_false (kiosk_signature_pad_get_signed (T.pad));
  drag (scratch, G_N_ELEMENTS (scratch) / 2);
  g_assert_false (kiosk_signature_pad_get_signed (T.pad));
  g_assert_null (kiosk_signature_pad_export_png (T.pad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  kiosk_ui_test_assert_shown ("还未签名");
  g_assert_cmpuint (notified, ==, 0);

  /* Clear empties it */
  g_signal_emit_by_name (clear, "clicked");
  g_assert_true (kiosk_signature_pad_is_empty (T.pad));

  /* a name */
  sign ();
  g_assert_true (kiosk_signature_pad_get_signed (T.pad));
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (kiosk_signature_pad_get_n_strokes (T.pad), ==, 3);
  kiosk_ui_test_assert_shown ("已签名");
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (kiosk_signature_pad_get_canvas (T.pad)),
                                    GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_FALSE);

  png = kiosk_signature_pad_export_png (T.pad, &error);
  g_assert_no_error (error);
  g_assert_nonnull (png);
  g_assert_cmpmem (g_bytes_get_data (png, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  texture = gdk_texture_new_from_bytes (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, KIOSK_SIGNATURE_PAD_WIDTH);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, KIOSK_SIGNATURE_PAD_HEIGHT);
  p = pixels_of (texture);
  for (int y = 0; y < p.height; y++)
    for (int x = 0; x < p.width; x++)
      ink += luminance (pixel (&p, x, y)) < 0.05;
  /* white around the ink, ink on the strokes */
  g_assert_cmphex (pixel (&p, 0, 0), ==, 0xffffff);
  g_assert_cmphex (pixel (&p, p.width - 1, p.height - 1), ==, 0xffffff);
  g_assert_cmphex (pixel (&p, 10, 290), ==, 0xffffff);
  g_assert_cmpfloat (luminance (pixel (&p, 80, 150)), <, 0.05);  /* the first stroke's start */
  g_assert_cmpfloat (luminance (pixel (&p, 480, 150)), <, 0.05); /* the circle's rightmost point */
  g_assert_cmpfloat (luminance (pixel (&p, 420, 150)), >, 0.9);  /* its inside */
  g_assert_cmpuint (ink, >, 1500);
  g_free (p.data);

  /* drawn on the screen too */
  {
    g_autoptr (GdkTexture) frame = render ();
    graphene_point_t at;
    Pixels f = pixels_of (frame);
    g_assert_true (gtk_widget_compute_point (kiosk_signature_pad_get_canvas (T.pad), T.window,
                                             &GRAPHENE_POINT_INIT (480, 150), &at));
    g_assert_cmpfloat (luminance (pixel (&f, (int) at.x, (int) at.y)), <, 0.05);
    g_free (f.data);
  }
  kiosk_ui_test_assert_touch_targets (64);
  screenshot ("signature-zh");

  /* Clear (also what the wipe calls) */
  g_signal_emit_by_name (clear, "clicked");
  g_assert_true (kiosk_signature_pad_is_empty (T.pad));
  g_assert_false (kiosk_signature_pad_get_signed (T.pad));
  g_assert_cmpuint (notified, ==, 2);
  g_assert_null (kiosk_signature_pad_export_png (T.pad, &error));
  g_clear_error (&error);
  {
    g_autoptr (GdkTexture) frame = render ();
    graphene_point_t at;
    Pixels f = pixels_of (frame);
    g_assert_true (gtk_widget_compute_point (kiosk_signature_pad_get_canvas (T.pad), T.window,
                                             &GRAPHENE_POINT_INIT (480, 150), &at));
    g_assert_cmpfloat (luminance (pixel (&f, (int) at.x, (int) at.y)), >, 0.9);
    g_free (f.data);
  }
  close_window ();
}

static void
test_form_fields (void)
{
  GtkWidget *entry, *message;
  int height, message_height;
  guint changed;

  open_window ("zh_CN", FALSE);

  /* accessible names are the visible labels */
  assert_accessible_label (kiosk_form_field_get_entry (T.id), "公民身份号码");
  assert_accessible_label (GTK_WIDGET (T.id), "公民身份号码");
  assert_accessible_label (kiosk_form_field_get_entry (T.date), "出生日期");
  kiosk_ui_test_assert_shown ("公民身份号码");
  kiosk_ui_test_assert_shown ("出生日期");

  /* the ID number: the keyboard's digits with X, typed on its keys */
  entry = kiosk_form_field_get_entry (T.id);
  gtk_widget_grab_focus (entry);
  g_assert_true (kiosk_osk_get_target (T.osk) == entry);
  g_assert_cmpint (kiosk_osk_get_layout (T.osk), ==, KIOSK_OSK_LAYOUT_ID_NUMBER);
  g_assert_null (kiosk_osk_get_key (T.osk, "+"));
  g_assert_null (kiosk_osk_get_key (T.osk, "a"));
  wait_frame ();
  message = kiosk_form_field_get_message_label (T.id);
  height = gtk_widget_get_height (GTK_WIDGET (T.id));
  message_height = gtk_widget_get_height (message);
  g_assert_cmpint (message_height, >, 10);
  g_assert_null (kiosk_form_field_get_message (T.id));
  g_assert_false (kiosk_form_field_get_valid (T.id)); /* required, empty */

  changed = T.changed;
  type ("1101051949");
  g_assert_cmpuint (T.changed, ==, changed + 10);
  g_assert_cmpstr (kiosk_form_field_get_text (T.id), ==, "1101051949");
  /* the validator's message, under the field, the field as high as before */
  g_assert_cmpstr (kiosk_form_field_get_message (T.id), ==, _ ("An ID number has 18 characters."));
  g_assert_false (kiosk_form_field_get_valid (T.id));
  wait_frame ();
  kiosk_ui_test_assert_shown (_ ("An ID number has 18 characters."));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (T.id)), ==, height);
  g_assert_cmpint (gtk_widget_get_height (message), ==, message_height);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       _ ("An ID number has 18 characters."));
  gtk_test_accessible_assert_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
  kiosk_ui_test_assert_touch_targets (64);
  screenshot ("form-message-zh");

  type ("1231002");
  press ("X");
  g_assert_cmpstr (kiosk_form_field_get_text (T.id), ==, ID_NUMBER);
  g_assert_true (kiosk_form_field_get_valid (T.id));
  g_assert_null (kiosk_form_field_get_message (T.id));
  /* nothing past the 18th character; an X only at the end */
  press ("5");
  g_assert_cmpstr (kiosk_form_field_get_text (T.id), ==, ID_NUMBER);
  kiosk_form_field_set_text (T.id, "X11x");
  g_assert_cmpstr (kiosk_form_field_get_text (T.id), ==, "11");
  kiosk_form_field_set_text (T.id, "11010519491231002x");
  g_assert_cmpstr (kiosk_form_field_get_text (T.id), ==, ID_NUMBER);
  wait_frame ();
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (T.id)), ==, height);
  /* emptied: no message while typing, but the page's check says it */
  press ("backspace");
  g_assert_cmpstr (kiosk_form_field_get_text (T.id), ==, "11010519491231002");
  kiosk_form_field_set_text (T.id, "");
  g_assert_null (kiosk_form_field_get_message (T.id));
  g_assert_false (kiosk_form_field_check (T.id));
  g_assert_cmpstr (kiosk_form_field_get_message (T.id), ==, _ ("This must be filled in."));

  /* a date: digits only, the dashes come by themselves */
  gtk_widget_grab_focus (kiosk_form_field_get_entry (T.date));
  g_assert_true (kiosk_osk_get_target (T.osk) == kiosk_form_field_get_entry (T.date));
  g_assert_cmpint (kiosk_osk_get_layout (T.osk), ==, KIOSK_OSK_LAYOUT_DIGITS);
  /* the digits have their + again, and no X */
  g_assert_null (kiosk_osk_get_key (T.osk, "X"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (kiosk_osk_get_key (T.osk, "+"))), ==, "+");
  type ("1949123");
  g_assert_cmpstr (kiosk_form_field_get_text (T.date), ==, "1949-12-3");
  type ("19");
  g_assert_cmpstr (kiosk_form_field_get_text (T.date), ==, "1949-12-31");

  /* a phone number on the digits */
  gtk_widget_grab_focus (kiosk_form_field_get_entry (T.phone));
  type ("13800138000");
  g_assert_cmpstr (kiosk_form_field_get_text (T.phone), ==, "13800138000");

  /* prefilled from the card: read-only, shown as the page wants, Edit */
  kiosk_form_field_set_prefilled (T.name, "张三", "张*");
  g_assert_true (kiosk_form_field_get_read_only (T.name));
  g_assert_cmpstr (kiosk_form_field_get_text (T.name), ==, "张三");
  wait_frame ();
  kiosk_ui_test_assert_shown ("张*");
  g_assert_false (gtk_widget_is_drawable (kiosk_form_field_get_entry (T.name)));
  g_assert_true (gtk_widget_is_drawable (kiosk_form_field_get_edit_button (T.name)));
  assert_accessible_label (kiosk_form_field_get_edit_button (T.name), "修改 姓名");
  height = gtk_widget_get_height (GTK_WIDGET (T.name));
  g_signal_emit_by_name (kiosk_form_field_get_edit_button (T.name), "clicked");
  g_assert_false (kiosk_form_field_get_read_only (T.name));
  g_assert_true (kiosk_osk_get_target (T.osk) == kiosk_form_field_get_entry (T.name));
  /* no pinyin engine here: letters */
  g_assert_cmpint (kiosk_osk_get_layout (T.osk), ==, KIOSK_OSK_LAYOUT_LETTERS);
  type ("li");
  g_assert_cmpstr (kiosk_form_field_get_text (T.name), ==, "张三li");
  wait_frame ();
  g_assert_true (gtk_widget_is_drawable (kiosk_form_field_get_entry (T.name)));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (T.name)), ==, height);

  /* a choice: large toggles, one at a time */
  assert_accessible_label (GTK_WIDGET (T.gender), "性别");
  changed = T.changed;
  g_signal_emit_by_name (kiosk_form_field_get_choice_button (T.gender, "female"), "clicked");
  g_assert_cmpstr (kiosk_form_field_get_text (T.gender), ==, "female");
  g_signal_emit_by_name (kiosk_form_field_get_choice_button (T.gender, "male"), "clicked");
  g_assert_cmpstr (kiosk_form_field_get_text (T.gender), ==, "male");
  g_assert_cmpuint (T.changed, ==, changed + 2);
  g_assert_false (
      gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (kiosk_form_field_get_choice_button (T.gender, "female"))));
  kiosk_form_field_set_prefilled (T.gender, "female", NULL);
  wait_frame ();
  kiosk_ui_test_assert_shown ("女");
  kiosk_ui_test_assert_touch_targets (64);
  screenshot ("form-filled-zh");

  /* the wipe: every value gone, from every widget marked personal */
  {
    g_autoptr (GPtrArray) personal = g_ptr_array_new_with_free_func (g_object_unref);
    kiosk_ui_test_collect (T.window, is_personal, NULL, personal);
    /* the name (entry, and the prefilled value behind it), phone, date, gender */
    g_assert_cmpuint (personal->len, ==, 5);
    for (guint i = 0; i < personal->len; i++)
      {
        g_object_ref (personal->pdata[i]);
        g_assert_cmpstr (kiosk_ui_test_widget_text (personal->pdata[i]), !=, "");
      }
    kiosk_form_field_clear (T.name);
    kiosk_form_field_clear (T.gender);
    kiosk_form_field_clear (T.phone);
    kiosk_form_field_clear (T.date);
    kiosk_form_field_clear (T.id);
    for (guint i = 0; i < personal->len; i++)
      g_assert_cmpstr (kiosk_ui_test_widget_text (personal->pdata[i]), ==, "");
  }
  g_assert_cmpstr (kiosk_form_field_get_text (T.name), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kiosk_form_field_get_entry (T.name))), ==, "");
  g_assert_null (kiosk_ui_test_find_shown ("张*"));
  g_assert_cmpstr (kiosk_form_field_get_text (T.gender), ==, "");
  g_assert_false (kiosk_form_field_get_read_only (T.gender));
  g_assert_cmpstr (kiosk_form_field_get_text (T.phone), ==, "");
  close_window ();
}

static void
assert_steps_contrast (double min)
{
  g_autoptr (GdkTexture) frame = render ();
  double current = text_contrast (frame, kiosk_steps_get_step (T.steps, 1));
  double done = text_contrast (frame, kiosk_steps_get_step (T.steps, 0));
  double todo = text_contrast (frame, kiosk_steps_get_step (T.steps, 3));

  g_test_message ("steps contrast: current %.2f, done %.2f, to do %.2f", current, done, todo);
  g_assert_cmpfloat (current, >=, min);
  g_assert_cmpfloat (done, >=, min);
  g_assert_cmpfloat (todo, >=, min);
}

static void
test_steps (void)
{
  int height;

  open_window ("zh_CN", FALSE);
  g_assert_cmpstr (kiosk_steps_get_summary (T.steps), ==, "第 2 步，共 5 步：填写表单");
  assert_accessible_label (GTK_WIDGET (T.steps), "第 2 步，共 5 步：填写表单");
  g_assert_true (gtk_widget_has_css_class (kiosk_steps_get_step (T.steps, 1), "current"));
  g_assert_true (gtk_widget_has_css_class (kiosk_steps_get_step (T.steps, 0), "done"));
  g_assert_true (gtk_widget_has_css_class (kiosk_steps_get_step (T.steps, 4), "todo"));
  kiosk_ui_test_assert_shown ("填写表单");
  assert_steps_contrast (4.5);
  height = gtk_widget_get_height (GTK_WIDGET (T.steps));
  g_assert_cmpint (height, >, 30);

  /* one height: other steps current, a long title, more steps */
  kiosk_steps_set_current (T.steps, 4);
  g_assert_cmpstr (kiosk_steps_get_summary (T.steps), ==, "第 5 步，共 5 步：确认提交");
  gtk_string_list_splice (T.model, 2, 1,
                          (const char *const[]){ "签名承诺并阅读告知承诺书的全部内容，确认无误后签字", "扫描", NULL });
  g_assert_cmpstr (kiosk_steps_get_summary (T.steps), ==, "第 5 步，共 6 步：上传材料");
  wait_frame ();
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (T.steps)), ==, height);
  kiosk_steps_set_current (T.steps, 6);
  g_assert_cmpstr (kiosk_steps_get_summary (T.steps), ==, "");
  close_window ();

  open_window ("en", FALSE);
  g_assert_cmpstr (kiosk_steps_get_summary (T.steps), ==, "Step 2 of 5: Fill in the form");
  assert_accessible_label (GTK_WIDGET (T.steps), "Step 2 of 5: Fill in the form");
  close_window ();

  open_window ("zh_CN", TRUE);
  assert_steps_contrast (7.0);
  close_window ();
}

/* The screens as residents see them, in each language and in 长辈模式. */
static void
test_screens (void)
{
  struct {
    const char *language;
    gboolean elder;
    const char *name;
  } screens[]
      = { { "zh_CN", FALSE, "zh" }, { "en", FALSE, "en" }, { "zh_CN", TRUE, "zh-elder" }, { "en", TRUE, "en-elder" } };

  for (guint i = 0; i < G_N_ELEMENTS (screens); i++)
    {
      g_autofree char *what = g_strdup_printf ("all-%s", screens[i].name);
      int height;

      open_window (screens[i].language, screens[i].elder);
      /* 1.5 times the text: one entry fewer on this test page */
      gtk_widget_set_visible (GTK_WIDGET (T.phone), !screens[i].elder);
      kiosk_form_field_set_prefilled (T.name, "张三", "张*");
      gtk_widget_grab_focus (kiosk_form_field_get_entry (T.id));
      type ("110105");
      kiosk_form_field_set_text (T.date, "19491231");
      sign ();
      wait_frame ();
      /* the message line was already there */
      height = gtk_widget_get_height (GTK_WIDGET (T.id));
      kiosk_form_field_set_text (T.id, ID_NUMBER);
      wait_frame ();
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (T.id)), ==, height);
      kiosk_form_field_set_text (T.id, "110105");
      if (!screens[i].elder)
        {
          /* the page's Next on an empty required field */
          kiosk_form_field_set_required (T.phone, TRUE);
          g_assert_false (kiosk_form_field_check (T.phone));
          g_assert_cmpstr (kiosk_form_field_get_message (T.phone), ==, _ ("This must be filled in."));
        }
      wait_frame ();
      /* the current step's title is whole, whatever the language */
      {
        GtkWidget *title = gtk_widget_get_last_child (kiosk_steps_get_step (T.steps, 1));
        g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (title))));
      }
      kiosk_ui_test_assert_touch_targets (64);
      if (screens[i].elder)
        {
          g_autoptr (GdkTexture) frame = render ();
          double message = text_contrast (frame, kiosk_form_field_get_message_label (T.id));
          g_test_message ("message contrast %.2f", message);
          g_assert_cmpfloat (message, >=, 7.0);
        }
      screenshot (what);
      close_window ();
    }
}

/* ---- 自助申报's form from a catalog item ----------------------------------------- */

/* RS-001 of the seed catalog, with a form asking for card data. */
static const char item_json[]
    = "{\"code\": \"RS-001\", \"name\": \"城乡居民养老保险参保登记\", \"aliases\": [\"新农保\", \"城居保\", "
      "\"交养老保险"
      "\"], \"category\": \"社会保险\", \"department\": \"人社\", \"item_type\": {\"code\": \"20\", \"n"
      "ame\": \"公共服务\"}, \"level\": \"village_intake\", \"handling\": \"村级受理、乡镇或县级办结\", \"case_ty"
      "pe\": {\"code\": 2, \"name\": \"承诺件\"}, \"time_limit_days\": 3, \"fee\": {\"amount_yuan\":"
      " 0, \"text\": \"不收费(目录未列收费项目)\", \"stated\": false}, \"legal_basis\": "
      "\"《中华人民共和国社会保险法》第二十条"
      "; 《国务院关于建立统一的城乡居民基本养老保险制度的意见》(国发〔2014〕8号)\", \"materials\": [{\"name\": "
      "\"居民身份证(原件及复印件)\","
      " \"required\": true, \"provided_by\": \"id_card_reader\", \"deferrable\": false}, {\"name\""
      ": \"户口簿(首页及本人页)\", \"required\": true, \"provided_by\": \"e_licence\", \"deferrable\": fal"
      "se}, {\"name\": \"《城乡居民基本养老保险参保登记表》\", \"required\": true, \"provided_by\": \"kiosk_form\""
      ", \"deferrable\": false}], \"commitment_allowed\": false, \"deferral_allowed\": false, \"f"
      "orm_fields\": [{\"id\": \"name\", \"label\": \"姓名\", \"type\": \"text\", \"required\": tru"
      "e}, {\"id\": \"id_number\", \"label\": \"公民身份号码\", \"type\": \"id_number\", \"required\": "
      "true}, {\"id\": \"gender\", \"label\": \"性别\", \"type\": \"choice\", \"required\": true, \""
      "choices\": [\"男\", \"女\"]}, {\"id\": \"birth_date\", \"label\": \"出生日期\", \"type\": \"date"
      "\", \"required\": true, \"past_only\": true}, {\"id\": \"phone\", \"label\": \"联系电话\", \"t"
      "ype\": \"phone\", \"required\": true}, {\"id\": \"contribution_grade\", \"label\": \"缴费档次\""
      ", \"type\": \"choice\", \"required\": true, \"choices\": [\"200元\", \"300元\", \"500元\", \""
      "1000元\", \"2000元\"]}], \"delivery\": [\"pickup\", \"post\"], \"proxy_allowed\": true, \"cr"
      "oss_region\": false, \"kiosk_accepts\": true}";

static KioskIdentity *
card_holder (void)
{
  KioskIdentity *id = kiosk_identity_new ();

  id->name = g_strdup ("张三");
  id->gender_code = '1';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup (ID_NUMBER);
  id->id_number_valid = TRUE;
  id->address = g_strdup ("北京市东城区正义路 1 号");
  return id;
}

static void
test_apply_form (void)
{
  g_autoptr (GError) error = NULL;
  KioskCatalogItem *item = kiosk_catalog_item_decode (item_json, strlen (item_json), &error);
  g_autoptr (KioskIdentity) holder = card_holder ();
  struct {
    const char *language;
    gboolean elder;
  } screens[] = { { "zh_CN", FALSE }, { "en", FALSE }, { "zh_CN", TRUE } };

  g_assert_no_error (error);
  g_assert_nonnull (item);
  for (guint s = 0; s < G_N_ELEMENTS (screens); s++)
    {
      GtkWidget *form, *box, *name, *id, *gender, *birth, *phone, *grade;
      g_autofree char *shot
          = g_strdup_printf ("apply-form-%s%s", screens[s].language, screens[s].elder ? "-elder" : "");

      open_window (screens[s].language, screens[s].elder);
      /* the form in place of the gallery's fields */
      box = gtk_widget_get_parent (GTK_WIDGET (T.name));
      while (gtk_widget_get_first_child (box))
        gtk_box_remove (GTK_BOX (box), gtk_widget_get_first_child (box));
      T.name = T.id = T.phone = T.date = T.gender = NULL;
      form = kiosk_apply_form_new (item, holder, T.osk);
      {
        /* a long form scrolls above the keyboard (the form step alone) */
        GtkWidget *scrolled = gtk_scrolled_window_new ();
        gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
        gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), form);
        gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
        gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 880);
        gtk_box_append (GTK_BOX (box), scrolled);
        gtk_widget_set_visible (GTK_WIDGET (T.pad), FALSE);
        /* the domain's longest messages on one line, also in 长辈模式 */
        gtk_widget_set_size_request (box, 900, -1);
      }
      wait_frame ();

      name = kiosk_apply_form_get_field (form, "name");
      id = kiosk_apply_form_get_field (form, "id_number");
      gender = kiosk_apply_form_get_field (form, "gender");
      birth = kiosk_apply_form_get_field (form, "birth_date");
      phone = kiosk_apply_form_get_field (form, "phone");
      grade = kiosk_apply_form_get_field (form, "contribution_grade");
      g_assert_true (name && id && gender && birth && phone && grade);
      g_assert_null (kiosk_apply_form_get_field (form, "nothing"));

      /* prefilled from the card, read-only, names and ID numbers masked */
      g_assert_true (kiosk_form_field_get_read_only (KIOSK_FORM_FIELD (name)));
      g_assert_cmpstr (kiosk_form_field_get_text (KIOSK_FORM_FIELD (name)), ==, "张三");
      kiosk_ui_test_assert_shown ("张*");
      g_assert_null (kiosk_ui_test_find_shown ("张三"));
      g_assert_cmpstr (kiosk_form_field_get_text (KIOSK_FORM_FIELD (id)), ==, ID_NUMBER);
      g_assert_null (kiosk_ui_test_find_shown (ID_NUMBER));
      g_assert_cmpstr (kiosk_form_field_get_text (KIOSK_FORM_FIELD (gender)), ==, "男");
      g_assert_cmpstr (kiosk_form_field_get_text (KIOSK_FORM_FIELD (birth)), ==, "1949-12-31");
      g_assert_true (kiosk_form_field_get_valid (KIOSK_FORM_FIELD (id)));
      /* not prefilled: empty, required */
      g_assert_false (kiosk_form_field_get_read_only (KIOSK_FORM_FIELD (phone)));
      g_assert_false (kiosk_form_field_get_valid (KIOSK_FORM_FIELD (phone)));
      g_assert_cmpint (kiosk_form_field_get_kind (KIOSK_FORM_FIELD (phone)), ==, KIOSK_FORM_FIELD_PHONE);
      g_assert_cmpint (kiosk_form_field_get_kind (KIOSK_FORM_FIELD (grade)), ==, KIOSK_FORM_FIELD_CHOICE);
      assert_accessible_label (kiosk_form_field_get_entry (KIOSK_FORM_FIELD (phone)), "联系电话");

      /* the domain's checks as typed: a wrong check character, a short phone */
      g_signal_emit_by_name (kiosk_form_field_get_edit_button (KIOSK_FORM_FIELD (id)), "clicked");
      g_assert_true (kiosk_osk_get_target (T.osk) == kiosk_form_field_get_entry (KIOSK_FORM_FIELD (id)));
      press ("backspace");
      press ("1");
      g_assert_false (kiosk_form_field_get_valid (KIOSK_FORM_FIELD (id)));
      g_assert_nonnull (kiosk_form_field_get_message (KIOSK_FORM_FIELD (id)));
      gtk_widget_grab_focus (kiosk_form_field_get_entry (KIOSK_FORM_FIELD (phone)));
      type ("1380013");
      g_assert_nonnull (kiosk_form_field_get_message (KIOSK_FORM_FIELD (phone)));
      /* Next: every field checked, the empty choice says so */
      g_assert_false (kiosk_apply_form_check (form));
      g_assert_nonnull (kiosk_form_field_get_message (KIOSK_FORM_FIELD (grade)));
      wait_frame ();
      kiosk_ui_test_assert_touch_targets (64);
      /* the messages are whole, not ellipsized */
      g_assert_false (pango_layout_is_ellipsized (
          gtk_label_get_layout (GTK_LABEL (kiosk_form_field_get_message_label (KIOSK_FORM_FIELD (id))))));
      screenshot (shot);

      type ("8000");
      g_assert_null (kiosk_form_field_get_message (KIOSK_FORM_FIELD (phone)));
      kiosk_form_field_set_text (KIOSK_FORM_FIELD (id), ID_NUMBER);
      g_signal_emit_by_name (kiosk_form_field_get_choice_button (KIOSK_FORM_FIELD (grade), "500元"), "clicked");
      g_assert_true (kiosk_apply_form_check (form));

      /* the wipe */
      kiosk_apply_form_clear (form);
      g_assert_cmpstr (kiosk_form_field_get_text (KIOSK_FORM_FIELD (name)), ==, "");
      g_assert_cmpstr (kiosk_form_field_get_text (KIOSK_FORM_FIELD (id)), ==, "");
      g_assert_null (kiosk_ui_test_find_shown ("张*"));
      close_window ();
    }
  kiosk_catalog_item_unref (item);
}

/* ---- 自助申报's page on the core --------------------------------------------------- */

#define APPLY_CONF                                                                    \
  "[kiosk]\nid=kiosk-test\nstation=测试村便民服务站\nregion-code=330106001\n" \
  "[store]\npath=%s/test.db\n[platform]\nurl=https://platform.example/\n"             \
  "[idcard]\nbackend=sim\n[camera]\nbackend=sim\n[pad]\nbackend=none\n[printer]\nbackend=sim\n"

static void
test_apply_page (void)
{
  static const char *const steps[]
      = { "item", N_ ("Choose the item"), "form", N_ ("Fill in the form"), "sign", N_ ("Sign"), NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kiosk-widgets-XXXXXX", NULL);
  g_autofree char *conf = g_strdup_printf (APPLY_CONF, dir);
  KioskConfig *config = kiosk_config_new_from_data (conf, NULL, &error);
  g_autoptr (KioskCore) core = NULL;
  g_autoptr (KioskJourney) journey = NULL;
  g_autoptr (KioskIdentity) holder = card_holder ();
  KioskCatalogItem *item = kiosk_catalog_item_decode (item_json, strlen (item_json), &error);
  g_autofree char *summary = NULL;
  GtkWidget *page, *form, *steps_widget;
  KioskSignaturePad *pad;

  g_assert_no_error (error);
  core = kiosk_core_new (config);
  journey = kiosk_journey_new_placeholder ("apply", N_ ("Apply"), TRUE);
  kiosk_journey_set_steps (journey, steps);

  open_window ("zh_CN", FALSE);
  T.name = T.id = T.phone = T.date = T.gender = NULL;
  T.pad = NULL;
  page = kiosk_apply_page_new (core, journey);
  gtk_window_set_child (GTK_WINDOW (T.window), page);
  T.osk = kiosk_apply_page_get_osk (page);
  wait_frame ();

  /* the step indicator follows the journey */
  steps_widget = kiosk_ui_test_find_type (page, KIOSK_TYPE_STEPS);
  g_assert_nonnull (steps_widget);
  summary = g_strdup_printf (_ ("Step %u of %u: %s"), 1, 3, _ ("Choose the item"));
  g_assert_cmpstr (kiosk_steps_get_summary (KIOSK_STEPS (steps_widget)), ==, summary);
  g_assert_null (kiosk_apply_page_get_step_box (page, "nothing"));
  g_assert_true (gtk_widget_get_mapped (kiosk_apply_page_get_step_box (page, "item")));
  kiosk_ui_test_assert_shown (_ ("Back"));

  /* the form step */
  form = kiosk_apply_form_new (item, holder, kiosk_apply_page_get_osk (page));
  gtk_box_append (GTK_BOX (kiosk_apply_page_get_step_box (page, "form")), form);
  kiosk_journey_set_step (journey, 1);
  wait_frame ();
  g_assert_cmpuint (kiosk_steps_get_current (KIOSK_STEPS (steps_widget)), ==, 1);
  g_assert_true (gtk_widget_get_mapped (form));
  g_assert_false (gtk_widget_get_mapped (kiosk_apply_page_get_step_box (page, "item")));
  gtk_widget_grab_focus (kiosk_form_field_get_entry (KIOSK_FORM_FIELD (kiosk_apply_form_get_field (form, "phone"))));
  type ("13800138000");
  wait_frame ();
  kiosk_ui_test_assert_touch_targets (64);
  screenshot ("apply-page-form");

  /* the signature step */
  pad = KIOSK_SIGNATURE_PAD (kiosk_signature_pad_new ());
  gtk_box_append (GTK_BOX (kiosk_apply_page_get_step_box (page, "sign")), GTK_WIDGET (pad));
  kiosk_journey_set_step (journey, 2);
  wait_frame ();
  T.pad = pad;
  sign ();
  g_assert_true (kiosk_signature_pad_get_signed (pad));

  /* the idle wipe empties every step, not only the one shown */
  kiosk_session_wipe (kiosk_core_get_session (core));
  g_assert_true (kiosk_signature_pad_is_empty (pad));
  g_assert_cmpstr (kiosk_form_field_get_text (KIOSK_FORM_FIELD (kiosk_apply_form_get_field (form, "phone"))), ==, "");
  g_assert_cmpstr (kiosk_form_field_get_text (KIOSK_FORM_FIELD (kiosk_apply_form_get_field (form, "name"))), ==, "");
  g_assert_cmpstr (kiosk_form_field_get_text (KIOSK_FORM_FIELD (kiosk_apply_form_get_field (form, "id_number"))), ==,
                   "");
  close_window ();
  T.pad = NULL;
  T.osk = NULL;
  kiosk_catalog_item_unref (item);
  g_clear_object (&core);
  kiosk_config_unref (config);
  {
    /* the store's files */
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_remove (path);
      }
    g_rmdir (dir);
  }
}

int
main (int argc, char **argv)
{
  int status;

  kiosk_ui_test_init (&argc, &argv);
  /* Accessible names and descriptions are kept by GTK's test backend (no
   * bus needed); "none" would keep nothing to check. Read when the first
   * widget is made. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_test_add_func ("/ui/widgets/signature", test_signature);
  g_test_add_func ("/ui/widgets/form-fields", test_form_fields);
  g_test_add_func ("/ui/widgets/steps", test_steps);
  g_test_add_func ("/ui/widgets/screens", test_screens);
  g_test_add_func ("/ui/widgets/apply-form", test_apply_form);
  g_test_add_func ("/ui/widgets/apply-page", test_apply_page);
  status = g_test_run ();
  kiosk_ui_test_set_window (NULL, NULL);
  return status;
}
