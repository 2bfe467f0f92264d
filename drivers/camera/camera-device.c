/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-camera"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "camera-device.h"

/* The same code within this time is reported once (a code held under the
 * camera is seen in every frame). */
#define BARCODE_REPEAT_US (3 * G_USEC_PER_SEC)

struct _KioskCameraDevice {
  KioskDevice parent_instance;

  gboolean sim;
  char *camera_id;
  char *sim_dir;
  int fps;
  int sim_hold_seconds;
  int auto_capture_ms;
  KioskPageOptions page_options;

  KioskCapture *capture;
  gboolean libcamera_starting; /* the worker thread of camera_start() runs */
  KioskCameraScanMode mode;
  KioskStillness *stillness;
  GCancellable *cancellable;
  gboolean scanning; /* a preview frame is being decoded */
  gboolean taking;   /* a still is on its way or being processed */
  gboolean still_for_page;
  char *last_code;
  gint64 last_code_time;
  guint64 frames;
  int screen_width, screen_fps; /* frames for the screen; 0: none */
};

G_DEFINE_FINAL_TYPE (KioskCameraDevice, kiosk_camera_device, KIOSK_TYPE_DEVICE)

enum {
  SIGNAL_PREVIEW_FRAME,
  SIGNAL_SCREEN_FRAME,
  SIGNAL_BARCODE,
  SIGNAL_STILL,
  SIGNAL_PAGE,
  SIGNAL_PAGE_FAILED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static const char *
msg_absent (void)
{
  return N_ ("The document camera is not connected. Please ask the staff for help.");
}

static void open_capture (KioskCameraDevice *self);

/* Auto-capture watched on the camera's thread, on the frames for the
 * screen (while they are made and pages are wanted). */
static gboolean
watching_on_screen (KioskCameraDevice *self)
{
  return self->screen_width > 0 && (self->mode & KIOSK_CAMERA_SCAN_PAGE) && self->auto_capture_ms > 0;
}

/* Tells the capture what is wanted now: frames for the screen, auto-capture
 * on them, and whether the main context needs the preview frames at all
 * (barcodes, auto-capture without the screen's frames, a listener). */
static void
update_capture (KioskCameraDevice *self)
{
  gboolean on_screen = watching_on_screen (self);

  if (self->capture == NULL)
    return;
  kiosk_capture_set_screen_preview (self->capture, self->screen_width, self->screen_fps);
  kiosk_capture_set_still_watch (self->capture, on_screen ? self->auto_capture_ms : 0);
  kiosk_capture_set_main_previews (self->capture,
                                   !on_screen || (self->mode & KIOSK_CAMERA_SCAN_BARCODE)
                                       || g_signal_has_handler_pending (self, signals[SIGNAL_PREVIEW_FRAME], 0, FALSE));
}

/* ---- frames (main context) -------------------------------------------------------- */

static void
barcode_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  KioskImage *image = task_data;
  GError *error = NULL;
  /* Preview frames: one fast pass (the next frame comes soon); stills and
   * files: the thorough search. */
  KioskBarcodeEffort effort
      = g_task_get_source_tag (task) == kiosk_camera_device_decode_async ? KIOSK_BARCODE_THOROUGH : KIOSK_BARCODE_FAST;
  GPtrArray *results = kiosk_barcode_decode (image, KIOSK_BARCODE_ALL, effort, &error);
  if (results == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, results, (GDestroyNotify) g_ptr_array_unref);
}

