/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-camera"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include "camera-page.h"

/* Page detection works on a reduced copy: its longer side. */
#define WORK_SIDE 640

/* ---- corner detection ------------------------------------------------------ */

typedef struct {
  int x, y;
} IPoint;

static int
otsu_threshold (const guint8 *data, gsize n)
{
  guint64 hist[256] = { 0 };
  double sum = 0, sum_b = 0, best = -1;
  guint64 w_b = 0;
  int threshold = 128;

  for (gsize i = 0; i < n; i++)
    hist[data[i]]++;
  for (int i = 0; i < 256; i++)
    sum += (double) i * hist[i];
  for (int t = 0; t < 256; t++)
    {
      guint64 w_f;
      double m_b, m_f, between;
      w_b += hist[t];
      if (w_b == 0)
        continue;
      w_f = n - w_b;
      if (w_f == 0)
        break;
      sum_b += (double) t * hist[t];
      m_b = sum_b / w_b;
      m_f = (sum - sum_b) / w_f;
      between = (double) w_b * w_f * (m_b - m_f) * (m_b - m_f);
      if (between > best)
        {
          best = between;
          threshold = t;
        }
    }
  return threshold;
}

static gint64
cross (IPoint o, IPoint a, IPoint b)
{
  return (gint64) (a.x - o.x) * (b.y - o.y) - (gint64) (a.y - o.y) * (b.x - o.x);
}

static int
compare_points (const void *a, const void *b)
{
  const IPoint *p = a, *q = b;
  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  return p->y < q->y ? -1 : (p->y > q->y);
}

/* Andrew's monotone chain; returns the hull size (collinear points dropped). */
static int
convex_hull (IPoint *pts, int n, IPoint *hull)
{
  int k = 0;

  qsort (pts, n, sizeof (IPoint), compare_points);
  for (int i = 0; i < n; i++)
    {
      while (k >= 2 && cross (hull[k - 2], hull[k - 1], pts[i]) <= 0)
        k--;
      hull[k++] = pts[i];
    }
  for (int i = n - 2, t = k + 1; i >= 0; i--)
    {
      while (k >= t && cross (hull[k - 2], hull[k - 1], pts[i]) <= 0)
        k--;
      hull[k++] = pts[i];
    }
  return k - 1;
}

static double
tri_area (IPoint a, IPoint b, IPoint c)
{
  return fabs ((double) cross (a, b, c)) / 2;
}

/* The largest-area quadrilateral with vertices on the convex hull (O(h^2):
 * for convex polygons the best middle vertices move monotonically). */
static gboolean
max_area_quad (const IPoint *hull, int h, int best_idx[4])
{
  double best = 0;

  if (h < 4)
    return FALSE;
#define H(i) hull[(i) % h]
  for (int i = 0; i < h; i++)
    {
      int j = i + 1, l = i + 3;
      for (int k = i + 2; k <= i + h - 2; k++)
        {
          double area;
          if (j >= k)
            j = k - 1;
          while (j + 1 < k && tri_area (H (i), H (j + 1), H (k)) >= tri_area (H (i), H (j), H (k)))
            j++;
          if (l <= k)
            l = k + 1;
          while (l + 1 < i + h && tri_area (H (k), H (l + 1), H (i)) >= tri_area (H (k), H (l), H (i)))
            l++;
          area = tri_area (H (i), H (j), H (k)) + tri_area (H (k), H (l), H (i));
          if (area > best)
            {
              best = area;
              best_idx[0] = i % h;
              best_idx[1] = j % h;
              best_idx[2] = k % h;
              best_idx[3] = l % h;
            }
        }
    }
#undef H
  return best > 0;
}

typedef struct {
  double a, b, c; /* a x + b y + c = 0, (a, b) unit normal */
} Line;

/* Total least squares fit of the boundary points near the side p->q. */
static gboolean
fit_side (const IPoint *pts, int n, KioskPoint p, KioskPoint q, KioskPoint centre, Line *line)
{
  double dx = q.x - p.x, dy = q.y - p.y, len = hypot (dx, dy);
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  int m = 0;
  double tol;

  if (len < 8)
    return FALSE;
  tol = MAX (2.5, len * 0.01);
  for (int i = 0; i < n; i++)
    {
      double vx = pts[i].x - p.x, vy = pts[i].y - p.y;
      double t = (vx * dx + vy * dy) / (len * len);
      double d = fabs (vx * dy - vy * dx) / len;
      if (t < 0.08 || t > 0.92 || d > tol)
        continue;
      sx += pts[i].x;
      sy += pts[i].y;
      sxx += (double) pts[i].x * pts[i].x;
      syy += (double) pts[i].y * pts[i].y;
      sxy += (double) pts[i].x * pts[i].y;
      m++;
    }
  if (m < 10)
    return FALSE;
  {
    double mx = sx / m, my = sy / m;
    double cxx = sxx / m - mx * mx, cyy = syy / m - my * my, cxy = sxy / m - mx * my;
    /* Direction: principal eigenvector of the covariance. */
    double theta = 0.5 * atan2 (2 * cxy, cxx - cyy);
    double ux = cos (theta), uy = sin (theta);
    line->a = -uy;
    line->b = ux;
    line->c = -(line->a * mx + line->b * my);
    /* Boundary pixels are the outermost inside pixels: the edge lies half a
     * pixel further out. Orient the normal away from the centre. */
    if (line->a * centre.x + line->b * centre.y + line->c > 0)
      {
        line->a = -line->a;
        line->b = -line->b;
        line->c = -line->c;
      }
    line->c -= 0.5;
  }
  return TRUE;
}

