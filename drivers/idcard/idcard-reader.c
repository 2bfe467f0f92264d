/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-idcard"

#include "config.h"

#include <poll.h>

#include "idcard-transport.h"

G_DEFINE_QUARK (kiosk - idcard - error - quark, idcard_error)

void
idcard_transport_free (IdcardTransport *self)
{
  if (self)
    self->free (self);
}

gboolean
idcard_sleep (int ms, GCancellable *cancellable)
{
  GPollFD cfd;

  if (cancellable && g_cancellable_make_pollfd (cancellable, &cfd))
    {
      struct pollfd pfd = { cfd.fd, POLLIN, 0 };
      poll (&pfd, 1, ms);
      g_cancellable_release_fd (cancellable);
    }
  else
    g_usleep ((gulong) ms * 1000);
  return !g_cancellable_is_cancelled (cancellable);
}

int
idcard_read_budget_ms (int baud)
{
  /* 10 bits per byte on the wire. */
  return 1100 + (int) (2321LL * 10 * 1000 / MAX (baud, 1200));
}

IdcardReader *
idcard_reader_new (IdcardTransport *transport, GCancellable *cancellable)
{
  IdcardReader *self = g_new0 (IdcardReader, 1);

  self->transport = transport;
  self->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  sam_parser_init (&self->parser);
  return self;
}

void
idcard_reader_free (IdcardReader *self)
{
  if (self == NULL)
    return;
  idcard_transport_free (self->transport);
  sam_parser_clear (&self->parser);
  g_clear_object (&self->cancellable);
  g_free (self);
}

gboolean
idcard_reader_transact (IdcardReader *self, guint8 cmd, guint8 para, int timeout_ms, SamReply *reply, GError **error)
{
  guint8 frame[16];
  gsize n = sam_build_command (cmd, para, NULL, 0, frame);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  g_autoptr (GError) bad = NULL; /* a corrupt frame seen while waiting */
  guint8 buf[512];

  /* Whatever is left from an earlier exchange (a late reply) goes. */
  self->transport->flush (self->transport);
  sam_parser_reset (&self->parser);
  if (!self->transport->send (self->transport, frame, n, error))
    return FALSE;

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      gssize got;
      SamParseResult r;

      /* Take every frame the parser has before waiting again. */
      while ((r = sam_parser_next (&self->parser, reply)) != SAM_PARSE_NEED_MORE)
        {
          if (r == SAM_PARSE_OK)
            {
              if (sam_reply_fits (cmd, para, reply))
                return TRUE;
              /* A reply to a different command (a late one): drop it. */
              self->stale_replies++;
              g_debug ("dropped a reply (SW3 %02x, %zu data bytes) that does not fit command %02x %02x", reply->sw3,
                       reply->data_len, cmd, para);
              continue;
            }
          g_clear_error (&bad);
          if (r == SAM_PARSE_BAD_CHECKSUM)
            g_set_error (&bad, IDCARD_ERROR, IDCARD_ERROR_CHECKSUM, "reply to %02x %02x has a bad checksum", cmd, para);
          else
            g_set_error (&bad, IDCARD_ERROR, IDCARD_ERROR_LENGTH, "reply to %02x %02x has an impossible length", cmd,
                         para);
        }
      /* A corrupt reply and nothing more on its way: fail now, not at the
       * deadline. */
      if (bad && sam_parser_pending (&self->parser) < SAM_PREAMBLE_LEN)
        {
          g_propagate_error (error, g_steal_pointer (&bad));
          return FALSE;
        }
      if (left <= 0)
        break;
      got = self->transport->recv (self->transport, buf, sizeof buf, (int) MIN (left, 100), self->cancellable, error);
      if (got < 0)
        return FALSE;
      if (got > 0)
        sam_parser_feed (&self->parser, buf, (gsize) got);
    }

  if (bad)
    g_propagate_error (error, g_steal_pointer (&bad));
  else if (sam_parser_pending (&self->parser) >= SAM_HEADER_LEN)
    g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_LENGTH,
                 "reply to %02x %02x ended after %zu bytes, shorter than its length field says", cmd, para,
                 sam_parser_pending (&self->parser));
  else
    g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_TIMEOUT, "no reply to %02x %02x within %d ms", cmd, para,
                 timeout_ms);
  sam_parser_reset (&self->parser);
  return FALSE;
}

static gboolean
status_error (const char *what, const SamReply *reply, GError **error)
{
  g_set_error (error, IDCARD_ERROR, reply->sw3 == SAM_SW3_NO_CARD ? IDCARD_ERROR_NO_CARD : IDCARD_ERROR_STATUS,
               "%s: status %02x (%s)", what, reply->sw3, sam_status_describe (reply->sw3));
  return FALSE;
}

gboolean
idcard_reader_find (IdcardReader *self, guint8 *status_out, GError **error)
{
  SamReply reply;

  if (status_out)
    *status_out = 0;
  if (!idcard_reader_transact (self, SAM_CMD_FIND, IDCARD_FIND_BUDGET_MS, &reply, error))
    return FALSE;
  if (status_out)
    *status_out = reply.sw3;
  if (reply.sw3 != SAM_SW3_FOUND)
    return status_error ("find card", &reply, error);
  return TRUE;
}

/* A card that fails at select or read is still a card, not "no card". */
static gboolean
card_status_error (const char *what, const SamReply *reply, guint8 *status_out, GError **error)
{
  if (status_out)
    *status_out = reply->sw3;
  g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_STATUS, "%s: status %02x (%s)", what, reply->sw3,
               sam_status_describe (reply->sw3));
  return FALSE;
}

SamCard *
idcard_reader_select_and_read (IdcardReader *self, int baud, gboolean fingerprints, gboolean keep_photo,
                               guint8 *status_out, GError **error)
{
  SamReply reply;
  SamCard *card;
  const char *why = NULL;

  if (status_out)
    *status_out = 0;
  if (!idcard_reader_transact (self, SAM_CMD_SELECT, IDCARD_SELECT_BUDGET_MS, &reply, error))
    return NULL;
  if (reply.sw3 != SAM_SW3_OK)
    {
      card_status_error ("select card", &reply, status_out, error);
      return NULL;
    }
  if (!idcard_reader_transact (self, 0x30, fingerprints ? 0x10 : 0x01, idcard_read_budget_ms (baud), &reply, error))
    return NULL;
  if (reply.sw3 != SAM_SW3_OK)
    {
      card_status_error ("read card", &reply, status_out, error);
      return NULL;
    }
  card = sam_decode_read_reply (&reply, keep_photo, &why);
  /* The reply's bytes are personal data: wipe them now. */
  sam_parser_reset (&self->parser);
  if (card == NULL)
    g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_FORMAT, "read card: %s", why);
  return card;
}

SamCard *
idcard_reader_read_card (IdcardReader *self, int baud, gboolean fingerprints, gboolean keep_photo, guint8 *status_out,
                         GError **error)
{
  if (!idcard_reader_find (self, status_out, error))
    return NULL;
  return idcard_reader_select_and_read (self, baud, fingerprints, keep_photo, status_out, error);
}

char *
idcard_reader_sam_id (IdcardReader *self, GError **error)
{
  SamReply reply;

  if (!idcard_reader_transact (self, SAM_CMD_SAM_ID, IDCARD_STATUS_BUDGET_MS, &reply, error))
    return NULL;
  if (reply.sw3 != SAM_SW3_OK)
    {
      status_error ("SAM id", &reply, error);
      return NULL;
    }
  return sam_format_sam_id (reply.data, reply.data_len);
}
