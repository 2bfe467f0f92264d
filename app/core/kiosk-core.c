/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-core"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "camera-device.h"
#include "idcard-device.h"
#include "kiosk-core.h"
#include "kiosk-eid.h"
#include "kiosk-journey-registry.h"
#include "kiosk-maint.h"
#include "kiosk-rating-store-sink.h"
#include "kiosk-state-file.h"
#include "pad-device.h"
#include "printer-device.h"

struct _KioskCore {
  GObject parent_instance;
  KioskConfig *config;
  KioskSession *session;
  KioskJourney *preview_journey; /* asked for the camera's live picture; weak */
  KioskDeviceManager *devices;
  KioskEid *eid;     /* the e-ID QR seam on the identify screen */
  KioskMaint *maint; /* the technician's screen: cards go there first while it is open */
  KioskStore *store;
  KioskSync *sync;
  GCancellable *cancellable;
  char *store_error;
  GStrv notices;
  gint64 notices_fetched_at; /* 0: [kiosk] notices, the station's own */
  int backlog;
  gboolean accepting;
  gboolean online;
  gint64 last_contact_override; /* tests: _kiosk_core_set_platform_contact */
  gboolean started;
  KioskStateFile *state_file; /* what the kiosk sees, for kioskctl */
  /* 好差评: one flow for the kiosk's life, its sink and the pad. */
  KioskRatingFlow *rating_flow;
  char *rating_error;
  KioskDevice *pad; /* a pad that should be there; NULL for backend none */
  guint rating_done_id;
};

G_DEFINE_FINAL_TYPE (KioskCore, kiosk_core, G_TYPE_OBJECT)

