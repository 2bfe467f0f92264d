/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-camera"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "camera-capture.h"

typedef enum {
  EV_FRAME,      /* a buffer from the simulator */
  EV_LC_REQUEST, /* a completed libcamera request */
  EV_HOTPLUG,
  EV_ERROR,
  EV_SCREEN, /* a frame for the screen, made on the camera's thread */
} EventKind;

typedef struct {
  EventKind kind;
  KioskFrameRole role;
  KioskImage *image;
  KioskLcRequest *request;
  char *text; /* hotplug: camera id; error: reason */
  gboolean added;
  gboolean has_quad; /* screen: the page found in it */
  KioskQuad quad;
  gboolean still; /* screen: auto-capture's moment */
  gint still_gen; /* ... as armed then (a later re-arm voids it) */
} Event;

struct _KioskCapture {
  gboolean is_sim;
  GMainContext *context;
  KioskCaptureCallbacks callbacks;
  gpointer user_data;
  GAsyncQueue *queue;
  GSource *source;
  char *id;
  gboolean open;
  guint64 dropped;
  guint64 delivered;

  /* frames for the screen: settings (any thread, atomic), the time of the
   * last one made (the producing thread's), counters */
  gint screen_width;
  gint screen_fps;
  gint64 screen_last_us;
  gint screen_made;
  guint64 screen_delivered;
  /* auto-capture on those frames: settings (atomic), the stillness (the
   * producing thread's) */
  gint still_hold_ms;
  gint still_gen; /* bumped by each re-arm (main context) */
  KioskStillness *stillness;
  int stillness_hold_ms;
  gint stillness_gen;   /* the re-arm the stillness has seen */
  gboolean watch_armed; /* a re-arm or a motion since the watch began */
  gint main_previews;   /* preview frames converted on the main context */

  /* simulator */
  char *folder;
  int fps;
  double hold_seconds;
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean stop;
  gboolean still_wanted;
  gboolean present;

  /* libcamera */
  KioskLcCamera *lc;
  char *description;
};

static void
event_free (Event *ev)
{
  /* The sim thread's per-width cache of screen frames holds NULL slots
   * (g_ptr_array_set_size), and GPtrArray frees every slot. */
  if (ev == NULL)
    return;
  kiosk_image_unref (ev->image);
  g_free (ev->text);
  g_free (ev);
}

/* Any thread: queue, then wake the main context (thread-safe). */
static void
post (KioskCapture *self, Event *ev)
{
  g_async_queue_push (self->queue, ev);
  g_source_set_ready_time (self->source, 0);
}

/* ---- conversion -------------------------------------------------------------- */

static inline guint8
clamp8 (int v)
{
  return (guint8) (v < 0 ? 0 : v > 255 ? 255 : v);
}

/* BT.601 limited range, integer. */
static inline void
yuv_to_rgb (int y, int u, int v, guint8 *d)
{
  int c = 298 * (y - 16), dd = u - 128, e = v - 128;
  d[0] = clamp8 ((c + 409 * e + 128) >> 8);
  d[1] = clamp8 ((c - 100 * dd - 208 * e + 128) >> 8);
  d[2] = clamp8 ((c + 516 * dd + 128) >> 8);
}

