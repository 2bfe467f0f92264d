/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The barcode photo set (barcode-set.h). Every random choice comes from a
 * GRand seeded by (set seed, sample index): one sample can be made without
 * the others, and the same seed always gives the same pixels. */
#define G_LOG_DOMAIN "kiosk-camera-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "barcode-set.h"
#include "camera-testgen.h"

void
barcode_sample_free (BarcodeSample *sample)
{
  if (sample == NULL)
    return;
  kiosk_image_unref (sample->photo);
  g_free (sample->text);
  g_free (sample);
}

/* The proportions: 83 QR, 17 Data Matrix, 9 PDF417, 11 Code 128 in
 * 120, in a fixed interleaved order. */
static const char *
format_of (int index)
{
  static char order[120];
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GRand *r = g_rand_new_with_seed (120);
      int k = 0;
      for (int i = 0; i < 83; i++)
        order[k++] = 'Q';
      for (int i = 0; i < 17; i++)
        order[k++] = 'D';
      for (int i = 0; i < 9; i++)
        order[k++] = 'P';
      for (int i = 0; i < 11; i++)
        order[k++] = 'C';
      for (int i = 119; i > 0; i--)
        {
          int j = g_rand_int_range (r, 0, i + 1);
          char t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
      g_rand_free (r);
      g_once_init_leave (&once, 1);
    }
  switch (order[index % 120])
    {
    case 'Q':
      return "QRCode";
    case 'D':
      return "DataMatrix";
    case 'P':
      return "PDF417";
    default:
      return "Code128";
    }
}

static char *
text_for (const char *format, GRand *r)
{
  int n = g_rand_int_range (r, 0, 999999);

  if (g_str_equal (format, "QRCode"))
    switch (g_rand_int_range (r, 0, 3))
      {
      case 0:
        return g_strdup_printf ("https://zwfw.example.gov.cn/elic?id=330106%06d&v=%d", n, g_rand_int_range (r, 1, 9));
      case 1:
        return g_strdup_printf ("电子证照 330106-%06d 杭州市西湖区", n);
      default:
        return g_strdup_printf ("SL2024-%06d-案件", n);
      }
  if (g_str_equal (format, "DataMatrix"))
    return g_strdup_printf ("33010619%02d%06d-DM", g_rand_int_range (r, 50, 99), n);
  if (g_str_equal (format, "PDF417"))
    return g_strdup_printf ("EL|330106%06d|ZHANG SAN|2024-%02d", n, g_rand_int_range (r, 1, 12));
  return g_strdup_printf ("SL2024%08d", g_rand_int_range (r, 0, 99999999));
}

static double
range (GRand *r, double lo, double hi)
{
  return g_rand_double_range (r, lo, hi);
}

static void
rotated_quad (double cx, double cy, double w, double h, double angle_deg, double persp, int persp_side, KioskQuad *q)
{
  double local[4][2] = { { -w / 2, -h / 2 }, { w / 2, -h / 2 }, { w / 2, h / 2 }, { -w / 2, h / 2 } };
  double a = angle_deg * G_PI / 180, ca = cos (a), sa = sin (a);

  for (int i = 0; i < 4; i++)
    {
      double lx = local[i][0], ly = local[i][1];
      /* One side is farther from the camera: shorter. */
      switch (persp_side)
        {
        case 0:
          if (lx > 0)
            ly *= 1 - persp;
          break;
        case 1:
          if (lx < 0)
            ly *= 1 - persp;
          break;
        case 2:
          if (ly < 0)
            lx *= 1 - persp;
          break;
        default:
          if (ly > 0)
            lx *= 1 - persp;
          break;
        }
      q->p[i].x = cx + lx * ca - ly * sa;
      q->p[i].y = cy + lx * sa + ly * ca;
    }
}

static KioskImage *
solid (int w, int h, guint8 r, guint8 g, guint8 b)
{
  KioskImage *img = kiosk_image_new (w, h, KIOSK_PIXEL_RGB24);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 *p = img->data + (gsize) img->stride * y + (gsize) x * 3;
        p[0] = r, p[1] = g, p[2] = b;
      }
  return img;
}

