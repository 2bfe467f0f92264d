/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-platform"

#include "config.h"

#include "platform-forward.h"

#include <string.h>

#include <json-glib/json-glib.h>

/* The province's upload chunk: what the kiosk sends per PATCH. */
#define CHUNK ((gsize) 256 * 1024)

typedef struct {
  char *sha256;
  gint64 size;
  GBytes *data; /* NULL: this platform does not hold it whole */
} Attachment;

typedef struct {
  /* the item (from forward_claim) */
  char *table;
  gint64 id;
  char *kind;
  char *key;
  char *payload;
  int attempts;
  GPtrArray *attachments; /* Attachment* */
  /* the outcome (forwarder thread) */
  KioskPlatformOutcome outcome;
  gint64 retry_after_ms;
  char *message;
  char *body;
  PlatformForwarder *owner;
} Job;

struct _PlatformForwarder {
  PlatformStorage *storage; /* not ours */
  PlatformForwardOptions o;
  char *url, *station_id, *ca_file, *client_cert, *client_key;
  GMainContext *context;
  GThread *thread;
  GAsyncQueue *jobs; /* Job*, or the STOP sentinel */
  guint tick;
  guint in_flight; /* jobs handed to the thread, not yet back */
  gboolean stopping;
};

static Job STOP;

static void
attachment_free (Attachment *a)
{
  g_free (a->sha256);
  g_clear_pointer (&a->data, g_bytes_unref);
  g_free (a);
}

static void
job_free (Job *j)
{
  g_free (j->table);
  g_free (j->kind);
  g_free (j->key);
  g_free (j->payload);
  g_clear_pointer (&j->attachments, g_ptr_array_unref);
  g_free (j->message);
  g_free (j->body);
  g_free (j);
}

char *
platform_forward_key (const char *station_id, const char *table, gint64 id)
{
  return g_strdup_printf ("fwd:%s:%s:%" G_GINT64_FORMAT, station_id, table, id);
}

/* ---- the forwarder's thread ------------------------------------------- */

/* The kiosk's HTTP adapter, linked into the platform (kiosk-platform-http.c
 * is the kiosk's module; its one exported function). */
const KioskHttpApi *kiosk_http_module (void);

static KioskPlatformAdapter *
adapter_new (PlatformForwarder *self, GError **error)
{
  KioskHttpAdapterOptions ho = {
    .base_url = self->url,
    .kiosk_id = self->station_id,
    .allow_http = self->o.allow_http,
    .ca_file = self->ca_file,
    .client_cert = self->client_cert,
    .client_key = self->client_key,
    .timeout_seconds = self->o.timeout_seconds,
  };
  return kiosk_http_module ()->adapter_new (&ho, error);
}

/* Copies an outcome that is not OK into @j: the step that failed says why. */
static gboolean
failed (Job *j, KioskPlatformResult *r, const char *step)
{
  if (r->outcome == KIOSK_PLATFORM_OK)
    return FALSE;
  j->outcome = r->outcome;
  j->retry_after_ms = r->retry_after_ms;
  g_free (j->message);
  j->message
      = g_strdup_printf ("%s: %s", step, r->message ? r->message : kiosk_platform_outcome_to_string (r->outcome));
  return TRUE;
}

/* Uploads one attachment from the offset the province holds. */
static gboolean
upload (KioskPlatformAdapter *adapter, Job *j, const Attachment *a)
{
  KioskPlatformResult r = { 0 };
  gint64 offset;
  gsize len;
  const guint8 *data;

  adapter->klass->attachment_status (adapter, a->sha256, a->size, NULL, &r);
  if (failed (j, &r, "attachment status"))
    {
      kiosk_platform_result_clear (&r);
      return FALSE;
    }
  offset = r.offset;
  if (r.complete)
    {
      kiosk_platform_result_clear (&r);
      return TRUE;
    }
  kiosk_platform_result_clear (&r);
  if (a->data == NULL)
    {
      /* Not whole here (it cannot be: a case is stored after its pages),
       * so it can never be sent: the technician must look. */
      j->outcome = KIOSK_PLATFORM_REJECTED;
      g_free (j->message);
      j->message = g_strdup_printf ("attachment %.12s… not held whole by this platform", a->sha256);
      return FALSE;
    }
  data = g_bytes_get_data (a->data, &len);
  while (offset < (gint64) len)
    {
      gsize n = MIN (CHUNK, len - (gsize) offset);

      adapter->klass->attachment_append (adapter, a->sha256, a->size, offset, data + offset, n, NULL, &r);
      if (failed (j, &r, "attachment upload"))
        {
          kiosk_platform_result_clear (&r);
          return FALSE;
        }
      if (r.offset <= offset && !r.complete)
        {
          /* The province did not move on: try again later from its offset. */
          j->outcome = KIOSK_PLATFORM_TRANSIENT;
          j->retry_after_ms = -1;
          g_free (j->message);
          j->message = g_strdup_printf ("attachment upload: the province stayed at offset %" G_GINT64_FORMAT, r.offset);
          kiosk_platform_result_clear (&r);
          return FALSE;
        }
      offset = r.offset;
      kiosk_platform_result_clear (&r);
    }
  return TRUE;
}

