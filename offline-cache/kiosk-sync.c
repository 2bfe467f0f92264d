/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-sync"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "kiosk-sync.h"

struct _KioskSync {
  GObject parent_instance;
  KioskStore *store;
  KioskAdapterFactory factory;
  gpointer factory_data;
  GDestroyNotify factory_data_free;
  GMainContext *context; /* where signals are emitted */

  guint base_ms, max_ms;
  gsize chunk_size;
  guint heartbeat_seconds;

  GMutex lock; /* protects the fields below */
  GCond cond;
  GThread *thread;
  GCancellable *cancellable;
  gboolean stopping;
  gboolean woken;
  char *device_states;
  char *device_reasons;
  KioskSyncStats stats;
  gint64 last_backlog_check;
  int last_backlog;
  int online;          /* -1 unknown */
  gint64 last_contact; /* real time (µs) of the last request the platform answered; 0 none */

  /* The engine's own state (the thread that runs it). The link: requests
   * in a row without an answer, and no request before link_next_at (real
   * time, µs). Items: failures of their own in a row (outbox id -> count);
   * hold_until: the queue waits for an item that has not stepped aside. */
  guint link_failures;
  gboolean link_quick_retry_used;
  gboolean quick_retry_now; /* the last request is retried at once */
  gint64 link_next_at;
  GHashTable *own_failures;
  gint64 hold_until;
  guint aside_after;
  GByteArray *page; /* the page being sent (the calling thread's worker) */
  /* Up to this many items are delivered at once, each by a worker with its
   * own connection. engine_lock protects the engine's state above when
   * workers run; link_epoch counts the link's failures and answers. */
  guint connections;
  GMutex engine_lock;
  guint link_epoch;
};

G_DEFINE_FINAL_TYPE (KioskSync, kiosk_sync, G_TYPE_OBJECT)

enum {
  SIGNAL_BACKLOG_CHANGED,
  SIGNAL_ITEM_REJECTED,
  SIGNAL_CATALOG_CHANGED,
  SIGNAL_NOTICES_CHANGED,
  SIGNAL_ONLINE_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

typedef enum {
  STEP_EMPTY,     /* nothing pending */
  STEP_WAIT,      /* the head item waits for its next attempt */
  STEP_DELIVERED, /* the head item went through */
  STEP_REJECTED,  /* the head item was refused: marked */
  STEP_RETRY,     /* transient failure: marked for later */
  STEP_ERROR,     /* the store failed */
  STEP_ITEM,      /* an item to deliver was picked */
  STEP_TIMEOUT,   /* the pass ran out of time */
} Step;

/* ---- Signals on the owner's main context --------------------------------- */

typedef struct {
  KioskSync *self;
  guint signal;
  int number;
  gint64 id;
  char *kind;
  char *reason;
} Emission;

static gboolean
emit_cb (gpointer data)
{
  Emission *e = data;

  switch (e->signal)
    {
    case SIGNAL_BACKLOG_CHANGED:
    case SIGNAL_ONLINE_CHANGED:
      g_signal_emit (e->self, signals[e->signal], 0, e->number);
      break;
    case SIGNAL_ITEM_REJECTED:
      g_signal_emit (e->self, signals[e->signal], 0, e->id, e->kind, e->reason);
      break;
    default:
      g_signal_emit (e->self, signals[e->signal], 0);
    }
  return G_SOURCE_REMOVE;
}

static void
emission_free (Emission *e)
{
  g_object_unref (e->self);
  g_free (e->kind);
  g_free (e->reason);
  g_free (e);
}

static void
emit_later (KioskSync *self, guint signal, int number, gint64 id, const char *kind, const char *reason)
{
  Emission *e = g_new0 (Emission, 1);

  e->self = g_object_ref (self);
  e->signal = signal;
  e->number = number;
  e->id = id;
  e->kind = g_strdup (kind);
  e->reason = g_strdup (reason);
  /* Ownership of e passes to the main context. */
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_cb, e, (GDestroyNotify) emission_free);
  // cppcheck-suppress memleak
}

static void
report_backlog (KioskSync *self, gboolean force)
{
  gint64 now = g_get_monotonic_time ();
  int backlog;

  g_mutex_lock (&self->lock);
  if (!force && now - self->last_backlog_check < 250 * 1000)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->last_backlog_check = now;
  g_mutex_unlock (&self->lock);

  backlog = kiosk_store_get_backlog (self->store);
  g_mutex_lock (&self->lock);
  if (backlog == self->last_backlog)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->last_backlog = backlog;
  g_mutex_unlock (&self->lock);
  emit_later (self, SIGNAL_BACKLOG_CHANGED, backlog, 0, NULL, NULL);
}

static void
set_online (KioskSync *self, gboolean online)
{
  gboolean changed;

  g_mutex_lock (&self->lock);
  changed = self->online != online;
  self->online = online;
  if (online)
    self->last_contact = g_get_real_time ();
  g_mutex_unlock (&self->lock);
  if (changed)
    {
      g_message ("platform %s", online ? "reachable" : "unreachable");
      emit_later (self, SIGNAL_ONLINE_CHANGED, online, 0, NULL, NULL);
    }
}

gint64
kiosk_sync_get_last_contact (KioskSync *self)
{
  gint64 t;

  g_return_val_if_fail (KIOSK_IS_SYNC (self), 0);
  g_mutex_lock (&self->lock);
  t = self->last_contact;
  g_mutex_unlock (&self->lock);
  return t;
}

/* ---- Object ------------------------------------------------------------ */

static void
kiosk_sync_finalize (GObject *object)
{
  KioskSync *self = KIOSK_SYNC (object);

  kiosk_sync_stop (self);
  g_clear_object (&self->store);
  if (self->factory_data_free)
    self->factory_data_free (self->factory_data);
  g_main_context_unref (self->context);
  g_clear_object (&self->cancellable);
  g_free (self->device_states);
  g_free (self->device_reasons);
  g_hash_table_unref (self->own_failures);
  g_byte_array_unref (self->page);
  g_mutex_clear (&self->engine_lock);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (kiosk_sync_parent_class)->finalize (object);
}

