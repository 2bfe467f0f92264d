/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-camera"

#include "config.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>
#include <glib/gstdio.h>
#include <png.h>

#include "camera-image.h"

G_DEFINE_QUARK (kiosk - camera - error - quark, kiosk_camera_error)
G_DEFINE_BOXED_TYPE (KioskImage, kiosk_image, kiosk_image_ref, kiosk_image_unref)

/* The pixels follow the header in the same allocation. */
KioskImage *
kiosk_image_new (int width, int height, KioskPixelFormat format)
{
  KioskImage *image;
  gsize stride;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (format == KIOSK_PIXEL_GREY8 || format == KIOSK_PIXEL_RGB24, NULL);
  stride = ((gsize) width * format + 3) & ~(gsize) 3;
  image = g_atomic_rc_box_alloc0 (sizeof (KioskImage) + 16 + stride * (gsize) height);
  image->width = width;
  image->height = height;
  image->stride = (int) stride;
  image->format = format;
  image->data = (guint8 *) image + ((sizeof (KioskImage) + 15) & ~(gsize) 15);
  return image;
}

KioskImage *
kiosk_image_ref (KioskImage *image)
{
  return g_atomic_rc_box_acquire (image);
}

void
kiosk_image_unref (KioskImage *image)
{
  if (image)
    g_atomic_rc_box_release (image);
}

KioskImage *
kiosk_image_copy (const KioskImage *image)
{
  KioskImage *copy = kiosk_image_new (image->width, image->height, image->format);
  memcpy (copy->data, image->data, (gsize) image->stride * image->height);
  return copy;
}

/* ---- size limit -------------------------------------------------------------- */

static gboolean
check_size (const char *what, guint64 width, guint64 height, GError **error)
{
  if (width == 0 || height == 0)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_UNREADABLE,
                   "%s size unusable: %" G_GUINT64_FORMAT "x%" G_GUINT64_FORMAT, what, width, height);
      return FALSE;
    }
  if (width > KIOSK_IMAGE_MAX_SIDE || height > KIOSK_IMAGE_MAX_SIDE || width * height > KIOSK_IMAGE_MAX_PIXELS)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_TOO_LARGE,
                   "%s too large: %" G_GUINT64_FORMAT "x%" G_GUINT64_FORMAT
                   " pixels (at most %d a side and %d megapixels, the camera's largest frame)",
                   what, width, height, KIOSK_IMAGE_MAX_SIDE, KIOSK_IMAGE_MAX_PIXELS / 1000000);
      return FALSE;
    }
  return TRUE;
}

/* ---- JPEG ---------------------------------------------------------------- */

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
} JpegError;

/* A progressive JPEG can hold thousands of tiny scans, each a pass over the
 * whole image: a few KB that take minutes. Real files have about ten. */
#define JPEG_MAX_SCANS 100

static void
jpeg_progress_cb (j_common_ptr cinfo)
{
  j_decompress_ptr d = (j_decompress_ptr) cinfo;
  if (cinfo->is_decompressor && d->progressive_mode && d->input_scan_number > JPEG_MAX_SCANS)
    {
      JpegError *err = (JpegError *) cinfo->err;
      g_snprintf (err->message, sizeof err->message, "more than %d progressive scans", JPEG_MAX_SCANS);
      longjmp (err->jump, 1);
    }
}

static void
jpeg_error_exit_cb (j_common_ptr cinfo)
{
  JpegError *err = (JpegError *) cinfo->err;
  err->pub.format_message (cinfo, err->message);
  longjmp (err->jump, 1);
}

static void
jpeg_silence_cb (j_common_ptr cinfo, int level)
{
  /* Corrupt-data warnings: the decoder carries on; nothing to print. */
}