static void job_done_main (Job *j);

static gboolean
job_done_cb (gpointer data)
{
  job_done_main (data);
  return G_SOURCE_REMOVE;
}

static gpointer
forward_thread (gpointer data)
{
  PlatformForwarder *self = data;
  g_autoptr (GError) error = NULL;
  KioskPlatformAdapter *adapter = adapter_new (self, &error);

  for (;;)
    {
      Job *j = g_async_queue_pop (self->jobs);
      KioskPlatformResult r = { 0 };
      gboolean ok = TRUE;

      if (j == &STOP)
        break;
      j->outcome = KIOSK_PLATFORM_TRANSIENT;
      j->retry_after_ms = -1;
      if (adapter == NULL)
        {
          j->message = g_strdup_printf ("no adapter: %s", error ? error->message : "?");
          g_main_context_invoke (self->context, job_done_cb, j);
          continue;
        }
      for (guint i = 0; ok && j->attachments && i < j->attachments->len; i++)
        ok = upload (adapter, j, j->attachments->pdata[i]);
      if (ok)
        {
          adapter->klass->submit (adapter, j->kind, j->key, j->payload, NULL, &r);
          if (!failed (j, &r, "submit"))
            {
              j->outcome = KIOSK_PLATFORM_OK;
              j->body = g_steal_pointer (&r.body);
            }
          kiosk_platform_result_clear (&r);
        }
      g_main_context_invoke (self->context, job_done_cb, j);
    }
  if (adapter)
    adapter->klass->free (adapter);
  return NULL;
}

/* ---- the main loop ----------------------------------------------------- */

/* The kiosk's rule (offline-cache/kiosk-sync.c): doubling from base to
 * max, equal jitter, never sooner than Retry-After. */
static gint64
backoff_ms (const PlatformForwardOptions *o, int attempts, gint64 retry_after_ms)
{
  return kiosk_platform_backoff_ms (o->base_ms, o->max_ms, attempts, retry_after_ms);
}

static void
job_done_main (Job *j)
{
  PlatformForwarder *self = j->owner;
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int state = 0;
  gint64 next_at = 0;

  switch (j->outcome)
    {
    case KIOSK_PLATFORM_OK:
    case KIOSK_PLATFORM_NOT_MODIFIED:
      state = 1;
      g_debug ("forward %s %" G_GINT64_FORMAT " (%s): forwarded", j->table, j->id, j->kind);
      break;
    case KIOSK_PLATFORM_REJECTED:
      state = 2;
      g_warning ("forward %s %" G_GINT64_FORMAT " (%s): refused by the province, set aside: %s", j->table, j->id,
                 j->kind, j->message ? j->message : "");
      break;
    case KIOSK_PLATFORM_TRANSIENT:
    default:
      {
        gint64 delay = backoff_ms (&self->o, j->attempts + 1, j->retry_after_ms);
        next_at = now + (delay + 999) / 1000;
        g_message ("forward %s %" G_GINT64_FORMAT " (%s): attempt %d failed (%s); again in %" G_GINT64_FORMAT " ms",
                   j->table, j->id, j->kind, j->attempts + 1, j->message ? j->message : "", delay);
      }
    }
  if (!self->storage->klass->forward_done (self->storage, j->table, j->id, state, next_at, j->message, j->body, &error))
    g_warning ("forward %s %" G_GINT64_FORMAT ": could not record the outcome (the lease will end and it is sent "
               "again, under the same key): %s",
               j->table, j->id, error ? error->message : "?");
  self->in_flight--;
  job_free (j);
}

