/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-idcard"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "idcard-device.h"
#include "idcard-photo.h"
#include "idcard-transport.h"

/* ---- settings, read once from the configuration ------------------------- */

typedef struct {
  char *backend;   /* real | sim */
  char *transport; /* auto | serial | usb */
  char **ports;
  int baud;
  char **usb_ids;
  char *sim_cards;
  char *sim_control;
  int sim_auto_place;
  char *wlt_decoder;
  int poll_ms;
} IdcardSettings;

static void
settings_free (IdcardSettings *s)
{
  g_free (s->backend);
  g_free (s->transport);
  g_strfreev (s->ports);
  g_strfreev (s->usb_ids);
  g_free (s->sim_cards);
  g_free (s->sim_control);
  g_free (s->wlt_decoder);
  g_free (s);
}

static char *
default_fixtures_dir (void)
{
  g_autofree char *src = g_build_filename (KIOSK_SOURCE_DIR, "drivers", "idcard", "fixtures", NULL);

  if (g_file_test (src, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&src);
  return g_build_filename (KIOSK_DATADIR, "idcard-fixtures", NULL);
}

static IdcardSettings *
settings_new (KioskConfig *config)
{
  IdcardSettings *s = g_new0 (IdcardSettings, 1);
  g_autofree char *baud = kiosk_config_get_string (config, "idcard", "baud");

  s->backend = kiosk_config_get_backend (config, "idcard");
  s->transport = kiosk_config_get_string (config, "idcard", "transport");
  s->ports = kiosk_config_get_list (config, "idcard", "ports");
  s->baud = (int) g_ascii_strtoll (baud, NULL, 10);
  s->usb_ids = kiosk_config_get_list (config, "idcard", "usb-ids");
  s->sim_cards = kiosk_config_get_path_value (config, "idcard", "sim-cards");
  if (s->sim_cards == NULL)
    s->sim_cards = default_fixtures_dir ();
  s->sim_control = kiosk_config_get_path_value (config, "idcard", "sim-control");
  s->sim_auto_place = kiosk_config_get_int (config, "idcard", "sim-auto-place");
  s->wlt_decoder = kiosk_config_get_path_value (config, "idcard", "wlt-decoder");
  s->poll_ms = kiosk_config_get_int (config, "idcard", "poll-ms");
  return s;
}

/* ---- the simulator, for backend=sim -------------------------------------- */

typedef struct {
  GSubprocess *proc;
  char *dir;         /* private temporary folder */
  char *link;        /* symlink to the pty, stable across simulated unplugs */
  char *control;     /* its control socket, when it has one */
  char *own_control; /* the control socket in dir, when the configuration names none */
} IdcardSim;

static void
sim_stop (IdcardSim *sim)
{
  if (sim == NULL)
    return;
  if (sim->proc)
    {
      g_subprocess_send_signal (sim->proc, SIGTERM);
      g_subprocess_wait (sim->proc, NULL, NULL);
      g_object_unref (sim->proc);
    }
  if (sim->link)
    g_unlink (sim->link);
  if (sim->own_control)
    g_unlink (sim->own_control);
  if (sim->dir)
    g_rmdir (sim->dir);
  g_free (sim->control);
  g_free (sim->own_control);
  g_free (sim->link);
  g_free (sim->dir);
  g_free (sim);
}

static char *
sim_program (void)
{
  const char *env = g_getenv ("KIOSK_IDCARD_SIM");
  g_autofree char *built = g_build_filename (KIOSK_BUILD_DIR, "drivers", "idcard", "idcard-sim", NULL);
  g_autofree char *installed = g_build_filename (KIOSK_LIBEXECDIR, "kiosk", "idcard-sim", NULL);

  if (env && *env)
    return g_strdup (env);
  if (g_file_test (built, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&built);
  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&installed);
  return g_strdup ("idcard-sim");
}

static IdcardSim *
sim_start (IdcardSettings *s, GError **error)
{
  IdcardSim *sim = g_new0 (IdcardSim, 1);
  g_autofree char *program = sim_program ();
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  sim->dir = g_dir_make_tmp ("kiosk-idcard-sim-XXXXXX", error);
  if (sim->dir == NULL)
    goto fail;
  sim->link = g_build_filename (sim->dir, "tty", NULL);
  g_ptr_array_add (argv, g_strdup (program));
  g_ptr_array_add (argv, g_strdup ("--exit-with-parent"));
  g_ptr_array_add (argv, g_strconcat ("--cards=", s->sim_cards, NULL));
  g_ptr_array_add (argv, g_strconcat ("--link=", sim->link, NULL));
  /* Automatic placement is switched on and off through the control socket
   * (kiosk_idcard_device_set_auto_place): give it one of its own when the
   * configuration names none. */
  if (s->sim_control)
    sim->control = g_strdup (s->sim_control);
  else if (s->sim_auto_place > 0)
    {
      sim->own_control = g_build_filename (sim->dir, "ctl", NULL);
      sim->control = g_strdup (sim->own_control);
    }
  if (sim->control)
    g_ptr_array_add (argv, g_strconcat ("--control=", sim->control, NULL));
  if (s->sim_auto_place > 0)
    g_ptr_array_add (argv, g_strdup_printf ("--auto-place=%d", s->sim_auto_place));
  g_ptr_array_add (argv, NULL);

  sim->proc = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  if (sim->proc == NULL)
    {
      g_prefix_error (error, "cannot start %s: ", program);
      goto fail;
    }
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);
  if (line == NULL || !g_str_has_prefix (line, "PTY "))
    {
      if (error && *error == NULL)
        g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_NOT_FOUND, "%s did not start (see its messages above)", program);
      goto fail;
    }
  g_info ("idcard-sim started: %s (fixtures %s%s%s)", line + 4, s->sim_cards, s->sim_control ? ", control " : "",
          s->sim_control ? s->sim_control : "");
  return sim;

