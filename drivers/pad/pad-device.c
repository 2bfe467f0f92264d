/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-pad"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <libusb.h>

#include "pad-device.h"

#define TRANSFER_TIMEOUT_MS 200
#define MAX_CONSECUTIVE_ERRORS 5

typedef struct {
  guint16 vid, pid;
} UsbId;

struct _KioskPadDevice {
  KioskDevice parent_instance;

  gboolean sim;
  KioskPadKeyMap map;
  guint report_length;
  GHashTable *feedback; /* event → GBytes */
  char *feedback_mode;  /* none | interrupt | control */

  /* main context only */
  guint8 last_value;
  gboolean sim_connected;
  char *sim_input;
  GCancellable *sim_cancel;
  GDataInputStream *sim_stream;

  /* real backend */
  GArray *usb_ids; /* UsbId */
  int interface;
  guint8 endpoint_in;
  guint8 endpoint_out;
  int rescan_seconds;
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean stopping;     /* under lock */
  GAsyncQueue *outgoing; /* OutReport */
  gboolean connected;    /* worker thread only */
};

G_DEFINE_FINAL_TYPE (KioskPadDevice, kiosk_pad_device, KIOSK_TYPE_DEVICE)

enum { SIGNAL_KEY, SIGNAL_REPORT, SIGNAL_FEEDBACK, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef struct {
  char *event;
  GBytes *bytes;
} OutReport;

static void
out_report_free (gpointer data)
{
  OutReport *o = data;
  g_free (o->event);
  g_bytes_unref (o->bytes);
  g_free (o);
}

/* ---- the path every report takes (main context) -------------------------- */

static void
handle_report (KioskPadDevice *self, GBytes *report)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (report, &len);
  KioskPadKey key = KIOSK_PAD_KEY_NONE;
  guint8 value = 0;
  KioskPadReportKind kind = kiosk_pad_report_parse (&self->map, data, len, &key, &value);
  gboolean emit_key = FALSE;

  switch (kind)
    {
    case KIOSK_PAD_REPORT_KEY:
      emit_key = !self->map.release_reports || value != self->last_value;
      self->last_value = value;
      break;
    case KIOSK_PAD_REPORT_RELEASE:
      self->last_value = 0;
      break;
    case KIOSK_PAD_REPORT_UNMAPPED:
      {
        g_autofree char *hex = kiosk_pad_hex_format (data, len);
        g_info ("pad report %s: key value %02x is not in [pad] key-map: ignored", hex, value);
        self->last_value = value;
        break;
      }
    case KIOSK_PAD_REPORT_OTHER:
      g_debug ("pad report with id %02x is not the key report: ignored", data[0]);
      break;
    case KIOSK_PAD_REPORT_MALFORMED:
    default:
      {
        g_autofree char *hex = kiosk_pad_hex_format (data, len);
        g_message ("pad report '%s' (%" G_GSIZE_FORMAT " bytes) is too short for key-offset %u: ignored", hex, len,
                   self->map.offset);
        break;
      }
    }

  g_signal_emit (self, signals[SIGNAL_REPORT], 0, report, (int) kind, (guint) value);
  if (emit_key)
    {
      g_debug ("pad key %s", kiosk_pad_key_to_string (key));
      g_signal_emit (self, signals[SIGNAL_KEY], 0, (guint) key);
    }
}

typedef struct {
  KioskPadDevice *self;
  GBytes *bytes;
  char *event;
  gboolean disconnected;
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *d = data;
  g_object_unref (d->self);
  g_clear_pointer (&d->bytes, g_bytes_unref);
  g_free (d->event);
  g_free (d);
}

static gboolean
deliver_report_cb (gpointer data)
{
  Delivery *d = data;
  if (d->disconnected)
    d->self->last_value = 0;
  else
    handle_report (d->self, d->bytes);
  return G_SOURCE_REMOVE;
}

static gboolean
deliver_feedback_cb (gpointer data)
{
  Delivery *d = data;
  g_signal_emit (d->self, signals[SIGNAL_FEEDBACK], 0, d->event, d->bytes);
  return G_SOURCE_REMOVE;
}

/* ---- real backend: the worker thread ----------------------------------- */

