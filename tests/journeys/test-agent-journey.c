/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 代办 (agent mode) without GTK: the kiosk core with its devices (a reader
 * on a missing port driven by its "identity" signal, no camera behind the
 * camera, a printer nobody answers) and its store holding the seed catalog
 * and the station's agents as GET /v1/agents serves them. Covers the PIN
 * (right; wrong with a growing delay kept across a restart of the journey;
 * locked, naming the station's phone; unlocked by a new PIN hash), a card
 * that is no agent, the authorisation required before acting, the case
 * filed for the resident (applicant) by the agent (handler, channel 代办),
 * the agent's list with deadlines (RS-011: 1 working day), and the feedback refused without the
 * resident's own card. */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "kiosk-agent-auth.h"
#include "kiosk-agent-journey.h"
#include "kiosk-core.h"
#include "kiosk-store.h"
#include "kiosk-sync.h"
#include "store-test-util.h"

#define SALT "0123456789abcdef"
#define AGENT_ID_NUMBER "440304198805120019"
#define AGENT2_ID_NUMBER "440304199203080026"
#define RESIDENT_ID_NUMBER "11010519491231002X"

static struct {
  char *dir;
  int platform_port;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskAgentJourney *agent;
  char *pin_hash; /* "246810" */
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

static KioskIdentity *
card (const char *name, const char *id_number)
{
  KioskIdentity *id = kiosk_identity_new ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup (name);
  id->gender_code = '1';
  id->birth_date = g_strdup ("1988-05-12");
  id->id_number = g_strdup (id_number);
  id->id_number_valid = TRUE;
  id->address = g_strdup ("某县某镇某村1号");
  id->valid_to = g_strdup ("长期");
  return id;
}

static void
place (KioskIdentity *id)
{
  KioskDevice *reader = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "idcard");
  g_signal_emit_by_name (reader, "identity", id);
  kiosk_identity_free (id);
}

static GBytes *
png (void)
{
  guint8 b[64] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  for (guint i = 8; i < sizeof b; i++)
    b[i] = (guint8) (i * 7);
  return g_bytes_new (b, sizeof b);
}

static char *
id_hash (const char *id_number)
{
  g_autofree char *s = g_strconcat (SALT, ":", id_number, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, s, -1);
}

/* The station's list as the platform serves it; @pin2 the hash of A-002. */
static void
set_agents (const char *pin2)
{
  g_autofree char *h1 = id_hash (AGENT_ID_NUMBER), *h2 = id_hash (AGENT2_ID_NUMBER);
  g_autofree char *doc = g_strdup_printf (
      "{\"station\":{\"id\":\"ST-1\",\"name\":\"测试村便民服务站\"},\"id_salt\":\"" SALT "\",\"agents\":["
      "{\"id\":\"A-001\",\"name\":\"李建国\",\"id_number_hash\":\"%s\",\"pin_hash\":\"%s\"},"
      "{\"id\":\"A-002\",\"name\":\"陈晓梅\",\"id_number_hash\":\"%s\",\"pin_hash\":\"%s\"}]}",
      h1, T.pin_hash, h2, pin2);
  g_autoptr (GError) error = NULL;

  g_assert_true (kiosk_store_set_meta (kiosk_core_get_store (T.core), "agents", doc, &error));
  g_assert_no_error (error);
}

static void
setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *catalog_path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autofree char *catalog = NULL;

  T.dir = g_dir_make_tmp ("kiosk-agent-XXXXXX", &error);
  g_assert_no_error (error);
  /* Nobody listens on the platform's port until the sync test starts the
   * reference platform there: offline until then. */
  {
    g_autoptr (GSocket) sk = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr (GSocketAddress) a = g_inet_socket_address_new (lo, 0);
    g_autoptr (GSocketAddress) bound = NULL;
    g_assert_true (g_socket_bind (sk, a, TRUE, NULL));
    bound = g_socket_get_local_address (sk, NULL);
    T.platform_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  }
  conf = g_strdup_printf ("[kiosk]\nid=AG-01\nstation=测试村便民服务站\nphone=0571-00000000\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\n"
                          "[idcard]\nbackend=real\nports=%s/no-such-tty\ntransport=serial\n"
                          "[camera]\nbackend=real\n[pad]\nbackend=none\n"
                          "[printer]\nbackend=real\nuri=ipp://127.0.0.1:9/ipp/print\n",
                          T.dir, T.platform_port, T.dir);
  {
    /* The same configuration on disk, for kioskctl. */
    g_autofree char *path = g_build_filename (T.dir, "kiosk.conf", NULL);
    g_assert_true (g_file_set_contents (path, conf, -1, &error));
  }
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_core_start (T.core);
  WAIT_FOR (kiosk_core_get_store (T.core) != NULL && kiosk_core_get_sync (T.core) != NULL, 20);
  kiosk_sync_set_backoff (kiosk_core_get_sync (T.core), 50, 500);
  g_assert_true (g_file_get_contents (catalog_path, &catalog, NULL, &error));
  g_assert_true (kiosk_store_set_catalog (kiosk_core_get_store (T.core), catalog, NULL, &error));
  T.pin_hash = kiosk_pin_hash ("246810");
  g_assert_nonnull (T.pin_hash);
  set_agents (T.pin_hash);
  T.agent = KIOSK_AGENT_JOURNEY (kiosk_session_find_journey (T.session, "proxy"));
  g_assert_nonnull (T.agent);
}

