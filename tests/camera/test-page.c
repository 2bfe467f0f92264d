/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The page pipeline on synthetic photos: a text page composited onto the
 * dark mat in perspective; found corners must lie near the truth. */
#define G_LOG_DOMAIN "kiosk-camera-test"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "camera-page.h"
#include "camera-testgen.h"

#define FRAME_W 1200
#define FRAME_H 900
/* Corner tolerance: 0.5% of the frame width (6 px at 1200 wide; about
 * 2 mm of paper at the default field of view). */
#define TOLERANCE (FRAME_W * 0.005)

static double
corner_error (const KioskQuad *truth, const KioskQuad *found)
{
  double worst = 0;
  for (int i = 0; i < 4; i++)
    worst = MAX (worst, hypot (truth->p[i].x - found->p[i].x, truth->p[i].y - found->p[i].y));
  return worst;
}

static void
test_corners (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20240601);
  g_autoptr (KioskImage) page = testgen_text_page (840, 1188, 5);
  double worst = 0;

  for (int i = 0; i < 6; i++)
    {
      KioskQuad truth, found;
      g_autoptr (KioskImage) photo = NULL;
      double err;
      double max_rot = i < 3 ? 12 : 35, max_persp = i < 3 ? 0.1 : 0.25;

      testgen_random_quad (FRAME_W, FRAME_H, max_rot, max_persp, rand, &truth);
      photo = testgen_page_photo (page, FRAME_W, FRAME_H, &truth, 4 + i, 100 + i);
      g_assert_true (kiosk_page_find (photo, &found));
      err = corner_error (&truth, &found);
      g_test_message ("photo %d: worst corner error %.2f px (tolerance %.1f)", i, err, TOLERANCE);
      if (err > TOLERANCE)
        {
          g_autofree char *path = g_strdup_printf ("page-corners-%d.png", i);
          kiosk_image_save_png (photo, path, NULL);
          g_test_message ("saved %s; truth TL %.1f,%.1f found %.1f,%.1f", path, truth.p[0].x, truth.p[0].y,
                          found.p[0].x, found.p[0].y);
        }
      g_assert_cmpfloat (err, <=, TOLERANCE);
      worst = MAX (worst, err);
    }
  g_test_message ("worst over all photos: %.2f px", worst);
}

/* The order is top-left first, clockwise, whatever the page's rotation. */
static void
test_corner_order (void)
{
  g_autoptr (KioskImage) page = testgen_text_page (420, 594, 6);
  KioskQuad truth = { { { 375, 225 }, { 750, 285 }, { 697, 750 }, { 315, 697 } } };
  KioskQuad found;
  g_autoptr (KioskImage) photo = testgen_page_photo (page, FRAME_W, FRAME_H, &truth, 3, 9);

  g_assert_true (kiosk_page_find (photo, &found));
  g_assert_cmpfloat (corner_error (&truth, &found), <=, TOLERANCE);
}

static void
test_empty_mat (void)
{
  g_autoptr (KioskImage) page = testgen_text_page (8, 8, 1);
  KioskQuad nowhere = { { { -100, -100 }, { -90, -100 }, { -90, -90 }, { -100, -90 } } };
  g_autoptr (KioskImage) photo = testgen_page_photo (page, 800, 600, &nowhere, 6, 2);
  KioskPageOptions options = { .dpi = 200, .field_width_mm = 420 };
  g_autoptr (GError) error = NULL;
  KioskScannedPage *scanned;
  KioskQuad q;

  /* A bare mat has no page; neither does the top-left speck of one. */
  g_assert_false (kiosk_page_find (photo, &q));
  scanned = kiosk_page_process (photo, &options, &error);
  g_assert_null (scanned);
  g_assert_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_PAGE);
}

static double
border_mean (KioskImage *img, int band)
{
  g_autoptr (KioskImage) grey = kiosk_image_to_grey (img);
  double sum = 0;
  guint64 n = 0;
  for (int y = 0; y < grey->height; y++)
    for (int x = 0; x < grey->width; x++)
      if (x < band || y < band || x >= grey->width - band || y >= grey->height - band)
        {
          sum += grey->data[(gsize) grey->stride * y + x];
          n++;
        }
  return sum / n;
}

