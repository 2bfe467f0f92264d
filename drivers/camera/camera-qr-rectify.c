/* SPDX-License-Identifier: GPL-3.0-or-later */
/* QR module grids from finder patterns (camera-qr-rectify.h). */
#define G_LOG_DOMAIN "kiosk-camera"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "camera-qr-rectify.h"

void
kiosk_qr_grid_free (KioskQrGrid *grid)
{
  if (grid == NULL)
    return;
  g_free (grid->modules);
  g_free (grid);
}

/* ---- geometry ------------------------------------------------------------- */

/* The homography mapping src[i] to dst[i]: dst ~ h * [src 1], h[8] = 1.
 * FALSE when the points are degenerate. */
static gboolean
solve_homography (const double src[4][2], const double dst[4][2], double h[9])
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
      if (fabs (a[p][c]) < 1e-9)
        return FALSE;
      if (p != c)
        for (int k = 0; k < 9; k++)
          {
            double t = a[c][k];
            a[c][k] = a[p][k];
            a[p][k] = t;
          }
      for (int r = 0; r < 8; r++)
        {
          double f;
          if (r == c)
            continue;
          f = a[r][c] / a[c][c];
          for (int k = c; k < 9; k++)
            a[r][k] -= f * a[c][k];
        }
    }
  for (int i = 0; i < 8; i++)
    h[i] = a[i][8] / a[i][i];
  h[8] = 1;
  return TRUE;
}

static inline void
map_point (const double h[9], double x, double y, double *px, double *py)
{
  double w = h[6] * x + h[7] * y + h[8];
  if (fabs (w) < 1e-12)
    w = 1e-12;
  *px = (h[0] * x + h[1] * y + h[2]) / w;
  *py = (h[3] * x + h[4] * y + h[5]) / w;
}

void
kiosk_qr_grid_map (const KioskQrGrid *grid, double x, double y, double *px, double *py)
{
  map_point (grid->h, x, y, px, py);
}

/* Bilinear grey value at pixel coordinates (x, y), pixel centres at .5;
 * clamped at the edges. */
static inline float
sample (const KioskImage *g, double x, double y)
{
  int x0, y0, x1, y1;
  double fx, fy;
  const guint8 *r0, *r1;

  if (!isfinite (x) || !isfinite (y))
    return 0;
  x -= 0.5, y -= 0.5;
  x = CLAMP (x, 0, g->width - 1);
  y = CLAMP (y, 0, g->height - 1);
  x0 = (int) x, y0 = (int) y;
  x1 = MIN (x0 + 1, g->width - 1), y1 = MIN (y0 + 1, g->height - 1);
  fx = x - x0, fy = y - y0;
  r0 = g->data + (gsize) g->stride * y0;
  r1 = g->data + (gsize) g->stride * y1;
  return (float) ((1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x1]) + fy * ((1 - fx) * r1[x0] + fx * r1[x1]));
}

/* ---- finder patterns ------------------------------------------------------ */

typedef struct {
  double x, y;   /* centre, pixels */
  double module; /* pixels per module */
} Finder;

typedef struct {
  int area;
  double sx, sy;
  int minx, miny, maxx, maxy;
  int nb; /* the one neighbouring component (of the other colour), NB_NONE or NB_MANY */
  guint8 dark, border;
} Component;

#define NB_NONE (-1)
#define NB_MANY (-2)
/* Components smaller than this (pixels) are noise: not counted as a
 * neighbour, so a speck inside a finder's hole does not break it. */
#define SPECK_AREA 5

static void
note_neighbour (Component *c, int other)
{
  if (c->nb == NB_NONE)
    c->nb = other;
  else if (c->nb != other)
    c->nb = NB_MANY;
}

/* 3x3 box mean: the noise that would break a finder's rings into specks. */
static KioskImage *
smooth3 (KioskImage *g)
{
  KioskImage *out = kiosk_image_new (g->width, g->height, KIOSK_PIXEL_GREY8);
  const int w = g->width, h = g->height;

  for (int y = 0; y < h; y++)
    {
      const guint8 *rows[3] = {
        g->data + (gsize) g->stride * MAX (y - 1, 0),
        g->data + (gsize) g->stride * y,
        g->data + (gsize) g->stride * MIN (y + 1, h - 1),
      };
      guint8 *d = out->data + (gsize) out->stride * y;
      for (int x = 0; x < w; x++)
        {
          int xl = MAX (x - 1, 0), xr = MIN (x + 1, w - 1), s = 0;
          for (int k = 0; k < 3; k++)
            s += rows[k][xl] + rows[k][x] + rows[k][xr];
          d[x] = (guint8) ((s + 4) / 9);
        }
    }
  return out;
}