KioskImage *
kiosk_image_from_lc_frame (const KioskLcFrame *f, GError **error)
{
  KioskImage *img;
  gsize need;

  if (f->width <= 0 || f->height <= 0 || f->n_planes < 1 || f->stride <= 0)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "empty frame %dx%d", f->width, f->height);
      return NULL;
    }
  need = (gsize) f->stride * (f->height - 1);
  switch (f->format)
    {
    case KIOSK_LC_FORMAT_R8:
      need += f->width;
      break;
    case KIOSK_LC_FORMAT_RGB888:
    case KIOSK_LC_FORMAT_BGR888:
      need += (gsize) f->width * 3;
      break;
    case KIOSK_LC_FORMAT_XRGB8888:
    case KIOSK_LC_FORMAT_XBGR8888:
      need += (gsize) f->width * 4;
      break;
    case KIOSK_LC_FORMAT_YUYV:
      need += (gsize) f->width * 2;
      break;
    case KIOSK_LC_FORMAT_NV12:
      need += f->width;
      break;
    case KIOSK_LC_FORMAT_UNKNOWN:
    default:
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "unsupported pixel layout %d", f->format);
      return NULL;
    }
  if (f->plane_sizes[0] < need)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED,
                   "short frame: %" G_GSIZE_FORMAT " bytes for %dx%d stride %d", f->plane_sizes[0], f->width, f->height,
                   f->stride);
      return NULL;
    }

  img = kiosk_image_new (f->width, f->height, f->format == KIOSK_LC_FORMAT_R8 ? KIOSK_PIXEL_GREY8 : KIOSK_PIXEL_RGB24);
  for (int y = 0; y < f->height; y++)
    {
      const guint8 *s = f->planes[0] + (gsize) f->stride * y;
      guint8 *d = img->data + (gsize) img->stride * y;
      switch (f->format)
        {
        case KIOSK_LC_FORMAT_R8:
          memcpy (d, s, f->width);
          break;
        case KIOSK_LC_FORMAT_BGR888: /* memory R, G, B */
          memcpy (d, s, (gsize) f->width * 3);
          break;
        case KIOSK_LC_FORMAT_RGB888: /* memory B, G, R */
          for (int x = 0; x < f->width; x++, s += 3, d += 3)
            d[0] = s[2], d[1] = s[1], d[2] = s[0];
          break;
        case KIOSK_LC_FORMAT_XRGB8888:
          for (int x = 0; x < f->width; x++, s += 4, d += 3)
            d[0] = s[2], d[1] = s[1], d[2] = s[0];
          break;
        case KIOSK_LC_FORMAT_XBGR8888:
          for (int x = 0; x < f->width; x++, s += 4, d += 3)
            d[0] = s[0], d[1] = s[1], d[2] = s[2];
          break;
        case KIOSK_LC_FORMAT_YUYV:
          for (int x = 0; x + 1 < f->width; x += 2, s += 4, d += 6)
            {
              yuv_to_rgb (s[0], s[1], s[3], d);
              yuv_to_rgb (s[2], s[1], s[3], d + 3);
            }
          break;
        case KIOSK_LC_FORMAT_NV12:
          {
            /* The UV plane: a second plane, or right after Y. */
            const guint8 *uv_base = f->n_planes > 1 ? f->planes[1] : f->planes[0] + (gsize) f->stride * f->height;
            gsize uv_size = f->n_planes > 1 ? f->plane_sizes[1] : f->plane_sizes[0] - (gsize) f->stride * f->height;
            gsize off = (gsize) f->stride * (y / 2);
            if (f->plane_sizes[0] < (gsize) f->stride * f->height && f->n_planes == 1)
              uv_size = 0;
            for (int x = 0; x < f->width; x++, d += 3)
              {
                gsize o = off + (gsize) (x & ~1);
                int u = o + 1 < uv_size ? uv_base[o] : 128, v = o + 1 < uv_size ? uv_base[o + 1] : 128;
                yuv_to_rgb (s[x], u, v, d);
              }
          }
          break;
        case KIOSK_LC_FORMAT_UNKNOWN:
        default:
          break;
        }
    }
  return img;
}

/* ---- frames for the screen (the camera's thread) ----------------------------- */

/* Whether a frame for the screen is due now (at most screen_fps a second);
 * @max_width gets the width wanted. The producing thread only. */
static gboolean
screen_due (KioskCapture *self, gint64 now, int *max_width)
{
  int width = g_atomic_int_get (&self->screen_width);
  int fps = g_atomic_int_get (&self->screen_fps);

  if (width <= 0 || fps <= 0)
    return FALSE;
  if (self->screen_last_us != 0 && now - self->screen_last_us < G_USEC_PER_SEC / fps)
    return FALSE;
  self->screen_last_us = now;
  *max_width = width;
  return TRUE;
}

/* @image scaled to at most @max_width wide, packed RGB24 (GTK 4.8 has no
 * grey memory format), and the page searched for in it. */