static gboolean
intersect (const Line *l1, const Line *l2, KioskPoint *out)
{
  double det = l1->a * l2->b - l2->a * l1->b;
  if (fabs (det) < 1e-9)
    return FALSE;
  out->x = (l1->b * l2->c - l2->b * l1->c) / det;
  out->y = (l2->a * l1->c - l1->a * l2->c) / det;
  return TRUE;
}

/* Orders four points top-left, top-right, bottom-right, bottom-left. */
static void
order_corners (KioskQuad *q)
{
  KioskPoint c = { 0, 0 }, tmp[4];
  double ang[4];
  int idx[4] = { 0, 1, 2, 3 }, first = 0;

  for (int i = 0; i < 4; i++)
    {
      c.x += q->p[i].x / 4;
      c.y += q->p[i].y / 4;
    }
  for (int i = 0; i < 4; i++)
    ang[i] = atan2 (q->p[i].y - c.y, q->p[i].x - c.x);
  /* Ascending angle with y down runs clockwise on screen. */
  for (int i = 0; i < 4; i++)
    for (int j = i + 1; j < 4; j++)
      if (ang[idx[j]] < ang[idx[i]])
        {
          int t = idx[i];
          idx[i] = idx[j];
          idx[j] = t;
        }
  for (int i = 1; i < 4; i++)
    if (q->p[idx[i]].x + q->p[idx[i]].y < q->p[idx[first]].x + q->p[idx[first]].y)
      first = i;
  for (int i = 0; i < 4; i++)
    tmp[i] = q->p[idx[(first + i) % 4]];
  memcpy (q->p, tmp, sizeof tmp);
}

/* A reduced grey copy for detection: each output pixel averages a grid of
 * up to 3x3 samples spread over the source block it covers (a full area
 * average of a 12 MP frame costs more than the rest of the detection). */
static KioskImage *
grey_thumbnail (KioskImage *image, int max_side)
{
  int longest = MAX (image->width, image->height);
  double f = longest > max_side ? (double) max_side / longest : 1.0;
  int w = MAX (1, (int) (image->width * f + 0.5)), h = MAX (1, (int) (image->height * f + 0.5));
  KioskImage *out = kiosk_image_new (w, h, KIOSK_PIXEL_GREY8);
  double bx = (double) image->width / w, by = (double) image->height / h;
  int n = CLAMP ((int) bx, 1, 3);
  g_autofree int *xs = g_new (int, (gsize) w *n);
  const int bpp = image->format;

  for (int x = 0; x < w; x++)
    for (int k = 0; k < n; k++)
      xs[x * n + k] = MIN (image->width - 1, (int) ((x + (k + 0.5) / n) * bx)) * bpp;
  for (int y = 0; y < h; y++)
    {
      guint8 *d = out->data + (gsize) out->stride * y;
      const guint8 *rows[3];
      for (int k = 0; k < n; k++)
        rows[k] = image->data + (gsize) image->stride * MIN (image->height - 1, (int) ((y + (k + 0.5) / n) * by));
      for (int x = 0; x < w; x++)
        {
          guint32 sum = 0;
          for (int ky = 0; ky < n; ky++)
            for (int kx = 0; kx < n; kx++)
              {
                const guint8 *p = rows[ky] + xs[x * n + kx];
                sum += bpp == 3 ? (guint32) (77 * p[0] + 150 * p[1] + 29 * p[2]) : (guint32) p[0] << 8;
              }
          d[x] = (guint8) ((sum / (guint32) (n * n) + 128) >> 8);
        }
    }
  return out;
}