/* The mean of a (2r+1)^2 window around each pixel (edges: the part
 * inside). */
static guint8 *
local_mean (KioskImage *s, int r)
{
  const int w = s->width, h = s->height;
  g_autofree guint32 *integral = g_new0 (guint32, (gsize) (w + 1) * (h + 1));
  guint8 *mean = g_new (guint8, (gsize) w * h);

  for (int y = 0; y < h; y++)
    {
      const guint8 *p = s->data + (gsize) s->stride * y;
      guint32 row = 0;
      for (int x = 0; x < w; x++)
        {
          row += p[x];
          integral[(gsize) (y + 1) * (w + 1) + x + 1] = integral[(gsize) y * (w + 1) + x + 1] + row;
        }
    }
  for (int y = 0; y < h; y++)
    {
      int y0 = MAX (y - r, 0), y1 = MIN (y + r + 1, h);
      for (int x = 0; x < w; x++)
        {
          int x0 = MAX (x - r, 0), x1 = MIN (x + r + 1, w);
          guint32 sum = integral[(gsize) y1 * (w + 1) + x1] - integral[(gsize) y0 * (w + 1) + x1]
                        - integral[(gsize) y1 * (w + 1) + x0] + integral[(gsize) y0 * (w + 1) + x0];
          mean[(gsize) y * w + x] = (guint8) (sum / ((x1 - x0) * (y1 - y0)));
        }
    }
  return mean;
}

/* A run of pixels of one colour in a row: [x0, x1). */
typedef struct {
  int x0, x1, y;
  int parent; /* union-find over runs */
  guint8 dark;
} Run;

static int
run_find (Run *runs, int i)
{
  while (runs[i].parent != i)
    {
      runs[i].parent = runs[runs[i].parent].parent;
      i = runs[i].parent;
    }
  return i;
}

static void
run_union (Run *runs, int a, int b)
{
  a = run_find (runs, a), b = run_find (runs, b);
  if (a != b)
    runs[MAX (a, b)].parent = MIN (a, b);
}

/* The finder patterns of a binarised image: a light component enclosed by
 * one dark component (the ring) that encloses one main dark component
 * (the stone), concentric, in the finder's proportions (stone 3x3 modules,
 * hole 5x5 less the stone). Components are labelled over runs of pixels
 * (a tenth of the work of labelling pixels); dark is 8-connected, light
 * 4-connected: a ring whose pixels touch at a corner is still one ring,
 * and its hole stays shut. */
