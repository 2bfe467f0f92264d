// SPDX-License-Identifier: GPL-3.0-or-later
// Thin extern "C" shim over libcamera's C++ API, after libcamera's `cam`:
// acquire, generateConfiguration({Viewfinder, StillCapture}), validate()
// before configure(), FrameBufferAllocator, one request per buffer, and
// completions merely announced from libcamera's thread. Decisions (which
// camera, what to do with frames, states) belong to the C side.

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <sys/mman.h>

#include <libcamera/libcamera.h>

#include "camera-libcamera.h"

using namespace libcamera;

static char *
dup_string (const std::string &s)
{
  char *p = static_cast<char *> (std::malloc (s.size () + 1));
  if (p)
    std::memcpy (p, s.c_str (), s.size () + 1);
  return p;
}

static void
set_error (char **error, const std::string &message)
{
  if (error)
    *error = dup_string (message);
}

struct KioskLcManager {
  std::unique_ptr<CameraManager> cm;
  KioskLcCallbacks callbacks;
  void *user_data;

  void added (std::shared_ptr<Camera> camera)
  {
    if (callbacks.camera_added)
      callbacks.camera_added (user_data, camera->id ().c_str ());
  }
  void removed (std::shared_ptr<Camera> camera)
  {
    if (callbacks.camera_removed)
      callbacks.camera_removed (user_data, camera->id ().c_str ());
  }
};

struct KioskLcRequest {
  KioskLcCamera *camera;
  std::unique_ptr<Request> request;
  KioskLcRole role;
  Stream *stream;
  FrameBuffer *buffer;
};

struct Mapping {
  void *address;
  size_t length;
};

struct KioskLcCamera {
  KioskLcManager *manager;
  std::shared_ptr<Camera> camera;
  std::unique_ptr<CameraConfiguration> config;
  std::unique_ptr<FrameBufferAllocator> allocator;
  std::vector<std::unique_ptr<KioskLcRequest> > requests;
  std::map<const FrameBuffer *, std::vector<Mapping> > maps;
  std::mutex lock;
  bool acquired = false;
  bool running = false;
  bool still_in_flight = false;
  std::string id;
  std::string description;
  KioskLcFormat formats[2] = { KIOSK_LC_FORMAT_UNKNOWN, KIOSK_LC_FORMAT_UNKNOWN };
  KioskLcCompletedFunc on_completed = nullptr;
  void *user_data = nullptr;

  void completed (Request *request)
  {
    // libcamera's thread: announce only. The cookie is our KioskLcRequest.
    KioskLcRequest *r = reinterpret_cast<KioskLcRequest *> (request->cookie ());
    on_completed (user_data, r);
  }
};

static KioskLcFormat
format_from_pixel_format (const PixelFormat &f)
{
  if (f == formats::R8)
    return KIOSK_LC_FORMAT_R8;
  if (f == formats::RGB888)
    return KIOSK_LC_FORMAT_RGB888;
  if (f == formats::BGR888)
    return KIOSK_LC_FORMAT_BGR888;
  if (f == formats::XRGB8888)
    return KIOSK_LC_FORMAT_XRGB8888;
  if (f == formats::XBGR8888)
    return KIOSK_LC_FORMAT_XBGR8888;
  if (f == formats::YUYV)
    return KIOSK_LC_FORMAT_YUYV;
  if (f == formats::NV12)
    return KIOSK_LC_FORMAT_NV12;
  return KIOSK_LC_FORMAT_UNKNOWN;
}

extern "C" KioskLcManager *
kiosk_lc_manager_new (const KioskLcCallbacks *callbacks, void *user_data, char **error)
{
  try
    {
      auto m = std::make_unique<KioskLcManager> ();
      m->callbacks = *callbacks;
      m->user_data = user_data;
      m->cm = std::make_unique<CameraManager> ();
      int ret = m->cm->start ();
      if (ret < 0)
        {
          set_error (error, std::string ("camera manager failed to start: ") + std::strerror (-ret));
          return nullptr;
        }
      m->cm->cameraAdded.connect (m.get (), &KioskLcManager::added);
      m->cm->cameraRemoved.connect (m.get (), &KioskLcManager::removed);
      return m.release ();
  } catch (const std::exception &e)
    {
      set_error (error, e.what ());
      return nullptr;
  }
}