/* Straightened, cropped, sized for the dpi, enhanced. */
static void
test_pipeline (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (77);
  g_autoptr (KioskImage) page = testgen_text_page (840, 1188, 8);
  KioskQuad truth;
  g_autoptr (KioskImage) photo = NULL;
  const KioskPageMode modes[] = { KIOSK_PAGE_COLOR, KIOSK_PAGE_GREY, KIOSK_PAGE_BW };

  testgen_random_quad (FRAME_W, FRAME_H, 20, 0.15, rand, &truth);
  photo = testgen_page_photo (page, FRAME_W, FRAME_H, &truth, 5, 11);

  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      /* The frame covers 400 mm of mat. */
      KioskPageOptions options = { .dpi = 150, .field_width_mm = 400, .mode = modes[m] };
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskScannedPage) scanned = kiosk_page_process (photo, &options, &error);
      g_autoptr (KioskImage) out = NULL;
      int ew, eh;

      g_assert_no_error (error);
      kiosk_page_output_size (&truth, FRAME_W, &options, &ew, &eh);
      g_assert_cmpint (ABS (scanned->width - ew), <=, ew / 100 + 2);
      g_assert_cmpint (ABS (scanned->height - eh), <=, eh / 100 + 2);
      g_assert_cmpint (scanned->dpi, ==, 150);
      out = kiosk_image_load_from_data (g_bytes_get_data (scanned->jpeg, NULL), g_bytes_get_size (scanned->jpeg),
                                        &error);
      g_assert_no_error (error);
      g_assert_cmpint (out->width, ==, scanned->width);
      g_assert_cmpint (out->height, ==, scanned->height);
      g_assert_cmpint (out->format, ==, modes[m] == KIOSK_PAGE_COLOR ? KIOSK_PIXEL_RGB24 : KIOSK_PIXEL_GREY8);
      /* JFIF density carries the dpi: bytes 14-17 of the APP0 segment. */
      {
        const guint8 *j = g_bytes_get_data (scanned->jpeg, NULL);
        g_assert_cmpint (j[13], ==, 1);
        g_assert_cmpint ((j[14] << 8) | j[15], ==, 150);
      }
      /* Cropped: the edges are paper, not mat. */
      g_test_message ("%s: %dx%d, border mean %.1f", kiosk_page_mode_to_string (modes[m]), out->width, out->height,
                      border_mean (out, 4));
      g_assert_cmpfloat (border_mean (out, 4), >, modes[m] == KIOSK_PAGE_COLOR ? 150 : 225);
      if (modes[m] == KIOSK_PAGE_BW)
        {
          /* Black and white: text stays (some dark pixels), little grey. */
          guint64 dark = 0, mid = 0, total = (guint64) out->width * out->height;
          for (int y = 0; y < out->height; y++)
            for (int x = 0; x < out->width; x++)
              {
                guint8 v = out->data[(gsize) out->stride * y + x];
                dark += v < 64;
                mid += v >= 64 && v < 192;
              }
          g_assert_cmpuint (dark, >, total / 50);
          g_assert_cmpuint (mid, <, total / 20);
        }
    }
}

/* The straightened page matches the page that was photographed. */
static void
test_warp_matches_source (void)
{
  g_autoptr (KioskImage) page = testgen_text_page (450, 636, 12);
  KioskQuad truth = { { { 315, 135 }, { 810, 180 }, { 847, 810 }, { 270, 757 } } };
  g_autoptr (KioskImage) photo = testgen_page_photo (page, FRAME_W, FRAME_H, &truth, 0, 1);
  g_autoptr (KioskImage) flat = NULL;
  g_autoptr (KioskImage) g1 = NULL;
  g_autoptr (KioskImage) g2 = NULL;
  KioskQuad found;
  double diff = 0;

  g_assert_true (kiosk_page_find (photo, &found));
  flat = kiosk_page_warp (photo, &found, page->width, page->height);
  g1 = kiosk_image_to_grey (flat);
  g2 = kiosk_image_to_grey (page);
  /* Compare with the light falloff taken out: normalise both to their mean. */
  {
    double m1 = 0, m2 = 0;
    for (int y = 0; y < page->height; y++)
      for (int x = 0; x < page->width; x++)
        {
          m1 += g1->data[(gsize) g1->stride * y + x];
          m2 += g2->data[(gsize) g2->stride * y + x];
        }
    for (int y = 0; y < page->height; y++)
      for (int x = 0; x < page->width; x++)
        diff += fabs (g1->data[(gsize) g1->stride * y + x] / m1 - g2->data[(gsize) g2->stride * y + x] / m2);
    diff *= m2 / ((double) page->width * page->height);
  }
  g_test_message ("mean absolute difference after warp: %.1f grey levels", diff);
  g_assert_cmpfloat (diff, <, 20);
}

static KioskScannedPage *
make_page (guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (KioskImage) page = testgen_text_page (420, 594, seed);
  KioskQuad truth;
  g_autoptr (KioskImage) photo = NULL;
  KioskPageOptions options = { .dpi = 100, .field_width_mm = 420, .mode = KIOSK_PAGE_GREY };

  testgen_random_quad (800, 600, 10, 0.05, rand, &truth);
  photo = testgen_page_photo (page, 800, 600, &truth, 3, seed);
  return kiosk_page_process (photo, &options, NULL);
}

/* The page count as poppler's pdfinfo reads it (cairo may compress its
 * object streams, so grepping the file is not reliable). */
static int
count_pdf_pages (const char *path)
{
  g_autofree char *data = NULL;
  g_autofree char *out = NULL;
  gsize size;
  const char *argv[] = { "pdfinfo", path, NULL };
  int status = -1;
  const char *line;

  g_assert_true (g_file_get_contents (path, &data, &size, NULL));
  g_assert_true (size > 4 && memcmp (data, "%PDF", 4) == 0);
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                     NULL, &status, NULL))
    return -1;
  g_assert_cmpint (status, ==, 0);
  line = strstr (out, "Pages:");
  g_assert_nonnull (line);
  return (int) g_ascii_strtoll (line + 6, NULL, 10);
}

