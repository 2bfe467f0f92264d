/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "kiosk-demo.h"
#include "store-test-util.h"

/* The sync engine against the reference platform (a child process). */

typedef struct {
  char *dir;
  KioskStore *store;
  TestPlatform *platform;
  KioskSync *sync;
} Fixture;

static void
fixture_start (Fixture *f, const char *const *platform_args)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = store_test_tmpdir ("sync");
  path = g_build_filename (f->dir, "queue.db", NULL);
  f->store = kiosk_store_open (path, "K-7", &error);
  g_assert_no_error (error);
  kiosk_store_set_min_free_bytes (f->store, 0);
  f->platform = test_platform_start (f->dir, platform_args);
  f->sync = test_sync_new (f->store, f->platform->url, 1, 20);
}

static void
fixture_stop (Fixture *f)
{
  g_clear_object (&f->sync);
  g_clear_object (&f->store);
  test_platform_stop (f->platform);
  store_test_rmdir (f->dir);
  g_free (f->dir);
}

static void
count_cb (GObject *o, gpointer data)
{
  (*(int *) data)++;
}

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_deliver (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  int catalog_changed = 0, notices_changed = 0;
  KioskSyncStats stats;

  fixture_start (&f, NULL);
  g_signal_connect (f.sync, "catalog-changed", G_CALLBACK (count_cb), &catalog_changed);
  g_signal_connect (f.sync, "notices-changed", G_CALLBACK (count_cb), &notices_changed);

  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (numbers, test_submit_demo_case (f.store, i, 2, 64, 64, &error));
  g_assert_cmpint (kiosk_store_enqueue_rating (f.store, "{\"case_number\":\"x\",\"level\":1,\"channel\":5}", &error), >,
                   0);
  g_assert_cmpint (kiosk_store_enqueue_print_record (f.store, "{\"document\":\"参保证明\",\"pages\":1}", &error), >, 0);
  g_assert_cmpint (kiosk_store_enqueue_proxy_authorisation (f.store, "{\"agent\":\"代办员\"}", &error), >, 0);
  g_assert_no_error (error);

  g_assert_true (kiosk_sync_run_until_empty (f.sync, 30, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_store_get_backlog (f.store), ==, 0);
  g_assert_cmpint (test_platform_stat (f.platform, "cases"), ==, 5);
  g_assert_cmpint (test_platform_stat (f.platform, "attachments"), ==, 10);
  g_assert_cmpint (test_platform_stat (f.platform, "ratings"), ==, 1);
  g_assert_cmpint (test_platform_stat (f.platform, "print_records"), ==, 1);
  g_assert_cmpint (test_platform_stat (f.platform, "proxy_authorisations"), ==, 1);
  g_assert_cmpint (test_platform_stat (f.platform, "duplicate_submissions"), ==, 0);
  kiosk_sync_get_stats (f.sync, &stats);
  g_assert_cmpuint (stats.delivered, ==, 8);
  g_assert_cmpuint (stats.attachments_uploaded, ==, 10);

  for (guint i = 0; i < numbers->len; i++)
    {
      g_autoptr (KioskCaseInfo) info = kiosk_store_find_case (f.store, numbers->pdata[i], &error);
      g_autoptr (KioskCaseInfo) again = NULL;
      g_autoptr (GPtrArray) atts = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (info->sync_state, ==, KIOSK_CASE_SUBMITTED);
      g_assert_true (g_str_has_prefix (info->official_number, "ZW"));
      g_assert_cmpstr (info->status, ==, "received");
      again = kiosk_store_find_case (f.store, info->official_number, &error);
      g_assert_cmpint (again->id, ==, info->id);
      atts = kiosk_store_list_attachments (f.store, info->id, &error);
      for (guint k = 0; k < atts->len; k++)
        g_assert_true (((KioskAttachmentInfo *) atts->pdata[k])->uploaded);
    }

  /* Progress query by the provisional number. */
  {
    g_autoptr (KioskCaseInfo) info = kiosk_sync_fetch_case_status (f.sync, numbers->pdata[0], NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (info->status, ==, "received");
    g_assert_cmpstr (info->status_text, ==, "已受理");
    g_assert_cmpint (info->status_updated_at, >, 0);
  }
  /* Unknown everywhere. */
  g_assert_null (kiosk_sync_fetch_case_status (f.sync, "ZW-NOTHING", NULL, &error));
  g_assert_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Catalog and notices: downloaded once, then 304 Not Modified. */
  g_assert_true (kiosk_sync_refresh_documents (f.sync, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kiosk_sync_refresh_documents (f.sync, NULL, &error));
  drain_main_context ();
  g_assert_cmpint (catalog_changed, ==, 1);
  g_assert_cmpint (notices_changed, ==, 1);
  {
    g_autofree char *etag = kiosk_store_get_catalog_etag (f.store);
    g_autofree char *catalog = kiosk_store_get_catalog (f.store, &error);
    g_autofree char *item = kiosk_store_get_catalog_item (f.store, "MZ-026", &error);
    g_autofree char *notices = kiosk_store_get_notices (f.store, &error);
    g_autoptr (JsonParser) parser = json_parser_new ();

    g_assert_no_error (error);
    g_assert_nonnull (etag);
    g_assert_true (json_parser_load_from_data (parser, catalog, -1, NULL));
    g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), >=, 30);
    g_assert_nonnull (strstr (item, "高龄津贴"));
    g_assert_nonnull (strstr (notices, "代办"));
  }

  /* Heartbeat. */
  kiosk_sync_set_device_states (f.sync, "{\"idcard\":\"ready\",\"printer\":\"error\"}");
  kiosk_sync_set_device_reasons (f.sync, "{\"idcard\":\"simulated\",\"printer\":\"media-empty\"}");
  g_assert_true (kiosk_sync_send_heartbeat (f.sync, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_platform_stat (f.platform, "heartbeats"), ==, 1);
  g_assert_cmpint (test_platform_stat (f.platform, "kiosks_seen"), ==, 1);
  {
    /* The fleet view shows each device's state with its reason. */
    int status = 0;
    g_autoptr (GBytes) fleet = test_platform_get (f.platform, "/v1/admin/fleet", &status);
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *kiosk, *printer;

    g_assert_cmpint (status, ==, 200);
    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (fleet, NULL), g_bytes_get_size (fleet), NULL));
    kiosk = json_array_get_object_element (
        json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "kiosks"), 0);
    printer = json_object_get_object_member (json_object_get_object_member (kiosk, "devices"), "printer");
    g_assert_cmpstr (json_object_get_string_member (printer, "state"), ==, "error");
    g_assert_cmpstr (json_object_get_string_member (printer, "reason"), ==, "media-empty");
    g_assert_false (json_object_get_boolean_member (kiosk, "silent"));
  }
  fixture_stop (&f);
}

