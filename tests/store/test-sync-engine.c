/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store-test"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "store-test-util.h"

/* The sync engine's scheduling against a scripted platform adapter (no
 * network, no timing): how the link backs off, how an item that fails for
 * its own reasons steps aside, and what happens to an answer the store
 * cannot take (issues #11 and #12). */

typedef struct {
  KioskPlatformAdapter parent;
  struct Script *script;
} FakeAdapter;

typedef struct Script {
  /* Decides the answer to a submission of @kind whose payload names
   * @number ("provisional_number" of a case, "case_number" of a rating). */
  void (*submit) (struct Script *s, const char *kind, const char *number, KioskPlatformResult *out);
  GPtrArray *log; /* "case K-..." / "rating K-..." per submission, in order */
  guint requests;
  guint fail_next; /* the next N requests get no answer */
  gint64 retry_after_ms;
  int fail_status; /* 0: no answer; else this status */
  char *failing;   /* a case number whose submission fails (HTTP 500) */
  guint failing_left;
  const char *official; /* answer every case with this official number */
  /* Several connections: submissions may come from several threads. */
  GMutex lock;
  gulong delay_us; /* each submission takes this long */
  guint in_flight, max_in_flight;
  guint early_ratings; /* a rating sent before its case was acknowledged */
} Script;

static void
fake_fail (Script *s, KioskPlatformResult *out)
{
  s->fail_next--;
  out->outcome = KIOSK_PLATFORM_TRANSIENT;
  out->http_status = s->fail_status;
  out->retry_after_ms = s->retry_after_ms;
  out->message = g_strdup (s->fail_status ? "HTTP 503 unavailable" : "Connection reset by peer");
}

static void
fake_submit_locked (Script *s, const char *kind, const char *payload, KioskPlatformResult *out)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o;
  const char *number;

  kiosk_platform_result_clear (out);
  s->requests++;
  if (s->fail_next > 0)
    {
      fake_fail (s, out);
      return;
    }
  g_assert_true (json_parser_load_from_data (parser, payload, -1, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  number = json_object_get_string_member_with_default (
      o, g_str_equal (kind, "case") ? "provisional_number" : "case_number", "-");
  if (s->failing && g_str_equal (number, s->failing) && g_str_equal (kind, "case") && s->failing_left > 0)
    {
      s->failing_left--;
      out->outcome = KIOSK_PLATFORM_TRANSIENT;
      out->http_status = 500;
      out->message = g_strdup ("HTTP 500 internal: this case trips a platform bug");
      return;
    }
  g_ptr_array_add (s->log, g_strdup_printf ("%s %s", kind, number));
  out->outcome = KIOSK_PLATFORM_OK;
  out->http_status = 201;
  if (g_str_equal (kind, "case"))
    {
      g_autofree char *official
          = s->official ? g_strdup (s->official) : g_strdup_printf ("ZW-%u-%s", s->log->len, number);
      out->body = g_strdup_printf ("{\"official_number\":\"%s\",\"provisional_number\":\"%s\",\"status\":\"received\"}",
                                   official, number);
    }
  else
    out->body = g_strdup_printf ("{\"received\":true,\"kind\":\"%s\"}", kind);
}

static void
fake_submit (KioskPlatformAdapter *ad, const char *kind, const char *key, const char *payload, GCancellable *c,
             KioskPlatformResult *out)
{
  Script *s = ((FakeAdapter *) ad)->script;

  g_mutex_lock (&s->lock);
  s->in_flight++;
  s->max_in_flight = MAX (s->max_in_flight, s->in_flight);
  if (g_str_equal (kind, "rating"))
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autofree char *entry = NULL;
      gboolean acknowledged = FALSE;

      g_assert_true (json_parser_load_from_data (parser, payload, -1, NULL));
      entry = g_strdup_printf ("case %s", json_object_get_string_member (
                                              json_node_get_object (json_parser_get_root (parser)), "case_number"));
      for (guint i = 0; i < s->log->len; i++)
        acknowledged |= g_str_equal (s->log->pdata[i], entry);
      s->early_ratings += !acknowledged;
    }
  g_mutex_unlock (&s->lock);
  if (s->delay_us)
    g_usleep (s->delay_us);
  g_mutex_lock (&s->lock);
  fake_submit_locked (s, kind, payload, out);
  s->in_flight--;
  g_mutex_unlock (&s->lock);
}

static void
fake_attachment_status (KioskPlatformAdapter *ad, const char *sha256, gint64 size, GCancellable *c,
                        KioskPlatformResult *out)
{
  kiosk_platform_result_clear (out);
  out->outcome = KIOSK_PLATFORM_OK;
  out->http_status = 200;
  out->offset = size;
  out->complete = TRUE;
}

