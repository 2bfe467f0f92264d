/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-signature"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kiosk-signature.h"
#include "kiosk-widgets.h"

/* What counts as a signature: this much ink in all … */
#define MIN_INK_LENGTH 150.0
/* … spanning at least this much, across or down. */
#define MIN_SPAN 80.0
/* Points closer than this to the last one are dropped (jitter). */
#define MIN_STEP 1.5
#define INK_WIDTH 4.0

typedef struct {
  double x, y;
} Point;

struct _KioskSignaturePad {
  GtkWidget parent_instance;

  GtkWidget *canvas;
  GtkWidget *hint_label;
  GtkWidget *state_label;
  GtkWidget *clear_button;

  GPtrArray *strokes; /* GArray of Point, each wiped when freed */
  gboolean in_stroke;
  double drag_x, drag_y; /* where the drag began */
  double ink_length;
  double min_x, min_y, max_x, max_y; /* bounding box of every point */
  gboolean is_signed;
};

G_DEFINE_FINAL_TYPE (KioskSignaturePad, kiosk_signature_pad, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SIGNED, N_PROPS };
static GParamSpec *props[N_PROPS];

/* ---- strokes --------------------------------------------------------------- */

static void
stroke_wipe_free (gpointer data)
{
  GArray *stroke = data;

  if (stroke->len > 0)
    explicit_bzero (stroke->data, (gsize) stroke->len * sizeof (Point));
  g_array_free (stroke, TRUE);
}

static double
clampd (double v, double lo, double hi)
{
  return v < lo ? lo : v > hi ? hi : v;
}

static void
add_point (KioskSignaturePad *self, GArray *stroke, double x, double y)
{
  Point p = { clampd (x, 0, KIOSK_SIGNATURE_PAD_WIDTH), clampd (y, 0, KIOSK_SIGNATURE_PAD_HEIGHT) };

  if (stroke->len > 0)
    {
      const Point *last = &g_array_index (stroke, Point, stroke->len - 1);
      double d = hypot (p.x - last->x, p.y - last->y);
      if (d < MIN_STEP)
        return;
      self->ink_length += d;
    }
  if (self->strokes->len == 1 && stroke->len == 0)
    {
      self->min_x = self->max_x = p.x;
      self->min_y = self->max_y = p.y;
    }
  else
    {
      self->min_x = MIN (self->min_x, p.x);
      self->max_x = MAX (self->max_x, p.x);
      self->min_y = MIN (self->min_y, p.y);
      self->max_y = MAX (self->max_y, p.y);
    }
  g_array_append_val (stroke, p);
}

/* A screen reader hears what to do and whether it is done. */
static void
update_accessible (KioskSignaturePad *self)
{
  g_autofree char *description = g_strdup_printf ("%s %s", gtk_label_get_text (GTK_LABEL (self->hint_label)),
                                                  gtk_label_get_text (GTK_LABEL (self->state_label)));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->canvas), GTK_ACCESSIBLE_STATE_INVALID,
                               self->is_signed ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE, -1);
}

static void
update_signed (KioskSignaturePad *self)
{
  gboolean is_signed
      = self->ink_length >= MIN_INK_LENGTH && MAX (self->max_x - self->min_x, self->max_y - self->min_y) >= MIN_SPAN;

  if (is_signed == self->is_signed)
    return;
  self->is_signed = is_signed;
  gtk_label_set_text (GTK_LABEL (self->state_label), is_signed ? _ ("Signed") : _ ("Not signed yet"));
  update_accessible (self);
  if (is_signed)
    gtk_widget_add_css_class (GTK_WIDGET (self), "signed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "signed");
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SIGNED]);
}

void
kiosk_signature_pad_stroke_begin (KioskSignaturePad *self, double x, double y)
{
  GArray *stroke;

  g_return_if_fail (KIOSK_IS_SIGNATURE_PAD (self));
  stroke = g_array_new (FALSE, FALSE, sizeof (Point));
  g_ptr_array_add (self->strokes, stroke);
  self->in_stroke = TRUE;
  add_point (self, stroke, x, y);
  gtk_widget_queue_draw (self->canvas);
  update_signed (self);
}

void
kiosk_signature_pad_stroke_extend (KioskSignaturePad *self, double x, double y)
{
  g_return_if_fail (KIOSK_IS_SIGNATURE_PAD (self));
  if (!self->in_stroke || self->strokes->len == 0)
    return;
  add_point (self, g_ptr_array_index (self->strokes, self->strokes->len - 1), x, y);
  gtk_widget_queue_draw (self->canvas);
  update_signed (self);
}

void
kiosk_signature_pad_stroke_end (KioskSignaturePad *self)
{
  g_return_if_fail (KIOSK_IS_SIGNATURE_PAD (self));
  self->in_stroke = FALSE;
}

