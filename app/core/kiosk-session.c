/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-session"

#include "config.h"

#include <gio/gio.h>

#include "kiosk-journey-registry.h"
#include "kiosk-session.h"

struct _KioskSession {
  GObject parent_instance;

  KioskConfig *config;
  GListStore *journeys;

  KioskSessionState state;
  KioskJourney *journey;         /* current */
  KioskJourney *pending_journey; /* chosen, waiting for identity */
  KioskIdentity *identity;
  KioskServiceEvent *service_event; /* the event to rate, from journey_done_with_event */
  gboolean card_waiting;            /* a card was refused during this session */
  char *language;
  char *default_language;
  gboolean elder_mode;
  gboolean default_elder_mode;

  /* idle timer, in seconds */
  int idle_warning_after;
  int idle_countdown;
  int elder_idle_warning_after; /* 长辈模式: more time (issue #16) */
  int elder_idle_countdown;
  int end_screen;
  int idle_elapsed;
  gboolean idle_warning;
  int idle_remaining;
  int end_elapsed;
  gboolean manual_clock;
  guint tick_id;
};

G_DEFINE_FINAL_TYPE (KioskSession, kiosk_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_JOURNEY,
  PROP_IDENTIFIED,
  PROP_IDLE_WARNING,
  PROP_IDLE_REMAINING,
  PROP_LANGUAGE,
  PROP_ELDER_MODE,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_WIPE, SIGNAL_CARD_NOTICE, SIGNAL_CARD_WAITING, N_SIGNALS };
static guint signals[N_SIGNALS];

const char *
kiosk_session_state_to_string (KioskSessionState state)
{
  static const char *names[] = { "attract", "identify", "menu", "journey", "rate", "end" };
  if ((guint) state < G_N_ELEMENTS (names))
    return names[state];
  return "unknown";
}

static gboolean tick_cb (gpointer data);

static void
update_timer (KioskSession *self)
{
  gboolean want = !self->manual_clock && self->state != KIOSK_SESSION_ATTRACT;

  if (want && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  else if (!want && self->tick_id != 0)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
set_idle_warning (KioskSession *self, gboolean warning, int remaining)
{
  if (self->idle_warning != warning)
    {
      self->idle_warning = warning;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_WARNING]);
    }
  if (self->idle_remaining != remaining)
    {
      self->idle_remaining = remaining;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_REMAINING]);
    }
}

static void
activity (KioskSession *self)
{
  self->idle_elapsed = 0;
  set_idle_warning (self, FALSE, 0);
}

static void
set_state (KioskSession *self, KioskSessionState state, KioskJourney *journey)
{
  gboolean journey_changed = self->journey != journey;

  if (self->state == state && !journey_changed)
    return;
  g_debug ("session: %s -> %s%s%s", kiosk_session_state_to_string (self->state), kiosk_session_state_to_string (state),
           journey ? " " : "", journey ? kiosk_journey_get_id (journey) : "");
  self->state = state;
  if (journey_changed)
    g_set_object (&self->journey, journey);
  self->end_elapsed = 0;
  activity (self);
  update_timer (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (journey_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOURNEY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_thaw_notify (G_OBJECT (self));

  if (state == KIOSK_SESSION_JOURNEY && journey)
    _kiosk_journey_begin (journey);
}

void
kiosk_session_wipe (KioskSession *self)
{
  guint n;

  g_return_if_fail (KIOSK_IS_SESSION (self));

  /* Journeys first, then everyone observing (the UI clears its widgets). */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->journeys));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (KioskJourney) j = g_list_model_get_item (G_LIST_MODEL (self->journeys), i);
      _kiosk_journey_wipe (j);
    }
  g_clear_object (&self->pending_journey);
  g_clear_pointer (&self->identity, kiosk_identity_free);
  g_clear_pointer (&self->service_event, kiosk_service_event_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTIFIED]);
  g_signal_emit (self, signals[SIGNAL_WIPE], 0);

  kiosk_session_set_language (self, self->default_language);
  kiosk_session_set_elder_mode (self, self->default_elder_mode);
  g_info ("session wiped");
  set_state (self, KIOSK_SESSION_ATTRACT, NULL);

  /* A card placed while this session ran was refused: it is the next
   * resident's turn now. */
  if (self->card_waiting)
    {
      self->card_waiting = FALSE;
      g_signal_emit (self, signals[SIGNAL_CARD_NOTICE], 0, (int) KIOSK_CARD_NOTICE_PLACE_AGAIN);
      g_signal_emit (self, signals[SIGNAL_CARD_WAITING], 0);
    }
}

