/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-guide"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "kiosk-core.h"
#include "kiosk-domain-codec.h"
#include "kiosk-guide-journey.h"
#include "printer-device.h"

struct _KioskGuideJourney {
  KioskJourney parent_instance;
  KioskCore *core; /* weak */
  JsonArray *items;
  KioskCatalog *typed; /* the same items decoded (app/domain), or NULL */
  GTask *print_task;   /* the page's print_async, until print_progress says */
  gboolean loading;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (KioskGuideJourney, kiosk_guide_journey, KIOSK_TYPE_JOURNEY)

enum { PROP_0, PROP_LOADING, PROP_ITEMS, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* What the worker thread read: the items as sent and as decoded. */
typedef struct {
  JsonArray *items;
  KioskCatalog *typed;
} Loaded;

static void
loaded_free (Loaded *l)
{
  g_clear_pointer (&l->items, json_array_unref);
  g_clear_pointer (&l->typed, kiosk_catalog_free);
  g_free (l);
}

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  KioskStore *store = data;
  GError *error = NULL;
  g_autofree char *json = kiosk_store_get_catalog (store, &error);
  g_autofree char *document = NULL;
  g_autoptr (GPtrArray) skipped = NULL;
  g_autoptr (JsonNode) node = NULL;
  Loaded *l;

  if (json == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  node = json_from_string (json, &error);
  if (node == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "catalog is not a JSON array");
      return;
    }
  l = g_new0 (Loaded, 1);
  l->items = json_array_ref (json_node_get_array (node));
  /* The store keeps the items; the codec reads the catalog document. */
  document = g_strdup_printf ("{\"items\":%s}", json);
  l->typed = kiosk_catalog_decode (document, strlen (document), &skipped, &error);
  if (l->typed == NULL)
    {
      g_warning ("catalog not usable: %s", error->message);
      g_clear_error (&error);
    }
  for (guint i = 0; skipped && i < skipped->len; i++)
    g_warning ("catalog item left out: %s", (const char *) skipped->pdata[i]);
  g_task_return_pointer (task, l, (GDestroyNotify) loaded_free);
}

static void
set_items (KioskGuideJourney *self, JsonArray *items, KioskCatalog *typed)
{
  g_clear_pointer (&self->items, json_array_unref);
  self->items = items;
  g_clear_pointer (&self->typed, kiosk_catalog_free);
  self->typed = typed;
}

guint
kiosk_guide_journey_get_n_items (KioskGuideJourney *self)
{
  g_return_val_if_fail (KIOSK_IS_GUIDE_JOURNEY (self), 0);
  return self->typed ? self->typed->items->len : 0;
}

const KioskCatalogItem *
kiosk_guide_journey_get_item (KioskGuideJourney *self, guint index)
{
  g_return_val_if_fail (KIOSK_IS_GUIDE_JOURNEY (self), NULL);
  return index < kiosk_guide_journey_get_n_items (self) ? self->typed->items->pdata[index] : NULL;
}

const KioskCatalogItem *
kiosk_guide_journey_lookup (KioskGuideJourney *self, const char *code)
{
  g_return_val_if_fail (KIOSK_IS_GUIDE_JOURNEY (self), NULL);
  return self->typed && code ? kiosk_catalog_find (self->typed, code) : NULL;
}

static void
set_loading (KioskGuideJourney *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskGuideJourney *self = KIOSK_GUIDE_JOURNEY (source);
  g_autoptr (GError) error = NULL;
  Loaded *l = g_task_propagate_pointer (G_TASK (result), &error);

  if (l == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("cannot read the catalog: %s", error->message);
      set_items (self, json_array_new (), NULL);
    }
  else
    {
      set_items (self, g_steal_pointer (&l->items), g_steal_pointer (&l->typed));
      loaded_free (l);
    }
  set_loading (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS]);
}

