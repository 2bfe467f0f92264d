/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-agent"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kiosk-agent-auth.h"
#include "kiosk-agent-journey.h"
#include "kiosk-core.h"
#include "kiosk-domain-codec.h"
#include "kiosk-domain-rules.h"
#include "kiosk-store.h"

struct _KioskAgentJourney {
  KioskJourney parent_instance;
  KioskCore *core; /* weak: the core owns the journeys */
  GCancellable *cancellable;
  gint64 now; /* tests; 0: the real clock */

  KioskAgentStage stage;
  const char *message; /* msgid */

  /* login */
  KioskAgentLoginState login_state;
  KioskAgentList *agents;
  GHashTable *pin_states;  /* agent id -> KioskPinState* */
  const KioskAgent *agent; /* in agents */
  KioskIdentity *agent_card;
  int wait_seconds;
  guint wait_id;

  /* a new case */
  KioskIdentity *resident;
  KioskApplyJourney *apply;
  GPtrArray *items; /* KioskCatalogItem* */
  KioskCatalogItem *item;
  KioskAgentAuthState auth_state;
  GBytes *signature; /* PNG */
  GBytes *scan;      /* JPEG of the signed paper */
  char *auth_id;
  GDateTime *auth_signed_at;

  /* cases and feedback */
  GPtrArray *cases; /* KioskAgentCase* */
  KioskAgentCase *chosen;
  char *chosen_applicant; /* the ID number of the chosen case's applicant; personal */
  gboolean resident_confirmed;
  gboolean saving;
};

G_DEFINE_FINAL_TYPE (KioskAgentJourney, kiosk_agent_journey, KIOSK_TYPE_JOURNEY)
G_DEFINE_QUARK (kiosk - agent - error - quark, kiosk_agent_error)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *const new_steps[] = {
  "agent",         N_ ("Agent login"),   "resident", N_ ("Resident's card"),        "item", N_ ("Choose the item"),
  "authorisation", N_ ("Authorisation"), "apply",    N_ ("Apply for the resident"), NULL,
};
static const char *const cases_steps[] = {
  "agent", N_ ("Agent login"), "cases", N_ ("My proxy cases"), "feedback", N_ ("Hand-over and feedback"), NULL,
};

static const char *const level_names[] = {
  N_ ("Very dissatisfied"), N_ ("Dissatisfied"), N_ ("Fair"), N_ ("Satisfied"), N_ ("Very satisfied"),
};

const char *
kiosk_agent_level_name (int level)
{
  return level >= 1 && level <= 5 ? level_names[level - 1] : NULL;
}

void
kiosk_agent_case_free (KioskAgentCase *c)
{
  if (c == NULL)
    return;
  g_free (c->number);
  g_free (c->provisional);
  g_free (c->item_code);
  g_free (c->item_name);
  g_free (c->status_text);
  g_free (c->deadline);
  g_free (c->agent_id);
  g_free (c->agent_name);
  g_free (c);
}

/* ---- helpers ----------------------------------------------------------------- */

static gint64
now_us (KioskAgentJourney *self)
{
  return self->now ? self->now : g_get_real_time ();
}

static KioskStore *
store_of (KioskAgentJourney *self)
{
  return self->core ? kiosk_core_get_store (self->core) : NULL;
}

static void
changed (KioskAgentJourney *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
touch (KioskAgentJourney *self)
{
  if (self->core)
    kiosk_session_touch (kiosk_core_get_session (self->core));
}

static gboolean
refuse (GError **error, KioskAgentError code, const char *msgid)
{
  g_set_error_literal (error, KIOSK_AGENT_ERROR, code, msgid);
  return FALSE;
}

static guint
stage_step (KioskAgentStage stage)
{
  switch (stage)
    {
    case KIOSK_AGENT_STAGE_RESIDENT:
    case KIOSK_AGENT_STAGE_CASES:
      return 1;
    case KIOSK_AGENT_STAGE_ITEM:
    case KIOSK_AGENT_STAGE_FEEDBACK:
      return 2;
    case KIOSK_AGENT_STAGE_AUTHORISATION:
      return 3;
    case KIOSK_AGENT_STAGE_APPLY:
      return 4;
    default:
      return 0;
    }
}

static void
set_stage (KioskAgentJourney *self, KioskAgentStage stage)
{
  self->stage = stage;
  self->message = NULL;
  if (stage == KIOSK_AGENT_STAGE_RESIDENT)
    kiosk_journey_set_steps (KIOSK_JOURNEY (self), (const char *const *) new_steps);
  else if (stage == KIOSK_AGENT_STAGE_CASES)
    kiosk_journey_set_steps (KIOSK_JOURNEY (self), (const char *const *) cases_steps);
  kiosk_journey_set_step (KIOSK_JOURNEY (self), stage_step (stage));
}

static char *
new_record_id (KioskAgentJourney *self, const char *kind)
{
  KioskStore *store = store_of (self);
  g_autofree char *uuid = g_uuid_string_random ();
  return g_strdup_printf ("%s-%s-%s", store ? kiosk_store_get_kiosk_id (store) : "K", kind, uuid);
}

static void
forget_case (KioskAgentJourney *self)
{
  g_clear_pointer (&self->resident, kiosk_identity_free);
  g_clear_pointer (&self->item, kiosk_catalog_item_unref);
  g_clear_pointer (&self->signature, g_bytes_unref);
  g_clear_pointer (&self->scan, g_bytes_unref);
  g_clear_pointer (&self->auth_id, g_free);
  g_clear_pointer (&self->auth_signed_at, g_date_time_unref);
  self->auth_state = KIOSK_AGENT_AUTH_UNSIGNED;
  if (self->apply)
    _kiosk_journey_wipe (KIOSK_JOURNEY (self->apply));
}

static void
forget_feedback (KioskAgentJourney *self)
{
  self->chosen = NULL;
  g_clear_pointer (&self->chosen_applicant, kiosk_secure_free);
  self->resident_confirmed = FALSE;
}

static void
forget_all (KioskAgentJourney *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->wait_id, g_source_remove);
  forget_case (self);
  forget_feedback (self);
  g_ptr_array_set_size (self->cases, 0);
  g_ptr_array_set_size (self->items, 0);
  self->agent = NULL;
  g_clear_pointer (&self->agent_card, kiosk_identity_free);
  g_clear_pointer (&self->agents, kiosk_agent_list_free);
  g_hash_table_remove_all (self->pin_states);
  self->wait_seconds = 0;
  self->saving = FALSE;
  self->login_state = KIOSK_AGENT_LOGIN_LOADING;
  self->stage = KIOSK_AGENT_STAGE_LOGIN;
  self->message = NULL;
}

/* ---- login ------------------------------------------------------------------- */

static KioskPinState *
pin_state (KioskAgentJourney *self, const KioskAgent *agent)
{
  KioskPinState *st = g_hash_table_lookup (self->pin_states, agent->id);
  if (st == NULL)
    {
      st = g_new0 (KioskPinState, 1);
      g_hash_table_insert (self->pin_states, g_strdup (agent->id), st);
    }
  return st;
}