static void
preview_scan_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KioskCameraDevice *self = KIOSK_CAMERA_DEVICE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = g_task_propagate_pointer (G_TASK (result), &error);

  self->scanning = FALSE;
  if (found == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("preview barcode scan: %s", error->message);
      return;
    }
  if (!(self->mode & KIOSK_CAMERA_SCAN_BARCODE))
    return;
  for (guint i = 0; i < found->len; i++)
    {
      KioskBarcode *b = g_ptr_array_index (found, i);
      g_autofree char *key = g_strconcat (b->format, "\n", b->text, NULL);
      gint64 now = g_get_monotonic_time ();

      if (g_strcmp0 (key, self->last_code) == 0 && now - self->last_code_time < BARCODE_REPEAT_US)
        {
          self->last_code_time = now;
          continue;
        }
      g_free (self->last_code);
      self->last_code = g_steal_pointer (&key);
      self->last_code_time = now;
      /* The text may be personal (an e-ID code): length only in the log. */
      g_info ("barcode %s (%zu bytes) in a preview frame", b->format, strlen (b->text));
      g_signal_emit (self, signals[SIGNAL_BARCODE], 0, b->format, b->text);
    }
}

static void
take_still (KioskCameraDevice *self, gboolean for_page)
{
  g_autoptr (GError) error = NULL;

  if (!kiosk_capture_request_still (self->capture, &error))
    {
      g_warning ("still capture: %s", error->message);
      if (for_page)
        g_signal_emit (self, signals[SIGNAL_PAGE_FAILED], 0, _ ("The picture could not be taken. Please try again."));
      return;
    }
  self->taking = TRUE;
  self->still_for_page = for_page;
  kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_BUSY, "taking a still",
                          N_ ("Taking the picture, please keep the page still."));
}

static void
handle_preview (KioskCameraDevice *self, KioskImage *image)
{
  self->frames++;
  g_signal_emit (self, signals[SIGNAL_PREVIEW_FRAME], 0, image);

  if ((self->mode & KIOSK_CAMERA_SCAN_BARCODE) && !self->scanning)
    {
      g_autoptr (GTask) task = g_task_new (self, self->cancellable, preview_scan_done_cb, NULL);
      self->scanning = TRUE;
      g_task_set_source_tag (task, handle_preview);
      g_task_set_task_data (task, kiosk_image_ref (image), (GDestroyNotify) kiosk_image_unref);
      g_task_run_in_thread (task, barcode_thread);
    }

  if ((self->mode & KIOSK_CAMERA_SCAN_PAGE) && self->auto_capture_ms > 0 && !self->taking && !watching_on_screen (self)
      && kiosk_stillness_feed (self->stillness, image, g_get_monotonic_time ()))
    {
      KioskQuad quad;
      /* Still, but is there a page? A bare mat waits for the next motion. */
      if (kiosk_page_find (image, &quad))
        {
          g_debug ("page still for %d ms: auto-capture", self->auto_capture_ms);
          take_still (self, TRUE);
        }
    }
}

typedef struct {
  KioskImage *still;
  KioskPageOptions options;
} PageJob;

static void
page_job_free (PageJob *job)
{
  kiosk_image_unref (job->still);
  g_free (job);
}

static void
page_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  PageJob *job = task_data;
  GError *error = NULL;
  KioskScannedPage *page = kiosk_page_process (job->still, &job->options, &error);

  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, (GDestroyNotify) kiosk_scanned_page_unref);
}

static void
page_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KioskCameraDevice *self = KIOSK_CAMERA_DEVICE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskScannedPage) page = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->taking = FALSE;
  if (kiosk_capture_is_open (self->capture))
    kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_READY, kiosk_capture_get_id (self->capture), NULL);
  if (page == NULL)
    {
      g_message ("page not taken: %s", error->message);
      g_signal_emit (self, signals[SIGNAL_PAGE_FAILED], 0,
                     g_error_matches (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_PAGE)
                         ? _ ("No document found. Please lay the page flat inside the frame on the mat.")
                         : _ ("The picture could not be taken. Please try again."));
      return;
    }
  g_info ("page taken: %dx%d at %d dpi, %s, %zu bytes", page->width, page->height, page->dpi,
          kiosk_page_mode_to_string (page->mode), g_bytes_get_size (page->jpeg));
  g_signal_emit (self, signals[SIGNAL_PAGE], 0, page);
}

