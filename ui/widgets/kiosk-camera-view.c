/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kiosk-camera-view.h"
#include "kiosk-widgets.h"

/* Thumbnails: the page fitted into this box, scaled in a worker thread. */
#define THUMB_WIDTH 72
#define THUMB_HEIGHT 96
#define COLUMN_WIDTH 560
#define STATUS_HEIGHT 60
#define THUMBS_HEIGHT (THUMB_HEIGHT + 8)

/* ---- the live picture ------------------------------------------------------ */

#define KIOSK_TYPE_CAMERA_PICTURE (kiosk_camera_picture_get_type ())
G_DECLARE_FINAL_TYPE (KioskCameraPicture, kiosk_camera_picture, KIOSK, CAMERA_PICTURE, GtkWidget)

struct _KioskCameraPicture {
  GtkWidget parent_instance;
  GdkTexture *texture;
  gboolean has_outline;
  double outline[8]; /* in texture pixels */
};

G_DEFINE_FINAL_TYPE (KioskCameraPicture, kiosk_camera_picture, GTK_TYPE_WIDGET)

static void
kiosk_camera_picture_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  KioskCameraPicture *self = KIOSK_CAMERA_PICTURE (widget);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double tw, th, scale, x, y;
  GdkRGBA black = { 0.1, 0.11, 0.13, 1 };

  gtk_snapshot_append_color (snapshot, &black, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->texture == NULL)
    return;
  tw = gdk_texture_get_width (self->texture);
  th = gdk_texture_get_height (self->texture);
  scale = MIN (width / tw, height / th);
  x = (width - tw * scale) / 2;
  y = (height - th * scale) / 2;
  gtk_snapshot_append_texture (snapshot, self->texture, &GRAPHENE_RECT_INIT (x, y, tw * scale, th * scale));
  if (self->has_outline)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      cairo_set_source_rgba (cr, 0.15, 0.85, 0.35, 0.95);
      cairo_set_line_width (cr, 4);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (guint i = 0; i < 4; i++)
        cairo_line_to (cr, x + self->outline[2 * i] * scale, y + self->outline[2 * i + 1] * scale);
      cairo_close_path (cr);
      cairo_stroke (cr);
      cairo_destroy (cr);
    }
}

static void
kiosk_camera_picture_dispose (GObject *object)
{
  g_clear_object (&KIOSK_CAMERA_PICTURE (object)->texture);
  G_OBJECT_CLASS (kiosk_camera_picture_parent_class)->dispose (object);
}

static void
kiosk_camera_picture_class_init (KioskCameraPictureClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kiosk_camera_picture_dispose;
  GTK_WIDGET_CLASS (klass)->snapshot = kiosk_camera_picture_snapshot;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "camera-picture");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
kiosk_camera_picture_init (KioskCameraPicture *self)
{
}

/* ---- the view ---------------------------------------------------------------- */

struct _KioskCameraView {
  GtkWidget parent_instance;
  GtkWidget *stack; /* "live": the picture; "gone": the message */
  KioskCameraPicture *picture;
  GtkWidget *gone_label;
  GtkWidget *material_label;
  GtkWidget *status_label;
  GtkWidget *count_label;
  GtkWidget *capture_button;
  GtkWidget *retake_button;
  GtkWidget *thumbs; /* one card per page */
  GtkWidget *no_pages_label;

  GPtrArray *pages;           /* GBytes, the pages given */
  GHashTable *thumbs_by_page; /* GBytes -> GdkTexture (decoded) */
  GHashTable *decoding;       /* GBytes being decoded */
  GCancellable *cancellable;
  char *material;
  gboolean unavailable;
  gboolean just_taken; /* "page N taken" until the page leaves the mat */
  guint n_frames;
};

G_DEFINE_FINAL_TYPE (KioskCameraView, kiosk_camera_view, GTK_TYPE_WIDGET)

