/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "idcard-device.h"
#include "idcard-json.h"
#include "idcard-transport.h"
#include "kioskctl.h"

static void
idcard_usage (FILE *out)
{
  fprintf (out, "Usage: kioskctl [--json] idcard decode < FRAME.hex\n"
                "       kioskctl [--config FILE] [--json] idcard read [--timeout SECONDS]\n\n"
                "decode  reads one reader-to-host frame as hex text on stdin and prints the card,\n"
                "        one \"field: value\" a line (exit 0), or why not on stderr (exit 2)\n"
                "read    reads one card from the configured reader and prints it the same way\n"
                "        (exit 1 when no card or the reader fails; refused while the kiosk runs:\n"
                "        the reader is in use by the kiosk)\n"
                "--json  the card as one JSON object, or {\"error\": ...}, on stdout\n");
}

/* Prints the card (or error) JSON object @json: as it is with --json, else
 * the card one "field: value" a line, and an error on stderr. */
static void
print_card (KioskctlContext *ctx, const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o;
  g_autoptr (GList) members = NULL;

  if (ctx->json)
    {
      kioskctl_print_json_text (json);
      return;
    }
  if (!json_parser_load_from_data (parser, json, -1, NULL) || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  o = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (o, "error"))
    {
      fprintf (stderr, "kioskctl: %s: %s\n", json_object_get_string_member_with_default (o, "error", "?"),
               json_object_get_string_member_with_default (o, "message", ""));
      return;
    }
  members = json_object_get_members (o);
  for (GList *m = members; m; m = m->next)
    {
      JsonNode *n = json_object_get_member (o, m->data);
      g_autofree char *value = json_node_get_value_type (n) == G_TYPE_STRING ? g_strdup (json_node_get_string (n))
                                                                             : json_to_string (n, FALSE);
      printf ("%s: %s\n", (const char *) m->data, value);
      explicit_bzero (value, strlen (value));
    }
}

static int
idcard_decode (KioskctlContext *ctx)
{
  g_autoptr (GString) in = g_string_new (NULL);
  g_autofree char *json = NULL;
  char buf[4096];
  size_t n;
  int rc;

  while ((n = fread (buf, 1, sizeof buf, stdin)) > 0)
    g_string_append_len (in, buf, (gssize) n);
  rc = idcard_decode_hex (in->str, &json);
  explicit_bzero (in->str, in->allocated_len);
  print_card (ctx, json);
  explicit_bzero (json, strlen (json));
  return rc == 0 ? KIOSKCTL_EXIT_OK : KIOSKCTL_EXIT_USAGE;
}

static const char *
error_name (const GError *error)
{
  if (error->domain != IDCARD_ERROR)
    return "device";
  switch (error->code)
    {
    case IDCARD_ERROR_NO_CARD:
      return "no-card";
    case IDCARD_ERROR_NOT_FOUND:
    case IDCARD_ERROR_DISCONNECTED:
      return "device";
    case IDCARD_ERROR_TIMEOUT:
      return "timeout";
    case IDCARD_ERROR_LENGTH:
      return "length";
    case IDCARD_ERROR_CHECKSUM:
      return "checksum";
    case IDCARD_ERROR_STATUS:
      return "status";
    case IDCARD_ERROR_FORMAT:
      return "format";
    default:
      return "device";
    }
}

/* A positive whole number of seconds, or -1. */
static int
parse_seconds (const char *s)
{
  char *end = NULL;
  gint64 v = g_ascii_strtoll (s, &end, 10);
  return (end == s || *end != '\0' || v <= 0 || v > 3600) ? -1 : (int) v;
}

static int
idcard_read (KioskctlContext *ctx, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SamCard) card = NULL;
  g_autofree char *json = NULL;
  KioskConfig *config;
  int timeout_s = 10;

  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--timeout") && i + 1 < argc)
        timeout_s = parse_seconds (argv[++i]);
      else if (g_str_has_prefix (argv[i], "--timeout="))
        timeout_s = parse_seconds (argv[i] + strlen ("--timeout="));
      else
        {
          idcard_usage (stderr);
          return KIOSKCTL_EXIT_USAGE;
        }
    }
  if (timeout_s <= 0)
    return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "--timeout needs a positive number of seconds");
  config = kioskctl_config (ctx);
  if (config == NULL)
    return KIOSKCTL_EXIT_USAGE;
  {
    /* Never take the reader (or the simulator's socket) from the kiosk. */
    KioskctlKiosk kiosk;
    gboolean held;

    kioskctl_kiosk_load (&kiosk, config);
    held = kiosk.status == KIOSKCTL_KIOSK_RUNNING || kiosk.status == KIOSKCTL_KIOSK_HUNG;
    kioskctl_kiosk_clear (&kiosk);
    if (held)
      {
        json = idcard_error_to_json ("in-use", "the ID card reader is in use by the kiosk: stop the kiosk first", -1);
        print_card (ctx, json);
        return KIOSKCTL_EXIT_FAIL;
      }
  }
  card = idcard_read_once (config, timeout_s * 1000, &error);
  if (card == NULL)
    {
      json = idcard_error_to_json (error_name (error), error->message, -1);
      print_card (ctx, json);
      return KIOSKCTL_EXIT_FAIL;
    }
  json = idcard_card_to_json (card);
  print_card (ctx, json);
  explicit_bzero (json, strlen (json));
  return KIOSKCTL_EXIT_OK;
}

int
kioskctl_idcard (KioskctlContext *ctx, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "decode") && argc == 2)
    return idcard_decode (ctx);
  if (argc >= 2 && g_str_equal (argv[1], "read"))
    return idcard_read (ctx, argc, argv);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "help")))
    {
      idcard_usage (stdout);
      return KIOSKCTL_EXIT_OK;
    }
  idcard_usage (stderr);
  return KIOSKCTL_EXIT_USAGE;
}
