/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "kiosk-store.h"
#include "kioskctl.h"
#include "printer-device.h"

/* kioskctl print render --template NAME [--data FILE.json] [--paper a4|roll80] --out FILE.pdf
 * kioskctl print test-page       (to the configured printer)
 * kioskctl print status          (printer state and reasons; --json)
 * Exit codes: 0 ok, 1 failed (not printed, printer not ready), 2 usage. */

static int
usage (void)
{
  g_autofree char *names = g_strjoinv (", ", (char **) kiosk_print_templates ());

  fprintf (stderr,
           "usage: kioskctl print render --template NAME [--data FILE.json] [--paper a4|roll80] --out FILE.pdf\n"
           "       kioskctl [--config FILE] print test-page\n"
           "       kioskctl [--config FILE] [--json] print status\n"
           "templates: %s (test-page needs no data; the data of each: drivers/printer/README.md)\n",
           names);
  return KIOSKCTL_EXIT_USAGE;
}

static int
cmd_render (KioskctlContext *ctx, int argc, char **argv)
{
  const char *template_name = NULL, *data_path = NULL, *out_path = NULL, *paper_name = "a4";
  g_autoptr (JsonObject) data = NULL;
  g_autoptr (GBytes) pdf = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *base_dir = NULL;
  KioskPaper paper;

  for (int i = 1; i < argc; i++)
    {
      const char **slot = NULL;
      if (g_str_equal (argv[i], "--template"))
        slot = &template_name;
      else if (g_str_equal (argv[i], "--data"))
        slot = &data_path;
      else if (g_str_equal (argv[i], "--out"))
        slot = &out_path;
      else if (g_str_equal (argv[i], "--paper"))
        slot = &paper_name;
      else
        {
          fprintf (stderr, "kioskctl print render: unknown argument '%s'\n", argv[i]);
          return usage ();
        }
      if (i + 1 >= argc)
        {
          fprintf (stderr, "kioskctl print render: %s needs a value\n", argv[i]);
          return usage ();
        }
      *slot = argv[++i];
    }
  if (template_name == NULL || out_path == NULL)
    return usage ();
  if (!kiosk_print_template_exists (template_name))
    {
      fprintf (stderr, "kioskctl print render: unknown template '%s'\n", template_name);
      return usage ();
    }
  if (!kiosk_paper_from_string (paper_name, &paper))
    {
      fprintf (stderr, "kioskctl print render: --paper must be a4 or roll80\n");
      return usage ();
    }
  if (data_path)
    {
      data = kiosk_print_load_data (data_path, &error);
      if (data == NULL)
        {
          fprintf (stderr, "kioskctl print render: %s: %s\n", data_path, error ? error->message : "cannot read");
          return KIOSKCTL_EXIT_USAGE;
        }
      base_dir = g_path_get_dirname (data_path);
    }
  else if (!g_str_equal (template_name, "test-page"))
    {
      fprintf (stderr, "kioskctl print render: template '%s' needs --data FILE.json\n", template_name);
      return KIOSKCTL_EXIT_USAGE;
    }

  pdf = kiosk_print_render (template_name, data, paper, base_dir, &error);
  if (pdf == NULL)
    {
      /* Bad or oversized data is the caller's input: exit 2. */
      fprintf (stderr, "kioskctl print render: %s\n", error ? error->message : "rendering failed");
      return g_error_matches (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_BAD_DATA)
                     || g_error_matches (error, KIOSK_PRINT_ERROR, KIOSK_PRINT_ERROR_TOO_LONG)
                 ? KIOSKCTL_EXIT_USAGE
                 : KIOSKCTL_EXIT_FAIL;
    }
  if (!g_file_set_contents (out_path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), &error))
    {
      fprintf (stderr, "kioskctl print render: %s\n", error->message);
      return KIOSKCTL_EXIT_FAIL;
    }
  if (ctx->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "template");
      json_builder_add_string_value (b, template_name);
      json_builder_set_member_name (b, "paper");
      json_builder_add_string_value (b, kiosk_paper_to_string (paper));
      json_builder_set_member_name (b, "out");
      json_builder_add_string_value (b, out_path);
      json_builder_set_member_name (b, "bytes");
      json_builder_add_int_value (b, (gint64) g_bytes_get_size (pdf));
      json_builder_end_object (b);
      kioskctl_print_json (b);
    }
  return KIOSKCTL_EXIT_OK;
}

static const char *
printer_state_name (int state)
{
  switch (state)
    {
    case KIOSK_IPP_PRINTER_IDLE:
      return "idle";
    case KIOSK_IPP_PRINTER_PROCESSING:
      return "processing";
    case KIOSK_IPP_PRINTER_STOPPED:
      return "stopped";
    default:
      return "unknown";
    }
}

/* The printer device for the configuration, started (the simulator needs
 * its monitor thread). */