static Event *
screen_event_new (KioskImage *image, int max_width)
{
  g_autoptr (KioskImage) small = NULL;
  Event *ev = g_new0 (Event, 1);

  if (image->width > max_width)
    small = kiosk_image_resize_area (image, max_width,
                                     MAX (1, (int) ((gint64) image->height * max_width / image->width)));
  else
    small = kiosk_image_ref (image);
  ev->kind = EV_SCREEN;
  ev->role = KIOSK_FRAME_PREVIEW;
  if (small->format == KIOSK_PIXEL_RGB24)
    ev->image = kiosk_image_ref (small);
  else
    {
      ev->image = kiosk_image_new (small->width, small->height, KIOSK_PIXEL_RGB24);
      for (int y = 0; y < small->height; y++)
        {
          const guint8 *s = small->data + (gsize) small->stride * y;
          guint8 *d = ev->image->data + (gsize) ev->image->stride * y;
          for (int x = 0; x < small->width; x++, d += 3)
            d[0] = d[1] = d[2] = s[x];
        }
    }
  ev->has_quad = kiosk_page_find (small, &ev->quad);
  return ev;
}

/* Auto-capture's watch on a frame for the screen (the producing thread). */
static void
screen_watch (KioskCapture *self, Event *ev, gint64 now)
{
  int hold = g_atomic_int_get (&self->still_hold_ms);
  int gen = g_atomic_int_get (&self->still_gen);

  if (hold <= 0)
    return;
  if (self->stillness == NULL || self->stillness_hold_ms != hold)
    {
      g_clear_pointer (&self->stillness, kiosk_stillness_free);
      self->stillness = kiosk_stillness_new ((gint64) hold * 1000);
      self->stillness_hold_ms = hold;
      /* a new watch waits for a re-arm or a motion: the page lying there
       * may have been taken (or refused) already */
      self->stillness_gen = gen;
      self->watch_armed = FALSE;
    }
  if (gen != self->stillness_gen)
    {
      kiosk_stillness_rearm (self->stillness);
      self->stillness_gen = gen;
      self->watch_armed = TRUE;
    }
  /* still, but a bare mat waits for the next motion */
  ev->still = kiosk_stillness_feed (self->stillness, ev->image, now) && ev->has_quad && self->watch_armed;
  /* the stillness re-arms itself above this much motion (camera-page.c) */
  if (kiosk_stillness_get_motion (self->stillness) > 8.0)
    self->watch_armed = TRUE;
  else if (ev->still)
    self->watch_armed = FALSE;
  ev->still_gen = gen;
}

/* ---- main-context side ---------------------------------------------------------- */

static void
deliver_frame (KioskCapture *self, KioskFrameRole role, const KioskLcFrame *frame)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskImage) image = kiosk_image_from_lc_frame (frame, &error);

  if (image == NULL)
    {
      g_warning ("camera %s: unusable %s frame: %s", self->id, role == KIOSK_FRAME_STILL ? "still" : "preview",
                 error->message);
      if (self->callbacks.frame_error)
        self->callbacks.frame_error (self, role, error->message, self->user_data);
      return;
    }
  self->delivered++;
  if (self->callbacks.frame)
    self->callbacks.frame (self, role, image, self->user_data);
}

static void
handle_event (KioskCapture *self, Event *ev)
{
  switch (ev->kind)
    {
    case EV_FRAME:
      {
        /* The simulator's buffers are packed R, G, B: libcamera's BGR888. */
        KioskLcFrame f
            = { .format = ev->image->format == KIOSK_PIXEL_GREY8 ? KIOSK_LC_FORMAT_R8 : KIOSK_LC_FORMAT_BGR888,
                .width = ev->image->width,
                .height = ev->image->height,
                .stride = ev->image->stride,
                .planes = { ev->image->data },
                .plane_sizes = { (gsize) ev->image->stride * ev->image->height },
                .n_planes = 1 };
        deliver_frame (self, ev->role, &f);
      }
      break;
    case EV_LC_REQUEST:
      {
        KioskLcFrame f;
        KioskFrameRole role
            = kiosk_lc_request_get_role (ev->request) == KIOSK_LC_ROLE_STILL ? KIOSK_FRAME_STILL : KIOSK_FRAME_PREVIEW;
        if (kiosk_lc_request_get_frame (ev->request, &f) == 0)
          deliver_frame (self, role, &f);
        else if (role == KIOSK_FRAME_STILL && self->callbacks.frame_error)
          self->callbacks.frame_error (self, role, "still request cancelled", self->user_data);
        kiosk_lc_request_requeue (ev->request);
      }
      break;
    case EV_HOTPLUG:
      if (self->callbacks.hotplug)
        self->callbacks.hotplug (self, ev->text, ev->added, self->user_data);
      break;
    case EV_SCREEN:
      self->screen_delivered++;
      if (self->callbacks.screen)
        self->callbacks.screen (self, ev->image, ev->has_quad ? &ev->quad : NULL,
                                ev->still && ev->still_gen == g_atomic_int_get (&self->still_gen), self->user_data);
      break;
    case EV_ERROR:
      g_warning ("camera %s: %s", self->id, ev->text);
      if (self->callbacks.frame_error)
        self->callbacks.frame_error (self, ev->role, ev->text, self->user_data);
      break;
    }
}