fail:
  sim_stop (sim);
  return NULL;
}

/* One command to the simulator's control socket; TRUE when it answered ok.
 * Blocking (a local socket): called on the reader's worker thread only. */
static gboolean
sim_send (IdcardSim *sim, const char *command)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  struct timeval tv = { .tv_sec = 2 };
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  char buf[64];
  ssize_t n;
  int fd;

  if (sim == NULL || sim->control == NULL || strlen (sim->control) >= sizeof addr.sun_path)
    return FALSE;
  g_strlcpy (addr.sun_path, sim->control, sizeof addr.sun_path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0 || write (fd, line, strlen (line)) < 0
      || (n = read (fd, buf, sizeof buf - 1)) <= 0)
    {
      close (fd);
      return FALSE;
    }
  close (fd);
  buf[n] = '\0';
  return g_str_has_prefix (buf, "ok");
}

/* ---- connecting --------------------------------------------------------- */

static IdcardReader *
connect_reader (IdcardSettings *s, IdcardSim **sim, GCancellable *cancellable, GError **error)
{
  IdcardTransport *t = NULL;
  g_autoptr (GError) serial_error = NULL;

  if (g_str_equal (s->backend, "sim"))
    {
      const char *ports[2] = { NULL, NULL };
      if (*sim == NULL && (*sim = sim_start (s, error)) == NULL)
        return NULL;
      ports[0] = (*sim)->link;
      t = idcard_serial_probe (ports, s->baud, cancellable, error);
    }
  else
    {
      if (!g_str_equal (s->transport, "usb"))
        t = idcard_serial_probe ((const char *const *) s->ports, s->baud, cancellable, &serial_error);
      if (t == NULL && !g_str_equal (s->transport, "serial"))
        {
          g_autoptr (GError) usb_error = NULL;
          t = idcard_usb_open ((const char *const *) s->usb_ids, &usb_error);
          if (t == NULL)
            {
              if (serial_error)
                g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_NOT_FOUND, "%s; %s", serial_error->message,
                             usb_error->message);
              else
                g_propagate_error (error, g_steal_pointer (&usb_error));
              return NULL;
            }
        }
      else if (t == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&serial_error));
          return NULL;
        }
    }
  if (t == NULL)
    {
      if (error && *error == NULL)
        g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_NOT_FOUND, "no reader");
      return NULL;
    }
  return idcard_reader_new (t, cancellable);
}

static char *
today (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}

