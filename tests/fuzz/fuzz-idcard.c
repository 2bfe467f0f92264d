/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the SAM codec: the one-shot frame parser, the
 * stream parser (fed in pieces the input chooses) and the text block
 * decoder, with one invariant checked: a decoded text block encodes and
 * decodes again to the same card.
 *
 * Built with clang -fsanitize=fuzzer (tests/fuzz/run-idcard-fuzz.sh, or
 * meson -Dfuzzing=true with CC=clang); without libFuzzer it links
 * fuzz-replay.c, which replays the seed corpus (a regression test). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sam-codec.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
same_str (const char *a, const char *b)
{
  if (g_strcmp0 (a, b) != 0)
    {
      fprintf (stderr, "round trip changed a field\n");
      abort ();
    }
}

static void
check_roundtrip (const SamCard *c)
{
  guint8 text[SAM_TEXT_LEN];
  const char *why = NULL;
  SamCard *d;

  if (!sam_encode_text (c, text, &why))
    {
      fprintf (stderr, "a decoded card does not encode: %s\n", why);
      abort ();
    }
  d = sam_decode_text (text, &why);
  if (d == NULL)
    {
      fprintf (stderr, "an encoded card does not decode: %s\n", why);
      abort ();
    }
  if (d->card_type != c->card_type || d->gender_code != c->gender_code || d->renewal_count != c->renewal_count
      || d->issue_count != c->issue_count || d->id_number_valid != c->id_number_valid)
    abort ();
  same_str (d->name, c->name);
  same_str (d->name_en, c->name_en);
  same_str (d->birth_date, c->birth_date);
  same_str (d->id_number, c->id_number);
  same_str (d->nation_code, c->nation_code);
  same_str (d->address, c->address);
  same_str (d->authority, c->authority);
  same_str (d->valid_from, c->valid_from);
  same_str (d->valid_to, c->valid_to);
  same_str (d->nationality, c->nationality);
  same_str (d->card_version, c->card_version);
  same_str (d->authority_code, c->authority_code);
  same_str (d->pass_number, c->pass_number);
  sam_card_free (d);
}

static void
decode_card (const SamReply *r)
{
  const char *why = NULL;
  SamCard *c;
  char *id;

  (void) sam_reply_fits (SAM_CMD_FIND, r);
  (void) sam_reply_fits (SAM_CMD_READ, r);
  id = sam_format_sam_id (r->data, r->data_len);
  g_free (id);
  c = sam_decode_read_reply (r, TRUE, &why);
  if (c)
    {
      check_roundtrip (c);
      sam_card_free (c);
    }
  else if (why == NULL)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  SamReply r;
  SamParser p;
  gsize off = 0, step;

  /* One frame, as `kioskctl idcard decode` sees it. */
  if (sam_parse_frame (data, size, &r) == SAM_PARSE_OK)
    {
      if (r.frame_len > size || r.data + r.data_len > data + size)
        abort ();
      decode_card (&r);
    }

  /* The same bytes as a stream, in pieces whose sizes the input picks. */
  sam_parser_init (&p);
  step = size ? (data[0] % 61) + 1 : 1;
  while (off < size)
    {
      gsize n = MIN (step, size - off);
      SamParseResult res;

      sam_parser_feed (&p, data + off, n);
      off += n;
      while ((res = sam_parser_next (&p, &r)) != SAM_PARSE_NEED_MORE)
        if (res == SAM_PARSE_OK)
          {
            if (r.frame_len < 11 || r.frame_len > SAM_MAX_FRAME)
              abort ();
            decode_card (&r);
          }
      step = (step * 7 + 3) % 257 + 1;
    }
  if (sam_parser_pending (&p) > SAM_MAX_FRAME)
    abort ();
  sam_parser_clear (&p);

  /* A bare text block. */
  if (size >= SAM_TEXT_LEN)
    {
      const char *why = NULL;
      SamCard *c = sam_decode_text (data, &why);
      if (c)
        {
          check_roundtrip (c);
          sam_card_free (c);
        }
    }
  return 0;
}