static void
rejected_cb (KioskSync *sync, gint64 id, const char *kind, const char *reason, gpointer data)
{
  g_assert_cmpstr (kind, ==, "case");
  g_assert_nonnull (strstr (reason, "unknown_item"));
  (*(int *) data)++;
}

static void
test_rejection (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *good1 = NULL, *bad = NULL, *good2 = NULL;
  g_autoptr (KioskCaseInfo) info = NULL;
  g_autoptr (GPtrArray) rejected = NULL;
  int signalled = 0;
  gint64 requests;
  KioskQueueCounts c;

  fixture_start (&f, NULL);
  g_signal_connect (f.sync, "item-rejected", G_CALLBACK (rejected_cb), &signalled);
  good1 = test_submit_demo_case (f.store, 1, 1, 32, 32, &error);
  bad = kiosk_store_submit_case (
      f.store, "{\"item_code\":\"XX-999\",\"applicant\":{\"name\":\"a\",\"id_number\":\"1\"}}", NULL, &error);
  good2 = test_submit_demo_case (f.store, 2, 1, 32, 32, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_case_number_is_valid (good1) && kiosk_case_number_is_valid (good2));

  g_assert_true (kiosk_sync_run_until_empty (f.sync, 30, NULL, &error));
  g_assert_no_error (error);
  drain_main_context ();
  g_assert_cmpint (signalled, ==, 1);
  g_assert_true (kiosk_store_queue_counts (f.store, &c, &error));
  g_assert_cmpint (c.done, ==, 2);
  g_assert_cmpint (c.rejected, ==, 1);
  g_assert_cmpint (c.pending, ==, 0);
  info = kiosk_store_find_case (f.store, bad, &error);
  g_assert_cmpint (info->sync_state, ==, KIOSK_CASE_REJECTED);
  g_assert_nonnull (strstr (info->status_text, "unknown_item"));
  rejected = kiosk_store_list_rejected (f.store, 0, &error);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_cmpint (((KioskOutboxItem *) rejected->pdata[0])->last_status, ==, 422);

  /* Never retried automatically: another run sends nothing. */
  requests = test_platform_stat (f.platform, "requests");
  g_assert_true (kiosk_sync_run_once (f.sync, NULL, &error));
  g_assert_cmpint (test_platform_stat (f.platform, "requests"), ==, requests + 1); /* only the stats call */
  g_assert_cmpint (test_platform_stat (f.platform, "cases"), ==, 2);
  fixture_stop (&f);
}

static void
test_retry_after (void)
{
  const char *args[] = { "--fault-503", "1.0", "--retry-after", "7", NULL };
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskOutboxItem) head = NULL;
  g_autofree char *n = NULL;
  gint64 before;

  fixture_start (&f, args);
  n = test_submit_demo_case (f.store, 1, 1, 32, 32, &error);
  g_assert_true (kiosk_case_number_is_valid (n));
  before = g_get_real_time ();
  g_assert_false (kiosk_sync_run_once (f.sync, NULL, &error));
  g_assert_no_error (error);
  head = kiosk_store_outbox_head (f.store, &error);
  g_assert_cmpint (head->attempts, ==, 1);
  g_assert_cmpint (head->last_status, ==, 503);
  /* The backoff base is 1 ms, but the platform asked for 7 s. */
  g_assert_cmpint (head->next_attempt_at - before, >=, 7 * G_USEC_PER_SEC);
  g_assert_cmpint (head->next_attempt_at - before, <, 9 * G_USEC_PER_SEC);
  /* Not due: another pass sends nothing. */
  g_assert_false (kiosk_sync_run_once (f.sync, NULL, &error));
  g_clear_pointer (&head, kiosk_outbox_item_free);
  head = kiosk_store_outbox_head (f.store, &error);
  g_assert_cmpint (head->attempts, ==, 1);
  fixture_stop (&f);
}

