/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* QR codes the library cannot read by itself (issue #11 §4): small modules
 * (3.5 to 5 pixels), blurred, noisy, in perspective. Pure image code: a
 * grey image in, module grids out, no decoding.
 *
 * 1. finder patterns: on a smoothed copy, locally thresholded, the
 *    connected components nested as a finder's are (a dark ring around a
 *    light hole around a dark stone), whatever their rotation or slant;
 * 2. three of them that make a code's corners (or two, the third searched
 *    where a square code has it) give its size in modules;
 * 3. the grid: a homography from module coordinates to pixels, fitted to
 *    everything a QR code of that size must show (finders, separators,
 *    timing rows, alignment patterns, the dark module, the quiet zone),
 *    by correlation with the grey image, so that the far corner follows
 *    the perspective;
 * 4. each module sampled at its centre (averaged over its middle): one
 *    grey value per module.
 * kiosk_qr_grid_render() then draws the code again, clean, for the
 * library. */

#include "camera-image.h"

G_BEGIN_DECLS

typedef struct {
  int dimension;     /* modules per side: 21 + 4 (version - 1) */
  double h[9];       /* homography: module coordinates (column, row) -> image pixels */
  double score;      /* correlation of the function patterns, 0..1 */
  float *modules;    /* dimension^2 grey values, row by row */
  float dark, light; /* the function patterns' mean dark and light values */
} KioskQrGrid;

void kiosk_qr_grid_free (KioskQrGrid *grid);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskQrGrid, kiosk_qr_grid_free)

/* Looks for QR codes in @grey (GREY8; kept until freed). */
typedef struct _KioskQrFinder KioskQrFinder;
KioskQrFinder *kiosk_qr_finder_new (KioskImage *grey);
void kiosk_qr_finder_free (KioskQrFinder *finder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskQrFinder, kiosk_qr_finder_free)

/* The module grids of the QR codes whose finder patterns (three, or two
 * and a third where it must be) are found, best fit first, at most
 * @max_grids (GPtrArray of KioskQrGrid; empty when none). Each @pass (0
 * to KIOSK_QR_PASSES - 1) thresholds differently: a caller stops at the
 * first that gives a code. */
#define KIOSK_QR_PASSES 3
GPtrArray *kiosk_qr_finder_grids (KioskQrFinder *finder, int pass, int max_grids);

/* How kiosk_qr_grid_render() decides dark from light. */
typedef enum {
  KIOSK_QR_THRESHOLD_GLOBAL,  /* halfway between the function patterns' dark and light */
  KIOSK_QR_THRESHOLD_LOCAL,   /* halfway, and the neighbouring modules' mean */
  KIOSK_QR_THRESHOLD_SHARPEN, /* each module against its 8 neighbours first (blur undone) */
  KIOSK_QR_THRESHOLD_N,
} KioskQrThreshold;

/* The code drawn again: black and white modules of @module_px pixels, the
 * function patterns as they must be, @quiet modules of quiet zone around.
 * A pixel (u, v) of it is module (u / module_px - quiet, v / module_px -
 * quiet). */
KioskImage *kiosk_qr_grid_render (const KioskQrGrid *grid, KioskQrThreshold threshold, int module_px, int quiet);

/* Module coordinates (x, y) -> image pixels (*px, *py), through grid->h. */
void kiosk_qr_grid_map (const KioskQrGrid *grid, double x, double y, double *px, double *py);

G_END_DECLS