KioskIdentity *
idcard_identity_from_card (const SamCard *c, const char *day)
{
  KioskIdentity *id = kiosk_identity_new ();

  switch (c->card_type)
    {
    case SAM_CARD_FOREIGN_2017:
      id->card_type = KIOSK_CARD_FOREIGN_2017;
      break;
    case SAM_CARD_FOREIGN_2023:
      id->card_type = KIOSK_CARD_FOREIGN_2023;
      break;
    case SAM_CARD_HMT_PERMIT:
      id->card_type = KIOSK_CARD_HMT_PERMIT;
      break;
    case SAM_CARD_RESIDENT:
    default:
      id->card_type = KIOSK_CARD_RESIDENT;
      break;
    }
  id->name = g_strdup (c->name);
  id->name_en = g_strdup (c->name_en);
  id->gender_code = c->gender_code;
  id->birth_date = g_strdup (c->birth_date);
  id->id_number = g_strdup (c->id_number);
  id->id_number_valid = c->id_number_valid;
  id->nation_code = g_strdup (c->nation_code);
  id->address = g_strdup (c->address);
  id->authority = g_strdup (c->authority);
  id->nationality = g_strdup (c->nationality);
  id->valid_from = g_strdup (c->valid_from);
  id->valid_to = g_strdup (c->valid_to);
  id->expired = sam_card_expired (c, day);
  return id;
}

SamCard *
idcard_read_once (KioskConfig *config, int timeout_ms, GError **error)
{
  IdcardSettings *s = settings_new (config);
  IdcardSim *sim = NULL;
  IdcardReader *reader;
  SamCard *card = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  reader = connect_reader (s, &sim, NULL, error);
  while (reader)
    {
      g_autoptr (GError) local = NULL;

      card = idcard_reader_read_card (reader, s->baud, FALSE, FALSE, NULL, &local);
      if (card)
        break;
      if (!g_error_matches (local, IDCARD_ERROR, IDCARD_ERROR_NO_CARD) || g_get_monotonic_time () >= deadline)
        {
          if (g_error_matches (local, IDCARD_ERROR, IDCARD_ERROR_NO_CARD))
            g_prefix_error (&local, "no card within %d ms: ", timeout_ms);
          g_propagate_error (error, g_steal_pointer (&local));
          break;
        }
      idcard_sleep (s->poll_ms, NULL);
    }
  idcard_reader_free (reader);
  sim_stop (sim);
  settings_free (s);
  return card;
}

/* ---- the device --------------------------------------------------------- */

struct _KioskIdcardDevice {
  KioskDevice parent_instance;
  IdcardSettings *settings;
  IdcardPhotoDecoder *photo_decoder;
  GThread *thread;
  GCancellable *cancellable;
  GMutex lock; /* guards description and photo */
  char *description;
  GBytes *photo;
  /* Last state set, so the worker reports transitions only. */
  KioskDeviceState last_state;
  const char *last_message;
  gint read_again; /* atomic: re-read the card still on the reader */
  gint auto_place; /* atomic: the simulator may place cards by itself */
};

G_DEFINE_FINAL_TYPE (KioskIdcardDevice, kiosk_idcard_device, KIOSK_TYPE_DEVICE)

enum { SIGNAL_IDENTITY, SIGNAL_CARD_EVENT, N_SIGNALS };
static guint signals[N_SIGNALS];

/* How many transport failures in a row before the reader counts as broken
 * and is reopened; how many read attempts per placed card. */
#define MAX_SILENT_FINDS 5
#define READ_ATTEMPTS 3

static void
report (KioskIdcardDevice *self, KioskDeviceState state, const char *reason, const char *message)
{
  if (state == self->last_state && g_strcmp0 (message, self->last_message) == 0)
    return;
  self->last_state = state;
  self->last_message = message;
  kiosk_device_set_state (KIOSK_DEVICE (self), state, reason, message);
}

typedef struct {
  KioskIdcardDevice *self;
  KioskIdentity *identity;
} Emission;

static gboolean
emit_identity_cb (gpointer data)
{
  Emission *e = data;
  g_signal_emit (e->self, signals[SIGNAL_IDENTITY], 0, e->identity);
  return G_SOURCE_REMOVE;
}

typedef struct {
  KioskIdcardDevice *self;
  IdcardEvent event;
} EventEmission;

static gboolean
emit_event_cb (gpointer data)
{
  EventEmission *e = data;
  g_signal_emit (e->self, signals[SIGNAL_CARD_EVENT], 0, (int) e->event);
  return G_SOURCE_REMOVE;
}

static void
event_emission_free (gpointer data)
{
  EventEmission *e = data;
  g_object_unref (e->self);
  g_free (e);
}

