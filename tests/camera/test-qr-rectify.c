/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The QR rectifier (camera-qr-rectify.h): a zint QR code warped by a known
 * homography, blurred and noisy, at module sizes the library misses; its
 * grid is found where the homography put it, and the code drawn again
 * reads. Images without a code give nothing. */
#define G_LOG_DOMAIN "kiosk-camera-test"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "barcode-set.h"
#include "camera-barcode.h"
#include "camera-qr-rectify.h"
#include "camera-testgen.h"

#define TEXT "https://zwfw.example.gov.cn/elic?id=330106004217&v=3"
#define SYM_PX 4 /* testgen_symbol's pixels per module */
#define SYM_QUIET 4

/* The homography mapping @src[i] to @dst[i] (dst ~ h [src 1]). */
static void
homography (const double src[4][2], const double dst[4][2], double h[9])
{
  double a[8][9];

  for (int i = 0; i < 4; i++)
    {
      double u = src[i][0], v = src[i][1], x = dst[i][0], y = dst[i][1];
      double r1[9] = { u, v, 1, 0, 0, 0, -u * x, -v * x, x };
      double r2[9] = { 0, 0, 0, u, v, 1, -u * y, -v * y, y };
      memcpy (a[2 * i], r1, sizeof r1);
      memcpy (a[2 * i + 1], r2, sizeof r2);
    }
  for (int c = 0; c < 8; c++)
    {
      int p = c;
      for (int r = c + 1; r < 8; r++)
        if (fabs (a[r][c]) > fabs (a[p][c]))
          p = r;
      for (int k = 0; k < 9; k++)
        {
          double t = a[c][k];
          a[c][k] = a[p][k];
          a[p][k] = t;
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
    h[i] = a[i][8] / a[i][i];
  h[8] = 1;
}

typedef struct {
  KioskImage *grey;
  double h[9]; /* symbol pixels -> photo pixels */
  int dimension;
  double module; /* pixels per module, about */
} Warped;

/* The symbol on a grey mat at @quad (TL, TR, BR, BL), then blurred, noisy,
 * faded. */
static Warped
warped_code (const KioskQuad *quad, double blur, double noise, guint32 seed)
{
  g_autoptr (KioskImage) sym = testgen_symbol ("QRCode", TEXT, SYM_PX);
  g_autoptr (KioskImage) photo = kiosk_image_new (420, 360, KIOSK_PIXEL_RGB24);
  g_autoptr (KioskImage) degraded = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  TestgenDegrade d = { .blur_px = blur, .noise = noise, .contrast = 0.45, .jpeg_quality = 45 };
  double src[4][2] = { { 0, 0 }, { sym->width, 0 }, { sym->width, sym->height }, { 0, sym->height } }, dst[4][2];
  Warped w;

  memset (photo->data, 70, (gsize) photo->stride * photo->height);
  testgen_composite (photo, sym, quad);
  degraded = testgen_degrade (photo, &d, rand);
  for (int i = 0; i < 4; i++)
    dst[i][0] = quad->p[i].x, dst[i][1] = quad->p[i].y;
  homography (src, dst, w.h);
  w.grey = kiosk_image_to_grey (degraded);
  w.dimension = sym->width / SYM_PX - 2 * SYM_QUIET;
  w.module = hypot (dst[1][0] - dst[0][0], dst[1][1] - dst[0][1]) / ((double) sym->width / SYM_PX);
  return w;
}

static void
map (const double h[9], double x, double y, double *px, double *py)
{
  double w = h[6] * x + h[7] * y + h[8];
  *px = (h[0] * x + h[1] * y + h[2]) / w;
  *py = (h[3] * x + h[4] * y + h[5]) / w;
}

/* Reads the grids of @grey as the barcode reader does: each pass, each
 * grid, each threshold, until one reads. Returns the text (or NULL) and
 * the grid that read in *read_grid. */
static char *
read_rectified (KioskImage *grey, KioskQrGrid **read_grid)
{
  g_autoptr (KioskQrFinder) finder = kiosk_qr_finder_new (grey);

  for (int pass = 0; pass < KIOSK_QR_PASSES; pass++)
    {
      g_autoptr (GPtrArray) grids = kiosk_qr_finder_grids (finder, pass, 2);
      for (guint i = 0; i < grids->len; i++)
        for (int t = 0; t < KIOSK_QR_THRESHOLD_N; t++)
          {
            g_autoptr (KioskImage) clean = kiosk_qr_grid_render (grids->pdata[i], t, 4, 4);
            g_autoptr (GPtrArray) r = kiosk_barcode_decode (clean, KIOSK_BARCODE_QR_CODE, KIOSK_BARCODE_FAST, NULL);
            g_assert_nonnull (r);
            if (r->len > 0)
              {
                if (read_grid)
                  *read_grid = g_ptr_array_steal_index (grids, i);
                return g_strdup (((KioskBarcode *) r->pdata[0])->text);
              }
          }
    }
  return NULL;
}

/* A code of 3.6 to 4 pixels per module, turned 30 degrees, its right side
 * a fifth shorter (perspective), blurred (sigma 1.2), noisy (8 levels),
 * faded, JPEG 45: found where the homography put it, and read. */
static void
test_warped (void)
{
  KioskQuad quad = { { { 120, 70 }, { 262, 130 }, { 214, 244 }, { 60, 212 } } };
  Warped w = warped_code (&quad, 1.2, 8, 11);
  KioskQrGrid *grid = NULL;
  g_autofree char *text = read_rectified (w.grey, &grid);
  double err = 0;

  g_test_message ("code of %d modules", w.dimension);
  g_assert_cmpstr (text, ==, TEXT);
  g_assert_nonnull (grid);
  g_assert_cmpint (grid->dimension, ==, w.dimension);
  g_assert_cmpfloat (grid->score, >, 0.55);
  /* Each module's centre where the known homography puts it, within a
   * third of a module (about 1.3 pixels). */
  for (int r = 0; r < w.dimension; r++)
    for (int c = 0; c < w.dimension; c++)
      {
        double ex, ey, gx, gy;
        map (w.h, (c + 0.5 + SYM_QUIET) * SYM_PX, (r + 0.5 + SYM_QUIET) * SYM_PX, &ex, &ey);
        kiosk_qr_grid_map (grid, c + 0.5, r + 0.5, &gx, &gy);
        err = MAX (err, hypot (ex - gx, ey - gy));
      }
  g_test_message ("largest module centre error %.2f px", err);
  g_assert_cmpfloat (err, <, 1.3);
  /* And the barcode reader reads it, where it is. */
  {
    g_autoptr (GPtrArray) r = kiosk_barcode_decode (w.grey, KIOSK_BARCODE_ALL, KIOSK_BARCODE_THOROUGH, NULL);
    g_assert_cmpuint (r->len, ==, 1);
    g_assert_cmpstr (((KioskBarcode *) r->pdata[0])->text, ==, TEXT);
  }
  kiosk_qr_grid_free (grid);
  kiosk_image_unref (w.grey);
}

/* The same code, one finder pattern smeared by a stain: read from the two
 * others, the third searched where a square code has it. */
static void
test_two_finders (void)
{
  KioskQuad quad = { { { 90, 60 }, { 275, 65 }, { 270, 250 }, { 85, 245 } } };
  Warped w = warped_code (&quad, 0.8, 5, 5);
  g_autofree char *text = NULL;
  double x, y;

  /* A grey blot over the bottom-left finder: no hole, no stone. */
  map (w.h, (SYM_QUIET + 3.5) * SYM_PX, (SYM_QUIET + w.dimension - 3.5) * SYM_PX, &x, &y);
  for (int j = (int) y - 16; j <= (int) y + 16; j++)
    for (int i = (int) x - 16; i <= (int) x + 16; i++)
      if (hypot (i - x, j - y) < 2.7 * w.module)
        w.grey->data[(gsize) w.grey->stride * j + i] = 90;
  text = read_rectified (w.grey, NULL);
  g_assert_cmpstr (text, ==, TEXT);
  kiosk_image_unref (w.grey);
}

/* Photos without a code give no grid that reads: a text page, the
 * benchmark's cluttered mats, flat and tiny images. */
static void
test_no_code (void)
{
  TestgenDegrade d = { .noise = 10, .jpeg_quality = 50 };
  g_autoptr (KioskImage) page = testgen_text_page (300, 400, 9);
  g_autoptr (KioskImage) photo = testgen_symbol_photo (page, 480, 480, 0.9, &d, 9);
  g_autoptr (KioskImage) grey = kiosk_image_to_grey (photo);
  g_autoptr (KioskImage) flat = kiosk_image_new (64, 64, KIOSK_PIXEL_GREY8);
  g_autoptr (KioskImage) tiny = kiosk_image_new (3, 200, KIOSK_PIXEL_GREY8);

  g_assert_null (read_rectified (grey, NULL));
  g_assert_null (read_rectified (flat, NULL));
  g_assert_null (read_rectified (tiny, NULL));
  for (int i = 0; i < 3; i++)
    {
      /* Code-free photos of the benchmark's set (index past the codes). */
      BarcodeSample *s = barcode_set_sample (128 + i, 128, 640, 480, 2411);
      g_autoptr (KioskImage) g = kiosk_image_to_grey (s->photo);
      g_assert_null (s->format);
      g_assert_null (read_rectified (g, NULL));
      barcode_sample_free (s);
    }
}

/* Seeded random images (sizes from 1 pixel, noise, nested squares that
 * look like finders, in any number): no crash (the ASan build runs it),
 * every grid a QR size with its modules sampled, every drawing the size
 * asked. */
static void
test_random (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261202);
  int seen = 0;

  for (int n = 0; n < 60; n++)
    {
      int w = g_rand_int_range (rand, 1, 260), h = g_rand_int_range (rand, 1, 260);
      g_autoptr (KioskImage) img = kiosk_image_new (w, h, KIOSK_PIXEL_GREY8);
      g_autoptr (KioskQrFinder) finder = NULL;
      int squares = g_rand_int_range (rand, 0, 12);
      /* Every other image: three of them in an L, as a code's corners. */
      int lm = g_rand_int_range (rand, 2, 6), lx = g_rand_int_range (rand, 0, 40), ly = g_rand_int_range (rand, 0, 40);
      int side = g_rand_int_range (rand, 14, 30) * lm;

      for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
          img->data[(gsize) img->stride * y + x] = (guint8) (160 + g_rand_int_range (rand, -40, 40));
      /* Finder-like nests: 7 x 7 "modules" of 1 to 6 pixels. */
      for (int k = 0; k < squares; k++)
        {
          int m = g_rand_int_range (rand, 1, 7), x0 = g_rand_int_range (rand, -10, w),
              y0 = g_rand_int_range (rand, -10, h);
          if (n % 2 == 0 && k < 3)
            m = lm, x0 = lx + (k == 1 ? side : 0), y0 = ly + (k == 2 ? side : 0);
          for (int j = 0; j < 7 * m; j++)
            for (int i = 0; i < 7 * m; i++)
              {
                int d = MAX (abs (i / m - 3), abs (j / m - 3)), x = x0 + i, y = y0 + j;
                if (x >= 0 && y >= 0 && x < w && y < h)
                  img->data[(gsize) img->stride * y + x] = d == 2 ? 200 : 30;
              }
        }
      finder = kiosk_qr_finder_new (img);
      for (int pass = 0; pass < KIOSK_QR_PASSES; pass++)
        {
          g_autoptr (GPtrArray) grids = kiosk_qr_finder_grids (finder, pass, 3);
          g_assert_cmpuint (grids->len, <=, 3);
          seen += grids->len;
          for (guint i = 0; i < grids->len; i++)
            {
              const KioskQrGrid *grid = grids->pdata[i];
              g_autoptr (KioskImage) clean = NULL;
              g_assert_cmpint (grid->dimension, >=, 21);
              g_assert_cmpint (grid->dimension, <=, 57);
              g_assert_cmpint ((grid->dimension - 17) % 4, ==, 0);
              g_assert_nonnull (grid->modules);
              clean = kiosk_qr_grid_render (grid, g_rand_int_range (rand, 0, KIOSK_QR_THRESHOLD_N), 3, 2);
              g_assert_cmpint (clean->width, ==, (grid->dimension + 4) * 3);
            }
        }
    }
  g_test_message ("%d grids", seen);
  g_assert_cmpint (seen, >, 0);
}

/* Photos of the benchmark's set (seed 2411) that only the rectifier reads:
 * 3.6 to 4.6 pixels per module, level 5 (blur, noise, perspective). */
static void
test_bench_samples (void)
{
  static const int samples[] = { 99, 114 };

  for (gsize i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      BarcodeSample *s = barcode_set_sample (samples[i], 128, 1280, 960, 2411);
      g_autoptr (GPtrArray) lib = kiosk_barcode_decode (s->photo, KIOSK_BARCODE_ALL, KIOSK_BARCODE_LIBRARY, NULL);
      g_autoptr (GPtrArray) r = kiosk_barcode_decode (s->photo, KIOSK_BARCODE_ALL, KIOSK_BARCODE_THOROUGH, NULL);
      g_assert_cmpstr (s->format, ==, "QRCode");
      g_assert_cmpuint (lib->len, ==, 0);
      g_assert_cmpuint (r->len, ==, 1);
      g_assert_cmpstr (((KioskBarcode *) r->pdata[0])->text, ==, s->text);
      /* Where it is: the centre of the corners reported near the code's. */
      {
        KioskBarcode *b = r->pdata[0];
        double cx = (b->corners[0] + b->corners[2] + b->corners[4] + b->corners[6]) / 4;
        double cy = (b->corners[1] + b->corners[3] + b->corners[5] + b->corners[7]) / 4;
        g_assert_cmpfloat (hypot (cx - s->cx, cy - s->cy), <, 4 * s->module);
      }
      barcode_sample_free (s);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/camera/qr-rectify/warped", test_warped);
  g_test_add_func ("/camera/qr-rectify/two-finders", test_two_finders);
  g_test_add_func ("/camera/qr-rectify/no-code", test_no_code);
  g_test_add_func ("/camera/qr-rectify/random", test_random);
  g_test_add_func ("/camera/qr-rectify/bench-samples", test_bench_samples);
  return g_test_run ();
}