static gboolean
worker_should_stop (KioskPadDevice *self, int wait_ms)
{
  gboolean stop;

  g_mutex_lock (&self->lock);
  if (!self->stopping && wait_ms > 0)
    g_cond_wait_until (&self->cond, &self->lock, g_get_monotonic_time () + wait_ms * G_TIME_SPAN_MILLISECOND);
  stop = self->stopping;
  g_mutex_unlock (&self->lock);
  return stop;
}

static char *
usb_ids_to_string (GArray *ids)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < ids->len; i++)
    {
      UsbId *id = &g_array_index (ids, UsbId, i);
      g_string_append_printf (s, "%s%04x:%04x", i ? ", " : "", id->vid, id->pid);
    }
  return g_string_free (s, FALSE);
}

/* Opens the first configured pad; NULL with @why set when none is usable.
 * *@busy is set when a pad is there but cannot be claimed. */
static libusb_device_handle *
open_pad (KioskPadDevice *self, libusb_context *ctx, char **why, gboolean *error_state)
{
  libusb_device **list = NULL;
  ssize_t n = libusb_get_device_list (ctx, &list);
  libusb_device_handle *found = NULL;

  *error_state = FALSE;
  if (n < 0)
    {
      *why = g_strdup_printf ("cannot list USB devices: %s", libusb_error_name ((int) n));
      *error_state = TRUE;
      return NULL;
    }
  for (ssize_t i = 0; i < n && found == NULL; i++)
    {
      struct libusb_device_descriptor desc;
      libusb_device_handle *h = NULL;
      int r;
      gboolean match = FALSE;

      if (libusb_get_device_descriptor (list[i], &desc) != 0)
        continue;
      for (guint j = 0; j < self->usb_ids->len; j++)
        {
          UsbId *id = &g_array_index (self->usb_ids, UsbId, j);
          match |= id->vid == desc.idVendor && id->pid == desc.idProduct;
        }
      if (!match)
        continue;

      r = libusb_open (list[i], &h);
      if (r != 0)
        {
          g_free (*why);
          *why = g_strdup_printf ("pad %04x:%04x on bus %d address %d cannot be opened: %s (permissions? see "
                                  "drivers/pad/README.md)",
                                  desc.idVendor, desc.idProduct, libusb_get_bus_number (list[i]),
                                  libusb_get_device_address (list[i]), libusb_error_name (r));
          *error_state = TRUE;
          continue;
        }
      /* The kernel's usbhid driver binds to HID pads: take the interface
       * over. (Detaching is done by hand rather than with auto-detach so
       * that kernels and emulators without the combined ioctl work too.) */
      if (libusb_kernel_driver_active (h, self->interface) == 1)
        {
          r = libusb_detach_kernel_driver (h, self->interface);
          if (r != 0)
            g_message ("pad: cannot detach the kernel driver from interface %d: %s", self->interface,
                       libusb_error_name (r));
        }
      r = libusb_claim_interface (h, self->interface);
      if (r != 0)
        {
          g_free (*why);
          *why = g_strdup_printf ("pad %04x:%04x: cannot claim interface %d: %s", desc.idVendor, desc.idProduct,
                                  self->interface, libusb_error_name (r));
          *error_state = TRUE;
          libusb_close (h);
          continue;
        }
      g_free (*why);
      *why = g_strdup_printf ("pad %04x:%04x on bus %d address %d, interface %d, endpoint 0x%02x", desc.idVendor,
                              desc.idProduct, libusb_get_bus_number (list[i]), libusb_get_device_address (list[i]),
                              self->interface, self->endpoint_in);
      found = h;
    }
  libusb_free_device_list (list, 1);
  if (found == NULL && *why == NULL)
    {
      g_autofree char *ids = usb_ids_to_string (self->usb_ids);
      *why = g_strdup_printf ("no pad with usb-ids %s is connected", ids);
    }
  return found;
}

static void
close_pad (KioskPadDevice *self, libusb_device_handle **h)
{
  if (*h == NULL)
    return;
  libusb_release_interface (*h, self->interface);
  libusb_close (*h);
  *h = NULL;
}