static gboolean
wait_tick_cb (gpointer data)
{
  KioskAgentJourney *self = data;
  KioskPinState *st = self->agent ? pin_state (self, self->agent) : NULL;

  self->wait_seconds = st ? kiosk_pin_state_wait (st, now_us (self)) : 0;
  if (self->wait_seconds <= 0)
    {
      self->wait_id = 0;
      changed (self);
      return G_SOURCE_REMOVE;
    }
  changed (self);
  return G_SOURCE_CONTINUE;
}

/* The login state for the identified agent from their PIN state. */
static void
update_pin_login (KioskAgentJourney *self)
{
  KioskPinState *st = pin_state (self, self->agent);

  g_clear_handle_id (&self->wait_id, g_source_remove);
  self->wait_seconds = kiosk_pin_state_wait (st, now_us (self));
  if (kiosk_pin_state_locked (st))
    {
      self->login_state = KIOSK_AGENT_LOGIN_LOCKED;
      self->message = N_ ("Too many wrong PINs: this agent is locked on this kiosk. Please call the station to have "
                          "the PIN reset.");
    }
  else if (st->failures > 0)
    {
      self->login_state = KIOSK_AGENT_LOGIN_WRONG;
      self->message = N_ ("Wrong PIN.");
      if (self->wait_seconds > 0 && self->now == 0)
        self->wait_id = g_timeout_add_seconds (1, wait_tick_cb, self);
    }
  else
    {
      self->login_state = KIOSK_AGENT_LOGIN_PIN;
      self->message = NULL;
    }
}

/* A card for the login: the agent's own, or not an agent. */
static void
login_with_card (KioskAgentJourney *self, const KioskIdentity *card)
{
  const KioskAgent *agent;

  if (self->agents == NULL)
    return;
  agent = card ? kiosk_agent_list_find_by_id_number (self->agents, card->id_number) : NULL;
  if (agent == NULL)
    {
      self->agent = NULL;
      self->login_state = card ? KIOSK_AGENT_LOGIN_NOT_AGENT : KIOSK_AGENT_LOGIN_CARD;
      self->message
          = card ? N_ ("This card is not one of this station's agents. The agent places their own ID card.") : NULL;
      return;
    }
  self->agent = agent;
  g_clear_pointer (&self->agent_card, kiosk_identity_free);
  self->agent_card = kiosk_identity_copy (card);
  update_pin_login (self);
}

typedef struct {
  KioskStore *store;
  KioskAgentList *list;
  GHashTable *states;
} LoadData;

static void
load_data_free (LoadData *d)
{
  g_clear_object (&d->store);
  g_clear_pointer (&d->list, kiosk_agent_list_free);
  g_clear_pointer (&d->states, g_hash_table_unref);
  g_free (d);
}

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  LoadData *d = data;
  g_autoptr (GError) error = NULL;

  d->list = kiosk_agent_list_load (d->store, &error);
  if (error)
    g_warning ("the station's agents cannot be read: %s", error->message);
  d->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; d->list && i < d->list->agents->len; i++)
    {
      const KioskAgent *a = d->list->agents->pdata[i];
      KioskPinState *st = g_new0 (KioskPinState, 1);
      kiosk_agent_pin_state_load (d->store, a, st);
      g_hash_table_insert (d->states, g_strdup (a->id), st);
    }
  g_task_return_boolean (task, TRUE);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskAgentJourney *self;
  LoadData *d;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  self = KIOSK_AGENT_JOURNEY (source);
  d = g_task_get_task_data (G_TASK (result));
  self->agents = g_steal_pointer (&d->list);
  g_clear_pointer (&self->pin_states, g_hash_table_unref);
  self->pin_states = g_steal_pointer (&d->states);
  if (self->agents == NULL || self->agents->agents->len == 0)
    {
      self->login_state = KIOSK_AGENT_LOGIN_NO_LIST;
      self->message = N_ ("This kiosk has no list of the station's agents yet. Please call the station.");
    }
  else
    login_with_card (self, self->core ? kiosk_session_get_identity (kiosk_core_get_session (self->core)) : NULL);
  changed (self);
}

typedef struct {
  KioskStore *store;
  KioskAgent agent; /* id and pin_hash, copied */
  char *pin;
  gint64 now;
  KioskPinState state;
  gboolean right;
} PinData;

static void
pin_data_free (PinData *d)
{
  g_clear_object (&d->store);
  g_free (d->agent.id);
  g_free (d->agent.pin_hash);
  if (d->pin)
    kiosk_secure_free (d->pin);
  g_free (d);
}

static void
pin_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  PinData *d = data;
  g_autoptr (GError) error = NULL;

  /* The count on disk is the truth (another process, a restart). */
  if (d->store)
    kiosk_agent_pin_state_load (d->store, &d->agent, &d->state);
  if (kiosk_pin_state_locked (&d->state) || kiosk_pin_state_wait (&d->state, d->now) > 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  d->right = kiosk_pin_verify (d->agent.pin_hash, d->pin);
  if (d->right)
    d->state.failures = 0, d->state.last_failure = 0;
  else
    d->state.failures++, d->state.last_failure = d->now;
  if (d->store && !kiosk_agent_pin_state_save (d->store, &d->agent, &d->state, &error))
    {
      /* A count that cannot be kept lets nobody in. */
      g_warning ("agent PIN state not saved: %s", error->message);
      d->right = FALSE;
    }
  g_task_return_boolean (task, TRUE);
}

static void
pin_checked_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskAgentJourney *self;
  PinData *d;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  self = KIOSK_AGENT_JOURNEY (source);
  d = g_task_get_task_data (G_TASK (result));
  if (self->agent == NULL || g_strcmp0 (self->agent->id, d->agent.id) != 0)
    return;
  *pin_state (self, self->agent) = d->state;
  if (d->right)
    {
      g_info ("agent %s logged in", self->agent->id);
      self->login_state = KIOSK_AGENT_LOGIN_DONE;
      set_stage (self, KIOSK_AGENT_STAGE_MENU);
    }
  else
    {
      g_info ("agent %s: wrong PIN (%d in a row)", self->agent->id, d->state.failures);
      update_pin_login (self);
    }
  changed (self);
}

