/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "kioskctl.h"

static const struct {
  const char *name;
  int (*run) (KioskctlContext *ctx, int argc, char **argv);
  const char *help;
} commands[] = {
  { "doctor", kioskctl_doctor,
    "doctor [--timeout S] [--no-network]   everything a technician checks, with or without a configuration" },
  { "idcard", kioskctl_idcard, "idcard decode|read     decode a reader frame (hex on stdin) / read a card" },
  { "print", kioskctl_print, "print render|test-page|status   documents and the printer" },
  { "queue", kioskctl_queue, "queue status           the offline outbox" },
  { "sync", kioskctl_sync, "sync run [--until-empty] [--timeout S]   run the sync engine" },
  { "demo", kioskctl_demo, "demo seed --cases N --pages K   enqueue synthetic cases" },
  { "barcode", kioskctl_barcode, "barcode decode FILE... decode barcodes in images" },
  { "scan", kioskctl_scan, "scan page IN OUT.jpg   run the page pipeline on a photo" },
  { "camera", kioskctl_camera, "camera list            list cameras" },
  { "pad", kioskctl_pad, "pad test               show evaluation pad key presses" },
  { "guide", kioskctl_guide, "guide search QUERY     find catalog items (Chinese, pinyin, initials, code)" },
  { "agents", kioskctl_agents, "agents                 the station's agents (no PINs, no hashes), locked or not" },
  { "proxy-cases", kioskctl_proxy_cases, "proxy-cases            代办 cases with deadlines, late first" },
  { "pin-hash", kioskctl_pin_hash, "pin-hash               hash a PIN read from stdin for [maintenance] pin-hash" },
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
           "--json         JSON on stdout, errors included\n\n"
           "Exit codes: 0 done, 1 failed (or doctor: findings), 2 bad usage or input.\n"
           "No command disturbs a running kiosk's devices, sockets or files.\n"
           "See docs/kioskctl.md.\n",
           KIOSK_DEFAULT_CONFIG);
}

/* --json: whether the command printed JSON, and its last error. */
static gboolean json_printed;
static char *last_error;

int
kioskctl_error (KioskctlContext *ctx, int exit_code, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_free (last_error);
  last_error = g_strdup_vprintf (format, args);
  va_end (args);
  if (!ctx->json)
    fprintf (stderr, "kioskctl: %s\n", last_error);
  return exit_code;
}

KioskConfig *
kioskctl_config (KioskctlContext *ctx)
{
  g_autoptr (GError) error = NULL;

  if (ctx->config)
    return ctx->config;
  ctx->config = kiosk_config_load (ctx->config_path, &error);
  if (ctx->config == NULL)
    kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE, "%s", error->message);
  return ctx->config;
}

void
kioskctl_print_json_text (const char *json)
{
  printf ("%s\n", json);
  fflush (stdout);
  json_printed = TRUE;
}

void
kioskctl_print_json_node (JsonNode *node)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  kioskctl_print_json_text (text);
}

void
kioskctl_print_json (JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  kioskctl_print_json_node (root);
}

/* With --json, what a command writes on stderr is kept (and copied to the
 * real stderr when it ends), so that an error it only wrote there still
 * reaches the JSON on stdout. */
static int saved_stderr = -1;
static FILE *captured;

static void
capture_stderr (void)
{
  fflush (stderr);
  captured = tmpfile ();
  saved_stderr = captured ? dup (STDERR_FILENO) : -1;
  if (saved_stderr < 0 || dup2 (fileno (captured), STDERR_FILENO) < 0)
    g_clear_pointer (&captured, fclose);
}

/* Restores stderr, copies the captured text to it and returns the text's
 * last line (or NULL). */