static void
send_feedback (KioskPadDevice *self, libusb_device_handle *h, OutReport *o)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (o->bytes, &len);
  guint8 buf[64];
  int r, sent = 0;

  len = MIN (len, sizeof buf);
  memcpy (buf, data, len);
  if (g_str_equal (self->feedback_mode, "control"))
    {
      /* HID SET_REPORT (output); the report id is the first byte when the
       * pad uses report ids. */
      guint16 value = 0x0200 | (self->map.report_id >= 0 ? buf[0] : 0);
      r = libusb_control_transfer (h, LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS | LIBUSB_RECIPIENT_INTERFACE,
                                   0x09, value, (guint16) self->interface, buf, (guint16) len, 500);
      sent = r;
      r = r < 0 ? r : 0;
    }
  else
    r = libusb_interrupt_transfer (h, self->endpoint_out, buf, (int) len, &sent, 500);

  if (r != 0)
    {
      g_message ("pad feedback '%s' not delivered: %s", o->event, libusb_error_name (r));
      return;
    }
  {
    Delivery *d = g_new0 (Delivery, 1);
    d->self = g_object_ref (self);
    d->event = g_strdup (o->event);
    d->bytes = g_bytes_ref (o->bytes);
    kiosk_device_invoke (KIOSK_DEVICE (self), deliver_feedback_cb, d, delivery_free);
  }
}

static void
deliver_disconnect (KioskPadDevice *self)
{
  Delivery *d = g_new0 (Delivery, 1);
  d->self = g_object_ref (self);
  d->disconnected = TRUE;
  kiosk_device_invoke (KIOSK_DEVICE (self), deliver_report_cb, d, delivery_free);
}

static gpointer
worker_thread (gpointer data)
{
  KioskPadDevice *self = data;
  KioskDevice *dev = KIOSK_DEVICE (self);
  libusb_context *ctx = NULL;
  libusb_device_handle *h = NULL;
  g_autofree char *last_why = NULL;
  int errors = 0;
  int r;

  r = libusb_init (&ctx);
  if (r != 0)
    {
      g_autofree char *why = g_strdup_printf ("libusb cannot start: %s", libusb_error_name (r));
      kiosk_device_set_state (dev, KIOSK_DEVICE_STATE_ERROR, why,
                              N_ ("The rating pad does not work. Please rate on the screen."));
      return NULL;
    }

  while (!worker_should_stop (self, 0))
    {
      g_autofree guint8 *buf = NULL;
      OutReport *o;
      int got = 0;

      if (h == NULL)
        {
          g_autofree char *why = NULL;
          gboolean error_state = FALSE;

          h = open_pad (self, ctx, &why, &error_state);
          if (h != NULL)
            {
              errors = 0;
              self->connected = TRUE;
              kiosk_device_set_state (dev, KIOSK_DEVICE_STATE_READY, why, NULL);
              /* Feedback asked for while absent is stale. */
              while ((o = g_async_queue_try_pop (self->outgoing)))
                out_report_free (o);
            }
          else
            {
              if (g_strcmp0 (why, last_why) != 0)
                kiosk_device_set_state (dev, error_state ? KIOSK_DEVICE_STATE_ERROR : KIOSK_DEVICE_STATE_ABSENT, why,
                                        N_ ("The rating pad is not connected. Please rate on the screen."));
              g_free (last_why);
              last_why = g_steal_pointer (&why);
              if (worker_should_stop (self, self->rescan_seconds * 1000))
                break;
              continue;
            }
          g_clear_pointer (&last_why, g_free);
        }

      while ((o = g_async_queue_try_pop (self->outgoing)))
        {
          send_feedback (self, h, o);
          out_report_free (o);
        }

      buf = g_malloc0 (self->report_length);
      r = libusb_interrupt_transfer (h, self->endpoint_in, buf, (int) self->report_length, &got, TRANSFER_TIMEOUT_MS);
      if (r == 0 || (r == LIBUSB_ERROR_TIMEOUT && got > 0))
        {
          Delivery *d = g_new0 (Delivery, 1);
          errors = 0;
          d->self = g_object_ref (self);
          d->bytes = g_bytes_new (buf, (gsize) got);
          kiosk_device_invoke (dev, deliver_report_cb, d, delivery_free);
          continue;
        }
      if (r == LIBUSB_ERROR_TIMEOUT || r == LIBUSB_ERROR_INTERRUPTED)
        continue;
      if (r == LIBUSB_ERROR_NO_DEVICE)
        {
          close_pad (self, &h);
          self->connected = FALSE;
          deliver_disconnect (self);
          last_why = g_strdup ("pad unplugged");
          kiosk_device_set_state (dev, KIOSK_DEVICE_STATE_ABSENT, last_why,
                                  N_ ("The rating pad is not connected. Please rate on the screen."));
          worker_should_stop (self, 100);
          continue;
        }
      if (r == LIBUSB_ERROR_PIPE)
        libusb_clear_halt (h, self->endpoint_in);
      if (++errors >= MAX_CONSECUTIVE_ERRORS)
        {
          g_autofree char *why = g_strdup_printf ("pad: %d transfer errors in a row (last: %s): reopening", errors,
                                                  libusb_error_name (r));
          close_pad (self, &h);
          self->connected = FALSE;
          deliver_disconnect (self);
          kiosk_device_set_state (dev, KIOSK_DEVICE_STATE_ERROR, why,
                                  N_ ("The rating pad does not work. Please rate on the screen."));
          last_why = g_steal_pointer (&why);
          if (worker_should_stop (self, self->rescan_seconds * 1000))
            break;
        }
      else
        g_debug ("pad transfer error %s", libusb_error_name (r));
    }

  close_pad (self, &h);
  libusb_exit (ctx);
  return NULL;
}

