/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-camera"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "camera-barcode.h"
#include "camera-page.h"
#include "camera-qr-rectify.h"
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

/* Maps a pass's pixel (u, v) back to the frame: x = a u + b v + c,
 * y = d u + e v + f. */
typedef struct {
  double a, b, c, d, e, f;
} Affine;

static const Affine identity = { 1, 0, 0, 0, 1, 0 };

/* One ZXing pass; appends what it finds (mapped back by @back) to @out
 * unless the same text was already found. Returns the number of new
 * results, -1 on a decoder error. */
static int
decode_pass (KioskImage *grey, unsigned formats, unsigned flags, const Affine *back, GPtrArray *out, GError **error)
{
  KioskZxResult *results = NULL;
  char *message = NULL;
  int added = 0;
  int n = kiosk_zx_decode (grey->data, grey->width, grey->height, grey->stride, 1, formats, flags, &results, &message);

  if (n < 0)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "barcode decoder: %s", message);
      free (message);
      return -1;
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
      for (int k = 0; k < 4; k++)
        {
          double u = results[i].corners[2 * k], v = results[i].corners[2 * k + 1];
          b->corners[2 * k] = back->a * u + back->b * v + back->c;
          b->corners[2 * k + 1] = back->d * u + back->e * v + back->f;
        }
      g_ptr_array_add (out, b);
      added++;
    }
  kiosk_zx_results_free (results, n);
  return added;
}

/* Grey levels between the 1st and 99th percentiles stretched to the full
 * range: a faded print or a dim frame gets its contrast back. NULL when
 * flat or already full range. */
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
    return NULL;
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

/* ---- the library's path (KIOSK_BARCODE_LIBRARY) ------------------------ */

static gboolean
decode_library (KioskImage *grey, unsigned zx, GPtrArray *out, GError **error)
{
  const unsigned harder = KIOSK_ZX_TRY_HARDER | KIOSK_ZX_TRY_ROTATE;

  if (decode_pass (grey, zx, harder, &identity, out, error) < 0)
    return FALSE;
  if (out->len > 0)
    return TRUE;
  {
    g_autoptr (KioskImage) stretched = stretch_contrast (grey);
    if (stretched && decode_pass (stretched, zx, harder, &identity, out, error) < 0)
      return FALSE;
  }
  /* Both sides halved: a strip (400x1) has nothing to halve. */
  if (out->len == 0 && MAX (grey->width, grey->height) >= 400 && MIN (grey->width, grey->height) >= 2)
    {
      g_autoptr (KioskImage) half = kiosk_image_resize_area (grey, grey->width / 2, grey->height / 2);
      double s = (double) grey->width / half->width, t = (double) grey->height / half->height;
      Affine back = { s, 0, 0, 0, t, 0 };
      if (decode_pass (half, zx, harder, &back, out, error) < 0)
        return FALSE;
    }
  return TRUE;
}

/* ---- candidate regions ---------------------------------------------------- */

/* A region that looks like a code: dense edges, found on a reduced copy. */
typedef struct {
  double x0, y0, x1, y1; /* frame pixels */
  double mass;           /* edge energy inside */
  double angle;          /* edge_angle(), once known */
  gboolean has_angle;
} Region;

#define BLOCK 8 /* reduced pixels per block side */