gboolean
kiosk_agent_journey_submit_pin (KioskAgentJourney *self, const char *pin, GError **error)
{
  KioskPinState *st;
  g_autoptr (GTask) task = NULL;
  PinData *d;
  gsize len;

  g_return_val_if_fail (KIOSK_IS_AGENT_JOURNEY (self), FALSE);
  touch (self);
  if (self->stage != KIOSK_AGENT_STAGE_LOGIN || self->agent == NULL || self->login_state == KIOSK_AGENT_LOGIN_CHECKING)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_NOW, N_ ("The agent places their own ID card first."));
  st = pin_state (self, self->agent);
  if (kiosk_pin_state_locked (st))
    return refuse (error, KIOSK_AGENT_ERROR_LOCKED, N_ ("This agent is locked. Please call the station."));
  if (kiosk_pin_state_wait (st, now_us (self)) > 0)
    return refuse (error, KIOSK_AGENT_ERROR_WAIT, N_ ("Please wait before trying again."));
  len = pin ? strlen (pin) : 0;
  if (len < KIOSK_PIN_MIN_LENGTH || len > KIOSK_PIN_MAX_LENGTH || strspn (pin, "0123456789") != len)
    return refuse (error, KIOSK_AGENT_ERROR_INVALID, N_ ("The PIN is 4 to 12 digits."));
  d = g_new0 (PinData, 1);
  d->store = store_of (self) ? g_object_ref (store_of (self)) : NULL;
  d->agent.id = g_strdup (self->agent->id);
  d->agent.pin_hash = g_strdup (self->agent->pin_hash);
  d->pin = g_strdup (pin);
  d->now = now_us (self);
  d->state = *st;
  self->login_state = KIOSK_AGENT_LOGIN_CHECKING;
  self->message = NULL;
  changed (self);
  task = g_task_new (self, self->cancellable, pin_checked_cb, NULL);
  g_task_set_source_tag (task, kiosk_agent_journey_submit_pin);
  g_task_set_task_data (task, d, (GDestroyNotify) pin_data_free);
  g_task_run_in_thread (task, pin_thread);
  return TRUE;
}

/* ---- menu, resident, item ---------------------------------------------------- */

static void
items_changed_cb (KioskApplyJourney *apply, KioskAgentJourney *self)
{
  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; i < kiosk_apply_journey_get_n_items (apply); i++)
    {
      KioskCatalogItem *it = kiosk_apply_journey_get_nth_item (apply, i);
      if (it->kiosk_accepts && it->proxy_allowed != KIOSK_FLAG_NO)
        g_ptr_array_add (self->items, kiosk_catalog_item_ref (it));
    }
  changed (self);
}

gboolean
kiosk_agent_journey_new_case (KioskAgentJourney *self, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_AGENT_JOURNEY (self), FALSE);
  touch (self);
  if (self->stage != KIOSK_AGENT_STAGE_MENU)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_NOW, N_ ("The agent logs in first."));
  forget_case (self);
  set_stage (self, KIOSK_AGENT_STAGE_RESIDENT);
  changed (self);
  return TRUE;
}

gboolean
kiosk_agent_journey_choose_item (KioskAgentJourney *self, const char *code, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_AGENT_JOURNEY (self), FALSE);
  touch (self);
  if (self->stage != KIOSK_AGENT_STAGE_ITEM)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_NOW, N_ ("The resident's card is read first."));
  for (guint i = 0; code && i < self->items->len; i++)
    {
      KioskCatalogItem *it = self->items->pdata[i];
      if (g_str_equal (it->code, code))
        {
          g_clear_pointer (&self->item, kiosk_catalog_item_unref);
          self->item = kiosk_catalog_item_ref (it);
          g_clear_pointer (&self->signature, g_bytes_unref);
          g_clear_pointer (&self->scan, g_bytes_unref);
          self->auth_state = KIOSK_AGENT_AUTH_UNSIGNED;
          set_stage (self, KIOSK_AGENT_STAGE_AUTHORISATION);
          changed (self);
          return TRUE;
        }
    }
  return refuse (error, KIOSK_AGENT_ERROR_INVALID, N_ ("An agent cannot file this item here."));
}

/* ---- the 代办服务委托书 -------------------------------------------------------- */

static const char *const scope[] = {
  "代为填写并提交申请材料",
  "代为跟踪办理进度",
  "代为领取办理结果并转交委托人",
};

static char *
time_limit_text (const KioskCatalogItem *item)
{
  if (item->time_limit_days > 0)
    return g_strdup_printf ("自受理之日起%d个工作日内办结", item->time_limit_days);
  if (item->time_limit_days == 0)
    return g_strdup ("当场办结");
  return g_strdup (item->time_limit_note ? item->time_limit_note : "至事项办结为止");
}

JsonObject *
kiosk_agent_journey_dup_authorisation (KioskAgentJourney *self)
{
  JsonObject *o, *p, *a;
  JsonArray *s;
  g_autofree char *limit = NULL;
  g_autofree char *signed_at = NULL;
  g_autoptr (GDateTime) now = NULL;
  char *phone;

  g_return_val_if_fail (KIOSK_IS_AGENT_JOURNEY (self), NULL);
  if (self->item == NULL || self->resident == NULL || self->agent == NULL)
    return NULL;
  o = json_object_new ();
  json_object_set_string_member (o, "item_name", self->item->name);
  p = json_object_new ();
  json_object_set_string_member (p, "name", self->resident->name ? self->resident->name : "");
  json_object_set_string_member (p, "id_number", self->resident->id_number ? self->resident->id_number : "");
  json_object_set_object_member (o, "principal", p);
  a = json_object_new ();
  json_object_set_string_member (a, "name", self->agent->name);
  if (self->agent_card && self->agent_card->id_number)
    json_object_set_string_member (a, "id_number", self->agent_card->id_number);
  json_object_set_object_member (o, "agent", a);
  s = json_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (scope); i++)
    json_array_add_string_element (s, scope[i]);
  json_object_set_array_member (o, "scope", s);
  now = self->auth_signed_at ? g_date_time_ref (self->auth_signed_at) : g_date_time_new_now_local ();
  signed_at = g_date_time_format (now, "%Y-%m-%d %H:%M");
  json_object_set_string_member (o, "signed_at", signed_at);
  {
    g_autofree char *from = g_date_time_format (now, "%Y-%m-%d");
    json_object_set_string_member (o, "period_from", from);
  }
  limit = time_limit_text (self->item);
  json_object_set_string_member (o, "period_to", limit);
  if (self->agents && self->agents->station_name && *self->agents->station_name)
    json_object_set_string_member (o, "station", self->agents->station_name);
  phone = self->core ? kiosk_config_get_string (kiosk_core_get_config (self->core), "kiosk", "phone") : NULL;
  if (phone && *phone)
    json_object_set_string_member (a, "phone", phone);
  g_free (phone);
  if (self->signature)
    {
      g_autofree char *b64
          = g_base64_encode (g_bytes_get_data (self->signature, NULL), g_bytes_get_size (self->signature));
      json_object_set_string_member (o, "signature_png", b64);
    }
  return o;
}

gboolean
kiosk_agent_journey_set_signature (KioskAgentJourney *self, GBytes *png, GError **error)
{
  static const guint8 magic[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  g_return_val_if_fail (KIOSK_IS_AGENT_JOURNEY (self), FALSE);
  touch (self);
  if (self->stage != KIOSK_AGENT_STAGE_AUTHORISATION || self->auth_state >= KIOSK_AGENT_AUTH_SAVING)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_NOW, N_ ("The authorisation is not being signed now."));
  if (png
      && (g_bytes_get_size (png) < sizeof magic || g_bytes_get_size (png) > 2 * 1024 * 1024
          || memcmp (g_bytes_get_data (png, NULL), magic, sizeof magic) != 0))
    return refuse (error, KIOSK_AGENT_ERROR_INVALID, N_ ("The signature could not be taken. Please sign again."));
  g_clear_pointer (&self->signature, g_bytes_unref);
  if (png)
    {
      self->signature = g_bytes_ref (png);
      g_clear_pointer (&self->auth_signed_at, g_date_time_unref);
      self->auth_signed_at = g_date_time_new_now_local ();
      self->auth_state = KIOSK_AGENT_AUTH_SIGNED_SCREEN;
    }
  else if (self->auth_state == KIOSK_AGENT_AUTH_SIGNED_SCREEN)
    self->auth_state = KIOSK_AGENT_AUTH_UNSIGNED;
  changed (self);
  return TRUE;
}