static void
handle_still (KioskCameraDevice *self, KioskImage *image)
{
  g_signal_emit (self, signals[SIGNAL_STILL], 0, image);
  if (self->still_for_page)
    {
      g_autoptr (GTask) task = g_task_new (self, self->cancellable, page_done_cb, NULL);
      PageJob *job = g_new0 (PageJob, 1);
      job->still = kiosk_image_ref (image);
      job->options = self->page_options;
      g_task_set_source_tag (task, handle_still);
      g_task_set_task_data (task, job, (GDestroyNotify) page_job_free);
      g_task_run_in_thread (task, page_thread);
      return;
    }
  self->taking = FALSE;
  kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_READY, kiosk_capture_get_id (self->capture), NULL);
}

static void
capture_frame_cb (KioskCapture *capture, KioskFrameRole role, KioskImage *image, gpointer user_data)
{
  KioskCameraDevice *self = user_data;

  if (role == KIOSK_FRAME_PREVIEW)
    handle_preview (self, image);
  else if (self->taking)
    handle_still (self, image);
}

static void
capture_frame_error_cb (KioskCapture *capture, KioskFrameRole role, const char *reason, gpointer user_data)
{
  KioskCameraDevice *self = user_data;

  if (role != KIOSK_FRAME_STILL || !self->taking)
    return;
  self->taking = FALSE;
  kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_READY, reason, NULL);
  if (self->still_for_page)
    g_signal_emit (self, signals[SIGNAL_PAGE_FAILED], 0, _ ("The picture could not be taken. Please try again."));
}

static void
capture_screen_cb (KioskCapture *capture, KioskImage *image, const KioskQuad *outline, gboolean still,
                   gpointer user_data)
{
  KioskCameraDevice *self = user_data;

  if (self->screen_width <= 0)
    return;
  /* found and still, seen on the camera's thread: taken now */
  if (still && watching_on_screen (self) && !self->taking)
    {
      g_debug ("page still for %d ms (screen frames): auto-capture", self->auto_capture_ms);
      take_still (self, TRUE);
    }
  g_signal_emit (self, signals[SIGNAL_SCREEN_FRAME], 0, image, outline);
}

static void
capture_hotplug_cb (KioskCapture *capture, const char *id, gboolean added, gpointer user_data)
{
  KioskCameraDevice *self = user_data;

  if (added)
    {
      g_message ("camera added: %s", id);
      if (!kiosk_capture_is_open (capture))
        open_capture (self);
      return;
    }
  g_message ("camera removed: %s", id);
  if (kiosk_capture_is_open (capture) && g_strcmp0 (id, kiosk_capture_get_id (capture)) == 0)
    {
      g_autofree char *reason = g_strdup_printf ("camera %s removed", id);
      kiosk_capture_close (capture);
      self->taking = FALSE;
      kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_ABSENT, reason,
                              N_ ("The document camera was disconnected. Please ask the staff for help."));
    }
}

static void
open_capture (KioskCameraDevice *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *describe = NULL;

  if (kiosk_capture_open (self->capture, &error))
    {
      describe = kiosk_capture_describe (self->capture);
      kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_READY, describe, NULL);
      return;
    }
  if (g_error_matches (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA))
    kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_ABSENT, error->message, msg_absent ());
  else if (g_error_matches (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_BUSY))
    kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_ERROR, error->message,
                            N_ ("The document camera is in use by another program. Please ask the staff for help."));
  else
    kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_ERROR, error->message,
                            N_ ("The document camera is not working. Please ask the staff for help."));
}

/* ---- KioskDevice ------------------------------------------------------------------------ */

static const KioskCaptureCallbacks capture_callbacks = {
  .frame = capture_frame_cb,
  .hotplug = capture_hotplug_cb,
  .frame_error = capture_frame_error_cb,
  .screen = capture_screen_cb,
};