static KioskPrinterDevice *
open_printer (KioskctlContext *ctx)
{
  KioskConfig *config = kioskctl_config (ctx);
  g_autoptr (GError) error = NULL;
  KioskDevice *dev;

  if (config == NULL)
    return NULL;
  dev = kiosk_printer_device_new (config, &error);
  if (dev == NULL)
    {
      fprintf (stderr, "kioskctl print: %s\n", error->message);
      return NULL;
    }
  kiosk_device_start (dev);
  return KIOSK_PRINTER_DEVICE (dev);
}

/* The printer as the running kiosk sees it (its state file): print status
 * never starts a simulator of its own nor asks the printer behind the
 * kiosk's back while the kiosk runs. */
static int
status_from_kiosk (KioskctlContext *ctx, KioskctlKiosk *kiosk, const char *backend)
{
  JsonObject *seen = kioskctl_kiosk_device (kiosk, "printer");
  gboolean running = kiosk->status == KIOSKCTL_KIOSK_RUNNING;
  const char *state
      = running && seen ? json_object_get_string_member_with_default (seen, "state", "unknown") : "unknown";
  const char *reason = running && seen ? json_object_get_string_member_with_default (seen, "reason", NULL) : NULL;
  const char *message = running && seen ? json_object_get_string_member_with_default (seen, "message", NULL) : NULL;
  g_autofree char *why = NULL;
  gboolean ok = g_str_equal (state, "ready") || g_str_equal (state, "busy");

  if (!running)
    why = g_strdup_printf ("the simulated printer runs inside the kiosk, which is %s (%s): nothing to ask",
                           kiosk->status == KIOSKCTL_KIOSK_UNREADABLE ? "unknown" : "not running", kiosk->path);
  if (ctx->json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "backend");
      json_builder_add_string_value (b, backend);
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, running ? "kiosk" : "none");
      json_builder_set_member_name (b, "kiosk");
      json_builder_add_string_value (b, kioskctl_kiosk_status_to_string (kiosk->status));
      json_builder_set_member_name (b, "in_use_by_kiosk");
      json_builder_add_boolean_value (b, running);
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, state);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, reason);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message);
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, why);
      json_builder_end_object (b);
      kioskctl_print_json (b);
    }
  else if (running)
    {
      printf ("printer:  %s (as the running kiosk sees it; in use by the kiosk)\n", backend);
      printf ("state:    %s\n", state);
      printf ("reason:   %s\n", reason ? reason : "");
      if (message)
        printf ("message:  %s\n", message);
    }
  else
    fprintf (stderr, "kioskctl print status: %s\n", why);
  return ok ? KIOSKCTL_EXIT_OK : KIOSKCTL_EXIT_FAIL;
}

static int
cmd_status (KioskctlContext *ctx)
{
  g_autoptr (KioskPrinterDevice) dev = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *target = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *backend = NULL;
  KioskPrinterStatus st = { 0 };
  const char *message = NULL;
  KioskDeviceState state;
  KioskctlKiosk kiosk;
  KioskConfig *config;
  gboolean ok;

  config = kioskctl_config (ctx);
  if (config == NULL)
    return KIOSKCTL_EXIT_USAGE;
  backend = kiosk_config_get_backend (config, "printer");
  kioskctl_kiosk_load (&kiosk, config);
  if (kiosk.status == KIOSKCTL_KIOSK_RUNNING || g_str_equal (backend, "sim"))
    {
      int rc = status_from_kiosk (ctx, &kiosk, backend);
      kioskctl_kiosk_clear (&kiosk);
      return rc;
    }
  kioskctl_kiosk_clear (&kiosk);

  /* No kiosk running and a real printer: ask it (Get-Printer-Attributes). */
  dev = open_printer (ctx);
  if (dev == NULL)
    return KIOSKCTL_EXIT_USAGE;
  ok = kiosk_printer_device_get_status_sync (dev, &st, &error);
  target = kiosk_printer_device_dup_target (dev);
  if (ok)
    state = kiosk_printer_classify (st.printer_state, (const char *const *) st.reasons, &reason, &message);
  else
    {
      state = KIOSK_DEVICE_STATE_ABSENT;
      reason = g_strdup (error->message);
      message = kiosk_printer_unreachable_message ();
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "backend");
  json_builder_add_string_value (b, kiosk_device_get_backend (KIOSK_DEVICE (dev)));
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, "printer");
  json_builder_set_member_name (b, "printer");
  json_builder_add_string_value (b, target);
  json_builder_set_member_name (b, "reachable");
  json_builder_add_boolean_value (b, ok);
  json_builder_set_member_name (b, "printer_state");
  json_builder_add_string_value (b, printer_state_name (st.printer_state));
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_array (b);
  for (int i = 0; st.reasons && st.reasons[i]; i++)
    json_builder_add_string_value (b, st.reasons[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "state_message");
  json_builder_add_string_value (b, st.state_message);
  json_builder_set_member_name (b, "make_and_model");
  json_builder_add_string_value (b, st.make_and_model);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, kiosk_device_state_to_string (state));
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, reason);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "paper");
  json_builder_add_string_value (b, kiosk_paper_to_string (kiosk_printer_device_get_paper (dev)));
  json_builder_end_object (b);

  if (ctx->json)
    kioskctl_print_json (b);
  else
    {
      printf ("printer:  %s (%s)\n", target ? target : "", kiosk_device_get_backend (KIOSK_DEVICE (dev)));
      printf ("state:    %s\n", kiosk_device_state_to_string (state));
      printf ("printer-state: %s\n", printer_state_name (st.printer_state));
      printf ("printer-state-reasons:");
      for (int i = 0; st.reasons && st.reasons[i]; i++)
        printf (" %s", st.reasons[i]);
      printf ("\nreason:   %s\n", reason ? reason : "");
      if (message)
        printf ("message:  %s\n", message);
    }
  kiosk_printer_status_clear (&st);
  kiosk_device_stop (KIOSK_DEVICE (dev));
  return state == KIOSK_DEVICE_STATE_READY || state == KIOSK_DEVICE_STATE_BUSY ? KIOSKCTL_EXIT_OK : KIOSKCTL_EXIT_FAIL;
}

