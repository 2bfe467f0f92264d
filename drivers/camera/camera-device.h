/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-device.h"

#include "camera-barcode.h"
#include "camera-capture.h"
#include "camera-image.h"
#include "camera-page.h"

G_BEGIN_DECLS

/* The document camera (高拍仪): preview frames, continuous barcode scanning,
 * page capture (automatic when the page lies still, or on demand) and
 * retake. Backends: "real" (libcamera), "sim" (image files, same pipeline).
 *
 * Signals, all on the main context the device was created on:
 *   "preview-frame" (KioskImage *frame)            every delivered preview frame (none
 *                   while PAGE mode watches the screen frames and nobody listens)
 *   "screen-frame"  (KioskImage *frame, const KioskQuad *outline)   while a screen
 *                   preview is asked for: a small RGB24 frame made on the camera's
 *                   thread, with the page found in it (NULL: none)
 *   "barcode"       (const char *format, const char *text)   scan mode BARCODE
 *   "still"         (KioskImage *still)            a full-resolution still
 *   "page"          (KioskScannedPage *page)       scan mode PAGE: a processed page
 *   "page-failed"   (const char *message)          plain-language, for the resident
 *
 * States: absent (no camera: waits for hotplug), ready, busy (taking and
 * processing a page), error (held by another program, refused every
 * configuration). Resident messages are translated (zh_CN). */

typedef enum {
  KIOSK_CAMERA_SCAN_NONE = 0,
  KIOSK_CAMERA_SCAN_BARCODE = 1 << 0, /* progress queries, QR login */
  KIOSK_CAMERA_SCAN_PAGE = 1 << 1,    /* materials: auto-capture */
} KioskCameraScanMode;

#define KIOSK_TYPE_CAMERA_DEVICE (kiosk_camera_device_get_type ())
G_DECLARE_FINAL_TYPE (KioskCameraDevice, kiosk_camera_device, KIOSK, CAMERA_DEVICE, KioskDevice)

/* Creates the camera device with the backend chosen by [camera] backend. */
KioskDevice *kiosk_camera_device_new (KioskConfig *config, GError **error);

void kiosk_camera_device_set_scan_mode (KioskCameraDevice *self, KioskCameraScanMode mode);
KioskCameraScanMode kiosk_camera_device_get_scan_mode (KioskCameraDevice *self);
/* Frames for the screen ("screen-frame"): at most @max_width wide and
 * @max_fps a second; 0 stops them (none is emitted after this returns).
 * While they are made in PAGE mode, auto-capture watches them on the
 * camera's thread and the main context converts no preview frame. */
void kiosk_camera_device_set_screen_preview (KioskCameraDevice *self, int max_width, int max_fps);
gboolean kiosk_camera_device_get_screen_preview (KioskCameraDevice *self);
/* Takes a still now (the capture button); in PAGE mode it is processed and
 * "page" or "page-failed" follows. FALSE when the camera is not streaming. */
gboolean kiosk_camera_device_capture (KioskCameraDevice *self);
/* The retake button: auto-capture fires again for the page on the mat (unless
 * a page is being taken already). The
 * caller marks which page of its KioskPageList the next one replaces. */
void kiosk_camera_device_retake (KioskCameraDevice *self);
/* Barcodes from a still or file image, off the main thread. */
void kiosk_camera_device_decode_async (KioskCameraDevice *self, KioskImage *image, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *kiosk_camera_device_decode_finish (KioskCameraDevice *self, GAsyncResult *result, GError **error);

/* What capture settled on (formats, sizes) and frame counters. */
char *kiosk_camera_device_describe (KioskCameraDevice *self);
guint64 kiosk_camera_device_get_frames (KioskCameraDevice *self);
/* Simulator only: pull / plug the virtual cable (developer dock, tests). */
void kiosk_camera_device_sim_set_present (KioskCameraDevice *self, gboolean present);

G_END_DECLS
