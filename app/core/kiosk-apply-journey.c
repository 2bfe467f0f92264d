/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-apply"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "camera-device.h"
#include "kiosk-apply-journey.h"
#include "kiosk-core.h"
#include "kiosk-domain-codec.h"
#include "kiosk-domain-rules.h"

/* 自助申报. The draft (app/domain) holds everything the resident gives; this
 * file moves between the steps, checks each one, submits the finished case
 * to the store in a worker thread and prints its receipt. Nothing personal
 * is logged: log lines name steps, indices and error codes only. */

/* Documents printed once the case is accepted. */
enum { DOC_RECEIPT, DOC_NOTICE, N_DOCS };

typedef enum {
  DOC_NOT_WANTED,
  DOC_WAITING,
  DOC_SENT,
  DOC_PRINTED,
  DOC_FAILED,
} DocState;

struct _KioskApplyJourney {
  KioskJourney parent_instance;
  KioskCore *core;           /* weak: the core owns the journeys */
  KioskDevice *camera;       /* weak, the core's; NULL without a core */
  GCancellable *cancellable; /* catalog load and submit; cancelled by the wipe */

  KioskCatalog *catalog; /* NULL until loaded */
  gboolean loading;

  KioskCatalogItem *item;   /* chosen, or NULL */
  KioskCaseDraft *draft;    /* NULL before an item is chosen */
  GHashTable *field_errors; /* field id -> msgid (static) */
  GPtrArray *problems;      /* "msgid\tname" */
  int scan_target;
  char *post_address; /* personal: kiosk_secure_free */
  GDate *today;       /* tests; NULL: the local date */

  KioskApplySubmitState submit_state;
  const char *submit_message; /* msgid */
  char *case_number;

  DocState docs[N_DOCS];
  char *print_message; /* the printer's words for the resident */

  KioskApplyCameraState camera_state;
  /* 代办 (kiosk_apply_journey_set_proxy): the resident the agent files for,
   * the agent and the signed authorisation; personal, cleared by the wipe. */
  KioskIdentity *proxy_resident;
  char *proxy_agent_id, *proxy_agent_name, *proxy_agent_id_number, *proxy_authorisation;
  guint rating_id;            /* ends the journey once everything printed */
  guint rating_delay_seconds; /* RATING_DELAY_SECONDS; tests: 0 */
};

/* How long the receipt screen stays once everything printed, before the
 * rating follows by itself. */
#define RATING_DELAY_SECONDS 8

G_DEFINE_FINAL_TYPE (KioskApplyJourney, kiosk_apply_journey, KIOSK_TYPE_JOURNEY)

static char *proxy_case_json (KioskApplyJourney *self, char *json, GError **error);

G_DEFINE_QUARK (kiosk - apply - error - quark, kiosk_apply_error)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_ITEM,
  PROP_SUBMIT_STATE,
  PROP_PRINT_STATE,
  PROP_CAMERA_STATE,
  PROP_CASE_NUMBER,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_ITEMS_CHANGED, SIGNAL_DRAFT_CHANGED, SIGNAL_SCAN_FAILED, SIGNAL_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *const step_ids[] = { "item", "form", "commitment", "materials", "delivery", "review", "done" };
static const char *const step_titles[] = {
  N_ ("Choose the item"), N_ ("Fill in the form"),  N_ ("Commitment"), N_ ("Materials"),
  N_ ("Delivery"),        N_ ("Check and hand in"), N_ ("Receipt"),
};

const char *
kiosk_apply_step_to_id (KioskApplyStep step)
{
  return (guint) step < G_N_ELEMENTS (step_ids) ? step_ids[step] : NULL;
}

int
kiosk_apply_step_from_id (const char *id)
{
  for (guint i = 0; id && i < G_N_ELEMENTS (step_ids); i++)
    if (g_str_equal (step_ids[i], id))
      return (int) i;
  return -1;
}

/* ---- helpers ---------------------------------------------------------------- */

static void
get_today (KioskApplyJourney *self, GDate *out)
{
  if (self->today)
    *out = *self->today;
  else
    {
      g_date_clear (out, 1);
      g_date_set_time_t (out, time (NULL));
    }
}

/* Every intent is activity for the idle timer. */
static void
touch (KioskApplyJourney *self)
{
  if (self->core)
    kiosk_session_touch (kiosk_core_get_session (self->core));
}

static void
draft_changed (KioskApplyJourney *self, const char *part)
{
  g_signal_emit (self, signals[SIGNAL_DRAFT_CHANGED], 0, part);
}

static void
material_changed (KioskApplyJourney *self, guint index)
{
  g_autofree char *part = g_strdup_printf ("material:%u", index);
  draft_changed (self, part);
}

static void
clear_problems (KioskApplyJourney *self)
{
  g_ptr_array_set_size (self->problems, 0);
}

static void
add_problem (KioskApplyJourney *self, const char *msgid, const char *name)
{
  g_ptr_array_add (self->problems, g_strdup_printf ("%s\t%s", msgid, name ? name : ""));
}

static gboolean
refuse (GError **error, KioskApplyError code, const char *msgid)
{
  g_set_error_literal (error, KIOSK_APPLY_ERROR, code, msgid);
  return FALSE;
}

/* The draft's own refusals are technical English; the resident gets
 * @msgid, the log the code only. */
static gboolean
refuse_domain (GError **error, GError *domain_error, const char *msgid)
{
  g_debug ("draft refused (domain error %d)", domain_error ? domain_error->code : -1);
  g_set_error_literal (error, KIOSK_APPLY_ERROR, KIOSK_APPLY_ERROR_NOT_NOW, msgid);
  return FALSE;
}

/* Intents that change the draft: only with one, before it is handed in. */
static gboolean
can_edit (KioskApplyJourney *self, GError **error)
{
  if (self->draft == NULL)
    return refuse (error, KIOSK_APPLY_ERROR_NO_ITEM, N_ ("Choose an item first."));
  if (self->submit_state == KIOSK_APPLY_SUBMIT_SUBMITTING || self->submit_state == KIOSK_APPLY_SUBMIT_ACCEPTED)
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("This application has already been handed in."));
  return TRUE;
}

static gboolean
blank (const char *s)
{
  while (s && g_ascii_isspace (*s))
    s++;
  return s == NULL || *s == '\0';
}

static gboolean
item_has_commitment (KioskCatalogItem *item)
{
  return item && item->commitment_allowed == KIOSK_FLAG_YES && item->commitment != NULL;
}

/* The steps of the chosen item (all but commitment before one is chosen). */
static void
rebuild_steps (KioskApplyJourney *self)
{
  g_autoptr (GPtrArray) pairs = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (step_ids); i++)
    {
      if (i == KIOSK_APPLY_STEP_COMMITMENT && !item_has_commitment (self->item))
        continue;
      g_ptr_array_add (pairs, (gpointer) step_ids[i]);
      g_ptr_array_add (pairs, (gpointer) step_titles[i]);
    }
  g_ptr_array_add (pairs, NULL);
  kiosk_journey_set_steps (KIOSK_JOURNEY (self), (const char *const *) pairs->pdata);
}

/* Index of @step in the steps model, or -1. */
static int
step_index (KioskApplyJourney *self, KioskApplyStep step)
{
  GListModel *steps = kiosk_journey_get_steps (KIOSK_JOURNEY (self));

  for (guint i = 0; i < g_list_model_get_n_items (steps); i++)
    {
      g_autoptr (KioskJourneyStep) s = g_list_model_get_item (steps, i);
      if (kiosk_apply_step_from_id (kiosk_journey_step_get_id (s)) == (int) step)
        return (int) i;
    }
  return -1;
}

/* The camera gone while scanning is needed: what the resident is offered,
 * for the technician (no personal data: the item's code, counts). */