/* Print records go to the store's outbox, like in the kiosk. */
static gboolean
store_sink (const char *json, gpointer user_data, GError **error)
{
  return kiosk_store_enqueue_print_record (KIOSK_STORE (user_data), json, error) > 0;
}

static int
cmd_test_page (KioskctlContext *ctx)
{
  g_autoptr (KioskPrinterDevice) dev = open_printer (ctx);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskPrintRecord) record = NULL;
  g_autoptr (JsonObject) data = json_object_new ();
  g_autofree char *target = NULL;
  g_autofree char *kiosk_id = NULL;
  g_autofree char *station = NULL;
  g_autofree char *reason = NULL;
  KioskPrinterStatus st = { 0 };
  gboolean ok;

  if (dev == NULL)
    return KIOSKCTL_EXIT_USAGE;
  {
    g_autoptr (GError) store_error = NULL;
    KioskStore *store = kiosk_store_open_from_config (ctx->config, &store_error);
    if (store)
      kiosk_printer_device_set_record_sink (dev, store_sink, store, g_object_unref);
    else
      fprintf (stderr, "kioskctl print test-page: print records not stored: %s\n", store_error->message);
  }
  kiosk_id = kiosk_config_get_string (ctx->config, "kiosk", "id");
  station = kiosk_config_get_string (ctx->config, "kiosk", "station");
  if (kiosk_printer_device_get_status_sync (dev, &st, NULL))
    {
      g_autofree char *state = NULL;
      kiosk_printer_classify (st.printer_state, (const char *const *) st.reasons, &reason, NULL);
      state = g_strdup_printf ("%s（%s）",
                               st.printer_state == KIOSK_IPP_PRINTER_IDLE         ? "就绪"
                               : st.printer_state == KIOSK_IPP_PRINTER_PROCESSING ? "正在打印"
                                                                                  : "停止",
                               reason);
      json_object_set_string_member (data, "printer_state", state);
    }
  target = kiosk_printer_device_dup_target (dev);
  json_object_set_string_member (data, "printer_name", target ? target : "");
  json_object_set_string_member (data, "kiosk_id", kiosk_id);
  json_object_set_string_member (data, "station", station);

  ok = kiosk_printer_device_print_sync (dev, "test-page", data, NULL, NULL, NULL, &record, &error);
  if (ctx->json)
    {
      g_autofree char *record_json = record ? kiosk_print_record_to_json (record) : NULL;
      g_autoptr (JsonNode) record_node = record_json ? json_from_string (record_json, NULL) : NULL;
      g_autoptr (JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "printed");
      json_builder_add_boolean_value (b, ok);
      json_builder_set_member_name (b, "error");
      if (error)
        json_builder_add_string_value (b, error->message);
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "record");
      if (record_node)
        json_builder_add_value (b, g_steal_pointer (&record_node));
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      kioskctl_print_json (b);
    }
  else if (ok)
    printf ("test page printed on %s (job %d)\n", target, record ? record->job_id : 0);
  else
    fprintf (stderr, "kioskctl print test-page: NOT printed: %s\n%s\n", error->message,
             kiosk_print_error_message (error));
  kiosk_printer_status_clear (&st);
  kiosk_device_stop (KIOSK_DEVICE (dev));
  return ok ? KIOSKCTL_EXIT_OK : KIOSKCTL_EXIT_FAIL;
}

int
kioskctl_print (KioskctlContext *ctx, int argc, char **argv)
{
  if (argc < 2)
    return usage ();
  if (g_str_equal (argv[1], "render"))
    return cmd_render (ctx, argc - 1, argv + 1);
  if (g_str_equal (argv[1], "test-page") && argc == 2)
    return cmd_test_page (ctx);
  if (g_str_equal (argv[1], "status") && argc == 2)
    return cmd_status (ctx);
  return usage ();
}