void
kiosk_session_card_notice (KioskSession *self, KioskCardNotice notice)
{
  g_return_if_fail (KIOSK_IS_SESSION (self));
  activity (self);
  g_signal_emit (self, signals[SIGNAL_CARD_NOTICE], 0, (int) notice);
}

/* The same card (type and number) as the identified one: compared in
 * memory, never logged. */
static gboolean
same_holder (const KioskIdentity *a, const KioskIdentity *b)
{
  return a != NULL && b != NULL && a->card_type == b->card_type && a->id_number != NULL
         && g_strcmp0 (a->id_number, b->id_number) == 0;
}

void
kiosk_session_tick (KioskSession *self)
{
  g_return_if_fail (KIOSK_IS_SESSION (self));

  switch (self->state)
    {
    case KIOSK_SESSION_ATTRACT:
      return;
    case KIOSK_SESSION_END:
      if (++self->end_elapsed >= self->end_screen)
        kiosk_session_wipe (self);
      return;
    default:
      break;
    }

  self->idle_elapsed++;
  {
    int warning_after = self->elder_mode ? self->elder_idle_warning_after : self->idle_warning_after;
    int countdown = self->elder_mode ? self->elder_idle_countdown : self->idle_countdown;
    int remaining = countdown - (self->idle_elapsed - warning_after);

    if (self->idle_elapsed < warning_after)
      return;
    if (remaining <= 0)
      {
        g_info ("session idle for %d s: wiping", self->idle_elapsed);
        set_idle_warning (self, FALSE, 0);
        kiosk_session_wipe (self);
        return;
      }
    set_idle_warning (self, TRUE, remaining);
  }
}

static gboolean
tick_cb (gpointer data)
{
  KioskSession *self = data;
  kiosk_session_tick (self);
  return G_SOURCE_CONTINUE;
}

/* ---- intents ------------------------------------------------------------ */

gboolean
kiosk_session_touch (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);

  activity (self);
  if (self->state == KIOSK_SESSION_ATTRACT)
    {
      set_state (self, KIOSK_SESSION_MENU, NULL);
      return TRUE;
    }
  return self->state != KIOSK_SESSION_END;
}