static void
log_camera_gone (KioskApplyJourney *self)
{
  guint scans = 0, missing = 0, owable = 0;

  for (guint i = 0; self->item && self->draft && i < self->item->n_materials; i++)
    {
      if (self->item->materials[i].provided_by != KIOSK_PROVIDED_BY_SCAN)
        continue;
      scans++;
      if (!self->item->materials[i].required
          || kiosk_case_draft_get_material_state (self->draft, i) != KIOSK_MATERIAL_MISSING)
        continue;
      missing++;
      owable += kiosk_material_may_be_owed (self->item, i);
    }
  g_message ("materials step of %s without the document camera (%s): %u scanned material(s), %u missing, %u may be "
             "owed: offering %s",
             self->item ? self->item->code : "(no item)",
             self->camera ? kiosk_device_get_reason (self->camera) : "no camera configured", scans, missing, owable,
             missing == 0        ? "nothing (none missing)"
             : owable == missing ? "容缺"
                                 : "come back later");
}

static void
go_to (KioskApplyJourney *self, KioskApplyStep step)
{
  int index = step_index (self, step);

  g_return_if_fail (index >= 0);
  if (step != KIOSK_APPLY_STEP_MATERIALS)
    self->scan_target = -1;
  clear_problems (self);
  kiosk_journey_set_step (KIOSK_JOURNEY (self), (guint) index);
  /* the camera's live picture on the materials step only */
  if (self->core)
    kiosk_core_set_camera_preview (self->core, KIOSK_JOURNEY (self), step == KIOSK_APPLY_STEP_MATERIALS);
  if (step == KIOSK_APPLY_STEP_MATERIALS && self->camera_state == KIOSK_APPLY_CAMERA_GONE)
    log_camera_gone (self);
}

static void
update_camera_state (KioskApplyJourney *self)
{
  KioskApplyCameraState state = KIOSK_APPLY_CAMERA_READY;

  if (self->camera)
    {
      KioskDeviceState s = kiosk_device_get_state (self->camera);
      if (s == KIOSK_DEVICE_STATE_ABSENT || s == KIOSK_DEVICE_STATE_ERROR)
        state = KIOSK_APPLY_CAMERA_GONE;
    }
  else
    state = KIOSK_APPLY_CAMERA_GONE;
  if (state == self->camera_state)
    return;
  self->camera_state = state;
  if (state == KIOSK_APPLY_CAMERA_GONE && self->draft
      && kiosk_apply_journey_get_current_step (self) == KIOSK_APPLY_STEP_MATERIALS)
    log_camera_gone (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_STATE]);
}

static void
camera_state_cb (GObject *camera, GParamSpec *pspec, gpointer data)
{
  update_camera_state (KIOSK_APPLY_JOURNEY (data));
}

/* ---- print state --------------------------------------------------------------- */

static KioskApplyPrintState
compute_print_state (KioskApplyJourney *self)
{
  gboolean any = FALSE, failed = FALSE, busy = FALSE;

  for (guint i = 0; i < N_DOCS; i++)
    {
      if (self->docs[i] == DOC_NOT_WANTED)
        continue;
      any = TRUE;
      if (self->docs[i] == DOC_FAILED)
        failed = TRUE;
      else if (self->docs[i] != DOC_PRINTED)
        busy = TRUE;
    }
  if (!any)
    return KIOSK_APPLY_PRINT_NONE;
  if (busy)
    return KIOSK_APPLY_PRINT_PRINTING;
  return failed ? KIOSK_APPLY_PRINT_FAILED : KIOSK_APPLY_PRINT_DONE;
}

static gboolean
rating_cb (gpointer data)
{
  KioskApplyJourney *self = data;

  self->rating_id = 0;
  kiosk_apply_journey_finish (self);
  return G_SOURCE_REMOVE;
}

static void
set_doc_state (KioskApplyJourney *self, guint doc, DocState state)
{
  KioskApplyPrintState before = compute_print_state (self);
  KioskApplyPrintState after;

  self->docs[doc] = state;
  after = compute_print_state (self);
  if (after == before)
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRINT_STATE]);
  /* Everything printed: the receipt stays on screen a moment, then the
   * rating follows by itself. After a fault the resident reads the
   * number and goes on (finish). */
  if (after == KIOSK_APPLY_PRINT_DONE && self->submit_state == KIOSK_APPLY_SUBMIT_ACCEPTED && self->rating_id == 0)
    self->rating_id = self->rating_delay_seconds ? g_timeout_add_seconds (self->rating_delay_seconds, rating_cb, self)
                                                 : g_idle_add (rating_cb, self);
}

/* ---- reset and wipe ------------------------------------------------------------ */

/* Forgets the application: the draft (overwritten by its free), the
 * address, the number and every state. The catalog stays (not personal). */
static void
forget_application (KioskApplyJourney *self)
{
  gboolean had_item = self->item != NULL;
  KioskApplyPrintState print_before = compute_print_state (self);

  g_clear_handle_id (&self->rating_id, g_source_remove);
  g_clear_pointer (&self->draft, kiosk_case_draft_free);
  g_clear_pointer (&self->item, kiosk_catalog_item_unref);
  g_hash_table_remove_all (self->field_errors);
  clear_problems (self);
  self->scan_target = -1;
  g_clear_pointer (&self->post_address, kiosk_secure_free);
  g_clear_pointer (&self->print_message, g_free);
  for (guint i = 0; i < N_DOCS; i++)
    self->docs[i] = DOC_NOT_WANTED;
  if (compute_print_state (self) != print_before)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRINT_STATE]);
  if (self->submit_state != KIOSK_APPLY_SUBMIT_IDLE)
    {
      self->submit_state = KIOSK_APPLY_SUBMIT_IDLE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBMIT_STATE]);
    }
  self->submit_message = NULL;
  if (self->case_number)
    {
      g_clear_pointer (&self->case_number, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_NUMBER]);
    }
  if (had_item)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
  draft_changed (self, "all");
}