/* A case's attachments as the payload lists them, with their bytes. */
static GPtrArray *
case_attachments (PlatformForwarder *self, JsonObject *payload)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) attachment_free);
  JsonArray *list = json_object_get_member (payload, "attachments") != NULL
                            && JSON_NODE_HOLDS_ARRAY (json_object_get_member (payload, "attachments"))
                        ? json_object_get_array_member (payload, "attachments")
                        : NULL;

  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonNode *n = json_array_get_element (list, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      const char *sha = o ? json_object_get_string_member_with_default (o, "sha256", NULL) : NULL;
      Attachment *a;

      if (sha == NULL)
        continue;
      a = g_new0 (Attachment, 1);
      a->sha256 = g_strdup (sha);
      a->size = json_object_get_int_member_with_default (o, "size", 0);
      a->data = self->storage->klass->attachment_read (self->storage, sha);
      if (a->data)
        a->size = (gint64) g_bytes_get_size (a->data);
      g_ptr_array_add (out, a);
    }
  return out;
}

static void
claim (PlatformForwarder *self)
{
  g_autofree char *json = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *items;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  json = self->storage->klass->forward_claim (self->storage, now, self->o.batch, self->o.lease_seconds);
  if (json == NULL)
    return;
  if (!json_parser_load_from_data (parser, json, -1, NULL) || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      g_warning ("forward: the storage's claim is not a JSON array");
      return;
    }
  items = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *it = json_array_get_object_element (items, i);
      Job *j = g_new0 (Job, 1);

      j->owner = self;
      j->table = g_strdup (json_object_get_string_member_with_default (it, "table", "record"));
      j->id = json_object_get_int_member_with_default (it, "id", 0);
      j->kind = g_strdup (json_object_get_string_member_with_default (it, "kind", ""));
      j->payload = g_strdup (json_object_get_string_member_with_default (it, "payload", "{}"));
      j->attempts = (int) json_object_get_int_member_with_default (it, "attempts", 0);
      j->key = platform_forward_key (self->station_id, j->table, j->id);
      if (g_str_equal (j->kind, "case"))
        {
          g_autoptr (JsonParser) pp = json_parser_new ();
          if (json_parser_load_from_data (pp, j->payload, -1, NULL)
              && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (pp)))
            j->attachments = case_attachments (self, json_node_get_object (json_parser_get_root (pp)));
        }
      self->in_flight++;
      g_async_queue_push (self->jobs, j);
    }
}

static gboolean
tick_cb (gpointer data)
{
  PlatformForwarder *self = data;

  if (self->in_flight == 0 && !self->stopping)
    claim (self);
  return G_SOURCE_CONTINUE;
}

/* The --forward-* options as GOption fills them (plain strings, for the
 * life of the process), copied into the caller's options once parsed. */
static struct {
  char *url, *station_id, *ca_file, *client_cert, *client_key;
  gboolean allow_http;
  int base_ms, max_ms, interval_ms, lease_seconds;
  PlatformForwardOptions *target;
} args;

static gboolean
forward_options_parsed (GOptionContext *context, GOptionGroup *group, gpointer data, GError **error)
{
  PlatformForwardOptions *o = args.target;

  o->url = args.url;
  o->station_id = args.station_id;
  o->ca_file = args.ca_file;
  o->client_cert = args.client_cert;
  o->client_key = args.client_key;
  o->allow_http = args.allow_http;
  if (args.base_ms < 0 || args.max_ms < 0 || args.interval_ms < 0 || args.lease_seconds < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "the --forward-* times cannot be negative");
      return FALSE;
    }
  o->lease_seconds = args.lease_seconds;
  o->base_ms = (guint) args.base_ms;
  o->max_ms = (guint) args.max_ms;
  o->interval_ms = (guint) args.interval_ms;
  return TRUE;
}

