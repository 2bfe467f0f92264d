/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The USB vendor-bulk transport (libusb) against an emulated reader:
 * umockdev-run gives it data/reader.umockdev (0400:c35a, bulk OUT 0x02 and
 * 0x06, bulk IN 0x81 and 0x85) and replays data/reader.ioctl (written by
 * data/make-usb-replay.py): SAM status, find, select, read of the resident
 * fixture, then the reader vanishing (ENODEV) while find is polled. A
 * command the script does not expect fails the OUT transfer. */
#include "config.h"

#include <string.h>

#include "idcard-json.h"
#include "idcard-test-util.h"
#include "idcard-transport.h"

static void
test_not_listed (void)
{
  g_autoptr (GError) error = NULL;
  const char *ids[] = { "ffff:0001", "bogus", NULL };
  IdcardTransport *t = idcard_usb_open (ids, &error);

  g_assert_null (t);
  g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_NOT_FOUND);
}

static void
test_replay (void)
{
  g_autoptr (GError) error = NULL;
  const char *ids[] = { "ffff:0001", "0400:c35a", NULL };
  IdcardTransport *t = idcard_usb_open (ids, &error);
  g_autoptr (IdcardReader) reader = NULL;
  g_autoptr (SamCard) card = NULL;
  g_autoptr (SamCard) want = NULL;
  g_autofree char *dir = test_fixtures_dir ();
  g_autofree char *path = g_build_filename (dir, "resident.json", NULL);
  g_autofree char *a = NULL, *b = NULL;
  SamReply r;

  g_assert_no_error (error);
  g_assert_nonnull (t);
  g_assert_cmpstr (t->kind, ==, "usb");
  g_assert_nonnull (strstr (t->description, "0400:c35a"));
  reader = idcard_reader_new (t, NULL);

  g_assert_true (idcard_reader_transact (reader, SAM_CMD_STATUS, 1000, &r, &error));
  g_assert_no_error (error);
  g_assert_cmphex (r.sw3, ==, 0x90);

  card = idcard_reader_read_card (reader, 115200, FALSE, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (card);
  want = idcard_card_from_file (path, &error);
  g_assert_no_error (error);
  a = idcard_card_to_json (card);
  b = idcard_card_to_json (want);
  g_assert_cmpstr (a, ==, b);

  /* Unplugged: noticed at the next poll. */
  g_assert_false (idcard_reader_find (reader, NULL, &error));
  g_assert_error (error, IDCARD_ERROR, IDCARD_ERROR_DISCONNECTED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/idcard/usb/not-listed", test_not_listed);
  g_test_add_func ("/idcard/usb/replay", test_replay);
  return g_test_run ();
}