/* Bars of random widths: what fools a careless 1-D reader. */
static KioskImage *
stripes (GRand *r)
{
  int w = g_rand_int_range (r, 60, 240), h = g_rand_int_range (r, 20, 90);
  KioskImage *img = solid (w, h, 235, 235, 230);
  int x = g_rand_int_range (r, 2, 8);

  while (x < w - 2)
    {
      int bar = g_rand_int_range (r, 1, 5), gap = g_rand_int_range (r, 1, 5);
      for (int y = 0; y < h; y++)
        for (int k = x; k < MIN (w, x + bar); k++)
          memset (img->data + (gsize) img->stride * y + (gsize) k * 3, 25, 3);
      x += bar + gap;
    }
  return img;
}

/* Random blocks of ink: a printed form's boxes, logos. */
static KioskImage *
blocks (GRand *r)
{
  int w = g_rand_int_range (r, 40, 200), h = g_rand_int_range (r, 40, 200);
  KioskImage *img = solid (w, h, 240, 238, 232);
  int n = g_rand_int_range (r, 5, 40);

  for (int i = 0; i < n; i++)
    {
      int bw = g_rand_int_range (r, 2, 24), bh = g_rand_int_range (r, 2, 24);
      int x0 = g_rand_int_range (r, 0, MAX (1, w - bw)), y0 = g_rand_int_range (r, 0, MAX (1, h - bh));
      guint8 v = (guint8) g_rand_int_range (r, 10, 120);
      for (int y = y0; y < MIN (h, y0 + bh); y++)
        memset (img->data + (gsize) img->stride * y + (gsize) x0 * 3, v, (gsize) MIN (bw, w - x0) * 3);
    }
  return img;
}

/* A dark mat with a lamp's falloff, strewn with paper, text, stripes and
 * ink blocks. */
static KioskImage *
cluttered_mat (int width, int height, GRand *r)
{
  KioskImage *photo = kiosk_image_new (width, height, KIOSK_PIXEL_RGB24);
  double base = range (r, 35, 110);
  double tint[3] = { range (r, 0.8, 1.1), range (r, 0.9, 1.2), range (r, 0.8, 1.1) };
  int items = g_rand_int_range (r, 8, 16);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = photo->data + (gsize) photo->stride * y + (gsize) x * 3;
        double dx = (x - width / 2.0) / width, dy = (y - height / 2.0) / height;
        double light = 1.0 - 0.6 * (dx * dx + dy * dy);
        for (int c = 0; c < 3; c++)
          p[c] = (guint8) CLAMP (base * tint[c] * light, 0, 255);
      }
  for (int i = 0; i < items; i++)
    {
      g_autoptr (KioskImage) item = NULL;
      KioskQuad q;
      double s = 1.0;
      switch (g_rand_int_range (r, 0, 5))
        {
        case 0:
        case 1:
          item = testgen_text_page (g_rand_int_range (r, 120, 420), g_rand_int_range (r, 90, 360), g_rand_int (r));
          break;
        case 2:
          item = stripes (r);
          break;
        case 3:
          item = blocks (r);
          break;
        default:
          {
            guint8 v = (guint8) g_rand_int_range (r, 20, 250);
            item = solid (g_rand_int_range (r, 20, 300), g_rand_int_range (r, 20, 300), v,
                          (guint8) CLAMP (v + g_rand_int_range (r, -30, 30), 0, 255), v);
          }
        }
      s = range (r, 0.6, 1.4);
      rotated_quad (range (r, 0, width), range (r, 0, height), item->width * s, item->height * s, range (r, -180, 180),
                    range (r, 0, 0.2), g_rand_int_range (r, 0, 4), &q);
      testgen_composite (photo, item, &q);
    }
  return photo;
}

typedef struct {
  double rot_linear; /* 1-D and stacked codes: +- this many degrees */
  double persp_lo, persp_hi;
  double blur_lo, blur_hi; /* Gaussian sigma, photo pixels */
  double noise_lo, noise_hi;
  double contrast_lo, contrast_hi;
  double dim_lo, dim_hi; /* overall light */
  int jpeg_lo, jpeg_hi;
  double module_lo, module_hi; /* photo pixels per module */
} Level;