enum { SIGNAL_CAPTURE, SIGNAL_RETAKE, SIGNAL_REMOVE_PAGE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
name_accessible (GtkWidget *w, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
set_button_label (GtkWidget *button, const char *label)
{
  gtk_button_set_label (GTK_BUTTON (button), label);
  name_accessible (button, label);
}

static void
update_status (KioskCameraView *self)
{
  g_autofree char *text = NULL;
  g_autofree char *count = NULL;
  gboolean can_take = !self->unavailable && self->material != NULL;

  if (self->unavailable)
    text = g_strdup (_ ("The document camera is not connected."));
  else if (self->material == NULL)
    text = g_strdup (_ ("Choose the material to scan: press Scan under it."));
  else if (self->just_taken && self->pages->len > 0)
    text = g_strdup_printf (_ ("Page %u taken."), self->pages->len);
  else if (self->picture->texture && self->picture->has_outline)
    text = g_strdup (_ ("Recognising…"));
  else
    text = g_strdup (_ ("Please lay the material flat in the capture area."));
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->status_label)), text) != 0)
    gtk_label_set_text (GTK_LABEL (self->status_label), text);

  /* the count and the pages are the chosen material's: none without one */
  count = self->material ? g_strdup_printf (ngettext ("%u page", "%u pages", self->pages->len), self->pages->len)
                         : g_strdup ("");
  gtk_label_set_text (GTK_LABEL (self->count_label), count);
  gtk_widget_set_visible (self->no_pages_label, self->material != NULL && self->pages->len == 0);
  gtk_label_set_text (GTK_LABEL (self->material_label), self->material ? self->material : "");
  gtk_widget_set_sensitive (self->capture_button, can_take);
  gtk_widget_set_sensitive (self->retake_button, can_take && self->pages->len > 0);
}

static void
capture_clicked_cb (GtkButton *button, KioskCameraView *self)
{
  g_signal_emit (self, signals[SIGNAL_CAPTURE], 0);
}

static void
retake_clicked_cb (GtkButton *button, KioskCameraView *self)
{
  g_signal_emit (self, signals[SIGNAL_RETAKE], 0);
}

static void
delete_clicked_cb (GtkButton *button, KioskCameraView *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE_PAGE], 0,
                 (guint) GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "page")));
}

/* ---- thumbnails (decoded and scaled in a worker thread) ---------------------- */

static void
thumb_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GBytes *bytes = data;
  GError *error = NULL;
  g_autoptr (GdkTexture) full = gdk_texture_new_from_bytes (bytes, &error);
  int w, h, tw, th;
  double scale;
  guint8 *src, *dst;
  GBytes *out;

  if (full == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  w = gdk_texture_get_width (full);
  h = gdk_texture_get_height (full);
  scale = MIN ((double) THUMB_WIDTH / w, (double) THUMB_HEIGHT / h);
  tw = MAX (1, (int) (w * scale));
  th = MAX (1, (int) (h * scale));
  src = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (full, src, (gsize) w * 4);
  dst = g_malloc0 ((gsize) tw * th * 4);
  /* box filter: each thumbnail pixel the mean of its source block */
  for (int y = 0; y < th; y++)
    {
      int y0 = (int) ((gint64) y * h / th), y1 = MAX (y0 + 1, (int) ((gint64) (y + 1) * h / th));
      for (int x = 0; x < tw; x++)
        {
          int x0 = (int) ((gint64) x * w / tw), x1 = MAX (x0 + 1, (int) ((gint64) (x + 1) * w / tw));
          guint64 sum[4] = { 0 };
          guint64 n = (guint64) (y1 - y0) * (x1 - x0);
          for (int yy = y0; yy < y1; yy++)
            for (int xx = x0; xx < x1; xx++)
              for (int c = 0; c < 4; c++)
                sum[c] += src[((gsize) yy * w + xx) * 4 + c];
          for (int c = 0; c < 4; c++)
            dst[((gsize) y * tw + x) * 4 + c] = (guint8) (sum[c] / n);
        }
    }
  /* the full page is personal: overwritten before it is given back */
  memset (src, 0, (gsize) w * h * 4);
  g_free (src);
  out = g_bytes_new_take (dst, (gsize) tw * th * 4);
  g_task_return_pointer (task, gdk_memory_texture_new (tw, th, GDK_MEMORY_DEFAULT, out, (gsize) tw * 4),
                         g_object_unref);
  g_bytes_unref (out);
}

static void rebuild_thumbs (KioskCameraView *self);

static void
thumb_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskCameraView *self = KIOSK_CAMERA_VIEW (source);
  GBytes *bytes = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  GdkTexture *texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("thumbnail of a page not made: %s", error->message);
      return;
    }
  if (self->decoding == NULL || !g_hash_table_remove (self->decoding, bytes))
    {
      g_object_unref (texture); /* cleared meanwhile */
      return;
    }
  g_hash_table_insert (self->thumbs_by_page, g_bytes_ref (bytes), texture);
  rebuild_thumbs (self);
}