extern "C" void
kiosk_lc_manager_free (KioskLcManager *manager)
{
  if (!manager)
    return;
  manager->cm->cameraAdded.disconnect (manager);
  manager->cm->cameraRemoved.disconnect (manager);
  manager->cm->stop ();
  delete manager;
}

extern "C" KioskLcCameraInfo *
kiosk_lc_manager_list (KioskLcManager *manager, int *n_cameras)
{
  auto cameras = manager->cm->cameras ();
  *n_cameras = static_cast<int> (cameras.size ());
  if (cameras.empty ())
    return nullptr;
  auto *info = static_cast<KioskLcCameraInfo *> (std::calloc (cameras.size (), sizeof (KioskLcCameraInfo)));
  for (size_t i = 0; i < cameras.size (); i++)
    {
      const ControlList &props = cameras[i]->properties ();
      info[i].id = dup_string (cameras[i]->id ());
      auto model = props.get (properties::Model);
      info[i].model = dup_string (model ? *model : "");
      auto location = props.get (properties::Location);
      const char *where = "";
      if (location)
        switch (*location)
          {
          case properties::CameraLocationFront:
            where = "front";
            break;
          case properties::CameraLocationBack:
            where = "back";
            break;
          case properties::CameraLocationExternal:
            where = "external";
            break;
          }
      info[i].location = dup_string (where);
      auto size = props.get (properties::PixelArraySize);
      if (size)
        {
          info[i].width = static_cast<int> (size->width);
          info[i].height = static_cast<int> (size->height);
        }
    }
  return info;
}

extern "C" void
kiosk_lc_camera_info_free (KioskLcCameraInfo *info, int n)
{
  for (int i = 0; i < n; i++)
    {
      std::free (info[i].id);
      std::free (info[i].model);
      std::free (info[i].location);
    }
  std::free (info);
}

// Preferred pixel formats, in order: packed RGB needs no conversion work.
static const PixelFormat preferred[]
    = { formats::BGR888, formats::RGB888, formats::XBGR8888, formats::XRGB8888, formats::YUYV, formats::NV12 };

static void
choose_format (StreamConfiguration &cfg)
{
  auto available = cfg.formats ().pixelformats ();
  for (const auto &p : preferred)
    for (const auto &a : available)
      if (a == p)
        {
          cfg.pixelFormat = p;
          return;
        }
}

static void
close_camera (KioskLcCamera *c)
{
  if (c->running)
    {
      c->camera->stop ();
      c->running = false;
    }
  c->camera->requestCompleted.disconnect (c);
  c->requests.clear ();
  for (auto &entry : c->maps)
    for (auto &m : entry.second)
      munmap (m.address, m.length);
  c->maps.clear ();
  c->allocator.reset ();
  c->config.reset ();
  if (c->acquired)
    c->camera->release ();
  c->acquired = false;
}

