/* SPDX-License-Identifier: GPL-3.0-or-later */
/* idcard bench: frames parsed per second (codec alone), and the latency the
 * read path adds on top of the simulator's replies (real serial transport
 * over a pty). Prints tables; compares ratios within one run. Run with
 * `meson test -C BUILD --benchmark --suite idcard -v` or directly. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "idcard-json.h"
#include "idcard-test-util.h"
#include "idcard-transport.h"

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static SamCard *
fixture (const char *name)
{
  g_autofree char *dir = test_fixtures_dir ();
  g_autofree char *path = g_strdup_printf ("%s/%s.json", dir, name);
  SamCard *c = idcard_card_from_file (path, NULL);
  g_assert_nonnull (c);
  return c;
}

static void
bench_codec (void)
{
  g_autoptr (SamCard) card = fixture ("resident");
  g_autoptr (GByteArray) read = sam_build_read_reply (card, FALSE, NULL);
  g_autoptr (GByteArray) status = sam_build_reply (0, 0, 0x90, NULL, 0);
  const double budget = 0.4;
  struct {
    const char *what;
    double rate;
  } rows[5];
  int nrows = 0;

#define MEASURE(label, body)                 \
  do                                         \
    {                                        \
      double t0 = now_s (), t;               \
      guint64 n = 0;                         \
      do                                     \
        {                                    \
          for (int k = 0; k < 256; k++, n++) \
            {                                \
              body;                          \
            }                                \
          t = now_s () - t0;                 \
        }                                    \
      while (t < budget);                    \
      rows[nrows].what = label;              \
      rows[nrows++].rate = n / t;            \
    }                                        \
  while (0)

  MEASURE ("status frame (11 B), one-shot", {
    SamReply r;
    g_assert (sam_parse_frame (status->data, status->len, &r) == SAM_PARSE_OK);
  });
  MEASURE ("read reply (1295 B), one-shot", {
    SamReply r;
    g_assert (sam_parse_frame (read->data, read->len, &r) == SAM_PARSE_OK);
  });
  {
    SamParser p;
    sam_parser_init (&p);
    MEASURE ("read reply, stream, 64 B pieces", {
      SamReply r;
      SamParseResult res = SAM_PARSE_NEED_MORE;
      for (guint off = 0; off < read->len; off += 64)
        {
          sam_parser_feed (&p, read->data + off, MIN (64, read->len - off));
          res = sam_parser_next (&p, &r);
        }
      g_assert (res == SAM_PARSE_OK);
    });
    sam_parser_clear (&p);
  }
  MEASURE ("read reply, parse + decode text", {
    SamReply r;
    SamCard *c;
    sam_parse_frame (read->data, read->len, &r);
    c = sam_decode_read_reply (&r, FALSE, NULL);
    g_assert (c != NULL);
    sam_card_free (c);
  });

  printf ("\n== idcard codec: frames per second ==\n");
  printf ("%-36s %14s %10s\n", "case", "frames/s", "vs first");
  for (int i = 0; i < nrows; i++)
    printf ("%-36s %14.0f %9.2fx\n", rows[i].what, rows[i].rate, rows[i].rate / rows[0].rate);
  printf ("read replies decoded per second / 2 reads a second a busy kiosk needs: %.0fx headroom\n",
          rows[nrows - 1].rate / 2);
}

static void
bench_read_path (void)
{
  static const int delays[] = { 0, 20, 50 };
  const int reads = 20;
  TestSim *sim = test_sim_start ("--reactivate", "--card=resident", (const char *) NULL);
  const char *ports[] = { sim->link, NULL };
  g_autoptr (GError) error = NULL;
  IdcardTransport *t = idcard_serial_probe (ports, 115200, NULL, &error);
  g_autoptr (IdcardReader) reader = NULL;

  g_assert_no_error (error);
  reader = idcard_reader_new (t, NULL);
  printf ("\n== idcard read path over a pty (find + select + read, %d cards each) ==\n", reads);
  printf ("%-24s %14s %16s %18s\n", "sim reply delay", "ms per card", "sim's share ms", "added by host ms");
  for (gsize i = 0; i < G_N_ELEMENTS (delays); i++)
    {
      g_autofree char *cmd = g_strdup_printf ("fault slow %d any always", delays[i]);
      double t0, per;

      test_sim_ok (sim, "clear");
      if (delays[i])
        test_sim_ok (sim, cmd);
      t0 = now_s ();
      for (int k = 0; k < reads; k++)
        {
          SamCard *c = idcard_reader_read_card (reader, 115200, FALSE, FALSE, NULL, &error);
          g_assert_no_error (error);
          sam_card_free (c);
        }
      per = (now_s () - t0) * 1000 / reads;
      printf ("%-24d %14.2f %16d %18.2f\n", delays[i], per, 3 * delays[i], per - 3 * delays[i]);
    }
  printf ("(\"added by host\": transport, parser, decode and the simulator's own handling, per card)\n");
  test_sim_stop (sim);
}

int
main (int argc, char **argv)
{
  bench_codec ();
  bench_read_path ();
  return 0;
}
