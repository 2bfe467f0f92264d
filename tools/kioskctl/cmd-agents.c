/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>

#include <json-glib/json-glib.h>

#include "kiosk-agent-auth.h"
#include "kiosk-agent-journey.h"
#include "kiosk-store.h"
#include "kioskctl.h"

/* 代办 (issue 15), read from the store the kiosk keeps:
 *   kioskctl agents        the station's agents as last downloaded (id,
 *                          name, wrong PINs, locked); never a PIN, a hash
 *                          or an ID number
 *   kioskctl proxy-cases   every proxy case held here with its agent,
 *                          deadline, late and handed over; late first */

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static KioskStore *
open_store (KioskctlContext *ctx, int *exit_code)
{
  KioskConfig *config = kioskctl_config (ctx);
  g_autoptr (GError) error = NULL;
  KioskStore *store;

  if (config == NULL)
    {
      *exit_code = KIOSKCTL_EXIT_USAGE;
      return NULL;
    }
  store = kiosk_store_open_from_config (config, &error);
  if (store == NULL)
    *exit_code = kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "%s", error->message);
  return store;
}

int
kioskctl_agents (KioskctlContext *ctx, int argc, char **argv)
{
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskAgentList) list = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  int rc = KIOSKCTL_EXIT_OK;

  if (argc != 1)
    {
      fprintf (stderr, "usage: kioskctl [--config FILE] [--json] agents\n");
      return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "usage: kioskctl agents");
    }
  if ((store = open_store (ctx, &rc)) == NULL)
    return rc;
  list = kiosk_agent_list_load (store, &error);
  if (error)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL, "the stored list of agents is damaged: %s", error->message);
  if (list == NULL)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_FAIL,
                           "no list of agents downloaded yet (the platform's GET /v1/agents; try kioskctl sync run)");
  if (!ctx->json)
    printf ("station: %s (%s), %u agents\n", list->station_name ? list->station_name : "?",
            list->station_id ? list->station_id : "?", list->agents->len);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "station");
  json_builder_begin_object (b);
  add_string (b, "id", list->station_id);
  add_string (b, "name", list->station_name);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "agents");
  json_builder_begin_array (b);
  for (guint i = 0; i < list->agents->len; i++)
    {
      const KioskAgent *a = list->agents->pdata[i];
      KioskPinState st;
      int wait;

      kiosk_agent_pin_state_load (store, a, &st);
      wait = kiosk_pin_state_wait (&st, g_get_real_time ());
      if (!ctx->json)
        printf ("  %-8s %s  %s\n", a->id, a->name,
                kiosk_pin_state_locked (&st) ? "LOCKED (too many wrong PINs; a new PIN from the platform unlocks)"
                : st.failures                ? "wrong PINs in a row"
                                             : "ok");
      if (!ctx->json && st.failures && !kiosk_pin_state_locked (&st))
        printf ("           %d wrong, next try in %d s\n", st.failures, wait);
      json_builder_begin_object (b);
      add_string (b, "id", a->id);
      add_string (b, "name", a->name);
      json_builder_set_member_name (b, "wrong_pins");
      json_builder_add_int_value (b, st.failures);
      json_builder_set_member_name (b, "locked");
      json_builder_add_boolean_value (b, kiosk_pin_state_locked (&st));
      json_builder_set_member_name (b, "wait_seconds");
      json_builder_add_int_value (b, wait);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (ctx->json)
    kioskctl_print_json (b);
  return KIOSKCTL_EXIT_OK;
}

int
kioskctl_proxy_cases (KioskctlContext *ctx, int argc, char **argv)
{
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (GPtrArray) cases = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  GDate today;
  int rc = KIOSKCTL_EXIT_OK;

  if (argc != 1)
    {
      fprintf (stderr, "usage: kioskctl [--config FILE] [--json] proxy-cases\n");
      return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "usage: kioskctl proxy-cases");
    }
  if ((store = open_store (ctx, &rc)) == NULL)
    return rc;
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay) g_date_time_get_day_of_month (now), (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
  cases = kiosk_agent_list_cases (store, NULL, &today, FALSE);
  if (!ctx->json)
    printf ("%u proxy cases\n", cases->len);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "cases");
  json_builder_begin_array (b);
  for (guint i = 0; i < cases->len; i++)
    {
      const KioskAgentCase *c = cases->pdata[i];

      if (!ctx->json)
        printf ("  %s  %s  %s  deadline %s%s%s  agent %s %s\n", c->number, c->item_code, c->item_name,
                c->deadline ? c->deadline : "none stated", c->late ? "  LATE" : "",
                c->handed_over ? "  handed over" : "", c->agent_id ? c->agent_id : "?",
                c->agent_name ? c->agent_name : "");
      json_builder_begin_object (b);
      add_string (b, "number", c->number);
      add_string (b, "provisional_number", c->provisional);
      add_string (b, "item_code", c->item_code);
      add_string (b, "item_name", c->item_name);
      add_string (b, "status_text", c->status_text);
      add_string (b, "deadline", c->deadline);
      json_builder_set_member_name (b, "late");
      json_builder_add_boolean_value (b, c->late);
      json_builder_set_member_name (b, "handed_over");
      json_builder_add_boolean_value (b, c->handed_over);
      json_builder_set_member_name (b, "agent");
      json_builder_begin_object (b);
      add_string (b, "id", c->agent_id);
      add_string (b, "name", c->agent_name);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (ctx->json)
    kioskctl_print_json (b);
  return KIOSKCTL_EXIT_OK;
}
