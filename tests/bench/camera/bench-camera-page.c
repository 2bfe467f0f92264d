/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Benchmark: the page pipeline (find corners, perspective warp, crop,
 * enhance, JPEG at 200 dpi) on a 12 MP frame, against a bare
 * libjpeg-turbo encode of the same frame. Median of several runs.
 *
 * Goal (issue #6): the pipeline within 2x the bare encode. */
#define G_LOG_DOMAIN "kiosk-camera-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "camera-page.h"
#include "camera-testgen.h"

#define RUNS 5

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof (double), cmp_double);
  return v[n / 2];
}

int
main (int argc, char **argv)
{
  const int W = 4000, H = 3000;
  g_autoptr (KioskImage) page = testgen_text_page (1400, 1980, 1);
  KioskQuad truth = { { { 1270, 260 }, { 2780, 330 }, { 2840, 2760 }, { 1180, 2700 } } };
  g_autoptr (KioskImage) frame = NULL;
  double enc[RUNS], pipe[RUNS], find[RUNS], warp[RUNS], enh[RUNS], pipe_color[RUNS];
  KioskPageOptions opt = { .dpi = 200, .field_width_mm = 420, .mode = KIOSK_PAGE_GREY, .quality = 85 };
  KioskPageOptions opt_color = opt;
  gsize enc_bytes = 0, page_bytes = 0;
  int pw = 0, ph = 0;

  opt_color.mode = KIOSK_PAGE_COLOR;
  printf ("generating a %dx%d (12 MP) frame: a text page on the mat in perspective...\n", W, H);
  frame = testgen_page_photo (page, W, H, &truth, 3, 1);

  for (int r = 0; r < RUNS; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr (GBytes) jpeg = kiosk_image_encode_jpeg (frame, 85, 0, NULL);
      gint64 t1 = g_get_monotonic_time ();
      g_autoptr (KioskScannedPage) sp = kiosk_page_process (frame, &opt, NULL);
      gint64 t2 = g_get_monotonic_time ();
      g_autoptr (KioskScannedPage) spc = kiosk_page_process (frame, &opt_color, NULL);
      gint64 t3 = g_get_monotonic_time ();
      KioskQuad q;
      g_autoptr (KioskImage) flat = NULL;
      g_autoptr (KioskImage) clean = NULL;
      gint64 s0, s1, s2, s3;

      g_assert (sp != NULL && spc != NULL);
      enc[r] = (t1 - t0) / 1000.0;
      pipe[r] = (t2 - t1) / 1000.0;
      pipe_color[r] = (t3 - t2) / 1000.0;
      enc_bytes = g_bytes_get_size (jpeg);
      page_bytes = g_bytes_get_size (sp->jpeg);
      pw = sp->width;
      ph = sp->height;

      /* Stage breakdown. */
      s0 = g_get_monotonic_time ();
      kiosk_page_find (frame, &q);
      s1 = g_get_monotonic_time ();
      flat = kiosk_page_warp (frame, &q, pw, ph);
      s2 = g_get_monotonic_time ();
      clean = kiosk_page_enhance (flat, KIOSK_PAGE_GREY);
      s3 = g_get_monotonic_time ();
      g_assert (clean != NULL);
      find[r] = (s1 - s0) / 1000.0;
      warp[r] = (s2 - s1) / 1000.0;
      enh[r] = (s3 - s2) / 1000.0;
    }

  printf ("\n%-44s %10s %12s\n", "step (median of 5)", "ms", "output");
  printf ("%-44s %10.1f %9zu kB\n", "bare libjpeg-turbo encode, 12 MP, q85", median (enc, RUNS), enc_bytes / 1024);
  printf ("%-44s %10.1f %5dx%d\n", "page pipeline, grey, 200 dpi", median (pipe, RUNS), pw, ph);
  printf ("%-44s %10.1f\n", "  find corners", median (find, RUNS));
  printf ("%-44s %10.1f\n", "  perspective warp + crop", median (warp, RUNS));
  printf ("%-44s %10.1f\n", "  enhance (grey)", median (enh, RUNS));
  printf ("%-44s %10.1f %9zu kB\n", "  (rest: JPEG encode of the page)",
          median (pipe, RUNS) - median (find, RUNS) - median (warp, RUNS) - median (enh, RUNS), page_bytes / 1024);
  printf ("%-44s %10.1f\n", "page pipeline, colour, 200 dpi", median (pipe_color, RUNS));
  printf ("\npipeline / bare encode: grey %.2f, colour %.2f (goal <= 2.00)  %s\n",
          median (pipe, RUNS) / median (enc, RUNS), median (pipe_color, RUNS) / median (enc, RUNS),
          median (pipe, RUNS) <= 2 * median (enc, RUNS) ? "MET" : "NOT MET");
  return 0;
}