gboolean
kiosk_session_identity_read (KioskSession *self, const KioskIdentity *identity)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (identity != NULL, FALSE);

  switch (self->state)
    {
    case KIOSK_SESSION_ATTRACT:
    case KIOSK_SESSION_MENU:
    case KIOSK_SESSION_IDENTIFY:
      break;
    default:
      /* A card placed mid-journey, mid-rating or on the thank-you screen
       * must not switch the person the session belongs to. Its owner is
       * told that it will be their turn, and is asked for it again when
       * this session ends; the session's own card put back changes nothing. */
      if (same_holder (identity, self->identity))
        return FALSE;
      if (self->journey && !kiosk_journey_accepts_card (self->journey, identity->card_type))
        {
          /* A kind of card this journey cannot use: said as such; it is
           * owed no read when the session ends. */
          g_info ("%s card refused: journey %s does not take it", kiosk_card_type_to_string (identity->card_type),
                  kiosk_journey_get_id (self->journey));
          g_signal_emit (self, signals[SIGNAL_CARD_NOTICE], 0, (int) KIOSK_CARD_NOTICE_WRONG_CARD);
          return FALSE;
        }
      g_info ("%s card placed during a session: refused until it ends",
              kiosk_card_type_to_string (identity->card_type));
      self->card_waiting = TRUE;
      /* Not activity: a stranger's card must not keep an abandoned session
       * open. */
      g_signal_emit (self, signals[SIGNAL_CARD_NOTICE], 0, (int) KIOSK_CARD_NOTICE_BUSY);
      return FALSE;
    }
  if (identity->expired)
    {
      /* An expired card identifies nobody; the resident is told, large. */
      g_info ("expired %s card refused", kiosk_card_type_to_string (identity->card_type));
      kiosk_session_card_notice (self, KIOSK_CARD_NOTICE_EXPIRED);
      return FALSE;
    }
  if (self->state == KIOSK_SESSION_IDENTIFY && self->pending_journey
      && !kiosk_journey_accepts_card (self->pending_journey, identity->card_type))
    {
      /* The chosen journey cannot be done with this kind of card: nobody is
       * identified for it, the screen keeps asking for a card that fits. */
      g_info ("%s card refused: journey %s does not take it", kiosk_card_type_to_string (identity->card_type),
              kiosk_journey_get_id (self->pending_journey));
      kiosk_session_card_notice (self, KIOSK_CARD_NOTICE_WRONG_CARD);
      return FALSE;
    }
  /* A card is read now: no earlier refused card is owed a read any more. */
  self->card_waiting = FALSE;
  if (self->identity != NULL && self->state != KIOSK_SESSION_IDENTIFY)
    {
      /* Another card while someone is identified: start over for them. */
      kiosk_session_wipe (self);
    }
  g_clear_pointer (&self->identity, kiosk_identity_free);
  self->identity = kiosk_identity_copy (identity);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTIFIED]);
  g_info ("session identified (%s card)", kiosk_card_type_to_string (identity->card_type));

  if (self->state == KIOSK_SESSION_IDENTIFY && self->pending_journey)
    {
      g_autoptr (KioskJourney) j = g_steal_pointer (&self->pending_journey);
      set_state (self, KIOSK_SESSION_JOURNEY, j);
    }
  else
    set_state (self, KIOSK_SESSION_MENU, NULL);
  return TRUE;
}

gboolean
kiosk_session_select_journey (KioskSession *self, const char *id)
{
  KioskJourney *j;

  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  if (self->state != KIOSK_SESSION_MENU)
    return FALSE;
  j = kiosk_session_find_journey (self, id);
  if (j == NULL)
    {
      g_message ("no journey '%s'", id);
      return FALSE;
    }
  if (kiosk_journey_get_requires_identity (j) && kiosk_journey_get_available (j) && self->identity == NULL)
    {
      g_set_object (&self->pending_journey, j);
      set_state (self, KIOSK_SESSION_IDENTIFY, NULL);
      return TRUE;
    }
  if (kiosk_journey_get_requires_identity (j) && kiosk_journey_get_available (j) && self->identity != NULL
      && !kiosk_journey_accepts_card (j, self->identity->card_type))
    {
      /* Identified with a card this journey does not take: told so, large,
       * and the menu stays (another card placed here starts over for its
       * holder). */
      kiosk_session_card_notice (self, KIOSK_CARD_NOTICE_WRONG_CARD);
      return FALSE;
    }
  set_state (self, KIOSK_SESSION_JOURNEY, j);
  return TRUE;
}

gboolean
kiosk_session_back (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  switch (self->state)
    {
    case KIOSK_SESSION_IDENTIFY:
      g_clear_object (&self->pending_journey);
      set_state (self, KIOSK_SESSION_MENU, NULL);
      return TRUE;
    case KIOSK_SESSION_JOURNEY:
      /* A journey with steps steps back inside itself first. */
      if (self->journey && _kiosk_journey_back (self->journey))
        {
          activity (self);
          return TRUE;
        }
      set_state (self, KIOSK_SESSION_MENU, NULL);
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
kiosk_session_journey_done (KioskSession *self, gboolean service_event)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  if (self->state != KIOSK_SESSION_JOURNEY)
    return FALSE;
  g_clear_pointer (&self->service_event, kiosk_service_event_free);
  set_state (self, service_event ? KIOSK_SESSION_RATE : KIOSK_SESSION_MENU, service_event ? self->journey : NULL);
  return TRUE;
}

gboolean
kiosk_session_journey_done_with_event (KioskSession *self, const KioskServiceEvent *event)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);
  if (self->state != KIOSK_SESSION_JOURNEY)
    return FALSE;
  g_clear_pointer (&self->service_event, kiosk_service_event_free);
  self->service_event = kiosk_service_event_copy (event);
  set_state (self, KIOSK_SESSION_RATE, self->journey);
  return TRUE;
}