static gboolean
is_preview (Event *ev)
{
  if (ev->kind == EV_FRAME)
    return ev->role == KIOSK_FRAME_PREVIEW;
  if (ev->kind == EV_LC_REQUEST)
    return kiosk_lc_request_get_role (ev->request) == KIOSK_LC_ROLE_PREVIEW;
  return FALSE;
}

static void
drop_event (KioskCapture *self, Event *ev)
{
  if (ev->kind == EV_LC_REQUEST)
    kiosk_lc_request_requeue (ev->request);
  self->dropped++;
  event_free (ev);
}

static gboolean
dispatch_cb (GSource *source, GSourceFunc callback, gpointer user_data)
{
  KioskCapture *self = user_data;
  g_autoptr (GPtrArray) events = g_ptr_array_new ();
  Event *ev;
  int last_preview = -1, last_screen = -1;
  gboolean screen_on = g_atomic_int_get (&self->screen_width) > 0;

  /* Reset the wake-up first: a push after this point schedules us again. */
  g_source_set_ready_time (source, -1);
  while ((ev = g_async_queue_try_pop (self->queue)) != NULL)
    {
      if (is_preview (ev))
        last_preview = (int) events->len;
      else if (ev->kind == EV_SCREEN && (last_screen < 0 || !((Event *) events->pdata[last_screen])->still))
        last_screen = (int) events->len;
      g_ptr_array_add (events, ev);
    }
  /* Only the newest preview frame is worth showing; stills and hotplug
   * events are all handled, in order. */
  for (guint i = 0; i < events->len; i++)
    {
      ev = g_ptr_array_index (events, i);
      if (is_preview (ev) && ((int) i != last_preview || !g_atomic_int_get (&self->main_previews)))
        drop_event (self, ev);
      else if (ev->kind == EV_SCREEN && ((int) i != last_screen || !screen_on))
        event_free (ev); /* a newer one waits, or the screen wants none now */
      else
        {
          handle_event (self, ev);
          event_free (ev);
        }
    }
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs capture_source_funcs = {
  .dispatch = dispatch_cb,
};

static KioskCapture *
capture_new (GMainContext *context, const KioskCaptureCallbacks *callbacks, gpointer user_data)
{
  KioskCapture *self = g_new0 (KioskCapture, 1);

  self->context = context ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  self->callbacks = *callbacks;
  self->user_data = user_data;
  self->queue = g_async_queue_new ();
  self->main_previews = TRUE;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->source = g_source_new (&capture_source_funcs, sizeof (GSource));
  g_source_set_callback (self->source, NULL, self, NULL);
  g_source_set_name (self->source, "kiosk camera frames");
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT);
  g_source_set_ready_time (self->source, -1);
  g_source_attach (self->source, self->context);
  return self;
}

/* Drops what is queued; hotplug events survive (kept in order). */
static void
purge_frames (KioskCapture *self)
{
  g_autoptr (GPtrArray) keep = g_ptr_array_new ();
  Event *ev;

  while ((ev = g_async_queue_try_pop (self->queue)) != NULL)
    {
      if (ev->kind == EV_HOTPLUG)
        g_ptr_array_add (keep, ev);
      else
        event_free (ev); /* requests die with the camera: not requeued */
    }
  for (guint i = 0; i < keep->len; i++)
    g_async_queue_push (self->queue, keep->pdata[i]);
  if (keep->len)
    g_source_set_ready_time (self->source, 0);
}