static void
decode_thumb (KioskCameraView *self, GBytes *bytes)
{
  g_autoptr (GTask) task = NULL;

  if (g_hash_table_contains (self->thumbs_by_page, bytes) || g_hash_table_contains (self->decoding, bytes))
    return;
  g_hash_table_add (self->decoding, g_bytes_ref (bytes));
  task = g_task_new (self, self->cancellable, thumb_done_cb, NULL);
  g_task_set_source_tag (task, decode_thumb);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, thumb_thread);
}

static void
rebuild_thumbs (KioskCameraView *self)
{
  GtkWidget *c;

  while ((c = gtk_widget_get_first_child (self->thumbs)))
    gtk_box_remove (GTK_BOX (self->thumbs), c);
  for (guint i = 0; i < self->pages->len; i++)
    {
      GBytes *bytes = self->pages->pdata[i];
      GdkTexture *texture = g_hash_table_lookup (self->thumbs_by_page, bytes);
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *picture = gtk_picture_new ();
      g_autofree char *number = g_strdup_printf (_ ("Page %u"), i + 1);
      GtkWidget *label = gtk_label_new (number);
      GtkWidget *del = gtk_button_new ();
      g_autofree char *card_name = g_strdup_printf ("camera-page-%u", i);
      g_autofree char *del_name = g_strdup_printf ("camera-delete-%u", i);

      gtk_widget_set_name (card, card_name);
      gtk_widget_add_css_class (card, "camera-page");
      gtk_widget_set_size_request (picture, THUMB_WIDTH, THUMB_HEIGHT);
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      if (texture)
        gtk_picture_set_paintable (GTK_PICTURE (picture), GDK_PAINTABLE (texture));
      else
        decode_thumb (self, bytes);
      gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, number, -1);
      gtk_box_append (GTK_BOX (card), picture);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (side), label);
      set_button_label (del, _ ("Delete"));
      gtk_widget_set_name (del, del_name);
      gtk_widget_set_size_request (del, 96, 64);
      g_object_set_data (G_OBJECT (del), "page", GUINT_TO_POINTER (i));
      g_signal_connect (del, "clicked", G_CALLBACK (delete_clicked_cb), self);
      gtk_box_append (GTK_BOX (side), del);
      gtk_widget_set_valign (side, GTK_ALIGN_END);
      gtk_box_append (GTK_BOX (card), side);
      gtk_box_append (GTK_BOX (self->thumbs), card);
    }
}

/* Thumbnails of pages no longer given are dropped (their bytes too). */
static void
forget_other_thumbs (KioskCameraView *self)
{
  GHashTableIter it;
  gpointer key;

  g_hash_table_iter_init (&it, self->thumbs_by_page);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      gboolean kept = FALSE;
      for (guint i = 0; i < self->pages->len && !kept; i++)
        kept = g_bytes_equal (self->pages->pdata[i], key);
      if (!kept)
        g_hash_table_iter_remove (&it);
    }
}

/* ---- public ------------------------------------------------------------------- */

void
kiosk_camera_view_push_frame (KioskCameraView *self, const KioskCameraFrame *frame)
{
  GdkTexture *texture;

  g_return_if_fail (KIOSK_IS_CAMERA_VIEW (self));
  g_return_if_fail (frame != NULL && frame->format == KIOSK_CAMERA_FRAME_RGB24);
  if (self->unavailable)
    return;
  /* the one piece of work here: the frame's bytes wrapped, not copied */
  texture
      = gdk_memory_texture_new (frame->width, frame->height, GDK_MEMORY_R8G8B8, frame->pixels, (gsize) frame->stride);
  g_clear_object (&self->picture->texture);
  self->picture->texture = texture;
  self->picture->has_outline = frame->has_outline;
  memcpy (self->picture->outline, frame->outline, sizeof self->picture->outline);
  self->n_frames++;
  /* the page taken off the mat: "page N taken" has been read */
  if (!frame->has_outline)
    self->just_taken = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self->picture));
  update_status (self);
}

void
kiosk_camera_view_set_unavailable (KioskCameraView *self, const char *message)
{
  g_return_if_fail (KIOSK_IS_CAMERA_VIEW (self));
  self->unavailable = message != NULL;
  gtk_label_set_text (GTK_LABEL (self->gone_label), message ? message : "");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), message ? "gone" : "live");
  if (message)
    {
      g_clear_object (&self->picture->texture);
      gtk_widget_queue_draw (GTK_WIDGET (self->picture));
    }
  update_status (self);
}