static void
kiosk_sync_class_init (KioskSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_sync_finalize;
  signals[SIGNAL_BACKLOG_CHANGED] = g_signal_new ("backlog-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_ITEM_REJECTED] = g_signal_new ("item-rejected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                                NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_CATALOG_CHANGED] = g_signal_new ("catalog-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_NOTICES_CHANGED] = g_signal_new ("notices-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_ONLINE_CHANGED] = g_signal_new ("online-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
kiosk_sync_init (KioskSync *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->base_ms = 1000;
  self->max_ms = 300 * 1000;
  self->chunk_size = 256 * 1024;
  self->heartbeat_seconds = 300;
  self->last_backlog = -2;
  self->online = -1;
  self->context = g_main_context_ref_thread_default ();
  self->cancellable = g_cancellable_new ();
  self->own_failures = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->aside_after = 3;
  self->page = g_byte_array_new ();
  self->connections = 1;
  g_mutex_init (&self->engine_lock);
}

KioskSync *
kiosk_sync_new (KioskStore *store, KioskAdapterFactory factory, gpointer factory_data, GDestroyNotify factory_data_free)
{
  KioskSync *self = g_object_new (KIOSK_TYPE_SYNC, NULL);

  self->store = g_object_ref (store);
  self->factory = factory;
  self->factory_data = factory_data;
  self->factory_data_free = factory_data_free;
  return self;
}

static KioskPlatformAdapter *
config_factory (gpointer data, GError **error)
{
  return kiosk_http_adapter_new_from_config (data, error);
}

KioskSync *
kiosk_sync_new_from_config (KioskStore *store, KioskConfig *config)
{
  KioskSync *self
      = kiosk_sync_new (store, config_factory, kiosk_config_ref (config), (GDestroyNotify) kiosk_config_unref);

  self->heartbeat_seconds = kiosk_config_get_int (config, "platform", "heartbeat-seconds");
  self->connections = KIOSK_SYNC_DEFAULT_CONNECTIONS;
  return self;
}

void
kiosk_sync_set_backoff (KioskSync *self, guint base_ms, guint max_ms)
{
  self->base_ms = MAX (base_ms, 1);
  self->max_ms = MAX (max_ms, self->base_ms);
}

void
kiosk_sync_set_aside_after (KioskSync *self, guint attempts)
{
  self->aside_after = MAX (attempts, 1);
}

void
kiosk_sync_set_connections (KioskSync *self, guint connections)
{
  self->connections = CLAMP (connections, 1, KIOSK_SYNC_MAX_CONNECTIONS);
}

void
kiosk_sync_set_chunk_size (KioskSync *self, gsize bytes)
{
  self->chunk_size = MAX (bytes, 1024);
}

void
kiosk_sync_set_heartbeat_interval (KioskSync *self, guint seconds)
{
  self->heartbeat_seconds = seconds;
}

void
kiosk_sync_set_device_states (KioskSync *self, const char *json)
{
  g_mutex_lock (&self->lock);
  g_free (self->device_states);
  self->device_states = g_strdup (json);
  g_mutex_unlock (&self->lock);
}

void
kiosk_sync_set_device_reasons (KioskSync *self, const char *json)
{
  g_mutex_lock (&self->lock);
  g_free (self->device_reasons);
  self->device_reasons = g_strdup (json);
  g_mutex_unlock (&self->lock);
}

void
kiosk_sync_get_stats (KioskSync *self, KioskSyncStats *stats)
{
  g_mutex_lock (&self->lock);
  *stats = self->stats;
  g_mutex_unlock (&self->lock);
}

/* ---- Delivery ---------------------------------------------------------- */

static gint64
backoff_delay_ms (KioskSync *self, int attempts, gint64 retry_after_ms)
{
  return kiosk_platform_backoff_ms (self->base_ms, self->max_ms, attempts, retry_after_ms);
}

/* Pages up to this size are read into a buffer kept from page to page;
 * a larger one gets a buffer of its own, freed after it. */
#define PAGE_BUFFER_KEEP (4 * 1024 * 1024)

/* Reads the local copy of @a into @buf: its size in bytes, or -1 with
 * @error. A copy of another size than recorded reads as that size (up to
 * one byte more). Plain read(2) into a kept buffer: mapping and unmapping
 * each page cost a TLB shootdown on every core the process ran on. */
static gint64
read_local (const KioskAttachmentInfo *a, GByteArray *buf, GError **error)
{
  int fd;
  gsize want, got = 0;

  if (a->path == NULL)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "purged");
      return -1;
    }
  if (a->size < 0 || a->size >= G_MAXUINT - 1)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "size out of range");
      return -1;
    }
  if ((fd = open (a->path, O_RDONLY | O_CLOEXEC)) < 0)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s", g_strerror (e));
      return -1;
    }
  want = (gsize) a->size + 1; /* one more: a longer copy is noticed */
  g_byte_array_set_size (buf, (guint) want);
  while (got < want)
    {
      ssize_t n = read (fd, buf->data + got, want - got);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int e = errno;
          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s", g_strerror (e));
          return -1;
        }
      if (n == 0)
        break;
      got += (gsize) n;
    }
  close (fd);
  return (gint64) got;
}

/* Checks the local copy, then uploads what the platform does not hold yet.
 * @buf: a buffer for the page's bytes. */
static KioskPlatformOutcome
upload_attachment (KioskSync *self, KioskPlatformAdapter *ad, KioskAttachmentInfo *a, gboolean fresh, GByteArray *buf,
                   GCancellable *cancellable, KioskPlatformResult *res)
{
  g_autoptr (GByteArray) own = a->size > PAGE_BUFFER_KEEP ? g_byte_array_new () : NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *local_sha = NULL;
  const guint8 *data;
  gint64 offset, length;

  kiosk_platform_result_clear (res);
  if (own)
    buf = own;
  if ((length = read_local (a, buf, &error)) < 0)
    {
      res->outcome = KIOSK_PLATFORM_REJECTED;
      res->message = g_strdup_printf ("local attachment %" G_GINT64_FORMAT " unreadable: %s", a->id, error->message);
      return res->outcome;
    }
  data = buf->data;
  if (length == a->size)
    local_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, a->size);
  if (g_strcmp0 (local_sha, a->sha256) != 0)
    {
      res->outcome = KIOSK_PLATFORM_REJECTED;
      res->message = g_strdup_printf ("local attachment %" G_GINT64_FORMAT " damaged (size or SHA-256 differs)", a->id);
      return res->outcome;
    }

  /* Never tried (@fresh): nothing of it can be on the platform (unless the
   * same bytes came with another case), so the first chunk goes at once;
   * once sending began, the platform is asked how much it holds, so that a
   * chunk that arrived is never sent again. The caller marks the pages as
   * started before the first byte leaves. */
  if (fresh)
    {
      res->outcome = KIOSK_PLATFORM_OK;
      res->offset = 0;
      res->complete = FALSE;
    }
  else
    {
      ad->klass->attachment_status (ad, a->sha256, a->size, cancellable, res);
      if (res->outcome != KIOSK_PLATFORM_OK)
        return res->outcome;
    }
  offset = res->offset;
  if (!res->complete)
    {
      if (offset < 0 || offset > a->size)
        offset = 0;
      do
        {
          gsize len = (gsize) MIN ((gint64) self->chunk_size, a->size - offset);

          ad->klass->attachment_append (ad, a->sha256, a->size, offset, data + offset, len, cancellable, res);
          if (res->outcome != KIOSK_PLATFORM_OK)
            return res->outcome;
          g_mutex_lock (&self->lock);
          self->stats.bytes_uploaded += len;
          g_mutex_unlock (&self->lock);
          if (res->offset <= offset && !res->complete)
            {
              res->outcome = KIOSK_PLATFORM_TRANSIENT;
              g_free (res->message);
              res->message = g_strdup ("upload made no progress");
              return res->outcome;
            }
          offset = res->offset;
        }
      while (!res->complete && offset < a->size);
      if (!res->complete)
        {
          res->outcome = KIOSK_PLATFORM_TRANSIENT;
          g_free (res->message);
          res->message = g_strdup ("platform did not confirm the attachment checksum");
          return res->outcome;
        }
      g_mutex_lock (&self->lock);
      self->stats.attachments_uploaded++;
      g_mutex_unlock (&self->lock);
    }
  return KIOSK_PLATFORM_OK;
}