enum { PROP_0, PROP_BACKLOG, PROP_ACCEPTING, PROP_ONLINE, PROP_NOTICES, PROP_STORE_ERROR, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_READY, SIGNAL_CAMERA_PREVIEW, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The journey the session is in, or NULL: device events go to it. */
static KioskJourney *
current_journey (KioskCore *self)
{
  if (kiosk_session_get_state (self->session) != KIOSK_SESSION_JOURNEY)
    return NULL;
  return kiosk_session_get_journey (self->session);
}

/* A card read: the current journey may take it (a second person's card in
 * its steps); otherwise the session decides what it means. */
static void
identity_cb (KioskDevice *device, const KioskIdentity *identity, KioskCore *self)
{
  KioskJourney *j = current_journey (self);

  if (kiosk_maint_take_identity (self->maint, identity))
    return;
  if (j && _kiosk_journey_identity_read (j, identity))
    return;
  kiosk_session_identity_read (self->session, identity);
}

/* What the resident did with a card reaches the session, which has the
 * screen say it (a device state alone is replaced by the next poll). */
static void
card_event_cb (KioskDevice *device, int event, KioskCore *self)
{
  if (kiosk_maint_take_card_event (self->maint, event))
    return;
  switch ((IdcardEvent) event)
    {
    case IDCARD_EVENT_UNREADABLE:
      kiosk_session_card_notice (self->session, KIOSK_CARD_NOTICE_UNREADABLE);
      break;
    case IDCARD_EVENT_READ_FAILED:
      kiosk_session_card_notice (self->session, KIOSK_CARD_NOTICE_READ_FAILED);
      break;
    case IDCARD_EVENT_REMOVED:
      kiosk_session_card_notice (self->session, KIOSK_CARD_NOTICE_REMOVED);
      break;
    default:
      break;
    }
}

/* A card refused during the session that just ended: read it now if it is
 * still there and the reader can tell (the screen has asked for it again). */
static void
card_waiting_cb (KioskSession *session, KioskCore *self)
{
  KioskDevice *idcard = kiosk_device_manager_get (self->devices, "idcard");

  if (KIOSK_IS_IDCARD_DEVICE (idcard))
    kiosk_idcard_device_read_again (KIOSK_IDCARD_DEVICE (idcard));
}

/* The demo's simulated reader places cards by itself at the attract screen
 * only, never into someone's session. */
static void
auto_place_cb (KioskSession *session, GParamSpec *pspec, KioskCore *self)
{
  KioskDevice *idcard = kiosk_device_manager_get (self->devices, "idcard");

  if (KIOSK_IS_IDCARD_DEVICE (idcard))
    kiosk_idcard_device_set_auto_place (KIOSK_IDCARD_DEVICE (idcard),
                                        kiosk_session_get_state (session) == KIOSK_SESSION_ATTRACT);
}

/* The document camera reads codes and takes pages while a journey wants
 * them (its registry row's camera mode). */
static void
barcode_cb (KioskDevice *camera, const char *format, const char *text, KioskCore *self)
{
  KioskJourney *j = current_journey (self);

  if (j)
    _kiosk_journey_barcode (j, format, text);
}

static void
page_cb (KioskDevice *camera, KioskScannedPage *page, KioskCore *self)
{
  KioskJourney *j = current_journey (self);

  if (j && page)
    _kiosk_journey_page_captured (j, page->jpeg, page->width, page->height, page->dpi, NULL);
}

static void
page_failed_cb (KioskDevice *camera, const char *message, KioskCore *self)
{
  KioskJourney *j = current_journey (self);

  if (j)
    _kiosk_journey_page_captured (j, NULL, 0, 0, 0, message);
}

/* The pad's keys outside the rating (the rating flow listens itself). */
static void
pad_key_cb (KioskPadDevice *pad, guint key, KioskCore *self)
{
  KioskJourney *j = current_journey (self);

  if (j)
    _kiosk_journey_pad_key (j, key);
}

G_DEFINE_BOXED_TYPE (KioskCameraFrame, kiosk_camera_frame, kiosk_camera_frame_copy, kiosk_camera_frame_free)

KioskCameraFrame *
kiosk_camera_frame_copy (const KioskCameraFrame *frame)
{
  KioskCameraFrame *copy = g_memdup2 (frame, sizeof *frame);

  copy->pixels = g_bytes_ref (frame->pixels);
  return copy;
}

void
kiosk_camera_frame_free (KioskCameraFrame *frame)
{
  if (frame == NULL)
    return;
  g_bytes_unref (frame->pixels);
  g_free (frame);
}

/* The camera's frames for the screen (made on its thread): handed on as
 * they are, the image's own bytes. */
static void
screen_frame_cb (KioskDevice *camera, KioskImage *image, const KioskQuad *outline, KioskCore *self)
{
  KioskCameraFrame frame = { 0 };

  if (self->preview_journey == NULL || image->format != KIOSK_PIXEL_RGB24)
    return;
  frame.pixels = g_bytes_new_with_free_func (image->data, (gsize) image->stride * image->height,
                                             (GDestroyNotify) kiosk_image_unref, kiosk_image_ref (image));
  frame.width = image->width;
  frame.height = image->height;
  frame.stride = image->stride;
  frame.format = KIOSK_CAMERA_FRAME_RGB24;
  frame.has_outline = outline != NULL;
  for (guint i = 0; outline && i < 4; i++)
    {
      frame.outline[2 * i] = outline->p[i].x;
      frame.outline[2 * i + 1] = outline->p[i].y;
    }
  g_signal_emit (self, signals[SIGNAL_CAMERA_PREVIEW], 0, &frame);
  g_bytes_unref (frame.pixels);
}

/* The live picture only for the current journey that asked, in PAGE mode. */
static void
update_camera_preview (KioskCore *self)
{
  KioskDevice *camera;
  KioskJourney *j;
  const KioskJourneyInfo *info;
  gboolean on;

  if (self->devices == NULL || self->session == NULL)
    return; /* disposing: the journeys' wipe comes last */
  camera = kiosk_device_manager_get (self->devices, "camera");
  j = current_journey (self);
  info = j ? kiosk_journey_get_info (j) : NULL;

  if (self->preview_journey && self->preview_journey != j)
    self->preview_journey = NULL;
  on = self->preview_journey && info && info->camera_mode == KIOSK_JOURNEY_CAMERA_PAGE;
  if (KIOSK_IS_CAMERA_DEVICE (camera))
    kiosk_camera_device_set_screen_preview (KIOSK_CAMERA_DEVICE (camera), on ? KIOSK_CAMERA_PREVIEW_WIDTH : 0,
                                            on ? KIOSK_CAMERA_PREVIEW_FPS : 0);
}

void
kiosk_core_set_camera_preview (KioskCore *self, KioskJourney *journey, gboolean on)
{
  g_return_if_fail (KIOSK_IS_CORE (self));
  if (on)
    self->preview_journey = journey;
  else if (self->preview_journey == journey)
    self->preview_journey = NULL;
  update_camera_preview (self);
}

gboolean
kiosk_core_get_camera_preview (KioskCore *self)
{
  KioskDevice *camera;

  g_return_val_if_fail (KIOSK_IS_CORE (self), FALSE);
  if (self->devices == NULL)
    return FALSE;
  camera = kiosk_device_manager_get (self->devices, "camera");
  return KIOSK_IS_CAMERA_DEVICE (camera) && kiosk_camera_device_get_screen_preview (KIOSK_CAMERA_DEVICE (camera));
}

static void
journey_changed_cb (KioskSession *session, GParamSpec *pspec, KioskCore *self)
{
  KioskDevice *camera = kiosk_device_manager_get (self->devices, "camera");
  KioskJourney *j = current_journey (self);
  const KioskJourneyInfo *info = j ? kiosk_journey_get_info (j) : NULL;
  KioskCameraScanMode mode = KIOSK_CAMERA_SCAN_NONE;

  if (info && info->camera_mode == KIOSK_JOURNEY_CAMERA_BARCODE)
    mode = KIOSK_CAMERA_SCAN_BARCODE;
  else if (info && info->camera_mode == KIOSK_JOURNEY_CAMERA_PAGE)
    mode = KIOSK_CAMERA_SCAN_PAGE;
  if (KIOSK_IS_CAMERA_DEVICE (camera))
    kiosk_camera_device_set_scan_mode (KIOSK_CAMERA_DEVICE (camera), mode);
  update_camera_preview (self);
}

static gboolean
set_bool_prop (KioskCore *self, gboolean *field, gboolean value, int prop)
{
  value = !!value;
  if (*field == value)
    return FALSE;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

/* ---- 好差评 ---------------------------------------------------------------- */

/* How long "only the applicant can rate this case" stays before the
 * thank-you screen. */
#define RATING_NOT_ALLOWED_SECONDS 5

static gboolean
rating_done_cb (gpointer data)
{
  KioskCore *self = data;

  self->rating_done_id = 0;
  kiosk_session_rating_done (self->session);
  return G_SOURCE_REMOVE;
}

/* Leaves RATE once the flow has finished emitting (or after @seconds). */
static void
schedule_rating_done (KioskCore *self, guint seconds)
{
  if (self->rating_done_id != 0 || kiosk_session_get_state (self->session) != KIOSK_SESSION_RATE)
    return;
  self->rating_done_id
      = seconds ? g_timeout_add_seconds (seconds, rating_done_cb, self) : g_idle_add (rating_done_cb, self);
}

static void
rating_recorded_cb (KioskRatingFlow *flow, const KioskRatingRecord *record, KioskCore *self)
{
  schedule_rating_done (self, 0);
}

static void
rating_state_cb (KioskRatingFlow *flow, GParamSpec *pspec, KioskCore *self)
{
  if (kiosk_rating_flow_get_state (flow) == KIOSK_RATING_FLOW_NOT_ALLOWED)
    schedule_rating_done (self, RATING_NOT_ALLOWED_SECONDS);
}

/* The session entered RATE: one question for its service event (一次一评). */
static void
begin_rating (KioskCore *self)
{
  const KioskServiceEvent *given = kiosk_session_get_service_event (self->session);
  const KioskIdentity *identity = kiosk_session_get_identity (self->session);
  KioskJourney *journey = kiosk_session_get_journey (self->session);
  g_autoptr (KioskServiceEvent) event = NULL;

  if (given)
    event = kiosk_service_event_copy (given);
  else
    event = kiosk_service_event_new (NULL, NULL, journey ? kiosk_journey_get_id (journey) : NULL);
  /* The resident rates. In a proxy case the identified person is the agent:
   * the journey must name the resident in the event, never the agent. */
  if (event->rater_id_number == NULL && !event->proxy && identity && identity->id_number)
    event->rater_id_number = g_strdup (identity->id_number);
  kiosk_rating_flow_begin (self->rating_flow, event);
}

static void
rating_session_state_cb (KioskSession *session, GParamSpec *pspec, KioskCore *self)
{
  KioskRatingFlowState state;

  if (kiosk_session_get_state (session) != KIOSK_SESSION_RATE)
    g_clear_handle_id (&self->rating_done_id, g_source_remove);
  if (self->rating_flow == NULL)
    {
      /* A broken [rating] configuration: the page says so, the resident
       * goes on. */
      schedule_rating_done (self, 0);
      return;
    }
  state = kiosk_rating_flow_get_state (self->rating_flow);
  if (kiosk_session_get_state (session) == KIOSK_SESSION_RATE)
    {
      /* A page rebuilt mid-question does not re-enter RATE; a new RATE is a
       * new event. */
      if (state != KIOSK_RATING_FLOW_ASKING && state != KIOSK_RATING_FLOW_REASONS)
        begin_rating (self);
    }
  else if (state == KIOSK_RATING_FLOW_ASKING || state == KIOSK_RATING_FLOW_REASONS)
    kiosk_rating_flow_abandon (self->rating_flow); /* left RATE without an answer */
}

static void
rating_wipe_cb (KioskSession *session, KioskCore *self)
{
  if (self->rating_flow)
    kiosk_rating_flow_abandon (self->rating_flow);
  g_clear_handle_id (&self->rating_done_id, g_source_remove);
}

/* Ratings go to the store's outbox once it is open (unless a default sink
 * was set, e.g. by a test). */
static void
rating_store_opened (KioskCore *self)
{
  g_autoptr (KioskRatingSink) sink = NULL;

  if (self->rating_flow == NULL || self->store == NULL || kiosk_rating_sink_get_default () != NULL)
    return;
  sink = kiosk_rating_store_sink_new (self->store);
  kiosk_rating_flow_set_sink (self->rating_flow, sink);
}

static void
rating_setup (KioskCore *self)
{
  g_autoptr (GError) error = NULL;
  KioskDevice *pad = kiosk_device_manager_get (self->devices, "pad");

  /* Only a pad that should be there ("none" is a null device). */
  if (kiosk_pad_device_from_device (pad))
    self->pad = g_object_ref (pad);
  self->rating_flow = kiosk_rating_flow_new (self->config, &error);
  if (self->rating_flow == NULL)
    {
      g_warning ("rating: %s", error ? error->message : "no rating flow");
      self->rating_error = g_strdup (error ? error->message : "no rating flow");
    }
  else
    {
      kiosk_rating_flow_attach_pad (self->rating_flow, pad);
      g_signal_connect (self->rating_flow, "recorded", G_CALLBACK (rating_recorded_cb), self);
      g_signal_connect (self->rating_flow, "notify::state", G_CALLBACK (rating_state_cb), self);
    }
  g_signal_connect (self->session, "notify::state", G_CALLBACK (rating_session_state_cb), self);
  g_signal_connect (self->session, "wipe", G_CALLBACK (rating_wipe_cb), self);
}

/* ---- printing for journeys ---------------------------------------------- */

typedef struct {
  KioskJourney *journey;
  char *document;
} JourneyPrint;

static void
journey_print_free (JourneyPrint *jp)
{
  g_object_unref (jp->journey);
  g_free (jp->document);
  g_free (jp);
}

static void
journey_printed_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  JourneyPrint *jp = data;
  g_autoptr (GError) error = NULL;

  if (kiosk_printer_device_print_finish (KIOSK_PRINTER_DEVICE (source), result, NULL, &error))
    _kiosk_journey_print_progress (jp->journey, jp->document, KIOSK_JOURNEY_PRINT_DONE, NULL);
  else
    {
      g_info ("journey %s: not printed: %s", kiosk_journey_get_id (jp->journey), error->message);
      _kiosk_journey_print_progress (jp->journey, jp->document, KIOSK_JOURNEY_PRINT_FAILED,
                                     kiosk_print_error_message (error));
    }
  journey_print_free (jp);
}

static void journey_print (KioskCore *self, KioskJourney *journey, const char *template_name, JsonObject *data,
                           const char *document_id, const KioskReprint *reprint, GCancellable *cancellable);

void
kiosk_core_journey_print (KioskCore *self, KioskJourney *journey, const char *template_name, JsonObject *data,
                          const char *document_id, GCancellable *cancellable)
{
  journey_print (self, journey, template_name, data, document_id, NULL, cancellable);
}

void
kiosk_core_journey_reprint (KioskCore *self, KioskJourney *journey, const char *template_name, JsonObject *data,
                            const char *document_id, const char *reason, GCancellable *cancellable)
{
  KioskReprint reprint = { "resident", reason };

  g_return_if_fail (reason != NULL && *reason != '\0');
  journey_print (self, journey, template_name, data, document_id, &reprint, cancellable);
}

static void
journey_print (KioskCore *self, KioskJourney *journey, const char *template_name, JsonObject *data,
               const char *document_id, const KioskReprint *reprint, GCancellable *cancellable)
{
  KioskDevice *printer;
  JourneyPrint *jp;

  g_return_if_fail (KIOSK_IS_CORE (self));
  g_return_if_fail (KIOSK_IS_JOURNEY (journey));
  printer = kiosk_device_manager_get (self->devices, "printer");
  if (!KIOSK_IS_PRINTER_DEVICE (printer))
    {
      g_autoptr (GError) error = g_error_new (KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_NOT_READY, "no printer driver");
      _kiosk_journey_print_progress (journey, document_id, KIOSK_JOURNEY_PRINT_FAILED,
                                     kiosk_print_error_message (error));
      return;
    }
  jp = g_new0 (JourneyPrint, 1);
  jp->journey = g_object_ref (journey);
  jp->document = g_strdup (document_id);
  _kiosk_journey_print_progress (journey, document_id, KIOSK_JOURNEY_PRINT_SENT, NULL);
  kiosk_printer_device_print_async (KIOSK_PRINTER_DEVICE (printer), template_name, data, document_id, reprint,
                                    cancellable, journey_printed_cb, jp);
}

/* ---- notices ------------------------------------------------------------ */

static void
load_notices (KioskCore *self)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  gint64 fetched_at = 0;