static void
teardown (void)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", T.dir);

  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (T.dir);
  g_free (T.pin_hash);
}

/* Into 代办 with @who's card (as the session asks for it). */
static void
enter (const char *name, const char *id_number)
{
  kiosk_session_wipe (T.session);
  g_assert_true (kiosk_session_touch (T.session));
  g_assert_true (kiosk_session_select_journey (T.session, "proxy"));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_IDENTIFY);
  place (card (name, id_number));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_JOURNEY);
  WAIT_FOR (kiosk_agent_journey_get_login_state (T.agent) != KIOSK_AGENT_LOGIN_LOADING, 20);
}

static void
pin (const char *p)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (kiosk_agent_journey_submit_pin (T.agent, p, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_agent_journey_get_login_state (T.agent), ==, KIOSK_AGENT_LOGIN_CHECKING);
  WAIT_FOR (kiosk_agent_journey_get_login_state (T.agent) != KIOSK_AGENT_LOGIN_CHECKING, 60);
}

static void
login (void)
{
  enter ("李建国", AGENT_ID_NUMBER);
  g_assert_cmpint (kiosk_agent_journey_get_login_state (T.agent), ==, KIOSK_AGENT_LOGIN_PIN);
  pin ("246810");
  g_assert_cmpint (kiosk_agent_journey_get_login_state (T.agent), ==, KIOSK_AGENT_LOGIN_DONE);
  g_assert_cmpint (kiosk_agent_journey_get_stage (T.agent), ==, KIOSK_AGENT_STAGE_MENU);
  g_assert_cmpstr (kiosk_agent_journey_get_agent_id (T.agent), ==, "A-001");
}

/* kioskctl --json @command against the test's store: its stdout, parsed;
 * *@out the raw text. */
