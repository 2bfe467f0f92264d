/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-agent"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sodium.h>

#include "kiosk-agent-auth.h"
#include "kiosk-identity.h"

static void
agent_free (KioskAgent *a)
{
  g_free (a->id);
  g_free (a->name);
  g_free (a->id_number_hash);
  g_free (a->pin_hash);
  g_free (a);
}

void
kiosk_agent_list_free (KioskAgentList *self)
{
  if (self == NULL)
    return;
  g_free (self->station_id);
  g_free (self->station_name);
  g_free (self->id_salt);
  g_clear_pointer (&self->agents, g_ptr_array_unref);
  g_free (self);
}

static const char *
member (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n)
                                                                                         : NULL;
}

KioskAgentList *
kiosk_agent_list_parse (const char *json, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (KioskAgentList) list = NULL;
  JsonObject *root, *station;
  JsonNode *agents;

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || (agents = json_object_get_member (root = json_node_get_object (json_parser_get_root (parser)), "agents"))
             == NULL
      || !JSON_NODE_HOLDS_ARRAY (agents) || member (root, "id_salt") == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "agents: expected {\"id_salt\": ..., \"agents\": [...]}");
      return NULL;
    }
  list = g_new0 (KioskAgentList, 1);
  list->agents = g_ptr_array_new_with_free_func ((GDestroyNotify) agent_free);
  list->id_salt = g_strdup (member (root, "id_salt"));
  station
      = json_object_has_member (root, "station") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "station"))
            ? json_object_get_object_member (root, "station")
            : NULL;
  list->station_id = g_strdup (member (station, "id"));
  list->station_name = g_strdup (member (station, "name"));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (agents)); i++)
    {
      JsonNode *n = json_array_get_element (json_node_get_array (agents), i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      const char *id = member (o, "id"), *name = member (o, "name"), *h = member (o, "id_number_hash"),
                 *pin = member (o, "pin_hash");
      KioskAgent *a;

      if (id == NULL || *id == '\0' || name == NULL || h == NULL || !kiosk_pin_hash_is_valid (pin))
        {
          g_warning ("agents: entry %u left out (incomplete)", i);
          continue;
        }
      a = g_new0 (KioskAgent, 1);
      a->id = g_strdup (id);
      a->name = g_strdup (name);
      a->id_number_hash = g_ascii_strdown (h, -1);
      a->pin_hash = g_strdup (pin);
      g_ptr_array_add (list->agents, a);
    }
  return g_steal_pointer (&list);
}

KioskAgentList *
kiosk_agent_list_load (KioskStore *store, GError **error)
{
  g_autofree char *json = NULL;
  GError *local = NULL;

  json = kiosk_store_get_meta (store, "agents", &local);
  if (local)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return json ? kiosk_agent_list_parse (json, error) : NULL;
}

const KioskAgent *
kiosk_agent_list_find_by_id_number (const KioskAgentList *self, const char *id_number)
{
  g_autofree char *upper = NULL, *salted = NULL, *hash = NULL;
  const KioskAgent *found = NULL;

  if (self == NULL || id_number == NULL || *id_number == '\0')
    return NULL;
  upper = g_ascii_strup (id_number, -1);
  salted = g_strconcat (self->id_salt, ":", upper, NULL);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, salted, -1);
  for (guint i = 0; i < self->agents->len && found == NULL; i++)
    {
      const KioskAgent *a = self->agents->pdata[i];
      if (strlen (a->id_number_hash) == strlen (hash) && sodium_memcmp (a->id_number_hash, hash, strlen (hash)) == 0)
        found = a;
    }
  sodium_memzero (upper, strlen (upper));
  sodium_memzero (salted, strlen (salted));
  return found;
}

const KioskAgent *
kiosk_agent_list_find (const KioskAgentList *self, const char *agent_id)
{
  for (guint i = 0; self && agent_id && i < self->agents->len; i++)
    if (g_str_equal (((KioskAgent *) self->agents->pdata[i])->id, agent_id))
      return self->agents->pdata[i];
  return NULL;
}

/* ---- wrong PINs: kiosk-pin.c, counted under "agent_pin:<agent id>" ------- */

static char *
state_key (const KioskAgent *agent)
{
  return g_strconcat ("agent_pin:", agent->id, NULL);
}

void
kiosk_agent_pin_state_load (KioskStore *store, const KioskAgent *agent, KioskPinState *out)
{
  g_autofree char *key = state_key (agent);

  kiosk_pin_state_load (store, key, agent->pin_hash, out);
}

gboolean
kiosk_agent_pin_state_save (KioskStore *store, const KioskAgent *agent, const KioskPinState *state, GError **error)
{
  g_autofree char *key = state_key (agent);

  return kiosk_pin_state_save (store, key, agent->pin_hash, state, error);
}