gboolean
kiosk_agent_journey_print_authorisation (KioskAgentJourney *self, GError **error)
{
  g_autoptr (JsonObject) data = NULL;
  g_autofree char *doc = NULL;

  g_return_val_if_fail (KIOSK_IS_AGENT_JOURNEY (self), FALSE);
  touch (self);
  if (self->stage != KIOSK_AGENT_STAGE_AUTHORISATION || self->auth_state >= KIOSK_AGENT_AUTH_SAVING
      || self->auth_state == KIOSK_AGENT_AUTH_PRINTING || self->core == NULL)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_NOW, N_ ("The authorisation cannot be printed now."));
  g_clear_pointer (&self->signature, g_bytes_unref);
  g_clear_pointer (&self->scan, g_bytes_unref);
  g_clear_pointer (&self->auth_signed_at, g_date_time_unref);
  self->auth_signed_at = g_date_time_new_now_local ();
  data = kiosk_agent_journey_dup_authorisation (self);
  self->auth_state = KIOSK_AGENT_AUTH_PRINTING;
  self->message = NULL;
  changed (self);
  doc = g_strdup_printf ("proxy-authorisation:%p:%" G_GINT64_FORMAT, (void *) self, g_get_real_time ());
  kiosk_core_journey_print (self->core, KIOSK_JOURNEY (self), "proxy-authorisation", data, doc, self->cancellable);
  return TRUE;
}

static void
agent_print_progress (KioskJourney *journey, const char *document, KioskJourneyPrintState state, const char *message)
{
  KioskAgentJourney *self = KIOSK_AGENT_JOURNEY (journey);

  if (g_str_has_prefix (document, "proxy-authorisation:") && self->auth_state == KIOSK_AGENT_AUTH_PRINTING)
    {
      if (state == KIOSK_JOURNEY_PRINT_DONE)
        {
          self->auth_state = KIOSK_AGENT_AUTH_PRINTED;
          self->message = N_ ("Printed. The resident signs the paper, then put it under the document camera.");
        }
      else if (state == KIOSK_JOURNEY_PRINT_FAILED)
        {
          self->auth_state = KIOSK_AGENT_AUTH_UNSIGNED;
          self->message = N_ ("The authorisation could not be printed. The resident can sign on the screen instead.");
        }
      changed (self);
    }
  else if (g_str_has_prefix (document, "missing:") && state != KIOSK_JOURNEY_PRINT_SENT)
    {
      self->message = state == KIOSK_JOURNEY_PRINT_DONE ? N_ ("The list of missing materials was printed.")
                                                        : N_ ("The list could not be printed.");
      changed (self);
    }
}

static void
agent_page_captured (KioskJourney *journey, GBytes *jpeg, int width, int height, int dpi, const char *message)
{
  KioskAgentJourney *self = KIOSK_AGENT_JOURNEY (journey);

  if (self->stage == KIOSK_AGENT_STAGE_APPLY && self->apply)
    {
      _kiosk_journey_page_captured (KIOSK_JOURNEY (self->apply), jpeg, width, height, dpi, message);
      return;
    }
  if (self->stage != KIOSK_AGENT_STAGE_AUTHORISATION
      || (self->auth_state != KIOSK_AGENT_AUTH_PRINTED && self->auth_state != KIOSK_AGENT_AUTH_SCANNED))
    return;
  if (jpeg == NULL)
    {
      self->message = message ? message : N_ ("The page could not be taken. Please try again.");
      changed (self);
      return;
    }
  g_clear_pointer (&self->scan, g_bytes_unref);
  self->scan = g_bytes_ref (jpeg);
  self->auth_state = KIOSK_AGENT_AUTH_SCANNED;
  self->message = N_ ("The signed authorisation was scanned.");
  changed (self);
}

static char *
authorisation_record (KioskAgentJourney *self)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created = g_date_time_format_iso8601 (now);
  GBytes *proof = self->signature ? self->signature : self->scan;
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, proof);
  g_autofree char *b64 = g_base64_encode (g_bytes_get_data (proof, NULL), g_bytes_get_size (proof));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, self->auth_id);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created);
  json_builder_set_member_name (b, "item_code");
  json_builder_add_string_value (b, self->item->code);
  json_builder_set_member_name (b, "item_name");
  json_builder_add_string_value (b, self->item->name);
  json_builder_set_member_name (b, "principal");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, self->resident->name ? self->resident->name : "");
  json_builder_set_member_name (b, "id_number");
  json_builder_add_string_value (b, self->resident->id_number ? self->resident->id_number : "");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "agent");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, self->agent->id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, self->agent->name);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "scope");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (scope); i++)
    json_builder_add_string_value (b, scope[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "time_limit_days");
  if (self->item->time_limit_days >= 0)
    json_builder_add_int_value (b, self->item->time_limit_days);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "signed");
  json_builder_add_string_value (b, self->signature ? "screen" : "paper");
  json_builder_set_member_name (b, self->signature ? "signature_sha256" : "scan_sha256");
  json_builder_add_string_value (b, sum);
  json_builder_set_member_name (b, self->signature ? "signature_png" : "scan_jpeg");
  json_builder_add_string_value (b, b64);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static void
enter_apply (KioskAgentJourney *self)
{
  g_autoptr (GError) error = NULL;

  set_stage (self, KIOSK_AGENT_STAGE_APPLY);
  kiosk_apply_journey_set_proxy (self->apply, self->resident, self->agent->id, self->agent->name,
                                 self->agent_card ? self->agent_card->id_number : NULL, self->auth_id);
  if (!kiosk_apply_journey_choose_item (self->apply, self->item->code, &error))
    {
      g_warning ("代办: the item cannot be filed: %s", error->message);
      self->message = N_ ("This item cannot be filed now. Please ask the staff.");
    }
}

static void
auth_saved_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskAgentJourney *self = data;
  g_autoptr (GError) error = NULL;
  gint64 id = kiosk_store_enqueue_finish (KIOSK_STORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (id <= 0)
    {
      g_warning ("代办: the authorisation was not stored: %s", error ? error->message : "?");
      self->auth_state = self->signature ? KIOSK_AGENT_AUTH_SIGNED_SCREEN : KIOSK_AGENT_AUTH_SCANNED;
      g_clear_pointer (&self->auth_id, g_free);
      self->message = N_ ("The authorisation could not be saved. Please try again, or ask the staff.");
    }
  else if (self->stage == KIOSK_AGENT_STAGE_AUTHORISATION)
    {
      self->auth_state = KIOSK_AGENT_AUTH_RECORDED;
      enter_apply (self);
    }
  changed (self);
  g_object_unref (self);
}