/* A case's pages: add, retake one, remove one, one PDF with all of them. */
static void
test_page_list_pdf (void)
{
  g_autoptr (KioskPageList) list = kiosk_page_list_new ();
  g_autoptr (KioskScannedPage) p1 = make_page (1);
  g_autoptr (KioskScannedPage) p2 = make_page (2);
  g_autoptr (KioskScannedPage) p3 = make_page (3);
  g_autoptr (KioskScannedPage) p4 = make_page (4);
  g_autofree char *dir = g_dir_make_tmp ("kiosk-camera-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "case.pdf", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (p1);
  g_assert_nonnull (p4);
  g_assert_cmpuint (kiosk_page_list_add (list, p1), ==, 0);
  g_assert_cmpuint (kiosk_page_list_add (list, p2), ==, 1);
  g_assert_cmpuint (kiosk_page_list_add (list, p3), ==, 2);
  /* Retake the second page: the next capture replaces it. */
  g_assert_true (kiosk_page_list_retake (list, 1));
  g_assert_false (kiosk_page_list_retake (list, 3));
  g_assert_cmpint (kiosk_page_list_get_retake (list), ==, 1);
  g_assert_cmpuint (kiosk_page_list_add (list, p4), ==, 1);
  g_assert_cmpint (kiosk_page_list_get_retake (list), ==, -1);
  g_assert_cmpuint (kiosk_page_list_get_n_pages (list), ==, 3);
  g_assert_true (kiosk_page_list_get (list, 1) == p4);

  g_assert_true (kiosk_page_list_write_pdf (list, pdf, &error));
  g_assert_no_error (error);
  if (count_pdf_pages (pdf) < 0)
    {
      g_unlink (pdf);
      g_rmdir (dir);
      g_test_skip ("pdfinfo (poppler-utils) not installed");
      return;
    }
  g_assert_cmpint (count_pdf_pages (pdf), ==, 3);
  g_assert_true (kiosk_page_list_remove (list, 0));
  g_assert_true (kiosk_page_list_write_pdf (list, pdf, &error));
  g_assert_cmpint (count_pdf_pages (pdf), ==, 2);
  g_unlink (pdf);
  g_rmdir (dir);
}

/* Auto-capture: moving frames, then still for the hold time: one trigger;
 * nothing more while still; a new page (motion) arms it again. */
static void
test_stillness (void)
{
  g_autoptr (KioskStillness) still = kiosk_stillness_new (800 * 1000);
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  g_autoptr (KioskImage) page = testgen_text_page (420, 594, 5);
  KioskQuad q1, q2;
  g_autoptr (KioskImage) a = NULL;
  g_autoptr (KioskImage) b = NULL;
  g_autoptr (KioskImage) noisy = NULL;
  gint64 t = 0;
  int fired = 0;
  const gint64 frame = 1000000 / 15;

  testgen_random_quad (640, 480, 10, 0.05, rand, &q1);
  testgen_random_quad (640, 480, 10, 0.05, rand, &q2);
  a = testgen_page_photo (page, 640, 480, &q1, 3, 1);
  b = testgen_page_photo (page, 640, 480, &q2, 3, 2);
  noisy = testgen_page_photo (page, 640, 480, &q1, 3, 3); /* same scene, other sensor noise */

  /* Moving: alternate two placements. */
  for (int i = 0; i < 20; i++, t += frame)
    fired += kiosk_stillness_feed (still, i % 2 ? a : b, t);
  g_assert_cmpint (fired, ==, 0);
  /* Still (with sensor noise) for 0.6 s: not yet. */
  for (int i = 0; i < 9; i++, t += frame)
    fired += kiosk_stillness_feed (still, i % 2 ? a : noisy, t);
  g_assert_cmpint (fired, ==, 0);
  /* Still long enough: exactly one trigger, however long it stays. */
  for (int i = 0; i < 40; i++, t += frame)
    fired += kiosk_stillness_feed (still, i % 2 ? a : noisy, t);
  g_assert_cmpint (fired, ==, 1);
  /* Retake re-arms without motion. */
  kiosk_stillness_rearm (still);
  for (int i = 0; i < 20; i++, t += frame)
    fired += kiosk_stillness_feed (still, a, t);
  g_assert_cmpint (fired, ==, 2);
  /* A new page laid down: moves, then still: triggers again. */
  for (int i = 0; i < 30; i++, t += frame)
    fired += kiosk_stillness_feed (still, b, t);
  g_assert_cmpint (fired, ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/camera/page/corners", test_corners);
  g_test_add_func ("/camera/page/corner-order", test_corner_order);
  g_test_add_func ("/camera/page/empty-mat", test_empty_mat);
  g_test_add_func ("/camera/page/pipeline", test_pipeline);
  g_test_add_func ("/camera/page/warp-matches-source", test_warp_matches_source);
  g_test_add_func ("/camera/page/list-pdf-retake", test_page_list_pdf);
  g_test_add_func ("/camera/page/auto-capture", test_stillness);
  return g_test_run ();
}
