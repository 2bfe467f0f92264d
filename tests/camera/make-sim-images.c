/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Regenerates the sample images of the camera simulator
 * (drivers/camera/sim-images/): make-sim-images OUTDIR */
#define G_LOG_DOMAIN "kiosk-camera-test"

#include "config.h"

#include <stdio.h>

#include "camera-testgen.h"

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *page_path = NULL;
  g_autofree char *qr_path = NULL;
  g_autofree char *mat_path = NULL;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s OUTDIR\n", argv[0]);
      return 2;
    }
  page_path = g_build_filename (argv[1], "01-page.jpg", NULL);
  qr_path = g_build_filename (argv[1], "02-receipt-qr.jpg", NULL);
  mat_path = g_build_filename (argv[1], "03-empty-mat.jpg", NULL);

  /* A text page on the mat, slightly turned and in perspective. */
  {
    g_autoptr (KioskImage) page = testgen_text_page (420, 594, 1);
    KioskQuad q = { { { 248, 72 }, { 547, 92 }, { 539, 522 }, { 227, 508 } } };
    g_autoptr (KioskImage) photo = testgen_page_photo (page, 800, 600, &q, 2, 1);
    if (!kiosk_image_save_jpeg (photo, page_path, 75, 0, &error))
      g_error ("%s", error->message);
  }
  /* A receipt's QR code held under the camera. It holds what the printed
   * receipt's holds (drivers/printer/print-render.c: the bare 受理编号),
   * here a provisional number of the demo kiosk (assets/demo.conf.in, id
   * demo-0001) with its check character, so that 进度查询 takes it. */
  {
    g_autoptr (KioskImage) sym = testgen_symbol ("QRCode", "DEMO-0001-20260301-0000010", 4);
    TestgenDegrade d = { .rotate_deg = 9, .perspective = 0.08, .noise = 2, .jpeg_quality = 0 };
    g_autoptr (KioskImage) photo = testgen_symbol_photo (sym, 800, 600, 0.4, &d, 2);
    if (!kiosk_image_save_jpeg (photo, qr_path, 75, 0, &error))
      g_error ("%s", error->message);
  }
  /* The bare mat: nothing to capture. */
  {
    g_autoptr (KioskImage) page = testgen_text_page (8, 8, 1);
    KioskQuad q = { { { -50, -50 }, { -40, -50 }, { -40, -40 }, { -50, -40 } } };
    g_autoptr (KioskImage) photo = testgen_page_photo (page, 800, 600, &q, 2, 3);
    if (!kiosk_image_save_jpeg (photo, mat_path, 75, 0, &error))
      g_error ("%s", error->message);
  }
  return 0;
}