/* Something the resident caused: announced once, whatever the state does. */
static void
announce (KioskIdcardDevice *self, IdcardEvent event)
{
  EventEmission *e = g_new0 (EventEmission, 1);

  e->self = g_object_ref (self);
  e->event = event;
  kiosk_device_invoke (KIOSK_DEVICE (self), emit_event_cb, e, event_emission_free);
}

static void
emission_free (gpointer data)
{
  Emission *e = data;
  g_object_unref (e->self);
  kiosk_identity_free (e->identity);
  g_free (e);
}

static void
set_photo (KioskIdcardDevice *self, GBytes *photo)
{
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->photo, g_bytes_unref);
  self->photo = photo;
  g_mutex_unlock (&self->lock);
}

static void
deliver (KioskIdcardDevice *self, SamCard *card)
{
  g_autofree char *day = today ();
  Emission *e = g_new0 (Emission, 1);

  if (self->photo_decoder && card->photo)
    {
      g_autoptr (GError) error = NULL;
      GBytes *bmp = idcard_photo_decode (self->photo_decoder, card->photo, &error);
      if (bmp == NULL)
        g_warning ("photo not decoded: %s", error->message);
      set_photo (self, bmp);
    }
  e->self = g_object_ref (self);
  e->identity = idcard_identity_from_card (card, day);
  if (e->identity->expired)
    report (self, KIOSK_DEVICE_STATE_READY, "card read; it has expired", N_ ("The card has expired"));
  else
    report (self, KIOSK_DEVICE_STATE_READY, "card read", N_ ("Card read, please take your card"));
  g_info ("card read: %s%s", sam_card_type_to_string (card->card_type), e->identity->expired ? " (expired)" : "");
  kiosk_device_invoke (KIOSK_DEVICE (self), emit_identity_cb, e, emission_free);
}

static gboolean
is_sam_failure (guint8 sw3)
{
  return sw3 == SAM_SW3_SELF_TEST || sw3 == SAM_SW3_NOT_AUTHORISED || sw3 == SAM_SW3_NOT_PERMITTED
         || sw3 == SAM_SW3_COMMAND || sw3 == SAM_SW3_UNRECOGNISED;
}