extern "C" KioskLcCamera *
kiosk_lc_camera_open (KioskLcManager *manager, const char *id, int preview_width, int preview_height,
                      KioskLcCompletedFunc completed, void *user_data, int *busy, char **error)
{
  *busy = 0;
  auto c = std::make_unique<KioskLcCamera> ();
  c->manager = manager;
  c->on_completed = completed;
  c->user_data = user_data;
  try
    {
      if (id && *id)
        c->camera = manager->cm->get (id);
      else if (!manager->cm->cameras ().empty ())
        c->camera = manager->cm->cameras ().front ();
      if (!c->camera)
        {
          set_error (error, id && *id ? std::string ("no camera with id ") + id : "no camera present");
          return nullptr;
        }
      c->id = c->camera->id ();

      // Exclusive: a second kiosk process (or `cam`) gets -EBUSY.
      int ret = c->camera->acquire ();
      if (ret < 0)
        {
          *busy = ret == -EBUSY;
          set_error (error, "cannot acquire " + c->id + ": " + std::strerror (-ret));
          return nullptr;
        }
      c->acquired = true;

      c->config = c->camera->generateConfiguration ({ StreamRole::Viewfinder, StreamRole::StillCapture });
      if (!c->config || c->config->size () != 2)
        {
          // Some pipelines offer a single stream: use it for both roles.
          c->config = c->camera->generateConfiguration ({ StreamRole::StillCapture });
          if (!c->config || c->config->size () == 0)
            {
              set_error (error, c->id + " offers no usable stream configuration");
              close_camera (c.get ());
              return nullptr;
            }
        }
      StreamConfiguration &preview = c->config->at (0);
      if (c->config->size () == 2)
        {
          preview.size = Size (preview_width, preview_height);
          choose_format (preview);
        }
      choose_format (c->config->at (c->config->size () - 1));

      // validate() first: the pipeline may adjust sizes and formats.
      switch (c->config->validate ())
        {
        case CameraConfiguration::Valid:
          break;
        case CameraConfiguration::Adjusted:
          break;
        case CameraConfiguration::Invalid:
          set_error (error, c->id + ": configuration invalid");
          close_camera (c.get ());
          return nullptr;
        }
      ret = c->camera->configure (c->config.get ());
      if (ret < 0)
        {
          set_error (error, c->id + ": configure failed: " + std::strerror (-ret));
          close_camera (c.get ());
          return nullptr;
        }

      std::ostringstream desc;
      desc << c->id << ":";
      for (size_t i = 0; i < c->config->size (); i++)
        {
          const StreamConfiguration &cfg = c->config->at (i);
          c->formats[i] = format_from_pixel_format (cfg.pixelFormat);
          desc << (i ? " still " : " preview ") << cfg.toString ();
          if (c->formats[i] == KIOSK_LC_FORMAT_UNKNOWN)
            {
              set_error (error, c->id + ": unsupported pixel format " + cfg.pixelFormat.toString ());
              close_camera (c.get ());
              return nullptr;
            }
        }
      if (c->config->size () == 1)
        c->formats[1] = c->formats[0];
      c->description = desc.str ();

      c->allocator = std::make_unique<FrameBufferAllocator> (c->camera);
      for (size_t i = 0; i < c->config->size (); i++)
        {
          StreamConfiguration &cfg = c->config->at (i);
          Stream *stream = cfg.stream ();
          if (c->allocator->allocate (stream) < 0)
            {
              set_error (error, c->id + ": cannot allocate buffers");
              close_camera (c.get ());
              return nullptr;
            }
          // With a single stream, keep one buffer for stills.
          const auto &buffers = c->allocator->buffers (stream);
          for (size_t b = 0; b < buffers.size (); b++)
            {
              FrameBuffer *buffer = buffers[b].get ();
              // Map each distinct dmabuf once, then point planes into it.
              std::vector<Mapping> maps;
              for (const FrameBuffer::Plane &plane : buffer->planes ())
                {
                  size_t length = plane.offset + plane.length;
                  void *address = mmap (nullptr, length, PROT_READ, MAP_SHARED, plane.fd.get (), 0);
                  if (address == MAP_FAILED)
                    {
                      for (auto &m : maps)
                        munmap (m.address, m.length);
                      set_error (error, c->id + ": cannot map a buffer: " + std::strerror (errno));
                      close_camera (c.get ());
                      return nullptr;
                    }
                  maps.push_back ({ address, length });
                }
              c->maps[buffer] = maps;

              auto r = std::make_unique<KioskLcRequest> ();
              r->camera = c.get ();
              bool still = (c->config->size () == 2 && i == 1)
                           || (c->config->size () == 1 && b + 1 == buffers.size () && buffers.size () > 1);
              r->role = still ? KIOSK_LC_ROLE_STILL : KIOSK_LC_ROLE_PREVIEW;
              r->stream = stream;
              r->buffer = buffer;
              r->request = c->camera->createRequest (reinterpret_cast<uint64_t> (r.get ()));
              if (!r->request || r->request->addBuffer (stream, buffer) < 0)
                {
                  set_error (error, c->id + ": cannot create a request");
                  close_camera (c.get ());
                  return nullptr;
                }
              c->requests.push_back (std::move (r));
            }
        }
      c->camera->requestCompleted.connect (c.get (), &KioskLcCamera::completed);
      return c.release ();
  } catch (const std::exception &e)
    {
      set_error (error, e.what ());
      if (c->camera)
        close_camera (c.get ());
      return nullptr;
  }
}

extern "C" const char *
kiosk_lc_camera_get_id (KioskLcCamera *camera)
{
  return camera->id.c_str ();
}

extern "C" const char *
kiosk_lc_camera_describe (KioskLcCamera *camera)
{
  return camera->description.c_str ();
}