static void
guide_begin (KioskJourney *journey)
{
  KioskGuideJourney *self = KIOSK_GUIDE_JOURNEY (journey);
  KioskStore *store = kiosk_core_get_store (self->core);
  g_autoptr (GTask) task = NULL;

  if (store == NULL)
    {
      set_items (self, json_array_new (), NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS]);
      return;
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  task = g_task_new (self, self->cancellable, loaded_cb, NULL);
  g_task_set_task_data (task, g_object_ref (store), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

gboolean
kiosk_guide_journey_get_loading (KioskGuideJourney *self)
{
  return self->loading;
}

JsonArray *
kiosk_guide_journey_get_items (KioskGuideJourney *self)
{
  return self->items;
}

JsonObject *
kiosk_guide_journey_find (KioskGuideJourney *self, const char *code)
{
  for (guint i = 0; self->items && i < json_array_get_length (self->items); i++)
    {
      JsonObject *o = json_array_get_object_element (self->items, i);
      if (o && g_strcmp0 (json_object_get_string_member_with_default (o, "code", NULL), code) == 0)
        return o;
    }
  return NULL;
}

GStrv
kiosk_guide_journey_dup_departments (KioskGuideJourney *self)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < kiosk_guide_journey_get_n_items (self); i++)
    {
      const char *d = kiosk_guide_journey_get_item (self, i)->department;
      if (d && g_hash_table_add (seen, (gpointer) d))
        g_strv_builder_add (b, d);
    }
  return g_strv_builder_end (b);
}