gboolean
kiosk_page_find (KioskImage *image, KioskQuad *quad)
{
  g_autoptr (KioskImage) small = grey_thumbnail (image, WORK_SIDE);
  const int w = small->width, h = small->height;
  g_autofree guint8 *blur = g_new (guint8, (gsize) w * h);
  g_autofree gint32 *label = g_new0 (gint32, (gsize) w * h);
  g_autofree gint32 *stack = g_new (gint32, (gsize) w * h);
  g_autofree IPoint *pts = NULL;
  g_autofree IPoint *hull = NULL;
  int threshold, best_label = 0, n_labels = 0, n_pts = 0, n_hull, corner_idx[4];
  gsize best_area = 0;
  double sx = (double) image->width / w, sy = (double) image->height / h;
  KioskQuad q;
  KioskPoint centre = { 0, 0 };
  Line lines[4];
  gboolean fitted = TRUE;

  if (w < 16 || h < 16)
    return FALSE;

  /* 3x3 box blur: pixel noise must not split the page into pieces. */
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        int sum = 0, n = 0;
        for (int yy = MAX (0, y - 1); yy <= MIN (h - 1, y + 1); yy++)
          for (int xx = MAX (0, x - 1); xx <= MIN (w - 1, x + 1); xx++, n++)
            sum += small->data[(gsize) small->stride * yy + xx];
        blur[(gsize) y * w + x] = (guint8) (sum / n);
      }
  threshold = otsu_threshold (blur, (gsize) w * h);

  /* The largest 4-connected bright component is the page. */
  for (gsize start = 0; start < (gsize) w * h; start++)
    {
      gsize sp = 0, area = 0;
      if (label[start] || blur[start] <= threshold)
        continue;
      label[start] = ++n_labels;
      stack[sp++] = (gint32) start;
      while (sp > 0)
        {
          gint32 i = stack[--sp];
          int x = i % w, y = i / w;
          area++;
#define VISIT(cond, j)                            \
  if ((cond) && !label[j] && blur[j] > threshold) \
    {                                             \
      label[j] = n_labels;                        \
      stack[sp++] = (j);                          \
    }
          VISIT (x > 0, i - 1);
          VISIT (x < w - 1, i + 1);
          VISIT (y > 0, i - w);
          VISIT (y < h - 1, i + w);
#undef VISIT
        }
      if (area > best_area)
        {
          best_area = area;
          best_label = n_labels;
        }
    }
  if (best_area < (gsize) w * h / 20)
    return FALSE;
  /* Paper is clearly brighter than the mat; Otsu splits any picture in
   * two, even a bare mat under uneven light. */
  {
    double in = 0, out = 0;
    gsize n_out = 0;
    for (gsize i = 0; i < (gsize) w * h; i++)
      if (label[i] == best_label)
        in += blur[i];
      else
        {
          out += blur[i];
          n_out++;
        }
    in /= best_area;
    if (n_out > (gsize) w * h / 100 && in - out / n_out < 40)
      return FALSE;
  }

  /* Its outer boundary: the extreme pixels of each row and each column. */
  pts = g_new (IPoint, 2 * (w + h));
  for (int y = 0; y < h; y++)
    {
      int x0 = -1, x1 = -1;
      for (int x = 0; x < w; x++)
        if (label[(gsize) y * w + x] == best_label)
          {
            if (x0 < 0)
              x0 = x;
            x1 = x;
          }
      if (x0 >= 0)
        {
          pts[n_pts++] = (IPoint){ x0, y };
          pts[n_pts++] = (IPoint){ x1, y };
        }
    }
  for (int x = 0; x < w; x++)
    {
      int y0 = -1, y1 = -1;
      for (int y = 0; y < h; y++)
        if (label[(gsize) y * w + x] == best_label)
          {
            if (y0 < 0)
              y0 = y;
            y1 = y;
          }
      if (y0 >= 0)
        {
          pts[n_pts++] = (IPoint){ x, y0 };
          pts[n_pts++] = (IPoint){ x, y1 };
        }
    }

  {
    g_autofree IPoint *sorted = g_memdup2 (pts, sizeof (IPoint) * n_pts);
    hull = g_new (IPoint, n_pts + 1);
    n_hull = convex_hull (sorted, n_pts, hull);
  }
  if (!max_area_quad (hull, n_hull, corner_idx))
    return FALSE;
  /* Hull vertices ascend in index, so the corners stay in order. */
  for (int i = 0; i < 4; i++)
    {
      q.p[i].x = hull[corner_idx[i]].x;
      q.p[i].y = hull[corner_idx[i]].y;
      centre.x += q.p[i].x / 4;
      centre.y += q.p[i].y / 4;
    }

  /* Refine: a straight line through each side's boundary pixels, the
   * corners where they meet (sub-pixel, and robust to a rounded or torn
   * corner). */
  for (int i = 0; i < 4 && fitted; i++)
    fitted = fit_side (pts, n_pts, q.p[i], q.p[(i + 1) % 4], centre, &lines[i]);
  if (fitted)
    {
      KioskQuad r;
      for (int i = 0; i < 4 && fitted; i++)
        {
          fitted = intersect (&lines[(i + 3) % 4], &lines[i], &r.p[i]);
          /* A refined corner must stay near the coarse one. */
          if (fitted && hypot (r.p[i].x - q.p[i].x, r.p[i].y - q.p[i].y) > 0.05 * (w + h))
            fitted = FALSE;
        }
      if (fitted)
        q = r;
      else
        for (int i = 0; i < 4; i++)
          {
            q.p[i].x += 0.5; /* pixel centres */
            q.p[i].y += 0.5;
          }
    }
  else
    for (int i = 0; i < 4; i++)
      {
        q.p[i].x += 0.5;
        q.p[i].y += 0.5;
      }

  /* Reject slivers: a page has four real sides. */
  for (int i = 0; i < 4; i++)
    {
      KioskPoint a = q.p[i], b = q.p[(i + 1) % 4];
      if (hypot (b.x - a.x, b.y - a.y) < 0.08 * MIN (w, h))
        return FALSE;
    }

  /* Back to the full frame: line fits used pixel-centre coordinates. */
  for (int i = 0; i < 4; i++)
    {
      q.p[i].x = (fitted ? q.p[i].x + 0.5 : q.p[i].x) * sx;
      q.p[i].y = (fitted ? q.p[i].y + 0.5 : q.p[i].y) * sy;
    }
  order_corners (&q);
  *quad = q;
  return TRUE;
}