  if (self->store)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *json = kiosk_store_get_notices (self->store, &error);
      g_autoptr (JsonNode) root = json ? json_from_string (json, NULL) : NULL;

      if (root && JSON_NODE_HOLDS_ARRAY (root))
        {
          JsonArray *arr = json_node_get_array (root);
          for (guint i = 0; i < json_array_get_length (arr); i++)
            {
              JsonNode *n = json_array_get_element (arr, i);
              const char *text = NULL;
              if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
                text = json_node_get_string (n);
              else if (JSON_NODE_HOLDS_OBJECT (n))
                {
                  JsonObject *o = json_node_get_object (n);
                  const char *title = json_object_get_string_member_with_default (o, "title", NULL);
                  text = json_object_get_string_member_with_default (
                      o, "body", json_object_get_string_member_with_default (o, "text", title));
                  if (title && text && text != title)
                    {
                      g_ptr_array_add (list, g_strdup_printf ("%s：%s", title, text));
                      continue;
                    }
                }
              if (text && *text)
                g_ptr_array_add (list, g_strdup (text));
            }
        }
      else if (error)
        g_warning ("cannot read notices from the store: %s", error->message);
      if (list->len > 0)
        fetched_at = kiosk_store_get_notices_fetched_at (self->store);
    }

  if (list->len == 0)
    {
      g_auto (GStrv) configured = kiosk_config_get_list (self->config, "kiosk", "notices");
      for (char **p = configured; *p; p++)
        g_ptr_array_add (list, g_strdup (*p));
    }
  g_ptr_array_add (list, NULL);
  g_strfreev (self->notices);
  self->notices = (GStrv) g_ptr_array_free (g_steal_pointer (&list), FALSE);
  self->notices_fetched_at = fetched_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTICES]);
}

