/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-idcard"

#include "config.h"

#include <string.h>

#include "sam-codec.h"

const guint8 sam_preamble[SAM_PREAMBLE_LEN] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69 };

const guint8 sam_all_statuses[18]
    = { 0x90, 0x9F, 0x91, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81 };

const char *
sam_status_describe (guint8 sw3)
{
  switch (sw3)
    {
    case SAM_SW3_OK:
      return "success";
    case SAM_SW3_FOUND:
      return "find card succeeded";
    case SAM_SW3_NO_CONTENT:
      return "this item has no content on the card";
    case SAM_SW3_HOST_CHECKSUM:
      return "reader received a bad checksum";
    case SAM_SW3_HOST_LENGTH:
      return "reader received a bad length";
    case SAM_SW3_COMMAND:
      return "command error";
    case SAM_SW3_NOT_PERMITTED:
      return "operation not permitted";
    case SAM_SW3_UNRECOGNISED:
      return "unrecognised error";
    case SAM_SW3_CARD_AUTH_SAM:
      return "card failed to authenticate the SAM";
    case SAM_SW3_SAM_AUTH_CARD:
      return "SAM failed to authenticate the card";
    case SAM_SW3_VERIFY:
      return "verification error";
    case SAM_SW3_CARD_TYPE:
      return "unknown card type";
    case SAM_SW3_READ_FAILED:
      return "read failed";
    case SAM_SW3_RANDOM:
      return "random number failed";
    case SAM_SW3_SELF_TEST:
      return "SAM self-test failed";
    case SAM_SW3_NOT_AUTHORISED:
      return "SAM not authorised";
    case SAM_SW3_NO_CARD:
      return "find card failed (no card)";
    case SAM_SW3_SELECT_FAILED:
      return "select card failed";
    default:
      return "unknown status";
    }
}

gboolean
sam_status_is_success (guint8 sw3)
{
  return sw3 == SAM_SW3_OK || sw3 == SAM_SW3_FOUND;
}

guint8
sam_checksum (const guint8 *bytes, gsize len)
{
  guint8 x = 0;
  for (gsize i = 0; i < len; i++)
    x ^= bytes[i];
  return x;
}

gsize
sam_build_command (guint8 cmd, guint8 para, const guint8 *data, gsize data_len, guint8 *out)
{
  gsize body = 2 + data_len + 1; /* CMD PARA DATA CHK */

  g_return_val_if_fail (body <= 0xFFFF, 0);
  memcpy (out, sam_preamble, SAM_PREAMBLE_LEN);
  out[5] = (guint8) (body >> 8);
  out[6] = (guint8) (body & 0xFF);
  out[7] = cmd;
  out[8] = para;
  if (data_len)
    memcpy (out + 9, data, data_len);
  out[9 + data_len] = sam_checksum (out + 5, 4 + data_len);
  return 10 + data_len;
}

GByteArray *
sam_build_reply (guint8 sw1, guint8 sw2, guint8 sw3, const guint8 *data, gsize data_len)
{
  gsize body = 3 + data_len + 1;
  GByteArray *a = g_byte_array_sized_new (SAM_HEADER_LEN + body);
  guint8 head[SAM_HEADER_LEN + 3];
  guint8 chk;

  g_return_val_if_fail (body <= 0xFFFF, a);
  memcpy (head, sam_preamble, SAM_PREAMBLE_LEN);
  head[5] = (guint8) (body >> 8);
  head[6] = (guint8) (body & 0xFF);
  head[7] = sw1;
  head[8] = sw2;
  head[9] = sw3;
  g_byte_array_append (a, head, sizeof head);
  if (data_len)
    g_byte_array_append (a, data, data_len);
  chk = sam_checksum (a->data + SAM_PREAMBLE_LEN, a->len - SAM_PREAMBLE_LEN);
  g_byte_array_append (a, &chk, 1);
  return a;
}

const char *
sam_parse_result_to_string (SamParseResult r)
{
  switch (r)
    {
    case SAM_PARSE_OK:
      return "ok";
    case SAM_PARSE_NEED_MORE:
      return "need-more";
    case SAM_PARSE_NO_PREAMBLE:
      return "preamble";
    case SAM_PARSE_BAD_LENGTH:
      return "length";
    case SAM_PARSE_BAD_CHECKSUM:
      return "checksum";
    default:
      return "unknown";
    }
}

static const guint8 *
find_preamble (const guint8 *buf, gsize len)
{
  if (buf == NULL || len < SAM_PREAMBLE_LEN)
    return NULL;
  return memmem (buf, len, sam_preamble, SAM_PREAMBLE_LEN);
}

/* The frame starting at @p (a preamble) with @avail bytes from there on.
 * @exact: the frame must end exactly at @avail. */