static JsonNode *
kioskctl (const char *command, int *exit_status, char **out)
{
  const char *bin = g_getenv ("KIOSKCTL");
  g_autofree char *conf = g_build_filename (T.dir, "kiosk.conf", NULL);
  const char *argv[] = { bin, "--config", conf, "--json", command, NULL };
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  int wait_status = 0;

  g_assert_nonnull (bin);
  g_assert_true (
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, &err, &wait_status, &error));
  g_assert_no_error (error);
  *exit_status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  g_assert_true (json_parser_load_from_data (parser, *out, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* ---- tests ------------------------------------------------------------------- */

static void
test_delays (void)
{
  KioskPinState st = { 0 };

  g_assert_cmpint (kiosk_pin_delay_seconds (0), ==, 0);
  g_assert_cmpint (kiosk_pin_delay_seconds (1), ==, 5);
  g_assert_cmpint (kiosk_pin_delay_seconds (2), ==, 10);
  g_assert_cmpint (kiosk_pin_delay_seconds (4), ==, 40);
  st.failures = 2;
  st.last_failure = 1000 * G_USEC_PER_SEC;
  g_assert_cmpint (kiosk_pin_state_wait (&st, 1000 * G_USEC_PER_SEC), ==, 10);
  g_assert_cmpint (kiosk_pin_state_wait (&st, 1009 * G_USEC_PER_SEC), ==, 1);
  g_assert_cmpint (kiosk_pin_state_wait (&st, 1010 * G_USEC_PER_SEC), ==, 0);
  g_assert_false (kiosk_pin_state_locked (&st));
  st.failures = KIOSK_PIN_MAX_FAILURES;
  g_assert_true (kiosk_pin_state_locked (&st));
  g_assert_true (kiosk_pin_verify (T.pin_hash, "246810"));
  g_assert_false (kiosk_pin_verify (T.pin_hash, "246811"));
  g_assert_false (kiosk_pin_verify ("not a hash", "246810"));
}

/* A resident's card is no agent's; the agent's card then asks the PIN. */
static void
test_not_agent (void)
{
  enter ("张三", RESIDENT_ID_NUMBER);
  g_assert_cmpint (kiosk_agent_journey_get_login_state (T.agent), ==, KIOSK_AGENT_LOGIN_NOT_AGENT);
  g_assert_nonnull (kiosk_agent_journey_get_message (T.agent));
  g_assert_false (kiosk_agent_journey_submit_pin (T.agent, "246810", NULL));
  place (card ("李建国", AGENT_ID_NUMBER));
  g_assert_cmpint (kiosk_agent_journey_get_login_state (T.agent), ==, KIOSK_AGENT_LOGIN_PIN);
  g_assert_cmpstr (kiosk_agent_journey_get_agent_name (T.agent), ==, "李建国");
  kiosk_session_wipe (T.session);
  g_assert_null (kiosk_agent_journey_get_agent_name (T.agent));
}

/* Right, wrong with a growing delay (kept when the journey starts again),
 * locked after five, unlocked by a new PIN hash. */
static void
test_pin (void)
{
  g_autoptr (GError) error = NULL;
  gint64 t = 1800000000LL * G_USEC_PER_SEC;
  g_autofree char *new_hash = NULL;

  _kiosk_agent_journey_set_now (T.agent, t);
  enter ("陈晓梅", AGENT2_ID_NUMBER);
  g_assert_cmpint (kiosk_agent_journey_get_login_state (T.agent), ==, KIOSK_AGENT_LOGIN_PIN);
  g_assert_false (kiosk_agent_journey_submit_pin (T.agent, "12", &error));
  g_assert_error (error, KIOSK_AGENT_ERROR, KIOSK_AGENT_ERROR_INVALID);
  g_clear_error (&error);

  pin ("111111");
  g_assert_cmpint (kiosk_agent_journey_get_login_state (T.agent), ==, KIOSK_AGENT_LOGIN_WRONG);
  g_assert_cmpint (kiosk_agent_journey_get_wait_seconds (T.agent), ==, 5);
  g_assert_cmpint (kiosk_agent_journey_get_tries_left (T.agent), ==, 4);
  /* Too soon: refused without checking. */
  g_assert_false (kiosk_agent_journey_submit_pin (T.agent, "246810", &error));
  g_assert_error (error, KIOSK_AGENT_ERROR, KIOSK_AGENT_ERROR_WAIT);
  g_clear_error (&error);
  t += 5 * G_USEC_PER_SEC;
  _kiosk_agent_journey_set_now (T.agent, t);
  pin ("222222");
  g_assert_cmpint (kiosk_agent_journey_get_wait_seconds (T.agent), ==, 10);

  /* The journey starts again (a restart reads the same store): the count
   * and the wait are still there. */
  kiosk_session_wipe (T.session);
  enter ("陈晓梅", AGENT2_ID_NUMBER);
  g_assert_cmpint (kiosk_agent_journey_get_login_state (T.agent), ==, KIOSK_AGENT_LOGIN_WRONG);
  g_assert_cmpint (kiosk_agent_journey_get_wait_seconds (T.agent), ==, 10);
  g_assert_cmpint (kiosk_agent_journey_get_tries_left (T.agent), ==, 3);
  g_assert_false (kiosk_agent_journey_submit_pin (T.agent, "246810", NULL));
  for (int delay = 10; delay <= 40; delay *= 2)
    {
      t += delay * G_USEC_PER_SEC;
      _kiosk_agent_journey_set_now (T.agent, t);
      pin ("333333");
    }
  /* Five wrong: locked, whoever waits; the message says to call. */
  g_assert_cmpint (kiosk_agent_journey_get_login_state (T.agent), ==, KIOSK_AGENT_LOGIN_LOCKED);
  g_assert_cmpint (kiosk_agent_journey_get_tries_left (T.agent), ==, 0);
  g_assert_cmpstr (kiosk_agent_journey_get_phone (T.agent), ==, "0571-00000000");
  g_assert_nonnull (strstr (kiosk_agent_journey_get_message (T.agent), "call the station"));
  t += (gint64) 3600 * G_USEC_PER_SEC;
  _kiosk_agent_journey_set_now (T.agent, t);
  g_assert_false (kiosk_agent_journey_submit_pin (T.agent, "246810", &error));
  g_assert_error (error, KIOSK_AGENT_ERROR, KIOSK_AGENT_ERROR_LOCKED);
  g_clear_error (&error);
  kiosk_session_wipe (T.session);
  enter ("陈晓梅", AGENT2_ID_NUMBER);
  g_assert_cmpint (kiosk_agent_journey_get_login_state (T.agent), ==, KIOSK_AGENT_LOGIN_LOCKED);

  /* The other agent is not locked by it. */
  kiosk_session_wipe (T.session);
  login ();

  /* The platform resets A-002's PIN: a new hash unlocks. */
  new_hash = kiosk_pin_hash ("135790");
  set_agents (new_hash);
  enter ("陈晓梅", AGENT2_ID_NUMBER);
  g_assert_cmpint (kiosk_agent_journey_get_login_state (T.agent), ==, KIOSK_AGENT_LOGIN_PIN);
  pin ("135790");
  g_assert_cmpint (kiosk_agent_journey_get_stage (T.agent), ==, KIOSK_AGENT_STAGE_MENU);
  set_agents (T.pin_hash);
  _kiosk_agent_journey_set_now (T.agent, 0);
  kiosk_session_wipe (T.session);
}

static char *
outbox_payload_of_kind (const char *kind)
{
  g_autoptr (GError) error = NULL;
  KioskStore *store = kiosk_core_get_store (T.core);
  char *found = NULL;
  g_autofree char *sql_free = NULL;
  gint64 next = 0;
  g_autoptr (GArray) busy = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Walk the pending outbox in order, leaving aside what was seen. */
  for (;;)
    {
      g_autoptr (KioskOutboxItem) item = kiosk_store_outbox_next_except (
          store, G_MAXINT64, (const gint64 *) (void *) busy->data, busy->len, &next, &error);
      g_assert_no_error (error);
      if (item == NULL)
        break;
      g_array_append_val (busy, item->id);
      if (g_str_equal (item->kind, kind))
        {
          g_free (found);
          found = g_strdup (item->payload);
        }
    }
  return found;
}

/* The authorisation comes before acting; then the case is filed for the
 * resident by the agent; then hand-over and feedback need the resident's
 * own card. */
static void
test_authorise_act_feedback (void)
{
  g_autoptr (GError) error = NULL;
  KioskApplyJourney *apply;
  KioskStore *store = kiosk_core_get_store (T.core);
  g_autofree char *auth = NULL, *case_json = NULL, *handover = NULL, *feedback = NULL;
  g_autofree char *number = NULL;
  g_autofree char *auth_id = NULL;
  JsonObject *data;
  const KioskAgentCase *c;

  login ();
  /* Not before a resident's card and a signed authorisation. */
  g_assert_false (kiosk_agent_journey_confirm_authorisation (T.agent, &error));
  g_assert_error (error, KIOSK_AGENT_ERROR, KIOSK_AGENT_ERROR_NOT_NOW);
  g_clear_error (&error);
  g_assert_true (kiosk_agent_journey_new_case (T.agent, NULL));
  g_assert_cmpint (kiosk_agent_journey_get_stage (T.agent), ==, KIOSK_AGENT_STAGE_RESIDENT);
  /* The agent's own card is no resident's. */
  place (card ("李建国", AGENT_ID_NUMBER));
  g_assert_cmpint (kiosk_agent_journey_get_stage (T.agent), ==, KIOSK_AGENT_STAGE_RESIDENT);
  g_assert_nonnull (strstr (kiosk_agent_journey_get_message (T.agent), "agent's own card"));
  place (card ("张三", RESIDENT_ID_NUMBER));
  g_assert_cmpint (kiosk_agent_journey_get_stage (T.agent), ==, KIOSK_AGENT_STAGE_ITEM);
  g_assert_cmpstr (kiosk_agent_journey_get_resident (T.agent)->id_number, ==, RESIDENT_ID_NUMBER);
  WAIT_FOR (kiosk_agent_journey_get_items (T.agent)->len > 0, 20);
  g_assert_false (kiosk_agent_journey_choose_item (T.agent, "CL-031", NULL)); /* not taken here */
  g_assert_true (kiosk_agent_journey_choose_item (T.agent, "RS-011", &error));
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_agent_journey_get_stage (T.agent), ==, KIOSK_AGENT_STAGE_AUTHORISATION);

  /* The 委托书 names the item, both parties, scope and time limit. */
  data = kiosk_agent_journey_dup_authorisation (T.agent);
  g_assert_cmpstr (json_object_get_string_member (data, "item_name"), ==, "社会保障卡注销");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (data, "principal"), "id_number"), ==,
                   RESIDENT_ID_NUMBER);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (data, "agent"), "name"), ==, "李建国");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (data, "scope")), ==, 3);
  g_assert_nonnull (json_object_get_string_member (data, "period_to"));
  json_object_unref (data);

  /* Unsigned: acting is refused, and 自助申报 has nothing. */
  apply = kiosk_agent_journey_get_apply (T.agent);
  g_assert_false (kiosk_agent_journey_confirm_authorisation (T.agent, &error));
  g_assert_error (error, KIOSK_AGENT_ERROR, KIOSK_AGENT_ERROR_NOT_AUTHORISED);
  g_clear_error (&error);
  g_assert_cmpint (kiosk_agent_journey_get_stage (T.agent), ==, KIOSK_AGENT_STAGE_AUTHORISATION);
  g_assert_null (kiosk_apply_journey_get_item (apply));
  g_assert_null (kiosk_agent_journey_get_authorisation_id (T.agent));
  {
    g_autoptr (GBytes) sig = png ();
    g_autoptr (GBytes) bad = g_bytes_new_static ("not a png", 9);
    g_assert_false (kiosk_agent_journey_set_signature (T.agent, bad, NULL));
    g_assert_true (kiosk_agent_journey_set_signature (T.agent, sig, &error));
    g_assert_no_error (error);
  }
  g_assert_true (kiosk_agent_journey_confirm_authorisation (T.agent, &error));
  g_assert_no_error (error);
  WAIT_FOR (kiosk_agent_journey_get_stage (T.agent) == KIOSK_AGENT_STAGE_APPLY, 20);
  auth_id = g_strdup (kiosk_agent_journey_get_authorisation_id (T.agent));
  g_assert_nonnull (auth_id);
  auth = outbox_payload_of_kind ("proxy_authorisation");
  g_assert_nonnull (auth);
  g_assert_nonnull (strstr (auth, auth_id));
  g_assert_nonnull (strstr (auth, "\"signed\":\"screen\""));
  g_assert_nonnull (strstr (auth, "\"item_code\":\"RS-011\""));

  /* Acting: 自助申报 for the resident, the item chosen. */
  g_assert_cmpstr (kiosk_apply_journey_get_item (apply)->code, ==, "RS-011");
  g_assert_cmpint (kiosk_apply_journey_get_current_step (apply), ==, KIOSK_APPLY_STEP_FORM);
  g_assert_cmpstr (kiosk_case_draft_get_applicant (kiosk_apply_journey_get_draft (apply))->id_number, ==,
                   RESIDENT_ID_NUMBER);
  kiosk_apply_journey_set_value (apply, "phone", "13800138000");
  g_assert_true (kiosk_apply_journey_next (apply, NULL));
  g_assert_cmpint (kiosk_apply_journey_get_current_step (apply), ==, KIOSK_APPLY_STEP_MATERIALS);
  {
    /* 一次性告知: every missing material with how to get it, at once. */
    g_autoptr (GPtrArray) missing = kiosk_agent_journey_dup_missing (T.agent);
    int card_index = kiosk_catalog_item_find_material (kiosk_apply_journey_get_item (apply), "社会保障卡(非必要)");
    guint8 jb[128] = { 0xff, 0xd8, 0xff, 0xe0 };
    g_autoptr (GBytes) page = g_bytes_new (jb, sizeof jb);

    g_assert_cmpuint (missing->len, ==, 1);
    g_assert_true (g_str_has_prefix (missing->pdata[0], "社会保障卡(非必要)\t"));
    g_assert_cmpuint (strlen (strchr (missing->pdata[0], '\t')), >, 1);
    /* The page comes through the agent's journey, as the core forwards it. */
    g_assert_cmpint (card_index, >=, 0);
    g_assert_true (kiosk_apply_journey_set_scan_target (apply, card_index, NULL));
    _kiosk_journey_page_captured (KIOSK_JOURNEY (T.agent), page, 100, 100, 200, NULL);
  }
  {
    g_autoptr (GPtrArray) missing = kiosk_agent_journey_dup_missing (T.agent);
    g_assert_cmpuint (missing->len, ==, 0);
  }
  while (kiosk_apply_journey_get_current_step (apply) != KIOSK_APPLY_STEP_REVIEW)
    g_assert_true (kiosk_apply_journey_next (apply, NULL));
  g_assert_true (kiosk_apply_journey_submit (apply, &error));
  g_assert_no_error (error);
  WAIT_FOR (kiosk_apply_journey_get_submit_state (apply) == KIOSK_APPLY_SUBMIT_ACCEPTED, 30);
  number = g_strdup (kiosk_apply_journey_get_case_number (apply));
  {
    g_autoptr (KioskCaseInfo) info = kiosk_store_find_case (store, number, &error);
    g_assert_no_error (error);
    case_json = kiosk_store_get_case_json (store, info->id, &error);
    g_assert_no_error (error);
  }
  g_assert_nonnull (strstr (case_json, "\"id_number\":\"" RESIDENT_ID_NUMBER "\""));
  {
    g_autofree char *p = g_strdup_printf ("\"proxy_authorisation\":\"%s\"", auth_id);
    g_assert_nonnull (strstr (case_json, p));
  }
  g_assert_nonnull (strstr (case_json, "\"id\":\"A-001\""));
  g_assert_nonnull (strstr (case_json, "\"channel\":\"代办\""));
  g_assert_nonnull (strstr (case_json, "\"name\":\"李建国\""));
  /* Done: back to the agent's menu, not to a rating by the agent. */
  g_assert_true (kiosk_apply_journey_finish (apply));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_JOURNEY);
  g_assert_cmpint (kiosk_agent_journey_get_stage (T.agent), ==, KIOSK_AGENT_STAGE_MENU);
  g_assert_null (kiosk_agent_journey_get_resident (T.agent));

  /* The agent's list: the case with its deadline (3 working days). */
  g_assert_true (kiosk_agent_journey_show_cases (T.agent, NULL));
  WAIT_FOR (kiosk_agent_journey_get_cases (T.agent)->len == 1, 20);
  c = kiosk_agent_journey_get_cases (T.agent)->pdata[0];
  g_assert_cmpstr (c->provisional, ==, number);
  g_assert_cmpstr (c->item_code, ==, "RS-011");
  g_assert_false (c->late);
  g_assert_false (c->handed_over);
  {
    /* The item's 1 working day from acceptance (today). */
    g_autoptr (GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
    g_assert_nonnull (c->deadline);
    g_assert_cmpstr (c->deadline, >, today);
  }

  /* Feedback: refused without the resident's own card read now. */
  g_assert_true (kiosk_agent_journey_choose_case (T.agent, number, &error));
  g_assert_no_error (error);
  g_assert_false (kiosk_agent_journey_submit_feedback (T.agent, TRUE, 5, &error));
  g_assert_error (error, KIOSK_AGENT_ERROR, KIOSK_AGENT_ERROR_NO_RESIDENT_CARD);
  g_clear_error (&error);
  /* The agent's card (rating themselves) is refused too. */
  place (card ("李建国", AGENT_ID_NUMBER));
  g_assert_false (kiosk_agent_journey_get_resident_confirmed (T.agent));
  g_assert_false (kiosk_agent_journey_submit_feedback (T.agent, TRUE, 5, &error));
  g_assert_error (error, KIOSK_AGENT_ERROR, KIOSK_AGENT_ERROR_NO_RESIDENT_CARD);
  g_clear_error (&error);
  place (card ("张三", "11010519491231002x"));
  g_assert_true (kiosk_agent_journey_get_resident_confirmed (T.agent));
  g_assert_false (kiosk_agent_journey_submit_feedback (T.agent, TRUE, 0, NULL));
  g_assert_true (kiosk_agent_journey_submit_feedback (T.agent, TRUE, 4, &error));
  g_assert_no_error (error);
  WAIT_FOR (kiosk_agent_journey_get_stage (T.agent) == KIOSK_AGENT_STAGE_CASES, 20);
  WAIT_FOR (kiosk_agent_journey_get_cases (T.agent)->len == 0, 20);
  handover = outbox_payload_of_kind ("proxy_handover");
  feedback = outbox_payload_of_kind ("proxy_feedback");
  g_assert_nonnull (handover);
  g_assert_nonnull (strstr (handover, number));
  g_assert_nonnull (feedback);
  g_assert_nonnull (strstr (feedback, "\"agent_id\":\"A-001\""));
  g_assert_nonnull (strstr (feedback, "\"satisfaction\":4"));
  g_assert_nonnull (strstr (feedback, "\"rater_id_number\":\"" RESIDENT_ID_NUMBER "\""));
  {
    /* Handed over: listed by the store, no longer open. */
    GDate today;
    g_autoptr (GPtrArray) all = NULL;
    g_date_clear (&today, 1);
    g_date_set_time_t (&today, time (NULL));
    all = kiosk_agent_list_cases (store, NULL, &today, FALSE);
    g_assert_cmpuint (all->len, ==, 1);
    g_assert_true (((KioskAgentCase *) all->pdata[0])->handed_over);
  }
  {
    /* kioskctl: the agents without PINs, hashes or ID numbers; the case
     * with its deadline, handed over, and no resident's data. */
    g_autoptr (JsonNode) agents = NULL, cases = NULL;
    g_autofree char *text = NULL, *text2 = NULL;
    JsonObject *first;
    int rc = -1;

    agents = kioskctl ("agents", &rc, &text);
    g_assert_cmpint (rc, ==, 0);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (agents), "agents")),
                      ==, 2);
    g_assert_null (strstr (text, "argon2"));
    g_assert_null (strstr (text, "hash"));
    g_assert_null (strstr (text, AGENT_ID_NUMBER));
    g_assert_null (strstr (text, "246810"));
    g_assert_nonnull (strstr (text, "\"name\":\"李建国\""));
    cases = kioskctl ("proxy-cases", &rc, &text2);
    g_assert_cmpint (rc, ==, 0);
    first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (cases), "cases"), 0);
    g_assert_cmpstr (json_object_get_string_member (first, "provisional_number"), ==, number);
    g_assert_true (json_object_get_boolean_member (first, "handed_over"));
    g_assert_nonnull (json_object_get_string_member (first, "deadline"));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "agent"), "id"), ==, "A-001");
    g_assert_null (strstr (text2, RESIDENT_ID_NUMBER));
    g_assert_null (strstr (text2, "张三"));
  }
  kiosk_secure_free (g_steal_pointer (&case_json));
  kiosk_session_wipe (T.session);
  g_assert_cmpint (kiosk_agent_journey_get_stage (T.agent), ==, KIOSK_AGENT_STAGE_LOGIN);
}

