/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-camera-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include <zint.h>

#include "camera-testgen.h"

KioskImage *
testgen_symbol (const char *format, const char *text, int scale)
{
  struct zint_symbol *sym = ZBarcode_Create ();
  KioskImage *img;
  int rc;

  if (g_str_equal (format, "QRCode"))
    sym->symbology = BARCODE_QRCODE;
  else if (g_str_equal (format, "DataMatrix"))
    sym->symbology = BARCODE_DATAMATRIX;
  else if (g_str_equal (format, "PDF417"))
    sym->symbology = BARCODE_PDF417;
  else if (g_str_equal (format, "Code128"))
    sym->symbology = BARCODE_CODE128;
  else
    g_error ("unknown format %s", format);
  sym->input_mode = UNICODE_MODE;
  sym->output_options |= BARCODE_QUIET_ZONES;
  sym->show_hrt = 0;
  sym->scale = scale / 2.0f; /* zint's bitmap: 2 pixels per module at scale 1 */
  if (sym->symbology == BARCODE_CODE128 || sym->symbology == BARCODE_PDF417)
    sym->height = sym->symbology == BARCODE_CODE128 ? 30 : 0;
  rc = ZBarcode_Encode_and_Buffer (sym, (const unsigned char *) text, (int) strlen (text), 0);
  if (rc >= ZINT_ERROR)
    g_error ("zint: %s", sym->errtxt);
  img = kiosk_image_new (sym->bitmap_width, sym->bitmap_height, KIOSK_PIXEL_RGB24);
  for (int y = 0; y < sym->bitmap_height; y++)
    memcpy (img->data + (gsize) img->stride * y, sym->bitmap + (gsize) y * sym->bitmap_width * 3,
            (gsize) sym->bitmap_width * 3);
  ZBarcode_Delete (sym);
  return img;
}

/* ---- geometry ------------------------------------------------------------- */

/* Homography mapping src[i] to dst[i] (4 points each): m such that
 * dst ~ m * [src 1]. */
static void
solve_homography (const KioskPoint src[4], const KioskPoint dst[4], double m[9])
{
  double a[8][9];
  for (int i = 0; i < 4; i++)
    {
      double u = src[i].x, v = src[i].y, x = dst[i].x, y = dst[i].y;
      double r1[9] = { u, v, 1, 0, 0, 0, -u * x, -v * x, x };
      double r2[9] = { 0, 0, 0, u, v, 1, -u * y, -v * y, y };
      memcpy (a[2 * i], r1, sizeof r1);
      memcpy (a[2 * i + 1], r2, sizeof r2);
    }
  for (int c = 0; c < 8; c++)
    {
      int piv = c;
      for (int r = c + 1; r < 8; r++)
        if (fabs (a[r][c]) > fabs (a[piv][c]))
          piv = r;
      for (int k = 0; k < 9; k++)
        {
          double t = a[c][k];
          a[c][k] = a[piv][k];
          a[piv][k] = t;
        }
      for (int r = 0; r < 8; r++)
        if (r != c)
          {
            double f = a[r][c] / a[c][c];
            for (int k = c; k < 9; k++)
              a[r][k] -= f * a[c][k];
          }
    }
  for (int i = 0; i < 8; i++)
    m[i] = a[i][8] / a[i][i];
  m[8] = 1;
}

static gboolean
sample (KioskImage *img, double x, double y, double out[3])
{
  int x0, y0;
  double fx, fy;

  if (x < 0 || y < 0 || x >= img->width || y >= img->height)
    return FALSE;
  x -= 0.5;
  y -= 0.5;
  x = CLAMP (x, 0, img->width - 1);
  y = CLAMP (y, 0, img->height - 1);
  x0 = MIN ((int) x, img->width - 2 < 0 ? 0 : img->width - 2);
  y0 = MIN ((int) y, img->height - 2 < 0 ? 0 : img->height - 2);
  fx = x - x0;
  fy = y - y0;
  for (int c = 0; c < 3; c++)
    {
      int cc = img->format == KIOSK_PIXEL_GREY8 ? 0 : c;
      const guint8 *p = img->data + (gsize) img->stride * y0 + (gsize) x0 * img->format + cc;
      int dx = img->width > 1 ? img->format : 0, dy = img->height > 1 ? img->stride : 0;
      out[c] = (p[0] * (1 - fx) + p[dx] * fx) * (1 - fy) + (p[dy] * (1 - fx) + p[dy + dx] * fx) * fy;
    }
  return TRUE;
}

