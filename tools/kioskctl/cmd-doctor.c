/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include <json-glib/json-glib.h>

#include "camera-zxing.h"
#include "doctor.h"
#include "kiosk-device-manager.h"
#include "kiosk-module.h"
#include "kiosk-pinyin-module.h"
#include "kiosk-platform-adapter.h"
#include "kiosk-speech-module.h"
#include "kioskctl.h"
#include "print-ipp.h"
#if HAVE_LIBCAMERA
#include "camera-libcamera.h"
#endif

/* kioskctl doctor [--timeout S] [--no-network]
 *
 * A technician runs it when something is wrong, so it reports whatever it
 * can, with or without a (valid) configuration: the configuration file and
 * each of its problems; the running kiosk (its state file) and each device
 * as the kiosk sees it, never opening a device the kiosk holds nor starting
 * a simulator; the kiosk modules; the fonts the documents need; the
 * printers CUPS and DNS-SD know; known USB readers and pads; the cameras
 * libcamera lists; free disk space for the store; the clock; and, with a
 * configuration, the platform. Exit 0: no finding; 1: findings; 2: doctor
 * itself could not run (bad arguments). */

/* The kiosk modules (app/kiosk-module.h): a missing or broken one leaves
 * its device (or the platform link) without its library. */
static const struct {
  const char *path, *symbol;
  int version;
} modules[] = {
  { KIOSK_ZX_MODULE, KIOSK_ZX_MODULE_SYMBOL, KIOSK_ZX_API_VERSION },
#if HAVE_LIBCAMERA
  { KIOSK_LC_MODULE, KIOSK_LC_MODULE_SYMBOL, KIOSK_LC_API_VERSION },
#endif
  { KIOSK_IPP_MODULE, KIOSK_IPP_MODULE_SYMBOL, KIOSK_IPP_API_VERSION },
  { KIOSK_HTTP_MODULE, KIOSK_HTTP_MODULE_SYMBOL, KIOSK_HTTP_API_VERSION },
  { KIOSK_PINYIN_MODULE, KIOSK_PINYIN_MODULE_SYMBOL, KIOSK_PINYIN_API_VERSION },
  { KIOSK_SPEECH_MODULE, KIOSK_SPEECH_MODULE_SYMBOL, KIOSK_SPEECH_API_VERSION },
};

/* ---- the report ------------------------------------------------------------ */

void
doctor_section_begin (DoctorReport *r, const char *section)
{
  r->section = section;
  r->section_findings = g_ptr_array_new_with_free_func (g_free);
  json_builder_set_member_name (r->b, section);
  json_builder_begin_object (r->b);
  if (!r->json && !g_str_equal (section, "config"))
    printf ("%s:\n", section);
}

void
doctor_finding (DoctorReport *r, const char *format, ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  if (!r->json)
    printf ("  ! %s\n", text);
  g_ptr_array_add (r->findings, g_strdup_printf ("%s: %s", r->section, text));
  g_ptr_array_add (r->section_findings, text);
}

void
doctor_line (DoctorReport *r, const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  if (r->json)
    return;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  printf ("  %s\n", text);
}

void
doctor_section_end (DoctorReport *r)
{
  json_builder_set_member_name (r->b, "ok");
  json_builder_add_boolean_value (r->b, r->section_findings->len == 0);
  json_builder_set_member_name (r->b, "findings");
  json_builder_begin_array (r->b);
  for (guint i = 0; i < r->section_findings->len; i++)
    json_builder_add_string_value (r->b, r->section_findings->pdata[i]);
  json_builder_end_array (r->b);
  json_builder_end_object (r->b);
  g_clear_pointer (&r->section_findings, g_ptr_array_unref);
  r->section = NULL;
  fflush (stdout);
}

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  return n && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
}

/* ---- configuration ---------------------------------------------------------- */

