/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "camera-image.h"
#include "camera-libcamera.h"
#include "camera-page.h"

G_BEGIN_DECLS

/* Frame capture, one pipeline for both backends:
 *
 *   libcamera thread / sim thread          GLib main context
 *   ----------------------------------     -------------------------------
 *   request completed, frame ready,   -->  queue (GAsyncQueue) + wake-up
 *   camera added/removed                   (a GSource's ready time) -->
 *                                          dispatch: newest preview frame
 *                                          only, stills and hotplug in
 *                                          order; raw buffer -> KioskImage
 *                                          (same converter for both), then
 *                                          the buffer goes back (requeue).
 *
 * Nothing is processed on the producer's thread; callbacks run on the main
 * context the capture was created for. */

typedef enum {
  KIOSK_FRAME_PREVIEW,
  KIOSK_FRAME_STILL,
} KioskFrameRole;

typedef struct _KioskCapture KioskCapture;

typedef struct {
  void (*frame) (KioskCapture *capture, KioskFrameRole role, KioskImage *image, gpointer user_data);
  /* A camera appeared or went away (hotplug). */
  void (*hotplug) (KioskCapture *capture, const char *id, gboolean added, gpointer user_data);
  /* A frame could not be used (unknown layout, cancelled still...). */
  void (*frame_error) (KioskCapture *capture, KioskFrameRole role, const char *reason, gpointer user_data);
  /* A frame for the screen (kiosk_capture_set_screen_preview): packed
   * RGB24, already scaled down, with the page found in it (@outline, in
   * its pixels) or NULL, and @still TRUE when, watched for auto-capture
   * (kiosk_capture_set_still_watch), the page has just lain still long
   * enough. Made on the camera's thread; only the newest waiting one is
   * delivered, or the first with @still. */
  void (*screen) (KioskCapture *capture, KioskImage *image, const KioskQuad *outline, gboolean still,
                  gpointer user_data);
} KioskCaptureCallbacks;

/* Plays the JPEG/PNG files of @folder (sorted by name) as a camera: preview
 * frames (at most @preview_side on the longer side) at @fps, each file held
 * @hold_seconds, stills at full resolution. */
KioskCapture *kiosk_capture_new_sim (const char *folder, int fps, double hold_seconds, GMainContext *context,
                                     const KioskCaptureCallbacks *callbacks, gpointer user_data, GError **error);
/* A libcamera camera (@id NULL or "": the first). Fails with NO_CAMERA when
 * libcamera was not available at build time. Opening happens in
 * kiosk_capture_open(). */
KioskCapture *kiosk_capture_new_libcamera (const char *id, GMainContext *context,
                                           const KioskCaptureCallbacks *callbacks, gpointer user_data, GError **error);
/* Loads the libcamera module and starts libcamera's camera manager (tens
 * of milliseconds: call it from a worker thread); once only, thread-safe.
 * kiosk_capture_new_libcamera() does the same when it has not been done. */
gboolean kiosk_capture_libcamera_init (GError **error);
void kiosk_capture_free (KioskCapture *capture);

/* Acquires the camera and starts streaming. NO_CAMERA when absent, BUSY when
 * another process holds it. */
gboolean kiosk_capture_open (KioskCapture *capture, GError **error);
gboolean kiosk_capture_is_open (KioskCapture *capture);
/* Stops streaming and releases the camera; undelivered frames are dropped. */
void kiosk_capture_close (KioskCapture *capture);
/* Asks for one full-resolution still; it arrives through ->frame. */
gboolean kiosk_capture_request_still (KioskCapture *capture, GError **error);
/* The id of the camera in use or wanted (the sim: its folder). */
const char *kiosk_capture_get_id (KioskCapture *capture);
/* What the camera settled on (formats and sizes), for the technician. */
char *kiosk_capture_describe (KioskCapture *capture);
/* Frames for the screen: at most @max_width pixels wide and @max_fps a
 * second, converted, scaled and searched for a page on the camera's own
 * thread (the simulator's, or libcamera's completion thread), then handed
 * to ->screen on the main context. @max_width or @max_fps 0: none (what is
 * still queued is dropped). Any thread. */
void kiosk_capture_set_screen_preview (KioskCapture *capture, int max_width, int max_fps);
/* Auto-capture on the camera's thread, on the frames for the screen: a
 * frame comes with still TRUE once the picture has not moved for @hold_ms
 * and a page is in it; then not again until the picture moves or
 * kiosk_capture_rearm_still(). A new watch waits for one of those first.
 * 0: not watched. Any thread. */
void kiosk_capture_set_still_watch (KioskCapture *capture, int hold_ms);
void kiosk_capture_rearm_still (KioskCapture *capture);
/* Whether preview frames are converted and handed to ->frame on the main
 * context (default TRUE); FALSE while the frames for the screen do all
 * that is needed. */
void kiosk_capture_set_main_previews (KioskCapture *capture, gboolean wanted);
/* Screen frames made (on the camera's thread) and delivered (main context). */
guint64 kiosk_capture_get_screen_made (KioskCapture *capture);
guint64 kiosk_capture_get_screen_delivered (KioskCapture *capture);

/* Preview frames dropped because a newer one was already waiting. */
guint64 kiosk_capture_get_dropped (KioskCapture *capture);
guint64 kiosk_capture_get_delivered (KioskCapture *capture);

/* Simulator only: the camera's USB cable pulled / plugged back. Goes through
 * the same hotplug path as libcamera's cameraRemoved/cameraAdded. */
void kiosk_capture_sim_set_present (KioskCapture *capture, gboolean present);

/* The same converter for every backend: a mapped buffer to an image. */
KioskImage *kiosk_image_from_lc_frame (const KioskLcFrame *frame, GError **error);

/* libcamera's cameras now. FALSE with @error when libcamera is missing or
 * its manager does not start; TRUE and an empty array with no camera. */
typedef struct {
  char *id;
  char *model;
  char *location;
  int width, height;
} KioskCameraInfo;

void kiosk_camera_info_free (KioskCameraInfo *info);
GPtrArray *kiosk_camera_list (GError **error);

G_END_DECLS
