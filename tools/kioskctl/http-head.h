/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The head of an HTTP/1.x answer, parsed by pure functions (no I/O):
 * kioskctl doctor reads the platform's answer with these. */
typedef struct {
  int status;        /* 100..599 */
  char *reason;      /* reason phrase, may be empty */
  GPtrArray *names;  /* header names, lower case */
  GPtrArray *values; /* header values, trimmed */
  gsize head_length; /* bytes up to and including the blank line */
} KioskctlHttpHead;

/* Parses @data (@len bytes, the answer's first bytes). Returns 1 with @head
 * filled when the head is complete, 0 when more bytes are needed, -1 when
 * it is not an HTTP/1.x answer (@error says why). */
int kioskctl_http_head_parse (const char *data, gsize len, KioskctlHttpHead *head, GError **error);
void kioskctl_http_head_clear (KioskctlHttpHead *head);
/* The first value of header @name (any case), or NULL. */
const char *kioskctl_http_head_get (const KioskctlHttpHead *head, const char *name);

/* An HTTP-date (RFC 9110: IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", and
 * the obsolete RFC 850 and asctime forms) as Unix seconds; -1 when @s is
 * not one. */
gint64 kioskctl_http_date_parse (const char *s);

G_END_DECLS