/* ---- the simulator -------------------------------------------------------------------- */

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
sim_list_files (const char *folder, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GDir) dir = g_dir_open (folder, 0, &local);
  GPtrArray *files;
  const char *name;

  if (dir == NULL)
    {
      /* For the simulator a missing folder is a missing camera. */
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA, "%s", local->message);
      return NULL;
    }
  files = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);
      if (g_str_has_suffix (lower, ".jpg") || g_str_has_suffix (lower, ".jpeg") || g_str_has_suffix (lower, ".png"))
        g_ptr_array_add (files, g_build_filename (folder, name, NULL));
    }
  g_ptr_array_sort (files, compare_paths);
  if (files->len == 0)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA, "no JPEG or PNG files in %s", folder);
      g_ptr_array_unref (files);
      return NULL;
    }
  return files;
}

static gpointer
sim_thread (gpointer data)
{
  KioskCapture *self = data;
  g_autoptr (GPtrArray) stills = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_image_unref);
  g_autoptr (GPtrArray) previews = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_image_unref);
  g_autoptr (GPtrArray) files = sim_list_files (self->folder, NULL);
  /* The files do not change: each one's frame for the screen is made once
   * (for the width asked then). */
  g_autoptr (GPtrArray) screens = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  int screens_width = 0;
  gint64 frame_us = G_USEC_PER_SEC / MAX (1, self->fps);
  gint64 hold_us = (gint64) (self->hold_seconds * G_USEC_PER_SEC);
  gint64 start, next;

  /* Decoding happens here, not on the main context. */
  if (files)
    {
      for (guint i = 0; i < files->len; i++)
        {
          g_autoptr (GError) error = NULL;
          KioskImage *img = kiosk_image_load (files->pdata[i], &error);
          if (img == NULL)
            {
              Event *ev = g_new0 (Event, 1);
              ev->kind = EV_ERROR;
              ev->text = g_strdup_printf ("sim image skipped: %s", error->message);
              post (self, ev);
              continue;
            }
          g_ptr_array_add (stills, img);
          /* A camera's preview stream is smaller than its stills. */
          g_ptr_array_add (previews, kiosk_image_scale_down (img, 1280));
        }
    }
  if (stills->len == 0)
    {
      Event *ev = g_new0 (Event, 1);
      ev->kind = EV_ERROR;
      ev->text = g_strdup_printf ("no usable images in %s", self->folder);
      post (self, ev);
    }

  g_mutex_lock (&self->lock);
  start = next = g_get_monotonic_time ();
  while (!self->stop)
    {
      gint64 now = g_get_monotonic_time ();
      guint idx;
      int width;

      if (now < next && !self->still_wanted)
        {
          g_cond_wait_until (&self->cond, &self->lock, next);
          continue;
        }
      if (!self->present || stills->len == 0)
        {
          self->still_wanted = FALSE;
          next = now + frame_us;
          continue;
        }
      idx = hold_us > 0 ? (guint) (((now - start) / hold_us) % stills->len) : 0;
      if (now >= next)
        {
          Event *ev = g_new0 (Event, 1);
          ev->kind = EV_FRAME;
          ev->role = KIOSK_FRAME_PREVIEW;
          ev->image = kiosk_image_ref (previews->pdata[idx]);
          post (self, ev);
          next += frame_us;
          if (next < now)
            next = now + frame_us; /* fell behind: do not burst */
          if (screen_due (self, now, &width))
            {
              Event *made;
              if (width != screens_width)
                {
                  g_ptr_array_set_size (screens, 0);
                  g_ptr_array_set_size (screens, stills->len);
                  screens_width = width;
                }
              if (screens->pdata[idx] == NULL)
                screens->pdata[idx] = screen_event_new (previews->pdata[idx], width);
              made = g_memdup2 (screens->pdata[idx], sizeof *made);
              made->image = kiosk_image_ref (made->image);
              screen_watch (self, made, now);
              g_atomic_int_inc (&self->screen_made);
              post (self, made);
            }
        }
      if (self->still_wanted)
        {
          Event *ev = g_new0 (Event, 1);
          ev->kind = EV_FRAME;
          ev->role = KIOSK_FRAME_STILL;
          ev->image = kiosk_image_ref (stills->pdata[idx]);
          self->still_wanted = FALSE;
          post (self, ev);
        }
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}