/* Late ones first: a second case whose promised date (the platform's) has
 * passed comes before the one on time. */
static void
test_late_first (void)
{
  KioskStore *store = kiosk_core_get_store (T.core);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cases = NULL;
  g_autofree char *json = NULL;
  g_autofree char *late = NULL;
  GDate today;

  json = g_strdup_printf ("{\"item_code\":\"RS-011\",\"applicant\":{\"name\":\"王五\",\"id_number\":\"%s\"},"
                          "\"form\":{},\"commitment\":null,\"owed_materials\":[],\"delivery\":{\"method\":"
                          "\"pickup\"},\"proxy_authorisation\":\"AG-01-PA-late\",\"agent\":{\"id\":\"A-001\","
                          "\"name\":\"李建国\",\"channel\":\"代办\"}}",
                          RESIDENT_ID_NUMBER);
  late = kiosk_store_submit_case (store, json, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_store_set_case_status (store, late, "in_review", "审查中", "2020-01-02", &error));
  g_assert_no_error (error);
  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  cases = kiosk_agent_list_cases (store, "A-001", &today, FALSE);
  g_assert_cmpuint (cases->len, ==, 2);
  g_assert_cmpstr (((KioskAgentCase *) cases->pdata[0])->provisional, ==, late);
  g_assert_true (((KioskAgentCase *) cases->pdata[0])->late);
  g_assert_cmpstr (((KioskAgentCase *) cases->pdata[0])->deadline, ==, "2020-01-02");
  g_assert_false (((KioskAgentCase *) cases->pdata[1])->late);
  /* Another agent's list has neither. */
  g_clear_pointer (&cases, g_ptr_array_unref);
  cases = kiosk_agent_list_cases (store, "A-002", &today, FALSE);
  g_assert_cmpuint (cases->len, ==, 0);
}