static void
apply_wipe (KioskJourney *journey)
{
  KioskApplyJourney *self = KIOSK_APPLY_JOURNEY (journey);

  /* A submit already under way finishes in the store (the resident handed
   * it in); its answer is dropped. A load is dropped. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->loading)
    {
      self->loading = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
  forget_application (self);
  kiosk_apply_journey_set_proxy (self, NULL, NULL, NULL, NULL, NULL);
  rebuild_steps (self);
  if (self->core)
    kiosk_core_set_camera_preview (self->core, journey, FALSE);
}

/* ---- the catalog -------------------------------------------------------------- */

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  KioskStore *store = data;
  GError *error = NULL;
  g_autofree char *items = kiosk_store_get_catalog (store, &error);
  g_autofree char *doc = NULL;
  g_autoptr (GPtrArray) skipped = NULL;
  KioskCatalog *catalog;

  if (items == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  doc = g_strdup_printf ("{\"items\":%s}", items);
  catalog = kiosk_catalog_decode (doc, strlen (doc), &skipped, &error);
  if (catalog == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; skipped && i < skipped->len; i++)
    g_warning ("catalog item left out: %s", (char *) skipped->pdata[i]);
  g_task_return_pointer (task, catalog, (GDestroyNotify) kiosk_catalog_free);
}

static void
set_catalog (KioskApplyJourney *self, KioskCatalog *catalog)
{
  g_clear_pointer (&self->catalog, kiosk_catalog_free);
  self->catalog = catalog;
  if (self->loading)
    {
      self->loading = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
  g_signal_emit (self, signals[SIGNAL_ITEMS_CHANGED], 0);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  KioskCatalog *catalog = g_task_propagate_pointer (G_TASK (result), &error);

  if (catalog == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("cannot read the catalog: %s", error->message);
    }
  set_catalog (KIOSK_APPLY_JOURNEY (source), catalog);
}

static void
apply_begin (KioskJourney *journey)
{
  KioskApplyJourney *self = KIOSK_APPLY_JOURNEY (journey);
  KioskStore *store = self->core ? kiosk_core_get_store (self->core) : NULL;
  g_autoptr (GTask) task = NULL;

  /* Whatever a previous resident left (the wipe came first, normally). */
  apply_wipe (journey);
  update_camera_state (self);
  if (store == NULL)
    {
      set_catalog (self, NULL);
      return;
    }
  self->loading = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  task = g_task_new (self, self->cancellable, loaded_cb, NULL);
  g_task_set_source_tag (task, apply_begin);
  g_task_set_task_data (task, g_object_ref (store), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

/* ---- steps: checking and moving on ---------------------------------------------- */

static gboolean
check_form (KioskApplyJourney *self)
{
  GDate today;

  get_today (self, &today);
  for (guint i = 0; i < self->item->n_form_fields; i++)
    {
      const KioskFormField *f = &self->item->form_fields[i];
      const char *msg = kiosk_field_validate (f, kiosk_case_draft_get_value (self->draft, f->id), &today);
      if (msg)
        {
          g_hash_table_replace (self->field_errors, g_strdup (f->id), (gpointer) msg);
          add_problem (self, msg, f->label);
        }
      else
        g_hash_table_remove (self->field_errors, f->id);
    }
  return self->problems->len == 0;
}

static gboolean
check_commitment (KioskApplyJourney *self)
{
  KioskCommitmentChoice c = kiosk_case_draft_get_commitment (self->draft);

  if (!kiosk_commitment_allowed (self->draft))
    return TRUE;
  if (c == KIOSK_COMMITMENT_UNDECIDED)
    add_problem (self, N_ ("Choose between signing the commitment and supplying the proof."),
                 self->item->commitment->proof);
  else if (c == KIOSK_COMMITMENT_COMMIT && kiosk_case_draft_get_signature_sha256 (self->draft) == NULL)
    add_problem (self, N_ ("Sign the commitment on the screen."), NULL);
  return self->problems->len == 0;
}

static gboolean
check_materials (KioskApplyJourney *self)
{
  for (guint i = 0; i < self->item->n_materials; i++)
    if (self->item->materials[i].required
        && kiosk_case_draft_get_material_state (self->draft, i) == KIOSK_MATERIAL_MISSING)
      add_problem (self, N_ ("This material is still missing."), self->item->materials[i].name);
  return self->problems->len == 0;
}

static gboolean
check_delivery (KioskApplyJourney *self)
{
  const char *address = kiosk_case_draft_get_delivery_address (self->draft);

  if (kiosk_case_draft_get_delivery (self->draft) == KIOSK_DELIVERY_POST && blank (address))
    add_problem (self, N_ ("Enter the address to post the result to."), NULL);
  return self->problems->len == 0;
}

static gboolean
check_all (KioskApplyJourney *self)
{
  GDate today;
  g_autoptr (GPtrArray) problems = NULL;

  get_today (self, &today);
  if (kiosk_case_draft_check_complete (self->draft, &today, &problems))
    return TRUE;
  for (guint i = 0; i < problems->len; i++)
    g_ptr_array_add (self->problems, g_strdup (problems->pdata[i]));
  return FALSE;
}

/* The step after the current one in the model. */
static void
go_on (KioskApplyJourney *self)
{
  KioskJourney *j = KIOSK_JOURNEY (self);
  guint n = g_list_model_get_n_items (kiosk_journey_get_steps (j));
  guint next = kiosk_journey_get_step (j) + 1;

  if (next < n)
    {
      g_autoptr (KioskJourneyStep) s = g_list_model_get_item (kiosk_journey_get_steps (j), next);
      go_to (self, (KioskApplyStep) kiosk_apply_step_from_id (kiosk_journey_step_get_id (s)));
    }
}

/* ---- submit ------------------------------------------------------------------- */

typedef struct {
  KioskStore *store;
  char *json;       /* personal: kiosk_secure_free */
  GPtrArray *files; /* KioskCaseAttachment */
} SubmitData;

static void
submit_data_free (SubmitData *d)
{
  g_clear_object (&d->store);
  g_clear_pointer (&d->json, kiosk_secure_free);
  g_clear_pointer (&d->files, g_ptr_array_unref);
  g_free (d);
}

static void
submit_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  SubmitData *d = data;
  g_autoptr (GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  char *number;

  for (guint i = 0; i < d->files->len; i++)
    {
      KioskCaseAttachment *a = d->files->pdata[i];
      KioskAttachmentDraft *s = g_new0 (KioskAttachmentDraft, 1);
      s->name = a->name;
      s->media_type = a->media_type;
      s->data = a->data;
      g_ptr_array_add (drafts, s);
    }
  /* Returns once the case, its files and its outbox entry are durable. */
  number = kiosk_store_submit_case (d->store, d->json, drafts, &error);
  if (number == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, number, g_free);
}

static void print_documents (KioskApplyJourney *self, gboolean only_failed);

static void
set_submit_state (KioskApplyJourney *self, KioskApplySubmitState state, const char *message)
{
  self->submit_message = message;
  if (self->submit_state == state)
    return;
  self->submit_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBMIT_STATE]);
}

static void
submitted_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskApplyJourney *self;
  g_autoptr (GError) error = NULL;
  char *number = g_task_propagate_pointer (G_TASK (result), &error);

  if (number == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* wiped meanwhile: the journey has moved on */
  self = KIOSK_APPLY_JOURNEY (source);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    {
      g_free (number);
      return;
    }
  if (number == NULL)
    {
      g_warning ("the application could not be stored: %s", error->message);
      set_submit_state (self, KIOSK_APPLY_SUBMIT_FAILED,
                        g_error_matches (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_DISK_FULL)
                            ? N_ ("This kiosk cannot take applications right now. Nothing was handed in. Please "
                                  "ask the staff.")
                            : N_ ("Your application could not be saved. Nothing was handed in. Please try again, "
                                  "or ask the staff."));
      return;
    }
  g_info ("application accepted (item %s)", self->item->code);
  self->case_number = number;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_NUMBER]);
  set_submit_state (self, KIOSK_APPLY_SUBMIT_ACCEPTED, NULL);
  go_to (self, KIOSK_APPLY_STEP_DONE);
  print_documents (self, FALSE);
}

gboolean
kiosk_apply_journey_submit (KioskApplyJourney *self, GError **error)
{
  KioskStore *store;
  g_autoptr (GError) local = NULL;
  g_autoptr (GTask) task = NULL;
  SubmitData *d;
  char *json;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  touch (self);
  if (!can_edit (self, error))
    return FALSE;
  if (kiosk_apply_journey_get_current_step (self) != KIOSK_APPLY_STEP_REVIEW)
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("Check the application before handing it in."));
  clear_problems (self);
  if (!check_all (self))
    return refuse (error, KIOSK_APPLY_ERROR_INCOMPLETE, N_ ("Something is still missing. Please see the list."));
  store = self->core ? kiosk_core_get_store (self->core) : NULL;
  if (store == NULL || !kiosk_core_get_accepting (self->core))
    {
      set_submit_state (self, KIOSK_APPLY_SUBMIT_FAILED,
                        N_ ("This kiosk cannot take applications right now. Nothing was handed in. Please ask "
                            "the staff."));
      return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, self->submit_message);
    }
  json = kiosk_case_draft_encode (self->draft, &local);
  if (json && self->proxy_resident)
    json = proxy_case_json (self, json, &local);
  if (json == NULL)
    {
      g_warning ("the application could not be encoded: %s", local->message);
      set_submit_state (self, KIOSK_APPLY_SUBMIT_FAILED,
                        N_ ("Your application could not be saved. Nothing was handed in. Please try again, or "
                            "ask the staff."));
      return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, self->submit_message);
    }
  d = g_new0 (SubmitData, 1);
  d->store = g_object_ref (store);
  d->json = json;
  d->files = kiosk_case_draft_get_attachments (self->draft);
  set_submit_state (self, KIOSK_APPLY_SUBMIT_SUBMITTING, NULL);
  task = g_task_new (self, self->cancellable, submitted_cb, NULL);
  g_task_set_source_tag (task, kiosk_apply_journey_submit);
  g_task_set_task_data (task, d, (GDestroyNotify) submit_data_free);
  g_task_run_in_thread (task, submit_thread);
  return TRUE;
}

/* ---- 代办 ----------------------------------------------------------------------- */

