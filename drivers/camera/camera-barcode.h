/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "camera-image.h"

G_BEGIN_DECLS

/* The symbologies the kiosk reads (receipts, e-ID and e-licence codes). */
typedef enum {
  KIOSK_BARCODE_QR_CODE = 1 << 0,
  KIOSK_BARCODE_DATA_MATRIX = 1 << 1,
  KIOSK_BARCODE_PDF417 = 1 << 2,
  KIOSK_BARCODE_CODE128 = 1 << 3,
  KIOSK_BARCODE_ALL = 0xf,
} KioskBarcodeFormats;

typedef struct {
  /* ZXing's names, kept as the JSON contract of `kioskctl barcode decode`:
   * "QRCode", "DataMatrix", "PDF417", "Code128". */
  char *format;
  char *text;        /* UTF-8 */
  double corners[8]; /* x,y clockwise from top-left, in the image's pixels */
} KioskBarcode;

void kiosk_barcode_free (KioskBarcode *barcode);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskBarcode, kiosk_barcode_free)

typedef enum {
  /* Preview frames: one fast pass (continuous scan mode). */
  KIOSK_BARCODE_FAST,
  /* Stills and files: the library's best on the whole frame, then the
   * regions that look like codes, found on a reduced copy, each cropped,
   * turned square to the axes, stretched in contrast and scaled to a
   * module size the library reads, with more than one binarisation;
   * last, QR codes rectified from their finder patterns and drawn again
   * clean (camera-qr-rectify.h). */
  KIOSK_BARCODE_THOROUGH,
  /* The library alone (ZXing with try-harder and try-rotate, a contrast
   * stretch and a half-size copy): what THOROUGH did before issue #11,
   * kept for the benchmark's comparison. */
  KIOSK_BARCODE_LIBRARY,
} KioskBarcodeEffort;

/* Decodes the symbols in @image. Returns a GPtrArray of KioskBarcode (empty
 * when none was found; NULL with @error only when the decoder failed). Safe
 * to call from any thread. */
GPtrArray *kiosk_barcode_decode (KioskImage *image, KioskBarcodeFormats formats, KioskBarcodeEffort effort,
                                 GError **error);

G_END_DECLS
