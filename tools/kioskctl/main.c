/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kioskctl.h"

static const struct {
  const char *name;
  int (*run) (KioskctlContext *ctx, int argc, char **argv);
  const char *help;
} commands[] = {
  { "doctor", kioskctl_doctor, "doctor                 which backend each device uses and whether it answers" },
  { "idcard", kioskctl_idcard, "idcard decode|read     decode a reader frame (hex on stdin) / read a card" },
  { "print", kioskctl_print, "print render|test-page|status   documents and the printer" },
  { "queue", kioskctl_queue, "queue status           the offline outbox" },
  { "sync", kioskctl_sync, "sync run [--until-empty] [--timeout S]   run the sync engine" },
  { "demo", kioskctl_demo, "demo seed --cases N --pages K   enqueue synthetic cases" },
  { "barcode", kioskctl_barcode, "barcode decode FILE... decode barcodes in images" },
  { "scan", kioskctl_scan, "scan page IN OUT.jpg   run the page pipeline on a photo" },
  { "camera", kioskctl_camera, "camera list            list cameras" },
  { "pad", kioskctl_pad, "pad test               show evaluation pad key presses" },
};

static void
usage (FILE *out)
{
  fprintf (out, "Usage: kioskctl [--config FILE] [--json] COMMAND [ARGS]\n"
                "       kioskctl --version\n\n"
                "The kiosk technician's tool. Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %s\n", commands[i].help);
  fprintf (out,
           "\n--config FILE  configuration file (default %s)\n"
           "--json         machine-readable output\n",
           KIOSK_DEFAULT_CONFIG);
}

KioskConfig *
kioskctl_config (KioskctlContext *ctx)
{
  g_autoptr (GError) error = NULL;

  if (ctx->config)
    return ctx->config;
  ctx->config = kiosk_config_load (ctx->config_path, &error);
  if (ctx->config == NULL)
    fprintf (stderr, "kioskctl: %s\n", error->message);
  return ctx->config;
}

void
kioskctl_print_json (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
  fflush (stdout);
}

int
kioskctl_not_built (const char *what, int issue)
{
  fprintf (stderr, "kioskctl: '%s' is not built yet (issue #%d)\n", what, issue);
  return KIOSKCTL_EXIT_USAGE;
}

int
main (int argc, char **argv)
{
  KioskctlContext ctx = { 0 };
  g_autoptr (GPtrArray) rest = g_ptr_array_new ();
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options may stand anywhere; everything else goes to the command. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--config") && i + 1 < argc)
        ctx.config_path = argv[++i];
      else if (g_str_has_prefix (argv[i], "--config="))
        ctx.config_path = argv[i] + strlen ("--config=");
      else if (g_str_equal (argv[i], "--config"))
        {
          fprintf (stderr, "kioskctl: --config needs a file\n");
          return KIOSKCTL_EXIT_USAGE;
        }
      else if (g_str_equal (argv[i], "--json"))
        ctx.json = TRUE;
      else if (g_str_equal (argv[i], "--version") && rest->len == 0)
        {
          printf ("kioskctl %s\n", PACKAGE_VERSION);
          return 0;
        }
      else if ((g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h")) && rest->len == 0)
        {
          usage (stdout);
          return 0;
        }
      else
        g_ptr_array_add (rest, argv[i]);
    }
  g_ptr_array_add (rest, NULL);

  if (rest->len == 1)
    {
      usage (stderr);
      return KIOSKCTL_EXIT_USAGE;
    }

  status = -1;
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, rest->pdata[0]))
      {
        status = commands[i].run (&ctx, (int) rest->len - 1, (char **) rest->pdata);
        break;
      }
  if (status == -1)
    {
      fprintf (stderr, "kioskctl: unknown command '%s'\n\n", (char *) rest->pdata[0]);
      usage (stderr);
      status = KIOSKCTL_EXIT_USAGE;
    }
  g_clear_pointer (&ctx.config, kiosk_config_unref);
  return status;
}