/* Composites @src onto @dst (RGB) at the quad @at, 4 samples per pixel so
 * that edges are anti-aliased like a real photo's. */
void
testgen_composite (KioskImage *dst, KioskImage *src, const KioskQuad *at)
{
  const KioskPoint rect[4] = { { 0, 0 }, { src->width, 0 }, { src->width, src->height }, { 0, src->height } };
  double m[9];
  double minx = dst->width, miny = dst->height, maxx = 0, maxy = 0;
  static const double sub[4][2] = { { 0.25, 0.25 }, { 0.75, 0.25 }, { 0.25, 0.75 }, { 0.75, 0.75 } };

  /* Photo -> source mapping. */
  solve_homography (at->p, rect, m);
  for (int i = 0; i < 4; i++)
    {
      minx = MIN (minx, at->p[i].x);
      maxx = MAX (maxx, at->p[i].x);
      miny = MIN (miny, at->p[i].y);
      maxy = MAX (maxy, at->p[i].y);
    }
  for (int y = MAX (0, (int) miny - 1); y < MIN (dst->height, (int) maxy + 2); y++)
    for (int x = MAX (0, (int) minx - 1); x < MIN (dst->width, (int) maxx + 2); x++)
      {
        double acc[3] = { 0, 0, 0 };
        int hits = 0;
        guint8 *d = dst->data + (gsize) dst->stride * y + (gsize) x * 3;
        for (int s = 0; s < 4; s++)
          {
            double px = x + sub[s][0], py = y + sub[s][1];
            double z = m[6] * px + m[7] * py + m[8];
            double u = (m[0] * px + m[1] * py + m[2]) / z, v = (m[3] * px + m[4] * py + m[5]) / z;
            double rgb[3];
            if (sample (src, u, v, rgb))
              {
                for (int c = 0; c < 3; c++)
                  acc[c] += rgb[c];
                hits++;
              }
            else
              for (int c = 0; c < 3; c++)
                acc[c] += d[c];
          }
        if (hits)
          for (int c = 0; c < 3; c++)
            d[c] = (guint8) CLAMP (acc[c] / 4 + 0.5, 0, 255);
      }
}

static double
gauss (GRand *rand)
{
  double u1 = g_rand_double_range (rand, 1e-12, 1.0), u2 = g_rand_double (rand);
  return sqrt (-2 * log (u1)) * cos (2 * G_PI * u2);
}

static void
box_blur (KioskImage *img, int r)
{
  /* Running sums over the clamped window: the same sums and counts as
   * adding the window up at every pixel, in O(1) per pixel. */
  const int bpp = img->format;
  g_autofree int *line = g_new0 (int, (gsize) MAX (img->width, img->height) * bpp);

  g_assert (r >= 0);

  for (int y = 0; y < img->height; y++)
    {
      guint8 *p = img->data + (gsize) img->stride * y;
      for (int i = 0; i < img->width * bpp; i++)
        line[i] = p[i];
      for (int c = 0; c < bpp; c++)
        {
          int sum = 0, lo = 0, hi = -1;
          for (int x = 0; x < img->width; x++)
            {
              while (hi < MIN (img->width - 1, x + r))
                sum += line[++hi * bpp + c];
              while (lo < MAX (0, x - r))
                sum -= line[lo++ * bpp + c];
              p[x * bpp + c] = (guint8) (sum / MAX (hi - lo + 1, 1));
            }
        }
    }
  for (int x = 0; x < img->width; x++)
    {
      for (int y = 0; y < img->height; y++)
        for (int c = 0; c < bpp; c++)
          line[y * bpp + c] = img->data[(gsize) img->stride * y + x * bpp + c];
      for (int c = 0; c < bpp; c++)
        {
          int sum = 0, lo = 0, hi = -1;
          for (int y = 0; y < img->height; y++)
            {
              while (hi < MIN (img->height - 1, y + r))
                sum += line[++hi * bpp + c];
              while (lo < MAX (0, y - r))
                sum -= line[lo++ * bpp + c];
              img->data[(gsize) img->stride * y + x * bpp + c] = (guint8) (sum / MAX (hi - lo + 1, 1));
            }
        }
    }
}