static KioskConfig *
check_config (DoctorReport *r, const char *path)
{
  g_autoptr (GPtrArray) problems = NULL;
  const char *p = path ? path : KIOSK_DEFAULT_CONFIG;
  KioskConfig *config = kiosk_config_check (p, &problems);
  gboolean found = g_file_test (p, G_FILE_TEST_EXISTS);
  g_autofree char *store = config ? kiosk_config_get_path_value (config, "store", "path") : NULL;

  doctor_section_begin (r, "config");
  add_string (r->b, "path", config ? kiosk_config_get_path (config) : p);
  json_builder_set_member_name (r->b, "found");
  json_builder_add_boolean_value (r->b, found);
  json_builder_set_member_name (r->b, "valid");
  json_builder_add_boolean_value (r->b, config != NULL);
  add_string (r->b, "store", store);
  if (!r->json)
    printf ("configuration: %s: %s\n", config ? kiosk_config_get_path (config) : p,
            config  ? "valid"
            : found ? "NOT VALID"
                    : "NOT FOUND (give one with --config FILE)");
  json_builder_set_member_name (r->b, "errors");
  json_builder_begin_array (r->b);
  for (guint i = 0; i < problems->len; i++)
    {
      KioskConfigProblem *pr = problems->pdata[i];
      json_builder_begin_object (r->b);
      add_string (r->b, "group", pr->group);
      add_string (r->b, "key", pr->key);
      add_string (r->b, "message", pr->message);
      json_builder_end_object (r->b);
    }
  json_builder_end_array (r->b);
  for (guint i = 0; i < problems->len; i++)
    doctor_finding (r, "%s", ((KioskConfigProblem *) problems->pdata[i])->message);
  if (store)
    doctor_line (r, "store: %s", store);
  doctor_section_end (r);
  return config;
}

/* ---- the running kiosk -------------------------------------------------------- */

static void
check_kiosk (DoctorReport *r, KioskctlKiosk *k, gboolean configured)
{
  doctor_section_begin (r, "kiosk");
  add_string (r->b, "state_file", k->path);
  add_string (r->b, "status", kioskctl_kiosk_status_to_string (k->status));
  json_builder_set_member_name (r->b, "running");
  json_builder_add_boolean_value (r->b, k->status == KIOSKCTL_KIOSK_RUNNING);
  if (k->state)
    {
      json_builder_set_member_name (r->b, "pid");
      json_builder_add_int_value (r->b, k->pid);
      json_builder_set_member_name (r->b, "heartbeat_age_seconds");
      json_builder_add_int_value (r->b, k->age);
      add_string (r->b, "kiosk_config", member_string (k->state, "config"));
      add_string (r->b, "session", member_string (k->state, "session"));
      json_builder_set_member_name (r->b, "cards_read");
      json_builder_add_int_value (r->b, json_object_get_int_member_with_default (k->state, "cards_read", 0));
      json_builder_set_member_name (r->b, "online");
      json_builder_add_boolean_value (r->b, json_object_get_boolean_member_with_default (k->state, "online", FALSE));
      json_builder_set_member_name (r->b, "backlog");
      json_builder_add_int_value (r->b, json_object_get_int_member_with_default (k->state, "backlog", -1));
      json_builder_set_member_name (r->b, "accepting");
      json_builder_add_boolean_value (r->b, json_object_get_boolean_member_with_default (k->state, "accepting", FALSE));
    }

  switch (k->status)
    {
    case KIOSKCTL_KIOSK_RUNNING:
      doctor_line (r, "running (pid %" G_GINT64_FORMAT ", heartbeat %" G_GINT64_FORMAT " s ago, %s)", k->pid, k->age,
                   k->path);
      doctor_line (r, "screen: %s; platform %s; %" G_GINT64_FORMAT " waiting to be sent; %s",
                   member_string (k->state, "session") ? member_string (k->state, "session") : "?",
                   json_object_get_boolean_member_with_default (k->state, "online", FALSE) ? "online" : "OFFLINE",
                   json_object_get_int_member_with_default (k->state, "backlog", -1),
                   json_object_get_boolean_member_with_default (k->state, "accepting", FALSE)
                       ? "accepting applications"
                       : "NOT accepting applications");
      if (member_string (k->state, "store_error"))
        doctor_finding (r, "the kiosk cannot open its store: %s", member_string (k->state, "store_error"));
      else if (!json_object_get_boolean_member_with_default (k->state, "accepting", TRUE))
        doctor_finding (r, "the kiosk refuses new applications (disk space)");
      break;
    case KIOSKCTL_KIOSK_ABSENT:
      if (configured)
        doctor_finding (r, "the kiosk is not running (no state file %s)", k->path);
      else
        doctor_line (r, "no kiosk state file %s", k->path);
      break;
    case KIOSKCTL_KIOSK_UNREADABLE:
      doctor_finding (r, "the kiosk's state cannot be read: %s", k->error);
      break;
    case KIOSKCTL_KIOSK_STOPPED:
      if (configured)
        doctor_finding (r, "the kiosk is not running (it stopped %" G_GINT64_FORMAT " s ago)", k->age);
      else
        doctor_line (r, "stopped %" G_GINT64_FORMAT " s ago", k->age);
      break;
    case KIOSKCTL_KIOSK_GONE:
      doctor_finding (r,
                      "the kiosk (pid %" G_GINT64_FORMAT ") ended without stopping %" G_GINT64_FORMAT
                      " s ago: crashed or killed (see its journal)",
                      k->pid, k->age);
      break;
    case KIOSKCTL_KIOSK_HUNG:
      doctor_finding (
          r, "the kiosk (pid %" G_GINT64_FORMAT ") runs but its heartbeat stopped %" G_GINT64_FORMAT " s ago: hung?",
          k->pid, k->age);
      break;
    default:
      break;
    }
  doctor_section_end (r);
}