/* Whether a failure says something about the link rather than the item:
 * no answer at all (refused, reset, timeout, cut short), an answer that the
 * platform as a whole cannot serve now (gateway trouble, overload), or a
 * 3xx/4xx without the platform's error body (a proxy or portal in between).
 * What is left is the platform speaking about this item (its error body on
 * a 5xx or 409, a broken 2xx). */
static gboolean
is_link_failure (const KioskPlatformResult *res)
{
  switch (res->http_status)
    {
    case 0:
    case 408:
    case 425:
    case 429:
    case 502:
    case 503:
    case 504:
      return TRUE;
    default:
      return res->http_status >= 300 && res->http_status < 500 && res->error_code == NULL;
    }
}

/* An answer from the platform: the link is fine again. */
static void
link_answered (KioskSync *self)
{
  self->link_epoch++;
  self->link_failures = 0;
  self->link_quick_retry_used = FALSE;
  self->link_next_at = 0;
}

/* A request got no answer (or a "not now"): backoff for every item. The
 * first reset or refusal after an answer is retried at once, on a fresh
 * connection; after that the delay doubles with each consecutive failure
 * of any request. Returns the delay in ms. */
static gint64
link_failed (KioskSync *self, const KioskPlatformResult *res)
{
  gint64 delay;

  self->link_failures++;
  if (res->http_status == 0 && !self->link_quick_retry_used && res->retry_after_ms < 0)
    {
      self->link_quick_retry_used = TRUE;
      self->quick_retry_now = TRUE;
      delay = 0;
    }
  else
    delay = backoff_delay_ms (self, (int) self->link_failures - (self->link_quick_retry_used ? 1 : 0),
                              res->retry_after_ms);
  return delay;
}

static guint
own_failures (KioskSync *self, gint64 id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->own_failures, &id));
}

/* The item failed for its own reasons (the platform answered, for this item
 * only). It holds the queue for a short backoff up to aside_after times in
 * a row, then steps aside: later items go first (except those naming it)
 * and it comes back after a longer wait. @at_once_aside: retrying soon
 * cannot help (the same answer would come back). Returns the delay in ms. */
static gint64
item_failed (KioskSync *self, gint64 id, gint64 retry_after_ms, gboolean at_once_aside, gboolean *hold)
{
  guint n = own_failures (self, id) + 1;
  gint64 *key = g_new (gint64, 1);
  gint64 delay;

  if (at_once_aside)
    n = MAX (n, self->aside_after);
  *key = id;
  g_hash_table_replace (self->own_failures, key, GUINT_TO_POINTER (n));
  delay = backoff_delay_ms (self, (int) n, retry_after_ms);
  *hold = n < self->aside_after;
  if (!*hold)
    g_debug ("outbox item %" G_GINT64_FORMAT " steps aside after %u failures of its own", id, n);
  return delay;
}

/* @epoch: link_epoch when the request began. A request that was already
 * on its way when another one found the link down fails with it: that is
 * one failure of the link, not one more in a row (with several connections
 * the delay would otherwise double once per connection). */
static Step
record_failure (KioskSync *self, KioskOutboxItem *item, KioskPlatformResult *res, gboolean link, gboolean at_once_aside,
                guint epoch, GError **error)
{
  gboolean hold = FALSE;
  gint64 delay, next_at, now = g_get_real_time ();

  g_mutex_lock (&self->engine_lock);
  if (link && epoch != self->link_epoch && self->link_failures > 0)
    delay = MAX (self->link_next_at - now, 0) / 1000;
  else if (link)
    {
      delay = link_failed (self, res);
      self->link_epoch++;
    }
  else
    delay = item_failed (self, item->id, res->retry_after_ms, at_once_aside, &hold);
  /* One instant for the wait in memory and the item's next attempt, so the
   * item is due the moment the queue stops waiting for it. */
  next_at = now + delay * 1000;
  if (link)
    self->link_next_at = MAX (self->link_next_at, next_at);
  if (hold)
    self->hold_until = MAX (self->hold_until, next_at);
  g_mutex_unlock (&self->engine_lock);

  g_debug ("%s %" G_GINT64_FORMAT ": %s; retry in %" G_GINT64_FORMAT " ms (%s)", item->kind, item->id,
           res->message ? res->message : "transient failure", delay, link ? "link" : "item");
  g_mutex_lock (&self->lock);
  self->stats.transient_failures++;
  g_mutex_unlock (&self->lock);
  if (!kiosk_store_outbox_mark_retry (self->store, item->id, next_at, res->http_status, res->message, error))
    return STEP_ERROR;
  return STEP_RETRY;
}

/* Picks the next item (kiosk_store_outbox_next_except(), @busy: the ids
 * other workers are delivering) unless the link or an item holding the
 * queue asks to wait: STEP_ITEM with *@out and the link's *@epoch, or why
 * there is none. @done: ids already tried in this pass (may be NULL); an
 * item met again ends the pass with STEP_WAIT. */
static Step
pick (KioskSync *self, GArray *busy, GHashTable *done, KioskOutboxItem **out, guint *epoch, gint64 *wait_until,
      GError **error)
{
  g_autoptr (KioskOutboxItem) item = NULL;
  GError *local = NULL;
  gint64 now = g_get_real_time ();
  gint64 next_due = 0, link_next_at, hold_until;

  g_mutex_lock (&self->engine_lock);
  link_next_at = self->link_next_at;
  hold_until = self->hold_until;
  g_mutex_unlock (&self->engine_lock);
  if (link_next_at > now || hold_until > now)
    {
      *wait_until = MAX (link_next_at, hold_until);
      return kiosk_store_get_backlog (self->store) == 0 ? STEP_EMPTY : STEP_WAIT;
    }
  item = kiosk_store_outbox_next_except (self->store, now, (const gint64 *) busy->data, busy->len, &next_due, &local);
  if (item == NULL)
    {
      if (local)
        {
          g_propagate_error (error, local);
          return STEP_ERROR;
        }
      if (next_due == 0)
        return STEP_EMPTY;
      *wait_until = next_due;
      return STEP_WAIT;
    }
  g_mutex_lock (&self->engine_lock);
  if (done && g_hash_table_contains (done, &item->id) && !self->quick_retry_now)
    {
      g_mutex_unlock (&self->engine_lock);
      *wait_until = now;
      return STEP_WAIT;
    }
  self->quick_retry_now = FALSE;
  *epoch = self->link_epoch;
  g_mutex_unlock (&self->engine_lock);
  if (done)
    g_hash_table_add (done, g_memdup2 (&item->id, sizeof item->id));
  *out = g_steal_pointer (&item);
  return STEP_ITEM;
}