const KioskServiceEvent *
kiosk_session_get_service_event (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), NULL);
  return self->service_event;
}

gboolean
kiosk_session_rating_done (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  if (self->state != KIOSK_SESSION_RATE)
    return FALSE;
  set_state (self, KIOSK_SESSION_END, NULL);
  return TRUE;
}

gboolean
kiosk_session_finish (KioskSession *self)
{
  g_return_val_if_fail (KIOSK_IS_SESSION (self), FALSE);
  switch (self->state)
    {
    case KIOSK_SESSION_MENU:
    case KIOSK_SESSION_IDENTIFY:
    case KIOSK_SESSION_JOURNEY:
      set_state (self, KIOSK_SESSION_END, NULL);
      return TRUE;
    default:
      return FALSE;
    }
}

void
kiosk_session_set_language (KioskSession *self, const char *language)
{
  g_return_if_fail (KIOSK_IS_SESSION (self));
  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

void
kiosk_session_set_elder_mode (KioskSession *self, gboolean elder_mode)
{
  g_return_if_fail (KIOSK_IS_SESSION (self));
  elder_mode = !!elder_mode;
  if (self->elder_mode == elder_mode)
    return;
  self->elder_mode = elder_mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELDER_MODE]);
}

/* ---- accessors ---------------------------------------------------------- */

void
kiosk_session_register_journey (KioskSession *self, KioskJourney *journey)
{
  g_return_if_fail (KIOSK_IS_SESSION (self));
  g_return_if_fail (KIOSK_IS_JOURNEY (journey));
  g_return_if_fail (kiosk_session_find_journey (self, kiosk_journey_get_id (journey)) == NULL);
  g_list_store_append (self->journeys, journey);
}

GListModel *
kiosk_session_get_journeys (KioskSession *self)
{
  return G_LIST_MODEL (self->journeys);
}

KioskJourney *
kiosk_session_find_journey (KioskSession *self, const char *id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->journeys));
  for (guint i = 0; i < n; i++)
    {
      KioskJourney *j = g_list_model_get_item (G_LIST_MODEL (self->journeys), i);
      g_object_unref (j); /* the store keeps it alive */
      if (g_strcmp0 (kiosk_journey_get_id (j), id) == 0)
        return j;
    }
  return NULL;
}

KioskSessionState
kiosk_session_get_state (KioskSession *self)
{
  return self->state;
}

KioskJourney *
kiosk_session_get_journey (KioskSession *self)
{
  return self->journey;
}

KioskJourney *
kiosk_session_get_pending_journey (KioskSession *self)
{
  return self->pending_journey;
}

const KioskIdentity *
kiosk_session_get_identity (KioskSession *self)
{
  return self->identity;
}

gboolean
kiosk_session_get_idle_warning (KioskSession *self)
{
  return self->idle_warning;
}

int
kiosk_session_get_idle_remaining (KioskSession *self)
{
  return self->idle_remaining;
}

const char *
kiosk_session_get_language (KioskSession *self)
{
  return self->language;
}

gboolean
kiosk_session_get_elder_mode (KioskSession *self)
{
  return self->elder_mode;
}

void
kiosk_session_set_manual_clock (KioskSession *self, gboolean manual)
{
  self->manual_clock = manual;
  update_timer (self);
}

/* ---- GObject ------------------------------------------------------------ */