static void
find_finders (const guint8 *dark, int w, int h, GArray *finders)
{
  g_autoptr (GArray) run_arr = g_array_new (FALSE, FALSE, sizeof (Run));
  g_autoptr (GArray) pairs = g_array_new (FALSE, FALSE, sizeof (int) * 2); /* light-dark runs that touch */
  g_autoptr (GArray) comps = g_array_new (FALSE, TRUE, sizeof (Component));
  g_autofree int *row_start = g_new (int, h + 1);
  g_autofree int *label = NULL;
  g_autofree int *stone = NULL;
  Run *runs;
  Component *cs;
  int nr, nc;

  for (int y = 0; y < h; y++)
    {
      const guint8 *p = dark + (gsize) y * w;
      row_start[y] = (int) run_arr->len;
      for (int x = 0; x < w;)
        {
          Run r = { x, x, y, (int) run_arr->len, p[x] };
          while (r.x1 < w && p[r.x1] == r.dark)
            r.x1++;
          x = r.x1;
          g_array_append_val (run_arr, r);
        }
    }
  row_start[h] = (int) run_arr->len;
  runs = (Run *) (void *) run_arr->data;
  nr = (int) run_arr->len;
  /* Each row against the one above, both in order. */
  for (int y = 1; y < h; y++)
    {
      int i = row_start[y - 1], j = row_start[y];
      while (i < row_start[y] && j < row_start[y + 1])
        {
          Run *a = &runs[i], *b = &runs[j];
          gboolean overlap = a->x0 < b->x1 && b->x0 < a->x1;
          if (a->dark == b->dark)
            {
              /* Dark runs touching at a corner are connected too. */
              if (overlap || (a->dark && a->x0 <= b->x1 && b->x0 <= a->x1))
                run_union (runs, i, j);
            }
          else if (overlap)
            {
              int pr[2] = { i, j };
              g_array_append_val (pairs, pr);
            }
          if (a->x1 < b->x1)
            i++;
          else if (b->x1 < a->x1)
            j++;
          else
            i++, j++;
        }
    }
  /* Side by side in a row: always of the two colours. */
  for (int y = 0; y < h; y++)
    for (int i = row_start[y]; i + 1 < row_start[y + 1]; i++)
      {
        int pr[2] = { i, i + 1 };
        g_array_append_val (pairs, pr);
      }
  /* Components: their runs' sums. */
  label = g_new (int, nr);
  for (int i = 0; i < nr; i++)
    {
      int root = run_find (runs, i);
      const Run *r = &runs[i];
      Component *c;
      int len = r->x1 - r->x0;
      if (root == i)
        {
          Component z
              = { .minx = r->x0, .miny = r->y, .maxx = r->x1 - 1, .maxy = r->y, .nb = NB_NONE, .dark = r->dark };
          label[i] = (int) comps->len;
          g_array_append_val (comps, z);
        }
      else
        label[i] = label[root];
      c = &g_array_index (comps, Component, label[i]);
      c->area += len;
      c->sx += len * (r->x0 + r->x1) / 2.0;
      c->sy += len * (r->y + 0.5);
      c->minx = MIN (c->minx, r->x0), c->maxx = MAX (c->maxx, r->x1 - 1);
      c->miny = MIN (c->miny, r->y), c->maxy = MAX (c->maxy, r->y);
      if (r->x0 == 0 || r->x1 == w || r->y == 0 || r->y == h - 1)
        c->border = 1;
    }
  cs = (Component *) (void *) comps->data;
  nc = (int) comps->len;
  stone = g_new (int, nc);
  for (int i = 0; i < nc; i++)
    stone[i] = -1;
  /* A dark component next to a light one and within its bounds is inside
   * it (a stone, or a speck); any other is outside (a ring). A light
   * component with one dark component outside it is a hole. */
  for (guint k = 0; k < pairs->len; k++)
    {
      const int *pr = &g_array_index (pairs, int, 2 * k);
      int a = label[pr[0]], b = label[pr[1]], d, l;
      d = cs[a].dark ? a : b;
      l = cs[a].dark ? b : a;
      if (cs[d].minx > cs[l].minx && cs[d].maxx < cs[l].maxx && cs[d].miny > cs[l].miny && cs[d].maxy < cs[l].maxy)
        {
          if (stone[l] < 0 || cs[stone[l]].area < cs[d].area)
            stone[l] = d;
        }
      else if (cs[d].area >= SPECK_AREA)
        note_neighbour (&cs[l], d);
    }
  for (int i = 0; i < nc; i++)
    {
      const Component *hole = &cs[i], *st, *ring;
      double bw, bh, inner, m, cx, cy;
      if (hole->dark || hole->border || hole->nb < 0 || stone[i] < 0 || hole->area < 6)
        continue;
      st = &cs[stone[i]];
      ring = &cs[hole->nb];
      inner = hole->area + st->area;
      if (st->area < 0.2 * hole->area || st->area > 1.6 * hole->area || inner > (double) w * h / 4)
        continue;
      bw = hole->maxx - hole->minx + 1, bh = hole->maxy - hole->miny + 1;
      if (bw > 2.5 * bh || bh > 2.5 * bw || bw * bh > 2.5 * inner)
        continue;
      m = sqrt (inner / 25.0);
      cx = (hole->sx + st->sx) / inner, cy = (hole->sy + st->sy) / inner;
      if (hypot (st->sx / st->area - cx, st->sy / st->area - cy) > 0.6 * m || ring->area < 0.4 * 24 * m * m)
        continue;
      {
        Finder f = { cx, cy, m };
        g_array_append_val (finders, f);
      }
    }
}