static KioskImage *
load_jpeg (const guint8 *data, gsize size, GError **error)
{
  struct jpeg_decompress_struct cinfo;
  struct jpeg_progress_mgr progress = { .progress_monitor = jpeg_progress_cb };
  JpegError err;
  KioskImage *volatile image = NULL;

  cinfo.err = jpeg_std_error (&err.pub);
  err.pub.error_exit = jpeg_error_exit_cb;
  err.pub.emit_message = jpeg_silence_cb;
  if (setjmp (err.jump))
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_UNREADABLE, "corrupt JPEG: %s", err.message);
      jpeg_destroy_decompress (&cinfo);
      kiosk_image_unref (image);
      return NULL;
    }
  jpeg_create_decompress (&cinfo);
  cinfo.progress = &progress;
  /* libjpeg's own working memory (a progressive file's coefficients): what
   * the largest accepted frame needs, not what a header claims. */
  cinfo.mem->max_memory_to_use = 512L * 1024 * 1024;
  jpeg_mem_src (&cinfo, data, size);
  jpeg_read_header (&cinfo, TRUE);
  /* Before anything is allocated for the pixels. */
  if (!check_size ("JPEG", cinfo.image_width, cinfo.image_height, error))
    {
      jpeg_destroy_decompress (&cinfo);
      return NULL;
    }
  cinfo.out_color_space = cinfo.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_start_decompress (&cinfo);
  image = kiosk_image_new (cinfo.output_width, cinfo.output_height,
                           cinfo.output_components == 1 ? KIOSK_PIXEL_GREY8 : KIOSK_PIXEL_RGB24);
  while (cinfo.output_scanline < cinfo.output_height)
    {
      JSAMPROW rows[8];
      int n = 0;
      for (; n < 8 && cinfo.output_scanline + n < cinfo.output_height; n++)
        rows[n] = image->data + (gsize) image->stride * (cinfo.output_scanline + n);
      jpeg_read_scanlines (&cinfo, rows, n);
    }
  jpeg_finish_decompress (&cinfo);
  jpeg_destroy_decompress (&cinfo);
  return image;
}

GBytes *
kiosk_image_encode_jpeg (const KioskImage *image, int quality, int dpi, GError **error)
{
  struct jpeg_compress_struct cinfo;
  JpegError err;
  unsigned char *volatile out = NULL;
  unsigned long out_size = 0;

  cinfo.err = jpeg_std_error (&err.pub);
  err.pub.error_exit = jpeg_error_exit_cb;
  if (setjmp (err.jump))
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "JPEG encoder: %s", err.message);
      jpeg_destroy_compress (&cinfo);
      free (out);
      return NULL;
    }
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, (unsigned char **) &out, &out_size);
  cinfo.image_width = image->width;
  cinfo.image_height = image->height;
  cinfo.input_components = image->format;
  cinfo.in_color_space = image->format == KIOSK_PIXEL_GREY8 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, CLAMP (quality, 1, 100), TRUE);
  cinfo.dct_method = JDCT_ISLOW;
  if (dpi > 0)
    {
      cinfo.write_JFIF_header = TRUE;
      cinfo.density_unit = 1; /* dots per inch */
      cinfo.X_density = dpi;
      cinfo.Y_density = dpi;
    }
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW rows[16];
      int n = 0;
      for (; n < 16 && cinfo.next_scanline + n < cinfo.image_height; n++)
        rows[n] = image->data + (gsize) image->stride * (cinfo.next_scanline + n);
      jpeg_write_scanlines (&cinfo, rows, n);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  /* jpeg_mem_dest allocates with malloc: hand the block to GBytes as is. */
  return g_bytes_new_with_free_func (out, out_size, free, out);
}

gboolean
kiosk_image_save_jpeg (const KioskImage *image, const char *path, int quality, int dpi, GError **error)
{
  g_autoptr (GBytes) bytes = kiosk_image_encode_jpeg (image, quality, dpi, error);
  if (bytes == NULL)
    return FALSE;
  return g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), error);
}

/* ---- PNG (libpng's simplified API) ----------------------------------------- */

static KioskImage *
load_png (const guint8 *data, gsize size, GError **error)
{
  png_image png;
  KioskImage *image;

  memset (&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory (&png, data, size))
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_UNREADABLE, "corrupt PNG: %s", png.message);
      return NULL;
    }
  /* Only the header has been read: refuse before inflating anything. */
  if (!check_size ("PNG", png.width, png.height, error))
    {
      png_image_free (&png);
      return NULL;
    }
  /* Transparent pixels are composited on white, like paper. */
  png.format = (png.format & PNG_FORMAT_FLAG_COLOR) ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  image = kiosk_image_new (png.width, png.height,
                           (png.format & PNG_FORMAT_FLAG_COLOR) ? KIOSK_PIXEL_RGB24 : KIOSK_PIXEL_GREY8);
  {
    png_color white = { 255, 255, 255 };
    if (!png_image_finish_read (&png, &white, image->data, image->stride, NULL))
      {
        g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_UNREADABLE, "corrupt PNG: %s", png.message);
        png_image_free (&png);
        kiosk_image_unref (image);
        return NULL;
      }
  }
  return image;
}

gboolean
kiosk_image_save_png (const KioskImage *image, const char *path, GError **error)
{
  png_image png;

  memset (&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  png.width = image->width;
  png.height = image->height;
  png.format = image->format == KIOSK_PIXEL_GREY8 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  if (!png_image_write_to_file (&png, path, FALSE, image->data, image->stride, NULL))
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "cannot write PNG %s: %s", path, png.message);
      png_image_free (&png);
      return FALSE;
    }
  return TRUE;
}