/* ---- perspective ------------------------------------------------------------- */

/* Solves the 8x8 system of a homography mapping the unit-less rectangle
 * (0,0) (W,0) (W,H) (0,H) onto @quad: [x y 1]^T ~ M [u v 1]^T. */
static gboolean
homography (const KioskQuad *quad, double W, double H, double m[9])
{
  const double src[4][2] = { { 0, 0 }, { W, 0 }, { W, H }, { 0, H } };
  double a[8][9];

  for (int i = 0; i < 4; i++)
    {
      double u = src[i][0], v = src[i][1], x = quad->p[i].x, y = quad->p[i].y;
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
      if (fabs (a[piv][c]) < 1e-12)
        return FALSE;
      if (piv != c)
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
  return TRUE;
}

#define SPAN 16

/* Bilinear perspective warp; @grey_out converts RGB to grey on the fly
 * (grey and black-and-white pages: a third of the writes). */
static KioskImage *
warp_impl (KioskImage *image, const KioskQuad *quad, int width, int height, gboolean grey_out)
{
  KioskImage *out;
  double m[9];
  const int bpp = image->format;
  const int obpp = grey_out ? 1 : bpp;
  const int maxx = image->width - 1, maxy = image->height - 1;
  const gsize stride = image->stride;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  if (!homography (quad, width, height, m))
    return NULL;
  out = kiosk_image_new (width, height, grey_out ? KIOSK_PIXEL_GREY8 : image->format);
  for (int v = 0; v < height; v++)
    {
      guint8 *d = out->data + (gsize) out->stride * v;
      double vv = v + 0.5;

      /* Exact projective coordinates every SPAN pixels, linear in between
       * (in 16.16 fixed point): the error over 16 pixels is far below a
       * pixel for any plausible tilt, and the divisions go. */
      for (int u0 = 0; u0 < width; u0 += SPAN)
        {
          int n = MIN (SPAN, width - u0);
          double ua = u0 + 0.5, ub = u0 + n + 0.5;
          double za = m[6] * ua + m[7] * vv + m[8], zb = m[6] * ub + m[7] * vv + m[8];
          double xa = (m[0] * ua + m[1] * vv + m[2]) / za - 0.5, ya = (m[3] * ua + m[4] * vv + m[5]) / za - 0.5;
          double xb = (m[0] * ub + m[1] * vv + m[2]) / zb - 0.5, yb = (m[3] * ub + m[4] * vv + m[5]) / zb - 0.5;
          gint64 fx = (gint64) (xa * 65536), fy = (gint64) (ya * 65536);
          gint64 dx = (gint64) ((xb - xa) * 65536 / n), dy = (gint64) ((yb - ya) * 65536 / n);

          for (int k = 0; k < n; k++, fx += dx, fy += dy, d += obpp)
            {
              int x0, y0, wx, wy;
              const guint8 *p00, *p01, *p10, *p11;

              if (G_LIKELY (fx >= 0 && fy >= 0 && (fx >> 16) < maxx && (fy >> 16) < maxy))
                {
                  x0 = (int) (fx >> 16);
                  y0 = (int) (fy >> 16);
                  wx = (int) ((fx >> 8) & 255);
                  wy = (int) ((fy >> 8) & 255);
                  p00 = image->data + stride * y0 + (gsize) x0 * bpp;
                  p01 = p00 + bpp;
                  p10 = p00 + stride;
                  p11 = p10 + bpp;
                }
              else
                {
                  gint64 cx = CLAMP (fx, 0, (gint64) maxx << 16), cy = CLAMP (fy, 0, (gint64) maxy << 16);
                  x0 = (int) (cx >> 16);
                  y0 = (int) (cy >> 16);
                  wx = (int) ((cx >> 8) & 255);
                  wy = (int) ((cy >> 8) & 255);
                  p00 = image->data + stride * y0 + (gsize) x0 * bpp;
                  p01 = x0 < maxx ? p00 + bpp : p00;
                  p10 = y0 < maxy ? p00 + stride : p00;
                  p11 = x0 < maxx ? p10 + bpp : p10;
                }
              if (bpp == 3 && grey_out)
                {
                  int g00 = 77 * p00[0] + 150 * p00[1] + 29 * p00[2], g01 = 77 * p01[0] + 150 * p01[1] + 29 * p01[2];
                  int g10 = 77 * p10[0] + 150 * p10[1] + 29 * p10[2], g11 = 77 * p11[0] + 150 * p11[1] + 29 * p11[2];
                  gint64 top = (gint64) g00 * (256 - wx) + (gint64) g01 * wx;
                  gint64 bot = (gint64) g10 * (256 - wx) + (gint64) g11 * wx;
                  d[0] = (guint8) ((top * (256 - wy) + bot * wy + (1 << 23)) >> 24);
                }
              else
                {
                  int w00 = (256 - wx) * (256 - wy), w01 = wx * (256 - wy), w10 = (256 - wx) * wy, w11 = wx * wy;
                  for (int c = 0; c < bpp; c++)
                    d[c] = (guint8) ((p00[c] * w00 + p01[c] * w01 + p10[c] * w10 + p11[c] * w11 + 32768) >> 16);
                }
            }
        }
    }
  return out;
}

KioskImage *
kiosk_page_warp (KioskImage *image, const KioskQuad *quad, int width, int height)
{
  return warp_impl (image, quad, width, height, FALSE);
}

/* ---- enhancement ---------------------------------------------------------------- */

gboolean
kiosk_page_mode_from_string (const char *text, KioskPageMode *mode)
{
  if (g_strcmp0 (text, "color") == 0)
    *mode = KIOSK_PAGE_COLOR;
  else if (g_strcmp0 (text, "grey") == 0 || g_strcmp0 (text, "gray") == 0)
    *mode = KIOSK_PAGE_GREY;
  else if (g_strcmp0 (text, "bw") == 0)
    *mode = KIOSK_PAGE_BW;
  else
    return FALSE;
  return TRUE;
}

const char *
kiosk_page_mode_to_string (KioskPageMode mode)
{
  switch (mode)
    {
    case KIOSK_PAGE_GREY:
      return "grey";
    case KIOSK_PAGE_BW:
      return "bw";
    case KIOSK_PAGE_COLOR:
    default:
      return "color";
    }
}

/* Divides by the paper's brightness (estimated per block, interpolated):
 * shadows and uneven light go, paper becomes white, ink stays dark. */
static KioskImage *
normalize_background (KioskImage *grey)
{
  const int w = grey->width, h = grey->height;
  const int block = MAX (16, MAX (w, h) / 24);
  const int bw = (w + block - 1) / block, bh = (h + block - 1) / block;
  g_autofree float *bg = g_new (float, (gsize) bw *bh);
  KioskImage *out = kiosk_image_new (w, h, KIOSK_PIXEL_GREY8);

  /* Block background: the 90th percentile of the block (paper, not ink). */
  for (int by = 0; by < bh; by++)
    for (int bx = 0; bx < bw; bx++)
      {
        guint32 hist[256] = { 0 };
        guint32 n = 0, acc = 0;
        int level = 255;
        for (int y = by * block; y < MIN (h, (by + 1) * block); y += 2)
          {
            const guint8 *s = grey->data + (gsize) grey->stride * y;
            for (int x = bx * block; x < MIN (w, (bx + 1) * block); x += 2, n++)
              hist[s[x]]++;
          }
        for (level = 255; level > 0; level--)
          if ((acc += hist[level]) >= n / 10)
            break;
        bg[by * bw + bx] = MAX (level, 32);
      }
  {
    /* Separable bilinear interpolation of the block levels: per column
     * weights once, per row the levels interpolated in y once. */
    g_autofree int *cx0 = g_new (int, w);
    g_autofree float *cwx = g_new (float, w);
    g_autofree float *row = g_new (float, bw);
    for (int x = 0; x < w; x++)
      {
        float fx = CLAMP ((x + 0.5f) / block - 0.5f, 0, bw - 1);
        cx0[x] = MIN ((int) fx, bw - 1);
        cwx[x] = fx - cx0[x];
      }
    for (int y = 0; y < h; y++)
      {
        const guint8 *s = grey->data + (gsize) grey->stride * y;
        guint8 *d = out->data + (gsize) out->stride * y;
        float fy = CLAMP ((y + 0.5f) / block - 0.5f, 0, bh - 1);
        int y0 = (int) fy, y1 = MIN (y0 + 1, bh - 1);
        float wy = fy - y0;
        for (int b = 0; b < bw; b++)
          row[b] = 255.0f / (bg[y0 * bw + b] * (1 - wy) + bg[y1 * bw + b] * wy);
        for (int x = 0; x < w; x++)
          {
            int x0 = cx0[x], x1 = MIN (x0 + 1, bw - 1);
            /* cx0[x] and x1 lie in 0..bw-1: row[] is filled for all of them. */
            // NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
            float gain = row[x0] + (row[x1] - row[x0]) * cwx[x];
            int v = (int) (s[x] * gain + 0.5f);
            d[x] = (guint8) MIN (v, 255);
          }
      }
  }
  return out;
}

/* Bradley's adaptive threshold on the normalized page. */
static void
threshold_bw (KioskImage *img)
{
  const int w = img->width, h = img->height;
  const int r = MAX (4, MAX (w, h) / 64);
  g_autofree guint32 *integral = g_new (guint32, (gsize) (w + 1) * (h + 1));

  memset (integral, 0, sizeof (guint32) * (w + 1));
  for (int y = 0; y < h; y++)
    {
      const guint8 *s = img->data + (gsize) img->stride * y;
      guint32 row = 0;
      guint32 *cur = integral + (gsize) (y + 1) * (w + 1), *prev = cur - (w + 1);
      cur[0] = 0;
      for (int x = 0; x < w; x++)
        {
          row += s[x];
          cur[x + 1] = prev[x + 1] + row;
        }
    }
  for (int y = 0; y < h; y++)
    {
      guint8 *s = img->data + (gsize) img->stride * y;
      int y0 = MAX (0, y - r), y1 = MIN (h, y + r + 1);
      for (int x = 0; x < w; x++)
        {
          int x0 = MAX (0, x - r), x1 = MIN (w, x + r + 1);
          guint32 sum = integral[(gsize) y1 * (w + 1) + x1] - integral[(gsize) y0 * (w + 1) + x1]
                        - integral[(gsize) y1 * (w + 1) + x0] + integral[(gsize) y0 * (w + 1) + x0];
          guint32 count = (guint32) ((x1 - x0) * (y1 - y0));
          /* Black when clearly darker than around it, and not near-white. */
          s[x] = ((guint64) s[x] * count * 100 < (guint64) sum * 85 && s[x] < 215) ? 0 : 255;
        }
    }
}

KioskImage *
kiosk_page_enhance (KioskImage *image, KioskPageMode mode)
{
  g_autoptr (KioskImage) grey = NULL;
  KioskImage *out;

  if (mode == KIOSK_PAGE_COLOR)
    return kiosk_image_ref (image);
  grey = kiosk_image_to_grey (image);
  out = normalize_background (grey);
  if (mode == KIOSK_PAGE_BW)
    threshold_bw (out);
  return out;
}

/* ---- the pipeline ------------------------------------------------------------------ */

static void
scanned_page_clear (gpointer data)
{
  KioskScannedPage *page = data;
  g_bytes_unref (page->jpeg);
}

KioskScannedPage *
kiosk_scanned_page_ref (KioskScannedPage *page)
{
  return g_atomic_rc_box_acquire (page);
}

void
kiosk_scanned_page_unref (KioskScannedPage *page)
{
  if (page)
    g_atomic_rc_box_release_full (page, scanned_page_clear);
}

G_DEFINE_BOXED_TYPE (KioskScannedPage, kiosk_scanned_page, kiosk_scanned_page_ref, kiosk_scanned_page_unref)

void
kiosk_page_output_size (const KioskQuad *quad, int frame_width, const KioskPageOptions *options, int *width,
                        int *height)
{
  const KioskPoint *p = quad->p;
  double top = hypot (p[1].x - p[0].x, p[1].y - p[0].y), bottom = hypot (p[2].x - p[3].x, p[2].y - p[3].y);
  double left = hypot (p[3].x - p[0].x, p[3].y - p[0].y), right = hypot (p[2].x - p[1].x, p[2].y - p[1].y);
  double w = (top + bottom) / 2, h = (left + right) / 2;

  if (options->field_width_mm > 0 && options->dpi > 0 && frame_width > 0)
    {
      double px_per_out = options->field_width_mm / frame_width / 25.4 * options->dpi;
      w *= px_per_out;
      h *= px_per_out;
    }
  *width = MAX (1, (int) (w + 0.5));
  *height = MAX (1, (int) (h + 0.5));
}

/* Fraction of the page's half-size cut off each edge. */
#define CROP_INSET 0.008

KioskScannedPage *
kiosk_page_process (KioskImage *photo, const KioskPageOptions *options, GError **error)
{
  KioskQuad quad, quad_for_warp;
  g_autoptr (KioskImage) flat = NULL;
  g_autoptr (KioskImage) enhanced = NULL;
  KioskScannedPage *page;
  GBytes *jpeg;
  int width, height;

  if (!kiosk_page_find (photo, &quad))
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_PAGE, "no document found in the %dx%d frame",
                   photo->width, photo->height);
      return NULL;
    }
  kiosk_page_output_size (&quad, photo->width, options, &width, &height);
  /* Crop a hair inside the edges: the paper's edge pixels are part mat
   * (and the corners may be off by a pixel or two). */
  {
    KioskQuad inner = quad;
    KioskPoint c = { 0, 0 };
    for (int i = 0; i < 4; i++)
      {
        c.x += quad.p[i].x / 4;
        c.y += quad.p[i].y / 4;
      }
    for (int i = 0; i < 4; i++)
      {
        inner.p[i].x = c.x + (quad.p[i].x - c.x) * (1 - CROP_INSET);
        inner.p[i].y = c.y + (quad.p[i].y - c.y) * (1 - CROP_INSET);
      }
    quad_for_warp = inner;
  }
  if (width > 20000 || height > 20000)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "page output %dx%d too large", width, height);
      return NULL;
    }
  flat = warp_impl (photo, &quad_for_warp, width, height, options->mode != KIOSK_PAGE_COLOR);
  if (flat == NULL)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_PAGE, "degenerate page corners");
      return NULL;
    }
  enhanced = kiosk_page_enhance (flat, options->mode);
  jpeg = kiosk_image_encode_jpeg (enhanced, options->quality > 0 ? options->quality : 85, options->dpi, error);
  if (jpeg == NULL)
    return NULL;
  page = g_atomic_rc_box_new0 (KioskScannedPage);
  page->jpeg = jpeg;
  page->width = width;
  page->height = height;
  page->dpi = options->dpi > 0 ? options->dpi : 72;
  page->mode = options->mode;
  page->corners = quad;
  return page;
}