/* Delivers @item (its pages first) with @ad, @page a buffer for the pages,
 * and records the outcome. @epoch: from pick(). */
static Step
deliver (KioskSync *self, KioskPlatformAdapter *ad, GByteArray *page, KioskOutboxItem *item, guint epoch,
         GCancellable *cancellable, GError **error)
{
  KioskPlatformResult res = { .retry_after_ms = -1 };
  GError *local = NULL;
  Step step;

  /* Attachments first: the platform must hold every page, verified,
   * before the case that names them is committed there. */
  res.outcome = KIOSK_PLATFORM_OK;
  if (item->case_id > 0)
    {
      g_autoptr (GPtrArray) atts = kiosk_store_list_attachments (self->store, item->case_id, &local);
      gboolean marked = FALSE;
      guint arrived = 0; /* pages 0 .. arrived - 1 are on the platform */

      if (atts == NULL)
        {
          g_propagate_error (error, local);
          return STEP_ERROR;
        }
      /* One mark for every page never tried, before the first byte. */
      for (guint i = 0; i < atts->len && !marked; i++)
        if (!((KioskAttachmentInfo *) atts->pdata[i])->upload_started)
          marked = kiosk_store_mark_attachments_started (self->store, item->case_id, NULL);
      for (guint i = 0; i < atts->len && res.outcome == KIOSK_PLATFORM_OK; i++)
        {
          KioskAttachmentInfo *a = atts->pdata[i];
          if (!a->uploaded)
            upload_attachment (self, ad, a, marked && !a->upload_started, page, cancellable, &res);
          if (res.outcome == KIOSK_PLATFORM_OK)
            arrived = i + 1;
        }
      if (res.outcome == KIOSK_PLATFORM_OK)
        ad->klass->submit (ad, item->kind, item->idempotency_key, item->payload, cancellable, &res);
      /* Delivered, every page is marked with the case. Otherwise the pages
       * that arrived are remembered, so the next attempt does not even ask. */
      if (res.outcome != KIOSK_PLATFORM_OK)
        for (guint i = 0; i < arrived; i++)
          if (!((KioskAttachmentInfo *) atts->pdata[i])->uploaded)
            kiosk_store_mark_attachment_uploaded (self->store, ((KioskAttachmentInfo *) atts->pdata[i])->id, NULL);
    }
  else
    ad->klass->submit (ad, item->kind, item->idempotency_key, item->payload, cancellable, &res);

  set_online (self, res.http_status != 0);
  if (res.outcome == KIOSK_PLATFORM_TRANSIENT && is_link_failure (&res))
    {
      step = record_failure (self, item, &res, TRUE, FALSE, epoch, error);
      kiosk_platform_result_clear (&res);
      return step;
    }
  g_mutex_lock (&self->engine_lock);
  link_answered (self);
  g_mutex_unlock (&self->engine_lock);
  switch (res.outcome)
    {
    case KIOSK_PLATFORM_OK:
      if (!kiosk_store_outbox_mark_done (self->store, item->id, res.body, &local))
        {
          /* An answer the store cannot take (an official number another
           * case holds): a failure of this item, recorded and shown to the
           * technician; the queue moves on. A disk failure stops the pass. */
          if (g_error_matches (local, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_INVALID))
            {
              g_autofree char *reason = g_strdup_printf ("answer not recorded: %s", local->message);
              g_clear_error (&local);
              g_free (res.message);
              res.message = g_steal_pointer (&reason);
              step = record_failure (self, item, &res, FALSE, TRUE, epoch, error);
              kiosk_platform_result_clear (&res);
              return step;
            }
          g_propagate_error (error, local);
          kiosk_platform_result_clear (&res);
          return STEP_ERROR;
        }
      g_debug ("delivered %s %" G_GINT64_FORMAT " after %d attempts", item->kind, item->id, item->attempts + 1);
      g_mutex_lock (&self->engine_lock);
      g_hash_table_remove (self->own_failures, &item->id);
      g_mutex_unlock (&self->engine_lock);
      g_mutex_lock (&self->lock);
      self->stats.delivered++;
      g_mutex_unlock (&self->lock);
      kiosk_platform_result_clear (&res);
      return STEP_DELIVERED;

    case KIOSK_PLATFORM_REJECTED:
      if (!kiosk_store_outbox_mark_rejected (self->store, item->id, res.http_status, res.message, error))
        {
          kiosk_platform_result_clear (&res);
          return STEP_ERROR;
        }
      g_mutex_lock (&self->engine_lock);
      g_hash_table_remove (self->own_failures, &item->id);
      g_mutex_unlock (&self->engine_lock);
      g_mutex_lock (&self->lock);
      self->stats.rejected++;
      g_mutex_unlock (&self->lock);
      emit_later (self, SIGNAL_ITEM_REJECTED, 0, item->id, item->kind, res.message);
      kiosk_platform_result_clear (&res);
      return STEP_REJECTED;

    case KIOSK_PLATFORM_NOT_MODIFIED:
      /* 304 answers a conditional GET: to a submission it acknowledges
       * nothing (a cache on the way?). Never a delivery. */
      if (res.message == NULL)
        res.message = g_strdup ("HTTP 304 to a submission: not an acknowledgement");
      G_GNUC_FALLTHROUGH;
    case KIOSK_PLATFORM_TRANSIENT:
    default:
      step = record_failure (self, item, &res, FALSE, FALSE, epoch, error);
      kiosk_platform_result_clear (&res);
      return step;
    }
}

static KioskPlatformAdapter *
make_adapter (KioskSync *self, GError **error)
{
  return self->factory (self->factory_data, error);
}

/* ---- Passes over the queue ------------------------------------------------ *
 * A pass delivers what is due with up to self->connections workers: the
 * calling thread with its adapter, and helper threads with adapters (and
 * connections) of their own. Each worker picks the next item no other
 * worker is delivering, nor one that names such an item (a rating waits
 * for its case), and delivers it whole: its pages, then the case. While
 * one worker waits for the platform another prepares the next request, so
 * the kiosk's work and the platform's overlap. The link's backoff and an
 * item holding the queue stop every worker from picking. */

/* Polling slice while waiting (cancellation, timeout, other workers). */
#define PASS_SLICE_US (50 * 1000)

typedef struct {
  KioskSync *self;
  GCancellable *cancellable;
  GHashTable *done;     /* run_once: ids tried in this pass; or NULL */
  gboolean until_empty; /* sleep through waits instead of ending */
  KioskDeadline *bound; /* run_until_empty's timeout, or NULL */
  gint64 deadline;      /* real time */
  GMutex lock;          /* protects what follows */
  GCond cond;
  GArray *busy; /* outbox ids being delivered */
  gboolean finished;
  Step step; /* why the pass ended: EMPTY, WAIT, ERROR or TIMEOUT */
  gint64 wait_until;
  GError *error;
} Pass;

