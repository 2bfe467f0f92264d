/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 进度查询's 重新打印回执 (issue 14 point 4) without GTK: the kiosk core with
 * its store (an RS-009 case handed in with its photo owed under 容缺), no
 * platform answering, and a real IPP printer (ippeveprinter) behind the
 * kiosk's real backend:
 *  - anonymous, or identified as someone else who typed the case's number:
 *    status only, the reprint refused, nothing printed;
 *  - the applicant, from 我的办件: the receipt and the 容缺受理通知书 printed
 *    again, counted once the printer confirmed them, the print records
 *    marked as the resident's reprint (补打) and linked to the document;
 *  - a printer that takes the jobs and aborts them: nothing counted, the
 *    page gets a message.
 * Skips (77) without ippeveprinter or dbus-daemon. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kiosk-core.h"
#include "kiosk-domain-codec.h"
#include "kiosk-progress-journey.h"
#include "kiosk-store.h"
#include "print-sim.h"
#include "printer-device.h"

static const char *const APPLICANT = "11010519491231002X";
static const char *const SOMEONE_ELSE = "440524188001010014";

static struct {
  char *dir;
  char *number; /* the RS-009 case's provisional number */
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskProgressJourney *progress;
} T;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_FOR(cond, secs)                                            \
  G_STMT_START                                                          \
  {                                                                     \
    gboolean _timed_out = FALSE;                                        \
    guint _t = g_timeout_add_seconds ((secs), timeout_cb, &_timed_out); \
    while (!(cond) && !_timed_out)                                      \
      g_main_context_iteration (NULL, TRUE);                            \
    if (!_timed_out)                                                    \
      g_source_remove (_t);                                             \
    if (!(cond))                                                        \
      g_error ("timed out waiting for: %s", #cond);                     \
  }                                                                     \
  G_STMT_END

static int
free_port (void)
{
  g_autoptr (GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) a = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (s, a, TRUE, NULL));
  bound = g_socket_get_local_address (s, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static KioskIdentity *
person (const char *id_number, const char *name)
{
  KioskIdentity *id = kiosk_identity_new ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup (name);
  id->gender_code = '2';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup (id_number);
  id->id_number_valid = TRUE;
  id->address = g_strdup ("北京市朝阳区某街道1号");
  id->valid_to = g_strdup ("长期");
  return id;
}

/* A kiosk printing to @printer_uri, on the test's store. */
static void
core_up (const char *printer_uri)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = g_strdup_printf ("[kiosk]\nid=RP-01\nstation=测试村便民服务站\nphone=0571-00000000\n"
                                           "[store]\npath=%s/kiosk.db\n"
                                           "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\n"
                                           "[idcard]\nbackend=real\nports=%s/no-such-tty\ntransport=serial\n"
                                           "[camera]\nbackend=real\n[pad]\nbackend=none\n"
                                           "[printer]\nbackend=real\nuri=%s\n",
                                           T.dir, free_port (), T.dir, printer_uri);
  KioskDevice *printer;

  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_core_start (T.core);
  WAIT_FOR (kiosk_core_get_store (T.core) != NULL && kiosk_core_get_sync (T.core) != NULL, 20);
  T.progress = KIOSK_PROGRESS_JOURNEY (kiosk_session_find_journey (T.session, "progress"));
  g_assert_nonnull (T.progress);
  printer = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");
  g_assert_true (KIOSK_IS_PRINTER_DEVICE (printer));
  WAIT_FOR (kiosk_device_get_state (printer) == KIOSK_DEVICE_STATE_READY, 60);
}

static void
core_down (void)
{
  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  T.session = NULL;
  T.progress = NULL;
}

static KioskPrintLedger *
ledger (void)
{
  return kiosk_printer_device_get_ledger (
      KIOSK_PRINTER_DEVICE (kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer")));
}

/* RS-009 (社会保障卡申领) for the applicant, the photo owed under 容缺,
 * handed in at this kiosk (what 自助申报 stores). */
static void
hand_in_case (void)
{
  g_autoptr (GError) error = NULL;
  KioskStore *store = kiosk_core_get_store (T.core);
  g_autofree char *catalog_path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autofree char *catalog = NULL;
  g_autofree char *item_json = NULL;
  g_autoptr (KioskCatalogItem) item = NULL;
  g_autoptr (KioskIdentity) who = person (APPLICANT, "张三");
  g_autoptr (KioskCaseDraft) draft = NULL;
  g_autoptr (GDate) today = g_date_new ();
  char *json;
  int photo;

  g_assert_true (g_file_get_contents (catalog_path, &catalog, NULL, &error));
  g_assert_true (kiosk_store_set_catalog (store, catalog, NULL, &error));
  item_json = kiosk_store_get_catalog_item (store, "RS-009", &error);
  g_assert_no_error (error);
  item = kiosk_catalog_item_decode (item_json, strlen (item_json), &error);
  g_assert_no_error (error);
  draft = kiosk_case_draft_new (item, who);
  g_assert_true (kiosk_case_draft_set_value (draft, "phone", "13800001234"));
  g_assert_true (kiosk_case_draft_set_value (draft, "bank", "农业银行"));
  photo = kiosk_catalog_item_find_material (item, "符合制卡要求的电子照片");
  g_assert_cmpint (photo, >=, 0);
  g_date_set_time_t (today, time (NULL));
  g_assert_true (kiosk_case_draft_owe_material (draft, (guint) photo, today, &error));
  g_assert_no_error (error);
  json = kiosk_case_draft_encode (draft, &error);
  g_assert_no_error (error);
  T.number = kiosk_store_submit_case (store, json, NULL, &error);
  kiosk_secure_free (json);
  g_assert_no_error (error);
  g_assert_nonnull (T.number);
}

/* Into 进度查询 with @who's card (NULL: anonymous). */
static void
enter (const char *who)
{
  kiosk_session_wipe (T.session);
  g_assert_true (kiosk_session_touch (T.session));
  if (who)
    {
      g_autoptr (KioskIdentity) id = person (who, "某人");
      g_assert_true (kiosk_session_identity_read (T.session, id));
    }
  g_assert_true (kiosk_session_select_journey (T.session, "progress"));
  g_assert_true (kiosk_session_get_journey (T.session) == KIOSK_JOURNEY (T.progress));
  if (who)
    WAIT_FOR (kiosk_progress_journey_get_mine_state (T.progress) != KIOSK_PROGRESS_MINE_LOADING, 30);
}

static void
query (const char *number)
{
  kiosk_progress_journey_query (T.progress, number);
  WAIT_FOR (kiosk_progress_journey_get_state (T.progress) != KIOSK_PROGRESS_QUERYING, 30);
  g_assert_cmpint (kiosk_progress_journey_get_state (T.progress), ==, KIOSK_PROGRESS_FOUND);
}

static guint
n_received (KioskPrinterSim *sim)
{
  g_autoptr (GPtrArray) received = kiosk_printer_sim_list_received (sim);
  return received->len;
}

/* ---- tests ------------------------------------------------------------------- */

static KioskPrinterSim *good_printer;

/* A typed number of someone else's case, or anonymous: status only. */
static void
test_not_applicant (void)
{
  g_autoptr (GError) error = NULL;
  guint before = n_received (good_printer);

  enter (NULL);
  query (T.number);
  g_assert_false (kiosk_progress_journey_can_reprint (T.progress, kiosk_progress_journey_get_case (T.progress)));
  g_assert_false (kiosk_progress_journey_reprint (T.progress, T.number, &error));
  g_assert_error (error, KIOSK_PROGRESS_JOURNEY_ERROR, KIOSK_PROGRESS_JOURNEY_ERROR_NOT_APPLICANT);
  g_clear_error (&error);

  enter (SOMEONE_ELSE);
  /* (offline, nothing of theirs held here: the list says the platform
   * cannot be reached) */
  g_assert_cmpint (kiosk_progress_journey_get_mine_state (T.progress), ==, KIOSK_PROGRESS_MINE_UNREACHABLE);
  query (T.number);
  g_assert_cmpstr (kiosk_progress_journey_get_case (T.progress)->provisional_number, ==, T.number);
  g_assert_false (kiosk_progress_journey_can_reprint (T.progress, kiosk_progress_journey_get_case (T.progress)));
  g_assert_false (kiosk_progress_journey_reprint (T.progress, T.number, &error));
  g_assert_error (error, KIOSK_PROGRESS_JOURNEY_ERROR, KIOSK_PROGRESS_JOURNEY_ERROR_NOT_APPLICANT);
  g_assert_cmpint (kiosk_progress_journey_get_reprint_state (T.progress), ==, KIOSK_PROGRESS_REPRINT_IDLE);
  g_assert_cmpuint (kiosk_progress_journey_get_reprints_printed (T.progress), ==, 0);
  {
    g_autoptr (GPtrArray) records = kiosk_print_ledger_list_all (ledger ());
    g_assert_cmpuint (records->len, ==, 0);
  }
  g_assert_cmpuint (n_received (good_printer), ==, before);
}

/* The applicant, from 我的办件: both documents again, counted on the
 * printer's confirmation, recorded as the resident's reprint. */
static void
test_applicant_reprint (void)
{
  g_autoptr (GError) error = NULL;
  guint before = n_received (good_printer);
  const KioskProgressCase *c;
  GPtrArray *mine;
  const char *const docs[] = { "receipt", "deferral-notice" };

  enter (APPLICANT);
  g_assert_cmpint (kiosk_progress_journey_get_mine_state (T.progress), ==, KIOSK_PROGRESS_MINE_READY);
  mine = kiosk_progress_journey_get_my_cases (T.progress);
  g_assert_cmpuint (mine->len, ==, 1);
  c = mine->pdata[0];
  g_assert_cmpstr (c->provisional_number, ==, T.number);
  g_assert_true (kiosk_progress_journey_can_reprint (T.progress, c));
  /* The same case typed by its applicant: offered there too. */
  query (T.number);
  g_assert_true (kiosk_progress_journey_can_reprint (T.progress, kiosk_progress_journey_get_case (T.progress)));
  g_assert_true (kiosk_progress_journey_reprint (T.progress, T.number, &error));
  g_assert_no_error (error);
  /* Nothing counts before the printer says so. */
  g_assert_cmpuint (kiosk_progress_journey_get_reprints_printed (T.progress), ==, 0);
  WAIT_FOR (kiosk_progress_journey_get_reprint_state (T.progress) == KIOSK_PROGRESS_REPRINT_PRINTED
                || kiosk_progress_journey_get_reprint_state (T.progress) == KIOSK_PROGRESS_REPRINT_FAILED,
            90);
  g_assert_cmpint (kiosk_progress_journey_get_reprint_state (T.progress), ==, KIOSK_PROGRESS_REPRINT_PRINTED);
  g_assert_null (kiosk_progress_journey_get_reprint_message (T.progress));
  g_assert_cmpstr (kiosk_progress_journey_get_reprint_number (T.progress), ==, T.number);
  g_assert_cmpuint (kiosk_progress_journey_get_reprints_printed (T.progress), ==, 2);
  g_assert_cmpuint (n_received (good_printer), ==, before + 2);
  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autofree char *id = g_strdup_printf ("%s:%s", docs[i], T.number);
      g_autoptr (GPtrArray) records = kiosk_print_ledger_list (ledger (), id);
      const KioskPrintRecord *r;

      g_assert_cmpuint (records->len, ==, 1);
      r = records->pdata[0];
      g_assert_cmpint (r->status, ==, KIOSK_PRINT_RECORD_PRINTED);
      g_assert_cmpint (r->reprint_count, >=, 1);
      g_assert_cmpstr (r->reprint_by, ==, "resident");
      g_assert_nonnull (strstr (r->reprint_reason, "补打"));
      g_assert_cmpuint (kiosk_print_ledger_count_printed (ledger (), id), ==, 1);
    }
  /* Once more: a second reprint, counted again. */
  g_assert_true (kiosk_progress_journey_reprint (T.progress, T.number, &error));
  WAIT_FOR (kiosk_progress_journey_get_reprint_state (T.progress) == KIOSK_PROGRESS_REPRINT_PRINTED
                || kiosk_progress_journey_get_reprint_state (T.progress) == KIOSK_PROGRESS_REPRINT_FAILED,
            90);
  g_assert_cmpuint (kiosk_progress_journey_get_reprints_printed (T.progress), ==, 4);
  {
    g_autofree char *id = g_strdup_printf ("receipt:%s", T.number);
    g_autoptr (GPtrArray) records = kiosk_print_ledger_list (ledger (), id);
    const KioskPrintRecord *second = records->pdata[1];
    g_assert_cmpuint (records->len, ==, 2);
    /* (the driver counts the earlier copies that reached the printer: this
     * case's first print was never made here) */
    g_assert_cmpint (second->reprint_count, ==, 1);
    g_assert_cmpint (second->status, ==, KIOSK_PRINT_RECORD_PRINTED);
    g_assert_cmpstr (second->reprint_of, ==, ((KioskPrintRecord *) records->pdata[0])->record_id);
  }
  /* The wipe forgets it. */
  kiosk_session_wipe (T.session);
  g_assert_cmpint (kiosk_progress_journey_get_reprint_state (T.progress), ==, KIOSK_PROGRESS_REPRINT_IDLE);
  g_assert_cmpuint (kiosk_progress_journey_get_reprints_printed (T.progress), ==, 0);
}

/* A printer that takes the job and runs out of paper on it (the printer
 * tests' fault command): not counted, said so. */
static void
test_not_confirmed (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *control = g_dir_make_tmp ("kiosk-reprint-fault-XXXXXX", NULL);
  g_autofree char *env = g_strdup_printf ("KIOSK_SIM_CONTROL=%s", control);
  g_autofree char *command = g_build_filename (KIOSK_SOURCE_DIR, "tests", "printer", "sim-fault-command.sh", NULL);
  g_autofree char *fault = g_build_filename (control, "fault", NULL);
  const char *envv[] = { env, NULL };
  KioskPrinterSimOptions opt = { .name = "KioskNoPaper", .command = command, .env = envv };
  g_autoptr (KioskPrinterSim) failing = kiosk_printer_sim_start (&opt, &error);
  g_autofree char *id = NULL;
  g_autoptr (GPtrArray) records = NULL;

  g_assert_no_error (error);
  core_down ();
  core_up (kiosk_printer_sim_get_uri (failing));
  g_assert_true (g_file_set_contents (fault, "media-empty", -1, NULL));
  enter (APPLICANT);
  g_assert_true (
      kiosk_progress_journey_can_reprint (T.progress, kiosk_progress_journey_get_my_cases (T.progress)->pdata[0]));
  g_assert_true (kiosk_progress_journey_reprint (T.progress, T.number, &error));
  g_assert_no_error (error);
  WAIT_FOR (kiosk_progress_journey_get_reprint_state (T.progress) == KIOSK_PROGRESS_REPRINT_PRINTED
                || kiosk_progress_journey_get_reprint_state (T.progress) == KIOSK_PROGRESS_REPRINT_FAILED,
            120);
  g_assert_cmpint (kiosk_progress_journey_get_reprint_state (T.progress), ==, KIOSK_PROGRESS_REPRINT_FAILED);
  g_assert_nonnull (kiosk_progress_journey_get_reprint_message (T.progress));
  g_assert_cmpuint (kiosk_progress_journey_get_reprints_printed (T.progress), ==, 0);
  id = g_strdup_printf ("receipt:%s", T.number);
  records = kiosk_print_ledger_list (ledger (), id);
  g_assert_cmpuint (records->len, >=, 1);
  g_assert_cmpint (((KioskPrintRecord *) records->pdata[0])->status, !=, KIOSK_PRINT_RECORD_PRINTED);
  g_assert_cmpuint (kiosk_print_ledger_count_printed (ledger (), id), ==, 0);
  kiosk_session_wipe (T.session);
  core_down ();
  g_unlink (fault);
  g_rmdir (control);
}

static gboolean
have_tools (void)
{
  static const char *const tools[] = { "ippeveprinter", "dbus-daemon", NULL };

  for (guint i = 0; tools[i]; i++)
    {
      g_autofree char *p = g_find_program_in_path (tools[i]);
      if (p == NULL)
        {
          g_printerr ("SKIP: %s is not installed (cups-ipp-utils, dbus: tools/setup-deps)\n", tools[i]);
          return FALSE;
        }
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  KioskPrinterSimOptions opt = { .name = "KioskReprint" };
  g_autofree char *cmd = NULL;
  int ret;

  if (!have_tools ())
    return 77;
  g_test_init (&argc, &argv, NULL);
  /* Warnings are expected (plain HTTP to a platform nobody answers). */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  T.dir = g_dir_make_tmp ("kiosk-reprint-XXXXXX", &error);
  g_assert_no_error (error);
  good_printer = kiosk_printer_sim_start (&opt, &error);
  g_assert_no_error (error);
  core_up (kiosk_printer_sim_get_uri (good_printer));
  hand_in_case ();

  g_test_add_func ("/reprint-journey/not-applicant", test_not_applicant);
  g_test_add_func ("/reprint-journey/applicant", test_applicant_reprint);
  g_test_add_func ("/reprint-journey/not-confirmed", test_not_confirmed);
  ret = g_test_run ();

  if (T.core)
    core_down ();
  kiosk_printer_sim_free (good_printer);
  cmd = g_strdup_printf ("rm -rf '%s'", T.dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (T.number);
  g_free (T.dir);
  return ret;
}