KioskImage *
testgen_degrade (KioskImage *image, const TestgenDegrade *d, GRand *rand)
{
  KioskImage *img = kiosk_image_ref (image);

  if (d->blur_px > 0)
    {
      /* Three box passes approximate a Gaussian of that sigma. */
      int w = (int) (sqrt (4 * d->blur_px * d->blur_px + 1) + 0.5);
      int r = MAX (1, (w - 1) / 2);
      for (int i = 0; i < 3; i++)
        box_blur (img, r);
    }
  if (d->contrast > 0 && d->contrast < 1)
    for (int y = 0; y < img->height; y++)
      {
        guint8 *p = img->data + (gsize) img->stride * y;
        for (int i = 0; i < img->width * (int) img->format; i++)
          p[i] = (guint8) CLAMP (150 + (p[i] - 128) * d->contrast, 0, 255);
      }
  if (d->noise > 0)
    for (int y = 0; y < img->height; y++)
      {
        guint8 *p = img->data + (gsize) img->stride * y;
        for (int x = 0; x < img->width; x++)
          {
            double n = gauss (rand) * d->noise;
            for (int c = 0; c < (int) img->format; c++)
              p[x * img->format + c] = (guint8) CLAMP (p[x * img->format + c] + n, 0, 255);
          }
      }
  if (d->jpeg_quality > 0)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) jpeg = kiosk_image_encode_jpeg (img, d->jpeg_quality, 0, &error);
      KioskImage *decoded;
      g_assert_no_error (error);
      decoded = kiosk_image_load_from_data (g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), &error);
      g_assert_no_error (error);
      kiosk_image_unref (img);
      img = decoded;
    }
  return img;
}

KioskImage *
testgen_symbol_photo (KioskImage *symbol, int width, int height, double coverage, const TestgenDegrade *d, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  KioskImage *photo = kiosk_image_new (width, height, KIOSK_PIXEL_RGB24);
  double side = coverage * MIN (width, height);
  double aspect = (double) symbol->height / symbol->width;
  double hw = side / 2, hh = side * aspect / 2;
  double a = d->rotate_deg * G_PI / 180, ca = cos (a), sa = sin (a);
  double local[4][2] = { { -hw, -hh }, { hw, -hh }, { hw, hh }, { -hw, hh } };
  KioskQuad q;

  if (hh * 2 > 0.9 * height)
    {
      /* Tall symbols: fit the height instead. */
      double f = 0.9 * height / (hh * 2);
      for (int i = 0; i < 4; i++)
        local[i][0] *= f, local[i][1] *= f;
    }
  /* Paper with a gentle light gradient. */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = photo->data + (gsize) photo->stride * y + (gsize) x * 3;
        double v = 205 + 30.0 * x / width - 15.0 * y / height;
        p[0] = (guint8) v;
        p[1] = (guint8) v;
        p[2] = (guint8) (v - 8);
      }
  for (int i = 0; i < 4; i++)
    {
      double lx = local[i][0], ly = local[i][1];
      /* The right side is farther away: shorter. */
      if (lx > 0)
        ly *= 1 - d->perspective;
      q.p[i].x = width / 2.0 + lx * ca - ly * sa;
      q.p[i].y = height / 2.0 + lx * sa + ly * ca;
    }
  testgen_composite (photo, symbol, &q);
  {
    KioskImage *out = testgen_degrade (photo, d, rand);
    kiosk_image_unref (photo);
    return out;
  }
}