GOptionGroup *
platform_forward_option_group (PlatformForwardOptions *options)
{
  static const GOptionEntry entries[] = {
    { "forward-to", 0, 0, G_OPTION_ARG_STRING, &args.url,
      "forward cases, ratings and print records to the provincial platform at URL", "URL" },
    { "forward-id", 0, 0, G_OPTION_ARG_STRING, &args.station_id,
      "this platform's name to the province (default: station)", "ID" },
    { "forward-allow-http", 0, 0, G_OPTION_ARG_NONE, &args.allow_http, "allow plain HTTP to the province (tests only)",
      NULL },
    { "forward-ca", 0, 0, G_OPTION_ARG_FILENAME, &args.ca_file, "the only CA trusted for the province (PEM)", "FILE" },
    { "forward-cert", 0, 0, G_OPTION_ARG_FILENAME, &args.client_cert, "client certificate for the province (PEM)",
      "FILE" },
    { "forward-key", 0, 0, G_OPTION_ARG_FILENAME, &args.client_key, "private key of --forward-cert (PEM)", "FILE" },
    { "forward-backoff-ms", 0, 0, G_OPTION_ARG_INT, &args.base_ms,
      "first retry delay (default 2000, doubling up to --forward-backoff-max-ms)", "MS" },
    { "forward-backoff-max-ms", 0, 0, G_OPTION_ARG_INT, &args.max_ms, "longest retry delay (default 300000)", "MS" },
    { "forward-interval-ms", 0, 0, G_OPTION_ARG_INT, &args.interval_ms,
      "how often due items are looked for (default 1000)", "MS" },
    { "forward-lease-seconds", 0, 0, G_OPTION_ARG_INT, &args.lease_seconds,
      "how long a receiver keeps the items it claimed (default 120; a killed receiver's wait that long)", "S" },
    { NULL },
  };
  GOptionGroup *group
      = g_option_group_new ("forward", "Forwarding to the province:", "Show the forwarding options", NULL, NULL);

  args.target = options;
  g_option_group_add_entries (group, entries);
  g_option_group_set_parse_hooks (group, NULL, forward_options_parsed);
  return group;
}

PlatformForwarder *
platform_forwarder_new (PlatformStorage *storage, const PlatformForwardOptions *options, GError **error)
{
  PlatformForwarder *self;
  KioskPlatformAdapter *probe;

  if (storage->klass->forward_claim == NULL || storage->klass->forward_done == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "this storage engine cannot forward");
      return NULL;
    }
  self = g_new0 (PlatformForwarder, 1);
  self->storage = storage;
  self->o = *options;
  self->url = g_strdup (options->url);
  self->station_id = g_strdup (options->station_id ? options->station_id : "station");
  self->ca_file = g_strdup (options->ca_file);
  self->client_cert = g_strdup (options->client_cert);
  self->client_key = g_strdup (options->client_key);
  self->o.url = self->o.station_id = self->o.ca_file = self->o.client_cert = self->o.client_key = NULL;
  if (self->o.interval_ms == 0)
    self->o.interval_ms = 1000;
  if (self->o.base_ms == 0)
    self->o.base_ms = 2000;
  if (self->o.max_ms == 0)
    self->o.max_ms = 300000;
  if (self->o.lease_seconds <= 0)
    self->o.lease_seconds = 120;
  if (self->o.batch <= 0)
    self->o.batch = 8;
  /* A URL or certificate that cannot work says so now, not in a log later. */
  probe = adapter_new (self, error);
  if (probe == NULL)
    {
      platform_forwarder_free (self);
      return NULL;
    }
  probe->klass->free (probe);
  self->context = g_main_context_ref_thread_default ();
  self->jobs = g_async_queue_new ();
  self->thread = g_thread_new ("forward", forward_thread, self);
  self->tick = g_timeout_add (self->o.interval_ms, tick_cb, self);
  return self;
}

void
platform_forwarder_free (PlatformForwarder *self)
{
  if (self == NULL)
    return;
  self->stopping = TRUE;
  g_clear_handle_id (&self->tick, g_source_remove);
  if (self->thread)
    {
      g_async_queue_push (self->jobs, &STOP);
      g_thread_join (self->thread);
      /* Outcomes already on their way back are recorded; items still
       * queued go back when their lease ends. */
      while (self->in_flight > 0 && g_main_context_iteration (self->context, FALSE))
        ;
    }
  if (self->jobs)
    {
      Job *j;
      while ((j = g_async_queue_try_pop (self->jobs)) != NULL)
        if (j != &STOP)
          job_free (j);
      g_async_queue_unref (self->jobs);
    }
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->url);
  g_free (self->station_id);
  g_free (self->ca_file);
  g_free (self->client_cert);
  g_free (self->client_key);
  g_free (self);
}
