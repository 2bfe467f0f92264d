/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idcard-device.h"
#include "idcard-json.h"
#include "idcard-transport.h"
#include "kioskctl.h"

static void
idcard_usage (FILE *out)
{
  fprintf (out, "Usage: kioskctl idcard decode < FRAME.hex\n"
                "       kioskctl [--config FILE] idcard read [--timeout SECONDS]\n\n"
                "decode  reads one reader-to-host frame as hex text on stdin and prints one JSON\n"
                "        object: the card (exit 0) or {\"error\": ...} (exit 2)\n"
                "read    reads one card from the configured reader and prints the same JSON\n"
                "        (exit 1 when no card or the reader fails)\n");
}

static int
idcard_decode (void)
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
  printf ("%s\n", json);
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
    {
      fprintf (stderr, "kioskctl: --timeout needs a positive number of seconds\n");
      return KIOSKCTL_EXIT_USAGE;
    }
  config = kioskctl_config (ctx);
  if (config == NULL)
    return KIOSKCTL_EXIT_USAGE;
  card = idcard_read_once (config, timeout_s * 1000, &error);
  if (card == NULL)
    {
      json = idcard_error_to_json (error_name (error), error->message, -1);
      printf ("%s\n", json);
      return KIOSKCTL_EXIT_FAIL;
    }
  json = idcard_card_to_json (card);
  printf ("%s\n", json);
  explicit_bzero (json, strlen (json));
  return KIOSKCTL_EXIT_OK;
}

int
kioskctl_idcard (KioskctlContext *ctx, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "decode") && argc == 2)
    return idcard_decode ();
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