/* ---- store and sync ----------------------------------------------------- */

static void
backlog_changed_cb (KioskSync *sync, int pending, KioskCore *self)
{
  kiosk_core_set_backlog (self, pending);
}

static void
online_changed_cb (KioskSync *sync, gboolean online, KioskCore *self)
{
  set_bool_prop (self, &self->online, online, PROP_ONLINE);
}

static void
notices_changed_cb (KioskSync *sync, KioskCore *self)
{
  load_notices (self);
}

static void
item_rejected_cb (KioskSync *sync, gint64 id, const char *kind, const char *reason, KioskCore *self)
{
  /* The technician sees it in `kioskctl queue status`; log it precisely. */
  g_warning ("platform rejected outbox item %" G_GINT64_FORMAT " (%s): %s", id, kind, reason);
}

static gboolean
accepting_on_main_cb (gpointer data)
{
  KioskCore *self = data;
  if (self->store)
    set_bool_prop (self, &self->accepting, kiosk_store_is_accepting (self->store), PROP_ACCEPTING);
  return G_SOURCE_REMOVE;
}

static void
store_accepting_cb (GObject *store, GParamSpec *pspec, KioskCore *self)
{
  /* The store notifies on whichever thread changed it. */
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, accepting_on_main_cb, g_object_ref (self), g_object_unref);
}