KioskCapture *
kiosk_capture_new_sim (const char *folder, int fps, double hold_seconds, GMainContext *context,
                       const KioskCaptureCallbacks *callbacks, gpointer user_data, GError **error)
{
  KioskCapture *self;

  if (folder == NULL)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA,
                   "[camera] sim-images is not set: the simulator has nothing to show");
      return NULL;
    }
  self = capture_new (context, callbacks, user_data);
  self->is_sim = TRUE;
  self->folder = g_strdup (folder);
  self->id = g_strdup_printf ("sim:%s", folder);
  self->fps = CLAMP (fps, 1, 60);
  self->hold_seconds = hold_seconds;
  self->present = TRUE;
  return self;
}

/* ---- libcamera -------------------------------------------------------------------------------- */

#if HAVE_LIBCAMERA
/* libcamera allows one CameraManager per process: shared, started once,
 * kept for the process's lifetime. Hotplug goes to every live capture. */
static KioskLcManager *lc_manager;
static char *lc_manager_error;
static GMutex lc_lock;
static GList *lc_captures;

static void
lc_hotplug (const char *id, gboolean added)
{
  g_mutex_lock (&lc_lock);
  for (GList *l = lc_captures; l; l = l->next)
    {
      Event *ev = g_new0 (Event, 1);
      ev->kind = EV_HOTPLUG;
      ev->text = g_strdup (id);
      ev->added = added;
      post (l->data, ev);
    }
  g_mutex_unlock (&lc_lock);
}

static void
lc_added_cb (void *user_data, const char *id)
{
  lc_hotplug (id, TRUE);
}

static void
lc_removed_cb (void *user_data, const char *id)
{
  lc_hotplug (id, FALSE);
}

static void
lc_completed_cb (void *user_data, KioskLcRequest *request)
{
  KioskCapture *self = user_data;
  Event *ev;
  int width;

  /* libcamera's thread: the frame for the screen is made here, while the
   * buffer is still ours (it is requeued once the main context is done). */
  if (kiosk_lc_request_get_role (request) == KIOSK_LC_ROLE_PREVIEW
      && screen_due (self, g_get_monotonic_time (), &width))
    {
      KioskLcFrame f;
      if (kiosk_lc_request_get_frame (request, &f) == 0)
        {
          g_autoptr (KioskImage) full = kiosk_image_from_lc_frame (&f, NULL);
          if (full)
            {
              Event *made = screen_event_new (full, width);
              screen_watch (self, made, g_get_monotonic_time ());
              g_atomic_int_inc (&self->screen_made);
              post (self, made);
            }
        }
    }
  ev = g_new0 (Event, 1);
  ev->kind = EV_LC_REQUEST;
  ev->request = request;
  post (user_data, ev);
}

static KioskLcManager *
lc_manager_get (GError **error)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      static const KioskLcCallbacks callbacks = { lc_added_cb, lc_removed_cb };
      /* libcamera logs INFO lines to stderr by default: the programs set
       * LIBCAMERA_LOG_LEVELS at start (kiosk_ui_preinit, kioskctl's main).
       * Not here: setenv() in this worker thread raced with getenv() on
       * the main thread and crashed the kiosk at start, now and then. */
      lc_manager = kiosk_lc_manager_new (&callbacks, NULL, &lc_manager_error);
      g_once_init_leave (&once, 1);
    }
  if (lc_manager == NULL)
    g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "libcamera: %s",
                 lc_manager_error ? lc_manager_error : "camera manager unavailable");
  return lc_manager;
}
#endif

KioskCapture *
kiosk_capture_new_libcamera (const char *id, GMainContext *context, const KioskCaptureCallbacks *callbacks,
                             gpointer user_data, GError **error)
{
#if HAVE_LIBCAMERA
  KioskCapture *self;

  if (lc_manager_get (error) == NULL)
    return NULL;
  self = capture_new (context, callbacks, user_data);
  self->id = g_strdup (id ? id : "");
  g_mutex_lock (&lc_lock);
  lc_captures = g_list_prepend (lc_captures, self);
  g_mutex_unlock (&lc_lock);
  return self;
#else
  g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA, "built without libcamera");
  return NULL;
