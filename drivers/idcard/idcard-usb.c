/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-idcard"

/* USB vendor bulk transport (libusb). The SAM frame travels in two parts
 * each way: host to reader, EP 0x02 carries the preamble and LEN and EP
 * 0x06 the body (CMD PARA DATA CHK); reader to host, EP 0x81 returns the
 * preamble and LEN and EP 0x85 the body (SW1 SW2 SW3 DATA CHK). */

#include "config.h"

#include <string.h>

#include <libusb.h>

#include "idcard-transport.h"

#define EP_OUT_HEAD 0x02
#define EP_OUT_BODY 0x06
#define EP_IN_HEAD 0x81
#define EP_IN_BODY 0x85
#define SEND_TIMEOUT_MS 500
#define BODY_TIMEOUT_MS 1500

typedef struct {
  IdcardTransport parent;
  libusb_context *ctx;
  libusb_device_handle *handle;
  int interface;
  guint8 pending[SAM_MAX_FRAME + 64];
  gsize pending_len, pending_off;
} UsbTransport;

static gboolean
parse_id (const char *s, guint16 *vid, guint16 *pid)
{
  char *end = NULL;
  const char *q;
  guint64 v, p;

  v = g_ascii_strtoull (s, &end, 16);
  if (end == s || *end != ':' || v > 0xFFFF)
    return FALSE;
  q = end + 1;
  p = g_ascii_strtoull (q, &end, 16);
  if (end == q || *end != '\0' || p > 0xFFFF)
    return FALSE;
  *vid = (guint16) v;
  *pid = (guint16) p;
  return TRUE;
}

static gboolean
id_listed (const char *const *ids, guint16 vid, guint16 pid)
{
  for (const char *const *s = ids; s && *s; s++)
    {
      guint16 v, p;
      if (parse_id (*s, &v, &p) && v == vid && p == pid)
        return TRUE;
    }
  return FALSE;
}

static void
set_usb_error (GError **error, IdcardTransport *t, const char *what, int rc)
{
  int code = (rc == LIBUSB_ERROR_TIMEOUT) ? IDCARD_ERROR_TIMEOUT : IDCARD_ERROR_DISCONNECTED;
  g_set_error (error, IDCARD_ERROR, code, "%s: %s: %s", t->description, what, libusb_strerror (rc));
}

static gboolean
usb_send (IdcardTransport *t, const guint8 *frame, gsize len, GError **error)
{
  UsbTransport *self = (UsbTransport *) t;
  int done = 0, rc;

  g_return_val_if_fail (len > SAM_HEADER_LEN, FALSE);
  rc = libusb_bulk_transfer (self->handle, EP_OUT_HEAD, (unsigned char *) frame, SAM_HEADER_LEN, &done,
                             SEND_TIMEOUT_MS);
  if (rc == 0)
    rc = libusb_bulk_transfer (self->handle, EP_OUT_BODY, (unsigned char *) frame + SAM_HEADER_LEN,
                               (int) (len - SAM_HEADER_LEN), &done, SEND_TIMEOUT_MS);
  if (rc != 0)
    {
      set_usb_error (error, t, "bulk OUT", rc);
      return FALSE;
    }
  return TRUE;
}

static gssize
take_pending (UsbTransport *self, guint8 *buf, gsize cap)
{
  gsize n = MIN (cap, self->pending_len - self->pending_off);
  memcpy (buf, self->pending + self->pending_off, n);
  explicit_bzero (self->pending + self->pending_off, n);
  self->pending_off += n;
  if (self->pending_off == self->pending_len)
    self->pending_off = self->pending_len = 0;
  return (gssize) n;
}

static gssize
usb_recv (IdcardTransport *t, guint8 *buf, gsize cap, int timeout_ms, GCancellable *cancellable, GError **error)
{
  UsbTransport *self = (UsbTransport *) t;
  int got = 0, rc;
  gsize body;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_clear_error (error);
      g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_CANCELLED, "cancelled");
      return -1;
    }
  if (self->pending_len)
    return take_pending (self, buf, cap);

  rc = libusb_bulk_transfer (self->handle, EP_IN_HEAD, self->pending, 64, &got, MAX (timeout_ms, 1));
  if (rc == LIBUSB_ERROR_TIMEOUT && got == 0)
    return 0;
  if (rc != 0 && rc != LIBUSB_ERROR_TIMEOUT)
    {
      set_usb_error (error, t, "bulk IN 0x81", rc);
      return -1;
    }
  self->pending_len = (gsize) got;
  /* The head says how long the body is; fetch it from 0x85. Anything else
   * goes to the parser as it is (it resynchronises). */
  if (got == SAM_HEADER_LEN && memcmp (self->pending, sam_preamble, SAM_PREAMBLE_LEN) == 0)
    {
      body = (gsize) self->pending[5] << 8 | self->pending[6];
      while (body > 0 && self->pending_len < SAM_HEADER_LEN + body && self->pending_len < sizeof self->pending)
        {
          int want = (int) MIN (SAM_HEADER_LEN + body - self->pending_len, sizeof self->pending - self->pending_len);
          got = 0;
          rc = libusb_bulk_transfer (self->handle, EP_IN_BODY, self->pending + self->pending_len, want, &got,
                                     BODY_TIMEOUT_MS);
          self->pending_len += (gsize) got;
          if (rc == LIBUSB_ERROR_TIMEOUT)
            break; /* a short frame: the parser reports the length */
          if (rc != 0)
            {
              set_usb_error (error, t, "bulk IN 0x85", rc);
              self->pending_len = 0;
              return -1;
            }
        }
    }
  return take_pending (self, buf, cap);
}