static SamParseResult
parse_at (const guint8 *p, gsize avail, gboolean exact, SamReply *reply)
{
  gsize body, total;

  if (avail < SAM_HEADER_LEN)
    return exact ? SAM_PARSE_BAD_LENGTH : SAM_PARSE_NEED_MORE;
  body = ((gsize) p[5] << 8) | p[6];
  total = SAM_HEADER_LEN + body;
  if (body < 4 || total > SAM_MAX_FRAME)
    return SAM_PARSE_BAD_LENGTH;
  if (avail < total)
    return exact ? SAM_PARSE_BAD_LENGTH : SAM_PARSE_NEED_MORE;
  if (exact && avail != total)
    return SAM_PARSE_BAD_LENGTH;
  if (sam_checksum (p + SAM_PREAMBLE_LEN, total - SAM_PREAMBLE_LEN - 1) != p[total - 1])
    return SAM_PARSE_BAD_CHECKSUM;
  reply->sw1 = p[7];
  reply->sw2 = p[8];
  reply->sw3 = p[9];
  reply->data = p + 10;
  reply->data_len = body - 4;
  reply->frame_len = total;
  return SAM_PARSE_OK;
}

SamParseResult
sam_parse_frame (const guint8 *buf, gsize len, SamReply *reply)
{
  const guint8 *p = find_preamble (buf, len);
  SamParseResult first;

  if (p == NULL)
    return SAM_PARSE_NO_PREAMBLE;
  /* As the stream parser resynchronises on the next preamble after a bad
   * frame, so does this: the first preamble's verdict stands unless a later
   * one starts a frame that is good. */
  first = parse_at (p, len - (gsize) (p - buf), TRUE, reply);
  while (first != SAM_PARSE_OK)
    {
      const guint8 *next = find_preamble (p + 1, len - (gsize) (p + 1 - buf));
      if (next == NULL)
        break;
      p = next;
      if (parse_at (p, len - (gsize) (p - buf), TRUE, reply) == SAM_PARSE_OK)
        return SAM_PARSE_OK;
    }
  return first;
}

/* ---- stream parser ------------------------------------------------------ */

void
sam_parser_init (SamParser *self)
{
  memset (self, 0, sizeof *self);
}

void
sam_parser_reset (SamParser *self)
{
  if (self->buf)
    explicit_bzero (self->buf, self->cap);
  self->len = 0;
  self->handed_out = 0;
}

void
sam_parser_clear (SamParser *self)
{
  sam_parser_reset (self);
  g_free (self->buf);
  memset (self, 0, sizeof *self);
}

/* Drops @n bytes from the front, wiping what moves out. */
static void
discard (SamParser *self, gsize n)
{
  g_assert (n <= self->len);
  if (n == 0)
    return;
  memmove (self->buf, self->buf + n, self->len - n);
  explicit_bzero (self->buf + self->len - n, n);
  self->len -= n;
}

/* A frame handed out by the last sam_parser_next() is consumed now. */
static void
consume_handed_out (SamParser *self)
{
  if (self->handed_out)
    discard (self, self->handed_out);
  self->handed_out = 0;
}

void
sam_parser_feed (SamParser *self, const guint8 *bytes, gsize len)
{
  consume_handed_out (self);
  if (len == 0)
    return;
  if (self->len + len > self->cap)
    {
      gsize cap = MAX (self->cap * 2, self->len + len);
      guint8 *nbuf = g_malloc (cap);
      if (self->len)
        memcpy (nbuf, self->buf, self->len);
      if (self->buf)
        {
          explicit_bzero (self->buf, self->cap);
          g_free (self->buf);
        }
      self->buf = nbuf;
      self->cap = cap;
    }
  memcpy (self->buf + self->len, bytes, len);
  self->len += len;
}

SamParseResult
sam_parser_next (SamParser *self, SamReply *reply)
{
  const guint8 *p;
  SamParseResult r;

  consume_handed_out (self);
  p = self->len ? find_preamble (self->buf, self->len) : NULL;
  if (p == NULL)
    {
      /* Keep a tail that may be the start of a preamble. */
      gsize keep = MIN (self->len, SAM_PREAMBLE_LEN - 1);
      self->garbage_bytes += self->len - keep;
      discard (self, self->len - keep);
      return SAM_PARSE_NEED_MORE;
    }
  if (p != self->buf)
    {
      self->garbage_bytes += (guint64) (p - self->buf);
      discard (self, (gsize) (p - self->buf));
    }
  r = parse_at (self->buf, self->len, FALSE, reply);
  switch (r)
    {
    case SAM_PARSE_OK:
      self->frames++;
      self->handed_out = reply->frame_len;
      break;
    case SAM_PARSE_BAD_LENGTH:
      self->bad_lengths++;
      discard (self, 1);
      break;
    case SAM_PARSE_BAD_CHECKSUM:
      self->bad_checksums++;
      discard (self, 1);
      break;
    case SAM_PARSE_NEED_MORE:
    case SAM_PARSE_NO_PREAMBLE:
    default:
      break;
    }
  return r;
}

gsize
sam_parser_pending (const SamParser *self)
{
  return self->len - self->handed_out;
}
