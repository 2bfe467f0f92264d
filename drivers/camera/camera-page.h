/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "camera-image.h"

G_BEGIN_DECLS

/* Page processing: find the document on the camera's (dark) mat, correct
 * perspective and skew, crop, enhance, encode JPEG at a set resolution, and
 * assemble a case's pages into one PDF. Pure functions on images, no I/O
 * except where a path is passed; safe on any thread. */

typedef struct {
  double x, y;
} KioskPoint;

/* Corners in image pixels (continuous coordinates: the top-left pixel
 * covers [0,1)x[0,1)), in the order top-left, top-right, bottom-right,
 * bottom-left as the page appears in the frame. */
typedef struct {
  KioskPoint p[4];
} KioskQuad;

/* Finds the largest bright quadrilateral (the page) against the darker mat.
 * Returns FALSE when there is none: an empty mat, or a page too small (under
 * 5% of the frame) or cut off in a way that leaves no four corners. */
gboolean kiosk_page_find (KioskImage *image, KioskQuad *quad);

/* Maps @quad onto a @width x @height rectangle (bilinear sampling). */
KioskImage *kiosk_page_warp (KioskImage *image, const KioskQuad *quad, int width, int height);

typedef enum {
  KIOSK_PAGE_COLOR, /* as photographed */
  KIOSK_PAGE_GREY,  /* greyscale, uneven light removed, paper made white */
  KIOSK_PAGE_BW,    /* black and white for text (adaptive threshold) */
} KioskPageMode;

gboolean kiosk_page_mode_from_string (const char *text, KioskPageMode *mode);
const char *kiosk_page_mode_to_string (KioskPageMode mode);

/* A new GREY8 image for GREY and BW, a new reference for COLOR. */
KioskImage *kiosk_page_enhance (KioskImage *image, KioskPageMode mode);

typedef struct {
  int dpi;               /* output resolution ([camera] dpi) */
  double field_width_mm; /* width of the mat the frame covers; <= 0: unknown, keep the photo's scale */
  KioskPageMode mode;
  int quality; /* JPEG quality; 0: 85 */
} KioskPageOptions;

/* A scanned page: the JPEG and what it measures. Reference counted. */
typedef struct {
  GBytes *jpeg;
  int width, height; /* pixels */
  int dpi;
  KioskPageMode mode;
  KioskQuad corners; /* where it was found in the photo */
} KioskScannedPage;

#define KIOSK_TYPE_SCANNED_PAGE (kiosk_scanned_page_get_type ())
GType kiosk_scanned_page_get_type (void);
KioskScannedPage *kiosk_scanned_page_ref (KioskScannedPage *page);
void kiosk_scanned_page_unref (KioskScannedPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskScannedPage, kiosk_scanned_page_unref)

/* Output size for a page found at @quad in a frame @frame_width wide. */
void kiosk_page_output_size (const KioskQuad *quad, int frame_width, const KioskPageOptions *options, int *width,
                             int *height);

/* The whole pipeline on one photo: find, warp, enhance, encode. Fails with
 * KIOSK_CAMERA_ERROR_NO_PAGE when no document is in the frame. */
KioskScannedPage *kiosk_page_process (KioskImage *photo, const KioskPageOptions *options, GError **error);

/* ---- a case's pages ------------------------------------------------------- */

typedef struct _KioskPageList KioskPageList;

KioskPageList *kiosk_page_list_new (void);
void kiosk_page_list_free (KioskPageList *list);
guint kiosk_page_list_get_n_pages (KioskPageList *list);
KioskScannedPage *kiosk_page_list_get (KioskPageList *list, guint index);
/* Appends @page, or puts it in place of the page marked for retake.
 * Returns the index it took. */
guint kiosk_page_list_add (KioskPageList *list, KioskScannedPage *page);
/* Marks @index to be replaced by the next page added (the retake button).
 * -1 cancels. Returns FALSE when @index is out of range. */
gboolean kiosk_page_list_retake (KioskPageList *list, int index);
int kiosk_page_list_get_retake (KioskPageList *list);
gboolean kiosk_page_list_remove (KioskPageList *list, guint index);
/* One PDF, one page per scan at its physical size (from its dpi); the JPEG
 * streams are embedded as they are, not re-encoded. */
gboolean kiosk_page_list_write_pdf (KioskPageList *list, const char *path, GError **error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskPageList, kiosk_page_list_free)

/* ---- auto-capture ------------------------------------------------------------ */

/* Watches preview frames and says when the page has been still for a
 * moment. Fires once, then again only after the scene has moved (a new page
 * laid down) or after kiosk_stillness_rearm() (retake). */
typedef struct _KioskStillness KioskStillness;

KioskStillness *kiosk_stillness_new (gint64 hold_us);
void kiosk_stillness_free (KioskStillness *self);
/* Feeds one preview frame taken at @time_us (monotonic). Returns TRUE
 * exactly when the auto-capture should happen. */
gboolean kiosk_stillness_feed (KioskStillness *self, KioskImage *frame, gint64 time_us);
/* The mean absolute difference (grey levels) between the last two frames. */
double kiosk_stillness_get_motion (KioskStillness *self);
void kiosk_stillness_rearm (KioskStillness *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskStillness, kiosk_stillness_free)

G_END_DECLS