static gpointer
worker (gpointer data)
{
  KioskIdcardDevice *self = data;
  IdcardSettings *s = self->settings;
  GCancellable *cancel = self->cancellable;
  IdcardSim *sim = NULL;
  IdcardReader *reader = NULL;
  gboolean wait_leave = FALSE;
  int silent = 0, attempts = 0;
  int auto_place_sent = -1; /* what the simulator was told last; -1 nothing */

  while (!g_cancellable_is_cancelled (cancel))
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SamCard) card = NULL;
      guint8 sw3 = 0;

      if (sim && s->sim_auto_place > 0)
        {
          int want = g_atomic_int_get (&self->auto_place);
          if (want != auto_place_sent && sim_send (sim, want ? "auto-place on" : "auto-place off"))
            auto_place_sent = want;
        }

      if (reader == NULL)
        {
          reader = connect_reader (s, &sim, cancel, &error);
          if (reader == NULL)
            {
              if (g_cancellable_is_cancelled (cancel))
                break;
              report (self, KIOSK_DEVICE_STATE_ABSENT, error ? error->message : "no reader",
                      N_ ("The ID card reader is not connected, please ask the staff"));
              /* USB: a hotplug event ends the wait early. */
              if (g_str_equal (s->transport, "serial") || g_str_equal (s->backend, "sim"))
                idcard_sleep (1000, cancel);
              else
                idcard_usb_wait_arrival ((const char *const *) s->usb_ids, 2000, cancel);
              continue;
            }
          g_mutex_lock (&self->lock);
          g_free (self->description);
          self->description = g_strdup (reader->transport->description);
          g_mutex_unlock (&self->lock);
          g_info ("reader on %s", reader->transport->description);
          silent = attempts = 0;
          wait_leave = FALSE;
          self->last_message = NULL;
          report (self, KIOSK_DEVICE_STATE_READY, "waiting for a card", N_ ("Please place your ID card on the reader"));
        }

      if (!idcard_reader_find (reader, &sw3, &error))
        {
          if (g_error_matches (error, IDCARD_ERROR, IDCARD_ERROR_CANCELLED))
            break;
          if (g_error_matches (error, IDCARD_ERROR, IDCARD_ERROR_NO_CARD))
            {
              /* No card (or the card read last has left). A card that left
               * while its read was failing was taken away mid-read. */
              if (attempts > 0 && !wait_leave)
                {
                  g_message ("card removed before it was read");
                  announce (self, IDCARD_EVENT_REMOVED);
                }
              silent = 0;
              wait_leave = FALSE;
              attempts = 0;
              g_atomic_int_set (&self->read_again, 0);
              report (self, KIOSK_DEVICE_STATE_READY, "waiting for a card",
                      N_ ("Please place your ID card on the reader"));
              idcard_sleep (s->poll_ms, cancel);
              continue;
            }
          if (!g_error_matches (error, IDCARD_ERROR, IDCARD_ERROR_DISCONNECTED) && !(sw3 && is_sam_failure (sw3))
              && ++silent < MAX_SILENT_FINDS)
            {
              /* One lost or garbled answer: ask again. */
              g_message ("find card: %s", error->message);
              idcard_sleep (s->poll_ms, cancel);
              continue;
            }
        }
      else
        {
          silent = 0;
          if (wait_leave && g_atomic_int_compare_and_exchange (&self->read_again, 1, 0))
            {
              g_info ("reading the card still on the reader again");
              wait_leave = FALSE;
            }
          if (wait_leave)
            {
              /* The card read last is still on the reader. */
              idcard_sleep (s->poll_ms, cancel);
              continue;
            }
          report (self, KIOSK_DEVICE_STATE_BUSY, "reading a card", N_ ("Reading the card, please do not move it"));
          card = idcard_reader_select_and_read (reader, s->baud, FALSE, self->photo_decoder != NULL, &sw3, &error);
          if (card)
            {
              deliver (self, card);
              wait_leave = TRUE;
              attempts = 0;
              continue;
            }
          if (g_error_matches (error, IDCARD_ERROR, IDCARD_ERROR_CANCELLED))
            break;
        }

      if (g_error_matches (error, IDCARD_ERROR, IDCARD_ERROR_DISCONNECTED) || silent >= MAX_SILENT_FINDS)
        {
          g_warning ("reader lost: %s", error->message);
          report (self, KIOSK_DEVICE_STATE_ABSENT, error->message,
                  N_ ("The ID card reader is not connected, please ask the staff"));
          g_clear_pointer (&reader, idcard_reader_free);
          silent = 0;
          idcard_sleep (200, cancel);
          continue;
        }
      if (sw3 && is_sam_failure (sw3))
        {
          g_warning ("reader failing: %s", error->message);
          report (self, KIOSK_DEVICE_STATE_ERROR, error->message,
                  N_ ("The ID card reader is out of order, please ask the staff"));
          idcard_sleep (2000, cancel);
          continue;
        }
      /* Select or read failed with a card on the reader. */
      if (g_error_matches (error, IDCARD_ERROR, IDCARD_ERROR_FORMAT) || sw3 == SAM_SW3_CARD_TYPE)
        {
          g_warning ("card not readable: %s", error->message);
          report (self, KIOSK_DEVICE_STATE_ERROR, error->message, N_ ("This card cannot be recognised"));
          announce (self, IDCARD_EVENT_UNREADABLE);
          wait_leave = TRUE;
          attempts = 0;
          continue;
        }
      if (++attempts < READ_ATTEMPTS)
        {
          g_message ("read attempt %d failed: %s", attempts, error->message);
          idcard_sleep (100, cancel);
          continue;
        }
      g_warning ("read failed after %d attempts: %s", attempts, error->message);
      report (self, KIOSK_DEVICE_STATE_ERROR, error->message, N_ ("Reading failed, please place the card again"));
      announce (self, IDCARD_EVENT_READ_FAILED);
      attempts = 0;
      wait_leave = TRUE;
    }

  g_clear_pointer (&reader, idcard_reader_free);
  sim_stop (sim);
  return NULL;
}

static void
idcard_device_start (KioskDevice *device)
{
  KioskIdcardDevice *self = KIOSK_IDCARD_DEVICE (device);

  g_return_if_fail (self->thread == NULL);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->last_state = KIOSK_DEVICE_STATE_ABSENT;
  self->last_message = NULL;
  self->thread = g_thread_new ("idcard", worker, self);
}