/* ---- a case's pages ------------------------------------------------------------------ */

struct _KioskPageList {
  GPtrArray *pages;
  int retake;
};

KioskPageList *
kiosk_page_list_new (void)
{
  KioskPageList *list = g_new0 (KioskPageList, 1);
  list->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_scanned_page_unref);
  list->retake = -1;
  return list;
}

void
kiosk_page_list_free (KioskPageList *list)
{
  if (list == NULL)
    return;
  g_ptr_array_unref (list->pages);
  g_free (list);
}

guint
kiosk_page_list_get_n_pages (KioskPageList *list)
{
  return list->pages->len;
}

KioskScannedPage *
kiosk_page_list_get (KioskPageList *list, guint index)
{
  g_return_val_if_fail (index < list->pages->len, NULL);
  return g_ptr_array_index (list->pages, index);
}

guint
kiosk_page_list_add (KioskPageList *list, KioskScannedPage *page)
{
  guint index;

  if (list->retake >= 0 && (guint) list->retake < list->pages->len)
    {
      index = (guint) list->retake;
      kiosk_scanned_page_unref (list->pages->pdata[index]);
      list->pages->pdata[index] = kiosk_scanned_page_ref (page);
    }
  else
    {
      index = list->pages->len;
      g_ptr_array_add (list->pages, kiosk_scanned_page_ref (page));
    }
  list->retake = -1;
  return index;
}