static void
fake_attachment_append (KioskPlatformAdapter *ad, const char *sha256, gint64 size, gint64 offset, const guint8 *data,
                        gsize len, GCancellable *c, KioskPlatformResult *out)
{
  kiosk_platform_result_clear (out);
  out->outcome = KIOSK_PLATFORM_OK;
  out->http_status = 200;
  out->offset = offset + (gint64) len;
  out->complete = out->offset == size;
}

static void
fake_free (KioskPlatformAdapter *ad)
{
  g_free (ad);
}

static const KioskPlatformAdapterClass fake_class = {
  .submit = fake_submit,
  .attachment_status = fake_attachment_status,
  .attachment_append = fake_attachment_append,
  .free = fake_free,
};

static KioskPlatformAdapter *
fake_factory (gpointer data, GError **error)
{
  FakeAdapter *ad = g_new0 (FakeAdapter, 1);

  ad->parent.klass = &fake_class;
  ad->script = data;
  return &ad->parent;
}

typedef struct {
  char *dir;
  KioskStore *store;
  KioskSync *sync;
  Script script;
} Fixture;

static void
fixture_start (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = store_test_fast_tmpdir ("sync-engine");
  path = g_build_filename (f->dir, "queue.db", NULL);
  f->store = kiosk_store_open (path, "K-9", &error);
  g_assert_no_error (error);
  kiosk_store_set_min_free_bytes (f->store, 0);
  f->script.log = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&f->script.lock);
  f->script.retry_after_ms = -1;
  f->sync = kiosk_sync_new (f->store, fake_factory, &f->script, NULL);
  kiosk_sync_set_heartbeat_interval (f->sync, 0);
}

static void
fixture_stop (Fixture *f)
{
  g_clear_object (&f->sync);
  g_clear_object (&f->store);
  g_ptr_array_unref (f->script.log);
  g_mutex_clear (&f->script.lock);
  g_free (f->script.failing);
  store_test_rmdir (f->dir);
  g_free (f->dir);
}

static char *
add_case (Fixture *f, guint seed)
{
  g_autoptr (GError) error = NULL;
  char *n = test_submit_demo_case (f->store, seed, 1, 16, 16, &error);

  g_assert_no_error (error);
  return n;
}

static void
add_rating (Fixture *f, const char *case_number)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *json = g_strdup_printf ("{\"case_number\":\"%s\",\"level\":5}", case_number);

  g_assert_cmpint (kiosk_store_enqueue_rating (f->store, json, &error), >, 0);
  g_assert_no_error (error);
}

static int
position (Fixture *f, const char *entry)
{
  for (guint i = 0; i < f->script.log->len; i++)
    if (g_str_equal (f->script.log->pdata[i], entry))
      return (int) i;
  return -1;
}

static int
count_entries (Fixture *f, const char *entry)
{
  int n = 0;

  for (guint i = 0; i < f->script.log->len; i++)
    n += g_str_equal (f->script.log->pdata[i], entry);
  return n;
}

/* Issue #12 §3: the platform answers a case with an official number that
 * another case holds. The store cannot take it; that is a failure of this
 * item (counted, with its reason), and the items behind it go out. */