KioskImage *
kiosk_image_load_from_data (const guint8 *data, gsize size, GError **error)
{
  static const guint8 png_magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return load_jpeg (data, size, error);
  if (size >= 8 && memcmp (data, png_magic, 8) == 0)
    return load_png (data, size, error);
  g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_UNREADABLE,
               "not a JPEG or PNG image (%" G_GSIZE_FORMAT " bytes)", size);
  return NULL;
}

#define MAX_FILE_SIZE ((goffset) KIOSK_IMAGE_MAX_PIXELS * 3 + 1024 * 1024)

KioskImage *
kiosk_image_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize size = 0;
  g_autoptr (GError) local = NULL;
  KioskImage *image;
  GStatBuf st;

  /* A compressed image is never larger than its pixels: refuse a file that
   * could only hold an image beyond the limit before reading it. */
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > MAX_FILE_SIZE)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_TOO_LARGE,
                   "%s: file too large for an image of the camera (%" G_GINT64_FORMAT " MB)", path,
                   (gint64) st.st_size / (1024 * 1024));
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &size, &local))
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_UNREADABLE, "%s", local->message);
      return NULL;
    }
  image = kiosk_image_load_from_data ((const guint8 *) data, size, &local);
  if (image == NULL)
    g_set_error (error, KIOSK_CAMERA_ERROR, local->code, "%s: %s", path, local->message);
  return image;
}

/* ---- conversions ------------------------------------------------------------ */

KioskImage *
kiosk_image_to_grey (KioskImage *image)
{
  KioskImage *grey;

  if (image->format == KIOSK_PIXEL_GREY8)
    return kiosk_image_ref (image);
  grey = kiosk_image_new (image->width, image->height, KIOSK_PIXEL_GREY8);
  for (int y = 0; y < image->height; y++)
    {
      const guint8 *s = image->data + (gsize) image->stride * y;
      guint8 *d = grey->data + (gsize) grey->stride * y;
      for (int x = 0; x < image->width; x++, s += 3)
        d[x] = (guint8) ((77 * s[0] + 150 * s[1] + 29 * s[2] + 128) >> 8);
    }
  return grey;
}

/* Area averaging with fixed-point weights: each destination pixel is the
 * mean of the source rectangle it covers (edges weighted by coverage). */
KioskImage *
kiosk_image_resize_area (const KioskImage *image, int width, int height)
{
  const int bpp = image->format;
  KioskImage *out;
  /* Per destination column: its first source column. */
  g_autofree int *x0 = g_new (int, width + 1);
  g_autofree guint32 *acc = g_new0 (guint32, (gsize) width * bpp);
  double sx = (double) image->width / width, sy = (double) image->height / height;

  g_return_val_if_fail (width > 0 && height > 0 && width <= image->width && height <= image->height, NULL);
  out = kiosk_image_new (width, height, image->format);
  for (int x = 0; x <= width; x++)
    x0[x] = (int) (x * sx + 0.5);

  for (int y = 0; y < height; y++)
    {
      int ya = (int) (y * sy + 0.5), yb = (int) ((y + 1) * sy + 0.5);
      guint32 n;
      if (yb <= ya)
        yb = ya + 1;
      if (yb > image->height)
        yb = image->height;
      memset (acc, 0, sizeof (guint32) * width * bpp);
      for (int sy_ = ya; sy_ < yb; sy_++)
        {
          const guint8 *s = image->data + (gsize) image->stride * sy_;
          for (int x = 0; x < width; x++)
            {
              int xa = x0[x], xb = MAX (x0[x + 1], xa + 1);
              for (int c = 0; c < bpp; c++)
                {
                  guint32 sum = 0;
                  for (int i = xa; i < xb && i < image->width; i++)
                    sum += s[i * bpp + c];
                  acc[x * bpp + c] += sum;
                }
            }
        }
      {
        guint8 *d = out->data + (gsize) out->stride * y;
        for (int x = 0; x < width; x++)
          {
            int xa = x0[x], xb = MIN (MAX (x0[x + 1], xa + 1), image->width);
            n = (guint32) ((xb - xa) * (yb - ya));
            for (int c = 0; c < bpp; c++)
              d[x * bpp + c] = (guint8) ((acc[x * bpp + c] + n / 2) / n);
          }
      }
    }
  return out;
}

KioskImage *
kiosk_image_scale_down (KioskImage *image, int max_side)
{
  int longest = MAX (image->width, image->height);
  double f;

  if (longest <= max_side)
    return kiosk_image_ref (image);
  f = (double) max_side / longest;
  return kiosk_image_resize_area (image, MAX (1, (int) (image->width * f + 0.5)),
                                  MAX (1, (int) (image->height * f + 0.5)));
}
