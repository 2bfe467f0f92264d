/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Generated test material for the camera tests and benchmarks: barcodes
 * from zint placed in "photos" (rotated, in perspective, blurred, noisy,
 * faded, JPEG-compressed) and text pages on a dark mat in perspective.
 * Deterministic: every random choice comes from a seeded GRand. */

#include "camera-image.h"
#include "camera-page.h"

G_BEGIN_DECLS

/* zint symbologies by ZXing name: "QRCode", "DataMatrix", "PDF417",
 * "Code128". @scale: pixels per module. RGB, with quiet zones. */
KioskImage *testgen_symbol (const char *format, const char *text, int scale);

typedef struct {
  double rotate_deg;  /* in-plane rotation */
  double perspective; /* 0..0.4: how much one side shrinks */
  double blur_px;     /* approximate Gaussian sigma, 0: none */
  double noise;       /* Gaussian noise sigma in grey levels */
  double contrast;    /* 1: full; 0.25: ink and paper 64 levels apart */
  int jpeg_quality;   /* 0: none */
} TestgenDegrade;

/* A @width x @height photo: a paper-ish background with gentle light
 * gradient, @symbol placed at its centre covering @coverage of the shorter
 * side, then degraded. */
KioskImage *testgen_symbol_photo (KioskImage *symbol, int width, int height, double coverage, const TestgenDegrade *d,
                                  guint32 seed);

/* A white text page (lines of word-like blocks) @page_w x @page_h. */
KioskImage *testgen_text_page (int page_w, int page_h, guint32 seed);

/* A dark mat @width x @height with @page composited at @corners (TL, TR,
 * BR, BL, continuous pixel coordinates), with light falloff and noise. */
KioskImage *testgen_page_photo (KioskImage *page, int width, int height, const KioskQuad *corners, double noise,
                                guint32 seed);

/* Random but plausible page corners in a @width x @height frame: a page
 * covering 45-75% of the frame, rotated up to @max_rotate_deg, with
 * perspective up to @max_persp. */
void testgen_random_quad (int width, int height, double max_rotate_deg, double max_persp, GRand *rand, KioskQuad *quad);

/* Composites @src onto @dst (RGB) at the quad @at (TL, TR, BR, BL), 4
 * samples per pixel, anti-aliased edges. */
void testgen_composite (KioskImage *dst, KioskImage *src, const KioskQuad *at);

/* Applies blur, noise, contrast and JPEG to @image in place or anew. */
KioskImage *testgen_degrade (KioskImage *image, const TestgenDegrade *d, GRand *rand);

G_END_DECLS