/* ---- the grid ------------------------------------------------------------- */

/* A module whose colour a QR code of a given size fixes. */
typedef struct {
  float x, y; /* its centre, module coordinates */
  guint8 light;
} Known;

static void
add_known (GArray *known, int row, int col, gboolean light)
{
  Known k = { col + 0.5f, row + 0.5f, (guint8) light };
  g_array_append_val (known, k);
}

/* Alignment pattern centres of versions 2 to 10 (ISO/IEC 18004 annex E). */
static const int align_pos[11][4] = {
  { 0 },        { 0 },         { 6, 18, 0 },  { 6, 22, 0 },  { 6, 26, 0 },  { 6, 30, 0 },
  { 6, 34, 0 }, { 6, 22, 38 }, { 6, 24, 42 }, { 6, 26, 46 }, { 6, 28, 50 },
};

#define MAX_VERSION 10

/* Whether module (row, col) of a @dim code is a function pattern, and its
 * colour (*light). */
static gboolean
function_module (int dim, int row, int col, gboolean *light)
{
  const int version = (dim - 17) / 4;
  const int corners[3][2] = { { 0, 0 }, { 0, dim - 7 }, { dim - 7, 0 } };

  for (int k = 0; k < 3; k++)
    {
      int d = MAX (abs (row - (corners[k][0] + 3)), abs (col - (corners[k][1] + 3)));
      if (d <= 4)
        {
          *light = d == 2 || d == 4;
          return TRUE;
        }
    }
  if (row == 6 && col >= 8 && col <= dim - 9)
    {
      *light = col % 2 != 0;
      return TRUE;
    }
  if (col == 6 && row >= 8 && row <= dim - 9)
    {
      *light = row % 2 != 0;
      return TRUE;
    }
  if (row == dim - 8 && col == 8)
    {
      *light = FALSE;
      return TRUE;
    }
  if (version < 2 || version > MAX_VERSION)
    return FALSE;
  for (int i = 0; i < 3 && align_pos[version][i]; i++)
    for (int j = 0; j < 3 && align_pos[version][j]; j++)
      {
        int ar = align_pos[version][i], ac = align_pos[version][j], d;
        if ((ar == 6 && ac == 6) || (ar == 6 && ac == dim - 7) || (ar == dim - 7 && ac == 6))
          continue;
        d = MAX (abs (row - ar), abs (col - ac));
        if (d <= 2)
          {
            *light = d == 1;
            return TRUE;
          }
      }
  return FALSE;
}

/* Everything a @dim code must show, with a one-module band of quiet zone. */
static GArray *
known_modules (int dim)
{
  GArray *known = g_array_new (FALSE, FALSE, sizeof (Known));

  for (int r = -1; r <= dim; r++)
    for (int c = -1; c <= dim; c++)
      {
        gboolean light;
        if (r < 0 || c < 0 || r >= dim || c >= dim)
          add_known (known, r, c, TRUE);
        else if (function_module (dim, r, c, &light))
          add_known (known, r, c, light);
      }
  return known;
}

/* Correlation of the grey values at the known modules with their colours
 * (light 1, dark 0), through @h; the means of each colour in *dark and
 * *light when asked. */
static double
fit_score (KioskImage *g, const double h[9], GArray *known, float *dark, float *light)
{
  double s0 = 0, s1 = 0, q = 0;
  int n0 = 0, n1 = 0;

  for (guint i = 0; i < known->len; i++)
    {
      const Known *k = &g_array_index (known, Known, i);
      double x, y, v;
      map_point (h, k->x, k->y, &x, &y);
      v = sample (g, x, y);
      q += v * v;
      if (k->light)
        s1 += v, n1++;
      else
        s0 += v, n0++;
    }
  if (dark)
    *dark = (float) (s0 / MAX (n0, 1));
  if (light)
    *light = (float) (s1 / MAX (n1, 1));
  {
    int n = n0 + n1;
    double mean = (s0 + s1) / n, var = q / n - mean * mean;
    double p1 = (double) n1 / n;
    /* Point-biserial correlation. */
    if (var <= 1e-6 || n0 == 0 || n1 == 0)
      return 0;
    return (s1 / n1 - s0 / n0) * sqrt (p1 * (1 - p1)) / sqrt (var);
  }
}