void
kiosk_signature_pad_clear (KioskSignaturePad *self)
{
  g_return_if_fail (KIOSK_IS_SIGNATURE_PAD (self));
  /* stroke_wipe_free overwrites each stroke's points */
  g_ptr_array_set_size (self->strokes, 0);
  self->in_stroke = FALSE;
  self->ink_length = 0;
  self->min_x = self->min_y = self->max_x = self->max_y = 0;
  gtk_widget_queue_draw (self->canvas);
  update_signed (self);
}

gboolean
kiosk_signature_pad_get_signed (KioskSignaturePad *self)
{
  g_return_val_if_fail (KIOSK_IS_SIGNATURE_PAD (self), FALSE);
  return self->is_signed;
}

gboolean
kiosk_signature_pad_is_empty (KioskSignaturePad *self)
{
  g_return_val_if_fail (KIOSK_IS_SIGNATURE_PAD (self), TRUE);
  return self->strokes->len == 0;
}

guint
kiosk_signature_pad_get_n_strokes (KioskSignaturePad *self)
{
  g_return_val_if_fail (KIOSK_IS_SIGNATURE_PAD (self), 0);
  return self->strokes->len;
}

GtkWidget *
kiosk_signature_pad_get_canvas (KioskSignaturePad *self)
{
  g_return_val_if_fail (KIOSK_IS_SIGNATURE_PAD (self), NULL);
  return self->canvas;
}

/* ---- drawing ----------------------------------------------------------------- */

/* Smooth strokes: a quadratic curve through the midpoints of successive
 * points, each point its control point. A single point is a dot. */
static void
draw_strokes (KioskSignaturePad *self, cairo_t *cr)
{
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, INK_WIDTH);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint s = 0; s < self->strokes->len; s++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, s);
      const Point *p = (const Point *) (gpointer) stroke->data;

      if (stroke->len == 0)
        continue;
      cairo_move_to (cr, p[0].x, p[0].y);
      if (stroke->len == 1)
        cairo_line_to (cr, p[0].x, p[0].y);
      for (guint i = 1; i + 1 < stroke->len; i++)
        {
          double mx = (p[i].x + p[i + 1].x) / 2, my = (p[i].y + p[i + 1].y) / 2;
          double cx, cy;
          /* quadratic (current point, p[i], mid) as a cubic */
          cairo_get_current_point (cr, &cx, &cy);
          cairo_curve_to (cr, cx + 2.0 / 3 * (p[i].x - cx), cy + 2.0 / 3 * (p[i].y - cy), mx + 2.0 / 3 * (p[i].x - mx),
                          my + 2.0 / 3 * (p[i].y - my), mx, my);
        }
      if (stroke->len > 1)
        cairo_line_to (cr, p[stroke->len - 1].x, p[stroke->len - 1].y);
      cairo_stroke (cr);
    }
}

static void
canvas_draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  KioskSignaturePad *self = data;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  /* the line to sign on */
  cairo_set_source_rgb (cr, 0.45, 0.5, 0.58);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, 40, height - 60);
  cairo_line_to (cr, width - 40, height - 60);
  cairo_stroke (cr);
  draw_strokes (self, cr);
}