extern "C" int
kiosk_lc_camera_start (KioskLcCamera *c, char **error)
{
  int ret = c->camera->start ();
  if (ret < 0)
    {
      set_error (error, c->id + ": start failed: " + std::strerror (-ret));
      return ret;
    }
  c->running = true;
  for (auto &r : c->requests)
    if (r->role == KIOSK_LC_ROLE_PREVIEW)
      {
        ret = c->camera->queueRequest (r->request.get ());
        if (ret < 0)
          {
            set_error (error, c->id + ": queueRequest failed: " + std::strerror (-ret));
            return ret;
          }
      }
  return 0;
}

extern "C" int
kiosk_lc_camera_capture_still (KioskLcCamera *c)
{
  if (!c->running)
    return -ENODEV;
  {
    std::lock_guard<std::mutex> guard (c->lock);
    if (c->still_in_flight)
      return -EBUSY;
    c->still_in_flight = true;
  }
  for (auto &r : c->requests)
    if (r->role == KIOSK_LC_ROLE_STILL)
      {
        int ret = c->camera->queueRequest (r->request.get ());
        if (ret < 0)
          {
            std::lock_guard<std::mutex> guard (c->lock);
            c->still_in_flight = false;
          }
        return ret;
      }
  std::lock_guard<std::mutex> guard (c->lock);
  c->still_in_flight = false;
  return -ENOTSUP;
}

extern "C" void
kiosk_lc_camera_stop (KioskLcCamera *c)
{
  if (c->running)
    {
      c->camera->stop ();
      c->running = false;
    }
}

extern "C" void
kiosk_lc_camera_close (KioskLcCamera *c)
{
  if (!c)
    return;
  close_camera (c);
  delete c;
}

extern "C" KioskLcRole
kiosk_lc_request_get_role (KioskLcRequest *r)
{
  return r->role;
}

extern "C" int
kiosk_lc_request_get_frame (KioskLcRequest *r, KioskLcFrame *frame)
{
  KioskLcCamera *c = r->camera;
  std::memset (frame, 0, sizeof *frame);
  if (r->request->status () != Request::RequestComplete)
    return 1;
  const StreamConfiguration &cfg = r->stream->configuration ();
  frame->format = c->formats[r->role == KIOSK_LC_ROLE_STILL && c->config->size () == 2 ? 1 : 0];
  frame->width = static_cast<int> (cfg.size.width);
  frame->height = static_cast<int> (cfg.size.height);
  frame->stride = static_cast<int> (cfg.stride);
  const auto &maps = c->maps[r->buffer];
  const auto &planes = r->buffer->planes ();
  const auto &meta = r->buffer->metadata ().planes ();
  for (size_t i = 0; i < planes.size () && i < 3; i++)
    {
      frame->planes[i] = static_cast<const uint8_t *> (maps[i].address) + planes[i].offset;
      frame->plane_sizes[i] = i < meta.size () ? meta[i].bytesused : planes[i].length;
      frame->n_planes++;
    }
  return 0;
}

extern "C" void
kiosk_lc_request_requeue (KioskLcRequest *r)
{
  KioskLcCamera *c = r->camera;
  r->request->reuse (Request::ReuseBuffers);
  if (r->role == KIOSK_LC_ROLE_STILL)
    {
      std::lock_guard<std::mutex> guard (c->lock);
      c->still_in_flight = false;
      return;
    }
  if (c->running)
    c->camera->queueRequest (r->request.get ());
}

/* The module's one exported symbol (everything else is hidden). */
extern "C" __attribute__ ((visibility ("default"))) const KioskLcApi *
kiosk_lc_module (void)
{
  static const KioskLcApi api = {
    KIOSK_LC_API_VERSION,      kiosk_lc_manager_new,          kiosk_lc_manager_free,    kiosk_lc_manager_list,
    kiosk_lc_camera_info_free, kiosk_lc_camera_open,          kiosk_lc_camera_get_id,   kiosk_lc_camera_describe,
    kiosk_lc_camera_start,     kiosk_lc_camera_capture_still, kiosk_lc_camera_stop,     kiosk_lc_camera_close,
    kiosk_lc_request_get_role, kiosk_lc_request_get_frame,    kiosk_lc_request_requeue,
  };
  return &api;
}