gboolean
kiosk_agent_journey_confirm_authorisation (KioskAgentJourney *self, GError **error)
{
  KioskStore *store;
  g_autofree char *json = NULL;

  g_return_val_if_fail (KIOSK_IS_AGENT_JOURNEY (self), FALSE);
  touch (self);
  if (self->stage != KIOSK_AGENT_STAGE_AUTHORISATION || self->auth_state == KIOSK_AGENT_AUTH_SAVING)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_NOW, N_ ("The authorisation is not being signed now."));
  if (self->auth_state != KIOSK_AGENT_AUTH_SIGNED_SCREEN && self->auth_state != KIOSK_AGENT_AUTH_SCANNED)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_AUTHORISED,
                   N_ ("The resident signs the authorisation first, on the screen or on paper."));
  store = store_of (self);
  if (store == NULL)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_NOW, N_ ("This kiosk cannot save records now. Please ask the staff."));
  self->auth_id = new_record_id (self, "PA");
  json = authorisation_record (self);
  self->auth_state = KIOSK_AGENT_AUTH_SAVING;
  changed (self);
  kiosk_store_enqueue_async (store, "proxy_authorisation", json, self->cancellable, auth_saved_cb, g_object_ref (self));
  return TRUE;
}

const char *
kiosk_agent_journey_get_authorisation_id (KioskAgentJourney *self)
{
  return self->auth_state == KIOSK_AGENT_AUTH_RECORDED ? self->auth_id : NULL;
}

/* ---- apply, missing materials ------------------------------------------------ */

static void
apply_finished_cb (KioskApplyJourney *apply, KioskAgentJourney *self)
{
  const char *number = kiosk_apply_journey_get_case_number (apply);

  g_info ("代办: case %s filed by agent %s", number ? number : "?", self->agent ? self->agent->id : "?");
  forget_case (self);
  set_stage (self, KIOSK_AGENT_STAGE_MENU);
  self->message = N_ ("The case was handed in. It is on your list of proxy cases.");
  changed (self);
}

GPtrArray *
kiosk_agent_journey_dup_missing (KioskAgentJourney *self)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const KioskCaseDraft *draft = self->apply ? kiosk_apply_journey_get_draft (self->apply) : NULL;
  KioskCatalogItem *item = draft ? kiosk_case_draft_get_item (draft) : NULL;

  for (guint i = 0; item && i < item->n_materials; i++)
    {
      const KioskMaterial *m = &item->materials[i];
      KioskMaterialState st = kiosk_case_draft_get_material_state (draft, i);
      if (!m->required || (st != KIOSK_MATERIAL_MISSING && st != KIOSK_MATERIAL_OWED))
        continue;
      g_ptr_array_add (out, g_strdup_printf ("%s\t%s", m->name,
                                             m->note && *m->note
                                                 ? m->note
                                                 : N_ ("Bring the original to the station; the agent scans it.")));
    }
  return out;
}

gboolean
kiosk_agent_journey_print_missing (KioskAgentJourney *self, GError **error)
{
  g_autoptr (GPtrArray) missing = NULL;
  g_autoptr (JsonObject) data = NULL;
  g_autofree char *doc = NULL;
  JsonArray *list;

  g_return_val_if_fail (KIOSK_IS_AGENT_JOURNEY (self), FALSE);
  touch (self);
  if (self->stage != KIOSK_AGENT_STAGE_APPLY || self->core == NULL)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_NOW, N_ ("Nothing to print now."));
  missing = kiosk_agent_journey_dup_missing (self);
  if (missing->len == 0)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_NOW, N_ ("No material is missing."));
  data = json_object_new ();
  json_object_set_string_member (data, "item_name", self->item ? self->item->name : "");
  list = json_array_new ();
  for (guint i = 0; i < missing->len; i++)
    {
      g_auto (GStrv) parts = g_strsplit (missing->pdata[i], "\t", 2);
      JsonObject *m = json_object_new ();
      json_object_set_string_member (m, "name", parts[0]);
      json_object_set_string_member (m, "note", parts[1] ? gettext (parts[1]) : "");
      json_array_add_object_element (list, m);
    }
  json_object_set_array_member (data, "materials", list);
  json_object_set_string_member (data, "notes",
                                 "一次性告知：以上为尚缺的全部材料及取得方式。请备齐后交代办员或到便民服务站补交。");
  doc = g_strdup_printf ("missing:%" G_GINT64_FORMAT, g_get_real_time ());
  kiosk_core_journey_print (self->core, KIOSK_JOURNEY (self), "guide", data, doc, self->cancellable);
  return TRUE;
}

KioskApplyJourney *
kiosk_agent_journey_get_apply (KioskAgentJourney *self)
{
  return self->apply;
}

/* ---- the agent's cases ------------------------------------------------------- */

typedef struct {
  KioskStore *store;
  char *agent_id; /* NULL: every agent (kioskctl) */
  GDate today;
  GPtrArray *cases;
} CasesData;

static void
cases_data_free (CasesData *d)
{
  g_clear_object (&d->store);
  g_free (d->agent_id);
  g_clear_pointer (&d->cases, g_ptr_array_unref);
  g_free (d);
}

static int
case_order (gconstpointer a, gconstpointer b)
{
  const KioskAgentCase *x = *(KioskAgentCase *const *) a, *y = *(KioskAgentCase *const *) b;

  if (x->late != y->late)
    return x->late ? -1 : 1;
  if ((x->deadline == NULL) != (y->deadline == NULL))
    return x->deadline ? -1 : 1;
  return g_strcmp0 (x->deadline, y->deadline);
}

GPtrArray *
kiosk_agent_list_cases (KioskStore *store, const char *agent_id, const GDate *today, gboolean open_only)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) infos = kiosk_store_find_proxy_cases (store, agent_id, &error);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_agent_case_free);
  char today_s[16];

  g_date_strftime (today_s, sizeof today_s, "%Y-%m-%d", today);
  for (guint i = 0; infos && i < infos->len; i++)
    {
      KioskCaseInfo *info = infos->pdata[i];
      g_autofree char *key = g_strconcat ("proxy_handover:", info->provisional_number, NULL);
      g_autofree char *handed = kiosk_store_get_meta (store, key, NULL);
      g_autofree char *item_json = kiosk_store_get_catalog_item (store, info->item_code, NULL);
      g_autofree char *case_json = kiosk_store_get_case_json (store, info->id, NULL);
      g_autoptr (KioskCatalogItem) item
          = item_json ? kiosk_catalog_item_decode (item_json, strlen (item_json), NULL) : NULL;
      g_autoptr (JsonParser) parser = json_parser_new ();
      KioskAgentCase *c;

      if (open_only && handed)
        continue;
      c = g_new0 (KioskAgentCase, 1);
      c->number = g_strdup (info->official_number ? info->official_number : info->provisional_number);
      c->provisional = g_strdup (info->provisional_number);
      c->item_code = g_strdup (info->item_code);
      c->item_name = g_strdup (item ? item->name : info->item_code);
      c->status_text = g_strdup (info->status_text);
      c->handed_over = handed != NULL;
      if (info->due_date)
        c->deadline = g_strdup (info->due_date);
      else if (item && item->time_limit_days >= 0)
        {
          g_autoptr (GDateTime) at = g_date_time_new_from_unix_local (info->created_at / G_USEC_PER_SEC);
          GDate from, due;
          char buf[16];

          g_date_clear (&from, 1);
          g_date_clear (&due, 1);
          g_date_set_dmy (&from, (GDateDay) g_date_time_get_day_of_month (at), (GDateMonth) g_date_time_get_month (at),
                          (GDateYear) g_date_time_get_year (at));
          kiosk_item_promised_date (item, &from, &due);
          if (g_date_valid (&due))
            {
              g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &due);
              c->deadline = g_strdup (buf);
            }
        }
      c->late = c->deadline && !c->handed_over && g_strcmp0 (info->status, "completed") != 0
                && strcmp (c->deadline, today_s) < 0;
      if (case_json && json_parser_load_from_data (parser, case_json, -1, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *o = json_node_get_object (json_parser_get_root (parser));
          JsonObject *a
              = json_object_has_member (o, "agent") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "agent"))
                    ? json_object_get_object_member (o, "agent")
                    : NULL;
          if (a)
            {
              c->agent_id = g_strdup (json_object_get_string_member_with_default (a, "id", NULL));
              c->agent_name = g_strdup (json_object_get_string_member_with_default (a, "name", NULL));
            }
        }
      if (case_json)
        explicit_bzero (case_json, strlen (case_json));
      g_ptr_array_add (out, c);
    }
  g_ptr_array_sort (out, case_order);
  return out;
}