/* ---- sim backend: reports from a FIFO or file -------------------------- */

static void sim_read_next (KioskPadDevice *self);

static void
sim_line_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KioskPadDevice *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *line
      = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (error != NULL || line == NULL)
    {
      if (error)
        g_message ("pad sim-input %s: %s", self->sim_input, error->message);
      else
        g_info ("pad sim-input %s: end of file", self->sim_input);
      g_object_unref (self);
      return;
    }

  g_strstrip (line);
  if (*line == '\0' || *line == '#')
    ;
  else if (g_str_equal (line, "unplug"))
    kiosk_pad_device_sim_set_connected (self, FALSE);
  else if (g_str_equal (line, "plug"))
    kiosk_pad_device_sim_set_connected (self, TRUE);
  else if (g_str_has_prefix (line, "press "))
    {
      KioskPadKey key = kiosk_pad_key_from_string (g_strstrip (line + 6));
      if (key == KIOSK_PAD_KEY_NONE || !kiosk_pad_device_sim_press (self, key))
        g_message ("pad sim-input: cannot press '%s'", line + 6);
    }
  else
    {
      g_autoptr (GError) hex_error = NULL;
      g_autoptr (GBytes) bytes = kiosk_pad_hex_parse (line, &hex_error);
      if (bytes == NULL)
        g_message ("pad sim-input %s: %s", self->sim_input, hex_error->message);
      else if (!kiosk_pad_device_sim_inject (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)))
        g_info ("pad sim-input: report dropped while unplugged");
    }
  sim_read_next (self);
  g_object_unref (self);
}

static void
sim_read_next (KioskPadDevice *self)
{
  g_data_input_stream_read_line_async (self->sim_stream, G_PRIORITY_DEFAULT, self->sim_cancel, sim_line_cb,
                                       g_object_ref (self));
}

static void
sim_open_input (KioskPadDevice *self)
{
  g_autoptr (GInputStream) base = NULL;
  int fd;

  /* O_RDWR on a FIFO: open does not wait for a writer, and the stream never
   * sees end-of-file when a writer closes (several writers in turn work). */
  fd = open (self->sim_input, O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    fd = open (self->sim_input, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      g_autofree char *why = g_strdup_printf ("sim-input %s: %s", self->sim_input, g_strerror (errno));
      kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_ERROR, why, NULL);
      return;
    }
  base = g_unix_input_stream_new (fd, TRUE);
  self->sim_stream = g_data_input_stream_new (base);
  self->sim_cancel = g_cancellable_new ();
  sim_read_next (self);
}

/* ---- KioskDevice vfuncs ------------------------------------------------- */