void
kiosk_camera_view_set_pages (KioskCameraView *self, const char *material, GPtrArray *pages)
{
  guint before;

  g_return_if_fail (KIOSK_IS_CAMERA_VIEW (self));
  before = self->pages->len;
  if (g_strcmp0 (material, self->material) != 0)
    {
      g_free (self->material);
      self->material = g_strdup (material);
      self->just_taken = FALSE;
      before = G_MAXUINT;
    }
  g_ptr_array_set_size (self->pages, 0);
  for (guint i = 0; pages && i < pages->len; i++)
    g_ptr_array_add (self->pages, g_bytes_ref (pages->pdata[i]));
  if (before != G_MAXUINT && self->pages->len == before + 1)
    self->just_taken = TRUE;
  else if (self->pages->len <= before || before == G_MAXUINT)
    self->just_taken = FALSE;
  forget_other_thumbs (self);
  rebuild_thumbs (self);
  update_status (self);
}

void
kiosk_camera_view_clear (KioskCameraView *self)
{
  g_return_if_fail (KIOSK_IS_CAMERA_VIEW (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_hash_table_remove_all (self->decoding);
  g_hash_table_remove_all (self->thumbs_by_page);
  g_clear_object (&self->picture->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self->picture));
  kiosk_camera_view_set_pages (self, NULL, NULL);
}

GdkTexture *
kiosk_camera_view_get_texture (KioskCameraView *self)
{
  g_return_val_if_fail (KIOSK_IS_CAMERA_VIEW (self), NULL);
  return self->picture->texture;
}

guint
kiosk_camera_view_get_n_frames (KioskCameraView *self)
{
  g_return_val_if_fail (KIOSK_IS_CAMERA_VIEW (self), 0);
  return self->n_frames;
}

const char *
kiosk_camera_view_get_status (KioskCameraView *self)
{
  g_return_val_if_fail (KIOSK_IS_CAMERA_VIEW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->status_label));
}

guint
kiosk_camera_view_get_n_thumbnails (KioskCameraView *self)
{
  guint n = 0;

  g_return_val_if_fail (KIOSK_IS_CAMERA_VIEW (self), 0);
  for (guint i = 0; i < self->pages->len; i++)
    n += g_hash_table_contains (self->thumbs_by_page, self->pages->pdata[i]);
  return n;
}

/* ---- GObject --------------------------------------------------------------------- */

static void
kiosk_camera_view_dispose (GObject *object)
{
  KioskCameraView *self = KIOSK_CAMERA_VIEW (object);
  GtkWidget *child;

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_pointer (&self->thumbs_by_page, g_hash_table_unref);
  g_clear_pointer (&self->decoding, g_hash_table_unref);
  G_OBJECT_CLASS (kiosk_camera_view_parent_class)->dispose (object);
}

static void
kiosk_camera_view_finalize (GObject *object)
{
  KioskCameraView *self = KIOSK_CAMERA_VIEW (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->pages);
  g_free (self->material);
  G_OBJECT_CLASS (kiosk_camera_view_parent_class)->finalize (object);
}

/* One size per window: the compact one on small screens. */
static void
kiosk_camera_view_root (GtkWidget *widget)
{
  KioskCameraView *self = KIOSK_CAMERA_VIEW (widget);
  gboolean compact;

  GTK_WIDGET_CLASS (kiosk_camera_view_parent_class)->root (widget);
  compact = gtk_widget_has_css_class (GTK_WIDGET (gtk_widget_get_root (widget)), "compact");
  gtk_widget_set_size_request (self->stack,
                               compact ? KIOSK_CAMERA_VIEW_PICTURE_WIDTH_COMPACT : KIOSK_CAMERA_VIEW_PICTURE_WIDTH,
                               compact ? KIOSK_CAMERA_VIEW_PICTURE_HEIGHT_COMPACT : KIOSK_CAMERA_VIEW_PICTURE_HEIGHT);
  gtk_widget_set_visible (self->material_label, !compact);
  gtk_widget_set_size_request (self->status_label, COLUMN_WIDTH, compact ? STATUS_HEIGHT - 8 : STATUS_HEIGHT);
}