static void
cases_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  CasesData *d = data;

  d->cases = kiosk_agent_list_cases (d->store, d->agent_id, &d->today, TRUE);
  g_task_return_boolean (task, TRUE);
}

static void
cases_loaded_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskAgentJourney *self;
  CasesData *d;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  self = KIOSK_AGENT_JOURNEY (source);
  d = g_task_get_task_data (G_TASK (result));
  forget_feedback (self);
  g_ptr_array_unref (self->cases);
  self->cases = g_steal_pointer (&d->cases);
  changed (self);
}

static void
load_cases (KioskAgentJourney *self)
{
  g_autoptr (GTask) task = NULL;
  CasesData *d;
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_local (now_us (self) / G_USEC_PER_SEC);

  if (store_of (self) == NULL || self->agent == NULL)
    return;
  d = g_new0 (CasesData, 1);
  d->store = g_object_ref (store_of (self));
  d->agent_id = g_strdup (self->agent->id);
  g_date_clear (&d->today, 1);
  g_date_set_dmy (&d->today, (GDateDay) g_date_time_get_day_of_month (now), (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
  task = g_task_new (self, self->cancellable, cases_loaded_cb, NULL);
  g_task_set_source_tag (task, load_cases);
  g_task_set_task_data (task, d, (GDestroyNotify) cases_data_free);
  g_task_run_in_thread (task, cases_thread);
}

gboolean
kiosk_agent_journey_show_cases (KioskAgentJourney *self, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_AGENT_JOURNEY (self), FALSE);
  touch (self);
  if (self->stage != KIOSK_AGENT_STAGE_MENU)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_NOW, N_ ("The agent logs in first."));
  set_stage (self, KIOSK_AGENT_STAGE_CASES);
  g_ptr_array_set_size (self->cases, 0);
  load_cases (self);
  changed (self);
  return TRUE;
}

GPtrArray *
kiosk_agent_journey_get_cases (KioskAgentJourney *self)
{
  return self->cases;
}

typedef struct {
  KioskStore *store;
  gint64 case_id;
  char *applicant;
} ApplicantData;

gboolean
kiosk_agent_journey_choose_case (KioskAgentJourney *self, const char *number, GError **error)
{
  KioskStore *store = store_of (self);

  g_return_val_if_fail (KIOSK_IS_AGENT_JOURNEY (self), FALSE);
  touch (self);
  if (self->stage != KIOSK_AGENT_STAGE_CASES || store == NULL)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_NOW, N_ ("Open your list of proxy cases first."));
  for (guint i = 0; number && i < self->cases->len; i++)
    {
      KioskAgentCase *c = self->cases->pdata[i];
      if (g_str_equal (c->number, number) || g_str_equal (c->provisional, number))
        {
          forget_feedback (self);
          self->chosen = c;
          set_stage (self, KIOSK_AGENT_STAGE_FEEDBACK);
          self->message = N_ ("The resident places their own ID card to confirm the result.");
          changed (self);
          return TRUE;
        }
    }
  return refuse (error, KIOSK_AGENT_ERROR_INVALID, N_ ("This case is not on your list."));
}

const KioskAgentCase *
kiosk_agent_journey_get_case (KioskAgentJourney *self)
{
  return self->chosen;
}

gboolean
kiosk_agent_journey_get_resident_confirmed (KioskAgentJourney *self)
{
  return self->resident_confirmed;
}

/* The applicant's ID number of the chosen case (blocking: a small read). */
static char *
chosen_applicant (KioskAgentJourney *self)
{
  KioskStore *store = store_of (self);
  g_autoptr (KioskCaseInfo) info = NULL;
  g_autofree char *json = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  char *out = NULL;

  if (store == NULL || self->chosen == NULL)
    return NULL;
  info = kiosk_store_find_case (store, self->chosen->provisional, NULL);
  json = info ? kiosk_store_get_case_json (store, info->id, NULL) : NULL;
  if (json && json_parser_load_from_data (parser, json, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      JsonNode *ap = json_object_get_member (o, "applicant");
      if (ap && JSON_NODE_HOLDS_OBJECT (ap))
        out = g_strdup (json_object_get_string_member_with_default (json_node_get_object (ap), "id_number", NULL));
    }
  if (json)
    explicit_bzero (json, strlen (json));
  return out;
}

typedef struct {
  KioskStore *store;
  char *provisional;
  char *handover;
  char *feedback;
  gboolean ok;
} FeedbackData;

static void
feedback_data_free (FeedbackData *d)
{
  g_clear_object (&d->store);
  g_free (d->provisional);
  if (d->handover)
    kiosk_secure_free (d->handover);
  if (d->feedback)
    kiosk_secure_free (d->feedback);
  g_free (d);
}

static void
feedback_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  FeedbackData *d = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *key = g_strconcat ("proxy_handover:", d->provisional, NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);

  d->ok = kiosk_store_enqueue (d->store, "proxy_handover", d->handover, &error) > 0
          && kiosk_store_enqueue (d->store, "proxy_feedback", d->feedback, &error) > 0
          && kiosk_store_set_meta (d->store, key, at, &error);
  if (!d->ok)
    g_warning ("代办: hand-over not stored: %s", error ? error->message : "?");
  g_task_return_boolean (task, TRUE);
}

static void
feedback_saved_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskAgentJourney *self;
  FeedbackData *d;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  self = KIOSK_AGENT_JOURNEY (source);
  d = g_task_get_task_data (G_TASK (result));
  self->saving = FALSE;
  if (!d->ok)
    {
      self->message = N_ ("The feedback could not be saved. Please try again, or ask the staff.");
      changed (self);
      return;
    }
  set_stage (self, KIOSK_AGENT_STAGE_CASES);
  self->message = N_ ("Thank you. The hand-over and the resident's feedback are recorded.");
  load_cases (self);
  changed (self);
}