static void
push_device_states (KioskCore *self)
{
  g_autoptr (JsonBuilder) b = NULL;
  g_autoptr (JsonBuilder) rb = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonNode) reasons = NULL;
  g_autofree char *json = NULL;
  g_autofree char *reasons_json = NULL;

  if (self->sync == NULL)
    return;
  b = json_builder_new ();
  rb = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_begin_object (rb);
  for (const char *const *k = kiosk_device_kinds (); *k; k++)
    {
      KioskDevice *d = kiosk_device_manager_get (self->devices, *k);
      const char *why = kiosk_device_get_reason (d);

      json_builder_set_member_name (b, *k);
      json_builder_add_string_value (b, kiosk_device_state_to_string (kiosk_device_get_state (d)));
      /* The technician's reason (paper out, reader unplugged) for the
       * county's fleet view: never personal data (kiosk-device.h). */
      json_builder_set_member_name (rb, *k);
      json_builder_add_string_value (rb, why ? why : "");
    }
  json_builder_end_object (b);
  json_builder_end_object (rb);
  root = json_builder_get_root (b);
  reasons = json_builder_get_root (rb);
  json = json_to_string (root, FALSE);
  reasons_json = json_to_string (reasons, FALSE);
  kiosk_sync_set_device_states (self->sync, json);
  kiosk_sync_set_device_reasons (self->sync, reasons_json);
}