#endif
}

gboolean
kiosk_capture_libcamera_init (GError **error)
{
#if HAVE_LIBCAMERA
  return lc_manager_get (error) != NULL;
#else
  g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA, "built without libcamera");
  return FALSE;
#endif
}

/* ---- common ---------------------------------------------------------------------------------- */

gboolean
kiosk_capture_open (KioskCapture *self, GError **error)
{
  if (self->open)
    return TRUE;
  if (self->is_sim)
    {
      g_autoptr (GPtrArray) files = NULL;
      if (!self->present)
        {
          g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA, "simulated camera unplugged");
          return FALSE;
        }
      files = sim_list_files (self->folder, error);
      if (files == NULL)
        return FALSE;
      self->stop = FALSE;
      self->still_wanted = FALSE;
      self->thread = g_thread_new ("kiosk-camera-sim", sim_thread, self);
      g_free (self->description);
      self->description = g_strdup_printf ("simulator: %u image(s) in %s, %d fps", files->len, self->folder, self->fps);
      self->open = TRUE;
      return TRUE;
    }
#if HAVE_LIBCAMERA
  {
    int busy = 0;
    char *message = NULL;
    int n = 0;
    KioskLcCameraInfo *info = kiosk_lc_manager_list (lc_manager, &n);

    kiosk_lc_camera_info_free (info, n);
    if (n == 0)
      {
        g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA, "libcamera lists no camera");
        return FALSE;
      }
    self->lc = kiosk_lc_camera_open (lc_manager, self->id, 1280, 960, lc_completed_cb, self, &busy, &message);
    if (self->lc == NULL)
      {
        g_set_error (error, KIOSK_CAMERA_ERROR,
                     busy                                         ? KIOSK_CAMERA_ERROR_BUSY
                     : (message && strstr (message, "no camera")) ? KIOSK_CAMERA_ERROR_NO_CAMERA
                                                                  : KIOSK_CAMERA_ERROR_CONFIG,
                     "%s", message ? message : "cannot open the camera");
        free (message);
        return FALSE;
      }
    if (kiosk_lc_camera_start (self->lc, &message) < 0)
      {
        g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "%s", message ? message : "start failed");
        free (message);
        kiosk_lc_camera_stop (self->lc);
        purge_frames (self);
        kiosk_lc_camera_close (self->lc);
        self->lc = NULL;
        return FALSE;
      }
    g_free (self->description);
    self->description = g_strdup (kiosk_lc_camera_describe (self->lc));
    if (self->id[0] == '\0')
      {
        g_free (self->id);
        self->id = g_strdup (kiosk_lc_camera_get_id (self->lc));
      }
    self->open = TRUE;
    return TRUE;
  }
#else
  g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA, "built without libcamera");
  return FALSE;
#endif
}

gboolean
kiosk_capture_is_open (KioskCapture *self)
{
  return self->open;
}

void
kiosk_capture_close (KioskCapture *self)
{
  if (!self->open)
    return;
  self->open = FALSE;
  if (self->is_sim)
    {
      g_mutex_lock (&self->lock);
      self->stop = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->lock);
      g_thread_join (self->thread);
      self->thread = NULL;
      purge_frames (self);
      return;
    }
#if HAVE_LIBCAMERA
  /* stop() completes the pending requests (cancelled); they are queued like
   * any other, then dropped here before their camera goes. */
  kiosk_lc_camera_stop (self->lc);
  purge_frames (self);
  kiosk_lc_camera_close (self->lc);
  self->lc = NULL;
#endif
}

gboolean
kiosk_capture_request_still (KioskCapture *self, GError **error)
{
  if (!self->open)
    {
      g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA, "camera not open");
      return FALSE;
    }
  if (self->is_sim)
    {
      g_mutex_lock (&self->lock);
      self->still_wanted = TRUE;
      g_cond_signal (&self->cond);
      g_mutex_unlock (&self->lock);
      return TRUE;
    }
#if HAVE_LIBCAMERA
  {
    int ret = kiosk_lc_camera_capture_still (self->lc);
    if (ret == -EBUSY)
      return TRUE; /* one is on its way already */
    if (ret < 0)
      {
        g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_FAILED, "still capture: %s", g_strerror (-ret));
        return FALSE;
      }
  }