void
kiosk_apply_journey_set_proxy (KioskApplyJourney *self, const KioskIdentity *resident, const char *agent_id,
                               const char *agent_name, const char *agent_id_number, const char *authorisation_id)
{
  g_return_if_fail (KIOSK_IS_APPLY_JOURNEY (self));
  g_clear_pointer (&self->proxy_resident, kiosk_identity_free);
  g_clear_pointer (&self->proxy_agent_id, g_free);
  g_clear_pointer (&self->proxy_agent_name, kiosk_secure_free);
  g_clear_pointer (&self->proxy_agent_id_number, kiosk_secure_free);
  g_clear_pointer (&self->proxy_authorisation, g_free);
  if (resident == NULL || agent_id == NULL || authorisation_id == NULL)
    return;
  self->proxy_resident = kiosk_identity_copy (resident);
  self->proxy_agent_id = g_strdup (agent_id);
  self->proxy_agent_name = g_strdup (agent_name ? agent_name : "");
  self->proxy_agent_id_number = g_strdup (agent_id_number);
  self->proxy_authorisation = g_strdup (authorisation_id);
}

/* The case as filed by an agent: it names the authorisation, the agent's
 * id and the channel 代办 (docs/platform-api.md); the applicant stays the
 * resident. Takes @json (overwritten and freed). */
static char *
proxy_case_json (KioskApplyJourney *self, char *json, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  JsonObject *o, *agent;
  char *out = NULL;

  if (json_parser_load_from_data (parser, json, -1, error) && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      o = json_node_get_object (json_parser_get_root (parser));
      json_object_set_string_member (o, "proxy_authorisation", self->proxy_authorisation);
      agent = json_object_get_object_member (o, "agent");
      if (agent)
        {
          json_object_set_string_member (agent, "id", self->proxy_agent_id);
          json_object_set_string_member (agent, "channel", "代办");
        }
      json_generator_set_root (gen, json_parser_get_root (parser));
      out = json_generator_to_data (gen, NULL);
    }
  kiosk_secure_free (json);
  return out;
}

/* ---- receipt and 容缺受理通知书 --------------------------------------------------- */

/* At most @max characters (the printer's caps). */
static char *
capped (const char *s, glong max)
{
  if (s == NULL)
    return g_strdup ("");
  if (g_utf8_strlen (s, -1) <= max)
    return g_strdup (s);
  return g_utf8_substring (s, 0, max);
}

static void
set_capped (JsonObject *o, const char *member, const char *s, glong max)
{
  g_autofree char *v = capped (s, max);
  json_object_set_string_member (o, member, v);
}

static const char *
phone_value (KioskApplyJourney *self)
{
  for (guint i = 0; i < self->item->n_form_fields; i++)
    if (self->item->form_fields[i].type == KIOSK_FIELD_PHONE)
      return kiosk_case_draft_get_value (self->draft, self->item->form_fields[i].id);
  return NULL;
}

/* "138****5678": a phone printed on paper the resident may lose. */
static char *
mask_phone (const char *phone)
{
  gsize n = phone ? strlen (phone) : 0;

  if (n < 8)
    return NULL;
  return g_strdup_printf ("%.3s****%s", phone, phone + n - 4);
}

static JsonArray *
owed_materials (KioskApplyJourney *self, const char *station)
{
  JsonArray *owed = json_array_new ();
  g_autofree char *how = g_strdup_printf ("交至%s", station && *station ? station : "本服务站");

  for (guint i = 0; i < self->item->n_materials && json_array_get_length (owed) < 10; i++)
    {
      JsonObject *m;
      if (kiosk_case_draft_get_material_state (self->draft, i) != KIOSK_MATERIAL_OWED)
        continue;
      m = json_object_new ();
      set_capped (m, "name", self->item->materials[i].name, 100);
      set_capped (m, "how", how, 100);
      json_object_set_string_member (m, "deadline", kiosk_case_draft_get_owed_due (self->draft, i));
      json_array_add_object_element (owed, m);
    }
  return owed;
}

/* What receipt and notice share: who, which case, where, when. */
static JsonObject *
print_common (KioskApplyJourney *self, const char *station, const char *office_phone)
{
  JsonObject *d = json_object_new ();
  const KioskIdentity *who = kiosk_case_draft_get_applicant (self->draft);
  g_autofree char *phone = mask_phone (phone_value (self));
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *accepted_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  GDate today, promised;

  json_object_set_string_member (d, "case_number", self->case_number);
  json_object_set_boolean_member (d, "provisional", TRUE);
  set_capped (d, "item_name", self->item->name, 200);
  set_capped (d, "applicant_name", who ? who->name : NULL, 64);
  if (who && who->id_number)
    set_capped (d, "applicant_id_number", who->id_number, 32);
  if (phone)
    json_object_set_string_member (d, "applicant_phone", phone);
  if (self->item->time_limit_days >= 0)
    json_object_set_int_member (d, "time_limit_days", self->item->time_limit_days);
  get_today (self, &today);
  kiosk_item_promised_date (self->item, &today, &promised);
  if (g_date_valid (&promised))
    {
      char buf[16];
      g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &promised);
      json_object_set_string_member (d, "promised_date", buf);
    }
  if (station && *station)
    set_capped (d, "station", station, 64);
  if (office_phone && *office_phone)
    set_capped (d, "office_phone", office_phone, 32);
  json_object_set_string_member (d, "accepted_at", accepted_at);
  return d;
}

static JsonObject *
receipt_data (KioskApplyJourney *self, const char *station, const char *office_phone)
{
  JsonObject *d = print_common (self, station, office_phone);
  JsonArray *received = json_array_new ();
  JsonObject *delivery = json_object_new ();

  for (guint i = 0; i < self->item->n_materials && json_array_get_length (received) < 20; i++)
    {
      KioskMaterialState s = kiosk_case_draft_get_material_state (self->draft, i);
      g_autofree char *name = capped (self->item->materials[i].name, 80);
      char *text = NULL;

      switch (s)
        {
        case KIOSK_MATERIAL_ID_CARD:
        case KIOSK_MATERIAL_FORM:
          text = g_strdup (name);
          break;
        case KIOSK_MATERIAL_E_LICENCE:
          text = g_strdup_printf ("%s（电子证照）", name);
          break;
        case KIOSK_MATERIAL_SCANNED:
          text = g_strdup_printf ("%s（%u页）", name, kiosk_case_draft_get_n_pages (self->draft, i));
          break;
        case KIOSK_MATERIAL_COMMITTED:
          text = g_strdup_printf ("%s（告知承诺）", name);
          break;
        case KIOSK_MATERIAL_MISSING:
        case KIOSK_MATERIAL_OWED:
        default:
          break;
        }
      if (text)
        json_array_add_string_element (received, text);
      g_free (text);
    }
  json_object_set_array_member (d, "materials_received", received);
  json_object_set_array_member (d, "materials_owed", owed_materials (self, station));
  if (kiosk_case_draft_get_delivery (self->draft) == KIOSK_DELIVERY_POST)
    {
      json_object_set_string_member (delivery, "method", "post");
      set_capped (delivery, "address", kiosk_case_draft_get_delivery_address (self->draft), 200);
    }
  else
    json_object_set_string_member (delivery, "method", "pickup");
  json_object_set_object_member (d, "delivery", delivery);
  if (self->item->fee.text)
    set_capped (d, "fee", self->item->fee.text, 200);
  if (self->item->cross_region)
    {
      const KioskRegion *region = kiosk_case_draft_get_handling_region (self->draft);
      JsonObject *cr = json_object_new ();
      set_capped (cr, "scope", self->item->cross_region_scope ? self->item->cross_region_scope : "异地通办", 16);
      set_capped (cr, "region", region && region->name ? region->name : "", 100);
      if (self->item->department)
        set_capped (cr, "department", self->item->department, 100);
      json_object_set_object_member (d, "cross_region", cr);
    }
  return d;
}

static JsonObject *
notice_data (KioskApplyJourney *self, const char *station, const char *office_phone)
{
  JsonObject *d = print_common (self, station, office_phone);

  if (!json_object_has_member (d, "station"))
    json_object_set_string_member (d, "station", "便民服务站");
  json_object_set_array_member (d, "materials_owed", owed_materials (self, station));
  set_capped (d, "consequence",
              self->item->deferral && self->item->deferral->consequence ? self->item->deferral->consequence
                                                                        : "逾期未补齐的按不予受理处理",
              200);
  return d;
}