/* Called with p->lock held. */
static void
pass_finish (Pass *p, Step step, gint64 wait_until, GError *error)
{
  if (!p->finished)
    {
      p->finished = TRUE;
      p->step = step;
      p->wait_until = wait_until;
      p->error = error;
    }
  else if (error)
    g_error_free (error);
  g_cond_broadcast (&p->cond);
}

static void
pass_work (Pass *p, KioskPlatformAdapter *ad, GByteArray *page)
{
  KioskSync *self = p->self;

  g_mutex_lock (&p->lock);
  while (!p->finished)
    {
      KioskOutboxItem *item = NULL;
      GError *local = NULL;
      gint64 wait_until = 0, now;
      guint epoch = 0;
      Step step;

      if (p->bound && (g_get_real_time () >= p->deadline || kiosk_deadline_expired (p->bound)))
        {
          pass_finish (p, STEP_TIMEOUT, 0, NULL);
          break;
        }
      if (g_cancellable_set_error_if_cancelled (p->cancellable, &local))
        {
          pass_finish (p, STEP_ERROR, 0, local);
          break;
        }
      step = pick (self, p->busy, p->done, &item, &epoch, &wait_until, &local);
      if (step == STEP_ITEM)
        {
          gint64 id = item->id;

          g_array_append_val (p->busy, id);
          g_mutex_unlock (&p->lock);
          step = deliver (self, ad, page, item, epoch, p->cancellable, &local);
          kiosk_outbox_item_free (item);
          report_backlog (self, FALSE);
          g_mutex_lock (&p->lock);
          for (guint i = 0; i < p->busy->len; i++)
            if (g_array_index (p->busy, gint64, i) == id)
              {
                g_array_remove_index_fast (p->busy, i);
                break;
              }
          if (step == STEP_ERROR)
            pass_finish (p, STEP_ERROR, 0, local);
          g_cond_broadcast (&p->cond);
          continue;
        }
      if (step == STEP_ERROR)
        {
          pass_finish (p, STEP_ERROR, 0, local);
          break;
        }
      /* Nothing to pick now: wait while other workers deliver (what they
       * leave may become due, or unblock an item naming theirs), or for
       * the wait to end when the pass sleeps through waits. */
      if (p->busy->len > 0 || (step == STEP_WAIT && p->until_empty))
        {
          gint64 until;

          now = g_get_real_time ();
          until = now + PASS_SLICE_US;
          if (step == STEP_WAIT && wait_until > now)
            until = MIN (until, wait_until);
          g_cond_wait_until (&p->cond, &p->lock, g_get_monotonic_time () + (until - now));
          continue;
        }
      pass_finish (p, step, wait_until, NULL);
    }
  g_mutex_unlock (&p->lock);
}

static gpointer
helper_thread (gpointer data)
{
  Pass *p = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskPlatformAdapter) ad = make_adapter (p->self, &error);
  g_autoptr (GByteArray) page = g_byte_array_new ();

  if (ad == NULL)
    g_debug ("sync: no second connection: %s", error->message);
  else
    pass_work (p, ad, page);
  return NULL;
}

/* Runs a pass with @ad in the calling thread (and helpers when more than
 * one item is pending). Returns EMPTY, WAIT (*@wait_until), TIMEOUT or
 * ERROR. */
static Step
run_pass (KioskSync *self, KioskPlatformAdapter *ad, GHashTable *done, gboolean until_empty, KioskDeadline *bound,
          gint64 deadline, GCancellable *cancellable, gint64 *wait_until, GError **error)
{
  Pass p = {
    .self = self,
    .cancellable = cancellable,
    .done = done,
    .until_empty = until_empty,
    .bound = bound,
    .deadline = deadline,
    .busy = g_array_new (FALSE, FALSE, sizeof (gint64)),
  };
  g_autoptr (GPtrArray) helpers = g_ptr_array_new ();
  guint n = self->connections > 1 ? MIN (self->connections, (guint) MAX (kiosk_store_get_backlog (self->store), 1)) : 1;

  g_mutex_init (&p.lock);
  g_cond_init (&p.cond);
  for (guint i = 1; i < n; i++)
    g_ptr_array_add (helpers, g_thread_new ("kiosk-sync-worker", helper_thread, &p));
  pass_work (&p, ad, self->page);
  for (guint i = 0; i < helpers->len; i++)
    g_thread_join (helpers->pdata[i]);
  report_backlog (self, TRUE);
  g_array_unref (p.busy);
  g_mutex_clear (&p.lock);
  g_cond_clear (&p.cond);
  if (wait_until)
    *wait_until = p.wait_until;
  if (p.error)
    g_propagate_error (error, p.error);
  return p.step;
}

gboolean
kiosk_sync_run_once (KioskSync *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (KioskPlatformAdapter) ad = make_adapter (self, error);
  g_autoptr (GHashTable) done = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (ad == NULL)
    return FALSE;
  /* Each item at most once per pass. */
  return run_pass (self, ad, done, FALSE, NULL, G_MAXINT64, cancellable, NULL, error) == STEP_EMPTY;
}

gboolean
kiosk_sync_run_until_empty (KioskSync *self, double timeout_seconds, GCancellable *cancellable, GError **error)
{
  g_autoptr (KioskPlatformAdapter) ad = make_adapter (self, error);
  gint64 deadline = timeout_seconds > 0 ? g_get_real_time () + (gint64) (timeout_seconds * G_USEC_PER_SEC) : G_MAXINT64;
  g_autoptr (KioskDeadline) bound = NULL;
  Step step;

  if (ad == NULL)
    return FALSE;
  /* The timeout also cuts a request in flight (a platform trickling its
   * answer), not only the loop between requests. */
  if (timeout_seconds > 0)
    {
      bound = kiosk_deadline_new (timeout_seconds, cancellable);
      cancellable = kiosk_deadline_get_cancellable (bound);
    }
  step = run_pass (self, ad, NULL, TRUE, bound, deadline, cancellable, NULL, error);
  if (step == STEP_TIMEOUT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "outbox not empty after %.0f s (%d pending)",
                   timeout_seconds, kiosk_store_get_backlog (self->store));
      return FALSE;
    }
  return step == STEP_EMPTY;
}

/* ---- Documents and heartbeat -------------------------------------------- */

/* 代办: the station's agents (GET /v1/agents), kept in the store's settings
 * so that an agent logs in offline. A platform without the list (an older
 * one) is no failure of the refresh. */
static void
refresh_agents (KioskSync *self, KioskPlatformAdapter *ad, GCancellable *cancellable)
{
  KioskPlatformResult res = { .retry_after_ms = -1 };
  g_autofree char *etag = kiosk_store_get_meta (self->store, "agents_etag", NULL);
  g_autoptr (GError) local = NULL;

  ad->klass->fetch_document (ad, "agents", etag, cancellable, &res);
  if (res.outcome == KIOSK_PLATFORM_OK && res.body)
    {
      if (kiosk_store_set_meta (self->store, "agents", res.body, &local)
          && kiosk_store_set_meta (self->store, "agents_etag", res.etag, &local))
        g_message ("agents updated (ETag %s)", res.etag ? res.etag : "none");
      else
        g_warning ("agents: %s", local->message);
    }
  else if (res.outcome != KIOSK_PLATFORM_NOT_MODIFIED)
    g_info ("agents: %s", res.message ? res.message : "no answer");
  kiosk_platform_result_clear (&res);
}