/* ---- devices -------------------------------------------------------------------- */

static gboolean
state_ok (const char *state)
{
  return g_strcmp0 (state, "ready") == 0 || g_strcmp0 (state, "busy") == 0;
}

static void
check_devices (DoctorReport *r, KioskConfig *config, KioskctlKiosk *k)
{
  g_autoptr (KioskDeviceManager) devices = NULL;
  /* The kiosk may hold its devices: don't open them. */
  gboolean kiosk_holds = k->status == KIOSKCTL_KIOSK_RUNNING || k->status == KIOSKCTL_KIOSK_HUNG
                         || k->status == KIOSKCTL_KIOSK_UNREADABLE;

  doctor_section_begin (r, "devices");
  json_builder_set_member_name (r->b, "devices");
  json_builder_begin_array (r->b);
  if (config == NULL)
    doctor_line (r, "no valid configuration: which devices the kiosk uses is not known");
  for (const char *const *kind = kiosk_device_kinds (); config && *kind; kind++)
    {
      g_autofree char *backend = kiosk_config_get_backend (config, *kind);
      JsonObject *seen = kioskctl_kiosk_device (k, *kind);
      const char *state = NULL, *reason = NULL, *source = "none";
      g_autofree char *detail = NULL;
      gboolean ok = TRUE, in_use = FALSE;

      if (seen && k->status == KIOSKCTL_KIOSK_RUNNING)
        {
          source = "kiosk";
          state = member_string (seen, "state");
          reason = member_string (seen, "reason");
          ok = state_ok (state);
          in_use = g_strcmp0 (backend, "none") != 0;
          detail = g_strdup_printf ("%s (as the kiosk sees it%s)%s%s", state ? state : "?",
                                    in_use ? "; in use by the kiosk" : "", reason ? ": " : "", reason ? reason : "");
          if (!ok)
            {
              const char *message = member_string (seen, "message");
              doctor_finding (r, "%s: %s%s%s%s%s", *kind, state ? state : "?", reason ? ": " : "", reason ? reason : "",
                              message ? "; the kiosk shows: " : "", message ? message : "");
            }
        }
      else if (kiosk_holds)
        {
          ok = FALSE;
          state = "unknown";
          in_use = TRUE;
          detail = g_strdup ("not opened: the kiosk may hold it, and it does not say how it is");
        }
      else if (g_str_equal (backend, "none"))
        detail = g_strdup ("not used ([" /**/ "pad] backend=none)");
      else if (g_str_equal (backend, "sim"))
        {
          /* A simulator lives inside the kiosk: a new one would tell
           * nothing about it (and could disturb the kiosk's). */
          state = "unknown";
          if (seen)
            {
              source = "kiosk-last";
              state = member_string (seen, "state");
              reason = member_string (seen, "reason");
            }
          detail = seen ? g_strdup_printf ("simulated; the kiosk is not running: last seen %s %" G_GINT64_FORMAT
                                           " s ago%s%s",
                                           state ? state : "?", k->age, reason ? ": " : "", reason ? reason : "")
                        : g_strdup ("simulated; it runs inside the kiosk, which is not running");
        }
      else
        {
          g_autoptr (GError) error = NULL;
          KioskDevice *dev;

          if (devices == NULL)
            devices = kiosk_device_manager_new (config);
          dev = kiosk_device_manager_get (devices, *kind);
          source = "probe";
          detail = kiosk_device_probe_sync (dev, NULL, &error);
          ok = detail != NULL;
          state = ok ? "ready" : "absent";
          if (!ok)
            {
              detail = g_strdup (error->message);
              doctor_finding (r, "%s: %s", *kind, error->message);
            }
        }

      json_builder_begin_object (r->b);
      add_string (r->b, "kind", *kind);
      add_string (r->b, "backend", backend);
      add_string (r->b, "source", source);
      add_string (r->b, "state", state);
      json_builder_set_member_name (r->b, "answers");
      json_builder_add_boolean_value (r->b, ok && state != NULL && !g_str_equal (state, "unknown"));
      json_builder_set_member_name (r->b, "in_use_by_kiosk");
      json_builder_add_boolean_value (r->b, in_use);
      add_string (r->b, "detail", detail);
      json_builder_end_object (r->b);
      doctor_line (r, "%-8s %-5s %s", *kind, backend, detail);
    }
  json_builder_end_array (r->b);
  doctor_section_end (r);
}

