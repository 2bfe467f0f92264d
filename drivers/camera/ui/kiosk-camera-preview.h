/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "camera-image.h"
#include "camera-page.h"

G_BEGIN_DECLS

/* The camera's live picture as a GdkPaintable (put it in a GtkPicture).
 * Frames are pushed as they come (preview-frame); the paintable presents at
 * a steady rate of its own: frames arriving faster are coalesced (the newest
 * wins), a late frame leaves the last one on screen. Optionally outlines the
 * page found in the frame. Main thread only. */

#define KIOSK_TYPE_CAMERA_PREVIEW (kiosk_camera_preview_get_type ())
G_DECLARE_FINAL_TYPE (KioskCameraPreview, kiosk_camera_preview, KIOSK, CAMERA_PREVIEW, GObject)

KioskCameraPreview *kiosk_camera_preview_new (int fps);
void kiosk_camera_preview_push_frame (KioskCameraPreview *self, KioskImage *frame);
/* The page outline in frame pixels; NULL hides it. */
void kiosk_camera_preview_set_outline (KioskCameraPreview *self, const KioskQuad *quad);
/* Back to an empty picture (camera gone). */
void kiosk_camera_preview_clear (KioskCameraPreview *self);
int kiosk_camera_preview_get_fps (KioskCameraPreview *self);
/* Frames pushed / frames presented (counters for tests and diagnostics). */
guint64 kiosk_camera_preview_get_pushed (KioskCameraPreview *self);
guint64 kiosk_camera_preview_get_presented (KioskCameraPreview *self);

G_END_DECLS
