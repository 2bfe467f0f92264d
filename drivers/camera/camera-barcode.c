/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-camera"

#include "config.h"

#include "camera-barcode.h"
#include "camera-zxing.h"

void
kiosk_barcode_free (KioskBarcode *barcode)
{
  if (barcode == NULL)
    return;
  g_free (barcode->format);
  g_free (barcode->text);
  g_free (barcode);
}

/* One ZXing pass; appends what it finds (scaled back by @scale) to @out
 * unless the same text was already found. Returns FALSE on a decoder error. */
static gboolean
decode_pass (KioskImage *grey, unsigned formats, gboolean try_harder, double scale, GPtrArray *out, GError **error)
{
  KioskZxResult *results = NULL;
  char *message = NULL;
  int n = kiosk_zx_decode (grey->data, grey->width, grey->height, grey->stride, 1, formats, try_harder, &results,
                           &message);

  if (n < 0)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "barcode decoder: %s", message);
      free (message);
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    {
      KioskBarcode *b;
      gboolean seen = FALSE;

      for (guint k = 0; k < out->len && !seen; k++)
        {
          KioskBarcode *o = g_ptr_array_index (out, k);
          seen = g_str_equal (o->format, results[i].format) && g_str_equal (o->text, results[i].text);
        }
      if (seen)
        continue;
      b = g_new0 (KioskBarcode, 1);
      b->format = g_strdup (results[i].format);
      b->text = g_strdup (results[i].text);
      for (int k = 0; k < 8; k++)
        b->corners[k] = results[i].corners[k] * scale;
      g_ptr_array_add (out, b);
    }
  kiosk_zx_results_free (results, n);
  return TRUE;
}

/* Stretches the grey levels between the 1st and 99th percentiles: a faded
 * print or a dim frame gets the full range back. */
static KioskImage *
stretch_contrast (KioskImage *grey)
{
  guint64 hist[256] = { 0 };
  guint64 total = (guint64) grey->width * grey->height, acc = 0;
  int lo = 0, hi = 255;
  guint8 lut[256];
  KioskImage *out;

  for (int y = 0; y < grey->height; y++)
    {
      const guint8 *s = grey->data + (gsize) grey->stride * y;
      for (int x = 0; x < grey->width; x++)
        hist[s[x]]++;
    }
  for (lo = 0; lo < 255 && (acc += hist[lo]) < total / 100; lo++)
    ;
  acc = 0;
  for (hi = 255; hi > 0 && (acc += hist[hi]) < total / 100; hi--)
    ;
  if (hi - lo < 8 || (lo < 16 && hi > 239))
    return NULL; /* flat, or already full range */
  for (int i = 0; i < 256; i++)
    lut[i] = (guint8) CLAMP ((i - lo) * 255 / (hi - lo), 0, 255);
  out = kiosk_image_new (grey->width, grey->height, KIOSK_PIXEL_GREY8);
  for (int y = 0; y < grey->height; y++)
    {
      const guint8 *s = grey->data + (gsize) grey->stride * y;
      guint8 *d = out->data + (gsize) out->stride * y;
      for (int x = 0; x < grey->width; x++)
        d[x] = lut[s[x]];
    }
  return out;
}

GPtrArray *
kiosk_barcode_decode (KioskImage *image, KioskBarcodeFormats formats, KioskBarcodeEffort effort, GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_barcode_free);
  g_autoptr (KioskImage) grey = NULL;
  unsigned zx = 0;

  g_return_val_if_fail (image != NULL, NULL);
  if (formats & KIOSK_BARCODE_QR_CODE)
    zx |= KIOSK_ZX_QR_CODE;
  if (formats & KIOSK_BARCODE_DATA_MATRIX)
    zx |= KIOSK_ZX_DATA_MATRIX;
  if (formats & KIOSK_BARCODE_PDF417)
    zx |= KIOSK_ZX_PDF417;
  if (formats & KIOSK_BARCODE_CODE128)
    zx |= KIOSK_ZX_CODE128;

  grey = kiosk_image_to_grey (image);
  if (!decode_pass (grey, zx, effort == KIOSK_BARCODE_THOROUGH, 1.0, out, error))
    return NULL;
  if (out->len > 0 || effort == KIOSK_BARCODE_FAST)
    return g_steal_pointer (&out);

  /* Nothing yet: a faded or dim picture, then a reduced copy (blur and
   * noise average out, the module size drops back into ZXing's range). */
  {
    g_autoptr (KioskImage) stretched = stretch_contrast (grey);
    if (stretched && !decode_pass (stretched, zx, TRUE, 1.0, out, error))
      return NULL;
  }
  /* Both sides halved: a strip (400x1) has nothing to halve. */
  if (out->len == 0 && MAX (grey->width, grey->height) >= 400 && MIN (grey->width, grey->height) >= 2)
    {
      g_autoptr (KioskImage) half = kiosk_image_resize_area (grey, grey->width / 2, grey->height / 2);
      double scale = (double) grey->width / half->width;
      if (!decode_pass (half, zx, TRUE, scale, out, error))
        return NULL;
    }
  return g_steal_pointer (&out);
}
