/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "http-head.h"

/* At most this much head: a platform's answer head is a few hundred bytes. */
#define MAX_HEAD (32 * 1024)

void
kioskctl_http_head_clear (KioskctlHttpHead *head)
{
  g_clear_pointer (&head->reason, g_free);
  g_clear_pointer (&head->names, g_ptr_array_unref);
  g_clear_pointer (&head->values, g_ptr_array_unref);
  head->status = 0;
  head->head_length = 0;
}

static const char *
find_blank_line (const char *data, gsize len)
{
  for (gsize i = 0; i + 1 < len; i++)
    {
      if (data[i] == '\n' && data[i + 1] == '\n')
        return data + i + 2;
      if (i + 3 < len && data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n')
        return data + i + 4;
    }
  return NULL;
}

int
kioskctl_http_head_parse (const char *data, gsize len, KioskctlHttpHead *head, GError **error)
{
  const char *end = find_blank_line (data, MIN (len, MAX_HEAD));
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  char *status_end = NULL;
  gint64 status;

  memset (head, 0, sizeof *head);
  if (len >= 5 && strncmp (data, "HTTP/", 5) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not an HTTP answer");
      return -1;
    }
  if (end == NULL)
    {
      if (len >= MAX_HEAD)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the answer's head is longer than %d bytes",
                       MAX_HEAD);
          return -1;
        }
      return 0;
    }
  if (memchr (data, '\0', (gsize) (end - data)) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a NUL byte in the answer's head");
      return -1;
    }
  text = g_strndup (data, (gsize) (end - data));
  g_strdelimit (text, "\r", ' ');
  lines = g_strsplit (text, "\n", -1);

  /* HTTP/1.x SP 3DIGIT [SP reason] */
  if (!g_str_has_prefix (lines[0], "HTTP/1.") || !g_ascii_isdigit (lines[0][7]) || lines[0][8] != ' ')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not an HTTP/1.x status line");
      return -1;
    }
  status = g_ascii_strtoll (lines[0] + 9, &status_end, 10);
  if (status_end != lines[0] + 12 || status < 100 || status > 599 || (*status_end != ' ' && *status_end != '\0'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad status code in the status line");
      return -1;
    }
  head->status = (int) status;
  head->reason = g_strstrip (g_strdup (status_end));
  head->names = g_ptr_array_new_with_free_func (g_free);
  head->values = g_ptr_array_new_with_free_func (g_free);
  for (char **l = lines + 1; *l; l++)
    {
      char *colon;
      if (g_strstrip (*l)[0] == '\0')
        continue;
      colon = strchr (*l, ':');
      if (colon == NULL || colon == *l)
        {
          kioskctl_http_head_clear (head);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a header line without a name and colon");
          return -1;
        }
      *colon = '\0';
      g_ptr_array_add (head->names, g_ascii_strdown (g_strstrip (*l), -1));
      g_ptr_array_add (head->values, g_strstrip (g_strdup (colon + 1)));
    }
  head->head_length = (gsize) (end - data);
  return 1;
}

const char *
kioskctl_http_head_get (const KioskctlHttpHead *head, const char *name)
{
  if (head->names == NULL)
    return NULL;
  for (guint i = 0; i < head->names->len; i++)
    if (g_ascii_strcasecmp (head->names->pdata[i], name) == 0)
      return head->values->pdata[i];
  return NULL;
}

static int
month_index (const char *s)
{
  static const char *const months[]
      = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  for (int i = 0; i < 12; i++)
    if (strncmp (s, months[i], 3) == 0)
      return i + 1;
  return 0;
}

static gint64
to_unix (int year, int month, int day, int hour, int min, int sec)
{
  g_autoptr (GDateTime) dt = NULL;

  if (month < 1 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60 || year < 1970 || year > 9999)
    return -1;
  dt = g_date_time_new_utc (year, month, day, hour, min, sec == 60 ? 59 : sec);
  return dt ? g_date_time_to_unix (dt) : -1;
}

gint64
kioskctl_http_date_parse (const char *s)
{
  char wday[16], mon[4], zone[4];
  int day, year, hour, min, sec, n = 0;

  if (s == NULL || strlen (s) > 64)
    return -1;
  /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
  if (sscanf (s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %3s%n", wday, &day, mon, &year, &hour, &min, &sec, zone,
              &n)
          == 8
      && s[n] == '\0' && strcmp (zone, "GMT") == 0)
    return to_unix (year, month_index (mon), day, hour, min, sec);
  /* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit years: 19xx from 70) */
  if (sscanf (s, "%15[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d %3s%n", wday, &day, mon, &year, &hour, &min, &sec, zone,
              &n)
          == 8
      && s[n] == '\0' && strcmp (zone, "GMT") == 0)
    return to_unix (year < 70 ? 2000 + year : 1900 + year, month_index (mon), day, hour, min, sec);
  /* asctime: Sun Nov  6 08:49:37 1994 */
  if (sscanf (s, "%3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n", wday, mon, &day, &hour, &min, &sec, &year, &n) == 7
      && s[n] == '\0')
    return to_unix (year, month_index (mon), day, hour, min, sec);
  return -1;
}
