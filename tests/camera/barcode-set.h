/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A seeded, deterministic set of photos of codes on cluttered mats, like
 * what the document camera sees (issue #11 §4): QR (e-licence and e-ID
 * codes), Data Matrix, PDF417 and Code 128 from zint, on a paper label
 * lying on a mat strewn with text, shapes, stripes and other paper;
 * rotated, in perspective, blurred, noisy, dimmed, faded and
 * JPEG-compressed, at five levels of difficulty; and code-free cluttered
 * photos (no result may come out of those). */

#include "camera-image.h"

G_BEGIN_DECLS

#define BARCODE_SET_LEVELS 5

typedef struct {
  KioskImage *photo;
  const char *format; /* ZXing's name; NULL: a photo without any code */
  char *text;
  int level;             /* 1 (held flat under the lamp) .. 5 (hardest) */
  double cx, cy, module; /* where the code's centre is, photo pixels per module */
} BarcodeSample;

void barcode_sample_free (BarcodeSample *sample);

/* The set: @n_codes photos with one code each (formats in the proportions
 * of the set: 83 QR, 17 Data Matrix, 9 PDF417, 11 Code 128 per 120,
 * levels in turn), then @n_empty code-free photos. Same @seed, same
 * pixels. @width x @height photos. */
GPtrArray *barcode_set_generate (int n_codes, int n_empty, int width, int height, guint32 seed);

/* One sample of the set (the set is the sequence of these). */
BarcodeSample *barcode_set_sample (int index, int n_codes, int width, int height, guint32 seed);

G_END_DECLS
