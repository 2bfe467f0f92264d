/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Results of the platform adapter: compiled into the sync library and into
 * the kiosk-platform-http module, which both fill and read them. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "kiosk-platform-adapter.h"

const char *
kiosk_platform_outcome_to_string (KioskPlatformOutcome outcome)
{
  switch (outcome)
    {
    case KIOSK_PLATFORM_OK:
      return "ok";
    case KIOSK_PLATFORM_NOT_MODIFIED:
      return "not-modified";
    case KIOSK_PLATFORM_TRANSIENT:
      return "transient";
    case KIOSK_PLATFORM_REJECTED:
      return "rejected";
    default:
      return "unknown";
    }
}

void
kiosk_platform_result_clear (KioskPlatformResult *r)
{
  g_clear_pointer (&r->message, g_free);
  g_clear_pointer (&r->error_code, g_free);
  g_clear_pointer (&r->body, g_free);
  g_clear_pointer (&r->etag, g_free);
  memset (r, 0, sizeof *r);
  r->retry_after_ms = -1;
}

/* ---- Text from the platform ---------------------------------------------- */

static gboolean
is_unsafe (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:             /* C0, DEL, C1 */
    case G_UNICODE_FORMAT:              /* bidi embeddings, overrides, isolates, marks; zero-width */
    case G_UNICODE_LINE_SEPARATOR:      /* U+2028 */
    case G_UNICODE_PARAGRAPH_SEPARATOR: /* U+2029 */
    case G_UNICODE_SURROGATE:
    case G_UNICODE_PRIVATE_USE:
      return TRUE;
    default:
      return c == 0xfffe || c == 0xffff;
    }
}

char *
kiosk_platform_text_sanitize (const char *text, gsize max_bytes, gboolean keep_newlines)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;
  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (c == '\n' || c == '\t' || c == '\r')
        {
          if (keep_newlines)
            {
              if (c != '\r')
                g_string_append_c (out, (char) c);
            }
          else if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          continue;
        }
      if (is_unsafe (c))
        continue;
      if (max_bytes > 0 && out->len + (gsize) (next - p) > max_bytes)
        {
          g_string_append (out, "…");
          break;
        }
      g_string_append_len (out, p, next - p);
    }
  return g_string_free (out, FALSE);
}

/* ---- Deadlines ------------------------------------------------------------- */

/* One watchdog thread for the process, started with the first deadline:
 * setting up and clearing a deadline only takes its lock, so a request
 * does not wait for a thread to be scheduled (on a loaded machine that
 * cost milliseconds per request). */
struct _KioskDeadline {
  gint64 end; /* monotonic µs */
  gboolean expired;
  GCancellable *cancellable;
  GCancellable *parent;
  gulong parent_handler;
};

static GMutex watch_lock;
static GCond watch_cond;
static GList *watch_list; /* KioskDeadline*, armed */
static GThread *watch_thread;
/* When the watchdog wakes next (monotonic µs; G_MAXINT64: only when
 * signalled). A new deadline that ends later needs no wake-up: waking the
 * thread for every request cost a context switch each. */
static gint64 watch_wake_at = G_MAXINT64;

static gpointer
watchdog_thread (gpointer data)
{
  g_mutex_lock (&watch_lock);
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 earliest = G_MAXINT64;
      GList *fired = NULL;

      for (GList *l = watch_list; l;)
        {
          KioskDeadline *d = l->data;
          GList *next = l->next;
          if (d->end <= now)
            {
              d->expired = TRUE;
              fired = g_list_prepend (fired, g_object_ref (d->cancellable));
              watch_list = g_list_delete_link (watch_list, l);
            }
          else
            earliest = MIN (earliest, d->end);
          l = next;
        }
      if (fired)
        {
          g_mutex_unlock (&watch_lock);
          for (GList *l = fired; l; l = l->next)
            g_cancellable_cancel (l->data);
          g_list_free_full (fired, g_object_unref);
          g_mutex_lock (&watch_lock);
          continue;
        }
      watch_wake_at = earliest;
      if (earliest == G_MAXINT64)
        g_cond_wait (&watch_cond, &watch_lock);
      else
        g_cond_wait_until (&watch_cond, &watch_lock, earliest);
      watch_wake_at = G_MININT64; /* awake: it looks at the list again */
    }
  g_mutex_unlock (&watch_lock);
  return data;
}

static void
parent_cancelled_cb (GCancellable *parent, gpointer data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

KioskDeadline *
kiosk_deadline_new (double seconds, GCancellable *parent)
{
  KioskDeadline *self = g_new0 (KioskDeadline, 1);

  self->cancellable = g_cancellable_new ();
  self->end = g_get_monotonic_time () + (gint64) (MAX (seconds, 0.0) * G_USEC_PER_SEC);
  if (parent)
    {
      self->parent = g_object_ref (parent);
      self->parent_handler = g_cancellable_connect (parent, G_CALLBACK (parent_cancelled_cb),
                                                    g_object_ref (self->cancellable), g_object_unref);
    }
  g_mutex_lock (&watch_lock);
  if (watch_thread == NULL)
    watch_thread = g_thread_new ("kiosk-deadline", watchdog_thread, NULL);
  watch_list = g_list_prepend (watch_list, self);
  if (self->end < watch_wake_at)
    g_cond_signal (&watch_cond);
  g_mutex_unlock (&watch_lock);
  return self;
}

GCancellable *
kiosk_deadline_get_cancellable (KioskDeadline *self)
{
  return self->cancellable;
}

gboolean
kiosk_deadline_expired (KioskDeadline *self)
{
  gboolean expired;

  g_mutex_lock (&watch_lock);
  expired = self->expired;
  g_mutex_unlock (&watch_lock);
  return expired;
}

void
kiosk_deadline_cancel (KioskDeadline *self)
{
  g_cancellable_cancel (self->cancellable);
}

void
kiosk_deadline_free (KioskDeadline *self)
{
  if (self == NULL)
    return;
  /* Once off the list the watchdog no longer looks at it (it holds its
   * own reference to a cancellable it is about to cancel). */
  g_mutex_lock (&watch_lock);
  watch_list = g_list_remove (watch_list, self);
  g_mutex_unlock (&watch_lock);
  if (self->parent)
    {
      g_cancellable_disconnect (self->parent, self->parent_handler);
      g_object_unref (self->parent);
    }
  g_object_unref (self->cancellable);
  g_free (self);
}

gint64
kiosk_platform_backoff_ms (guint base_ms, guint max_ms, int attempts, gint64 retry_after_ms)
{
  double delay = base_ms;

  for (int i = 1; i < attempts && delay < max_ms; i++)
    delay *= 2;
  delay = MIN (delay, (double) max_ms);
  delay *= g_random_double_range (0.5, 1.0);
  if (retry_after_ms >= 0 && delay < (double) retry_after_ms)
    delay = (double) retry_after_ms;
  return (gint64) delay;
}