gboolean
kiosk_page_list_retake (KioskPageList *list, int index)
{
  if (index >= (int) list->pages->len)
    return FALSE;
  list->retake = index < 0 ? -1 : index;
  return TRUE;
}

int
kiosk_page_list_get_retake (KioskPageList *list)
{
  return list->retake;
}

gboolean
kiosk_page_list_remove (KioskPageList *list, guint index)
{
  if (index >= list->pages->len)
    return FALSE;
  g_ptr_array_remove_index (list->pages, index);
  if (list->retake == (int) index)
    list->retake = -1;
  else if (list->retake > (int) index)
    list->retake--;
  return TRUE;
}

gboolean
kiosk_page_list_write_pdf (KioskPageList *list, const char *path, GError **error)
{
  cairo_surface_t *pdf;
  cairo_t *cr;
  cairo_status_t status;

  if (list->pages->len == 0)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "no pages to write");
      return FALSE;
    }
  pdf = cairo_pdf_surface_create (path, 595, 842);
  cr = cairo_create (pdf);
  for (guint i = 0; i < list->pages->len; i++)
    {
      KioskScannedPage *page = g_ptr_array_index (list->pages, i);
      g_autoptr (GError) local = NULL;
      g_autoptr (KioskImage) decoded
          = kiosk_image_load_from_data (g_bytes_get_data (page->jpeg, NULL), g_bytes_get_size (page->jpeg), &local);
      cairo_surface_t *img;
      double scale = 72.0 / page->dpi;

      if (decoded == NULL)
        {
          g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "page %u: %s", i + 1, local->message);
          cairo_destroy (cr);
          cairo_surface_destroy (pdf);
          return FALSE;
        }
      /* The pixels are a fallback; cairo embeds the JPEG stream itself. */
      img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, decoded->width, decoded->height);
      cairo_surface_flush (img);
      {
        guint8 *dst = cairo_image_surface_get_data (img);
        int dstride = cairo_image_surface_get_stride (img);
        for (int y = 0; y < decoded->height; y++)
          {
            const guint8 *s = decoded->data + (gsize) decoded->stride * y;
            guint32 *d = (guint32 *) (gpointer) (dst + (gsize) dstride * y);
            for (int x = 0; x < decoded->width; x++)
              {
                guint32 r, g, b;
                if (decoded->format == KIOSK_PIXEL_GREY8)
                  r = g = b = s[x];
                else
                  r = s[3 * x], g = s[3 * x + 1], b = s[3 * x + 2];
                d[x] = 0xff000000u | (r << 16) | (g << 8) | b;
              }
          }
      }
      cairo_surface_mark_dirty (img);
      cairo_surface_set_mime_data (img, CAIRO_MIME_TYPE_JPEG, g_bytes_get_data (page->jpeg, NULL),
                                   g_bytes_get_size (page->jpeg), (cairo_destroy_func_t) g_bytes_unref,
                                   g_bytes_ref (page->jpeg));
      cairo_pdf_surface_set_size (pdf, decoded->width * scale, decoded->height * scale);
      cairo_save (cr);
      cairo_scale (cr, scale, scale);
      cairo_set_source_surface (cr, img, 0, 0);
      cairo_paint (cr);
      cairo_restore (cr);
      cairo_show_page (cr);
      cairo_surface_destroy (img);
    }
  cairo_destroy (cr);
  cairo_surface_finish (pdf);
  status = cairo_surface_status (pdf);
  cairo_surface_destroy (pdf);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "cannot write PDF %s: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* ---- auto-capture --------------------------------------------------------------- */