static void
test_official_number_clash (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *e_b = NULL, *e_c = NULL;
  g_autoptr (KioskCaseInfo) info_a = NULL, info_b = NULL;
  g_autoptr (KioskOutboxItem) item = NULL;
  KioskQueueCounts counts;

  fixture_start (&f);
  f.script.official = "ZW-SAME";
  a = add_case (&f, 1);
  b = add_case (&f, 2);
  add_rating (&f, "none");
  g_assert_true (kiosk_store_queue_counts (f.store, &counts, &error));

  g_assert_false (kiosk_sync_run_once (f.sync, NULL, &error));
  g_assert_no_error (error);
  /* The rating behind the stuck case went out. */
  g_assert_cmpint (count_entries (&f, "rating none"), ==, 1);
  g_assert_true (kiosk_store_queue_counts (f.store, &counts, &error));
  g_assert_cmpint (counts.pending, ==, 1);
  g_assert_cmpint (counts.done, ==, 2);
  info_a = kiosk_store_find_case (f.store, a, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info_a->official_number, ==, "ZW-SAME");
  info_b = kiosk_store_find_case (f.store, b, &error);
  g_assert_no_error (error);
  g_assert_null (info_b->official_number);
  g_assert_cmpint (info_b->sync_state, ==, KIOSK_CASE_QUEUED);
  /* Recorded for the technician: attempts, status and reason. */
  item = kiosk_store_outbox_head (f.store, &error);
  g_assert_nonnull (item);
  g_assert_cmpint (item->case_id, ==, info_b->id);
  g_assert_cmpint (item->attempts, ==, 1);
  g_assert_cmpint (item->last_status, ==, 201);
  g_assert_nonnull (item->last_error);
  g_assert_nonnull (strstr (item->last_error, "official number"));
  /* It stepped aside: it comes back later, not in a tight loop. */
  g_assert_cmpint (item->next_attempt_at, >, g_get_real_time ());
  /* kioskctl queue status lists it among the failing items. */
  {
    g_autoptr (GPtrArray) failing = kiosk_store_list_failing (f.store, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (failing->len, ==, 1);
    g_assert_cmpint (((KioskOutboxItem *) failing->pdata[0])->id, ==, item->id);
    g_assert_null (((KioskOutboxItem *) failing->pdata[0])->payload);
  }

  /* New items keep flowing while it waits. */
  c = add_case (&f, 3);
  f.script.official = NULL;
  g_assert_false (kiosk_sync_run_once (f.sync, NULL, &error));
  g_assert_no_error (error);
  e_c = g_strdup_printf ("case %s", c);
  g_assert_cmpint (count_entries (&f, e_c), ==, 1);
  e_b = g_strdup_printf ("case %s", b);
  g_assert_cmpint (count_entries (&f, e_b), ==, 1); /* not sent again yet */
  fixture_stop (&f);
}

/* Issue #11 §2: a case whose own submission keeps failing (HTTP 500 for it
 * only) steps aside after N attempts; the cases behind it go out, its
 * rating waits with it, and it comes back and arrives. */
static void
test_step_aside (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  g_autofree char *e_a = NULL, *e_b = NULL, *e_c = NULL, *e_ra = NULL, *e_rb = NULL;
  KioskSyncStats stats;

  fixture_start (&f);
  kiosk_sync_set_backoff (f.sync, 50, 200);
  kiosk_sync_set_aside_after (f.sync, 3);
  a = add_case (&f, 1);
  add_rating (&f, a);
  b = add_case (&f, 2);
  add_rating (&f, b);
  c = add_case (&f, 3);
  f.script.failing = g_strdup (a);
  f.script.failing_left = 6;

  g_assert_true (kiosk_sync_run_until_empty (f.sync, 60, NULL, &error));
  g_assert_no_error (error);
  e_a = g_strdup_printf ("case %s", a);
  e_b = g_strdup_printf ("case %s", b);
  e_c = g_strdup_printf ("case %s", c);
  e_ra = g_strdup_printf ("rating %s", a);
  e_rb = g_strdup_printf ("rating %s", b);
  for (guint i = 0; i < f.script.log->len; i++)
    g_test_message ("%u: %s", i, (char *) f.script.log->pdata[i]);
  /* Each exactly once. */
  g_assert_cmpuint (f.script.log->len, ==, 5);
  g_assert_cmpint (count_entries (&f, e_a), ==, 1);
  g_assert_cmpint (count_entries (&f, e_ra), ==, 1);
  /* The others did not wait for the failing case... */
  g_assert_cmpint (position (&f, e_b), <, position (&f, e_a));
  g_assert_cmpint (position (&f, e_rb), <, position (&f, e_a));
  g_assert_cmpint (position (&f, e_c), <, position (&f, e_a));
  /* ...and kept their order; its rating waited with it. */
  g_assert_cmpint (position (&f, e_b), <, position (&f, e_rb));
  g_assert_cmpint (position (&f, e_rb), <, position (&f, e_c));
  g_assert_cmpint (position (&f, e_a), <, position (&f, e_ra));
  kiosk_sync_get_stats (f.sync, &stats);
  g_assert_cmpuint (stats.delivered, ==, 5);
  g_assert_cmpuint (stats.transient_failures, ==, 6);
  fixture_stop (&f);
}

/* Fewer than N failures of its own: the item holds the queue (order is
 * kept for a short while). */
static void
test_hold_before_aside (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *e_a = NULL, *e_b = NULL;

  fixture_start (&f);
  kiosk_sync_set_backoff (f.sync, 10, 40);
  kiosk_sync_set_aside_after (f.sync, 3);
  a = add_case (&f, 1);
  b = add_case (&f, 2);
  f.script.failing = g_strdup (a);
  f.script.failing_left = 2;
  g_assert_true (kiosk_sync_run_until_empty (f.sync, 60, NULL, &error));
  g_assert_no_error (error);
  e_a = g_strdup_printf ("case %s", a);
  e_b = g_strdup_printf ("case %s", b);
  g_assert_cmpint (position (&f, e_a), ==, 0);
  g_assert_cmpint (position (&f, e_b), ==, 1);
  fixture_stop (&f);
}

/* The link backs off as a whole: a failure of any request delays every
 * item; the first reset is retried at once; any answer resets the backoff. */
static void
test_link_backoff (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskOutboxItem) head = NULL;
  gint64 before;

  fixture_start (&f);
  kiosk_sync_set_backoff (f.sync, 2000, 8000);
  g_free (add_case (&f, 1));
  g_free (add_case (&f, 2));

  /* One reset: retried at once on a fresh connection, both delivered. */
  f.script.fail_next = 1;
  g_assert_true (kiosk_sync_run_once (f.sync, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f.script.requests, ==, 3);
  g_assert_cmpuint (f.script.log->len, ==, 2);

  /* Two resets in a row: the second one waits (1-2 s) and nothing else is
   * tried meanwhile, although the other item has never failed. */
  g_free (add_case (&f, 3));
  g_free (add_case (&f, 4));
  f.script.requests = 0;
  f.script.fail_next = 2;
  before = g_get_real_time ();
  g_assert_false (kiosk_sync_run_once (f.sync, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f.script.requests, ==, 2);
  g_assert_false (kiosk_sync_run_once (f.sync, NULL, &error));
  g_assert_cmpuint (f.script.requests, ==, 2);
  head = kiosk_store_outbox_head (f.store, &error);
  g_assert_cmpint (head->attempts, ==, 2);
  g_assert_cmpint (head->last_status, ==, 0);
  g_assert_nonnull (strstr (head->last_error, "reset"));
  g_assert_cmpint (head->next_attempt_at - before, >=, 1000 * 1000);
  g_assert_cmpint (head->next_attempt_at - g_get_real_time (), <=, 2000 * 1000);

  /* After the wait, an answer: everything flows again. */
  g_assert_true (kiosk_sync_run_until_empty (f.sync, 30, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f.script.log->len, ==, 4);
  fixture_stop (&f);
}

/* A 503 with Retry-After holds every item back for that long. */
static void
test_link_retry_after (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskOutboxItem) head = NULL;
  gint64 before = g_get_real_time ();

  fixture_start (&f);
  kiosk_sync_set_backoff (f.sync, 1, 5);
  g_free (add_case (&f, 1));
  g_free (add_case (&f, 2));
  f.script.fail_next = 1;
  f.script.fail_status = 503;
  f.script.retry_after_ms = 7000;
  g_assert_false (kiosk_sync_run_once (f.sync, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f.script.requests, ==, 1);
  g_assert_false (kiosk_sync_run_once (f.sync, NULL, &error));
  g_assert_cmpuint (f.script.requests, ==, 1);
  head = kiosk_store_outbox_head (f.store, &error);
  g_assert_cmpint (head->next_attempt_at - before, >=, 7 * G_USEC_PER_SEC);
  g_assert_cmpint (head->last_status, ==, 503);
  fixture_stop (&f);
}

/* Issue #11 §2, catch-up: several items in flight at once, each over its
 * own connection, never more than asked; every item exactly once; a
 * rating never sent before its case was acknowledged. */
static void
test_connections (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  KioskSyncStats stats;

  fixture_start (&f);
  kiosk_sync_set_connections (f.sync, 3);
  f.script.delay_us = 5000;
  for (guint i = 0; i < 12; i++)
    {
      char *n = add_case (&f, i + 1);
      g_ptr_array_add (cases, n);
      add_rating (&f, n);
    }
  g_assert_true (kiosk_sync_run_until_empty (f.sync, 60, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f.script.log->len, ==, 24);
  for (guint i = 0; i < cases->len; i++)
    {
      g_autofree char *e_case = g_strdup_printf ("case %s", (char *) cases->pdata[i]);
      g_autofree char *e_rating = g_strdup_printf ("rating %s", (char *) cases->pdata[i]);
      g_assert_cmpint (count_entries (&f, e_case), ==, 1);
      g_assert_cmpint (count_entries (&f, e_rating), ==, 1);
      g_assert_cmpint (position (&f, e_case), <, position (&f, e_rating));
    }
  g_assert_cmpuint (f.script.early_ratings, ==, 0);
  g_assert_cmpuint (f.script.max_in_flight, >, 1);
  g_assert_cmpuint (f.script.max_in_flight, <=, 3);
  g_assert_cmpint (kiosk_store_get_backlog (f.store), ==, 0);
  kiosk_sync_get_stats (f.sync, &stats);
  g_assert_cmpuint (stats.delivered, ==, 24);
  g_assert_cmpuint (stats.transient_failures, ==, 0);
  fixture_stop (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync-engine/official-number-clash", test_official_number_clash);
  g_test_add_func ("/sync-engine/step-aside", test_step_aside);
  g_test_add_func ("/sync-engine/hold-before-aside", test_hold_before_aside);
  g_test_add_func ("/sync-engine/link-backoff", test_link_backoff);
  g_test_add_func ("/sync-engine/link-retry-after", test_link_retry_after);
  g_test_add_func ("/sync-engine/connections", test_connections);
  return g_test_run ();
}