static void
idcard_device_stop (KioskDevice *device)
{
  KioskIdcardDevice *self = KIOSK_IDCARD_DEVICE (device);

  if (self->thread == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_thread_join (self->thread);
  self->thread = NULL;
  set_photo (self, NULL);
}

static char *
idcard_device_probe (KioskDevice *device, GCancellable *cancellable, GError **error)
{
  KioskIdcardDevice *self = KIOSK_IDCARD_DEVICE (device);
  IdcardSim *sim = NULL;
  IdcardReader *reader;
  char *desc = NULL;

  g_mutex_lock (&self->lock);
  if (self->thread && self->description)
    desc = g_strdup_printf ("reader on %s (%s)", self->description,
                            kiosk_device_state_to_string (kiosk_device_get_state (device)));
  g_mutex_unlock (&self->lock);
  if (desc)
    return desc;
  /* Not running: connect once and ask for the SAM id. */
  reader = connect_reader (self->settings, &sim, cancellable, error);
  if (reader)
    {
      g_autofree char *sam_id = idcard_reader_sam_id (reader, error);
      if (sam_id)
        desc = g_strdup_printf ("reader on %s, SAM %s", reader->transport->description, sam_id);
      idcard_reader_free (reader);
    }
  sim_stop (sim);
  return desc;
}

static void
kiosk_idcard_device_finalize (GObject *object)
{
  KioskIdcardDevice *self = KIOSK_IDCARD_DEVICE (object);

  idcard_device_stop (KIOSK_DEVICE (self));
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->settings, settings_free);
  g_clear_pointer (&self->photo_decoder, idcard_photo_decoder_free);
  g_clear_pointer (&self->photo, g_bytes_unref);
  g_free (self->description);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (kiosk_idcard_device_parent_class)->finalize (object);
}

static void
kiosk_idcard_device_class_init (KioskIdcardDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KioskDeviceClass *device_class = KIOSK_DEVICE_CLASS (klass);

  object_class->finalize = kiosk_idcard_device_finalize;
  device_class->start = idcard_device_start;
  device_class->stop = idcard_device_stop;
  device_class->probe = idcard_device_probe;

  /* One per placed card, on the device's main context. */
  signals[SIGNAL_IDENTITY] = g_signal_new ("identity", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                           NULL, G_TYPE_NONE, 1, KIOSK_TYPE_IDENTITY | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* One per card event the resident caused (IdcardEvent), on the same context. */
  signals[SIGNAL_CARD_EVENT] = g_signal_new ("card-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                             NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
kiosk_idcard_device_init (KioskIdcardDevice *self)
{
  g_mutex_init (&self->lock);
  self->auto_place = 1;
}

void
kiosk_idcard_device_read_again (KioskIdcardDevice *self)
{
  g_return_if_fail (KIOSK_IS_IDCARD_DEVICE (self));
  g_atomic_int_set (&self->read_again, 1);
}

void
kiosk_idcard_device_set_auto_place (KioskIdcardDevice *self, gboolean allowed)
{
  g_return_if_fail (KIOSK_IS_IDCARD_DEVICE (self));
  g_atomic_int_set (&self->auto_place, allowed ? 1 : 0);
}

gboolean
kiosk_idcard_device_get_auto_place (KioskIdcardDevice *self)
{
  g_return_val_if_fail (KIOSK_IS_IDCARD_DEVICE (self), FALSE);
  return g_atomic_int_get (&self->auto_place) != 0;
}

GBytes *
kiosk_idcard_device_dup_photo (KioskIdcardDevice *self)
{
  GBytes *b;

  g_mutex_lock (&self->lock);
  b = self->photo ? g_bytes_ref (self->photo) : NULL;
  g_mutex_unlock (&self->lock);
  return b;
}

KioskDevice *
kiosk_idcard_device_new (KioskConfig *config, GError **error)
{
  IdcardSettings *s = settings_new (config);
  KioskIdcardDevice *self;
  IdcardPhotoDecoder *decoder = NULL;

  if (s->wlt_decoder)
    {
      decoder = idcard_photo_decoder_load (s->wlt_decoder, error);
      if (decoder == NULL)
        {
          settings_free (s);
          return NULL;
        }
    }
  self = g_object_new (KIOSK_TYPE_IDCARD_DEVICE, "kind", "idcard", "backend", s->backend, NULL);
  self->settings = s;
  self->photo_decoder = decoder;
  return KIOSK_DEVICE (self);
}