static void
test_backoff (void)
{
  const char *args[] = { "--fault-500", "1.0", NULL };
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *n = NULL;
  /* base 20 ms, max 50 ms: attempts 1..4 wait [10,20], [20,40], [25,50], [25,50]. */
  const gint64 lo[] = { 10, 20, 25, 25 }, hi[] = { 20, 40, 50, 50 };

  fixture_start (&f, args);
  kiosk_sync_set_backoff (f.sync, 20, 50);
  n = test_submit_demo_case (f.store, 1, 0, 0, 0, &error);
  g_assert_true (kiosk_case_number_is_valid (n));
  for (guint i = 0; i < G_N_ELEMENTS (lo); i++)
    {
      g_autoptr (KioskOutboxItem) head = NULL;
      gint64 before = g_get_real_time (), after, delay_ms;

      g_assert_false (kiosk_sync_run_once (f.sync, NULL, &error));
      after = g_get_real_time ();
      head = kiosk_store_outbox_head (f.store, &error);
      g_assert_cmpint (head->attempts, ==, (int) i + 1);
      g_assert_cmpint (head->last_status, ==, 500);
      delay_ms = (head->next_attempt_at - before) / 1000;
      g_assert_cmpint (delay_ms, >=, lo[i]);
      g_assert_cmpint ((head->next_attempt_at - after) / 1000, <=, hi[i]);
      g_usleep (MAX (head->next_attempt_at - g_get_real_time (), 0) + 1000);
    }
  fixture_stop (&f);
}

static void
test_resume_upload (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskOutboxItem) head = NULL;
  g_autoptr (GPtrArray) atts = NULL;
  g_autoptr (GMappedFile) map = NULL;
  g_autofree char *n = NULL;
  KioskAttachmentInfo *a;
  KioskHttpAdapterOptions o = { .kiosk_id = "K-7", .allow_http = TRUE, .timeout_seconds = 5 };
  KioskPlatformResult res = { .retry_after_ms = -1 };
  KioskPlatformAdapter *ad;
  KioskSyncStats stats;
  gint64 half;

  fixture_start (&f, NULL);
  kiosk_sync_set_chunk_size (f.sync, 4096);
  n = test_submit_demo_case (f.store, 5, 1, 200, 200, &error);
  g_assert_true (kiosk_case_number_is_valid (n));
  head = kiosk_store_outbox_head (f.store, &error);
  atts = kiosk_store_list_attachments (f.store, head->case_id, &error);
  a = atts->pdata[0];
  map = g_mapped_file_new (a->path, FALSE, &error);
  g_assert_no_error (error);
  half = a->size / 2;
  g_assert_cmpint (a->size, >, 8192);

  /* An earlier attempt got half of the page through before the line died
   * (it had marked the page as started before its first byte left). */
  g_assert_true (kiosk_store_mark_attachment_started (f.store, a->id, &error));
  o.base_url = f.platform->url;
  ad = kiosk_http_adapter_new (&o, &error);
  g_assert_no_error (error);
  ad->klass->attachment_append (ad, a->sha256, a->size, 0, (const guint8 *) g_mapped_file_get_contents (map), half,
                                NULL, &res);
  g_assert_cmpint (res.outcome, ==, KIOSK_PLATFORM_OK);
  g_assert_cmpint (res.offset, ==, half);
  g_assert_false (res.complete);
  kiosk_platform_result_clear (&res);
  /* A stale offset is refused with the platform's offset. */
  ad->klass->attachment_append (ad, a->sha256, a->size, 10, (const guint8 *) g_mapped_file_get_contents (map), 10, NULL,
                                &res);
  g_assert_cmpint (res.outcome, ==, KIOSK_PLATFORM_TRANSIENT);
  g_assert_cmpint (res.http_status, ==, 409);
  g_assert_cmpint (res.offset, ==, half);
  kiosk_platform_result_clear (&res);
  kiosk_platform_adapter_free (ad);

  g_assert_true (kiosk_sync_run_until_empty (f.sync, 30, NULL, &error));
  kiosk_sync_get_stats (f.sync, &stats);
  /* Only the missing half travelled again. */
  g_assert_cmpuint (stats.bytes_uploaded, ==, (guint64) (a->size - half));
  g_assert_cmpint (test_platform_stat (f.platform, "attachments"), ==, 1);
  g_assert_cmpint (test_platform_stat (f.platform, "attachment_checksum_failures"), ==, 0);
  {
    g_autofree char *path = g_strdup_printf ("/v1/attachments/%s/content", a->sha256);
    g_autoptr (GBytes) content = test_platform_get (f.platform, path, NULL);
    g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), g_mapped_file_get_contents (map),
                     g_mapped_file_get_length (map));
  }
  fixture_stop (&f);
}

/* The platform verifies an attachment's SHA-256 when its last byte
 * arrives, whether it came whole or in chunks: bytes that do not match are
 * discarded (422 checksum_mismatch, offset back to 0) and counted; the
 * right bytes are then accepted and served back as they were sent. */