static void
kiosk_camera_view_class_init (KioskCameraViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_camera_view_dispose;
  object_class->finalize = kiosk_camera_view_finalize;
  widget_class->root = kiosk_camera_view_root;
  signals[SIGNAL_CAPTURE]
      = g_signal_new ("capture", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_RETAKE]
      = g_signal_new ("retake", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_REMOVE_PAGE] = g_signal_new ("remove-page", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                              NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "camera-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
big_button (const char *label, const char *name)
{
  GtkWidget *b = gtk_button_new ();

  set_button_label (b, label);
  gtk_widget_set_name (b, name);
  gtk_widget_set_size_request (b, 150, 64);
  return b;
}

static void
kiosk_camera_view_init (KioskCameraView *self)
{
  GtkWidget *w = GTK_WIDGET (self);
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *thumbs_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  kiosk_widgets_ensure_css ();
  self->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->thumbs_by_page
      = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, g_object_unref);
  self->decoding = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  self->cancellable = g_cancellable_new ();
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (w)), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (w)), 16);
  gtk_widget_set_halign (w, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Document camera"), -1);

  /* the picture, or what to do without the camera, in one fixed place */
  self->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->stack), GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_widget_set_size_request (self->stack, KIOSK_CAMERA_VIEW_PICTURE_WIDTH, KIOSK_CAMERA_VIEW_PICTURE_HEIGHT);
  gtk_widget_set_valign (self->stack, GTK_ALIGN_START);
  self->picture = g_object_new (KIOSK_TYPE_CAMERA_PICTURE, NULL);
  gtk_widget_set_name (GTK_WIDGET (self->picture), "camera-picture");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("The document camera's picture"), -1);
  gtk_stack_add_named (GTK_STACK (self->stack), GTK_WIDGET (self->picture), "live");
  self->gone_label = gtk_label_new ("");
  gtk_label_set_wrap (GTK_LABEL (self->gone_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->gone_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (self->gone_label), 20);
  gtk_widget_set_name (self->gone_label, "camera-gone");
  gtk_widget_add_css_class (self->gone_label, "print-problem");
  gtk_stack_add_named (GTK_STACK (self->stack), self->gone_label, "gone");
  gtk_widget_set_parent (self->stack, w);

  /* the column beside it: what is scanned, the status, the buttons, the pages */
  gtk_widget_set_size_request (column, COLUMN_WIDTH, -1);
  gtk_widget_set_hexpand (column, FALSE);
  self->material_label = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (self->material_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->material_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->material_label, "card-title");
  gtk_widget_set_name (self->material_label, "camera-material");
  gtk_box_append (GTK_BOX (column), self->material_label);
  self->status_label = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (self->status_label), 0);
  gtk_label_set_yalign (GTK_LABEL (self->status_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->status_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->status_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (self->status_label), 2);
  gtk_label_set_ellipsize (GTK_LABEL (self->status_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_size_request (self->status_label, COLUMN_WIDTH, STATUS_HEIGHT);
  gtk_widget_set_name (self->status_label, "camera-status");
  gtk_widget_add_css_class (self->status_label, "apply-scanning");
  gtk_box_append (GTK_BOX (column), self->status_label);

  self->count_label = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (self->count_label), 0);
  gtk_widget_set_hexpand (self->count_label, TRUE);
  gtk_widget_set_name (self->count_label, "camera-count");
  gtk_box_append (GTK_BOX (row), self->count_label);
  self->capture_button = big_button (_ ("Take picture"), "camera-capture");
  gtk_widget_add_css_class (self->capture_button, "suggested-action");
  g_signal_connect (self->capture_button, "clicked", G_CALLBACK (capture_clicked_cb), self);
  gtk_box_append (GTK_BOX (row), self->capture_button);
  self->retake_button = big_button (_ ("Retake"), "camera-retake");
  g_signal_connect (self->retake_button, "clicked", G_CALLBACK (retake_clicked_cb), self);
  gtk_box_append (GTK_BOX (row), self->retake_button);
  gtk_box_append (GTK_BOX (column), row);

  /* the pages: a fixed strip, scrolled sideways when they are many */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_widget_set_size_request (scrolled, COLUMN_WIDTH, THUMBS_HEIGHT);
  self->no_pages_label = gtk_label_new (_ ("No page taken yet."));
  gtk_widget_add_css_class (self->no_pages_label, "dim-label");
  gtk_box_append (GTK_BOX (thumbs_box), self->no_pages_label);
  self->thumbs = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 20);
  gtk_box_append (GTK_BOX (thumbs_box), self->thumbs);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), thumbs_box);
  gtk_box_append (GTK_BOX (column), scrolled);
  gtk_widget_set_parent (column, w);
  update_status (self);
}

GtkWidget *
kiosk_camera_view_new (void)
{
  return g_object_new (KIOSK_TYPE_CAMERA_VIEW, NULL);
}