static char *
object_to_string (JsonBuilder *b)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

gboolean
kiosk_agent_journey_submit_feedback (KioskAgentJourney *self, gboolean confirmed, int level, GError **error)
{
  g_autoptr (JsonBuilder) h = json_builder_new ();
  g_autoptr (JsonBuilder) f = json_builder_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = g_date_time_format_iso8601 (now);
  g_autofree char *hid = NULL, *fid = NULL;
  g_autoptr (GTask) task = NULL;
  FeedbackData *d;

  g_return_val_if_fail (KIOSK_IS_AGENT_JOURNEY (self), FALSE);
  touch (self);
  if (self->stage != KIOSK_AGENT_STAGE_FEEDBACK || self->chosen == NULL || self->saving || store_of (self) == NULL)
    return refuse (error, KIOSK_AGENT_ERROR_NOT_NOW, N_ ("Choose a case from your list first."));
  if (!self->resident_confirmed || self->chosen_applicant == NULL)
    return refuse (error, KIOSK_AGENT_ERROR_NO_RESIDENT_CARD,
                   N_ ("Only the resident can confirm and rate, with their own ID card placed now."));
  if (level < 1 || level > 5)
    return refuse (error, KIOSK_AGENT_ERROR_INVALID, N_ ("Choose how satisfied the resident is."));
  hid = new_record_id (self, "HO");
  fid = new_record_id (self, "FB");
  json_builder_begin_object (h);
  json_builder_set_member_name (h, "id");
  json_builder_add_string_value (h, hid);
  json_builder_set_member_name (h, "case_number");
  json_builder_add_string_value (h, self->chosen->provisional);
  json_builder_set_member_name (h, "agent");
  json_builder_begin_object (h);
  json_builder_set_member_name (h, "id");
  json_builder_add_string_value (h, self->agent->id);
  json_builder_set_member_name (h, "name");
  json_builder_add_string_value (h, self->agent->name);
  json_builder_end_object (h);
  json_builder_set_member_name (h, "handed_over_at");
  json_builder_add_string_value (h, at);
  json_builder_end_object (h);

  json_builder_begin_object (f);
  json_builder_set_member_name (f, "id");
  json_builder_add_string_value (f, fid);
  json_builder_set_member_name (f, "case_number");
  json_builder_add_string_value (f, self->chosen->provisional);
  json_builder_set_member_name (f, "rated");
  json_builder_begin_object (f);
  json_builder_set_member_name (f, "agent_id");
  json_builder_add_string_value (f, self->agent->id);
  json_builder_set_member_name (f, "agent_name");
  json_builder_add_string_value (f, self->agent->name);
  json_builder_end_object (f);
  json_builder_set_member_name (f, "result_confirmed");
  json_builder_add_boolean_value (f, confirmed);
  json_builder_set_member_name (f, "satisfaction");
  json_builder_add_int_value (f, level);
  json_builder_set_member_name (f, "rater_id_number");
  json_builder_add_string_value (f, self->chosen_applicant);
  json_builder_set_member_name (f, "created_at");
  json_builder_add_string_value (f, at);
  json_builder_end_object (f);

  d = g_new0 (FeedbackData, 1);
  d->store = g_object_ref (store_of (self));
  d->provisional = g_strdup (self->chosen->provisional);
  d->handover = object_to_string (h);
  d->feedback = object_to_string (f);
  self->saving = TRUE;
  changed (self);
  task = g_task_new (self, self->cancellable, feedback_saved_cb, NULL);
  g_task_set_source_tag (task, kiosk_agent_journey_submit_feedback);
  g_task_set_task_data (task, d, (GDestroyNotify) feedback_data_free);
  g_task_run_in_thread (task, feedback_thread);
  return TRUE;
}

/* ---- vfuncs -------------------------------------------------------------------- */

static gboolean
agent_identity_read (KioskJourney *journey, const KioskIdentity *identity)
{
  KioskAgentJourney *self = KIOSK_AGENT_JOURNEY (journey);
  gboolean own;

  switch (self->stage)
    {
    case KIOSK_AGENT_STAGE_LOGIN:
      if (self->login_state == KIOSK_AGENT_LOGIN_CHECKING || self->login_state == KIOSK_AGENT_LOGIN_LOADING)
        return TRUE;
      login_with_card (self, identity);
      changed (self);
      return TRUE;
    case KIOSK_AGENT_STAGE_RESIDENT:
      own = self->agent_card && identity->id_number && self->agent_card->id_number
            && g_ascii_strcasecmp (identity->id_number, self->agent_card->id_number) == 0;
      if (own)
        self->message = N_ ("This is the agent's own card. The resident places their own ID card.");
      else if (identity->expired || !identity->id_number_valid)
        self->message = N_ ("This card cannot be used: it has expired or cannot be read.");
      else
        {
          g_clear_pointer (&self->resident, kiosk_identity_free);
          self->resident = kiosk_identity_copy (identity);
          set_stage (self, KIOSK_AGENT_STAGE_ITEM);
          /* The catalog, as 自助申报 reads it. */
          _kiosk_journey_begin (KIOSK_JOURNEY (self->apply));
        }
      changed (self);
      return TRUE;
    case KIOSK_AGENT_STAGE_FEEDBACK:
      if (self->chosen == NULL)
        return TRUE;
      if (self->chosen_applicant == NULL)
        self->chosen_applicant = chosen_applicant (self);
      self->resident_confirmed = self->chosen_applicant && identity->id_number
                                 && g_ascii_strcasecmp (identity->id_number, self->chosen_applicant) == 0;
      self->message = self->resident_confirmed
                          ? N_ ("Thank you. Please confirm the result and say how satisfied you are.")
                          : N_ ("This card is not the applicant's of this case. The resident places their own ID "
                                "card.");
      changed (self);
      return TRUE;
    default:
      /* A card elsewhere in agent mode is nobody's turn. */
      return TRUE;
    }
}

static gboolean
agent_back (KioskJourney *journey)
{
  KioskAgentJourney *self = KIOSK_AGENT_JOURNEY (journey);

  switch (self->stage)
    {
    case KIOSK_AGENT_STAGE_LOGIN:
    case KIOSK_AGENT_STAGE_MENU:
      return FALSE;
    case KIOSK_AGENT_STAGE_RESIDENT:
    case KIOSK_AGENT_STAGE_CASES:
      forget_case (self);
      set_stage (self, KIOSK_AGENT_STAGE_MENU);
      break;
    case KIOSK_AGENT_STAGE_ITEM:
      g_clear_pointer (&self->resident, kiosk_identity_free);
      set_stage (self, KIOSK_AGENT_STAGE_RESIDENT);
      break;
    case KIOSK_AGENT_STAGE_AUTHORISATION:
      if (self->auth_state == KIOSK_AGENT_AUTH_SAVING)
        return TRUE;
      g_clear_pointer (&self->signature, g_bytes_unref);
      g_clear_pointer (&self->scan, g_bytes_unref);
      self->auth_state = KIOSK_AGENT_AUTH_UNSIGNED;
      set_stage (self, KIOSK_AGENT_STAGE_ITEM);
      break;
    case KIOSK_AGENT_STAGE_APPLY:
      {
        KioskApplyStep step = kiosk_apply_journey_get_current_step (self->apply);
        if (step > KIOSK_APPLY_STEP_FORM && _kiosk_journey_back (KIOSK_JOURNEY (self->apply)))
          return TRUE;
        if (step == KIOSK_APPLY_STEP_DONE)
          return TRUE;
        forget_case (self);
        set_stage (self, KIOSK_AGENT_STAGE_MENU);
        break;
      }
    case KIOSK_AGENT_STAGE_FEEDBACK:
      forget_feedback (self);
      set_stage (self, KIOSK_AGENT_STAGE_CASES);
      break;
    }
  changed (self);
  return TRUE;
}