#endif
  return TRUE;
}

const char *
kiosk_capture_get_id (KioskCapture *self)
{
  return self->id;
}

char *
kiosk_capture_describe (KioskCapture *self)
{
  if (!self->open)
    return g_strdup_printf ("%s (closed)", self->id);
  return g_strdup (self->description);
}

guint64
kiosk_capture_get_dropped (KioskCapture *self)
{
  return self->dropped;
}

guint64
kiosk_capture_get_delivered (KioskCapture *self)
{
  return self->delivered;
}

void
kiosk_capture_set_screen_preview (KioskCapture *self, int max_width, int max_fps)
{
  gboolean on = max_width > 0 && max_fps > 0;

  g_atomic_int_set (&self->screen_fps, on ? MIN (max_fps, 60) : 0);
  g_atomic_int_set (&self->screen_width, on ? MAX (max_width, 16) : 0);
}

void
kiosk_capture_set_still_watch (KioskCapture *self, int hold_ms)
{
  g_atomic_int_set (&self->still_hold_ms, MAX (hold_ms, 0));
}

void
kiosk_capture_rearm_still (KioskCapture *self)
{
  /* a still seen before this moment no longer counts */
  g_atomic_int_inc (&self->still_gen);
}

void
kiosk_capture_set_main_previews (KioskCapture *self, gboolean wanted)
{
  g_atomic_int_set (&self->main_previews, !!wanted);
}

guint64
kiosk_capture_get_screen_made (KioskCapture *self)
{
  return (guint) g_atomic_int_get (&self->screen_made);
}

guint64
kiosk_capture_get_screen_delivered (KioskCapture *self)
{
  return self->screen_delivered;
}

void
kiosk_capture_sim_set_present (KioskCapture *self, gboolean present)
{
  Event *ev;

  g_return_if_fail (self->is_sim);
  g_mutex_lock (&self->lock);
  if (self->present == present)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->present = present;
  g_mutex_unlock (&self->lock);
  ev = g_new0 (Event, 1);
  ev->kind = EV_HOTPLUG;
  ev->text = g_strdup (self->id);
  ev->added = present;
  post (self, ev);
}

void
kiosk_capture_free (KioskCapture *self)
{
  Event *ev;

  if (self == NULL)
    return;
  kiosk_capture_close (self);
#if HAVE_LIBCAMERA
  if (!self->is_sim)
    {
      g_mutex_lock (&lc_lock);
      lc_captures = g_list_remove (lc_captures, self);
      g_mutex_unlock (&lc_lock);
    }
#endif
  g_source_destroy (self->source);
  g_source_unref (self->source);
  while ((ev = g_async_queue_try_pop (self->queue)) != NULL)
    event_free (ev);
  g_async_queue_unref (self->queue);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_main_context_unref (self->context);
  g_clear_pointer (&self->stillness, kiosk_stillness_free);
  g_free (self->folder);
  g_free (self->id);
  g_free (self->description);
  g_free (self);
}

/* ---- listing ----------------------------------------------------------------------------------- */

void
kiosk_camera_info_free (KioskCameraInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->model);
  g_free (info->location);
  g_free (info);
}

GPtrArray *
kiosk_camera_list (GError **error)
{
#if HAVE_LIBCAMERA
  KioskLcManager *m = lc_manager_get (error);
  GPtrArray *out;
  KioskLcCameraInfo *info;
  int n = 0;

  if (m == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_camera_info_free);
  info = kiosk_lc_manager_list (m, &n);
  for (int i = 0; i < n; i++)
    {
      KioskCameraInfo *c = g_new0 (KioskCameraInfo, 1);
      c->id = g_strdup (info[i].id);
      c->model = g_strdup (info[i].model);
      c->location = g_strdup (info[i].location);
      c->width = info[i].width;
      c->height = info[i].height;
      g_ptr_array_add (out, c);
    }
  kiosk_lc_camera_info_free (info, n);
  return out;
#else
  g_set_error (error, KIOSK_CAMERA_ERROR, KIOSK_CAMERA_ERROR_NO_CAMERA, "built without libcamera");
  return NULL;
#endif
}