static gboolean
anything_owed (KioskApplyJourney *self)
{
  for (guint i = 0; i < self->item->n_materials; i++)
    if (kiosk_case_draft_get_material_state (self->draft, i) == KIOSK_MATERIAL_OWED)
      return TRUE;
  return FALSE;
}

static const char *const doc_templates[N_DOCS] = { "receipt", "deferral-notice" };

/* Sends the receipt (and the notice when something is owed); with
 * @only_failed, only those that failed. */
static void
print_documents (KioskApplyJourney *self, gboolean only_failed)
{
  KioskConfig *config = kiosk_core_get_config (self->core);
  g_autofree char *station = kiosk_config_get_string (config, "kiosk", "station");
  g_autofree char *office_phone = kiosk_config_get_string (config, "kiosk", "phone");

  if (!only_failed)
    {
      self->docs[DOC_RECEIPT] = DOC_WAITING;
      self->docs[DOC_NOTICE] = anything_owed (self) ? DOC_WAITING : DOC_NOT_WANTED;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRINT_STATE]);
    }
  else
    {
      for (guint i = 0; i < N_DOCS; i++)
        if (self->docs[i] == DOC_FAILED)
          set_doc_state (self, i, DOC_WAITING);
    }
  g_clear_pointer (&self->print_message, g_free);
  for (guint i = 0; i < N_DOCS; i++)
    {
      g_autoptr (JsonObject) data = NULL;
      g_autofree char *document = NULL;

      if (self->docs[i] != DOC_WAITING)
        continue;
      data = i == DOC_RECEIPT ? receipt_data (self, station, office_phone) : notice_data (self, station, office_phone);
      document = g_strdup_printf ("%s:%s", doc_templates[i], self->case_number);
      kiosk_core_journey_print (self->core, KIOSK_JOURNEY (self), doc_templates[i], data, document, NULL);
    }
}

static void
apply_print_progress (KioskJourney *journey, const char *document, KioskJourneyPrintState state, const char *message)
{
  KioskApplyJourney *self = KIOSK_APPLY_JOURNEY (journey);
  guint doc;

  if (document == NULL || self->case_number == NULL)
    return;
  for (doc = 0; doc < N_DOCS; doc++)
    {
      g_autofree char *id = g_strdup_printf ("%s:%s", doc_templates[doc], self->case_number);
      if (g_str_equal (id, document))
        break;
    }
  if (doc == N_DOCS || self->docs[doc] == DOC_NOT_WANTED)
    return; /* another case's (a wiped session's) */
  switch (state)
    {
    case KIOSK_JOURNEY_PRINT_SENT:
      set_doc_state (self, doc, DOC_SENT);
      break;
    case KIOSK_JOURNEY_PRINT_DONE:
      set_doc_state (self, doc, DOC_PRINTED);
      break;
    case KIOSK_JOURNEY_PRINT_FAILED:
    default:
      g_free (self->print_message);
      self->print_message = g_strdup (message && *message ? message : N_ ("The printer could not print."));
      set_doc_state (self, doc, DOC_FAILED);
      break;
    }
}

JsonObject *
_kiosk_apply_journey_dup_print_data (KioskApplyJourney *self, const char *template_name)
{
  KioskConfig *config;
  g_autofree char *station = NULL;
  g_autofree char *office_phone = NULL;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  if (self->submit_state != KIOSK_APPLY_SUBMIT_ACCEPTED || self->core == NULL)
    return NULL;
  config = kiosk_core_get_config (self->core);
  station = kiosk_config_get_string (config, "kiosk", "station");
  office_phone = kiosk_config_get_string (config, "kiosk", "phone");
  if (g_strcmp0 (template_name, doc_templates[DOC_RECEIPT]) == 0)
    return receipt_data (self, station, office_phone);
  if (g_strcmp0 (template_name, doc_templates[DOC_NOTICE]) == 0 && anything_owed (self))
    return notice_data (self, station, office_phone);
  return NULL;
}

gboolean
kiosk_apply_journey_print_again (KioskApplyJourney *self, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  touch (self);
  if (self->submit_state != KIOSK_APPLY_SUBMIT_ACCEPTED || compute_print_state (self) != KIOSK_APPLY_PRINT_FAILED)
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("There is nothing to print again."));
  print_documents (self, TRUE);
  return TRUE;
}

/* ---- device events ------------------------------------------------------------ */

static void
apply_page_captured (KioskJourney *journey, GBytes *jpeg, int width, int height, int dpi, const char *message)
{
  KioskApplyJourney *self = KIOSK_APPLY_JOURNEY (journey);
  g_autoptr (GError) error = NULL;

  if (self->draft == NULL || self->submit_state != KIOSK_APPLY_SUBMIT_IDLE
      || kiosk_apply_journey_get_current_step (self) != KIOSK_APPLY_STEP_MATERIALS)
    return; /* a page on the mat outside the materials step: not wanted */
  if (jpeg == NULL)
    {
      g_signal_emit (self, signals[SIGNAL_SCAN_FAILED], 0,
                     message && *message ? message : N_ ("The picture could not be taken. Please try again."));
      return;
    }
  if (self->scan_target < 0)
    {
      g_signal_emit (self, signals[SIGNAL_SCAN_FAILED], 0, N_ ("First choose which material you are scanning."));
      return;
    }
  touch (self);
  if (!kiosk_case_draft_add_page (self->draft, (guint) self->scan_target, "image/jpeg", jpeg, &error))
    {
      g_debug ("page refused (domain error %d)", error->code);
      g_signal_emit (self, signals[SIGNAL_SCAN_FAILED], 0,
                     error->code == KIOSK_DOMAIN_ERROR_TOO_LARGE
                         ? N_ ("No more pages can be added to this material.")
                         : N_ ("The picture could not be taken. Please try again."));
      return;
    }
  material_changed (self, (guint) self->scan_target);
}

/* Back: a step back inside the journey; from the first step, out of it.
 * Handing in cannot be left half way; after it, Back ends the journey
 * (the rating follows). */
static gboolean
apply_back (KioskJourney *journey)
{
  KioskApplyJourney *self = KIOSK_APPLY_JOURNEY (journey);
  guint step = kiosk_journey_get_step (journey);

  if (self->submit_state == KIOSK_APPLY_SUBMIT_SUBMITTING)
    return TRUE;
  if (self->submit_state == KIOSK_APPLY_SUBMIT_ACCEPTED)
    return kiosk_apply_journey_finish (self);
  if (step == 0)
    return FALSE;
  {
    g_autoptr (KioskJourneyStep) s = g_list_model_get_item (kiosk_journey_get_steps (journey), step - 1);
    go_to (self, (KioskApplyStep) kiosk_apply_step_from_id (kiosk_journey_step_get_id (s)));
  }
  return TRUE;
}

/* ---- getters ------------------------------------------------------------------- */

gboolean
kiosk_apply_journey_get_loading (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  return self->loading;
}

guint
kiosk_apply_journey_get_n_items (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), 0);
  return self->catalog ? self->catalog->items->len : 0;
}

KioskCatalogItem *
kiosk_apply_journey_get_nth_item (KioskApplyJourney *self, guint index)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  if (self->catalog == NULL || index >= self->catalog->items->len)
    return NULL;
  return self->catalog->items->pdata[index];
}

KioskCatalogItem *
kiosk_apply_journey_lookup_item (KioskApplyJourney *self, const char *code)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  return self->catalog && code ? kiosk_catalog_find (self->catalog, code) : NULL;
}

KioskApplyStep
kiosk_apply_journey_get_current_step (KioskApplyJourney *self)
{
  KioskJourney *j = KIOSK_JOURNEY (self);
  g_autoptr (KioskJourneyStep) s = NULL;
  int step;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), KIOSK_APPLY_STEP_ITEM);
  s = g_list_model_get_item (kiosk_journey_get_steps (j), kiosk_journey_get_step (j));
  step = s ? kiosk_apply_step_from_id (kiosk_journey_step_get_id (s)) : -1;
  return step < 0 ? KIOSK_APPLY_STEP_ITEM : (KioskApplyStep) step;
}

