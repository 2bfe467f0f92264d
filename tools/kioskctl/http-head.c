/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

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

/* Small readers for the fixed date forms: each advances *p on success. */
static gboolean
read_int (const char **p, int min_digits, int max_digits, int *out)
{
  int n = 0, v = 0;

  while (n < max_digits && g_ascii_isdigit ((*p)[n]))
    v = v * 10 + ((*p)[n++] - '0');
  if (n < min_digits)
    return FALSE;
  *p += n;
  *out = v;
  return TRUE;
}

static gboolean
read_word (const char **p, int min_len, int max_len)
{
  int n = 0;

  while (n < max_len && g_ascii_isalpha ((*p)[n]))
    n++;
  if (n < min_len || g_ascii_isalpha ((*p)[n]))
    return FALSE;
  *p += n;
  return TRUE;
}

static gboolean
expect (const char **p, const char *literal)
{
  gsize n = strlen (literal);

  if (strncmp (*p, literal, n) != 0)
    return FALSE;
  *p += n;
  return TRUE;
}

static gboolean
read_month (const char **p, int *month)
{
  if (strlen (*p) < 3 || (*month = month_index (*p)) == 0)
    return FALSE;
  *p += 3;
  return TRUE;
}

static gboolean
read_time (const char **p, int *hour, int *min, int *sec)
{
  return read_int (p, 2, 2, hour) && expect (p, ":") && read_int (p, 2, 2, min) && expect (p, ":")
         && read_int (p, 2, 2, sec);
}

gint64
kioskctl_http_date_parse (const char *s)
{
  const char *p = s;
  int day, month, year, hour, min, sec;

  if (s == NULL || strlen (s) > 64)
    return -1;
  /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
  if (read_word (&p, 3, 3) && expect (&p, ", ") && read_int (&p, 2, 2, &day) && expect (&p, " ")
      && read_month (&p, &month) && expect (&p, " ") && read_int (&p, 4, 4, &year) && expect (&p, " ")
      && read_time (&p, &hour, &min, &sec) && expect (&p, " GMT") && *p == '\0')
    return to_unix (year, month, day, hour, min, sec);
  /* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit years: 19xx from 70) */
  p = s;
  if (read_word (&p, 6, 9) && expect (&p, ", ") && read_int (&p, 2, 2, &day) && expect (&p, "-")
      && read_month (&p, &month) && expect (&p, "-") && read_int (&p, 2, 2, &year) && expect (&p, " ")
      && read_time (&p, &hour, &min, &sec) && expect (&p, " GMT") && *p == '\0')
    return to_unix (year < 70 ? 2000 + year : 1900 + year, month, day, hour, min, sec);
  /* asctime: Sun Nov  6 08:49:37 1994 (the day padded with a space) */
  p = s;
  if (!read_word (&p, 3, 3) || !expect (&p, " ") || !read_month (&p, &month) || !expect (&p, " "))
    return -1;
  if (*p == ' ')
    p++;
  if (read_int (&p, 1, 2, &day) && expect (&p, " ") && read_time (&p, &hour, &min, &sec) && expect (&p, " ")
      && read_int (&p, 4, 4, &year) && *p == '\0')
    return to_unix (year, month, day, hour, min, sec);
  return -1;
}