/* The anchors: the three finders' centres and the symmetric point. */
static void
anchors (int dim, double a[4][2])
{
  const double lo = 3.5, hi = dim - 3.5;
  a[0][0] = lo, a[0][1] = lo;
  a[1][0] = hi, a[1][1] = lo;
  a[2][0] = hi, a[2][1] = hi;
  a[3][0] = lo, a[3][1] = hi;
}

static double
score_points (KioskImage *g, int dim, const double p[4][2], GArray *known, double h[9])
{
  double a[4][2];

  anchors (dim, a);
  if (!solve_homography (a, p, h))
    return -1;
  return fit_score (g, h, known, NULL, NULL);
}

/* Searches anchor @k of @p over +-@reach modules of @m pixels, in whole
 * modules then half modules around the best; keeps the best place. */
static double
search_anchor (KioskImage *g, int dim, double p[4][2], int k, double m, int reach, GArray *known, double best)
{
  double th[9];

  for (int level = 0; level < 2; level++)
    {
      const double step = level == 0 ? m : 0.5 * m;
      const int r = level == 0 ? reach : 1;
      double c0x = p[k][0], c0y = p[k][1], bx = c0x, by = c0y;
      for (int j = -r; j <= r; j++)
        for (int i = -r; i <= r; i++)
          {
            double s;
            if (i == 0 && j == 0)
              continue;
            p[k][0] = c0x + i * step;
            p[k][1] = c0y + j * step;
            s = score_points (g, dim, p, known, th);
            if (s > best)
              best = s, bx = p[k][0], by = p[k][1];
          }
      p[k][0] = bx, p[k][1] = by;
    }
  return best;
}

/* Fits the grid of a @dim code whose finders are @tl, @tr, @bl (anchor
 * @guessed, when >= 0, is a guess, not a finder seen): the guessed and
 * the far corner searched first, then all four anchors refined in
 * shrinking steps. Returns the score; the homography in @h. */
static double
fit_grid (KioskImage *g, int dim, const Finder *tl, const Finder *tr, const Finder *bl, int guessed, double h[9])
{
  g_autoptr (GArray) known = known_modules (dim);
  const double m = (tl->module + tr->module + bl->module) / 3;
  double p[4][2] = {
    { tl->x, tl->y },
    { tr->x, tr->y },
    { tr->x + bl->x - tl->x, tr->y + bl->y - tl->y },
    { bl->x, bl->y },
  };
  double best, th[9];

  best = score_points (g, dim, p, known, h);
  /* A guessed finder is off by the slant; the far corner by up to a few
   * modules of perspective. */
  if (guessed >= 0)
    {
      search_anchor (g, dim, p, guessed, m, 3, known, best);
      p[2][0] = p[1][0] + p[3][0] - p[0][0];
      p[2][1] = p[1][1] + p[3][1] - p[0][1];
      best = score_points (g, dim, p, known, th);
    }
  best = search_anchor (g, dim, p, 2, m, 3, known, best);
  for (int level = 0; level < 4; level++)
    for (int pass = 0; pass < 6; pass++)
      {
        const double step = 0.35 * m / (1 << level);
        gboolean moved = FALSE;
        for (int k = 0; k < 8; k++)
          {
            double *c = &p[k / 2][k % 2], keep = *c;
            for (int sign = -1; sign <= 1; sign += 2)
              {
                double s;
                *c = keep + sign * step;
                s = score_points (g, dim, p, known, th);
                if (s > best)
                  {
                    best = s;
                    keep = *c;
                    moved = TRUE;
                    break;
                  }
              }
            *c = keep;
          }
        if (!moved)
          break;
      }
  {
    double a[4][2];
    anchors (dim, a);
    if (!solve_homography (a, p, h))
      return -1;
  }
  return best;
}

/* Grey value of each module: the mean of 3x3 points over its middle. */
static void
sample_modules (KioskImage *g, KioskQrGrid *grid)
{
  const int dim = grid->dimension;

  grid->modules = g_new (float, dim *dim);
  for (int r = 0; r < dim; r++)
    for (int c = 0; c < dim; c++)
      {
        double s = 0;
        for (int j = -1; j <= 1; j++)
          for (int i = -1; i <= 1; i++)
            {
              double x, y;
              map_point (grid->h, c + 0.5 + 0.2 * i, r + 0.5 + 0.2 * j, &x, &y);
              s += sample (g, x, y);
            }
        grid->modules[r * dim + c] = (float) (s / 9);
      }
}