static void
pad_start (KioskDevice *device)
{
  KioskPadDevice *self = KIOSK_PAD_DEVICE (device);

  if (self->sim)
    {
      self->sim_connected = TRUE;
      kiosk_device_set_state (device, KIOSK_DEVICE_STATE_READY, "simulated pad", NULL);
      if (self->sim_input)
        sim_open_input (self);
      return;
    }
  if (self->usb_ids->len == 0)
    {
      kiosk_device_set_state (device, KIOSK_DEVICE_STATE_ABSENT, "no [pad] usb-ids configured",
                              N_ ("The rating pad is not connected. Please rate on the screen."));
      return;
    }
  g_mutex_lock (&self->lock);
  self->stopping = FALSE;
  g_mutex_unlock (&self->lock);
  self->thread = g_thread_new ("kiosk-pad", worker_thread, self);
}

static void
pad_stop (KioskDevice *device)
{
  KioskPadDevice *self = KIOSK_PAD_DEVICE (device);

  if (self->sim_cancel)
    g_cancellable_cancel (self->sim_cancel);
  g_clear_object (&self->sim_cancel);
  g_clear_object (&self->sim_stream);
  if (self->thread)
    {
      g_mutex_lock (&self->lock);
      self->stopping = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->lock);
      g_thread_join (g_steal_pointer (&self->thread));
    }
}

static char *
pad_probe (KioskDevice *device, GCancellable *cancellable, GError **error)
{
  KioskPadDevice *self = KIOSK_PAD_DEVICE (device);
  libusb_context *ctx = NULL;
  libusb_device **list = NULL;
  g_autofree char *ids = NULL;
  GString *found;
  ssize_t n;
  int r;

  if (self->sim)
    return g_strdup_printf ("simulated pad (%u keys mapped%s%s)", self->map.n_keys,
                            self->sim_input ? ", input from " : "", self->sim_input ? self->sim_input : "");
  ids = usb_ids_to_string (self->usb_ids);
  if (self->usb_ids->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no [pad] usb-ids configured");
      return NULL;
    }
  r = libusb_init (&ctx);
  if (r != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libusb cannot start: %s", libusb_error_name (r));
      return NULL;
    }
  found = g_string_new (NULL);
  n = libusb_get_device_list (ctx, &list);
  for (ssize_t i = 0; i < n; i++)
    {
      struct libusb_device_descriptor desc;
      if (libusb_get_device_descriptor (list[i], &desc) != 0)
        continue;
      for (guint j = 0; j < self->usb_ids->len; j++)
        {
          UsbId *id = &g_array_index (self->usb_ids, UsbId, j);
          if (id->vid == desc.idVendor && id->pid == desc.idProduct)
            g_string_append_printf (found, "%spad %04x:%04x on bus %d address %d", found->len ? "; " : "",
                                    desc.idVendor, desc.idProduct, libusb_get_bus_number (list[i]),
                                    libusb_get_device_address (list[i]));
        }
    }
  if (n >= 0)
    libusb_free_device_list (list, 1);
  libusb_exit (ctx);
  if (found->len == 0)
    {
      g_string_free (found, TRUE);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no pad with usb-ids %s is connected", ids);
      return NULL;
    }
  return g_string_free (found, FALSE);
}

/* ---- public API ---------------------------------------------------------- */

const KioskPadKeyMap *
kiosk_pad_device_get_key_map (KioskPadDevice *self)
{
  g_return_val_if_fail (KIOSK_IS_PAD_DEVICE (self), NULL);
  return &self->map;
}

gboolean
kiosk_pad_device_feedback (KioskPadDevice *self, const char *event)
{
  GBytes *bytes;

  g_return_val_if_fail (KIOSK_IS_PAD_DEVICE (self), FALSE);
  if (g_str_equal (self->feedback_mode, "none") || self->feedback == NULL)
    return FALSE;
  bytes = g_hash_table_lookup (self->feedback, event);
  if (bytes == NULL)
    return FALSE;
  if (self->sim)
    {
      if (!self->sim_connected)
        return FALSE;
      g_signal_emit (self, signals[SIGNAL_FEEDBACK], 0, event, bytes);
      return TRUE;
    }
  if (self->thread == NULL || kiosk_device_get_state (KIOSK_DEVICE (self)) != KIOSK_DEVICE_STATE_READY)
    return FALSE;
  {
    OutReport *o = g_new0 (OutReport, 1);
    o->event = g_strdup (event);
    o->bytes = g_bytes_ref (bytes);
    g_async_queue_push (self->outgoing, o);
  }
  return TRUE;
}