/* The platform comes up: the authorisation, the case naming it, the
 * hand-over and the feedback all reach it, exactly once; then the station's
 * list of agents is downloaded like the catalog. */
static void
test_synced (void)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%d", T.platform_port);
  const char *const args[] = { "--listen", listen, NULL };
  KioskStore *store = kiosk_core_get_store (T.core);
  TestPlatform *platform = test_platform_start (T.dir, args);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  g_autofree char *agents = NULL;

  g_assert_cmpint (kiosk_store_get_backlog (store), >=, 4);
  kiosk_store_set_meta (store, "agents", NULL, NULL);
  kiosk_sync_wake (kiosk_core_get_sync (T.core));
  while (kiosk_store_get_backlog (store) > 0 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (50 * 1000);
    }
  g_assert_cmpint (kiosk_store_get_backlog (store), ==, 0);
  g_assert_cmpint (test_platform_stat (platform, "proxy_authorisations"), ==, 1);
  g_assert_cmpint (test_platform_stat (platform, "cases"), ==, 1);
  g_assert_cmpint (test_platform_stat (platform, "other_records"), ==, 2);
  g_assert_cmpint (test_platform_stat (platform, "rejections"), ==, 0);
  g_assert_true (kiosk_sync_refresh_documents (kiosk_core_get_sync (T.core), NULL, NULL));
  agents = kiosk_store_get_meta (store, "agents", NULL);
  g_assert_nonnull (agents);
  g_assert_nonnull (strstr (agents, "\"A-001\""));
  g_assert_null (strstr (agents, "440304198805120019"));
  test_platform_stop (platform);
  set_agents (T.pin_hash);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  /* The plain-HTTP platform and the missing devices are warned about:
   * expected here; criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  setup ();
  g_test_add_func ("/agent/delays", test_delays);
  g_test_add_func ("/agent/not-agent", test_not_agent);
  g_test_add_func ("/agent/pin", test_pin);
  g_test_add_func ("/agent/authorise-act-feedback", test_authorise_act_feedback);
  g_test_add_func ("/agent/synced", test_synced);
  g_test_add_func ("/agent/late-first", test_late_first);
  rc = g_test_run ();
  teardown ();
  return rc;
}