static void
test_platform_checksum (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  g_autoptr (GBytes) content = NULL;
  g_autofree guint8 *good = g_malloc (10000);
  g_autofree guint8 *bad = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *path = NULL;
  KioskHttpAdapterOptions o = { .kiosk_id = "K-7", .allow_http = TRUE, .timeout_seconds = 5 };
  KioskPlatformResult res = { .retry_after_ms = -1 };
  KioskPlatformAdapter *ad;

  for (gsize i = 0; i < 10000; i++)
    good[i] = (guint8) g_rand_int_range (rand, 0, 256);
  bad = g_memdup2 (good, 10000);
  bad[9000] ^= 0x5a;
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, good, 10000);
  fixture_start (&f, NULL);
  o.base_url = f.platform->url;
  ad = kiosk_http_adapter_new (&o, &error);
  g_assert_no_error (error);

  /* Wrong bytes in one request, then in two chunks. */
  ad->klass->attachment_append (ad, sha, 10000, 0, bad, 10000, NULL, &res);
  g_assert_cmpint (res.outcome, ==, KIOSK_PLATFORM_TRANSIENT);
  g_assert_cmpint (res.http_status, ==, 422);
  g_assert_cmpstr (res.error_code, ==, "checksum_mismatch");
  ad->klass->attachment_status (ad, sha, 10000, NULL, &res);
  g_assert_cmpint (res.outcome, ==, KIOSK_PLATFORM_OK);
  g_assert_cmpint (res.offset, ==, 0);
  g_assert_false (res.complete);
  ad->klass->attachment_append (ad, sha, 10000, 0, bad, 6000, NULL, &res);
  g_assert_cmpint (res.outcome, ==, KIOSK_PLATFORM_OK);
  g_assert_cmpint (res.offset, ==, 6000);
  ad->klass->attachment_append (ad, sha, 10000, 6000, bad + 6000, 4000, NULL, &res);
  g_assert_cmpint (res.http_status, ==, 422);
  g_assert_cmpstr (res.error_code, ==, "checksum_mismatch");
  ad->klass->attachment_status (ad, sha, 10000, NULL, &res);
  g_assert_cmpint (res.offset, ==, 0);
  path = g_strdup_printf ("/v1/attachments/%s/content", sha);
  {
    int status = 0;
    g_autoptr (GBytes) none = test_platform_get (f.platform, path, &status);
    g_assert_cmpint (status, ==, 404);
  }

  /* The right bytes in three chunks. */
  for (gint64 off = 0; off < 10000; off += 4000)
    {
      ad->klass->attachment_append (ad, sha, 10000, off, good + off, (gsize) MIN (4000, 10000 - off), NULL, &res);
      g_assert_cmpint (res.outcome, ==, KIOSK_PLATFORM_OK);
      g_assert_cmpint (res.offset, ==, MIN (off + 4000, 10000));
    }
  g_assert_true (res.complete);
  kiosk_platform_result_clear (&res);
  content = test_platform_get (f.platform, path, NULL);
  g_assert_cmpmem (g_bytes_get_data (content, NULL), g_bytes_get_size (content), good, 10000);
  g_assert_cmpint (test_platform_stat (f.platform, "attachment_checksum_failures"), ==, 2);
  g_assert_cmpint (test_platform_stat (f.platform, "attachments"), ==, 1);
  kiosk_platform_adapter_free (ad);
  fixture_stop (&f);
}

static void
test_local_damage (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskOutboxItem) head = NULL;
  g_autoptr (GPtrArray) atts = NULL;
  g_autofree char *n = NULL;
  KioskQueueCounts c;

  fixture_start (&f, NULL);
  n = test_submit_demo_case (f.store, 5, 1, 32, 32, &error);
  g_assert_true (kiosk_case_number_is_valid (n));
  head = kiosk_store_outbox_head (f.store, &error);
  atts = kiosk_store_list_attachments (f.store, head->case_id, &error);
  g_assert_true (g_file_set_contents (((KioskAttachmentInfo *) atts->pdata[0])->path, "bit rot", -1, NULL));
  g_assert_true (kiosk_sync_run_until_empty (f.sync, 30, NULL, &error));
  kiosk_store_queue_counts (f.store, &c, NULL);
  g_assert_cmpint (c.rejected, ==, 1);
  g_assert_cmpint (test_platform_stat (f.platform, "cases"), ==, 0);
  g_assert_cmpint (test_platform_stat (f.platform, "attachments"), ==, 0);
  fixture_stop (&f);
}

