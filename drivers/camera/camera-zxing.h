/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The C face of ZXing-C++ 1.4 (camera-zxing.cpp). Plain C types only:
 * strings are malloc'ed, freed by kiosk_zx_results_free(). */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  KIOSK_ZX_QR_CODE = 1 << 0,
  KIOSK_ZX_DATA_MATRIX = 1 << 1,
  KIOSK_ZX_PDF417 = 1 << 2,
  KIOSK_ZX_CODE128 = 1 << 3,
};

typedef struct {
  char *format;   /* ZXing's own name: "QRCode", "DataMatrix", "PDF417", "Code128" */
  char *text;     /* UTF-8 */
  int corners[8]; /* x,y of top-left, top-right, bottom-right, bottom-left */
} KioskZxResult;

/* Decodes every symbol of the allowed @formats in an 8-bit image with
 * @channels 1 (grey) or 3 (RGB). Returns the number of results (>= 0) and
 * sets *results (NULL when none), or -1 with *error_message set (malloc'ed)
 * when ZXing threw. */
int kiosk_zx_decode (const uint8_t *data, int width, int height, int stride, int channels, unsigned formats,
                     int try_harder, KioskZxResult **results, char **error_message);
void kiosk_zx_results_free (KioskZxResult *results, int n);

/* The shim is a kiosk module (app/kiosk-module.h), loaded on the first
 * decode; the two functions above forward to it. */
#define KIOSK_ZX_MODULE "drivers/camera/kiosk-zxing"
#define KIOSK_ZX_MODULE_SYMBOL "kiosk_zx_module"
#define KIOSK_ZX_API_VERSION 1

typedef struct {
  int version; /* KIOSK_ZX_API_VERSION */
  int (*decode) (const uint8_t *data, int width, int height, int stride, int channels, unsigned formats, int try_harder,
                 KioskZxResult **results, char **error_message);
  void (*results_free) (KioskZxResult *results, int n);
} KioskZxApi;

#ifdef __cplusplus
}
#endif