#define MAX_FINDERS 24
#define GOOD_SCORE 0.8 /* a fit this good needs no other size tried */
#define MIN_SCORE 0.55 /* below this, three specks that happen to be in an L */

static int
compare_score (gconstpointer a, gconstpointer b)
{
  const KioskQrGrid *ga = *(KioskQrGrid *const *) a, *gb = *(KioskQrGrid *const *) b;
  return (ga->score < gb->score) - (ga->score > gb->score);
}

/* The index of the grid in @grids that fits the same code as @grid (their
 * centres close), -1 when none. */
static int
same_code (GPtrArray *grids, const KioskQrGrid *grid)
{
  double x, y;

  kiosk_qr_grid_map (grid, grid->dimension / 2.0, grid->dimension / 2.0, &x, &y);
  for (guint i = 0; i < grids->len; i++)
    {
      const KioskQrGrid *o = grids->pdata[i];
      double ox, oy, ex, ey;
      kiosk_qr_grid_map (o, o->dimension / 2.0, o->dimension / 2.0, &ox, &oy);
      kiosk_qr_grid_map (o, 0, 0, &ex, &ey);
      if (hypot (x - ox, y - oy) < 0.5 * hypot (ex - ox, ey - oy))
        return (int) i;
    }
  return -1;
}

/* Tries three finders as a code's corners (@guess, when not NULL, is one
 * of them guessed from the other two); appends the best grid to @grids. */
static void
try_triple (KioskImage *g, KioskImage *smooth, const Finder *f0, const Finder *f1, const Finder *f2,
            const Finder *guess, GPtrArray *grids)
{
  const Finder *p[3] = { f0, f1, f2 };
  double d[3], m, est, cross, dot, best = -1, h[9], best_h[9];
  int corner = 0, dim_est, best_dim = 0, guessed = -1;
  const Finder *tl, *tr, *bl;

  m = (p[0]->module + p[1]->module + p[2]->module) / 3;
  for (int i = 0; i < 3; i++)
    if (p[i]->module > 1.6 * p[(i + 1) % 3]->module || p[i]->module < p[(i + 1) % 3]->module / 1.6)
      return;
  /* d[i]: the side opposite finder i; the top-left is opposite the longest. */
  for (int i = 0; i < 3; i++)
    d[i] = hypot (p[(i + 1) % 3]->x - p[(i + 2) % 3]->x, p[(i + 1) % 3]->y - p[(i + 2) % 3]->y);
  for (int i = 1; i < 3; i++)
    if (d[i] > d[corner])
      corner = i;
  tl = p[corner];
  tr = p[(corner + 1) % 3];
  bl = p[(corner + 2) % 3];
  {
    double ux = tr->x - tl->x, uy = tr->y - tl->y, vx = bl->x - tl->x, vy = bl->y - tl->y;
    double lu = hypot (ux, uy), lv = hypot (vx, vy);
    if (lu < 8 * m || lv < 8 * m || lu > 1.7 * lv || lv > 1.7 * lu)
      return;
    cross = ux * vy - uy * vx;
    dot = (ux * vx + uy * vy) / (lu * lv);
    if (fabs (dot) > 0.5)
      return;
    /* Clockwise in the image (y down): top-right after top-left. */
    if (cross < 0)
      {
        const Finder *t = tr;
        tr = bl;
        bl = t;
      }
    est = (lu + lv) / 2 / m + 7;
  }
  dim_est = (int) floor ((est - 17) / 4 + 0.5) * 4 + 17;
  if (guess != NULL)
    guessed = guess == tl ? 0 : guess == tr ? 1 : 3;
  /* The estimated size, and the neighbouring ones when it fits poorly. */
  for (int k = 0; k < 3; k++)
    {
      int dim = dim_est + (k == 0 ? 0 : k == 1 ? -4 : 4);
      double s;
      if (dim < 21 || dim > 17 + 4 * MAX_VERSION || (k > 0 && best >= GOOD_SCORE))
        continue;
      s = fit_grid (smooth, dim, tl, tr, bl, guessed, h);
      if (s > best)
        {
          best = s;
          best_dim = dim;
          memcpy (best_h, h, sizeof h);
        }
    }
  if (best < MIN_SCORE)
    return;
  {
    KioskQrGrid *grid = g_new0 (KioskQrGrid, 1);
    g_autoptr (GArray) known = known_modules (best_dim);
    int other;
    grid->dimension = best_dim;
    memcpy (grid->h, best_h, sizeof best_h);
    grid->score = best;
    fit_score (g, grid->h, known, &grid->dark, &grid->light);
    other = same_code (grids, grid);
    if (grid->light - grid->dark < 8 || (other >= 0 && ((KioskQrGrid *) grids->pdata[other])->score >= grid->score))
      {
        kiosk_qr_grid_free (grid);
        return;
      }
    if (other >= 0)
      g_ptr_array_remove_index (grids, other);
    sample_modules (g, grid);
    g_ptr_array_add (grids, grid);
  }
}

