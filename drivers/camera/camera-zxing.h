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

/* What to try (the @flags of kiosk_zx_decode). */
enum {
  KIOSK_ZX_TRY_HARDER = 1 << 0,   /* more scan lines, more detector effort */
  KIOSK_ZX_TRY_ROTATE = 1 << 1,   /* 1-D codes at 90 degrees too */
  KIOSK_ZX_NO_DOWNSCALE = 1 << 2, /* no reduced copies of a large image */
  KIOSK_ZX_BINARIZER_SHIFT = 4,   /* 2 bits: */
  KIOSK_ZX_BINARIZER_LOCAL = 0,   /*   local average (ZXing's default) */
  KIOSK_ZX_BINARIZER_GLOBAL = 1,  /*   histogram valley, per line for 1-D */
  KIOSK_ZX_BINARIZER_FIXED = 2,   /*   127 */
};

typedef struct {
  char *format;   /* ZXing's own name: "QRCode", "DataMatrix", "PDF417", "Code128" */
  char *text;     /* UTF-8 */
  int corners[8]; /* x,y of top-left, top-right, bottom-right, bottom-left */
} KioskZxResult;

/* Decodes every symbol of the allowed @formats in an 8-bit image with
 * @channels 1 (grey) or 3 (RGB), as @flags say (KIOSK_ZX_TRY_HARDER...).
 * Returns the number of results (>= 0) and
 * sets *results (NULL when none), or -1 with *error_message set (malloc'ed)
 * when ZXing threw. */
int kiosk_zx_decode (const uint8_t *data, int width, int height, int stride, int channels, unsigned formats,
                     unsigned flags, KioskZxResult **results, char **error_message);
void kiosk_zx_results_free (KioskZxResult *results, int n);

/* The shim is a kiosk module (app/kiosk-module.h), loaded on the first
 * decode; the two functions above forward to it. */
#define KIOSK_ZX_MODULE "drivers/camera/kiosk-zxing"
#define KIOSK_ZX_MODULE_SYMBOL "kiosk_zx_module"
#define KIOSK_ZX_API_VERSION 2

typedef struct {
  int version; /* KIOSK_ZX_API_VERSION */
  int (*decode) (const uint8_t *data, int width, int height, int stride, int channels, unsigned formats, unsigned flags,
                 KioskZxResult **results, char **error_message);
  void (*results_free) (KioskZxResult *results, int n);
} KioskZxApi;

#ifdef __cplusplus
}
#endif