static void
check_modules (DoctorReport *r)
{
  doctor_section_begin (r, "modules");
  json_builder_set_member_name (r->b, "modules");
  json_builder_begin_array (r->b);
  for (gsize i = 0; i < G_N_ELEMENTS (modules); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = kiosk_module_path (modules[i].path);
      g_autofree char *name = g_path_get_basename (modules[i].path);
      gboolean loads = kiosk_module_lookup (modules[i].path, modules[i].symbol, modules[i].version, &error) != NULL;

      json_builder_begin_object (r->b);
      add_string (r->b, "name", name);
      add_string (r->b, "path", path);
      json_builder_set_member_name (r->b, "loads");
      json_builder_add_boolean_value (r->b, loads);
      if (!loads)
        add_string (r->b, "error", error->message);
      json_builder_end_object (r->b);
      if (loads)
        doctor_line (r, "%-20s ok", name);
      else
        doctor_finding (r, "%s: %s", name, error->message);
    }
  json_builder_end_array (r->b);
  doctor_section_end (r);
}

static int
usage (KioskctlContext *ctx)
{
  fprintf (stderr, "usage: kioskctl [--config FILE] [--json] doctor [--timeout SECONDS] [--no-network]\n");
  return kioskctl_error (ctx, KIOSKCTL_EXIT_USAGE,
                         "usage: kioskctl [--config FILE] [--json] doctor [--timeout SECONDS] [--no-network]");
}

int
kioskctl_doctor (KioskctlContext *ctx, int argc, char **argv)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GPtrArray) findings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (KioskConfig) config = NULL;
  DoctorReport r = { .b = b, .json = ctx->json, .findings = findings };
  KioskctlKiosk kiosk;
  gboolean network = TRUE;
  int timeout_s = 5;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--no-network"))
        network = FALSE;
      else if (g_str_equal (argv[i], "--timeout") && i + 1 < argc)
        {
          char *end = NULL;
          gint64 v = g_ascii_strtoll (argv[++i], &end, 10);
          if (end == argv[i] || *end || v < 1 || v > 60)
            return usage (ctx);
          timeout_s = (int) v;
        }
      else
        return usage (ctx);
    }

  json_builder_begin_object (b);
  add_string (b, "version", PACKAGE_VERSION);
  if (!ctx->json)
    printf ("kioskctl doctor %s\n", PACKAGE_VERSION);

  config = check_config (&r, ctx->config_path);
  kioskctl_kiosk_load (&kiosk, config);
  check_kiosk (&r, &kiosk, config != NULL);
  check_devices (&r, config, &kiosk);
  check_modules (&r);
  doctor_check_fonts (&r);
  if (network)
    doctor_check_printers (&r, config, 1500);
  else
    doctor_check_printers (&r, config, 0);
  doctor_check_usb (&r, config, kiosk.status == KIOSKCTL_KIOSK_RUNNING);
  {
    JsonObject *camera = kiosk.status == KIOSKCTL_KIOSK_RUNNING ? kioskctl_kiosk_device (&kiosk, "camera") : NULL;
    doctor_check_cameras (&r, config,
                          kiosk.status == KIOSKCTL_KIOSK_RUNNING
                              ? (member_string (camera, "state") ? member_string (camera, "state") : "unknown")
                              : NULL);
  }
  doctor_check_disk (&r, config);
  doctor_check_clock (&r);
  if (network)
    doctor_check_platform (&r, config, timeout_s);
  else
    {
      doctor_section_begin (&r, "platform");
      json_builder_set_member_name (b, "checked");
      json_builder_add_boolean_value (b, FALSE);
      doctor_line (&r, "not asked (--no-network)");
      doctor_section_end (&r);
    }
  kioskctl_kiosk_clear (&kiosk);

  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; i < findings->len; i++)
    json_builder_add_string_value (b, findings->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, findings->len == 0);
  json_builder_end_object (b);

  if (ctx->json)
    kioskctl_print_json (b);
  else if (findings->len == 0)
    printf ("no findings: all fine\n");
  else
    printf ("%u finding%s (marked !)\n", findings->len, findings->len == 1 ? "" : "s");
  return findings->len == 0 ? KIOSKCTL_EXIT_OK : KIOSKCTL_EXIT_FAIL;
}