static void
test_transport_rules (void)
{
  g_autoptr (GError) error = NULL;
  KioskHttpAdapterOptions o = { .base_url = "http://127.0.0.1:1/", .kiosk_id = "K", .timeout_seconds = 1 };
  KioskPlatformAdapter *ad;
  KioskPlatformResult res = { .retry_after_ms = -1 };

  /* Plain HTTP only when the configuration allows it. */
  g_assert_null (kiosk_http_adapter_new (&o, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  o.base_url = "ftp://example/";
  o.allow_http = TRUE;
  g_assert_null (kiosk_http_adapter_new (&o, &error));
  g_clear_error (&error);
  /* A pinned CA that cannot be read is an error, not a silent fallback. */
  o.base_url = "https://platform.example/";
  o.ca_file = "/nonexistent/ca.pem";
  g_assert_null (kiosk_http_adapter_new (&o, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Nobody listening: transient, not a rejection. */
  o.base_url = "http://127.0.0.1:1/";
  o.ca_file = NULL;
  ad = kiosk_http_adapter_new (&o, &error);
  g_assert_no_error (error);
  ad->klass->submit (ad, "rating", "key", "{}", NULL, &res);
  g_assert_cmpint (res.outcome, ==, KIOSK_PLATFORM_TRANSIENT);
  g_assert_cmpint (res.http_status, ==, 0);
  kiosk_platform_result_clear (&res);
  kiosk_platform_adapter_free (ad);
}

static void
backlog_cb (KioskSync *sync, int backlog, gpointer data)
{
  *(int *) data = backlog;
}

static void
test_background (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  int backlog = -1;
  gint64 deadline;

  fixture_start (&f, NULL);
  g_signal_connect (f.sync, "backlog-changed", G_CALLBACK (backlog_cb), &backlog);
  kiosk_sync_set_heartbeat_interval (f.sync, 3600);
  kiosk_sync_start (f.sync);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *n = test_submit_demo_case (f.store, i, 1, 32, 32, &error);
      g_assert_no_error (error);
      kiosk_sync_wake (f.sync);
    }
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  /* The pass sends its heartbeat after the outbox: wait for it too, or
   * stopping may cancel it in flight. */
  while ((backlog != 0 || test_platform_stat (f.platform, "cases") < 5
          || test_platform_stat (f.platform, "heartbeats") < 1)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  kiosk_sync_stop (f.sync);
  g_assert_cmpint (backlog, ==, 0);
  g_assert_cmpint (test_platform_stat (f.platform, "cases"), ==, 5);
  /* The first pass also sent a heartbeat and fetched the catalog. */
  g_assert_cmpint (test_platform_stat (f.platform, "heartbeats"), ==, 1);
  fixture_stop (&f);
}

static void
test_faults_small (void)
{
  const char *args[] = { "--fault-reset",
                         "0.2",
                         "--fault-truncate",
                         "0.2",
                         "--fault-drop",
                         "0.1",
                         "--fault-delay",
                         "0.1",
                         "--delay-ms",
                         "20",
                         "--seed",
                         "42",
                         NULL };
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;

  fixture_start (&f, args);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *n = test_submit_demo_case (f.store, i, 1, 32, 32, &error);
      g_assert_no_error (error);
    }
  g_assert_true (kiosk_sync_run_until_empty (f.sync, 60, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_platform_stat (f.platform, "cases"), ==, 30);
  /* Answers lost after the platform committed were replayed, not redone. */
  g_assert_cmpint (test_platform_stat (f.platform, "duplicate_submissions"), >, 0);
  g_assert_cmpint (test_platform_stat (f.platform, "attachment_checksum_failures"), ==, 0);
  fixture_stop (&f);
}

/* The seed catalog: realistic, complete, and within the 2020 rule on
 * village proofs. */
static void
test_seed_catalog (void)
{
  static const char *const banned[]
      = { "亲属关系", "居民身份信息", "养犬",     "无犯罪记录", "失踪",         "婚姻状况",
          "出生",     "健在",         "死亡证明", "疾病状况",   "残疾状况",     "婚育状况",
          "就业状况", "个人档案",     "财产",     "遗产继承",   "市场主体住所", "证件遗失" };
  g_autofree char *path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *root;
  JsonArray *items;
  guint commitment = 0, deferral = 0;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  items = json_object_get_array_member (root, "items");
  g_assert_cmpuint (json_array_get_length (items), >=, 30);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *it = json_array_get_object_element (items, i);
      const char *name = json_object_get_string_member (it, "name");
      JsonArray *materials = json_object_get_array_member (it, "materials");
      JsonArray *fields = json_object_get_array_member (it, "form_fields");

      g_assert_true (g_hash_table_add (codes, (gpointer) json_object_get_string_member (it, "code")));
      g_assert_true (json_object_has_member (it, "time_limit_days"));
      g_assert_true (json_object_has_member (json_object_get_object_member (it, "fee"), "amount_yuan"));
      g_assert_cmpuint (strlen (json_object_get_string_member (it, "legal_basis")), >, 4);
      g_assert_cmpuint (json_array_get_length (materials), >=, 1);
      g_assert_cmpuint (json_array_get_length (fields), >=, 1);
      if (json_object_get_boolean_member (it, "commitment_allowed"))
        {
          commitment++;
          g_assert_true (json_object_has_member (it, "commitment"));
        }
      if (json_object_get_boolean_member (it, "deferral_allowed"))
        {
          gboolean some_deferrable = FALSE;
          deferral++;
          for (guint m = 0; m < json_array_get_length (materials); m++)
            some_deferrable
                |= json_object_get_boolean_member (json_array_get_object_element (materials, m), "deferrable");
          g_assert_true (some_deferrable);
        }
      /* No item is a proof the village committee may no longer issue. */
      for (guint b = 0; b < G_N_ELEMENTS (banned); b++)
        g_assert_null (strstr (name, banned[b]));
      /* Materials that used to be village proofs say where they come from. */
      for (guint m = 0; m < json_array_get_length (materials); m++)
        {
          JsonObject *mat = json_array_get_object_element (materials, m);
          if (g_str_has_prefix (json_object_get_string_member (mat, "name"), "村证明"))
            {
              g_assert_false (json_object_get_boolean_member (mat, "village_may_issue"));
              g_assert_false (json_object_get_boolean_member (mat, "required"));
            }
        }
    }
  g_assert_cmpuint (commitment, >=, 1);
  g_assert_cmpuint (deferral, >=, 1);
  g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_object_get_object_member (root, "not_offered"), "proofs")),
                    ==, 20);
  g_assert_true (json_object_has_member (root, "notices"));
}

/* Issue 14: a case's "materials" and "handling_region" reach the
 * platform as the kiosk took them; a case without them sends a null
 * region and no materials. */
