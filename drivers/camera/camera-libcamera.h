/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The C face of libcamera (camera-libcamera.cpp), shaped after libcamera's
 * own `cam`: a camera is acquired exclusively, a configuration with a
 * viewfinder and a still-capture stream is generated, validate()d (and
 * possibly adjusted) before configure(), buffers are allocated and mapped,
 * and completed requests are only *announced* from libcamera's thread: the
 * caller queues them and reads/re-queues them on its own (GLib main) thread.
 * Hotplug comes from the manager's cameraAdded/cameraRemoved signals. */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct KioskLcManager KioskLcManager;
typedef struct KioskLcCamera KioskLcCamera;
typedef struct KioskLcRequest KioskLcRequest;

/* Called on libcamera's threads: they must only queue and wake up. */
typedef struct {
  void (*camera_added) (void *user_data, const char *id);
  void (*camera_removed) (void *user_data, const char *id);
} KioskLcCallbacks;
typedef void (*KioskLcCompletedFunc) (void *user_data, KioskLcRequest *request);

typedef struct {
  char *id;
  char *model;       /* may be "" */
  char *location;    /* "front", "back", "external" or "" */
  int width, height; /* pixel array size, 0 when unknown */
} KioskLcCameraInfo;

/* Pixel layouts the C side converts (DRM fourcc names, memory order). */
typedef enum {
  KIOSK_LC_FORMAT_UNKNOWN,
  KIOSK_LC_FORMAT_R8,       /* grey */
  KIOSK_LC_FORMAT_RGB888,   /* B, G, R */
  KIOSK_LC_FORMAT_BGR888,   /* R, G, B */
  KIOSK_LC_FORMAT_XRGB8888, /* B, G, R, X */
  KIOSK_LC_FORMAT_XBGR8888, /* R, G, B, X */
  KIOSK_LC_FORMAT_YUYV,
  KIOSK_LC_FORMAT_NV12,
} KioskLcFormat;

typedef struct {
  KioskLcFormat format;
  int width, height;
  int stride;
  const uint8_t *planes[3]; /* mapped, valid until kiosk_lc_request_requeue() */
  size_t plane_sizes[3];
  int n_planes;
} KioskLcFrame;

typedef enum {
  KIOSK_LC_ROLE_PREVIEW,
  KIOSK_LC_ROLE_STILL,
} KioskLcRole;

/* Starts libcamera's camera manager. NULL with *error (malloc'ed). */
KioskLcManager *kiosk_lc_manager_new (const KioskLcCallbacks *callbacks, void *user_data, char **error);
void kiosk_lc_manager_free (KioskLcManager *manager);
/* The cameras present now; *n_cameras set. Free with kiosk_lc_camera_info_free. */
KioskLcCameraInfo *kiosk_lc_manager_list (KioskLcManager *manager, int *n_cameras);
void kiosk_lc_camera_info_free (KioskLcCameraInfo *info, int n);

/* Acquires @id (NULL or "": the first camera), configures a preview stream
 * of about @preview_width x @preview_height and a full-resolution still
 * stream, allocates and maps buffers. *busy is set when another process
 * holds the camera. @completed is called on libcamera's thread for each
 * completed request of this camera. */
KioskLcCamera *kiosk_lc_camera_open (KioskLcManager *manager, const char *id, int preview_width, int preview_height,
                                     KioskLcCompletedFunc completed, void *user_data, int *busy, char **error);
const char *kiosk_lc_camera_get_id (KioskLcCamera *camera);
/* A one-line description of what validate() settled on. */
const char *kiosk_lc_camera_describe (KioskLcCamera *camera);
/* Starts streaming: every preview buffer is queued. 0 or -errno. */
int kiosk_lc_camera_start (KioskLcCamera *camera, char **error);
/* Queues one still request (full resolution). 0, -EBUSY when one is in
 * flight, or -errno. */
int kiosk_lc_camera_capture_still (KioskLcCamera *camera);
/* Stops streaming: pending requests complete (cancelled) before this
 * returns, and their completions are announced like any other. */
void kiosk_lc_camera_stop (KioskLcCamera *camera);
/* Stops, frees buffers and releases the camera. Requests announced earlier
 * must not be touched afterwards. */
void kiosk_lc_camera_close (KioskLcCamera *camera);

/* On the caller's thread, for an announced request: */
KioskLcRole kiosk_lc_request_get_role (KioskLcRequest *request);
/* 0 when complete with a frame; 1 when cancelled (camera stopping). */
int kiosk_lc_request_get_frame (KioskLcRequest *request, KioskLcFrame *frame);
/* Gives the buffer back: a preview request is queued again while the camera
 * streams; a still request is parked until the next capture. */
void kiosk_lc_request_requeue (KioskLcRequest *request);

/* The shim is a kiosk module (app/kiosk-module.h), loaded on first use: the
 * functions above, in the program, forward to this table of the module's
 * own. kiosk_lc_manager_new() loads it; its error names the missing file. */
#define KIOSK_LC_MODULE "drivers/camera/kiosk-libcamera"
#define KIOSK_LC_MODULE_SYMBOL "kiosk_lc_module"
#define KIOSK_LC_API_VERSION 1

typedef struct {
  int version; /* KIOSK_LC_API_VERSION */
  KioskLcManager *(*manager_new) (const KioskLcCallbacks *callbacks, void *user_data, char **error);
  void (*manager_free) (KioskLcManager *manager);
  KioskLcCameraInfo *(*manager_list) (KioskLcManager *manager, int *n_cameras);
  void (*camera_info_free) (KioskLcCameraInfo *info, int n);
  KioskLcCamera *(*camera_open) (KioskLcManager *manager, const char *id, int preview_width, int preview_height,
                                 KioskLcCompletedFunc completed, void *user_data, int *busy, char **error);
  const char *(*camera_get_id) (KioskLcCamera *camera);
  const char *(*camera_describe) (KioskLcCamera *camera);
  int (*camera_start) (KioskLcCamera *camera, char **error);
  int (*camera_capture_still) (KioskLcCamera *camera);
  void (*camera_stop) (KioskLcCamera *camera);
  void (*camera_close) (KioskLcCamera *camera);
  KioskLcRole (*request_get_role) (KioskLcRequest *request);
  int (*request_get_frame) (KioskLcRequest *request, KioskLcFrame *frame);
  void (*request_requeue) (KioskLcRequest *request);
} KioskLcApi;

#ifdef __cplusplus
}
#endif
