/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "http-head.h"

/* The codec kioskctl doctor reads the platform's answer with: status line,
 * headers, the end of the head, and HTTP-dates. */

static void
test_complete (void)
{
  const char *answer = "HTTP/1.1 404 Not Found\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                       "Content-Type: application/json\r\nCONTENT-LENGTH:  12 \r\n\r\n{\"error\":1}";
  KioskctlHttpHead head;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (kioskctl_http_head_parse (answer, strlen (answer), &head, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (head.status, ==, 404);
  g_assert_cmpstr (head.reason, ==, "Not Found");
  g_assert_cmpstr (kioskctl_http_head_get (&head, "date"), ==, "Sun, 06 Nov 1994 08:49:37 GMT");
  g_assert_cmpstr (kioskctl_http_head_get (&head, "Content-Length"), ==, "12");
  g_assert_null (kioskctl_http_head_get (&head, "etag"));
  g_assert_cmpstr (answer + head.head_length, ==, "{\"error\":1}");
  kioskctl_http_head_clear (&head);
}

static void
test_incomplete_and_bad (void)
{
  static const char *const bad[] = {
    "SSH-2.0-OpenSSH\r\n\r\n",
    "HTTP/2 200\r\n\r\n",
    "HTTP/1.1 20 OK\r\n\r\n",
    "HTTP/1.1 2000 OK\r\n\r\n",
    "HTTP/1.1 099 Low\r\n\r\n",
    "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
    "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
  };
  const char *partial = "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n";
  static const char with_nul[] = "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n";
  const char *bare_lf = "HTTP/1.0 503 Busy\nRetry-After: 1\n\n";
  KioskctlHttpHead head;
  g_autofree char *huge = NULL;

  g_assert_cmpint (kioskctl_http_head_parse (partial, strlen (partial), &head, NULL), ==, 0);
  g_assert_cmpint (kioskctl_http_head_parse ("HTT", 3, &head, NULL), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_cmpint (kioskctl_http_head_parse (bad[i], strlen (bad[i]), &head, &error), ==, -1);
      g_assert_nonnull (error);
      kioskctl_http_head_clear (&head);
    }
  /* A head that never ends is refused, not buffered without limit. */
  {
    g_autofree char *value = g_strnfill (64 * 1024, 'x');
    huge = g_strconcat ("HTTP/1.1 200 OK\r\nX: ", value, NULL);
  }
  g_assert_cmpint (kioskctl_http_head_parse (huge, strlen (huge), &head, NULL), ==, -1);
  /* A NUL inside the head. */
  g_assert_cmpint (kioskctl_http_head_parse (with_nul, sizeof with_nul - 1, &head, NULL), ==, -1);
  /* Bare LF line ends are accepted. */
  g_assert_cmpint (kioskctl_http_head_parse (bare_lf, strlen (bare_lf), &head, NULL), ==, 1);
  g_assert_cmpint (head.status, ==, 503);
  g_assert_cmpstr (kioskctl_http_head_get (&head, "retry-after"), ==, "1");
  kioskctl_http_head_clear (&head);
}

static void
test_dates (void)
{
  /* RFC 9110's three forms of the same instant. */
  g_assert_cmpint (kioskctl_http_date_parse ("Sun, 06 Nov 1994 08:49:37 GMT"), ==, 784111777);
  g_assert_cmpint (kioskctl_http_date_parse ("Sunday, 06-Nov-94 08:49:37 GMT"), ==, 784111777);
  g_assert_cmpint (kioskctl_http_date_parse ("Sun Nov  6 08:49:37 1994"), ==, 784111777);
  g_assert_cmpint (kioskctl_http_date_parse ("Wed, 02 Dec 2026 12:00:00 GMT"), ==, 1796212800);
  g_assert_cmpint (kioskctl_http_date_parse (NULL), ==, -1);
  g_assert_cmpint (kioskctl_http_date_parse (""), ==, -1);
  g_assert_cmpint (kioskctl_http_date_parse ("Sun, 06 Nov 1994 08:49:37 CET"), ==, -1);
  g_assert_cmpint (kioskctl_http_date_parse ("Sun, 06 Foo 1994 08:49:37 GMT"), ==, -1);
  g_assert_cmpint (kioskctl_http_date_parse ("Sun, 32 Nov 1994 08:49:37 GMT"), ==, -1);
  g_assert_cmpint (kioskctl_http_date_parse ("Sun, 06 Nov 1994 25:49:37 GMT"), ==, -1);
  g_assert_cmpint (kioskctl_http_date_parse ("Sun, 06 Nov 1994 08:49:37 GMT trailing"), ==, -1);
  g_assert_cmpint (kioskctl_http_date_parse ("1773022264"), ==, -1);
  g_assert_cmpint (kioskctl_http_date_parse ("Sun, 6 Nov 1994 08:49:37 GMT"), ==, -1);
  g_assert_cmpint (kioskctl_http_date_parse ("Sun, 06 Nov 1994 8:49:37 GMT"), ==, -1);
  g_assert_cmpint (kioskctl_http_date_parse ("Sun Nov 16 08:49:37 1994"), ==, 784111777 + 10 * 86400);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kioskctl/http-head/complete", test_complete);
  g_test_add_func ("/kioskctl/http-head/incomplete-and-bad", test_incomplete_and_bad);
  g_test_add_func ("/kioskctl/http-head/dates", test_dates);
  return g_test_run ();
}