/* The places a third finder can have given two, @a and @b: beside
 * either, square to the line between them (they are neighbouring
 * corners), or off the middle (they are opposite corners). */
static void
guess_third (KioskImage *g, KioskImage *smooth, const Finder *a, const Finder *b, GPtrArray *grids)
{
  const double m = (a->module + b->module) / 2;
  const double dx = b->x - a->x, dy = b->y - a->y, dist = hypot (dx, dy);
  Finder guesses[6];
  int n = 0;

  if (a->module > 1.6 * b->module || b->module > 1.6 * a->module)
    return;
  if (dist / m + 7 >= 19 && dist / m + 7 <= 17 + 4 * MAX_VERSION + 2)
    for (int s = -1; s <= 1; s += 2)
      {
        Finder fa = { a->x - s * dy, a->y + s * dx, m }, fb = { b->x - s * dy, b->y + s * dx, m };
        guesses[n++] = fa;
        guesses[n++] = fb;
      }
  if (dist / G_SQRT2 / m + 7 >= 19 && dist / G_SQRT2 / m + 7 <= 17 + 4 * MAX_VERSION + 2)
    for (int s = -1; s <= 1; s += 2)
      {
        Finder fm = { (a->x + b->x) / 2 - s * dy / 2, (a->y + b->y) / 2 + s * dx / 2, m };
        guesses[n++] = fm;
      }
  for (int i = 0; i < n; i++)
    {
      const Finder *c = &guesses[i];
      if (c->x < 0 || c->y < 0 || c->x >= g->width || c->y >= g->height)
        continue;
      try_triple (g, smooth, a, b, c, c, grids);
    }
}

/* Each pass its own threshold: the local mean's radius (pixels: more than
 * a finder's side at the module sizes the library misses) and how much
 * darker than it is dark. */
static const struct {
  int radius, offset;
} passes[KIOSK_QR_PASSES] = { { 40, 3 }, { 40, 0 }, { 20, 3 } };

struct _KioskQrFinder {
  KioskImage *grey, *smooth;
  guint8 *mean[KIOSK_QR_PASSES]; /* local means of smooth, per pass (shared when alike) */
};

KioskQrFinder *
kiosk_qr_finder_new (KioskImage *grey)
{
  KioskQrFinder *f;

  g_return_val_if_fail (grey != NULL && grey->format == KIOSK_PIXEL_GREY8, NULL);
  f = g_new0 (KioskQrFinder, 1);
  f->grey = kiosk_image_ref (grey);
  if (MIN (grey->width, grey->height) >= 21)
    f->smooth = smooth3 (grey);
  return f;
}

void
kiosk_qr_finder_free (KioskQrFinder *finder)
{
  if (finder == NULL)
    return;
  kiosk_image_unref (finder->grey);
  if (finder->smooth)
    kiosk_image_unref (finder->smooth);
  for (int i = 0; i < KIOSK_QR_PASSES; i++)
    {
      gboolean shared = FALSE;
      for (int k = 0; k < i; k++)
        shared |= finder->mean[k] == finder->mean[i];
      if (!shared)
        g_free (finder->mean[i]);
    }
  g_free (finder);
}