gboolean
kiosk_apply_journey_has_step (KioskApplyJourney *self, KioskApplyStep step)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  return step_index (self, step) >= 0;
}

KioskCatalogItem *
kiosk_apply_journey_get_item (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  return self->item;
}

const KioskCaseDraft *
kiosk_apply_journey_get_draft (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  return self->draft;
}

const char *
kiosk_apply_journey_get_field_error (KioskApplyJourney *self, const char *field_id)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  return field_id ? g_hash_table_lookup (self->field_errors, field_id) : NULL;
}

GPtrArray *
kiosk_apply_journey_get_problems (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  return self->problems;
}

gboolean
kiosk_apply_journey_can_owe (KioskApplyJourney *self, guint index)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  return self->item && index < self->item->n_materials && kiosk_material_may_be_owed (self->item, index);
}

char *
kiosk_apply_journey_dup_owe_due (KioskApplyJourney *self, guint index)
{
  GDate today, due;
  char buf[16];

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  if (!kiosk_apply_journey_can_owe (self, index))
    return NULL;
  get_today (self, &today);
  if (!kiosk_deferral_due_date (self->item, &today, &due) || !g_date_valid (&due))
    return NULL;
  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &due);
  return g_strdup (buf);
}

int
kiosk_apply_journey_get_scan_target (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), -1);
  return self->scan_target;
}

KioskApplyCameraState
kiosk_apply_journey_get_camera_state (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), KIOSK_APPLY_CAMERA_GONE);
  return self->camera_state;
}

const char *
kiosk_apply_journey_get_camera_message (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  if (self->camera_state == KIOSK_APPLY_CAMERA_READY)
    return NULL;
  if (self->item && self->draft)
    {
      gboolean all_owable = TRUE, any_missing = FALSE;
      for (guint i = 0; i < self->item->n_materials; i++)
        {
          if (self->item->materials[i].provided_by != KIOSK_PROVIDED_BY_SCAN || !self->item->materials[i].required
              || kiosk_case_draft_get_material_state (self->draft, i) != KIOSK_MATERIAL_MISSING)
            continue;
          any_missing = TRUE;
          if (!kiosk_material_may_be_owed (self->item, i))
            all_owable = FALSE;
        }
      if (!any_missing)
        return N_ ("The document camera is not working, but nothing more needs scanning.");
      if (all_owable)
        return N_ ("The document camera is not working. You can hand in the missing materials later: mark them "
                   "as owed, and the receipt says by when.");
    }
  return N_ ("The document camera is not working. Please come back later, or ask the staff for help.");
}

const char *
kiosk_apply_journey_get_post_address (KioskApplyJourney *self)
{
  const char *set;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  set = self->draft ? kiosk_case_draft_get_delivery_address (self->draft) : NULL;
  return set && *set ? set : self->post_address;
}

KioskApplySubmitState
kiosk_apply_journey_get_submit_state (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), KIOSK_APPLY_SUBMIT_IDLE);
  return self->submit_state;
}

const char *
kiosk_apply_journey_get_submit_message (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  return self->submit_message;
}

const char *
kiosk_apply_journey_get_case_number (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  return self->case_number;
}

KioskApplyPrintState
kiosk_apply_journey_get_print_state (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), KIOSK_APPLY_PRINT_NONE);
  return compute_print_state (self);
}

const char *
kiosk_apply_journey_get_print_message (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  return compute_print_state (self) == KIOSK_APPLY_PRINT_FAILED ? self->print_message : NULL;
}

const char *
kiosk_apply_journey_get_print_hint (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  if (compute_print_state (self) != KIOSK_APPLY_PRINT_FAILED)
    return NULL;
  /* 进度查询 prints it again for its applicant (重新打印回执). */
  return N_ ("Your application is handed in. Note the case number. You can print the receipt later yourself: "
             "place your ID card, choose Check progress and touch Print the receipt again. The staff at the "
             "station can also print it for you.");
}

gboolean
kiosk_apply_journey_get_has_deferral_notice (KioskApplyJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  return self->docs[DOC_NOTICE] != DOC_NOT_WANTED;
}

/* ---- intents ----------------------------------------------------------------- */

gboolean
kiosk_apply_journey_choose_item (KioskApplyJourney *self, const char *code, GError **error)
{
  KioskCatalogItem *item;
  const KioskIdentity *who = NULL;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  touch (self);
  if (self->submit_state == KIOSK_APPLY_SUBMIT_SUBMITTING || self->submit_state == KIOSK_APPLY_SUBMIT_ACCEPTED)
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("This application has already been handed in."));
  if (kiosk_apply_journey_get_current_step (self) != KIOSK_APPLY_STEP_ITEM)
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("Go back to the list of items to choose another one."));
  item = kiosk_apply_journey_lookup_item (self, code);
  if (item == NULL)
    return refuse (error, KIOSK_APPLY_ERROR_NO_ITEM, N_ ("This item is not in the catalog."));
  if (!item->kiosk_accepts)
    {
      g_set_error_literal (error, KIOSK_APPLY_ERROR, KIOSK_APPLY_ERROR_NOT_HERE,
                           item->where_to_apply ? item->where_to_apply
                                                : N_ ("This item cannot be applied for at this kiosk."));
      return FALSE;
    }
  if (self->item != item)
    {
      forget_application (self);
      self->item = kiosk_catalog_item_ref (item);
      if (self->proxy_resident)
        who = self->proxy_resident;
      else if (self->core)
        who = kiosk_session_get_identity (kiosk_core_get_session (self->core));
      self->draft = kiosk_case_draft_new (self->item, who);
      if (self->proxy_resident)
        kiosk_case_draft_set_agent (self->draft, self->proxy_agent_name, self->proxy_agent_id_number);
      kiosk_case_draft_prefill (self->draft);
      if (who && who->address && *who->address)
        self->post_address = g_strdup (who->address);
      /* Where the case is handled is named by the draft (the item's region
       * for a cross-region item): the submission carries it. */
      rebuild_steps (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
      draft_changed (self, "all");
    }
  go_to (self, KIOSK_APPLY_STEP_FORM);
  return TRUE;
}

const char *
kiosk_apply_journey_set_value (KioskApplyJourney *self, const char *field_id, const char *value)
{
  const KioskFormField *f;
  const char *msg;
  GDate today;
  g_autofree char *part = NULL;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  g_return_val_if_fail (field_id != NULL, NULL);
  touch (self);
  if (!can_edit (self, NULL))
    return N_ ("This application has already been handed in.");
  f = kiosk_catalog_item_find_field (self->item, field_id);
  if (f == NULL)
    return N_ ("This item has no such field.");
  get_today (self, &today);
  msg = kiosk_field_validate (f, value, &today);
  /* Kept as typed, wrong or not: the resident corrects it in place. */
  kiosk_case_draft_set_value (self->draft, field_id, value);
  if (msg)
    g_hash_table_replace (self->field_errors, g_strdup (field_id), (gpointer) msg);
  else
    g_hash_table_remove (self->field_errors, field_id);
  part = g_strconcat ("form:", field_id, NULL);
  draft_changed (self, part);
  return msg;
}

gboolean
kiosk_apply_journey_set_commitment (KioskApplyJourney *self, KioskCommitmentChoice choice, GError **error)
{
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  touch (self);
  if (!can_edit (self, error))
    return FALSE;
  if (choice == KIOSK_COMMITMENT_COMMIT && !kiosk_commitment_allowed (self->draft))
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW,
                   N_ ("This item does not take a signed commitment instead of the proof."));
  if (!kiosk_case_draft_set_commitment (self->draft, choice, &local))
    return refuse_domain (error, local, N_ ("This item does not take a signed commitment instead of the proof."));
  clear_problems (self);
  draft_changed (self, "commitment");
  for (guint i = 0; i < self->item->n_materials; i++)
    material_changed (self, i);
  return TRUE;
}

gboolean
kiosk_apply_journey_set_signature (KioskApplyJourney *self, GBytes *png, GError **error)
{
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  touch (self);
  if (!can_edit (self, error))
    return FALSE;
  if (png && kiosk_case_draft_get_commitment (self->draft) != KIOSK_COMMITMENT_COMMIT)
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("First choose to sign the commitment."));
  if (!kiosk_case_draft_set_signature (self->draft, png, &local))
    return refuse_domain (error, local, N_ ("The signature could not be kept. Please sign again."));
  clear_problems (self);
  draft_changed (self, "signature");
  return TRUE;
}

