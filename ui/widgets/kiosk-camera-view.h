/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

/* The document camera on a materials step: the live picture (the core's
 * "camera-preview" frames, wrapped as they come) with the page found in it
 * outlined, one plain status line (lay the material flat / recognising /
 * page N taken), the page count, 拍照 (take a picture now) and 重拍 (retake
 * the last page), and the pages taken so far as thumbnails, each with 删除.
 * The view only shows and asks: the page connects its signals to the
 * journey's intents.
 *
 * One fixed size whatever it shows (no frame yet, the camera gone, no page
 * or many), so nothing moves under a finger; every button is at least 64 px
 * and is named for screen readers by its visible label. Thumbnails are
 * decoded and scaled in a worker thread; on the main thread a frame is only
 * wrapped into a texture.
 *
 * Signals:
 *   "capture"     ()             拍照
 *   "retake"      ()             重拍: the last page again
 *   "remove-page" (guint page)   删除 under page @page (0-based) */

#define KIOSK_TYPE_CAMERA_VIEW (kiosk_camera_view_get_type ())
G_DECLARE_FINAL_TYPE (KioskCameraView, kiosk_camera_view, KIOSK, CAMERA_VIEW, GtkWidget)

/* The picture's size in px (frames are fitted into it); in a compact
 * window (below 1600x900) the smaller one, and no material line above the
 * status (the material's own card says it is being scanned). */
#define KIOSK_CAMERA_VIEW_PICTURE_WIDTH 384
#define KIOSK_CAMERA_VIEW_PICTURE_HEIGHT 288
#define KIOSK_CAMERA_VIEW_PICTURE_WIDTH_COMPACT 256
#define KIOSK_CAMERA_VIEW_PICTURE_HEIGHT_COMPACT 192

GtkWidget *kiosk_camera_view_new (void);

/* A frame from the core's "camera-preview" (its bytes are kept, not copied). */
void kiosk_camera_view_push_frame (KioskCameraView *self, const KioskCameraFrame *frame);
/* The camera gone: @message (already translated) in place of the picture,
 * the buttons off. NULL: the camera is back. */
void kiosk_camera_view_set_unavailable (KioskCameraView *self, const char *message);
/* What is being scanned: @material (a name, shown) or NULL (nothing chosen:
 * the buttons are off and the status line says to choose), and its pages
 * (GBytes of JPEG or PNG, in order). A page count grown by one says "page
 * N taken" until the page is taken off the mat. */
void kiosk_camera_view_set_pages (KioskCameraView *self, const char *material, GPtrArray *pages);
/* Drops the picture and every thumbnail (the session's wipe). */
void kiosk_camera_view_clear (KioskCameraView *self);

/* Tests: the texture on screen (or NULL), frames wrapped so far, and the
 * status line. */
GdkTexture *kiosk_camera_view_get_texture (KioskCameraView *self);
guint kiosk_camera_view_get_n_frames (KioskCameraView *self);
const char *kiosk_camera_view_get_status (KioskCameraView *self);
/* Tests: thumbnails shown (decoded) / pages given. */
guint kiosk_camera_view_get_n_thumbnails (KioskCameraView *self);

G_END_DECLS