static void
agent_wipe (KioskJourney *journey)
{
  KioskAgentJourney *self = KIOSK_AGENT_JOURNEY (journey);

  forget_all (self);
  kiosk_journey_set_steps (journey, (const char *const *) new_steps);
  changed (self);
}

static void
agent_begin (KioskJourney *journey)
{
  KioskAgentJourney *self = KIOSK_AGENT_JOURNEY (journey);
  g_autoptr (GTask) task = NULL;
  LoadData *d;

  forget_all (self);
  kiosk_journey_set_steps (journey, (const char *const *) new_steps);
  if (store_of (self) == NULL)
    {
      self->login_state = KIOSK_AGENT_LOGIN_NO_LIST;
      self->message = N_ ("This kiosk has no list of the station's agents yet. Please call the station.");
      changed (self);
      return;
    }
  d = g_new0 (LoadData, 1);
  d->store = g_object_ref (store_of (self));
  task = g_task_new (self, self->cancellable, loaded_cb, NULL);
  g_task_set_source_tag (task, agent_begin);
  g_task_set_task_data (task, d, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
  changed (self);
}

/* ---- getters ------------------------------------------------------------------- */

KioskAgentStage
kiosk_agent_journey_get_stage (KioskAgentJourney *self)
{
  return self->stage;
}

KioskAgentLoginState
kiosk_agent_journey_get_login_state (KioskAgentJourney *self)
{
  return self->login_state;
}

int
kiosk_agent_journey_get_wait_seconds (KioskAgentJourney *self)
{
  KioskPinState *st = self->agent ? g_hash_table_lookup (self->pin_states, self->agent->id) : NULL;
  return st ? kiosk_pin_state_wait (st, now_us (self)) : 0;
}

int
kiosk_agent_journey_get_tries_left (KioskAgentJourney *self)
{
  KioskPinState *st = self->agent ? g_hash_table_lookup (self->pin_states, self->agent->id) : NULL;
  return KIOSK_PIN_MAX_FAILURES - (st ? MIN (st->failures, KIOSK_PIN_MAX_FAILURES) : 0);
}

const char *
kiosk_agent_journey_get_phone (KioskAgentJourney *self)
{
  static char *phone; /* the configuration does not change while running */

  if (self->core == NULL)
    return NULL;
  g_free (phone);
  phone = kiosk_config_get_string (kiosk_core_get_config (self->core), "kiosk", "phone");
  return phone && *phone ? phone : NULL;
}

const char *
kiosk_agent_journey_get_message (KioskAgentJourney *self)
{
  return self->message;
}

const char *
kiosk_agent_journey_get_agent_id (KioskAgentJourney *self)
{
  return self->login_state == KIOSK_AGENT_LOGIN_DONE && self->agent ? self->agent->id : NULL;
}

const char *
kiosk_agent_journey_get_agent_name (KioskAgentJourney *self)
{
  return self->agent ? self->agent->name : NULL;
}

const KioskIdentity *
kiosk_agent_journey_get_resident (KioskAgentJourney *self)
{
  return self->resident;
}

GPtrArray *
kiosk_agent_journey_get_items (KioskAgentJourney *self)
{
  return self->items;
}

KioskCatalogItem *
kiosk_agent_journey_get_item (KioskAgentJourney *self)
{
  return self->item;
}

KioskAgentAuthState
kiosk_agent_journey_get_auth_state (KioskAgentJourney *self)
{
  return self->auth_state;
}

void
_kiosk_agent_journey_set_now (KioskAgentJourney *self, gint64 now)
{
  self->now = now;
}

/* ---- GObject ------------------------------------------------------------------- */

static void
kiosk_agent_journey_dispose (GObject *object)
{
  KioskAgentJourney *self = KIOSK_AGENT_JOURNEY (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->wait_id, g_source_remove);
  if (self->apply)
    g_signal_handlers_disconnect_by_data (self->apply, self);
  forget_case (self);
  forget_feedback (self);
  g_clear_object (&self->apply);
  g_clear_pointer (&self->agent_card, kiosk_identity_free);
  self->agent = NULL;
  g_clear_pointer (&self->agents, kiosk_agent_list_free);
  G_OBJECT_CLASS (kiosk_agent_journey_parent_class)->dispose (object);
}

static void
kiosk_agent_journey_finalize (GObject *object)
{
  KioskAgentJourney *self = KIOSK_AGENT_JOURNEY (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pin_states, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->cases, g_ptr_array_unref);
  G_OBJECT_CLASS (kiosk_agent_journey_parent_class)->finalize (object);
}

static void
kiosk_agent_journey_class_init (KioskAgentJourneyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KioskJourneyClass *journey_class = KIOSK_JOURNEY_CLASS (klass);

  object_class->dispose = kiosk_agent_journey_dispose;
  object_class->finalize = kiosk_agent_journey_finalize;
  journey_class->begin = agent_begin;
  journey_class->wipe = agent_wipe;
  journey_class->identity_read = agent_identity_read;
  journey_class->page_captured = agent_page_captured;
  journey_class->print_progress = agent_print_progress;
  journey_class->back = agent_back;

  signals[SIGNAL_CHANGED]
      = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kiosk_agent_journey_init (KioskAgentJourney *self)
{
  self->cancellable = g_cancellable_new ();
  self->pin_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_catalog_item_unref);
  self->cases = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_agent_case_free);
  self->login_state = KIOSK_AGENT_LOGIN_LOADING;
}

KioskJourney *
kiosk_agent_journey_new (KioskCore *core)
{
  KioskAgentJourney *self = g_object_new (KIOSK_TYPE_AGENT_JOURNEY, "id", "proxy", "title", N_ ("Agent service"),
                                          "requires-identity", TRUE, "available", TRUE, NULL);

  self->core = core;
  self->apply = KIOSK_APPLY_JOURNEY (kiosk_apply_journey_new (core));
  g_signal_connect (self->apply, "items-changed", G_CALLBACK (items_changed_cb), self);
  g_signal_connect (self->apply, "finished", G_CALLBACK (apply_finished_cb), self);
  kiosk_journey_set_steps (KIOSK_JOURNEY (self), (const char *const *) new_steps);
  return KIOSK_JOURNEY (self);
}