KioskImage *
testgen_text_page (int page_w, int page_h, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  KioskImage *page = kiosk_image_new (page_w, page_h, KIOSK_PIXEL_RGB24);
  int margin = page_w / 10, line_h = MAX (6, page_h / 45);

  memset (page->data, 246, (gsize) page->stride * page_h);
  /* A title, then lines of word-like blocks. */
  for (int y = margin; y + line_h < page_h - margin; y += line_h * 2)
    {
      int x = margin;
      int glyph_h = y == margin ? line_h * 3 / 2 : line_h;
      while (x < page_w - margin)
        {
          int word = g_rand_int_range (rand, line_h * 2, line_h * 7);
          if (x + word > page_w - margin)
            break;
          for (int yy = y; yy < MIN (page_h, y + glyph_h); yy++)
            for (int xx = x; xx < x + word; xx++)
              {
                /* Glyph-like vertical strokes. */
                if (((xx - x) / MAX (1, line_h / 4)) % 3 == 2)
                  continue;
                memset (page->data + (gsize) page->stride * yy + (gsize) xx * 3, 30, 3);
              }
          x += word + line_h;
        }
    }
  return page;
}

KioskImage *
testgen_page_photo (KioskImage *page, int width, int height, const KioskQuad *corners, double noise, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  KioskImage *photo = kiosk_image_new (width, height, KIOSK_PIXEL_RGB24);
  TestgenDegrade d = { .noise = noise };

  /* A dark green-grey mat, brighter in the middle (the camera's lamp). */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = photo->data + (gsize) photo->stride * y + (gsize) x * 3;
        double dx = (x - width / 2.0) / width, dy = (y - height / 2.0) / height;
        double light = 1.0 - 0.6 * (dx * dx + dy * dy);
        p[0] = (guint8) (38 * light);
        p[1] = (guint8) (52 * light);
        p[2] = (guint8) (44 * light);
      }
  testgen_composite (photo, page, corners);
  /* The lamp falls off on the page too. */
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = photo->data + (gsize) photo->stride * y + (gsize) x * 3;
        double dx = (x - width / 2.0) / width, dy = (y - height / 2.0) / height;
        double light = 1.0 - 0.35 * (dx * dx + dy * dy);
        for (int c = 0; c < 3; c++)
          p[c] = (guint8) (p[c] * light);
      }
  {
    KioskImage *out = testgen_degrade (photo, &d, rand);
    kiosk_image_unref (photo);
    return out;
  }
}

void
testgen_random_quad (int width, int height, double max_rotate_deg, double max_persp, GRand *rand, KioskQuad *quad)
{
  double cover = g_rand_double_range (rand, 0.45, 0.75);
  double ph = cover * height, pw = ph / 1.414;
  double a = g_rand_double_range (rand, -max_rotate_deg, max_rotate_deg) * G_PI / 180;
  double persp = g_rand_double_range (rand, 0, max_persp);
  double cx = width / 2.0 + g_rand_double_range (rand, -0.08, 0.08) * width;
  double cy = height / 2.0 + g_rand_double_range (rand, -0.05, 0.05) * height;
  double local[4][2] = { { -pw / 2, -ph / 2 }, { pw / 2, -ph / 2 }, { pw / 2, ph / 2 }, { -pw / 2, ph / 2 } };

  for (int i = 0; i < 4; i++)
    {
      double lx = local[i][0], ly = local[i][1];
      /* Camera tilted: the top edge is farther away, so narrower. */
      if (ly < 0)
        lx *= 1 - persp;
      quad->p[i].x = cx + lx * cos (a) - ly * sin (a);
      quad->p[i].y = cy + lx * sin (a) + ly * cos (a);
    }
}