static void
test_case_materials_region (void)
{
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) page = kiosk_demo_page_jpeg (7, 0, 64, 64);
  g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, page);
  g_autoptr (GPtrArray) atts = g_ptr_array_new_with_free_func (g_free);
  KioskAttachmentDraft d = { "户口簿 p1", "image/jpeg", page };
  g_autofree char *materials = g_strdup_printf (
      "[{\"name\":\"身份证\",\"state\":\"id_card\",\"pages\":[]},{\"name\":\"户口簿\",\"state\":"
      "\"scanned\",\"pages\":[{\"name\":\"户口簿 p1\",\"media_type\":\"image/jpeg\",\"size\":%" G_GSIZE_FORMAT
      ",\"sha256\":\"%s\"}]},{\"name\":\"照片\",\"state\":\"owed\",\"pages\":[]}]",
      g_bytes_get_size (page), sum);
  const char *region = "{\"code\":\"440300\",\"name\":\"深圳市\"}";
  g_autofree char *json = g_strdup_printf ("{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"测试甲\",\"id_number\":"
                                           "\"11010519491231002X\"},\"form\":{},\"delivery\":{\"method\":\"pickup\"},"
                                           "\"owed_materials\":[{\"name\":\"照片\",\"due\":\"2026-03-16\"}],"
                                           "\"materials\":%s,\"handling_region\":%s}",
                                           materials, region);
  g_autofree char *with = NULL;
  g_autofree char *without = NULL;
  g_autoptr (GBytes) list = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonNode) want_materials = json_from_string (materials, NULL);
  g_autoptr (JsonNode) want_region = json_from_string (region, NULL);
  JsonArray *cases;
  guint seen = 0;

  fixture_start (&f, NULL);
  g_ptr_array_add (atts, g_memdup2 (&d, sizeof d));
  with = kiosk_store_submit_case (f.store, json, atts, &error);
  g_assert_no_error (error);
  without = kiosk_store_submit_case (
      f.store,
      "{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"测试乙\",\"id_number\":\"110105194912310046\"},"
      "\"form\":{},\"delivery\":{\"method\":\"pickup\"}}",
      NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_sync_run_until_empty (f.sync, 30, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (test_platform_stat (f.platform, "cases"), ==, 2);
  g_assert_cmpint (test_platform_stat (f.platform, "attachments"), ==, 1);
  g_assert_cmpint (test_platform_stat (f.platform, "duplicate_submissions"), ==, 0);

  list = test_platform_get (f.platform, "/v1/admin/cases", NULL);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (list, NULL), g_bytes_get_size (list), NULL));
  cases = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      const char *number = json_object_get_string_member (c, "provisional_number");
      JsonNode *m = json_object_get_member (c, "materials");
      JsonNode *r = json_object_get_member (c, "handling_region");

      g_assert_nonnull (m);
      g_assert_nonnull (r);
      if (g_str_equal (number, with))
        {
          g_autofree char *got_m = json_to_string (m, FALSE);
          g_autofree char *got_r = json_to_string (r, FALSE);
          if (!json_node_equal (m, want_materials))
            g_error ("platform got materials %s", got_m);
          if (!json_node_equal (r, want_region))
            g_error ("platform got handling_region %s", got_r);
          g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (c, "attachments"), 0), ==, sum);
          seen++;
        }
      else if (g_str_equal (number, without))
        {
          g_assert_true (JSON_NODE_HOLDS_NULL (m));
          g_assert_true (JSON_NODE_HOLDS_NULL (r));
          seen++;
        }
    }
  g_assert_cmpuint (seen, ==, 2);
  fixture_stop (&f);
}

/* 我的办件 (issue 13: 6): a person's cases from the platform, newest first,
 * each with every step and its date, the promised date, late or not, and
 * what is still owed under 容缺; another person's cases are not listed. */