static void
device_changed_cb (KioskDeviceManager *devices, KioskDevice *device, KioskCore *self)
{
  push_device_states (self);
}

/* A reason may change alone (paper out, then a jam): the heartbeat's
 * device_reasons follow it. */
static void
device_reason_cb (KioskDevice *device, GParamSpec *pspec, KioskCore *self)
{
  push_device_states (self);
}

/* Print records go to the outbox (called on the printer's worker thread;
 * the store is thread-safe). */
static gboolean
print_record_sink (const char *record_json, gpointer data, GError **error)
{
  return kiosk_store_enqueue_print_record (KIOSK_STORE (data), record_json, error) > 0;
}

/* Something new in the outbox: deliver it now rather than at the sync
 * engine's next timed look (called on the enqueuing thread). */
static void
store_enqueued_cb (KioskStore *store, gint64 id, const char *kind, KioskSync *sync)
{
  kiosk_sync_wake (sync);
}

static void
open_store_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  KioskConfig *config = task_data;
  GError *error = NULL;
  KioskStore *store = kiosk_store_open_from_config (config, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

static void
store_opened_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskCore *self = KIOSK_CORE (source);
  g_autoptr (GError) error = NULL;
  KioskStore *store = g_task_propagate_pointer (G_TASK (result), &error);

  if (store == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("the offline store could not be opened: %s", error->message);
      g_free (self->store_error);
      self->store_error = g_strdup (error->message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE_ERROR]);
      set_bool_prop (self, &self->accepting, FALSE, PROP_ACCEPTING);
      g_signal_emit (self, signals[SIGNAL_READY], 0);
      return;
    }

  self->store = store;
  g_signal_connect (store, "notify::accepting", G_CALLBACK (store_accepting_cb), self);
  set_bool_prop (self, &self->accepting, kiosk_store_is_accepting (store), PROP_ACCEPTING);
  kiosk_core_set_backlog (self, kiosk_store_get_backlog (store));
  load_notices (self);
  rating_store_opened (self);

  {
    KioskDevice *printer = kiosk_device_manager_get (self->devices, "printer");
    if (KIOSK_IS_PRINTER_DEVICE (printer))
      kiosk_printer_device_set_record_sink (KIOSK_PRINTER_DEVICE (printer), print_record_sink, g_object_ref (store),
                                            g_object_unref);
  }

  self->sync = kiosk_sync_new_from_config (store, self->config);
  g_signal_connect (self->sync, "backlog-changed", G_CALLBACK (backlog_changed_cb), self);
  g_signal_connect (self->sync, "online-changed", G_CALLBACK (online_changed_cb), self);
  g_signal_connect (self->sync, "notices-changed", G_CALLBACK (notices_changed_cb), self);
  g_signal_connect (self->sync, "item-rejected", G_CALLBACK (item_rejected_cb), self);
  g_signal_connect_object (store, "enqueued", G_CALLBACK (store_enqueued_cb), self->sync, 0);
  push_device_states (self);
  kiosk_sync_start (self->sync);
  g_info ("store open (%s), sync started", kiosk_store_get_path (store));
  g_signal_emit (self, signals[SIGNAL_READY], 0);
}

/* ---- GObject ------------------------------------------------------------ */

static void
kiosk_core_dispose (GObject *object)
{
  KioskCore *self = KIOSK_CORE (object);

  if (self->maint)
    _kiosk_maint_shutdown (self->maint);
  g_clear_object (&self->maint);
  kiosk_core_stop (self);
  g_clear_handle_id (&self->rating_done_id, g_source_remove);
  if (self->rating_flow)
    {
      g_signal_handlers_disconnect_by_data (self->rating_flow, self);
      kiosk_rating_flow_attach_pad (self->rating_flow, NULL);
    }
  g_clear_object (&self->rating_flow);
  g_clear_object (&self->pad);
  g_clear_object (&self->eid);
  g_clear_object (&self->cancellable);
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  /* The sync engine and the devices may outlive the core by an idle
   * emission or a worker's reference: none may call back into it. */
  if (self->sync)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);
  if (self->devices)
    {
      static const char *const names[] = { "idcard", "camera", "pad", "printer" };
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          KioskDevice *device = kiosk_device_manager_get (self->devices, names[i]);
          if (device)
            g_signal_handlers_disconnect_by_data (device, self);
        }
      g_signal_handlers_disconnect_by_data (self->devices, self);
    }
  g_clear_object (&self->devices);
  g_clear_object (&self->session);
  g_clear_pointer (&self->config, kiosk_config_unref);
  G_OBJECT_CLASS (kiosk_core_parent_class)->dispose (object);
}

