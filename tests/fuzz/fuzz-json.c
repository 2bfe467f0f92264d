/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the kiosk's JSON decoders (issue #12):
 *
 *   - print data (kiosk_print_parse_data: size, depth, JSON object), then
 *     the caps of every template (kiosk_print_check_data), the QR payloads,
 *     and a render when the template takes the data;
 *   - a print record (kiosk_print_record_from_json: a journal line read
 *     back), re-encoded and decoded again to the same record;
 *   - an ID card fixture (idcard_card_from_json, after the print data
 *     decoder's size and depth checks), encoded to a SAM text block that
 *     decodes again.
 *
 * The first byte picks: bits 0-2 the decoder (0-4: print data for the
 * template numbered bits 0-2, plus 5 when bit 5 is set, in
 * kiosk_print_templates() order; 5: a print record; 6: an ID card; 7:
 * print data for every template), bit 4 a render when the template takes
 * the data, bit 3 the 80 mm roll. The rest is the JSON text. A render takes 0.1-4 s (ASan, a
 * loaded machine): under libFuzzer renders happen only with
 * FUZZ_JSON_RENDER=1 in the environment, so that a bounded run explores the
 * decoders; the replay renders every seed that asks, and the mutation test
 * (tests/printer/test-mutate.c) renders thousands of cases. Invariants: a failed decode or render always says why
 * (an error); a render gives a PDF.
 *
 * Built with clang -fsanitize=fuzzer (tests/fuzz/run-json-fuzz.sh); without
 * libFuzzer it links fuzz-replay.c, which replays the seed corpus
 * (tests/fuzz/json-corpus, a regression test in every build). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idcard-json.h"
#include "print-document.h"
#include "print-ledger.h"
#include "sam-codec.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
die (const char *what)
{
  fprintf (stderr, "fuzz-json: %s\n", what);
  abort ();
}

static void
print_data (const char *text, gsize len, int template_index, gboolean render, gboolean roll)
{
  const char *const *templates = kiosk_print_templates ();
  GError *error = NULL;
  JsonObject *o = kiosk_print_parse_data (text, len, &error);

  if ((o == NULL) == (error == NULL))
    die ("parse_data: an object and an error, or neither");
  g_clear_error (&error);
  if (o == NULL)
    return;
  for (int t = 0; templates[t]; t++)
    {
      gboolean ok = kiosk_print_check_data (templates[t], o, &error);
      char *payload = kiosk_print_qr_payload (templates[t], o);

      if (ok == (error != NULL))
        die ("check_data: result and error disagree");
      if (payload && !g_utf8_validate (payload, -1, NULL))
        die ("a QR payload that is not UTF-8");
      g_free (payload);
      g_clear_error (&error);
    }
  if (render && template_index >= 0 && template_index < (int) g_strv_length ((char **) templates)
      && kiosk_print_check_data (templates[template_index], o, NULL))
    {
      GBytes *pdf
          = kiosk_print_render (templates[template_index], o, roll ? KIOSK_PAPER_ROLL80 : KIOSK_PAPER_A4, NULL, &error);
      if ((pdf == NULL) == (error == NULL))
        die ("render: a PDF and an error, or neither");
      if (error && error->domain == KIOSK_PRINT_ERROR && error->code == KIOSK_PRINT_ERROR_RENDER)
        {
          fprintf (stderr, "render error on accepted data: %s\n", error->message);
          abort ();
        }
      if (pdf && (g_bytes_get_size (pdf) < 5 || memcmp (g_bytes_get_data (pdf, NULL), "%PDF-", 5) != 0))
        die ("render: not a PDF");
      g_clear_error (&error);
      if (pdf)
        g_bytes_unref (pdf);
    }
  json_object_unref (o);
}

static void
print_record (const char *text)
{
  GError *error = NULL;
  KioskPrintRecord *r = kiosk_print_record_from_json (text, &error);
  KioskPrintRecord *back;
  char *json;

  if ((r == NULL) == (error == NULL))
    die ("record_from_json: a record and an error, or neither");
  g_clear_error (&error);
  if (r == NULL)
    return;
  json = kiosk_print_record_to_json (r);
  back = kiosk_print_record_from_json (json, &error);
  if (back == NULL)
    die ("a decoded record does not decode again");
  if (g_strcmp0 (back->record_id, r->record_id) != 0 || g_strcmp0 (back->document_id, r->document_id) != 0
      || back->status != r->status || back->job_id != r->job_id || back->reprint_count != r->reprint_count)
    die ("a record changed on the round trip");
  kiosk_print_record_free (back);
  kiosk_print_record_free (r);
  g_free (json);
}

static void
idcard (const char *text, gsize len)
{
  GError *error = NULL;
  JsonObject *o = kiosk_print_parse_data (text, len, NULL);
  SamCard *c;

  if (o == NULL)
    return;
  c = idcard_card_from_json (o, &error);
  if ((c == NULL) == (error == NULL))
    die ("card_from_json: a card and an error, or neither");
  g_clear_error (&error);
  if (c)
    {
      guint8 block[SAM_TEXT_LEN];
      const char *why = NULL;
      char *json = idcard_card_to_json (c);
      /* A card that encodes must decode (the simulator sends such cards). */
      if (sam_encode_text (c, block, &why))
        {
          SamCard *d = sam_decode_text (block, &why);
          if (d)
            sam_card_free (d);
        }
      g_free (json);
      sam_card_free (c);
    }
  json_object_unref (o);
}

static gboolean render_allowed = TRUE;

int LLVMFuzzerInitialize (int *argc, char ***argv);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  render_allowed = g_strcmp0 (g_getenv ("FUZZ_JSON_RENDER"), "1") == 0;
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  char *text;
  int which;

  if (size < 1)
    return 0;
  which = data[0] & 7;
  /* The decoders take C strings (or length and text): a NUL-terminated copy. */
  text = g_strndup ((const char *) data + 1, size - 1);
  if (which <= 4 || which == 7)
    print_data (text, strlen (text), which == 7 ? -1 : which + ((data[0] & 32) ? 5 : 0),
                render_allowed && (data[0] & 16) != 0, (data[0] & 8) != 0);
  else if (which == 5)
    print_record (text);
  else
    idcard (text, strlen (text));
  g_free (text);
  return 0;
}
