/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 13: 9. The reference platform checks that a case is rated by its
 * applicant: a rating naming a case it holds, from anyone else (or from
 * nobody named), is refused with 403 not_applicant, which the kiosk's HTTP
 * adapter takes as a rejection (never retried). The applicant's rating, and
 * a rating without a case, are received. */
#include "config.h"

#include <string.h>

#include "kiosk-platform-adapter.h"
#include "store-test-util.h"

#define APPLICANT "11010519491231002X"
#define STRANGER "330106198001010016"
#define PROVISIONAL "K1-20261122-000017X"

static void
submit (KioskPlatformAdapter *ad, const char *kind, const char *key, const char *json, KioskPlatformResult *res)
{
  kiosk_platform_result_clear (res);
  *res = (KioskPlatformResult){ .retry_after_ms = -1 };
  ad->klass->submit (ad, kind, key, json, NULL, res);
  g_test_message ("%s %s: %s %d %s", kind, key, kiosk_platform_outcome_to_string (res->outcome), res->http_status,
                  res->error_code ? res->error_code : "");
}

static char *
rating (const char *case_number, const char *rater)
{
  return g_strdup_printf ("{\"profile\":\"gbt39046\",\"case_number\":%s%s%s,\"level\":\"5\",\"rated\":true,"
                          "\"rater_id_number\":%s%s%s}",
                          case_number ? "\"" : "", case_number ? case_number : "null", case_number ? "\"" : "",
                          rater ? "\"" : "", rater ? rater : "null", rater ? "\"" : "");
}

static void
test_only_the_applicant (void)
{
  g_autofree char *dir = store_test_tmpdir ("rating-platform");
  TestPlatform *platform = test_platform_start (dir, NULL);
  g_autoptr (GError) error = NULL;
  KioskHttpAdapterOptions o
      = { .base_url = platform->url, .kiosk_id = "K1", .allow_http = TRUE, .timeout_seconds = 10 };
  g_autoptr (KioskPlatformAdapter) ad = NULL;
  KioskPlatformResult res = { .retry_after_ms = -1 };
  g_autofree char *official = NULL;
  g_autofree char *r1 = NULL, *r2 = NULL, *r3 = NULL, *r4 = NULL, *r5 = NULL, *r6 = NULL;

  g_test_expect_message ("kiosk-sync", G_LOG_LEVEL_WARNING, "platform: plain HTTP*");
  ad = kiosk_http_adapter_new (&o, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  submit (ad, "case", "K1:case",
          "{\"provisional_number\":\"" PROVISIONAL "\",\"kiosk_id\":\"K1\",\"item_code\":\"RS-001\","
          "\"applicant\":{\"name\":\"欧阳娜娜\",\"id_number\":\"" APPLICANT "\"},\"attachments\":[]}",
          &res);
  g_assert_cmpint (res.outcome, ==, KIOSK_PLATFORM_OK);
  g_assert_nonnull (strstr (res.body, "official_number"));
  {
    g_autoptr (GRegex) re = g_regex_new ("\"official_number\":\"([^\"]+)\"", 0, 0, NULL);
    g_autoptr (GMatchInfo) m = NULL;
    g_assert_true (g_regex_match (re, res.body, 0, &m));
    official = g_match_info_fetch (m, 1);
  }

  /* Someone else rates the case, by its official number: refused, for good. */
  r1 = rating (official, STRANGER);
  submit (ad, "rating", "K1:r1", r1, &res);
  g_assert_cmpint (res.outcome, ==, KIOSK_PLATFORM_REJECTED);
  g_assert_cmpint (res.http_status, ==, 403);
  g_assert_cmpstr (res.error_code, ==, "not_applicant");
  /* by its provisional number, or naming nobody: the same */
  r2 = rating (PROVISIONAL, STRANGER);
  submit (ad, "rating", "K1:r2", r2, &res);
  g_assert_cmpstr (res.error_code, ==, "not_applicant");
  r3 = rating (official, NULL);
  submit (ad, "rating", "K1:r3", r3, &res);
  g_assert_cmpstr (res.error_code, ==, "not_applicant");
  g_assert_cmpint (test_platform_stat (platform, "ratings"), ==, 0);

  /* The applicant (a lower-case check character is the same number). */
  r4 = rating (official, "11010519491231002x");
  submit (ad, "rating", "K1:r4", r4, &res);
  g_assert_cmpint (res.outcome, ==, KIOSK_PLATFORM_OK);
  /* A service without a case (a guide printed): whoever received it. */
  r5 = rating (NULL, STRANGER);
  submit (ad, "rating", "K1:r5", r5, &res);
  g_assert_cmpint (res.outcome, ==, KIOSK_PLATFORM_OK);
  /* A case this platform does not hold: nothing to check it against. */
  r6 = rating ("ZW-ELSEWHERE-1", STRANGER);
  submit (ad, "rating", "K1:r6", r6, &res);
  g_assert_cmpint (res.outcome, ==, KIOSK_PLATFORM_OK);
  g_assert_cmpint (test_platform_stat (platform, "ratings"), ==, 3);

  kiosk_platform_result_clear (&res);
  test_platform_stop (platform);
  store_test_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rating/platform/only-the-applicant", test_only_the_applicant);
  return g_test_run ();
}