static gboolean
refresh_with (KioskSync *self, KioskPlatformAdapter *ad, GCancellable *cancellable, GError **error)
{
  static const char *const what[] = { "catalog", "notices" };
  gboolean ok = TRUE;

  for (gsize i = 0; i < G_N_ELEMENTS (what); i++)
    {
      KioskPlatformResult res = { .retry_after_ms = -1 };
      g_autofree char *etag
          = i == 0 ? kiosk_store_get_catalog_etag (self->store) : kiosk_store_get_notices_etag (self->store);
      g_autoptr (GError) local = NULL;

      ad->klass->fetch_document (ad, what[i], etag, cancellable, &res);
      set_online (self, res.http_status != 0);
      if (res.outcome == KIOSK_PLATFORM_OK && res.body)
        {
          gboolean stored = i == 0 ? kiosk_store_set_catalog (self->store, res.body, res.etag, &local)
                                   : kiosk_store_set_notices (self->store, res.body, res.etag, &local);
          if (stored)
            {
              g_message ("%s updated (ETag %s)", what[i], res.etag ? res.etag : "none");
              emit_later (self, i == 0 ? SIGNAL_CATALOG_CHANGED : SIGNAL_NOTICES_CHANGED, 0, 0, NULL, NULL);
            }
          else if (ok)
            {
              ok = FALSE;
              g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", what[i]);
            }
        }
      else if (res.outcome != KIOSK_PLATFORM_NOT_MODIFIED && ok)
        {
          ok = FALSE;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what[i],
                       res.message ? res.message : "no answer");
        }
      kiosk_platform_result_clear (&res);
    }
  refresh_agents (self, ad, cancellable);
  return ok;
}

gboolean
kiosk_sync_refresh_documents (KioskSync *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (KioskPlatformAdapter) ad = make_adapter (self, error);

  return ad && refresh_with (self, ad, cancellable, error);
}

/* The longest device reason a heartbeat carries (bytes; cut at a UTF-8
 * character boundary). */
#define HEARTBEAT_REASON_MAX 160

/* "device_reasons": each device's reason for the technician, as the device
 * gave it (kiosk_device_get_reason: precise, never personal data), only
 * strings, each cut to HEARTBEAT_REASON_MAX bytes. */