const char *
kiosk_catalog_text (JsonObject *item, const char *member)
{
  JsonNode *n = item ? json_object_get_member (item, member) : NULL;

  if (n && JSON_NODE_HOLDS_OBJECT (n))
    {
      JsonObject *o = json_node_get_object (n);
      return json_object_get_string_member_with_default (o, "name",
                                                         json_object_get_string_member_with_default (o, "text", NULL));
    }
  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

JsonObject *
kiosk_guide_print_data (JsonObject *item, KioskConfig *config)
{
  JsonObject *d = json_object_new ();
  JsonNode *n;
  g_autofree char *station = kiosk_config_get_string (config, "kiosk", "station");
  g_autofree char *phone = kiosk_config_get_string (config, "kiosk", "phone");

  json_object_set_string_member (d, "item_name", json_object_get_string_member_with_default (item, "name", ""));
  if (kiosk_catalog_text (item, "department"))
    json_object_set_string_member (d, "department", kiosk_catalog_text (item, "department"));
  if (kiosk_catalog_text (item, "item_type"))
    json_object_set_string_member (d, "item_type", kiosk_catalog_text (item, "item_type"));
  n = json_object_get_member (item, "time_limit_days");
  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
    json_object_set_int_member (d, "time_limit_days", json_node_get_int (n));
  if (kiosk_catalog_text (item, "fee"))
    json_object_set_string_member (d, "fee", kiosk_catalog_text (item, "fee"));
  /* The catalog's "handling" is the level that accepts and decides
   * (村级受理、乡镇或县级办结), not a place. */
  if (json_object_get_string_member_with_default (item, "handling", NULL))
    json_object_set_string_member (d, "handling", json_object_get_string_member (item, "handling"));
  if (json_object_get_string_member_with_default (item, "legal_basis", NULL))
    json_object_set_string_member (d, "legal_basis", json_object_get_string_member (item, "legal_basis"));
  json_object_set_boolean_member (d, "commitment",
                                  json_object_get_boolean_member_with_default (item, "commitment_allowed", FALSE));
  n = json_object_get_member (item, "materials");
  if (n && JSON_NODE_HOLDS_ARRAY (n))
    {
      JsonArray *src = json_node_get_array (n);
      JsonArray *mats = json_array_new ();
      for (guint i = 0; i < json_array_get_length (src); i++)
        {
          JsonNode *m = json_array_get_element (src, i);
          JsonObject *out = json_object_new ();
          if (JSON_NODE_HOLDS_OBJECT (m))
            {
              JsonObject *mo = json_node_get_object (m);
              gboolean required = json_object_get_boolean_member_with_default (mo, "required", TRUE);
              gboolean deferrable = json_object_get_boolean_member_with_default (mo, "deferrable", FALSE);
              json_object_set_string_member (out, "name", json_object_get_string_member_with_default (mo, "name", ""));
              json_object_set_string_member (out, "note", deferrable ? "可容缺后补" : required ? "必交" : "如有");
            }
          else
            json_object_set_string_member (out, "name", json_node_get_string (m) ? json_node_get_string (m) : "");
          json_array_add_object_element (mats, out);
        }
      json_object_set_array_member (d, "materials", mats);
    }
  if (station)
    json_object_set_string_member (d, "station", station);
  if (phone && *phone)
    json_object_set_string_member (d, "phone", phone);
  return d;
}

/* The printer's answer, through the core (kiosk_core_journey_print):
 * completes the page's print_async. */
static void
guide_print_progress (KioskJourney *journey, const char *document, KioskJourneyPrintState state, const char *message)
{
  KioskGuideJourney *self = KIOSK_GUIDE_JOURNEY (journey);
  g_autoptr (GTask) task = NULL;

  if (state == KIOSK_JOURNEY_PRINT_SENT || self->print_task == NULL)
    return;
  task = g_steal_pointer (&self->print_task);
  if (state == KIOSK_JOURNEY_PRINT_DONE)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", message ? message : "");
}

void
kiosk_guide_journey_print_async (KioskGuideJourney *self, const char *code, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  JsonObject *item = kiosk_guide_journey_find (self, code);
  g_autoptr (JsonObject) data = NULL;

  g_task_set_source_tag (task, kiosk_guide_journey_print_async);
  if (item == NULL || self->print_task != NULL)
    {
      /* No such item, or a guide is still printing (the page prevents it). */
      g_autoptr (GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no catalog item");
      g_task_return_new_error (task, error->domain, error->code, "%s", kiosk_print_error_message (error));
      return;
    }
  data = kiosk_guide_print_data (item, kiosk_core_get_config (self->core));
  self->print_task = g_steal_pointer (&task);
  kiosk_core_journey_print (self->core, KIOSK_JOURNEY (self), "guide", data, NULL, cancellable);
}

gboolean
kiosk_guide_journey_print_finish (KioskGuideJourney *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
kiosk_guide_journey_finalize (GObject *object)
{
  KioskGuideJourney *self = KIOSK_GUIDE_JOURNEY (object);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->items, json_array_unref);
  g_clear_pointer (&self->typed, kiosk_catalog_free);
  G_OBJECT_CLASS (kiosk_guide_journey_parent_class)->finalize (object);
}

static void
kiosk_guide_journey_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskGuideJourney *self = KIOSK_GUIDE_JOURNEY (object);
  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_ITEMS:
      g_value_set_boxed (value, self->items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_guide_journey_class_init (KioskGuideJourneyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_guide_journey_finalize;
  object_class->get_property = kiosk_guide_journey_get_property;
  KIOSK_JOURNEY_CLASS (klass)->begin = guide_begin;
  KIOSK_JOURNEY_CLASS (klass)->print_progress = guide_print_progress;
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEMS] = g_param_spec_boxed ("items", NULL, NULL, JSON_TYPE_ARRAY,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_guide_journey_init (KioskGuideJourney *self)
{
  self->items = json_array_new ();
}

KioskJourney *
kiosk_guide_journey_new (KioskCore *core)
{
  KioskGuideJourney *self = g_object_new (KIOSK_TYPE_GUIDE_JOURNEY, "id", "guide", "title", N_ ("Service guide"),
                                          "requires-identity", FALSE, "available", TRUE, NULL);
  self->core = core;
  return KIOSK_JOURNEY (self);
}