static const guint8 *
pass_mean (KioskQrFinder *f, int pass)
{
  if (f->mean[pass] == NULL)
    {
      for (int k = 0; k < KIOSK_QR_PASSES; k++)
        if (k != pass && f->mean[k] && passes[k].radius == passes[pass].radius)
          return f->mean[pass] = f->mean[k];
      f->mean[pass] = local_mean (f->smooth, passes[pass].radius);
    }
  return f->mean[pass];
}

GPtrArray *
kiosk_qr_finder_grids (KioskQrFinder *finder, int pass, int max_grids)
{
  GPtrArray *grids = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_qr_grid_free);
  g_autoptr (GArray) finders = NULL;
  g_autofree guint8 *dark = NULL;
  KioskImage *grey = finder->grey, *smooth = finder->smooth;
  const int w = grey->width, h = grey->height;
  const guint8 *mean;
  int n;

  g_return_val_if_fail (pass >= 0 && pass < KIOSK_QR_PASSES, grids);
  if (smooth == NULL || max_grids <= 0)
    return grids;
  mean = pass_mean (finder, pass);
  dark = g_new (guint8, (gsize) w * h);
  for (int y = 0; y < h; y++)
    {
      const guint8 *p = smooth->data + (gsize) smooth->stride * y, *m = mean + (gsize) y * w;
      guint8 *d = dark + (gsize) y * w;
      for (int x = 0; x < w; x++)
        d[x] = p[x] + passes[pass].offset < m[x];
    }
  finders = g_array_new (FALSE, FALSE, sizeof (Finder));
  find_finders (dark, w, h, finders);
  n = MIN ((int) finders->len, MAX_FINDERS);
  {
    const Finder *f = (const Finder *) (void *) finders->data;
    for (int a = 0; a < n; a++)
      for (int b = a + 1; b < n; b++)
        for (int c = b + 1; c < n; c++)
          try_triple (grey, smooth, &f[a], &f[b], &f[c], NULL, grids);
    /* Two finders seen, the third lost to blur or glare: guessed where a
     * square code would have it, then searched. */
    if (grids->len == 0)
      for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
          guess_third (grey, smooth, &f[a], &f[b], grids);
  }
  g_ptr_array_sort (grids, compare_score);
  if ((int) grids->len > max_grids)
    g_ptr_array_set_size (grids, max_grids);
  return grids;
}

/* ---- drawing -------------------------------------------------------------- */

KioskImage *
kiosk_qr_grid_render (const KioskQrGrid *grid, KioskQrThreshold threshold, int module_px, int quiet)
{
  const int dim = grid->dimension, side = (dim + 2 * quiet) * module_px;
  const float mid = (grid->dark + grid->light) / 2;
  KioskImage *out;

  g_return_val_if_fail (module_px > 0 && quiet >= 0 && grid->modules != NULL, NULL);
  out = kiosk_image_new (side, side, KIOSK_PIXEL_GREY8);
  for (int y = 0; y < side; y++)
    memset (out->data + (gsize) out->stride * y, 255, side);
  for (int r = 0; r < dim; r++)
    for (int c = 0; c < dim; c++)
      {
        gboolean light;
        float v = grid->modules[r * dim + c], t = mid;
        if (!function_module (dim, r, c, &light))
          {
            if (threshold != KIOSK_QR_THRESHOLD_GLOBAL)
              {
                const int rad = threshold == KIOSK_QR_THRESHOLD_LOCAL ? 3 : 1;
                double s = 0;
                int n = 0;
                for (int j = MAX (r - rad, 0); j <= MIN (r + rad, dim - 1); j++)
                  for (int i = MAX (c - rad, 0); i <= MIN (c + rad, dim - 1); i++)
                    if (i != c || j != r)
                      s += grid->modules[j * dim + i], n++;
                if (threshold == KIOSK_QR_THRESHOLD_LOCAL)
                  t = (float) ((mid + s / n) / 2);
                else
                  v = (float) (v + 0.8 * (v - s / n));
              }
            light = v > t;
          }
        if (!light)
          for (int y = 0; y < module_px; y++)
            memset (out->data + (gsize) out->stride * ((r + quiet) * module_px + y) + (gsize) (c + quiet) * module_px,
                    0, module_px);
      }
  return out;
}