static char *
release_stderr (void)
{
  g_autoptr (GString) text = g_string_new (NULL);
  char buf[4096];
  size_t n;
  g_auto (GStrv) lines = NULL;
  char *last = NULL;

  if (captured == NULL)
    return NULL;
  fflush (stderr);
  dup2 (saved_stderr, STDERR_FILENO);
  close (saved_stderr);
  rewind (captured);
  while ((n = fread (buf, 1, sizeof buf, captured)) > 0)
    g_string_append_len (text, buf, (gssize) n);
  g_clear_pointer (&captured, fclose);
  fputs (text->str, stderr);
  /* The last line the command said as itself ("kioskctl...: why"), else
   * the last one that is not usage. */
  lines = g_strsplit (text->str, "\n", -1);
  for (int pass = 0; pass < 2 && last == NULL; pass++)
    for (char **l = lines; *l; l++)
      {
        g_strstrip (*l);
        if (**l == '\0' || g_str_has_prefix (*l, "usage:") || g_str_has_prefix (*l, "Usage:")
            || (pass == 0 && !g_regex_match_simple ("^kioskctl( [a-z-]+)*: ", *l, 0, 0)))
          continue;
        g_free (last);
        last = g_strdup (g_str_has_prefix (*l, "kioskctl: ") ? *l + strlen ("kioskctl: ") : *l);
      }
  return last;
}

/* --json and the command printed nothing: say how it ended, in JSON. */
static void
print_outcome (int status)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, status == KIOSKCTL_EXIT_OK);
  json_builder_set_member_name (b, "exit_code");
  json_builder_add_int_value (b, status);
  if (status != KIOSKCTL_EXIT_OK)
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, last_error ? last_error
                                        : status == KIOSKCTL_EXIT_USAGE
                                            ? "bad usage or input (kioskctl --help; the command's usage is on stderr)"
                                            : "the command failed (its reason is on stderr)");
    }
  json_builder_end_object (b);
  kioskctl_print_json (b);
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
  gboolean want_version = FALSE, config_without_file = FALSE;
  g_autoptr (GPtrArray) rest = g_ptr_array_new ();
  int status;

  setlocale (LC_ALL, "");
  /* Before any thread (setenv): libcamera logs INFO lines to stderr by
   * default, and its camera manager starts in a worker thread. */
  g_setenv ("LIBCAMERA_LOG_LEVELS", "*:ERROR", FALSE);
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
        config_without_file = TRUE;
      else if (g_str_equal (argv[i], "--json"))
        ctx.json = TRUE;
      else if (g_str_equal (argv[i], "--version") && rest->len == 0)
        want_version = TRUE;
      else if ((g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h")) && rest->len == 0)
        {
          usage (stdout);
          return 0;
        }
      else
        g_ptr_array_add (rest, argv[i]);
    }
  g_ptr_array_add (rest, NULL);

  if (config_without_file)
    {
      kioskctl_error (&ctx, KIOSKCTL_EXIT_USAGE, "--config needs a file");
      if (ctx.json)
        print_outcome (KIOSKCTL_EXIT_USAGE);
      return KIOSKCTL_EXIT_USAGE;
    }
  if (want_version)
    {
      if (ctx.json)
        {
          g_autoptr (JsonBuilder) b = json_builder_new ();
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "version");
          json_builder_add_string_value (b, PACKAGE_VERSION);
          json_builder_end_object (b);
          kioskctl_print_json (b);
        }
      else
        printf ("kioskctl %s\n", PACKAGE_VERSION);
      return KIOSKCTL_EXIT_OK;
    }

  if (rest->len == 1)
    {
      usage (stderr);
      if (ctx.json)
        {
          kioskctl_error (&ctx, KIOSKCTL_EXIT_USAGE, "no command given");
          print_outcome (KIOSKCTL_EXIT_USAGE);
        }
      return KIOSKCTL_EXIT_USAGE;
    }

  if (ctx.json)
    capture_stderr ();
  status = -1;
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, rest->pdata[0]))
      {
        status = commands[i].run (&ctx, (int) rest->len - 1, (char **) rest->pdata);
        break;
      }
  if (status == -1)
    {
      status = kioskctl_error (&ctx, KIOSKCTL_EXIT_USAGE, "unknown command '%s'", (char *) rest->pdata[0]);
      fprintf (stderr, "\n");
      usage (stderr);
    }
  if (ctx.json)
    {
      g_autofree char *said = release_stderr ();
      if (!json_printed && last_error == NULL && said)
        last_error = g_steal_pointer (&said);
      /* Every command prints its own JSON when it succeeds (some as JSON
       * lines, with printf): only a failure without JSON needs saying. */
      if (!json_printed && status != KIOSKCTL_EXIT_OK)
        print_outcome (status);
    }
  g_clear_pointer (&ctx.config, kiosk_config_unref);
  g_clear_pointer (&last_error, g_free);
  return status;
}
