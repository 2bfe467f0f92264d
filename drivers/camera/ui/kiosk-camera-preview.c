/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-camera"

#include "config.h"

#include <string.h>

#include "kiosk-camera-preview.h"

struct _KioskCameraPreview {
  GObject parent_instance;
  int fps;
  guint tick_id;
  KioskImage *pending; /* newest frame not yet presented */
  GdkTexture *texture; /* what is on screen */
  gboolean have_outline;
  KioskQuad outline;
  guint64 pushed;
  guint64 presented;
};

static void paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KioskCameraPreview, kiosk_camera_preview, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, paintable_iface_init))

static GdkTexture *
texture_from_image (KioskImage *image)
{
  g_autoptr (GBytes) bytes = NULL;
  int stride = image->width * 3;

  if (image->format == KIOSK_PIXEL_RGB24)
    {
      /* Keep the image alive as long as the texture's bytes. */
      bytes = g_bytes_new_with_free_func (image->data, (gsize) image->stride * image->height,
                                          (GDestroyNotify) kiosk_image_unref, kiosk_image_ref (image));
      stride = image->stride;
    }
  else
    {
      /* GTK 4.8 has no grey memory format: expand. */
      guint8 *rgb = g_malloc ((gsize) stride * image->height);
      for (int y = 0; y < image->height; y++)
        {
          const guint8 *s = image->data + (gsize) image->stride * y;
          guint8 *d = rgb + (gsize) stride * y;
          for (int x = 0; x < image->width; x++)
            d[3 * x] = d[3 * x + 1] = d[3 * x + 2] = s[x];
        }
      bytes = g_bytes_new_take (rgb, (gsize) stride * image->height);
    }
  return gdk_memory_texture_new (image->width, image->height, GDK_MEMORY_R8G8B8, bytes, stride);
}

/* The steady cadence: present the newest pending frame, if any. */
static gboolean
tick_cb (gpointer data)
{
  KioskCameraPreview *self = data;
  gboolean size_changed;
  GdkTexture *texture;

  if (self->pending == NULL)
    return G_SOURCE_CONTINUE;
  texture = texture_from_image (self->pending);
  size_changed = self->texture == NULL || gdk_texture_get_width (self->texture) != self->pending->width
                 || gdk_texture_get_height (self->texture) != self->pending->height;
  g_clear_pointer (&self->pending, kiosk_image_unref);
  g_set_object (&self->texture, texture);
  g_object_unref (texture);
  self->presented++;
  if (size_changed)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  return G_SOURCE_CONTINUE;
}

static void
preview_snapshot (GdkPaintable *paintable, GdkSnapshot *snapshot, double width, double height)
{
  KioskCameraPreview *self = KIOSK_CAMERA_PREVIEW (paintable);
  GtkSnapshot *snap = GTK_SNAPSHOT (snapshot);

  if (self->texture == NULL)
    {
      GdkRGBA black = { 0, 0, 0, 1 };
      gtk_snapshot_append_color (snap, &black, &GRAPHENE_RECT_INIT (0, 0, width, height));
      return;
    }
  gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
  if (self->have_outline)
    {
      double sx = width / gdk_texture_get_width (self->texture);
      double sy = height / gdk_texture_get_height (self->texture);
      cairo_t *cr = gtk_snapshot_append_cairo (snap, &GRAPHENE_RECT_INIT (0, 0, width, height));
      cairo_set_source_rgba (cr, 0.1, 0.75, 0.3, 0.9);
      cairo_set_line_width (cr, 4);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (int i = 0; i < 4; i++)
        cairo_line_to (cr, self->outline.p[i].x * sx, self->outline.p[i].y * sy);
      cairo_close_path (cr);
      cairo_stroke (cr);
      cairo_destroy (cr);
    }
}

static int
preview_get_intrinsic_width (GdkPaintable *paintable)
{
  KioskCameraPreview *self = KIOSK_CAMERA_PREVIEW (paintable);
  return self->texture ? gdk_texture_get_width (self->texture) : 0;
}

static int
preview_get_intrinsic_height (GdkPaintable *paintable)
{
  KioskCameraPreview *self = KIOSK_CAMERA_PREVIEW (paintable);
  return self->texture ? gdk_texture_get_height (self->texture) : 0;
}

static double
preview_get_intrinsic_aspect_ratio (GdkPaintable *paintable)
{
  KioskCameraPreview *self = KIOSK_CAMERA_PREVIEW (paintable);
  if (self->texture == NULL)
    return 4.0 / 3.0;
  return (double) gdk_texture_get_width (self->texture) / gdk_texture_get_height (self->texture);
}

static void
paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = preview_snapshot;
  iface->get_intrinsic_width = preview_get_intrinsic_width;
  iface->get_intrinsic_height = preview_get_intrinsic_height;
  iface->get_intrinsic_aspect_ratio = preview_get_intrinsic_aspect_ratio;
}

static void
kiosk_camera_preview_dispose (GObject *object)
{
  KioskCameraPreview *self = KIOSK_CAMERA_PREVIEW (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->pending, kiosk_image_unref);
  g_clear_object (&self->texture);
  G_OBJECT_CLASS (kiosk_camera_preview_parent_class)->dispose (object);
}

static void
kiosk_camera_preview_class_init (KioskCameraPreviewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kiosk_camera_preview_dispose;
}

static void
kiosk_camera_preview_init (KioskCameraPreview *self)
{
}

KioskCameraPreview *
kiosk_camera_preview_new (int fps)
{
  KioskCameraPreview *self = g_object_new (KIOSK_TYPE_CAMERA_PREVIEW, NULL);

  self->fps = CLAMP (fps, 1, 60);
  self->tick_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 1000 / self->fps, tick_cb, self, NULL);
  return self;
}

void
kiosk_camera_preview_push_frame (KioskCameraPreview *self, KioskImage *frame)
{
  g_return_if_fail (KIOSK_IS_CAMERA_PREVIEW (self));
  g_return_if_fail (frame != NULL);
  self->pushed++;
  g_clear_pointer (&self->pending, kiosk_image_unref);
  self->pending = kiosk_image_ref (frame);
}

void
kiosk_camera_preview_set_outline (KioskCameraPreview *self, const KioskQuad *quad)
{
  g_return_if_fail (KIOSK_IS_CAMERA_PREVIEW (self));
  self->have_outline = quad != NULL;
  if (quad)
    self->outline = *quad;
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

void
kiosk_camera_preview_clear (KioskCameraPreview *self)
{
  g_return_if_fail (KIOSK_IS_CAMERA_PREVIEW (self));
  g_clear_pointer (&self->pending, kiosk_image_unref);
  g_clear_object (&self->texture);
  self->have_outline = FALSE;
  gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

int
kiosk_camera_preview_get_fps (KioskCameraPreview *self)
{
  return self->fps;
}

guint64
kiosk_camera_preview_get_pushed (KioskCameraPreview *self)
{
  return self->pushed;
}

guint64
kiosk_camera_preview_get_presented (KioskCameraPreview *self)
{
  return self->presented;
}