static void
usb_flush (IdcardTransport *t)
{
  UsbTransport *self = (UsbTransport *) t;
  explicit_bzero (self->pending, sizeof self->pending);
  self->pending_len = self->pending_off = 0;
}

static void
usb_free (IdcardTransport *t)
{
  UsbTransport *self = (UsbTransport *) t;

  if (self->handle)
    {
      libusb_release_interface (self->handle, self->interface);
      libusb_close (self->handle);
    }
  if (self->ctx)
    libusb_exit (self->ctx);
  explicit_bzero (self->pending, sizeof self->pending);
  g_free (t->description);
  g_free (self);
}

IdcardTransport *
idcard_usb_open (const char *const *ids, GError **error)
{
  libusb_context *ctx = NULL;
  libusb_device **list = NULL;
  libusb_device_handle *handle = NULL;
  struct libusb_device_descriptor desc = { 0 };
  UsbTransport *self;
  ssize_t n;
  int rc;

  rc = libusb_init (&ctx);
  if (rc != 0)
    {
      g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_NOT_FOUND, "libusb: %s", libusb_strerror (rc));
      return NULL;
    }
  n = libusb_get_device_list (ctx, &list);
  for (ssize_t i = 0; i < n && handle == NULL; i++)
    {
      if (libusb_get_device_descriptor (list[i], &desc) != 0 || !id_listed (ids, desc.idVendor, desc.idProduct))
        continue;
      rc = libusb_open (list[i], &handle);
      if (rc != 0)
        {
          g_warning ("USB reader %04x:%04x found but cannot be opened: %s", desc.idVendor, desc.idProduct,
                     libusb_strerror (rc));
          handle = NULL;
        }
    }
  if (list)
    libusb_free_device_list (list, 1);
  if (handle == NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) ids);
      g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_NOT_FOUND, "no USB reader with an id in %s", joined);
      libusb_exit (ctx);
      return NULL;
    }
  libusb_set_auto_detach_kernel_driver (handle, 1);
  rc = libusb_claim_interface (handle, 0);
  if (rc == LIBUSB_ERROR_OTHER || rc == LIBUSB_ERROR_NOT_SUPPORTED)
    {
      /* Some kernels (and umockdev) lack USBDEVFS_DISCONNECT_CLAIM: a
       * vendor-class interface rarely has a driver bound anyway. */
      libusb_set_auto_detach_kernel_driver (handle, 0);
      rc = libusb_claim_interface (handle, 0);
    }
  if (rc != 0)
    {
      g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_NOT_FOUND, "USB reader %04x:%04x: claim interface: %s",
                   desc.idVendor, desc.idProduct, libusb_strerror (rc));
      libusb_close (handle);
      libusb_exit (ctx);
      return NULL;
    }
  self = g_new0 (UsbTransport, 1);
  self->ctx = ctx;
  self->handle = handle;
  self->parent.kind = "usb";
  self->parent.description = g_strdup_printf ("usb %04x:%04x bus %u device %u", desc.idVendor, desc.idProduct,
                                              libusb_get_bus_number (libusb_get_device (handle)),
                                              libusb_get_device_address (libusb_get_device (handle)));
  self->parent.send = usb_send;
  self->parent.recv = usb_recv;
  self->parent.flush = usb_flush;
  self->parent.free = usb_free;
  return &self->parent;
}

typedef struct {
  const char *const *ids;
  gboolean arrived;
} Arrival;

static int LIBUSB_CALL
hotplug_cb (libusb_context *ctx, libusb_device *dev, libusb_hotplug_event event, void *user_data)
{
  Arrival *a = user_data;
  struct libusb_device_descriptor desc;

  if (libusb_get_device_descriptor (dev, &desc) == 0 && id_listed (a->ids, desc.idVendor, desc.idProduct))
    a->arrived = TRUE;
  return 0;
}

gboolean
idcard_usb_wait_arrival (const char *const *ids, int timeout_ms, GCancellable *cancellable)
{
  libusb_context *ctx = NULL;
  libusb_hotplug_callback_handle cb;
  Arrival a = { ids, FALSE };
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (!libusb_has_capability (LIBUSB_CAP_HAS_HOTPLUG) || libusb_init (&ctx) != 0)
    {
      idcard_sleep (timeout_ms, cancellable);
      return FALSE;
    }
  if (libusb_hotplug_register_callback (ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, 0, LIBUSB_HOTPLUG_MATCH_ANY,
                                        LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, hotplug_cb, &a, &cb)
      != LIBUSB_SUCCESS)
    {
      libusb_exit (ctx);
      idcard_sleep (timeout_ms, cancellable);
      return FALSE;
    }
  while (!a.arrived && !g_cancellable_is_cancelled (cancellable) && g_get_monotonic_time () < deadline)
    {
      struct timeval tv = { 0, 100000 };
      libusb_handle_events_timeout_completed (ctx, &tv, NULL);
    }
  libusb_hotplug_deregister_callback (ctx, cb);
  libusb_exit (ctx);
  return a.arrived;
}
