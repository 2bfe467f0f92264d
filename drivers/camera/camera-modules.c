/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The program's side of the two C++ shims: each function forwards to the
 * module's table, loading the module on first use (app/kiosk-module.h).
 * libcamera (with its tracing and ELF libraries), ZXing-C++ and libstdc++
 * thereby stay out of the kiosk until a camera is opened or a code read. */
#define G_LOG_DOMAIN "kiosk-camera"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "camera-zxing.h"
#include "kiosk-module.h"
#if HAVE_LIBCAMERA
#include "camera-libcamera.h"
#endif

/* On failure, a malloc'd message in *@error (the shims' convention) when
 * @error is not NULL. */
static gpointer
load_table (const char *module, const char *symbol, int version, char **error)
{
  g_autoptr (GError) local = NULL;
  gpointer table = kiosk_module_lookup (module, symbol, version, &local);

  if (table == NULL && error != NULL)
    *error = strdup (local->message);
  return table;
}

/* ---- ZXing-C++ ---------------------------------------------------------- */

static const KioskZxApi *
zx (char **error)
{
  return load_table (KIOSK_ZX_MODULE, KIOSK_ZX_MODULE_SYMBOL, KIOSK_ZX_API_VERSION, error);
}

int
kiosk_zx_decode (const uint8_t *data, int width, int height, int stride, int channels, unsigned formats, unsigned flags,
                 KioskZxResult **results, char **error_message)
{
  const KioskZxApi *api = zx (error_message);

  *results = NULL;
  if (api == NULL)
    return -1;
  return api->decode (data, width, height, stride, channels, formats, flags, results, error_message);
}

void
kiosk_zx_results_free (KioskZxResult *results, int n)
{
  const KioskZxApi *api;

  if (results == NULL)
    return;
  /* Results only exist once the module is loaded. */
  api = zx (NULL);
  g_return_if_fail (api != NULL);
  api->results_free (results, n);
}

/* ---- libcamera ---------------------------------------------------------- */

#if HAVE_LIBCAMERA
/* Every function but kiosk_lc_manager_new() takes an object that only the
 * loaded module can have made: the table is there. */
static const KioskLcApi *
lc (char **error)
{
  return load_table (KIOSK_LC_MODULE, KIOSK_LC_MODULE_SYMBOL, KIOSK_LC_API_VERSION, error);
}

#define LC() (lc (NULL))

KioskLcManager *
kiosk_lc_manager_new (const KioskLcCallbacks *callbacks, void *user_data, char **error)
{
  const KioskLcApi *api = lc (error);

  return api != NULL ? api->manager_new (callbacks, user_data, error) : NULL;
}

void
kiosk_lc_manager_free (KioskLcManager *manager)
{
  if (manager != NULL)
    LC ()->manager_free (manager);
}

KioskLcCameraInfo *
kiosk_lc_manager_list (KioskLcManager *manager, int *n_cameras)
{
  return LC ()->manager_list (manager, n_cameras);
}

void
kiosk_lc_camera_info_free (KioskLcCameraInfo *info, int n)
{
  if (info != NULL)
    LC ()->camera_info_free (info, n);
}

KioskLcCamera *
kiosk_lc_camera_open (KioskLcManager *manager, const char *id, int preview_width, int preview_height,
                      KioskLcCompletedFunc completed, void *user_data, int *busy, char **error)
{
  return LC ()->camera_open (manager, id, preview_width, preview_height, completed, user_data, busy, error);
}

const char *
kiosk_lc_camera_get_id (KioskLcCamera *camera)
{
  return LC ()->camera_get_id (camera);
}

const char *
kiosk_lc_camera_describe (KioskLcCamera *camera)
{
  return LC ()->camera_describe (camera);
}

int
kiosk_lc_camera_start (KioskLcCamera *camera, char **error)
{
  return LC ()->camera_start (camera, error);
}

int
kiosk_lc_camera_capture_still (KioskLcCamera *camera)
{
  return LC ()->camera_capture_still (camera);
}

void
kiosk_lc_camera_stop (KioskLcCamera *camera)
{
  LC ()->camera_stop (camera);
}

void
kiosk_lc_camera_close (KioskLcCamera *camera)
{
  LC ()->camera_close (camera);
}

KioskLcRole
kiosk_lc_request_get_role (KioskLcRequest *request)
{
  return LC ()->request_get_role (request);
}

int
kiosk_lc_request_get_frame (KioskLcRequest *request, KioskLcFrame *frame)
{
  return LC ()->request_get_frame (request, frame);
}

void
kiosk_lc_request_requeue (KioskLcRequest *request)
{
  LC ()->request_requeue (request);
}
#endif