static cairo_status_t
png_write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
kiosk_signature_pad_export_png (KioskSignaturePad *self, GError **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  GByteArray *png;
  cairo_status_t status;

  g_return_val_if_fail (KIOSK_IS_SIGNATURE_PAD (self), NULL);
  if (!self->is_signed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the pad is not signed");
      return NULL;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, KIOSK_SIGNATURE_PAD_WIDTH, KIOSK_SIGNATURE_PAD_HEIGHT);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  draw_strokes (self, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  png = g_byte_array_new ();
  status = cairo_surface_write_to_png_stream (surface, png_write_cb, png);
  /* the pixels are the signature too */
  explicit_bzero (cairo_image_surface_get_data (surface),
                  (gsize) cairo_image_surface_get_stride (surface) * KIOSK_SIGNATURE_PAD_HEIGHT);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      explicit_bzero (png->data, png->len);
      g_byte_array_unref (png);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PNG encoding failed: %s", cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (png);
}

/* ---- gestures ---------------------------------------------------------------- */

static void
drag_begin_cb (GtkGestureDrag *drag, double x, double y, KioskSignaturePad *self)
{
  gtk_gesture_set_state (GTK_GESTURE (drag), GTK_EVENT_SEQUENCE_CLAIMED);
  self->drag_x = x;
  self->drag_y = y;
  kiosk_signature_pad_stroke_begin (self, x, y);
}

/* Offsets from where the drag began (kept at drag-begin). */
static void
drag_update_cb (GtkGestureDrag *drag, double dx, double dy, KioskSignaturePad *self)
{
  kiosk_signature_pad_stroke_extend (self, self->drag_x + dx, self->drag_y + dy);
}

static void
drag_end_cb (GtkGestureDrag *drag, double dx, double dy, KioskSignaturePad *self)
{
  kiosk_signature_pad_stroke_extend (self, self->drag_x + dx, self->drag_y + dy);
  kiosk_signature_pad_stroke_end (self);
}

static void
clear_clicked_cb (GtkButton *button, KioskSignaturePad *self)
{
  kiosk_signature_pad_clear (self);
}

/* ---- GObject ----------------------------------------------------------------- */

static void
kiosk_signature_pad_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskSignaturePad *self = KIOSK_SIGNATURE_PAD (object);

  switch (prop_id)
    {
    case PROP_SIGNED:
      g_value_set_boolean (value, self->is_signed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_signature_pad_dispose (GObject *object)
{
  KioskSignaturePad *self = KIOSK_SIGNATURE_PAD (object);
  GtkWidget *child;

  if (self->strokes)
    g_ptr_array_set_size (self->strokes, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  self->canvas = self->hint_label = self->state_label = self->clear_button = NULL;
  G_OBJECT_CLASS (kiosk_signature_pad_parent_class)->dispose (object);
}

static void
kiosk_signature_pad_finalize (GObject *object)
{
  KioskSignaturePad *self = KIOSK_SIGNATURE_PAD (object);

  g_ptr_array_unref (self->strokes);
  G_OBJECT_CLASS (kiosk_signature_pad_parent_class)->finalize (object);
}

static void
kiosk_signature_pad_class_init (KioskSignaturePadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kiosk_signature_pad_get_property;
  object_class->dispose = kiosk_signature_pad_dispose;
  object_class->finalize = kiosk_signature_pad_finalize;

  props[PROP_SIGNED] = g_param_spec_boolean ("signed", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "signature-pad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kiosk_signature_pad_init (KioskSignaturePad *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  GtkWidget *row, *frame;
  GtkGesture *drag;
  const char *instruction = _ ("Sign your name in the white box with your finger. Press Clear to start again.");

  kiosk_widgets_ensure_css ();
  self->strokes = g_ptr_array_new_with_free_func (stroke_wipe_free);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (w)), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (w)), 12);
  gtk_widget_set_halign (w, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (w, GTK_ALIGN_START);

  self->hint_label = gtk_label_new (instruction);
  gtk_label_set_wrap (GTK_LABEL (self->hint_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->hint_label), 0);
  /* as wide as the pad, never wider: long translations wrap */
  gtk_label_set_max_width_chars (GTK_LABEL (self->hint_label), 1);
  gtk_widget_set_size_request (self->hint_label, KIOSK_SIGNATURE_PAD_WIDTH, -1);
  gtk_widget_add_css_class (self->hint_label, "signature-hint");
  gtk_widget_set_parent (self->hint_label, w);

  /* a picture the resident draws */
  self->canvas = g_object_new (GTK_TYPE_DRAWING_AREA, "accessible-role", GTK_ACCESSIBLE_ROLE_IMG, NULL);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->canvas), KIOSK_SIGNATURE_PAD_WIDTH);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->canvas), KIOSK_SIGNATURE_PAD_HEIGHT);
  gtk_widget_set_halign (self->canvas, GTK_ALIGN_START);
  gtk_widget_set_hexpand (self->canvas, FALSE);
  gtk_widget_set_vexpand (self->canvas, FALSE);
  gtk_widget_set_name (self->canvas, "signature-canvas");
  gtk_widget_add_css_class (self->canvas, "signature-canvas");
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->canvas), canvas_draw_cb, self, NULL);
  /* the border is the frame's: the canvas is exactly the drawing */
  frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (frame, "signature-frame");
  gtk_widget_set_halign (frame, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (frame), self->canvas);
  gtk_widget_set_parent (frame, w);

  drag = gtk_gesture_drag_new ();
  /* touch, pen and mouse alike */
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (drag), FALSE);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (self->canvas, GTK_EVENT_CONTROLLER (drag));

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  gtk_widget_set_parent (row, w);
  self->state_label = gtk_label_new (_ ("Not signed yet"));
  gtk_widget_add_css_class (self->state_label, "signature-state");
  gtk_label_set_xalign (GTK_LABEL (self->state_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->state_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (self->state_label, TRUE);
  gtk_box_append (GTK_BOX (row), self->state_label);
  self->clear_button = gtk_button_new_with_label (C_ ("signature", "Clear"));
  gtk_widget_set_name (self->clear_button, "signature-clear");
  gtk_widget_add_css_class (self->clear_button, "signature-clear");
  gtk_widget_set_size_request (self->clear_button, 160, 64);
  /* always usable (clearing an empty pad is harmless): never greyed out */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->clear_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _ ("Erases the signature so you can sign again."), -1);
  g_signal_connect (self->clear_button, "clicked", G_CALLBACK (clear_clicked_cb), self);
  gtk_box_append (GTK_BOX (row), self->clear_button);

  /* What a screen reader says: the pad's name and what to do. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Signature"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, instruction, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->canvas), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Signature box"),
                                  -1);
  update_accessible (self);
}

GtkWidget *
kiosk_signature_pad_new (void)
{
  return g_object_new (KIOSK_TYPE_SIGNATURE_PAD, NULL);
}