static void
test_cases_of_applicant (void)
{
  const char *args[] = { "--status-step-seconds", "1", NULL };
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *other = NULL;
  g_autoptr (GPtrArray) cases = NULL;
#define MINE                                                                                                           \
  "{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"测试甲\",\"id_number\":\"11010519491231002X\"},\"form\":{}," \
  "\"delivery\":{\"method\":\"pickup\"}"
  const char *with_owed = MINE ",\"owed_materials\":[{\"name\":\"照片\",\"due\":\"2026-03-16\"}]}";
  const char *plain = MINE "}";
#undef MINE

  fixture_start (&f, args);
  first = kiosk_store_submit_case (f.store, plain, NULL, &error);
  g_assert_no_error (error);
  other = kiosk_store_submit_case (
      f.store,
      "{\"item_code\":\"RS-001\",\"applicant\":{\"name\":\"测试乙\",\"id_number\":\"110105194912310046\"},"
      "\"form\":{},\"delivery\":{\"method\":\"pickup\"}}",
      NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (other);
  g_assert_true (kiosk_sync_run_until_empty (f.sync, 30, NULL, &error));
  g_usleep (1100 * 1000); /* received_at in whole seconds: the second case is newer */
  second = kiosk_store_submit_case (f.store, with_owed, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_sync_run_until_empty (f.sync, 30, NULL, &error));
  g_usleep (1100 * 1000);

  cases = kiosk_sync_fetch_cases_of_applicant (f.sync, "11010519491231002X", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 2);
  {
    KioskApplicantCase *newest = cases->pdata[0];
    KioskApplicantCase *oldest = cases->pdata[1];

    g_assert_cmpstr (newest->info->provisional_number, ==, second);
    g_assert_cmpstr (oldest->info->provisional_number, ==, first);
    g_assert_nonnull (newest->info->official_number);
    g_assert_nonnull (newest->info->due_date);
    g_assert_cmpint (newest->info->created_at, >, oldest->info->created_at);
    g_assert_false (newest->late);
    /* Every step so far, each dated, the first the filing. */
    g_assert_cmpuint (oldest->steps->len, >=, 2);
    g_assert_cmpstr (((KioskCaseStep *) oldest->steps->pdata[0])->status, ==, "received");
    g_assert_cmpint (((KioskCaseStep *) oldest->steps->pdata[0])->at * G_USEC_PER_SEC, ==, oldest->info->created_at);
    g_assert_cmpstr (((KioskCaseStep *) oldest->steps->pdata[oldest->steps->len - 1])->status, ==,
                     oldest->info->status);
    /* 容缺 */
    g_assert_cmpuint (newest->owed->len, ==, 1);
    g_assert_cmpstr (((KioskOwedMaterial *) newest->owed->pdata[0])->name, ==, "照片");
    g_assert_cmpstr (((KioskOwedMaterial *) newest->owed->pdata[0])->due, ==, "2026-03-16");
    g_assert_cmpuint (oldest->owed->len, ==, 0);
  }
  /* Someone with no case here. */
  {
    g_autoptr (GPtrArray) none = kiosk_sync_fetch_cases_of_applicant (f.sync, "110105194912310011", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
  }
  /* Platform gone: unreachable, not "no cases". */
  test_platform_stop (f.platform);
  f.platform = NULL;
  g_assert_null (kiosk_sync_fetch_cases_of_applicant (f.sync, "11010519491231002X", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE);
  g_clear_error (&error);
  fixture_stop (&f);
}

/* The demo's progress: status advances with time. */
static void
test_status_advances (void)
{
  /* Whole seconds on the platform: after 2.1 s the age is 2 or 3 s, one
   * step of 2 s either way. */
  const char *args[] = { "--status-step-seconds", "2", NULL };
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *n = NULL;
  g_autoptr (KioskCaseInfo) first = NULL;
  g_autoptr (KioskCaseInfo) later = NULL;

  fixture_start (&f, args);
  n = test_submit_demo_case (f.store, 0, 0, 0, 0, &error); /* RS-001: 3 working days */
  g_assert_true (kiosk_case_number_is_valid (n));
  /* Before delivery: the kiosk's own knowledge (queued). */
  first = kiosk_sync_fetch_case_status (f.sync, n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->sync_state, ==, KIOSK_CASE_QUEUED);
  g_assert_true (kiosk_sync_run_until_empty (f.sync, 30, NULL, &error));
  g_usleep (2100 * 1000);
  later = kiosk_sync_fetch_case_status (f.sync, n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (later->status, ==, "in_review");
  g_assert_cmpstr (later->status_text, ==, "审查中");
  g_assert_nonnull (later->due_date);
  /* Online: the platform's answer, said so. */
  {
    KioskCaseStatusOrigin origin = { .source = KIOSK_CASE_STATUS_LOCAL_COPY };
    g_autoptr (KioskCaseInfo) online = kiosk_sync_query_case_status (f.sync, n, &origin, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (origin.source, ==, KIOSK_CASE_STATUS_PLATFORM);
    g_assert_true (origin.platform_reached);
    g_assert_cmpint (origin.as_of, >=, later->status_updated_at);
  }
  test_platform_stop (f.platform);
  f.platform = NULL;
  /* Offline: the last known status. */
  {
    g_autoptr (KioskCaseInfo) offline = kiosk_sync_fetch_case_status (f.sync, later->official_number, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (offline->status, ==, "in_review");
  }
  /* ... said to be the kiosk's own copy, dated when the platform last
   * confirmed it (issue 13: 4). */
  {
    KioskCaseStatusOrigin origin = { .source = KIOSK_CASE_STATUS_PLATFORM, .platform_reached = TRUE };
    g_autoptr (KioskCaseInfo) offline = kiosk_sync_query_case_status (f.sync, n, &origin, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (origin.source, ==, KIOSK_CASE_STATUS_LOCAL_COPY);
    g_assert_false (origin.platform_reached);
    g_assert_cmpint (origin.as_of, ==, offline->status_updated_at);
    g_assert_cmpint (origin.as_of, >, 0);
    g_assert_cmpint (origin.retry_seconds, >, 0);
  }
  /* A number the kiosk does not hold, offline: not "not found" (the
   * resident's number may be right), but "platform not reachable". */
  {
    KioskCaseStatusOrigin origin = { .platform_reached = TRUE };
    g_assert_null (kiosk_sync_query_case_status (f.sync, "ZW2026030900009999", &origin, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE);
    g_clear_error (&error);
    g_assert_false (origin.platform_reached);
  }
  fixture_stop (&f);
}

static gboolean
openssl (const char *dir, const char *cmd)
{
  g_autofree char *full = g_strdup_printf ("sh -c 'cd %s && openssl %s >/dev/null 2>&1'", dir, cmd);
  int status = 0;

  return g_spawn_command_line_sync (full, NULL, NULL, &status, NULL) && g_spawn_check_wait_status (status, NULL);
}

static KioskPlatformOutcome
tls_submit (const char *url, const char *dir, const char *ca, const char *cert, int *http_status)
{
  g_autofree char *ca_path = ca ? g_build_filename (dir, ca, NULL) : NULL;
  g_autofree char *cert_path = cert ? g_strdup_printf ("%s/%s.pem", dir, cert) : NULL;
  g_autofree char *key_path = cert ? g_strdup_printf ("%s/%s.key", dir, cert) : NULL;
  KioskHttpAdapterOptions o = {
    .base_url = url,
    .kiosk_id = "K-TLS",
    .ca_file = ca_path,
    .client_cert = cert_path,
    .client_key = key_path,
    .timeout_seconds = 5,
  };
  KioskPlatformResult res = { .retry_after_ms = -1 };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskPlatformAdapter) ad = kiosk_http_adapter_new (&o, &error);
  KioskPlatformOutcome outcome;

  g_assert_no_error (error);
  ad->klass->submit (ad, "rating", "K-TLS:1", "{\"level\":1}", NULL, &res);
  outcome = res.outcome;
  *http_status = res.http_status;
  g_test_message ("TLS ca=%s cert=%s: %s %s", ca ? ca : "system", cert ? cert : "none",
                  kiosk_platform_outcome_to_string (outcome), res.message ? res.message : "");
  kiosk_platform_result_clear (&res);
  return outcome;
}

/* HTTPS with a pinned CA and a client certificate per kiosk. */
static void
test_tls (void)
{
  g_autofree char *dir = store_test_tmpdir ("tls");
  g_autofree char *arg_cert = NULL, *arg_key = NULL, *arg_ca = NULL;
  const char *ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  g_autofree char *c1 = g_strdup_printf ("req -x509 %s -keyout ca.key -out ca.pem -days 2 -subj /CN=kiosk-test-ca", ec);
  g_autofree char *c2
      = g_strdup_printf ("req -x509 %s -keyout other-ca.key -out other-ca.pem -days 2 -subj /CN=other", ec);
  g_autofree char *c3 = g_strdup_printf ("req %s -keyout server.key -out server.csr -subj /CN=127.0.0.1", ec);
  g_autofree char *c4 = g_strdup_printf ("req %s -keyout client.key -out client.csr -subj /CN=K-TLS", ec);
  TestPlatform *platform;
  KioskPlatformOutcome outcome;
  int status = 0;
  g_autofree char *openssl_path = g_find_program_in_path ("openssl");
  g_autofree char *san = g_build_filename (dir, "san.ext", NULL);
  g_autofree char *client_ext = g_build_filename (dir, "client.ext", NULL);

  if (openssl_path == NULL)
    {
      g_test_skip ("no openssl to make certificates");
      store_test_rmdir (dir);
      return;
    }
  g_assert_true (g_file_set_contents (san, "subjectAltName=IP:127.0.0.1\n", -1, NULL));
  g_assert_true (g_file_set_contents (client_ext, "extendedKeyUsage=clientAuth\n", -1, NULL));
  g_assert_true (openssl (dir, c1) && openssl (dir, c2) && openssl (dir, c3) && openssl (dir, c4));
  g_assert_true (openssl (dir, "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem"
                               " -days 2 -extfile san.ext"));
  g_assert_true (openssl (dir, "x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem"
                               " -days 2 -extfile client.ext"));

  arg_cert = g_build_filename (dir, "server.pem", NULL);
  arg_key = g_build_filename (dir, "server.key", NULL);
  arg_ca = g_build_filename (dir, "ca.pem", NULL);
  {
    const char *args[] = { "--tls-cert", arg_cert, "--tls-key", arg_key, "--client-ca", arg_ca, NULL };
    platform = test_platform_start (dir, args);
  }
  g_assert_true (g_str_has_prefix (platform->url, "https://"));

  /* Pinned CA + the kiosk's certificate: delivered. */
  outcome = tls_submit (platform->url, dir, "ca.pem", "client", &status);
  g_assert_cmpint (outcome, ==, KIOSK_PLATFORM_OK);
  g_assert_cmpint (status, ==, 201);
  /* Without a client certificate the platform does not talk to us. */
  outcome = tls_submit (platform->url, dir, "ca.pem", NULL, &status);
  g_assert_cmpint (outcome, ==, KIOSK_PLATFORM_TRANSIENT);
  g_assert_cmpint (status, ==, 0);
  /* A server certificate from another CA is refused (pinning). */
  outcome = tls_submit (platform->url, dir, "other-ca.pem", "client", &status);
  g_assert_cmpint (outcome, ==, KIOSK_PLATFORM_TRANSIENT);
  g_assert_cmpint (status, ==, 0);
  /* The system store does not know the test CA either. */
  outcome = tls_submit (platform->url, dir, NULL, "client", &status);
  g_assert_cmpint (outcome, ==, KIOSK_PLATFORM_TRANSIENT);
  g_assert_cmpint (status, ==, 0);
  test_platform_stop (platform);
  store_test_rmdir (dir);
}

/* --kiosk-tokens: a kiosk with its [platform] token gets through, one
 * without it or with another kiosk's is refused (401). */
static void
test_kiosk_token (void)
{
  g_autofree char *dir = store_test_tmpdir ("sync-token");
  g_autofree char *tokens = g_build_filename (dir, "tokens", NULL);
  const char *args[] = { "--kiosk-tokens", tokens, NULL };
  const char *const tries[] = { "K-7-token-0123456789", NULL, "K-8-token-9876543210" };
  const int expect[] = { 200, 401, 401 };
  g_autoptr (GError) error = NULL;
  TestPlatform *platform;

  g_assert_true (g_file_set_contents (tokens, "K-7:K-7-token-0123456789\nK-8:K-8-token-9876543210\n", -1, &error));
  platform = test_platform_start (dir, args);
  for (gsize i = 0; i < G_N_ELEMENTS (tries); i++)
    {
      KioskHttpAdapterOptions o = {
        .base_url = platform->url,
        .kiosk_id = "K-7",
        .allow_http = TRUE,
        .timeout_seconds = 5,
        .token = tries[i],
      };
      g_autoptr (KioskPlatformAdapter) ad = kiosk_http_adapter_new (&o, &error);
      KioskPlatformResult res = { .retry_after_ms = -1 };

      g_assert_no_error (error);
      ad->klass->heartbeat (ad, "{\"kiosk_id\":\"K-7\"}", NULL, &res);
      g_assert_cmpint (res.http_status, ==, expect[i]);
      g_assert_cmpint (res.outcome == KIOSK_PLATFORM_OK, ==, expect[i] == 200);
      kiosk_platform_result_clear (&res);
    }
  test_platform_stop (platform);
  store_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Rejections and full disks are logged as warnings on purpose. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/sync/deliver", test_deliver);
  g_test_add_func ("/sync/rejection", test_rejection);
  g_test_add_func ("/sync/retry-after", test_retry_after);
  g_test_add_func ("/sync/backoff", test_backoff);
  g_test_add_func ("/sync/resume-upload", test_resume_upload);
  g_test_add_func ("/sync/platform-checksum", test_platform_checksum);
  g_test_add_func ("/sync/local-damage", test_local_damage);
  g_test_add_func ("/sync/transport-rules", test_transport_rules);
  g_test_add_func ("/sync/background", test_background);
  g_test_add_func ("/sync/faults", test_faults_small);
  g_test_add_func ("/sync/seed-catalog", test_seed_catalog);
  g_test_add_func ("/sync/status-advances", test_status_advances);
  g_test_add_func ("/sync/cases-of-applicant", test_cases_of_applicant);
  g_test_add_func ("/sync/case-materials-region", test_case_materials_region);
  g_test_add_func ("/sync/tls", test_tls);
  g_test_add_func ("/sync/kiosk-token", test_kiosk_token);
  return g_test_run ();
}