gboolean
kiosk_apply_journey_set_scan_target (KioskApplyJourney *self, int index, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  touch (self);
  if (!can_edit (self, error))
    return FALSE;
  if (index >= 0)
    {
      KioskMaterialState s;
      if ((guint) index >= self->item->n_materials
          || self->item->materials[index].provided_by != KIOSK_PROVIDED_BY_SCAN)
        return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("This material is not scanned."));
      s = kiosk_case_draft_get_material_state (self->draft, (guint) index);
      if (s == KIOSK_MATERIAL_COMMITTED)
        return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("Your signed commitment replaces this material."));
    }
  if (self->scan_target != (index < 0 ? -1 : index))
    {
      int was = self->scan_target;
      self->scan_target = index < 0 ? -1 : index;
      /* the page shows which material is being scanned (停止拍摄, the
       * hint): both the one left and the one chosen change */
      if (was >= 0)
        material_changed (self, (guint) was);
      if (self->scan_target >= 0)
        material_changed (self, (guint) self->scan_target);
      /* a page already lying on the mat is taken once it is still */
      if (self->scan_target >= 0 && KIOSK_IS_CAMERA_DEVICE (self->camera))
        kiosk_camera_device_retake (KIOSK_CAMERA_DEVICE (self->camera));
    }
  return TRUE;
}

void
kiosk_apply_journey_retake (KioskApplyJourney *self, guint index)
{
  g_return_if_fail (KIOSK_IS_APPLY_JOURNEY (self));
  touch (self);
  if (!can_edit (self, NULL) || index >= self->item->n_materials)
    return;
  kiosk_case_draft_clear_pages (self->draft, index);
  material_changed (self, index);
}

gboolean
kiosk_apply_journey_take_picture (KioskApplyJourney *self, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  touch (self);
  if (!can_edit (self, error))
    return FALSE;
  if (kiosk_apply_journey_get_current_step (self) != KIOSK_APPLY_STEP_MATERIALS || self->scan_target < 0)
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("First choose which material you are scanning."));
  if (self->camera_state != KIOSK_APPLY_CAMERA_READY || !KIOSK_IS_CAMERA_DEVICE (self->camera))
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("The document camera is not working."));
  if (!kiosk_camera_device_capture (KIOSK_CAMERA_DEVICE (self->camera)))
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("The camera is busy. Please wait a moment."));
  return TRUE;
}

gboolean
kiosk_apply_journey_retake_last (KioskApplyJourney *self, guint index)
{
  guint n;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  if (self->draft == NULL || index >= self->item->n_materials)
    return FALSE;
  n = kiosk_case_draft_get_n_pages (self->draft, index);
  if (n == 0 || !kiosk_apply_journey_remove_page (self, index, n - 1))
    return FALSE;
  /* the page still on the mat is taken again once it lies still */
  if (KIOSK_IS_CAMERA_DEVICE (self->camera))
    kiosk_camera_device_retake (KIOSK_CAMERA_DEVICE (self->camera));
  return TRUE;
}

gboolean
kiosk_apply_journey_remove_page (KioskApplyJourney *self, guint index, guint page)
{
  g_autoptr (GPtrArray) keep = NULL;
  guint n;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  touch (self);
  if (!can_edit (self, NULL) || index >= self->item->n_materials)
    return FALSE;
  n = kiosk_case_draft_get_n_pages (self->draft, index);
  if (page >= n)
    return FALSE;
  /* The draft keeps pages in order and drops them together: keep
   * references to the others, drop all, add the others back. A page's
   * buffer is zeroed when its last reference goes. */
  keep = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < n; i++)
    {
      const KioskCaseAttachment *a = kiosk_case_draft_get_page (self->draft, index, i);
      if (i != page && a && a->data)
        g_ptr_array_add (keep, g_bytes_ref (a->data));
    }
  {
    g_autofree char *media_type = g_strdup (kiosk_case_draft_get_page (self->draft, index, 0)->media_type);
    kiosk_case_draft_clear_pages (self->draft, index);
    for (guint i = 0; i < keep->len; i++)
      if (!kiosk_case_draft_add_page (self->draft, index, media_type, keep->pdata[i], NULL))
        g_warn_if_reached ();
  }
  material_changed (self, index);
  return TRUE;
}

gboolean
kiosk_apply_journey_owe_material (KioskApplyJourney *self, guint index, GError **error)
{
  g_autoptr (GError) local = NULL;
  GDate today;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  touch (self);
  if (!can_edit (self, error))
    return FALSE;
  if (!kiosk_apply_journey_can_owe (self, index))
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("This material cannot be handed in later for this item."));
  get_today (self, &today);
  if (!kiosk_case_draft_owe_material (self->draft, index, &today, &local))
    return refuse_domain (error, local, N_ ("This material cannot be handed in later for this item."));
  if (self->scan_target == (int) index)
    self->scan_target = -1;
  clear_problems (self);
  material_changed (self, index);
  return TRUE;
}

void
kiosk_apply_journey_unowe_material (KioskApplyJourney *self, guint index)
{
  g_return_if_fail (KIOSK_IS_APPLY_JOURNEY (self));
  touch (self);
  if (!can_edit (self, NULL) || index >= self->item->n_materials
      || kiosk_case_draft_get_material_state (self->draft, index) != KIOSK_MATERIAL_OWED)
    return;
  kiosk_case_draft_unowe_material (self->draft, index);
  material_changed (self, index);
}

gboolean
kiosk_apply_journey_set_delivery (KioskApplyJourney *self, KioskDelivery method, const char *address, GError **error)
{
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  touch (self);
  if (!can_edit (self, error))
    return FALSE;
  if (!kiosk_catalog_item_offers_delivery (self->item, method))
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("This item does not offer this way of delivery."));
  if (method == KIOSK_DELIVERY_POST)
    {
      if (address == NULL)
        address = self->post_address;
      if (blank (address))
        return refuse (error, KIOSK_APPLY_ERROR_INCOMPLETE, N_ ("Enter the address to post the result to."));
      if (!kiosk_domain_text_ok (address, FALSE))
        return refuse (error, KIOSK_APPLY_ERROR_INCOMPLETE, N_ ("This contains characters that cannot be used."));
      if (g_utf8_strlen (address, -1) > KIOSK_DOMAIN_MAX_VALUE_CHARS)
        return refuse (error, KIOSK_APPLY_ERROR_INCOMPLETE, N_ ("This is too long."));
    }
  if (!kiosk_case_draft_set_delivery (self->draft, method, method == KIOSK_DELIVERY_POST ? address : NULL, &local))
    return refuse_domain (error, local, N_ ("This item does not offer this way of delivery."));
  if (method == KIOSK_DELIVERY_POST && address != self->post_address)
    {
      g_clear_pointer (&self->post_address, kiosk_secure_free);
      self->post_address = g_strdup (address);
    }
  clear_problems (self);
  draft_changed (self, "delivery");
  return TRUE;
}

gboolean
kiosk_apply_journey_next (KioskApplyJourney *self, GError **error)
{
  KioskApplyStep step;
  gboolean ok = TRUE;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  touch (self);
  step = kiosk_apply_journey_get_current_step (self);
  if (step == KIOSK_APPLY_STEP_DONE)
    return kiosk_apply_journey_finish (self) || refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("Please wait."));
  if (!can_edit (self, error))
    return FALSE;
  if (step == KIOSK_APPLY_STEP_REVIEW)
    return kiosk_apply_journey_submit (self, error);
  clear_problems (self);
  switch (step)
    {
    case KIOSK_APPLY_STEP_FORM:
      ok = check_form (self);
      break;
    case KIOSK_APPLY_STEP_COMMITMENT:
      ok = check_commitment (self);
      break;
    case KIOSK_APPLY_STEP_MATERIALS:
      ok = check_materials (self);
      break;
    case KIOSK_APPLY_STEP_DELIVERY:
      ok = check_delivery (self);
      if (ok)
        check_all (self); /* the review shows what is still missing, all at once */
      break;
    case KIOSK_APPLY_STEP_ITEM:
    case KIOSK_APPLY_STEP_REVIEW:
    case KIOSK_APPLY_STEP_DONE:
    default:
      break;
    }
  if (!ok)
    {
      if (step == KIOSK_APPLY_STEP_FORM)
        draft_changed (self, "form");
      return refuse (error, KIOSK_APPLY_ERROR_INCOMPLETE, N_ ("Something is still missing. Please see the list."));
    }
  {
    /* go_on clears the problems; the review keeps the complete list. */
    GPtrArray *pending = g_steal_pointer (&self->problems);
    self->problems = g_ptr_array_new_with_free_func (g_free);
    go_on (self);
    g_ptr_array_unref (self->problems);
    self->problems = pending;
  }
  return TRUE;
}