static int
compare_mass (gconstpointer a, gconstpointer b)
{
  const Region *ra = a, *rb = b;
  return (ra->mass < rb->mass) - (ra->mass > rb->mass);
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Block edge energy on a half-size copy, busy blocks (well above the
 * frame's typical block) grouped into connected regions, largest energy
 * first. */
static GArray *
find_regions (KioskImage *grey, int max_regions)
{
  GArray *regions = g_array_new (FALSE, FALSE, sizeof (Region));
  g_autoptr (KioskImage) small = NULL;
  double f;
  int bw, bh, nb;
  g_autofree double *energy = NULL;
  g_autofree double *sorted = NULL;
  g_autofree int *label = NULL;
  g_autofree int *stack = NULL;
  double threshold;
  const int bridge = 1;

  if (MIN (grey->width, grey->height) < 4 * BLOCK)
    return regions;
  small = kiosk_image_scale_down (grey, MAX (grey->width, grey->height) / 2);
  f = (double) grey->width / small->width;
  bw = small->width / BLOCK;
  bh = small->height / BLOCK;
  nb = bw * bh;
  if (nb < 4)
    return regions;
  energy = g_new0 (double, nb);
  for (int y = 1; y < bh * BLOCK - 1 && y < small->height - 1; y++)
    {
      const guint8 *p = small->data + (gsize) small->stride * y;
      const guint8 *up = p - small->stride, *dn = p + small->stride;
      for (int x = 1; x < bw * BLOCK - 1 && x < small->width - 1; x++)
        {
          int gx = p[x + 1] - p[x - 1], gy = dn[x] - up[x];
          energy[(y / BLOCK) * bw + x / BLOCK] += abs (gx) + abs (gy);
        }
    }
  sorted = g_memdup2 (energy, sizeof (double) * nb);
  qsort (sorted, nb, sizeof (double), compare_double);
  /* Busy: clearly above the median block (the mat, paper) and in the top
   * part of what this frame holds. */
  threshold = MAX (2.5 * sorted[nb / 2], 0.45 * sorted[nb - 1 - nb / 50]);
  threshold = MAX (threshold, 4.0 * BLOCK * BLOCK);

  label = g_new0 (int, nb);
  stack = g_new (int, nb);
  for (int i = 0, next = 1; i < nb; i++)
    {
      int top = 0, minx = bw, miny = bh, maxx = -1, maxy = -1, count = 0;
      double mass = 0;
      if (label[i] || energy[i] < threshold)
        continue;
      label[i] = next;
      stack[top++] = i;
      while (top > 0)
        {
          int b = stack[--top], bx = b % bw, by = b / bw;
          minx = MIN (minx, bx), maxx = MAX (maxx, bx), miny = MIN (miny, by), maxy = MAX (maxy, by);
          mass += energy[b];
          count++;
          /* 8-connected: a code's blocks touch at least at a corner;
           * bridging gaps would merge a label with the paper beside it. */
          for (int dy = -bridge; dy <= bridge; dy++)
            for (int dx = -bridge; dx <= bridge; dx++)
              {
                int nx = bx + dx, ny = by + dy, n;
                if (nx < 0 || ny < 0 || nx >= bw || ny >= bh)
                  continue;
                n = ny * bw + nx;
                if (label[n] || energy[n] < threshold)
                  continue;
                label[n] = next;
                stack[top++] = n;
              }
        }
      next++;
      if (count < 3 || (maxx - minx + 1) * (maxy - miny + 1) > nb / 3)
        continue;
      {
        Region r = {
          .x0 = minx * BLOCK * f,
          .y0 = miny * BLOCK * f,
          .x1 = (maxx + 1) * BLOCK * f,
          .y1 = (maxy + 1) * BLOCK * f,
          .mass = mass,
        };
        g_array_append_val (regions, r);
      }
    }
  g_array_sort (regions, compare_mass);
  if ((int) regions->len > max_regions)
    g_array_set_size (regions, max_regions);
  return regions;
}

/* The orientation of a region's edges modulo 90 degrees (radians, in
 * [-pi/4, pi/4)): the angle that turns a code's modules or bars square to
 * the axes. From the doubled-doubled gradient angle, weighted by strength. */
static double
edge_angle (KioskImage *grey, int x0, int y0, int x1, int y1)
{
  double c = 0, s = 0;

  x0 = MAX (x0, 1), y0 = MAX (y0, 1);
  x1 = MIN (x1, grey->width - 1), y1 = MIN (y1, grey->height - 1);
  for (int y = y0; y < y1; y += 1)
    {
      const guint8 *p = grey->data + (gsize) grey->stride * y;
      for (int x = x0; x < x1; x += 1)
        {
          double gx = p[x + 1] - p[x - 1], gy = p[x + grey->stride] - p[x - grey->stride];
          double m2 = gx * gx + gy * gy;
          double c2, s2;
          if (m2 < 64)
            continue;
          /* cos/sin of 2 phi from the gradient, then of 4 phi. */
          c2 = (gx * gx - gy * gy) / m2;
          s2 = 2 * gx * gy / m2;
          c += sqrt (m2) * (c2 * c2 - s2 * s2);
          s += sqrt (m2) * (2 * s2 * c2);
        }
    }
  return atan2 (s, c) / 4;
}

/* Samples @grey around (cx, cy), turned by @angle and scaled by @scale
 * (output pixels per frame pixel) into a @w x @h image; @back maps the
 * output's pixels to the frame's. Bilinear, edges clamped. */
static KioskImage *
warp (KioskImage *grey, double cx, double cy, double angle, double scale, int w, int h, Affine *back)
{
  KioskImage *out = kiosk_image_new (w, h, KIOSK_PIXEL_GREY8);
  double ca = cos (angle) / scale, sa = sin (angle) / scale;
  const int maxx = grey->width - 1, maxy = grey->height - 1;

  /* Output (u, v) -> frame: rotate by @angle around the centres. */
  back->a = ca;
  back->b = -sa;
  back->c = cx - ca * w / 2.0 + sa * h / 2.0;
  back->d = sa;
  back->e = ca;
  back->f = cy - sa * w / 2.0 - ca * h / 2.0;
  /* 16.16 fixed point along each row; 8-bit bilinear weights. */
  for (int v = 0; v < h; v++)
    {
      guint8 *d = out->data + (gsize) out->stride * v;
      double fx0 = back->b * (v + 0.5) + back->c + back->a * 0.5 - 0.5;
      double fy0 = back->e * (v + 0.5) + back->f + back->d * 0.5 - 0.5;
      gint64 fx = (gint64) (fx0 * 65536), fy = (gint64) (fy0 * 65536);
      const gint64 dx = (gint64) (back->a * 65536), dy = (gint64) (back->d * 65536);
      const gint64 xmax = (gint64) MAX (maxx, 0) * 65536, ymax = (gint64) MAX (maxy, 0) * 65536;
      for (int u = 0; u < w; u++, fx += dx, fy += dy)
        {
          gint64 x = CLAMP (fx, 0, xmax), y = CLAMP (fy, 0, ymax);
          int x0 = MIN ((int) (x / 65536), MAX (maxx - 1, 0)), y0 = MIN ((int) (y / 65536), MAX (maxy - 1, 0));
          int ax = (int) ((x - (gint64) x0 * 65536) / 256), ay = (int) ((y - (gint64) y0 * 65536) / 256);
          const guint8 *p = grey->data + (gsize) grey->stride * y0 + x0;
          int ddx = maxx > 0, ddy = maxy > 0 ? grey->stride : 0;
          int top = p[0] * (256 - ax) + p[ddx] * ax, bot = p[ddy] * (256 - ax) + p[ddy + ddx] * ax;
          d[u] = (guint8) ((top * (256 - ay) + bot * ay + 32768) >> 16);
        }
    }
  return out;
}

#define FLAT_FIND_SIDE 256 /* the label is looked for in a crop reduced to this */

/* The page pipeline's flattening on a crop: the bright quadrilateral (the
 * label, the receipt, the phone's screen) mapped onto a rectangle of the
 * same size, so that perspective no longer bends the module grid (ZXing
 * 1.4 assumes a parallelogram for small QR codes). @quad receives where it
 * was in @crop. NULL when there is no such quadrilateral. */
static KioskImage *
flatten (KioskImage *crop, double scale, KioskQuad *quad)
{
  double top, bottom, left, right, fx, fy;
  int w, h;

  /* Found on a reduced copy (the page finder's cost grows with the area;
   * its line fits stay within a fraction of a reduced pixel). */
  {
    g_autoptr (KioskImage) small = kiosk_image_scale_down (crop, FLAT_FIND_SIDE);
    if (!kiosk_page_find (small, quad))
      return NULL;
    fx = (double) crop->width / small->width;
    fy = (double) crop->height / small->height;
  }
  for (int i = 0; i < 4; i++)
    {
      quad->p[i].x *= fx;
      quad->p[i].y *= fy;
    }
  top = hypot (quad->p[1].x - quad->p[0].x, quad->p[1].y - quad->p[0].y);
  bottom = hypot (quad->p[2].x - quad->p[3].x, quad->p[2].y - quad->p[3].y);
  left = hypot (quad->p[3].x - quad->p[0].x, quad->p[3].y - quad->p[0].y);
  right = hypot (quad->p[2].x - quad->p[1].x, quad->p[2].y - quad->p[1].y);
  /* The longer of each pair: the nearer side keeps its resolution. */
  w = (int) (MAX (top, bottom) * scale + 0.5);
  h = (int) (MAX (left, right) * scale + 0.5);
  if (w < 24 || h < 24 || w > 4 * scale * crop->width || h > 4 * scale * crop->height)
    return NULL;
  return kiosk_page_warp (crop, quad, w, h);
}

/* A point of the flattened rectangle @w x @h back in the crop (bilinear in
 * the quad: close enough for reporting where a code is). */
static void
unflatten (const KioskQuad *q, int w, int h, double u, double v, double *x, double *y)
{
  double s = CLAMP (u / w, 0, 1), t = CLAMP (v / h, 0, 1);
  *x = (1 - t) * ((1 - s) * q->p[0].x + s * q->p[1].x) + t * ((1 - s) * q->p[3].x + s * q->p[2].x);
  *y = (1 - t) * ((1 - s) * q->p[0].y + s * q->p[1].y) + t * ((1 - s) * q->p[3].y + s * q->p[2].y);
}

/* @outer after @inner: maps @inner's input through both. */
static Affine
compose (const Affine *outer, const Affine *inner)
{
  Affine r = {
    outer->a * inner->a + outer->b * inner->d,
    outer->a * inner->b + outer->b * inner->e,
    outer->a * inner->c + outer->b * inner->f + outer->c,
    outer->d * inner->a + outer->e * inner->d,
    outer->d * inner->b + outer->e * inner->e,
    outer->d * inner->c + outer->e * inner->f + outer->f,
  };
  return r;
}

/* What the thorough reader may spend on one frame beyond its first pass:
 * ZXing calls on crops (a crop costs a few ms, a whole frame tens). A frame
 * without any code uses it all; the benchmark keeps the total in check. */
#define REGION_PASS_BUDGET 18
#define MAX_REGIONS 6
#define MAX_REFINED 2        /* regions whose busy parts are tried again, cropped tighter */
#define ENLARGE_MAX_SIDE 400 /* crops enlarged at most this size (frame pixels) */
#define FLAT_MAX_SIDE 800    /* flattened crops at most about this size */

typedef struct {
  unsigned zx;
  int budget;
  GPtrArray *out;
} Reader;

/* Maps the new results (from @first on) of a flattened crop back: through
 * the quad into the crop, then @to_frame into the frame. */
static void
unflatten_results (Reader *rd, guint first, const KioskQuad *quad, KioskImage *flat, const Affine *to_frame)
{
  for (guint k = first; k < rd->out->len; k++)
    {
      KioskBarcode *b = g_ptr_array_index (rd->out, k);
      for (int c = 0; c < 4; c++)
        {
          double x, y;
          unflatten (quad, flat->width, flat->height, b->corners[2 * c], b->corners[2 * c + 1], &x, &y);
          b->corners[2 * c] = to_frame->a * x + to_frame->b * y + to_frame->c;
          b->corners[2 * c + 1] = to_frame->d * x + to_frame->e * y + to_frame->f;
        }
    }
}

/* What decode_region() tries on a region (each a stage over all the
 * regions before the next, so that a well-placed code in a lesser region
 * is not starved by the refinement of a larger one). */
typedef enum {
  STAGE_DIRECT,  /* flattened, then as it is */
  STAGE_ENLARGE, /* small modules: the crop at twice the size */
  STAGE_REFINE,  /* its busy parts, cropped tighter */
} Stage;

/* Decodes region @r of @grey (whose pixels @to_frame maps to the frame's).
 * The region is cropped with a margin, turned square to the axes
 * (edge_angle) and contrast stretched, then, by @stage:
 *   STAGE_DIRECT: 1. flattened: the bright quadrilateral in it (the label,
 *      the receipt, the screen) mapped onto a rectangle at twice the size:
 *      perspective gone, small modules enlarged; 2. as it is;
 *   STAGE_ENLARGE: the crop sampled again at twice the size (a code of
 *      3 to 5 pixels per module, blurred, which ZXing's binarizer loses at
 *      its own size; only for crops small enough);
 *   STAGE_REFINE: its busy parts, found again on the crop, the same way:
 *      the region found on the reduced frame may hold a neighbour's clutter.
 * Returns the number of codes read, -1 on a decoder error. */
static int
decode_region (Reader *rd, KioskImage *grey, Region *r, const Affine *to_frame, Stage stage, GError **error)
{
  /* Crops are small and squared up: ZXing's harder search (every row,
   * more finder candidates) costs time there and reads nothing more. */
  const unsigned flags = KIOSK_ZX_TRY_ROTATE | KIOSK_ZX_NO_DOWNSCALE;
  double w = r->x1 - r->x0, h = r->y1 - r->y0;
  double cx = (r->x0 + r->x1) / 2, cy = (r->y0 + r->y1) / 2;
  /* The turned square still covers the whole box, with a margin. */
  int side = (int) ((MAX (w, h) + 16) * 1.24);
  g_autoptr (KioskImage) crop = NULL;
  g_autoptr (KioskImage) stretched = NULL;
  KioskImage *use;
  Affine back, full;
  int found;

  if (side < 16 || side > 1600 || rd->budget <= 0)
    return 0;
  if (stage == STAGE_ENLARGE && side > ENLARGE_MAX_SIDE)
    return 0;
  if (!r->has_angle)
    {
      r->angle = edge_angle (grey, (int) r->x0, (int) r->y0, (int) r->x1, (int) r->y1);
      r->has_angle = TRUE;
    }
  if (stage == STAGE_ENLARGE)
    {
      crop = warp (grey, cx, cy, r->angle, 2.0, 2 * side, 2 * side, &back);
      stretched = stretch_contrast (crop);
      full = compose (to_frame, &back);
      rd->budget--;
      return decode_pass (stretched ? stretched : crop, rd->zx, flags, &full, rd->out, error);
    }
  crop = warp (grey, cx, cy, r->angle, 1.0, side, side, &back);
  full = compose (to_frame, &back);
  stretched = stretch_contrast (crop);
  use = stretched ? stretched : crop;

  if (stage == STAGE_DIRECT)
    {
      KioskQuad quad;
      /* Flattened from the stretched crop: a dim frame's label is not
       * bright enough for the page finder otherwise. */
      g_autoptr (KioskImage) flat = flatten (use, MIN (2.0, (double) FLAT_MAX_SIDE / side), &quad);
      if (flat != NULL)
        {
          guint first = rd->out->len;
          rd->budget--;
          found = decode_pass (flat, rd->zx, flags, &identity, rd->out, error);
          if (found < 0)
            return -1;
          unflatten_results (rd, first, &quad, flat, &full);
          if (found > 0)
            return found;
        }
      if (rd->budget <= 0)
        return 0;
      rd->budget--;
      return decode_pass (use, rd->zx, flags, &full, rd->out, error);
    }

  {
    g_autoptr (GArray) sub = find_regions (use, 2);
    double area = (double) use->width * use->height;
    for (guint i = 0; i < sub->len && rd->budget > 0; i++)
      {
        Region *s = &g_array_index (sub, Region, i);
        if ((s->x1 - s->x0) * (s->y1 - s->y0) > 0.6 * area)
          continue;
        found = decode_region (rd, use, s, &full, STAGE_DIRECT, error);
        if (found != 0)
          return found;
      }
  }
  return 0;
}

#define MAX_RECTIFIED 3      /* regions searched for QR finder patterns */
#define RECTIFY_MAX_SIDE 400 /* larger crops hold codes the library reads by itself */
#define RECTIFY_GRIDS 2      /* module grids redrawn per region */
#define RECTIFY_MODULE_PX 4  /* pixels per module of a redrawn code */
#define RECTIFY_QUIET 4      /* and modules of quiet zone around it */

/* Reads the code of @grid (found in a crop at @x0, @y0 of the frame)
 * drawn again clean, with each way of telling dark from light in turn.
 * Returns the number of codes read, -1 on a decoder error. */
static int
decode_grid (Reader *rd, const KioskQrGrid *grid, int x0, int y0, GError **error)
{
  static const KioskQrThreshold order[] = {
    KIOSK_QR_THRESHOLD_SHARPEN,
    KIOSK_QR_THRESHOLD_LOCAL,
    KIOSK_QR_THRESHOLD_GLOBAL,
  };

  for (gsize t = 0; t < G_N_ELEMENTS (order); t++)
    {
      g_autoptr (KioskImage) clean = kiosk_qr_grid_render (grid, order[t], RECTIFY_MODULE_PX, RECTIFY_QUIET);
      guint first = rd->out->len;
      int found = decode_pass (clean, KIOSK_ZX_QR_CODE, KIOSK_ZX_NO_DOWNSCALE, &identity, rd->out, error);
      if (found < 0)
        return -1;
      for (guint k = first; k < rd->out->len; k++)
        {
          KioskBarcode *b = g_ptr_array_index (rd->out, k);
          for (int c = 0; c < 4; c++)
            {
              double mx = b->corners[2 * c] / RECTIFY_MODULE_PX - RECTIFY_QUIET;
              double my = b->corners[2 * c + 1] / RECTIFY_MODULE_PX - RECTIFY_QUIET;
              double x, y;
              kiosk_qr_grid_map (grid, mx, my, &x, &y);
              b->corners[2 * c] = x + x0;
              b->corners[2 * c + 1] = y + y0;
            }
        }
      if (found > 0)
        return found;
    }
  return 0;
}

/* QR codes the library cannot read in the photo (small modules, blurred,
 * noisy, in perspective) in region @r: the module grid fitted from the
 * finder patterns (camera-qr-rectify.h), each module sampled, the code
 * drawn again clean for the library, with each way of telling dark from
 * light in turn. Returns the number of codes read, -1 on a decoder
 * error. */
static int
decode_rectified (Reader *rd, KioskImage *grey, const Region *r, GError **error)
{
  /* The region's box is coarse (blocks of 16 pixels) and may cut a
   * finder: a square around it, with room. */
  const double half = MAX (100, 0.8 * MAX (r->x1 - r->x0, r->y1 - r->y0) + 16);
  const double cx = (r->x0 + r->x1) / 2, cy = (r->y0 + r->y1) / 2;
  const int x0 = MAX (0, (int) (cx - half)), y0 = MAX (0, (int) (cy - half));
  const int x1 = MIN (grey->width, (int) (cx + half)), y1 = MIN (grey->height, (int) (cy + half));
  g_autoptr (KioskImage) crop = NULL;
  g_autoptr (KioskQrFinder) finder = NULL;

  if (x1 - x0 < 21 || y1 - y0 < 21 || MAX (x1 - x0, y1 - y0) > RECTIFY_MAX_SIDE)
    return 0;
  crop = kiosk_image_new (x1 - x0, y1 - y0, KIOSK_PIXEL_GREY8);
  for (int y = y0; y < y1; y++)
    memcpy (crop->data + (gsize) crop->stride * (y - y0), grey->data + (gsize) grey->stride * y + x0, x1 - x0);
  finder = kiosk_qr_finder_new (crop);
  for (int pass = 0; pass < KIOSK_QR_PASSES; pass++)
    {
      g_autoptr (GPtrArray) grids = kiosk_qr_finder_grids (finder, pass, RECTIFY_GRIDS);
      for (guint i = 0; i < grids->len; i++)
        {
          int found = decode_grid (rd, grids->pdata[i], x0, y0, error);
          if (found != 0)
            return found;
        }
    }
  return 0;
}

/* The library's best on the whole frame (what KIOSK_BARCODE_LIBRARY tries
 * first: what it reads costs no more than before), then the regions that
 * look like codes, largest edge energy first, stage by stage, within the
 * budget. */
static gboolean
decode_thorough (KioskImage *grey, unsigned zx, GPtrArray *out, GError **error)
{
  Reader rd = { .zx = zx, .budget = REGION_PASS_BUDGET, .out = out };
  g_autoptr (GArray) regions = NULL;

  if (decode_pass (grey, zx, KIOSK_ZX_TRY_HARDER | KIOSK_ZX_TRY_ROTATE, &identity, out, error) < 0)
    return FALSE;
  if (out->len > 0)
    return TRUE;
  regions = find_regions (grey, MAX_REGIONS);
  for (Stage stage = STAGE_DIRECT; stage <= STAGE_REFINE; stage++)
    for (guint i = 0; i < regions->len && rd.budget > 0; i++)
      {
        int found;
        if (stage == STAGE_REFINE && i >= MAX_REFINED)
          break;
        found = decode_region (&rd, grey, &g_array_index (regions, Region, i), &identity, stage, error);
        if (found < 0)
          return FALSE;
        if (found > 0)
          return TRUE;
      }
  /* Last, for what is still unread: QR codes rectified from their finder
   * patterns (cheap where there is none: no grid, no decoding). */
  if (zx & KIOSK_ZX_QR_CODE)
    for (guint i = 0; i < regions->len && i < MAX_RECTIFIED; i++)
      {
        int found = decode_rectified (&rd, grey, &g_array_index (regions, Region, i), error);
        if (found < 0)
          return FALSE;
        if (found > 0)
          return TRUE;
      }
  return TRUE;
}

GPtrArray *
kiosk_barcode_decode (KioskImage *image, KioskBarcodeFormats formats, KioskBarcodeEffort effort, GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_barcode_free);
  g_autoptr (KioskImage) grey = NULL;
  unsigned zx = 0;
  gboolean ok;

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
  switch (effort)
    {
    case KIOSK_BARCODE_FAST:
      ok = decode_pass (grey, zx, 0, &identity, out, error) >= 0;
      break;
    case KIOSK_BARCODE_LIBRARY:
      ok = decode_library (grey, zx, out, error);
      break;
    default:
      ok = decode_thorough (grey, zx, out, error);
      break;
    }
  return ok ? g_steal_pointer (&out) : NULL;
}