static void
kiosk_session_dispose (GObject *object)
{
  KioskSession *self = KIOSK_SESSION (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->journey);
  g_clear_object (&self->pending_journey);
  g_clear_object (&self->journeys);
  g_clear_pointer (&self->identity, kiosk_identity_free);
  g_clear_pointer (&self->service_event, kiosk_service_event_free);
  G_OBJECT_CLASS (kiosk_session_parent_class)->dispose (object);
}

static void
kiosk_session_finalize (GObject *object)
{
  KioskSession *self = KIOSK_SESSION (object);

  g_clear_pointer (&self->config, kiosk_config_unref);
  g_free (self->language);
  g_free (self->default_language);
  G_OBJECT_CLASS (kiosk_session_parent_class)->finalize (object);
}

static void
kiosk_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskSession *self = KIOSK_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_JOURNEY:
      g_value_set_object (value, self->journey);
      break;
    case PROP_IDENTIFIED:
      g_value_set_boolean (value, self->identity != NULL);
      break;
    case PROP_IDLE_WARNING:
      g_value_set_boolean (value, self->idle_warning);
      break;
    case PROP_IDLE_REMAINING:
      g_value_set_int (value, self->idle_remaining);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_ELDER_MODE:
      g_value_set_boolean (value, self->elder_mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_session_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  KioskSession *self = KIOSK_SESSION (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      kiosk_session_set_language (self, g_value_get_string (value));
      break;
    case PROP_ELDER_MODE:
      kiosk_session_set_elder_mode (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_session_class_init (KioskSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_session_dispose;
  object_class->finalize = kiosk_session_finalize;
  object_class->get_property = kiosk_session_get_property;
  object_class->set_property = kiosk_session_set_property;

  properties[PROP_STATE]
      = g_param_spec_int ("state", NULL, NULL, KIOSK_SESSION_ATTRACT, KIOSK_SESSION_END, KIOSK_SESSION_ATTRACT,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JOURNEY] = g_param_spec_object ("journey", NULL, NULL, KIOSK_TYPE_JOURNEY,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDENTIFIED] = g_param_spec_boolean (
      "identified", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_WARNING] = g_param_spec_boolean (
      "idle-warning", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_REMAINING]
      = g_param_spec_int ("idle-remaining", NULL, NULL, 0, G_MAXINT, 0,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] = g_param_spec_string (
      "language", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ELDER_MODE] = g_param_spec_boolean (
      "elder-mode", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted when the session's personal data goes: every widget and object
   * holding any must clear it (not just hide it). */
  signals[SIGNAL_WIPE]
      = g_signal_new ("wipe", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CARD_NOTICE] = g_signal_new ("card-notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                              NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_CARD_WAITING] = g_signal_new ("card-waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                               NULL, NULL, G_TYPE_NONE, 0);
}

static void
kiosk_session_init (KioskSession *self)
{
  self->journeys = g_list_store_new (KIOSK_TYPE_JOURNEY);
  self->state = KIOSK_SESSION_ATTRACT;
}

KioskSession *
kiosk_session_new (KioskConfig *config)
{
  KioskSession *self;

  g_return_val_if_fail (config != NULL, NULL);
  self = g_object_new (KIOSK_TYPE_SESSION, NULL);
  self->config = kiosk_config_ref (config);
  self->idle_warning_after = kiosk_config_get_int (config, "session", "idle-warning-seconds");
  self->idle_countdown = kiosk_config_get_int (config, "session", "idle-countdown-seconds");
  /* Never shorter in 长辈模式 than in normal mode. */
  self->elder_idle_warning_after
      = MAX (self->idle_warning_after, kiosk_config_get_int (config, "session", "elder-idle-warning-seconds"));
  self->elder_idle_countdown
      = MAX (self->idle_countdown, kiosk_config_get_int (config, "session", "elder-idle-countdown-seconds"));
  self->end_screen = kiosk_config_get_int (config, "session", "end-screen-seconds");
  self->default_language = kiosk_config_get_string (config, "kiosk", "language");
  self->language = g_strdup (self->default_language);
  self->default_elder_mode = kiosk_config_get_bool (config, "ui", "elder-mode");
  self->elder_mode = self->default_elder_mode;
  return self;
}