gboolean
kiosk_apply_journey_go_to_step (KioskApplyJourney *self, KioskApplyStep step, GError **error)
{
  int index;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  touch (self);
  if (!can_edit (self, error))
    return FALSE;
  index = step_index (self, step);
  if (index < 0 || step >= KIOSK_APPLY_STEP_REVIEW || (guint) index >= kiosk_journey_get_step (KIOSK_JOURNEY (self)))
    return refuse (error, KIOSK_APPLY_ERROR_NOT_NOW, N_ ("This part cannot be opened from here."));
  go_to (self, step);
  return TRUE;
}

KioskServiceEvent *
kiosk_apply_journey_make_event (KioskApplyJourney *self)
{
  const KioskIdentity *who;
  KioskServiceEvent *event;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), NULL);
  if (self->submit_state != KIOSK_APPLY_SUBMIT_ACCEPTED || self->case_number == NULL)
    return NULL;
  event = kiosk_service_event_new (self->case_number, self->item->code, "apply");
  /* The resident filed the case with their own card: they are its
   * applicant, and they rate it. */
  who = kiosk_case_draft_get_applicant (self->draft);
  if (who && who->id_number)
    event->applicant_id_number = g_strdup (who->id_number);
  return event;
}

gboolean
kiosk_apply_journey_finish (KioskApplyJourney *self)
{
  g_autoptr (KioskServiceEvent) event = NULL;

  g_return_val_if_fail (KIOSK_IS_APPLY_JOURNEY (self), FALSE);
  g_clear_handle_id (&self->rating_id, g_source_remove);
  event = kiosk_apply_journey_make_event (self);
  if (event && self->proxy_resident)
    {
      /* 代办: the agent's journey goes on; the resident rates at hand-over. */
      g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
      return TRUE;
    }
  if (event == NULL || self->core == NULL)
    return FALSE;
  return kiosk_session_journey_done_with_event (kiosk_core_get_session (self->core), event);
}

void
_kiosk_apply_journey_set_rating_delay (KioskApplyJourney *self, guint seconds)
{
  g_return_if_fail (KIOSK_IS_APPLY_JOURNEY (self));
  self->rating_delay_seconds = seconds;
}

void
_kiosk_apply_journey_set_today (KioskApplyJourney *self, const GDate *today)
{
  g_return_if_fail (KIOSK_IS_APPLY_JOURNEY (self));
  g_clear_pointer (&self->today, g_date_free);
  if (today && g_date_valid (today))
    self->today = g_date_copy (today);
}

/* ---- GObject ------------------------------------------------------------------- */

static void
kiosk_apply_journey_dispose (GObject *object)
{
  KioskApplyJourney *self = KIOSK_APPLY_JOURNEY (object);

  /* No signals from a disposing object: drop everything quietly (the
   * draft's free overwrites it). */
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->rating_id, g_source_remove);
  g_clear_pointer (&self->draft, kiosk_case_draft_free);
  g_clear_pointer (&self->item, kiosk_catalog_item_unref);
  g_clear_pointer (&self->post_address, kiosk_secure_free);
  kiosk_apply_journey_set_proxy (self, NULL, NULL, NULL, NULL, NULL);
  g_clear_pointer (&self->print_message, g_free);
  g_clear_pointer (&self->case_number, g_free);
  G_OBJECT_CLASS (kiosk_apply_journey_parent_class)->dispose (object);
}

static void
kiosk_apply_journey_finalize (GObject *object)
{
  KioskApplyJourney *self = KIOSK_APPLY_JOURNEY (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->catalog, kiosk_catalog_free);
  g_clear_pointer (&self->field_errors, g_hash_table_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->today, g_date_free);
  G_OBJECT_CLASS (kiosk_apply_journey_parent_class)->finalize (object);
}

static void
kiosk_apply_journey_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskApplyJourney *self = KIOSK_APPLY_JOURNEY (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_ITEM:
      g_value_set_boxed (value, self->item);
      break;
    case PROP_SUBMIT_STATE:
      g_value_set_int (value, self->submit_state);
      break;
    case PROP_PRINT_STATE:
      g_value_set_int (value, compute_print_state (self));
      break;
    case PROP_CAMERA_STATE:
      g_value_set_int (value, self->camera_state);
      break;
    case PROP_CASE_NUMBER:
      g_value_set_string (value, self->case_number);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_apply_journey_class_init (KioskApplyJourneyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  KioskJourneyClass *journey_class = KIOSK_JOURNEY_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = kiosk_apply_journey_dispose;
  object_class->finalize = kiosk_apply_journey_finalize;
  object_class->get_property = kiosk_apply_journey_get_property;
  journey_class->begin = apply_begin;
  journey_class->wipe = apply_wipe;
  journey_class->page_captured = apply_page_captured;
  journey_class->print_progress = apply_print_progress;
  journey_class->back = apply_back;

  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, ro);
  properties[PROP_ITEM] = g_param_spec_boxed ("item", NULL, NULL, KIOSK_TYPE_CATALOG_ITEM, ro);
  properties[PROP_SUBMIT_STATE] = g_param_spec_int ("submit-state", NULL, NULL, KIOSK_APPLY_SUBMIT_IDLE,
                                                    KIOSK_APPLY_SUBMIT_FAILED, KIOSK_APPLY_SUBMIT_IDLE, ro);
  properties[PROP_PRINT_STATE] = g_param_spec_int ("print-state", NULL, NULL, KIOSK_APPLY_PRINT_NONE,
                                                   KIOSK_APPLY_PRINT_FAILED, KIOSK_APPLY_PRINT_NONE, ro);
  properties[PROP_CAMERA_STATE] = g_param_spec_int ("camera-state", NULL, NULL, KIOSK_APPLY_CAMERA_READY,
                                                    KIOSK_APPLY_CAMERA_GONE, KIOSK_APPLY_CAMERA_READY, ro);
  properties[PROP_CASE_NUMBER] = g_param_spec_string ("case-number", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ITEMS_CHANGED] = g_signal_new ("items-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                                NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_DRAFT_CHANGED] = g_signal_new ("draft-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                                NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_SCAN_FAILED] = g_signal_new ("scan-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                              NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_FINISHED]
      = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kiosk_apply_journey_init (KioskApplyJourney *self)
{
  self->cancellable = g_cancellable_new ();
  self->field_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->problems = g_ptr_array_new_with_free_func (g_free);
  self->scan_target = -1;
  self->camera_state = KIOSK_APPLY_CAMERA_GONE;
  self->rating_delay_seconds = RATING_DELAY_SECONDS;
  rebuild_steps (self);
}

KioskJourney *
kiosk_apply_journey_new (KioskCore *core)
{
  KioskApplyJourney *self = g_object_new (KIOSK_TYPE_APPLY_JOURNEY, "id", "apply", "title", N_ ("Apply"),
                                          "requires-identity", TRUE, "available", TRUE, NULL);

  self->core = core;
  if (core)
    {
      self->camera = kiosk_device_manager_get (kiosk_core_get_devices (core), "camera");
      if (self->camera)
        g_signal_connect_object (self->camera, "notify::state", G_CALLBACK (camera_state_cb), self, 0);
    }
  update_camera_state (self);
  return KIOSK_JOURNEY (self);
}