gboolean
kiosk_pad_device_sim_inject (KioskPadDevice *self, const guint8 *report, gsize len)
{
  g_autoptr (GBytes) bytes = NULL;

  g_return_val_if_fail (KIOSK_IS_PAD_DEVICE (self), FALSE);
  if (!self->sim || !self->sim_connected)
    return FALSE;
  bytes = g_bytes_new (report, len);
  handle_report (self, bytes);
  return TRUE;
}

gboolean
kiosk_pad_device_sim_press (KioskPadDevice *self, KioskPadKey key)
{
  g_autofree guint8 *buf = NULL;

  g_return_val_if_fail (KIOSK_IS_PAD_DEVICE (self), FALSE);
  if (!self->sim || !self->sim_connected)
    return FALSE;
  buf = g_malloc0 (self->report_length);
  if (!kiosk_pad_report_build (&self->map, key, buf, self->report_length))
    return FALSE;
  kiosk_pad_device_sim_inject (self, buf, self->report_length);
  if (self->map.release_reports && kiosk_pad_report_build (&self->map, KIOSK_PAD_KEY_NONE, buf, self->report_length))
    kiosk_pad_device_sim_inject (self, buf, self->report_length);
  return TRUE;
}

void
kiosk_pad_device_sim_set_connected (KioskPadDevice *self, gboolean connected)
{
  g_return_if_fail (KIOSK_IS_PAD_DEVICE (self));
  if (!self->sim)
    return;
  self->sim_connected = connected;
  self->last_value = 0;
  if (connected)
    kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_READY, "simulated pad", NULL);
  else
    kiosk_device_set_state (KIOSK_DEVICE (self), KIOSK_DEVICE_STATE_ABSENT, "simulated pad unplugged",
                            N_ ("The rating pad is not connected. Please rate on the screen."));
}

KioskPadDevice *
kiosk_pad_device_from_device (KioskDevice *device)
{
  return KIOSK_IS_PAD_DEVICE (device) ? KIOSK_PAD_DEVICE (device) : NULL;
}

/* ---- GObject ------------------------------------------------------------ */