static void
capture_created (KioskCameraDevice *self, GError *error)
{
  update_capture (self);
  if (self->capture == NULL)
    {
      kiosk_device_set_state (KIOSK_DEVICE (self),
                              g_error_matches (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA)
                                  ? KIOSK_DEVICE_STATE_ABSENT
                                  : KIOSK_DEVICE_STATE_ERROR,
                              error->message, msg_absent ());
      return;
    }
  open_capture (self);
}

/* Loading libcamera and starting its manager takes tens of milliseconds:
 * a worker thread does it, the device's context carries on. */
static void
libcamera_init_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (kiosk_capture_libcamera_init (&error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
libcamera_ready_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskCameraDevice *self = KIOSK_CAMERA_DEVICE (source);
  g_autoptr (GError) error = NULL;

  self->libcamera_starting = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error) && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* stopped meanwhile */
  g_clear_error (&error);
  self->capture = kiosk_capture_new_libcamera (self->camera_id, kiosk_device_get_context (KIOSK_DEVICE (self)),
                                               &capture_callbacks, self, &error);
  capture_created (self, error);
}

static void
camera_start (KioskDevice *device)
{
  KioskCameraDevice *self = KIOSK_CAMERA_DEVICE (device);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) task = NULL;

  self->cancellable = g_cancellable_new ();
  if (self->sim)
    {
      self->capture = kiosk_capture_new_sim (self->sim_dir, self->fps, self->sim_hold_seconds,
                                             kiosk_device_get_context (device), &capture_callbacks, self, &error);
      capture_created (self, error);
      return;
    }
  task = g_task_new (self, self->cancellable, libcamera_ready_cb, NULL);
  g_task_set_source_tag (task, camera_start);
  g_task_set_return_on_cancel (task, TRUE);
  self->libcamera_starting = TRUE;
  g_task_run_in_thread (task, libcamera_init_thread);
}

static void
camera_stop (KioskDevice *device)
{
  KioskCameraDevice *self = KIOSK_CAMERA_DEVICE (device);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* libcamera must not be left half started: the program may exit next,
   * and its static objects would be destroyed under the manager's thread.
   * This waits for the worker (a few tens of milliseconds at most). */
  if (self->libcamera_starting)
    {
      kiosk_capture_libcamera_init (NULL);
      self->libcamera_starting = FALSE;
    }
  g_clear_pointer (&self->capture, kiosk_capture_free);
  self->taking = FALSE;
  self->scanning = FALSE;
  kiosk_device_set_state (device, KIOSK_DEVICE_STATE_ABSENT, "stopped", NULL);
}

static char *
camera_probe (KioskDevice *device, GCancellable *cancellable, GError **error)
{
  KioskCameraDevice *self = KIOSK_CAMERA_DEVICE (device);

  if (self->sim)
    {
      g_autoptr (GDir) dir = NULL;
      const char *name;
      guint n = 0;

      if (self->sim_dir == NULL)
        {
          g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA, "[camera] sim-images is not set");
          return NULL;
        }
      dir = g_dir_open (self->sim_dir, 0, error);
      if (dir == NULL)
        return NULL;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *lower = g_ascii_strdown (name, -1);
          n += g_str_has_suffix (lower, ".jpg") || g_str_has_suffix (lower, ".jpeg")
               || g_str_has_suffix (lower, ".png");
        }
      if (n == 0)
        {
          g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA, "no JPEG or PNG files in %s",
                       self->sim_dir);
          return NULL;
        }
      return g_strdup_printf ("simulator: %u image(s) in %s", n, self->sim_dir);
    }
  {
    g_autoptr (GPtrArray) cams = kiosk_camera_list (error);
    g_autoptr (GString) s = NULL;

    if (cams == NULL)
      return NULL;
    if (cams->len == 0)
      {
        g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA, "libcamera lists no camera");
        return NULL;
      }
    s = g_string_new ("libcamera:");
    for (guint i = 0; i < cams->len; i++)
      {
        KioskCameraInfo *c = g_ptr_array_index (cams, i);
        g_string_append_printf (s, "%s %s%s%s%s", i ? "," : "", c->id, *c->model ? " (" : "", c->model,
                                *c->model ? ")" : "");
      }
    if (self->camera_id && *self->camera_id)
      {
        gboolean found = FALSE;
        for (guint i = 0; i < cams->len && !found; i++)
          found = g_str_equal (((KioskCameraInfo *) g_ptr_array_index (cams, i))->id, self->camera_id);
        if (!found)
          {
            g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA,
                         "configured camera %s not present (%s)", self->camera_id, s->str);
            return NULL;
          }
      }
    return g_string_free (g_steal_pointer (&s), FALSE);
  }
}