static void
add_device_reasons (JsonBuilder *b, const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *o = NULL;

  json_builder_begin_object (b);
  if (json && json_parser_load_from_data (parser, json, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    o = json_node_get_object (json_parser_get_root (parser));
  if (o)
    {
      g_autoptr (GList) names = json_object_get_members (o);
      for (GList *l = names; l; l = l->next)
        {
          JsonNode *n = json_object_get_member (o, l->data);
          const char *r = json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
          const char *end = NULL;

          if (r == NULL || !g_utf8_validate (r, -1, &end))
            continue;
          end = r + MIN (strlen (r), HEARTBEAT_REASON_MAX);
          while (end > r && *end != '\0' && (*end & 0xC0) == 0x80)
            end--;
          {
            g_autofree char *cut = g_strndup (r, end - r);
            json_builder_set_member_name (b, l->data);
            json_builder_add_string_value (b, cut);
          }
        }
    }
  json_builder_end_object (b);
}

static char *
heartbeat_payload (KioskSync *self)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *devices = NULL;
  g_autofree char *reasons = NULL;
  KioskQueueCounts c;

  kiosk_store_queue_counts (self->store, &c, NULL);
  g_mutex_lock (&self->lock);
  devices = g_strdup (self->device_states);
  reasons = g_strdup (self->device_reasons);
  g_mutex_unlock (&self->lock);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kiosk_id");
  json_builder_add_string_value (b, kiosk_store_get_kiosk_id (self->store));
  json_builder_set_member_name (b, "app_version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "devices");
  if (devices && json_parser_load_from_data (parser, devices, -1, NULL))
    json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  else
    {
      json_builder_begin_object (b);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "device_reasons");
  add_device_reasons (b, reasons);
  json_builder_set_member_name (b, "backlog");
  json_builder_add_int_value (b, c.pending);
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, c.rejected);
  json_builder_set_member_name (b, "oldest_pending_age_seconds");
  json_builder_add_int_value (
      b, c.oldest_pending_created_at ? (g_get_real_time () - c.oldest_pending_created_at) / G_USEC_PER_SEC : 0);
  json_builder_set_member_name (b, "accepting_applications");
  json_builder_add_boolean_value (b, kiosk_store_is_accepting (self->store));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static gboolean
heartbeat_with (KioskSync *self, KioskPlatformAdapter *ad, GCancellable *cancellable, GError **error)
{
  KioskPlatformResult res = { .retry_after_ms = -1 };
  g_autofree char *payload = heartbeat_payload (self);
  gboolean ok;

  ad->klass->heartbeat (ad, payload, cancellable, &res);
  set_online (self, res.http_status != 0);
  ok = res.outcome == KIOSK_PLATFORM_OK;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "heartbeat: %s", res.message ? res.message : "failed");
  kiosk_platform_result_clear (&res);
  return ok;
}

gboolean
kiosk_sync_send_heartbeat (KioskSync *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (KioskPlatformAdapter) ad = make_adapter (self, error);

  return ad && heartbeat_with (self, ad, cancellable, error);
}

/* ---- Background thread --------------------------------------------------- */

static gpointer
sync_thread (gpointer data)
{
  KioskSync *self = data;
  KioskPlatformAdapter *ad = NULL;
  gint64 next_heartbeat = 0;
  gint64 retention_next = 0;

  for (;;)
    {
      gint64 wake_at = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
      gint64 now_real = g_get_real_time ();
      g_autoptr (GError) error = NULL;
      gint64 wait_until = 0;
      Step step = STEP_EMPTY;

      g_mutex_lock (&self->lock);
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      self->woken = FALSE;
      g_mutex_unlock (&self->lock);

      if (ad == NULL && (ad = make_adapter (self, &error)) == NULL)
        {
          g_warning ("sync: cannot reach the platform: %s", error->message);
          g_clear_error (&error);
        }
      if (ad)
        {
          step = run_pass (self, ad, NULL, FALSE, NULL, G_MAXINT64, self->cancellable, &wait_until, &error);
          if (step == STEP_ERROR && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_clear_error (&error);
          else if (step == STEP_ERROR)
            g_warning ("sync: store error: %s", error ? error->message : "unknown");
          if (step == STEP_WAIT)
            wake_at = MIN (wake_at, g_get_monotonic_time () + MAX (wait_until - g_get_real_time (), 0));
          if (self->heartbeat_seconds && g_get_monotonic_time () >= next_heartbeat)
            {
              g_autoptr (GError) hb_error = NULL;
              if (!heartbeat_with (self, ad, self->cancellable, &hb_error)
                  || !refresh_with (self, ad, self->cancellable, &hb_error))
                g_debug ("sync: %s", hb_error->message);
              next_heartbeat = g_get_monotonic_time () + self->heartbeat_seconds * G_USEC_PER_SEC;
            }
          if (self->heartbeat_seconds)
            wake_at = MIN (wake_at, next_heartbeat);
        }
      if (now_real >= retention_next)
        {
          g_autoptr (GError) purge_error = NULL;
          if (kiosk_store_purge (self->store, kiosk_store_get_retention_days (self->store), now_real, &purge_error) < 0)
            g_warning ("sync: retention purge failed: %s", purge_error->message);
          retention_next = now_real + G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
        }

      g_mutex_lock (&self->lock);
      while (!self->stopping && !self->woken)
        if (!g_cond_wait_until (&self->cond, &self->lock, wake_at))
          break;
      g_mutex_unlock (&self->lock);
    }
  g_clear_pointer (&ad, kiosk_platform_adapter_free);
  return NULL;
}

void
kiosk_sync_start (KioskSync *self)
{
  g_mutex_lock (&self->lock);
  if (self->thread == NULL)
    {
      self->stopping = FALSE;
      g_cancellable_reset (self->cancellable);
      self->thread = g_thread_new ("kiosk-sync", sync_thread, self);
    }
  g_mutex_unlock (&self->lock);
}

void
kiosk_sync_stop (KioskSync *self)
{
  GThread *thread;

  g_mutex_lock (&self->lock);
  thread = g_steal_pointer (&self->thread);
  self->stopping = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (thread)
    {
      g_cancellable_cancel (self->cancellable);
      g_thread_join (thread);
    }
}

void
kiosk_sync_wake (KioskSync *self)
{
  g_mutex_lock (&self->lock);
  self->woken = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* ---- Progress queries ----------------------------------------------------- */

/* How long a resident is asked to wait before trying again when the
 * platform cannot be reached and sent no Retry-After. */
#define CASE_STATUS_RETRY_SECONDS 300

static gint64
local_as_of (const KioskCaseInfo *c)
{
  if (c->status_updated_at > 0)
    return c->status_updated_at;
  if (c->acknowledged_at > 0)
    return c->acknowledged_at;
  return c->created_at;
}

KioskCaseInfo *
kiosk_sync_query_case_status (KioskSync *self, const char *number, KioskCaseStatusOrigin *origin,
                              GCancellable *cancellable, GError **error)
{
  g_autoptr (KioskCaseInfo) local = kiosk_store_find_case (self->store, number, NULL);
  g_autoptr (KioskPlatformAdapter) ad = NULL;
  g_autoptr (GError) ad_error = NULL;
  KioskPlatformResult res = { .retry_after_ms = -1 };
  const char *ask = local && local->official_number ? local->official_number : number;
  KioskCaseStatusOrigin o = { .source = KIOSK_CASE_STATUS_LOCAL_COPY, .retry_seconds = CASE_STATUS_RETRY_SECONDS };
  KioskCaseInfo *answer = NULL;

  ad = make_adapter (self, &ad_error);
  if (ad == NULL)
    goto offline;
  ad->klass->case_status (ad, ask, cancellable, &res);
  set_online (self, res.http_status != 0);
  if (res.retry_after_ms > 0)
    o.retry_seconds = (int) MIN ((res.retry_after_ms + 999) / 1000, 24 * 3600);
  if (res.outcome == KIOSK_PLATFORM_OK && res.body)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      if (json_parser_load_from_data (parser, res.body, -1, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *obj = json_node_get_object (json_parser_get_root (parser));
          const char *status = json_object_get_string_member_with_default (obj, "status", NULL);
          const char *text = json_object_get_string_member_with_default (obj, "status_text", NULL);
          const char *due = json_object_get_string_member_with_default (obj, "due_date", NULL);

          o.source = KIOSK_CASE_STATUS_PLATFORM;
          o.platform_reached = TRUE;
          o.as_of = g_get_real_time ();
          if (local)
            {
              kiosk_store_set_case_status (self->store, ask, status, text, due, NULL);
              answer = kiosk_store_find_case (self->store, ask, error);
            }
          else
            {
              /* A case filed elsewhere (全区通办): answer without storing. */
              answer = g_new0 (KioskCaseInfo, 1);
              answer->provisional_number
                  = g_strdup (json_object_get_string_member_with_default (obj, "provisional_number", NULL));
              answer->official_number
                  = g_strdup (json_object_get_string_member_with_default (obj, "official_number", NULL));
              answer->item_code = g_strdup (json_object_get_string_member_with_default (obj, "item_code", NULL));
              answer->sync_state = KIOSK_CASE_SUBMITTED;
              answer->status = g_strdup (status);
              answer->status_text = g_strdup (text);
              answer->due_date = g_strdup (due);
              answer->status_updated_at = o.as_of;
            }
          kiosk_platform_result_clear (&res);
          if (answer && origin)
            *origin = o;
          return answer;
        }
    }
  if (res.outcome == KIOSK_PLATFORM_REJECTED)
    {
      /* The platform answered: it does not know the number. */
      o.platform_reached = TRUE;
      if (local == NULL)
        {
          g_set_error (error, KIOSK_STORE_ERROR, KIOSK_STORE_ERROR_NOT_FOUND, "no case with this number");
          kiosk_platform_result_clear (&res);
          if (origin)
            *origin = o;
          return NULL;
        }
    }
  if (!ad_error)
    ad_error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED, "%s", res.message ? res.message : "no answer");
  kiosk_platform_result_clear (&res);

offline:
  if (origin)
    *origin = o;
  if (local)
    {
      if (origin)
        origin->as_of = local_as_of (local);
      return g_steal_pointer (&local);
    }
  /* Not "not found": the platform was not asked, or did not answer. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, "platform not reachable: %s", ad_error->message);
  return NULL;
}

static void
case_step_free (KioskCaseStep *s)
{
  g_free (s->status);
  g_free (s->status_text);
  g_free (s);
}

static void
owed_material_free (KioskOwedMaterial *m)
{
  g_free (m->name);
  g_free (m->due);
  g_free (m);
}

void
kiosk_applicant_case_free (KioskApplicantCase *c)
{
  if (c == NULL)
    return;
  g_clear_pointer (&c->info, kiosk_case_info_free);
  g_clear_pointer (&c->steps, g_ptr_array_unref);
  g_clear_pointer (&c->owed, g_ptr_array_unref);
  g_free (c);
}

static const char *
jstr (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n)
                                                                                         : NULL;
}

static gint64
jint (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64 ? json_node_get_int (n) : 0;
}

static KioskApplicantCase *
applicant_case_from_json (JsonObject *o)
{
  KioskApplicantCase *c = g_new0 (KioskApplicantCase, 1);
  JsonNode *steps = json_object_get_member (o, "steps");
  JsonNode *owed = json_object_get_member (o, "owed_materials");
  JsonNode *late = json_object_get_member (o, "late");

  c->info = g_new0 (KioskCaseInfo, 1);
  c->info->official_number = g_strdup (jstr (o, "official_number"));
  c->info->provisional_number = g_strdup (jstr (o, "provisional_number"));
  c->info->item_code = g_strdup (jstr (o, "item_code"));
  c->info->status = g_strdup (jstr (o, "status"));
  c->info->status_text = g_strdup (jstr (o, "status_text"));
  c->info->due_date = g_strdup (jstr (o, "due_date"));
  c->info->created_at = jint (o, "received_at") * G_USEC_PER_SEC;
  c->info->sync_state = KIOSK_CASE_SUBMITTED;
  c->late = late && JSON_NODE_HOLDS_VALUE (late) && json_node_get_value_type (late) == G_TYPE_BOOLEAN
            && json_node_get_boolean (late);
  c->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) case_step_free);
  c->owed = g_ptr_array_new_with_free_func ((GDestroyNotify) owed_material_free);
  if (steps && JSON_NODE_HOLDS_ARRAY (steps))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (steps)); i++)
      {
        JsonNode *e = json_array_get_element (json_node_get_array (steps), i);
        KioskCaseStep *s;
        if (!JSON_NODE_HOLDS_OBJECT (e))
          continue;
        s = g_new0 (KioskCaseStep, 1);
        s->status = g_strdup (jstr (json_node_get_object (e), "status"));
        s->status_text = g_strdup (jstr (json_node_get_object (e), "status_text"));
        s->at = jint (json_node_get_object (e), "at");
        g_ptr_array_add (c->steps, s);
      }
  if (owed && JSON_NODE_HOLDS_ARRAY (owed))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (owed)); i++)
      {
        JsonNode *e = json_array_get_element (json_node_get_array (owed), i);
        KioskOwedMaterial *m;
        if (!JSON_NODE_HOLDS_OBJECT (e) || jstr (json_node_get_object (e), "name") == NULL)
          continue;
        m = g_new0 (KioskOwedMaterial, 1);
        m->name = g_strdup (jstr (json_node_get_object (e), "name"));
        m->due = g_strdup (jstr (json_node_get_object (e), "due"));
        g_ptr_array_add (c->owed, m);
      }
  return c;
}

static int
newest_first (gconstpointer a, gconstpointer b)
{
  const KioskApplicantCase *x = *(KioskApplicantCase *const *) a;
  const KioskApplicantCase *y = *(KioskApplicantCase *const *) b;
  return x->info->created_at < y->info->created_at ? 1 : x->info->created_at > y->info->created_at ? -1 : 0;
}

GPtrArray *
kiosk_sync_fetch_cases_of_applicant (KioskSync *self, const char *id_number, GCancellable *cancellable, GError **error)
{
  g_autoptr (KioskPlatformAdapter) ad = NULL;
  g_autoptr (GError) ad_error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  KioskPlatformResult res = { .retry_after_ms = -1 };
  GPtrArray *out;
  JsonNode *cases = NULL;

  ad = make_adapter (self, &ad_error);
  if (ad == NULL || ad->klass->cases_of_applicant == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, "platform not reachable: %s",
                   ad_error ? ad_error->message : "the adapter cannot list a person's cases");
      return NULL;
    }
  ad->klass->cases_of_applicant (ad, id_number, cancellable, &res);
  set_online (self, res.http_status != 0);
  if (res.outcome == KIOSK_PLATFORM_OK && res.body && json_parser_load_from_data (parser, res.body, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    cases = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "cases");
  if (cases == NULL || !JSON_NODE_HOLDS_ARRAY (cases))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, "platform not reachable: %s",
                   res.message ? res.message : "no list of cases in the answer");
      kiosk_platform_result_clear (&res);
      return NULL;
    }
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_applicant_case_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (cases)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (cases), i);
      if (JSON_NODE_HOLDS_OBJECT (e))
        g_ptr_array_add (out, applicant_case_from_json (json_node_get_object (e)));
    }
  g_ptr_array_sort (out, newest_first);
  kiosk_platform_result_clear (&res);
  return out;
}

/* Whether @list holds the case @info (by either number). */
static gboolean
case_listed (GPtrArray *list, const KioskCaseInfo *info)
{
  for (guint i = 0; i < list->len; i++)
    {
      const KioskCaseInfo *c = ((KioskApplicantCase *) list->pdata[i])->info;
      if ((info->official_number && g_strcmp0 (c->official_number, info->official_number) == 0)
          || g_strcmp0 (c->provisional_number, info->provisional_number) == 0)
        return TRUE;
    }
  return FALSE;
}

GPtrArray *
kiosk_sync_list_cases_of_applicant (KioskSync *self, const char *id_number, gboolean *offline,
                                    GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) local = kiosk_store_find_cases_of_applicant (self->store, id_number, NULL);
  g_autoptr (GError) platform_error = NULL;
  GPtrArray *out = kiosk_sync_fetch_cases_of_applicant (self, id_number, cancellable, &platform_error);

  if (offline)
    *offline = out == NULL;
  if (out == NULL)
    {
      if (g_error_matches (platform_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || local == NULL || local->len == 0)
        {
          g_propagate_error (error, g_steal_pointer (&platform_error));
          return NULL;
        }
      out = g_ptr_array_new_with_free_func ((GDestroyNotify) kiosk_applicant_case_free);
    }
  /* Cases filed here that the platform does not list (not sent yet, or the
   * platform unreachable): this kiosk's own copy. */
  for (guint i = 0; local && i < local->len; i++)
    {
      KioskApplicantCase *c;
      if (case_listed (out, local->pdata[i]))
        continue;
      c = g_new0 (KioskApplicantCase, 1);
      c->info = g_steal_pointer (&local->pdata[i]);
      c->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) case_step_free);
      c->owed = g_ptr_array_new_with_free_func ((GDestroyNotify) owed_material_free);
      g_ptr_array_add (out, c);
    }
  g_ptr_array_sort (out, newest_first);
  return out;
}

KioskCaseInfo *
kiosk_sync_fetch_case_status (KioskSync *self, const char *number, GCancellable *cancellable, GError **error)
{
  return kiosk_sync_query_case_status (self, number, NULL, cancellable, error);
}

static void
status_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GError *error = NULL;
  KioskCaseInfo *info = kiosk_sync_fetch_case_status (source, task_data, cancellable, &error);

  if (info)
    g_task_return_pointer (task, info, (GDestroyNotify) kiosk_case_info_free);
  else
    g_task_return_error (task, error);
}

void
kiosk_sync_fetch_case_status_async (KioskSync *self, const char *number, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, kiosk_sync_fetch_case_status_async);
  g_task_set_task_data (task, g_strdup (number), g_free);
  g_task_run_in_thread (task, status_thread);
}

KioskCaseInfo *
kiosk_sync_fetch_case_status_finish (KioskSync *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