static void
kiosk_pad_device_finalize (GObject *object)
{
  KioskPadDevice *self = KIOSK_PAD_DEVICE (object);

  g_clear_pointer (&self->feedback, g_hash_table_unref);
  g_free (self->feedback_mode);
  g_free (self->sim_input);
  g_clear_pointer (&self->usb_ids, g_array_unref);
  g_clear_pointer (&self->outgoing, g_async_queue_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (kiosk_pad_device_parent_class)->finalize (object);
}

static void
kiosk_pad_device_class_init (KioskPadDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KioskDeviceClass *device_class = KIOSK_DEVICE_CLASS (klass);

  object_class->finalize = kiosk_pad_device_finalize;
  device_class->start = pad_start;
  device_class->stop = pad_stop;
  device_class->probe = pad_probe;

  signals[SIGNAL_KEY] = g_signal_new ("key", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_REPORT] = g_signal_new ("report", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 3, G_TYPE_BYTES, G_TYPE_INT, G_TYPE_UINT);
  signals[SIGNAL_FEEDBACK] = g_signal_new ("feedback", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BYTES);
}

static void
kiosk_pad_device_init (KioskPadDevice *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->usb_ids = g_array_new (FALSE, TRUE, sizeof (UsbId));
  self->outgoing = g_async_queue_new_full (out_report_free);
}

static gboolean
parse_hex_byte (const char *s, guint8 *out)
{
  g_autoptr (GBytes) b = kiosk_pad_hex_parse (s, NULL);
  if (b == NULL || g_bytes_get_size (b) != 1)
    return FALSE;
  *out = ((const guint8 *) g_bytes_get_data (b, NULL))[0];
  return TRUE;
}

KioskDevice *
kiosk_pad_device_new (KioskConfig *config, GError **error)
{
  g_autofree char *backend = kiosk_config_get_backend (config, "pad");
  g_autoptr (KioskPadDevice) self = NULL;
  g_auto (GStrv) key_map = NULL;
  g_auto (GStrv) ids = NULL;
  g_auto (GStrv) feedback = NULL;
  g_autofree char *mask = NULL;
  g_autofree char *ep_in = NULL;
  g_autofree char *ep_out = NULL;

  if (g_str_equal (backend, "none"))
    return kiosk_null_device_new ("pad", backend, KIOSK_DEVICE_STATE_ABSENT,
                                  "no pad configured ([pad] backend=none): rating on the screen only");

  self = g_object_new (KIOSK_TYPE_PAD_DEVICE, "kind", "pad", "backend", backend, NULL);
  self->sim = g_str_equal (backend, "sim");
  self->report_length = (guint) kiosk_config_get_int (config, "pad", "report-length");
  self->interface = kiosk_config_get_int (config, "pad", "interface");
  self->rescan_seconds = kiosk_config_get_int (config, "pad", "rescan-seconds");
  self->map.report_id = kiosk_config_get_int (config, "pad", "report-id");
  self->map.offset = (guint) kiosk_config_get_int (config, "pad", "key-offset");
  self->map.release_reports = kiosk_config_get_bool (config, "pad", "release-reports");
  self->feedback_mode = kiosk_config_get_string (config, "pad", "feedback");
  self->sim_input = kiosk_config_get_path_value (config, "pad", "sim-input");

  mask = kiosk_config_get_string (config, "pad", "key-mask");
  ep_in = kiosk_config_get_string (config, "pad", "endpoint-in");
  ep_out = kiosk_config_get_string (config, "pad", "endpoint-out");
  if (!parse_hex_byte (mask, &self->map.mask) || !parse_hex_byte (ep_in, &self->endpoint_in)
      || !parse_hex_byte (ep_out, &self->endpoint_out))
    {
      g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_HEX,
                   "[pad] key-mask, endpoint-in or endpoint-out is not a hex byte");
      return NULL;
    }
  if (self->map.offset >= self->report_length)
    {
      g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_KEY_MAP, "[pad] key-offset %u is outside report-length %u",
                   self->map.offset, self->report_length);
      return NULL;
    }
  if (self->map.report_id >= 0 && self->map.offset == 0)
    {
      g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_KEY_MAP,
                   "[pad] key-offset 0 is the report id byte (report-id=%d): the key is at offset 1 or later",
                   self->map.report_id);
      return NULL;
    }

  key_map = kiosk_config_get_list (config, "pad", "key-map");
  if (!kiosk_pad_key_map_parse (&self->map, (const char *const *) key_map, error))
    {
      g_prefix_error (error, "[pad] ");
      return NULL;
    }

  feedback = kiosk_config_get_list (config, "pad", "feedback-map");
  if (feedback && *feedback)
    {
      self->feedback = kiosk_pad_feedback_parse ((const char *const *) feedback, error);
      if (self->feedback == NULL)
        {
          g_prefix_error (error, "[pad] feedback-map: ");
          return NULL;
        }
    }

  ids = kiosk_config_get_list (config, "pad", "usb-ids");
  for (char **p = ids; p && *p; p++)
    {
      UsbId id;
      g_auto (GStrv) parts = g_strsplit (*p, ":", -1);
      guint64 vid = 0, pid = 0;
      if (g_strv_length (parts) != 2 || strlen (parts[0]) != 4 || strlen (parts[1]) != 4
          || !g_ascii_string_to_unsigned (parts[0], 16, 0, 0xffff, &vid, NULL)
          || !g_ascii_string_to_unsigned (parts[1], 16, 0, 0xffff, &pid, NULL))
        {
          g_set_error (error, KIOSK_PAD_ERROR, KIOSK_PAD_ERROR_HEX, "[pad] usb-ids entry '%s' is not VID:PID in hex",
                       *p);
          return NULL;
        }
      id.vid = (guint16) vid;
      id.pid = (guint16) pid;
      g_array_append_val (self->usb_ids, id);
    }
  return KIOSK_DEVICE (g_steal_pointer (&self));
}
