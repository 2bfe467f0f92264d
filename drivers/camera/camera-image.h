/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Errors of the camera module (capture, files, page pipeline). */
#define KIOSK_CAMERA_ERROR (kiosk_camera_error_quark ())
GQuark kiosk_camera_error_quark (void);

typedef enum {
  KIOSK_CAMERA_ERROR_UNREADABLE, /* a file that is not a readable JPEG/PNG */
  KIOSK_CAMERA_ERROR_NO_CAMERA,  /* no camera, or the configured one is gone */
  KIOSK_CAMERA_ERROR_BUSY,       /* another process holds the camera */
  KIOSK_CAMERA_ERROR_CONFIG,     /* the camera refused every configuration */
  KIOSK_CAMERA_ERROR_NO_PAGE,    /* no document found in the frame */
  KIOSK_CAMERA_ERROR_FAILED,     /* anything else (encoder, I/O) */
  KIOSK_CAMERA_ERROR_TOO_LARGE,  /* an image file larger than any camera frame */
} KioskCameraError;

/* The largest image the kiosk decodes: above the largest frame of the
 * document cameras it supports (32 MP sensors, 6528x4896). A file whose
 * header says more is refused before any pixel is decoded (a 4 KB JPEG can
 * claim 30000x30000: 2.7 GB and 19 s). */
#define KIOSK_IMAGE_MAX_SIDE 8192
#define KIOSK_IMAGE_MAX_PIXELS (40 * 1000 * 1000)

/* Pixel formats; the value is the number of bytes per pixel. RGB24 is
 * R, G, B in memory (the same layout zint's bitmaps use). */
typedef enum {
  KIOSK_PIXEL_GREY8 = 1,
  KIOSK_PIXEL_RGB24 = 3,
} KioskPixelFormat;

/* A reference-counted 8-bit image. Immutable once shared. */
typedef struct {
  int width;
  int height;
  int stride; /* bytes per row */
  KioskPixelFormat format;
  guint8 *data;
} KioskImage;

#define KIOSK_TYPE_IMAGE (kiosk_image_get_type ())
GType kiosk_image_get_type (void);

/* Zero-filled image; width and height must be positive. */
KioskImage *kiosk_image_new (int width, int height, KioskPixelFormat format);
KioskImage *kiosk_image_ref (KioskImage *image);
void kiosk_image_unref (KioskImage *image);
KioskImage *kiosk_image_copy (const KioskImage *image);

/* Decodes a JPEG or PNG (detected from the content, not the name). Grey
 * files give GREY8, everything else RGB24. Images beyond
 * KIOSK_IMAGE_MAX_SIDE / KIOSK_IMAGE_MAX_PIXELS fail with TOO_LARGE before
 * decoding; other unusable files with UNREADABLE. */
KioskImage *kiosk_image_load (const char *path, GError **error);
KioskImage *kiosk_image_load_from_data (const guint8 *data, gsize size, GError **error);

/* Encodes with libjpeg-turbo; @dpi (0: none) goes into the JFIF header. */
GBytes *kiosk_image_encode_jpeg (const KioskImage *image, int quality, int dpi, GError **error);
gboolean kiosk_image_save_jpeg (const KioskImage *image, const char *path, int quality, int dpi, GError **error);
gboolean kiosk_image_save_png (const KioskImage *image, const char *path, GError **error);

/* A new GREY8 image (a new reference when @image is already grey). */
KioskImage *kiosk_image_to_grey (KioskImage *image);
/* Area-averaged reduction so that the longer side is at most @max_side
 * (a new reference when it already fits). Keeps the pixel format. */
KioskImage *kiosk_image_scale_down (KioskImage *image, int max_side);
/* Same, to an exact size (each side no larger than the source's). */
KioskImage *kiosk_image_resize_area (const KioskImage *image, int width, int height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskImage, kiosk_image_unref)

G_END_DECLS