static const Level levels[BARCODE_SET_LEVELS] = {
  { 10, 0.00, 0.08, 0.0, 0.5, 2, 5, 0.80, 1.00, 0.90, 1.00, 75, 92, 5.5, 7.5 },
  { 20, 0.05, 0.15, 0.3, 0.8, 3, 7, 0.60, 0.90, 0.75, 0.95, 55, 80, 4.5, 6.5 },
  { 30, 0.10, 0.20, 0.6, 1.1, 5, 9, 0.50, 0.80, 0.60, 0.85, 40, 65, 4.0, 6.0 },
  { 40, 0.15, 0.25, 0.7, 1.2, 5, 9, 0.45, 0.70, 0.55, 0.80, 35, 55, 3.8, 5.5 },
  { 45, 0.20, 0.30, 0.9, 1.4, 6, 10, 0.35, 0.60, 0.45, 0.70, 30, 45, 3.5, 5.0 },
};

BarcodeSample *
barcode_set_sample (int index, int n_codes, int width, int height, guint32 seed)
{
  g_autoptr (GRand) r = g_rand_new_with_seed (seed * 1000003u + (guint32) index);
  BarcodeSample *s = g_new0 (BarcodeSample, 1);
  g_autoptr (KioskImage) photo = cluttered_mat (width, height, r);
  const Level *lv;
  TestgenDegrade d = { 0 };
  double dim, grad;

  s->level = 1 + index % BARCODE_SET_LEVELS;
  lv = &levels[s->level - 1];
  if (index < n_codes)
    {
      const int zscale = 4;
      g_autoptr (KioskImage) sym = NULL;
      gboolean linear;
      double module, w, h, angle, persp;
      KioskQuad q;

      s->format = format_of (index);
      s->text = text_for (s->format, r);
      linear = g_str_equal (s->format, "Code128") || g_str_equal (s->format, "PDF417");
      sym = testgen_symbol (s->format, s->text, zscale);
      module = range (r, lv->module_lo, lv->module_hi);
      if (g_str_equal (s->format, "Code128"))
        module = MAX (module, 1.6); /* a 1-D code is read along its bars */
      w = sym->width * module / zscale;
      h = sym->height * module / zscale;
      if (w > 0.8 * width || h > 0.8 * height)
        {
          double f = MIN (0.8 * width / w, 0.8 * height / h);
          w *= f, h *= f;
        }
      angle
          = linear ? range (r, -lv->rot_linear, lv->rot_linear) + (g_rand_boolean (r) ? 180 : 0) : range (r, -180, 180);
      persp = range (r, lv->persp_lo, lv->persp_hi);
      /* Anywhere, as long as the whole label is in the frame. */
      {
        double half = sqrt (w * w + h * h) / 2 + 4;
        double cx = range (r, MIN (half, width / 2.0), MAX (width - half, width / 2.0));
        double cy = range (r, MIN (half, height / 2.0), MAX (height - half, height / 2.0));
        rotated_quad (cx, cy, w, h, angle, persp, g_rand_int_range (r, 0, 4), &q);
        s->cx = cx, s->cy = cy, s->module = w * zscale / sym->width;
      }
      testgen_composite (photo, sym, &q);
    }
  /* Light: dimmer overall, and unevenly. */
  dim = range (r, lv->dim_lo, lv->dim_hi);
  grad = range (r, 0, 0.25);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = photo->data + (gsize) photo->stride * y + (gsize) x * 3;
        double l = dim * (1 - grad * x / width);
        for (int c = 0; c < 3; c++)
          p[c] = (guint8) (p[c] * l);
      }
  d.blur_px = range (r, lv->blur_lo, lv->blur_hi);
  d.noise = range (r, lv->noise_lo, lv->noise_hi);
  d.contrast = range (r, lv->contrast_lo, lv->contrast_hi);
  d.jpeg_quality = g_rand_int_range (r, lv->jpeg_lo, lv->jpeg_hi + 1);
  s->photo = testgen_degrade (photo, &d, r);
  return s;
}

GPtrArray *
barcode_set_generate (int n_codes, int n_empty, int width, int height, guint32 seed)
{
  GPtrArray *set = g_ptr_array_new_with_free_func ((GDestroyNotify) barcode_sample_free);

  for (int i = 0; i < n_codes + n_empty; i++)
    g_ptr_array_add (set, barcode_set_sample (i, n_codes, width, height, seed));
  return set;
}