static void
kiosk_core_finalize (GObject *object)
{
  KioskCore *self = KIOSK_CORE (object);

  g_free (self->store_error);
  g_free (self->rating_error);
  g_strfreev (self->notices);
  G_OBJECT_CLASS (kiosk_core_parent_class)->finalize (object);
}

static void
kiosk_core_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskCore *self = KIOSK_CORE (object);
  switch (prop_id)
    {
    case PROP_BACKLOG:
      g_value_set_int (value, self->backlog);
      break;
    case PROP_ACCEPTING:
      g_value_set_boolean (value, self->accepting);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_NOTICES:
      g_value_set_boxed (value, self->notices);
      break;
    case PROP_STORE_ERROR:
      g_value_set_string (value, self->store_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_core_class_init (KioskCoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = kiosk_core_dispose;
  object_class->finalize = kiosk_core_finalize;
  object_class->get_property = kiosk_core_get_property;
  properties[PROP_BACKLOG] = g_param_spec_int ("backlog", NULL, NULL, -1, G_MAXINT, -1, ro);
  properties[PROP_ACCEPTING] = g_param_spec_boolean ("accepting", NULL, NULL, FALSE, ro);
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE, ro);
  properties[PROP_NOTICES] = g_param_spec_boxed ("notices", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_STORE_ERROR] = g_param_spec_string ("store-error", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_READY]
      = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (KioskCameraFrame *frame): kiosk_core_set_camera_preview */
  signals[SIGNAL_CAMERA_PREVIEW]
      = g_signal_new ("camera-preview", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                      1, KIOSK_TYPE_CAMERA_FRAME | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
kiosk_core_init (KioskCore *self)
{
  self->backlog = -1;
  self->cancellable = g_cancellable_new ();
}

KioskCore *
kiosk_core_new (KioskConfig *config)
{
  KioskCore *self = g_object_new (KIOSK_TYPE_CORE, NULL);
  KioskDevice *idcard;

  self->config = kiosk_config_ref (config);
  self->session = kiosk_session_new (config);
  self->devices = kiosk_device_manager_new (config);
  self->maint = _kiosk_maint_new (self);

  {
    guint n;
    const KioskJourneyInfo *registry = kiosk_journey_registry (&n);
    for (guint i = 0; i < n; i++)
      {
        g_autoptr (KioskJourney) j = kiosk_journey_registry_create (&registry[i], self);
        kiosk_session_register_journey (self->session, j);
      }
  }

  /* The ID card reader announces each placed card with an "identity"
   * signal (a KioskIdentity); the session decides what it means. */
  idcard = kiosk_device_manager_get (self->devices, "idcard");
  if (g_signal_lookup ("identity", G_OBJECT_TYPE (idcard)) != 0)
    g_signal_connect (idcard, "identity", G_CALLBACK (identity_cb), self);
  if (g_signal_lookup ("card-event", G_OBJECT_TYPE (idcard)) != 0)
    g_signal_connect (idcard, "card-event", G_CALLBACK (card_event_cb), self);
  g_signal_connect (self->session, "card-waiting", G_CALLBACK (card_waiting_cb), self);
  g_signal_connect (self->session, "notify::state", G_CALLBACK (auto_place_cb), self);
  g_signal_connect (self->devices, "device-changed", G_CALLBACK (device_changed_cb), self);
  for (const char *const *k = kiosk_device_kinds (); *k; k++)
    g_signal_connect (kiosk_device_manager_get (self->devices, *k), "notify::reason", G_CALLBACK (device_reason_cb),
                      self);
  if (KIOSK_IS_CAMERA_DEVICE (kiosk_device_manager_get (self->devices, "camera")))
    {
      KioskDevice *camera = kiosk_device_manager_get (self->devices, "camera");
      g_signal_connect (camera, "barcode", G_CALLBACK (barcode_cb), self);
      g_signal_connect (camera, "page", G_CALLBACK (page_cb), self);
      g_signal_connect (camera, "page-failed", G_CALLBACK (page_failed_cb), self);
      g_signal_connect (camera, "screen-frame", G_CALLBACK (screen_frame_cb), self);
    }
  {
    KioskPadDevice *pad = kiosk_pad_device_from_device (kiosk_device_manager_get (self->devices, "pad"));
    if (pad)
      g_signal_connect (pad, "key", G_CALLBACK (pad_key_cb), self);
  }
  g_signal_connect (self->session, "notify::state", G_CALLBACK (journey_changed_cb), self);
  self->eid = kiosk_eid_new (self->session, kiosk_device_manager_get (self->devices, "camera"),
                             kiosk_config_get_bool (self->config, "identity", "eid-qr"));

  rating_setup (self);
  load_notices (self);
  return self;
}

KioskRatingFlow *
kiosk_core_get_rating_flow (KioskCore *self)
{
  g_return_val_if_fail (KIOSK_IS_CORE (self), NULL);
  return self->rating_flow;
}

const char *
kiosk_core_get_rating_error (KioskCore *self)
{
  g_return_val_if_fail (KIOSK_IS_CORE (self), NULL);
  return self->rating_error;
}

KioskDevice *
kiosk_core_get_pad (KioskCore *self)
{
  g_return_val_if_fail (KIOSK_IS_CORE (self), NULL);
  return self->pad;
}

KioskMaint *
kiosk_core_get_maint (KioskCore *self)
{
  g_return_val_if_fail (KIOSK_IS_CORE (self), NULL);
  return self->maint;
}

KioskEid *
kiosk_core_get_eid (KioskCore *self)
{
  g_return_val_if_fail (KIOSK_IS_CORE (self), NULL);
  return self->eid;
}

KioskConfig *
kiosk_core_get_config (KioskCore *self)
{
  return self->config;
}

KioskSession *
kiosk_core_get_session (KioskCore *self)
{
  return self->session;
}

KioskDeviceManager *
kiosk_core_get_devices (KioskCore *self)
{
  return self->devices;
}

KioskStore *
kiosk_core_get_store (KioskCore *self)
{
  return self->store;
}

KioskSync *
kiosk_core_get_sync (KioskCore *self)
{
  return self->sync;
}

const char *
kiosk_core_get_store_error (KioskCore *self)
{
  return self->store_error;
}

gboolean
kiosk_core_get_accepting (KioskCore *self)
{
  return self->accepting;
}

gboolean
kiosk_core_get_online (KioskCore *self)
{
  return self->online;
}

gint64
kiosk_core_get_last_contact (KioskCore *self)
{
  g_return_val_if_fail (KIOSK_IS_CORE (self), 0);
  if (self->last_contact_override != 0 || self->sync == NULL)
    return self->last_contact_override;
  return kiosk_sync_get_last_contact (self->sync);
}

void
_kiosk_core_set_platform_contact (KioskCore *self, gboolean online, gint64 last_contact)
{
  g_return_if_fail (KIOSK_IS_CORE (self));
  self->last_contact_override = last_contact;
  if (!set_bool_prop (self, &self->online, online, PROP_ONLINE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

const char *const *
kiosk_core_get_notices (KioskCore *self)
{
  return (const char *const *) self->notices;
}

gint64
kiosk_core_get_notices_fetched_at (KioskCore *self)
{
  g_return_val_if_fail (KIOSK_IS_CORE (self), 0);
  return self->notices_fetched_at;
}

int
kiosk_core_get_backlog (KioskCore *self)
{
  return self->backlog;
}

void
kiosk_core_set_backlog (KioskCore *self, int backlog)
{
  if (self->backlog == backlog)
    return;
  self->backlog = backlog;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKLOG]);
}

void
kiosk_core_start (KioskCore *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (KIOSK_IS_CORE (self));
  if (self->started)
    return;
  self->started = TRUE;
  kiosk_device_manager_start (self->devices);
  {
    g_autofree char *state_path = kiosk_state_file_path (self->config);
    if (state_path)
      self->state_file = kiosk_state_file_new (self, state_path);
  }

  task = g_task_new (self, self->cancellable, store_opened_cb, NULL);
  g_task_set_source_tag (task, kiosk_core_start);
  g_task_set_task_data (task, kiosk_config_ref (self->config), (GDestroyNotify) kiosk_config_unref);
  g_task_run_in_thread (task, open_store_thread);
}

void
kiosk_core_stop (KioskCore *self)
{
  if (!self->started)
    return;
  self->started = FALSE;
  g_cancellable_cancel (self->cancellable);
  if (self->sync)
    kiosk_sync_stop (self->sync);
  if (self->devices)
    kiosk_device_manager_stop (self->devices);
  g_clear_pointer (&self->state_file, kiosk_state_file_free);
}