#define THUMB_W 64
#define THUMB_H 48
/* Mean absolute difference, in grey levels, below which a frame is "still"
 * (sensor noise of a document camera stays well under it) and above which
 * the scene "moved" (a hand, a new page). */
#define STILL_BELOW 2.5
#define MOVED_ABOVE 8.0

struct _KioskStillness {
  gint64 hold_us;
  gint64 still_since; /* -1: moving */
  gboolean armed;
  gboolean have_prev;
  double motion;
  guint8 prev[THUMB_W * THUMB_H];
};

KioskStillness *
kiosk_stillness_new (gint64 hold_us)
{
  KioskStillness *self = g_new0 (KioskStillness, 1);
  self->hold_us = hold_us;
  self->still_since = -1;
  self->armed = TRUE;
  return self;
}

void
kiosk_stillness_free (KioskStillness *self)
{
  g_free (self);
}

void
kiosk_stillness_rearm (KioskStillness *self)
{
  self->armed = TRUE;
  self->still_since = -1;
}

double
kiosk_stillness_get_motion (KioskStillness *self)
{
  return self->motion;
}

gboolean
kiosk_stillness_feed (KioskStillness *self, KioskImage *frame, gint64 time_us)
{
  g_autoptr (KioskImage) grey = kiosk_image_to_grey (frame);
  g_autoptr (KioskImage) thumb = NULL;
  guint8 cur[THUMB_W * THUMB_H];
  guint64 diff = 0;

  if (grey->width < THUMB_W || grey->height < THUMB_H)
    return FALSE;
  thumb = kiosk_image_resize_area (grey, THUMB_W, THUMB_H);
  for (int y = 0; y < THUMB_H; y++)
    memcpy (cur + y * THUMB_W, thumb->data + (gsize) thumb->stride * y, THUMB_W);
  if (!self->have_prev)
    {
      memcpy (self->prev, cur, sizeof cur);
      self->have_prev = TRUE;
      self->still_since = time_us;
      return FALSE;
    }
  for (int i = 0; i < THUMB_W * THUMB_H; i++)
    diff += (guint64) ABS ((int) cur[i] - (int) self->prev[i]);
  memcpy (self->prev, cur, sizeof cur);
  self->motion = (double) diff / (THUMB_W * THUMB_H);

  if (self->motion > MOVED_ABOVE)
    self->armed = TRUE;
  if (self->motion >= STILL_BELOW)
    {
      self->still_since = -1;
      return FALSE;
    }
  if (self->still_since < 0)
    self->still_since = time_us;
  if (self->armed && time_us - self->still_since >= self->hold_us)
    {
      self->armed = FALSE;
      return TRUE;
    }
  return FALSE;
}