static void
kiosk_camera_device_finalize (GObject *object)
{
  KioskCameraDevice *self = KIOSK_CAMERA_DEVICE (object);

  g_clear_pointer (&self->capture, kiosk_capture_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->stillness, kiosk_stillness_free);
  g_free (self->camera_id);
  g_free (self->sim_dir);
  g_free (self->last_code);
  G_OBJECT_CLASS (kiosk_camera_device_parent_class)->finalize (object);
}

static void
kiosk_camera_device_class_init (KioskCameraDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KioskDeviceClass *device_class = KIOSK_DEVICE_CLASS (klass);

  object_class->finalize = kiosk_camera_device_finalize;
  device_class->start = camera_start;
  device_class->stop = camera_stop;
  device_class->probe = camera_probe;

  signals[SIGNAL_PREVIEW_FRAME] = g_signal_new ("preview-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                                NULL, NULL, G_TYPE_NONE, 1, KIOSK_TYPE_IMAGE);
  signals[SIGNAL_SCREEN_FRAME] = g_signal_new ("screen-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                               NULL, NULL, G_TYPE_NONE, 2, KIOSK_TYPE_IMAGE, G_TYPE_POINTER);
  signals[SIGNAL_BARCODE] = g_signal_new ("barcode", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_STILL] = g_signal_new ("still", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, KIOSK_TYPE_IMAGE);
  signals[SIGNAL_PAGE] = g_signal_new ("page", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, KIOSK_TYPE_SCANNED_PAGE);
  signals[SIGNAL_PAGE_FAILED] = g_signal_new ("page-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                              NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kiosk_camera_device_init (KioskCameraDevice *self)
{
}

KioskDevice *
kiosk_camera_device_new (KioskConfig *config, GError **error)
{
  g_autofree char *backend = kiosk_config_get_backend (config, "camera");
  g_autofree char *mode = kiosk_config_get_string (config, "camera", "page-mode");
  KioskCameraDevice *self = g_object_new (KIOSK_TYPE_CAMERA_DEVICE, "kind", "camera", "backend", backend, NULL);

  self->sim = g_strcmp0 (backend, "sim") == 0;
  self->camera_id = kiosk_config_get_string (config, "camera", "id");
  self->sim_dir = kiosk_config_get_path_value (config, "camera", "sim-images");
  self->fps = kiosk_config_get_int (config, "camera", "fps");
  self->sim_hold_seconds = kiosk_config_get_int (config, "camera", "sim-hold-seconds");
  self->auto_capture_ms = kiosk_config_get_int (config, "camera", "auto-capture-ms");
  self->page_options.dpi = kiosk_config_get_int (config, "camera", "dpi");
  self->page_options.field_width_mm = kiosk_config_get_int (config, "camera", "field-width-mm");
  if (!kiosk_page_mode_from_string (mode, &self->page_options.mode))
    self->page_options.mode = KIOSK_PAGE_GREY;
  self->stillness = kiosk_stillness_new ((gint64) self->auto_capture_ms * 1000);
  return KIOSK_DEVICE (self);
}

void
kiosk_camera_device_set_scan_mode (KioskCameraDevice *self, KioskCameraScanMode mode)
{
  g_return_if_fail (KIOSK_IS_CAMERA_DEVICE (self));
  if ((mode & KIOSK_CAMERA_SCAN_PAGE) && !(self->mode & KIOSK_CAMERA_SCAN_PAGE))
    kiosk_stillness_rearm (self->stillness);
  if (!(mode & KIOSK_CAMERA_SCAN_BARCODE))
    g_clear_pointer (&self->last_code, g_free);
  self->mode = mode;
  update_capture (self);
}

KioskCameraScanMode
kiosk_camera_device_get_scan_mode (KioskCameraDevice *self)
{
  g_return_val_if_fail (KIOSK_IS_CAMERA_DEVICE (self), KIOSK_CAMERA_SCAN_NONE);
  return self->mode;
}

void
kiosk_camera_device_set_screen_preview (KioskCameraDevice *self, int max_width, int max_fps)
{
  g_return_if_fail (KIOSK_IS_CAMERA_DEVICE (self));
  if (max_width <= 0 || max_fps <= 0)
    max_width = max_fps = 0;
  if (self->screen_width == max_width && self->screen_fps == max_fps)
    return;
  self->screen_width = max_width;
  self->screen_fps = max_fps;
  g_debug ("screen preview %s (%d px, %d fps)", max_width ? "on" : "off", max_width, max_fps);
  update_capture (self);
}

gboolean
kiosk_camera_device_get_screen_preview (KioskCameraDevice *self)
{
  g_return_val_if_fail (KIOSK_IS_CAMERA_DEVICE (self), FALSE);
  return self->screen_width > 0;
}

gboolean
kiosk_camera_device_capture (KioskCameraDevice *self)
{
  g_return_val_if_fail (KIOSK_IS_CAMERA_DEVICE (self), FALSE);
  if (self->capture == NULL || !kiosk_capture_is_open (self->capture) || self->taking)
    return FALSE;
  take_still (self, (self->mode & KIOSK_CAMERA_SCAN_PAGE) != 0);
  return self->taking;
}

void
kiosk_camera_device_retake (KioskCameraDevice *self)
{
  g_return_if_fail (KIOSK_IS_CAMERA_DEVICE (self));
  /* A page on its way already is the page on the mat: not taken twice. */
  if (self->taking && self->still_for_page)
    return;
  kiosk_stillness_rearm (self->stillness);
  if (self->capture)
    kiosk_capture_rearm_still (self->capture);
}

void
kiosk_camera_device_decode_async (KioskCameraDevice *self, KioskImage *image, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kiosk_camera_device_decode_async);
  g_task_set_task_data (task, kiosk_image_ref (image), (GDestroyNotify) kiosk_image_unref);
  g_task_run_in_thread (task, barcode_thread);
}

GPtrArray *
kiosk_camera_device_decode_finish (KioskCameraDevice *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
kiosk_camera_device_describe (KioskCameraDevice *self)
{
  g_autofree char *capture = NULL;

  if (self->capture == NULL)
    return g_strdup ("not started");
  capture = kiosk_capture_describe (self->capture);
  return g_strdup_printf ("%s; %" G_GUINT64_FORMAT " frames, %" G_GUINT64_FORMAT " stale preview frames dropped",
                          capture, kiosk_capture_get_delivered (self->capture),
                          kiosk_capture_get_dropped (self->capture));
}

guint64
kiosk_camera_device_get_frames (KioskCameraDevice *self)
{
  return self->frames;
}

void
kiosk_camera_device_sim_set_present (KioskCameraDevice *self, gboolean present)
{
  g_return_if_fail (KIOSK_IS_CAMERA_DEVICE (self));
  g_return_if_fail (self->sim && self->capture != NULL);
  kiosk_capture_sim_set_present (self->capture, present);
}
