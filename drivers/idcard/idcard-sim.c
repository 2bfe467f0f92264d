/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-idcard-sim"

/* idcard-sim: an ID card reader on a pseudo-terminal. It answers the SAM
 * protocol from JSON card fixtures and injects faults on request. See
 * drivers/idcard/README.md for the command line and the control channel. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "idcard-json.h"
#include "sam-codec.h"

typedef enum {
  TARGET_ANY,
  TARGET_STATUS,
  TARGET_SAMID,
  TARGET_FIND,
  TARGET_SELECT,
  TARGET_READ,
} Target;

static const char *const target_names[] = { "any", "status", "samid", "find", "select", "read" };

typedef enum {
  FAULT_STATUS,
  FAULT_CHECKSUM,
  FAULT_LENGTH,
  FAULT_GARBAGE,
  FAULT_SPLIT,
  FAULT_SLOW,
  FAULT_SILENCE,
} FaultKind;

static const char *const fault_names[] = { "status", "checksum", "length", "garbage", "split", "slow", "silence" };

typedef struct {
  FaultKind kind;
  int arg; /* status: SW3; slow: ms */
  Target target;
  int remaining; /* -1: always */
} Fault;

typedef struct {
  gint64 due; /* monotonic µs */
  GBytes *bytes;
} Outgoing;

typedef struct {
  char *name;
  SamCard *card;
} Fixture;

typedef struct {
  int master, slave;
  char *slave_path;
  char *link;
  gint64 reconnect_at; /* 0: connected or never */
  GByteArray *in;
  GQueue out; /* Outgoing, in due order */
  GPtrArray *fixtures;
  int present;     /* index into fixtures, -1 none */
  gboolean halted; /* read once; the card must leave and come back */
  gboolean reactivate;
  int auto_place_s;
  gint64 auto_place_at;
  gboolean auto_place_off; /* "auto-place off": the kiosk is busy with someone */
  gint64 auto_remove_at;
  int next_auto;
  GArray *faults;
  int listen_fd;
  ino_t control_ino; /* our control socket's inode */
  guint64 commands;
} Sim;

static volatile sig_atomic_t quit;

static void
on_signal (int sig)
{
  quit = 1;
}

/* ---- fixtures ----------------------------------------------------------- */

static void
fixture_free (gpointer p)
{
  Fixture *f = p;
  g_free (f->name);
  sam_card_free (f->card);
  g_free (f);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
load_fixtures (Sim *sim, const char *dir, GError **error)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *n;

  if (d == NULL)
    return FALSE;
  while ((n = g_dir_read_name (d)))
    if (g_str_has_suffix (n, ".json"))
      g_ptr_array_add (names, g_strdup (n));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *file = *(const char **) &names->pdata[i];
      g_autofree char *path = g_build_filename (dir, file, NULL);
      SamCard *card = idcard_card_from_file (path, error);
      Fixture *f;

      if (card == NULL)
        return FALSE;
      f = g_new0 (Fixture, 1);
      f->name = g_strndup (file, strlen (file) - strlen (".json"));
      f->card = card;
      g_ptr_array_add (sim->fixtures, f);
    }
  return TRUE;
}

static int
find_fixture (Sim *sim, const char *name)
{
  for (guint i = 0; i < sim->fixtures->len; i++)
    if (g_str_equal (((Fixture *) sim->fixtures->pdata[i])->name, name))
      return (int) i;
  return -1;
}

static void
place (Sim *sim, int index)
{
  sim->present = index;
  sim->halted = FALSE;
  sim->auto_remove_at = 0;
  if (index >= 0)
    g_message ("card placed: fixture %s", ((Fixture *) sim->fixtures->pdata[index])->name);
  else
    g_message ("card removed");
}

/* ---- the pseudo-terminal ------------------------------------------------ */

static gboolean
open_pty (Sim *sim, GError **error)
{
  struct termios tio;
  char name[256];

  if (openpty (&sim->master, &sim->slave, name, NULL, NULL) < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "openpty: %s", g_strerror (errno));
      return FALSE;
    }
  /* Raw both ways: no echo, no line editing (the client sets its own side
   * too, but bytes may arrive before it does). */
  tcgetattr (sim->slave, &tio);
  cfmakeraw (&tio);
  tcsetattr (sim->slave, TCSANOW, &tio);
  fcntl (sim->master, F_SETFL, fcntl (sim->master, F_GETFL) | O_NONBLOCK);
  fcntl (sim->master, F_SETFD, FD_CLOEXEC);
  fcntl (sim->slave, F_SETFD, FD_CLOEXEC);
  g_free (sim->slave_path);
  sim->slave_path = g_strdup (name);
  if (sim->link)
    {
      g_autofree char *tmp = g_strconcat (sim->link, ".new", NULL);
      g_unlink (tmp);
      if (symlink (name, tmp) < 0 || g_rename (tmp, sim->link) < 0)
        g_warning ("cannot link %s to %s: %s", sim->link, name, g_strerror (errno));
    }
  printf ("PTY %s\n", name);
  fflush (stdout);
  sim->reconnect_at = 0;
  return TRUE;
}

static void
close_pty (Sim *sim)
{
  if (sim->master >= 0)
    close (sim->master);
  if (sim->slave >= 0)
    close (sim->slave);
  sim->master = sim->slave = -1;
  if (sim->link)
    g_unlink (sim->link);
  g_byte_array_set_size (sim->in, 0);
  while (!g_queue_is_empty (&sim->out))
    {
      Outgoing *o = g_queue_pop_head (&sim->out);
      g_bytes_unref (o->bytes);
      g_free (o);
    }
}

static void
disconnect (Sim *sim, int seconds)
{
  g_message ("disconnect%s", seconds > 0 ? ", back later" : "");
  close_pty (sim);
  sim->reconnect_at = seconds > 0 ? g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC : 0;
}

/* ---- faults ------------------------------------------------------------- */

static gboolean
parse_fault (Sim *sim, char **tok, GError **error)
{
  Fault f = { 0 };
  guint i = 0, k;

  f.remaining = 1;
  f.target = TARGET_ANY;
  if (tok[0] == NULL)
    goto bad;
  if (g_str_equal (tok[0], "disconnect"))
    {
      disconnect (sim, tok[1] ? (int) g_ascii_strtoll (tok[1], NULL, 10) : 1);
      return TRUE;
    }
  for (k = 0; k < G_N_ELEMENTS (fault_names); k++)
    if (g_str_equal (tok[0], fault_names[k]))
      break;
  if (k == G_N_ELEMENTS (fault_names))
    goto bad;
  f.kind = k;
  i = 1;
  if (f.kind == FAULT_STATUS || f.kind == FAULT_SLOW)
    {
      if (tok[1] == NULL)
        goto bad;
      f.arg = (int) g_ascii_strtoll (tok[1], NULL, f.kind == FAULT_STATUS ? 16 : 10);
      i = 2;
      /* Status faults aim at reads unless told otherwise. */
      if (f.kind == FAULT_STATUS)
        f.target = TARGET_READ;
    }
  for (; tok[i]; i++)
    {
      gboolean known = FALSE;
      for (k = 0; k < G_N_ELEMENTS (target_names); k++)
        if (g_str_equal (tok[i], target_names[k]))
          {
            f.target = k;
            known = TRUE;
          }
      if (g_str_equal (tok[i], "always"))
        f.remaining = -1, known = TRUE;
      else if (tok[i][0] == 'x' && g_ascii_isdigit (tok[i][1]))
        f.remaining = (int) g_ascii_strtoll (tok[i] + 1, NULL, 10), known = TRUE;
      if (!known)
        goto bad;
    }
  g_array_append_val (sim->faults, f);
  return TRUE;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "fault: expected status XX|checksum|length|garbage|split|slow MS|silence|disconnect S, "
               "then [any|status|samid|find|select|read] [always|xN]");
  return FALSE;
}

static Target
target_of (guint8 cmd, guint8 para)
{
  switch (cmd)
    {
    case 0x11:
      return TARGET_STATUS;
    case 0x12:
      return TARGET_SAMID;
    case 0x20:
      return para == 0x01 ? TARGET_FIND : TARGET_SELECT;
    case 0x30:
      return TARGET_READ;
    default:
      return TARGET_ANY;
    }
}

/* Takes the faults aimed at @t (one use each). */
static GArray *
take_faults (Sim *sim, Target t)
{
  GArray *hit = g_array_new (FALSE, FALSE, sizeof (Fault));

  for (guint i = 0; i < sim->faults->len;)
    {
      Fault *f = &g_array_index (sim->faults, Fault, i);
      if (f->target == TARGET_ANY || f->target == t)
        {
          g_array_append_val (hit, *f);
          if (f->remaining > 0 && --f->remaining == 0)
            {
              g_array_remove_index (sim->faults, i);
              continue;
            }
        }
      i++;
    }
  return hit;
}

/* ---- replies ------------------------------------------------------------ */

static void
queue_bytes (Sim *sim, gint64 due, const guint8 *p, gsize n)
{
  Outgoing *o = g_new0 (Outgoing, 1);
  o->due = due;
  o->bytes = g_bytes_new (p, n);
  g_queue_push_tail (&sim->out, o);
}

static const guint8 sam_id_bytes[16]
    = { 0x05, 0x00, 0x01, 0x00, 0x09, 0xB8, 0x32, 0x01, 0x05, 0xBE, 0x12, 0x00, 0xAD, 0xC5, 0xB1, 0x11 };

static GByteArray *
answer (Sim *sim, guint8 cmd, guint8 para)
{
  static const guint8 zeros[8] = { 0 };
  gboolean card = sim->present >= 0 && !sim->halted;

  switch (cmd << 8 | para)
    {
    case 0x10FF:
    case 0x11FF:
      return sam_build_reply (0, 0, SAM_SW3_OK, NULL, 0);
    case 0x12FF:
      return sam_build_reply (0, 0, SAM_SW3_OK, sam_id_bytes, sizeof sam_id_bytes);
    case 0x2001:
      return card ? sam_build_reply (0, 0, SAM_SW3_FOUND, zeros, 4) : sam_build_reply (0, 0, SAM_SW3_NO_CARD, NULL, 0);
    case 0x2002:
      return card ? sam_build_reply (0, 0, SAM_SW3_OK, zeros, 8)
                  : sam_build_reply (0, 0, SAM_SW3_SELECT_FAILED, NULL, 0);
    case 0x3001:
    case 0x3010:
      {
        Fixture *f;
        GByteArray *r;
        const char *why = NULL;

        if (!card)
          return sam_build_reply (0, 0, SAM_SW3_READ_FAILED, NULL, 0);
        f = sim->fixtures->pdata[sim->present];
        r = sam_build_read_reply (f->card, para == 0x10 && f->card->has_fingerprint, &why);
        if (r == NULL)
          {
            g_warning ("fixture %s cannot be encoded: %s", f->name, why);
            return sam_build_reply (0, 0, SAM_SW3_READ_FAILED, NULL, 0);
          }
        if (para == 0x10 && !f->card->has_fingerprint)
          {
            /* 30 10 without fingerprints: the 1297-byte form (FP length 0). */
            guint8 *data = g_malloc (r->len);
            gsize n = r->len - 11; /* data of the 30 01 form */
            GByteArray *r2;
            memcpy (data, r->data + 10, 4);
            data[4] = data[5] = 0;
            memcpy (data + 6, r->data + 14, n - 4);
            r2 = sam_build_reply (0, 0, SAM_SW3_OK, data, n + 2);
            explicit_bzero (data, r->len);
            g_free (data);
            explicit_bzero (r->data, r->len);
            g_byte_array_unref (r);
            r = r2;
          }
        sim->halted = !sim->reactivate;
        if (sim->auto_place_s > 0)
          sim->auto_remove_at = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
        return r;
      }
    case 0x3003:
      return sam_build_reply (0, 0, SAM_SW3_NO_CONTENT, NULL, 0);
    default:
      return sam_build_reply (0, 0, SAM_SW3_COMMAND, NULL, 0);
    }
}

/* Answers CMD PARA (or sends @r when given), with the faults aimed at it. */
static void
reply (Sim *sim, guint8 cmd, guint8 para, GByteArray *r)
{
  g_autoptr (GArray) faults = take_faults (sim, target_of (cmd, para));
  gint64 due = g_get_monotonic_time ();
  gboolean split = FALSE, garbage = FALSE;
  gsize send_len;

  /* A status fault replaces the answer: the card's state does not move. */
  for (guint i = 0; i < faults->len && r == NULL; i++)
    if (g_array_index (faults, Fault, i).kind == FAULT_STATUS)
      r = sam_build_reply (0, 0, (guint8) g_array_index (faults, Fault, i).arg, NULL, 0);
  if (r == NULL)
    r = answer (sim, cmd, para);
  send_len = r->len;
  for (guint i = 0; i < faults->len; i++)
    {
      Fault *f = &g_array_index (faults, Fault, i);
      switch (f->kind)
        {
        case FAULT_CHECKSUM:
          r->data[r->len - 1] ^= 0x5A;
          break;
        case FAULT_LENGTH:
          send_len = r->len > 12 ? r->len / 2 : r->len - 1;
          break;
        case FAULT_GARBAGE:
          garbage = TRUE;
          break;
        case FAULT_SPLIT:
          split = TRUE;
          break;
        case FAULT_SLOW:
          due += (gint64) f->arg * 1000;
          break;
        case FAULT_SILENCE:
          g_byte_array_unref (r);
          return;
        case FAULT_STATUS:
        default:
          break;
        }
    }
  if (garbage)
    {
      /* Noise with a false start of a preamble in it. */
      static const guint8 noise[] = { 0x00, 0xAA, 0x13, 0xAA, 0xAA, 0x96, 0x00, 0xFF, 0xAA, 0xAA };
      queue_bytes (sim, due, noise, sizeof noise);
    }
  if (split)
    {
      gsize off = 0, piece = 3;
      while (off < send_len)
        {
          gsize n = MIN (piece, send_len - off);
          queue_bytes (sim, due, r->data + off, n);
          off += n;
          due += 3000; /* 3 ms between pieces */
          piece = piece * 3 + 1;
        }
    }
  else
    queue_bytes (sim, due, r->data, send_len);
  explicit_bzero (r->data, r->len);
  g_byte_array_unref (r);
}

/* Host-to-reader frames: AA AA AA 96 69 LEN CMD PARA [DATA] CHK. */
static void
handle_input (Sim *sim)
{
  GByteArray *in = sim->in;

  for (;;)
    {
      const guint8 *p = in->len ? memmem (in->data, in->len, sam_preamble, SAM_PREAMBLE_LEN) : NULL;
      gsize off, body;

      if (p == NULL)
        {
          if (in->len > SAM_PREAMBLE_LEN)
            g_byte_array_remove_range (in, 0, in->len - (SAM_PREAMBLE_LEN - 1));
          return;
        }
      off = (gsize) (p - in->data);
      if (off)
        g_byte_array_remove_range (in, 0, off);
      if (in->len < SAM_HEADER_LEN)
        return;
      body = (gsize) in->data[5] << 8 | in->data[6];
      if (body < 3 || body > 512)
        {
          g_byte_array_remove_range (in, 0, 1);
          reply (sim, 0, 0, sam_build_reply (0, 0, SAM_SW3_HOST_LENGTH, NULL, 0));
          continue;
        }
      if (in->len < SAM_HEADER_LEN + body)
        return;
      sim->commands++;
      if (sam_checksum (in->data + 5, body + 1) != in->data[SAM_HEADER_LEN + body - 1])
        reply (sim, in->data[7], in->data[8], sam_build_reply (0, 0, SAM_SW3_HOST_CHECKSUM, NULL, 0));
      else
        reply (sim, in->data[7], in->data[8], NULL);
      g_byte_array_remove_range (in, 0, SAM_HEADER_LEN + body);
    }
}

static void
flush_output (Sim *sim)
{
  gint64 now = g_get_monotonic_time ();

  while (!g_queue_is_empty (&sim->out) && sim->master >= 0)
    {
      Outgoing *o = g_queue_peek_head (&sim->out);
      gsize n;
      const guint8 *p = g_bytes_get_data (o->bytes, &n);
      ssize_t w;

      if (o->due > now)
        return;
      w = write (sim->master, p, n);
      if (w < 0 && errno == EAGAIN)
        return;
      if (w < 0)
        {
          g_warning ("write to the pty: %s", g_strerror (errno));
          w = (ssize_t) n;
        }
      if ((gsize) w < n)
        {
          GBytes *rest = g_bytes_new_from_bytes (o->bytes, (gsize) w, n - (gsize) w);
          g_bytes_unref (o->bytes);
          o->bytes = rest;
          return;
        }
      g_queue_pop_head (&sim->out);
      g_bytes_unref (o->bytes);
      g_free (o);
    }
}

/* ---- control channel ---------------------------------------------------- */

static char *
control (Sim *sim, const char *line)
{
  g_auto (GStrv) tok = g_strsplit_set (line, " \t\r", -1);
  g_autoptr (GPtrArray) words = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  char **w;

  for (char **t = tok; *t; t++)
    if (**t)
      g_ptr_array_add (words, *t);
  g_ptr_array_add (words, NULL);
  w = (char **) words->pdata;
  if (w[0] == NULL)
    return g_strdup ("error empty command");
  if (g_str_equal (w[0], "place"))
    {
      int i = w[1] ? find_fixture (sim, w[1]) : (sim->fixtures->len ? 0 : -1);
      if (i < 0)
        return g_strdup ("error no such fixture");
      place (sim, i);
      return g_strdup ("ok");
    }
  if (g_str_equal (w[0], "remove") || g_str_equal (w[0], "nocard"))
    {
      place (sim, -1);
      return g_strdup ("ok");
    }
  if (g_str_equal (w[0], "fault"))
    return parse_fault (sim, w + 1, &error) ? g_strdup ("ok") : g_strdup_printf ("error %s", error->message);
  if (g_str_equal (w[0], "auto-place") && w[1] && (g_str_equal (w[1], "on") || g_str_equal (w[1], "off")))
    {
      /* The kiosk allows automatic placement at its attract screen only; a
       * card is placed S seconds after it is allowed again. */
      sim->auto_place_off = g_str_equal (w[1], "off");
      if (sim->auto_place_off)
        sim->auto_place_at = 0;
      else if (sim->auto_place_s > 0 && sim->auto_place_at == 0 && sim->present < 0 && sim->auto_remove_at == 0)
        sim->auto_place_at = g_get_monotonic_time () + (gint64) sim->auto_place_s * G_USEC_PER_SEC;
      return g_strdup ("ok");
    }
  if (g_str_equal (w[0], "reactivate") && w[1])
    {
      sim->reactivate = g_str_equal (w[1], "on");
      return g_strdup ("ok");
    }
  if (g_str_equal (w[0], "clear"))
    {
      g_array_set_size (sim->faults, 0);
      return g_strdup ("ok");
    }
  if (g_str_equal (w[0], "list"))
    {
      GString *s = g_string_new ("ok");
      for (guint i = 0; i < sim->fixtures->len; i++)
        g_string_append_printf (s, " %s", ((Fixture *) sim->fixtures->pdata[i])->name);
      return g_string_free (s, FALSE);
    }
  if (g_str_equal (w[0], "state"))
    return g_strdup_printf ("ok pty=%s card=%s halted=%d faults=%u commands=%" G_GUINT64_FORMAT,
                            sim->slave_path ? sim->slave_path : "-",
                            sim->present >= 0 ? ((Fixture *) sim->fixtures->pdata[sim->present])->name : "none",
                            sim->halted, sim->faults->len, sim->commands);
  if (g_str_equal (w[0], "quit"))
    {
      quit = 1;
      return g_strdup ("ok");
    }
  return g_strdup (
      "error unknown command (place NAME|remove|fault ...|clear|reactivate on|off|auto-place on|off|list|state|quit)");
}

static int
control_listen (const char *path, ino_t *ino, GError **error)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd;

  if (strlen (path) >= sizeof addr.sun_path)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "control socket path too long");
      return -1;
    }
  g_strlcpy (addr.sun_path, path, sizeof addr.sun_path);
  /* A live simulator answers on the socket: leave it alone (kioskctl, or a
   * second simulator, must never cut a running kiosk's simulator off). Only
   * a stale socket file is removed. */
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd >= 0 && connect (fd, (struct sockaddr *) &addr, sizeof addr) == 0)
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE, "control socket %s is in use by another simulator",
                   path);
      return -1;
    }
  if (fd >= 0)
    close (fd);
  g_unlink (path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0 || bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0 || listen (fd, 4) < 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "control socket %s: %s", path, g_strerror (errno));
      if (fd >= 0)
        close (fd);
      return -1;
    }
  {
    GStatBuf st;
    *ino = g_stat (path, &st) == 0 ? st.st_ino : 0;
  }
  return fd;
}

typedef struct {
  int fd;
  GString *line;
} Client;

static void
client_free (gpointer p)
{
  Client *c = p;
  close (c->fd);
  g_string_free (c->line, TRUE);
  g_free (c);
}

/* Reads from a client; FALSE when it is gone. */
static gboolean
client_read (Sim *sim, Client *c)
{
  char buf[256];
  ssize_t n = read (c->fd, buf, sizeof buf);
  char *nl;

  if (n <= 0)
    return n < 0 && errno == EAGAIN;
  g_string_append_len (c->line, buf, n);
  while ((nl = memchr (c->line->str, '\n', c->line->len)))
    {
      g_autofree char *cmd = g_strndup (c->line->str, (gsize) (nl - c->line->str));
      g_autofree char *answer_text = control (sim, cmd);
      g_autofree char *out = g_strconcat (answer_text, "\n", NULL);
      if (write (c->fd, out, strlen (out)) < 0)
        return FALSE;
      g_string_erase (c->line, 0, nl - c->line->str + 1);
    }
  return TRUE;
}

static int
send_command (const char *path, const char *command)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_autofree char *line = g_strconcat (command, "\n", NULL);
  char buf[512];
  ssize_t n;

  g_strlcpy (addr.sun_path, path, sizeof addr.sun_path);
  if (fd < 0 || connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    {
      fprintf (stderr, "idcard-sim: cannot reach %s: %s\n", path, g_strerror (errno));
      return 1;
    }
  if (write (fd, line, strlen (line)) < 0)
    return 1;
  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  if (n <= 0)
    return 1;
  buf[n] = '\0';
  fputs (buf, stdout);
  return g_str_has_prefix (buf, "ok") ? 0 : 1;
}

/* ---- main --------------------------------------------------------------- */

int
main (int argc, char **argv)
{
  g_autofree char *cards_dir = NULL, *card = NULL, *link = NULL, *control_path = NULL, *send = NULL;
  g_auto (GStrv) fault_specs = NULL;
  gboolean reactivate = FALSE, exit_with_parent = FALSE;
  int auto_place = 0;
  GOptionEntry entries[] = {
    { "cards", 0, 0, G_OPTION_ARG_FILENAME, &cards_dir, "Folder of card fixtures (*.json)", "DIR" },
    { "card", 0, 0, G_OPTION_ARG_STRING, &card, "Fixture on the reader at start (file name without .json)", "NAME" },
    { "link", 0, 0, G_OPTION_ARG_FILENAME, &link, "Keep a symlink to the pty's slave here", "PATH" },
    { "control", 0, 0, G_OPTION_ARG_FILENAME, &control_path, "Unix socket for control commands", "PATH" },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fault_specs, "Inject a fault (see README), repeatable", "SPEC" },
    { "reactivate", 0, 0, G_OPTION_ARG_NONE, &reactivate, "Find card succeeds again after a read while the card stays",
      NULL },
    { "auto-place", 0, 0, G_OPTION_ARG_INT, &auto_place, "Demo: place the next fixture every S seconds", "S" },
    { "exit-with-parent", 0, 0, G_OPTION_ARG_NONE, &exit_with_parent, "Exit when the parent process dies", NULL },
    { "send", 0, 0, G_OPTION_ARG_STRING, &send, "Client: send one control command to --control and exit", "CMD" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- ID card reader simulator on a pseudo-terminal");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) clients = g_ptr_array_new_with_free_func (client_free);
  struct sigaction sa = { 0 };
  Sim sim = { 0 };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      fprintf (stderr, "idcard-sim: %s\n", error->message);
      return 2;
    }
  if (send)
    {
      if (!control_path)
        {
          fprintf (stderr, "idcard-sim: --send needs --control\n");
          return 2;
        }
      return send_command (control_path, send);
    }
  if (exit_with_parent)
    prctl (PR_SET_PDEATHSIG, SIGTERM);

  sa.sa_handler = on_signal;
  sigaction (SIGTERM, &sa, NULL);
  sigaction (SIGINT, &sa, NULL);
  signal (SIGPIPE, SIG_IGN);

  sim.master = sim.slave = -1;
  sim.in = g_byte_array_new ();
  g_queue_init (&sim.out);
  sim.fixtures = g_ptr_array_new_with_free_func (fixture_free);
  sim.faults = g_array_new (FALSE, FALSE, sizeof (Fault));
  sim.present = -1;
  sim.reactivate = reactivate;
  sim.auto_place_s = auto_place;
  sim.link = g_steal_pointer (&link);
  sim.listen_fd = -1;

  if (cards_dir && !load_fixtures (&sim, cards_dir, &error))
    {
      fprintf (stderr, "idcard-sim: %s\n", error->message);
      return 2;
    }
  if (card)
    {
      int i = find_fixture (&sim, card);
      if (i < 0)
        {
          fprintf (stderr, "idcard-sim: no fixture named %s\n", card);
          return 2;
        }
      place (&sim, i);
    }
  for (char **f = fault_specs; f && *f; f++)
    {
      g_auto (GStrv) tok = g_strsplit (*f, " ", -1);
      if (g_str_has_prefix (*f, "disconnect"))
        {
          fprintf (stderr, "idcard-sim: disconnect is a control command, not a start fault\n");
          return 2;
        }
      if (!parse_fault (&sim, tok, &error))
        {
          fprintf (stderr, "idcard-sim: %s\n", error->message);
          return 2;
        }
    }
  if (control_path && (sim.listen_fd = control_listen (control_path, &sim.control_ino, &error)) < 0)
    {
      fprintf (stderr, "idcard-sim: %s\n", error->message);
      return 2;
    }
  if (auto_place > 0 && sim.present < 0)
    sim.auto_place_at = g_get_monotonic_time () + (gint64) auto_place * G_USEC_PER_SEC;
  if (!open_pty (&sim, &error))
    {
      fprintf (stderr, "idcard-sim: %s\n", error->message);
      return 1;
    }

  while (!quit)
    {
      struct pollfd pfd[16];
      int n = 0, timeout = 1000;
      gint64 now = g_get_monotonic_time ();

      if (sim.master < 0 && sim.reconnect_at && now >= sim.reconnect_at && !open_pty (&sim, &error))
        break;
      if (sim.auto_remove_at && now >= sim.auto_remove_at)
        {
          place (&sim, -1);
          sim.auto_place_at = sim.auto_place_off ? 0 : now + (gint64) sim.auto_place_s * G_USEC_PER_SEC;
        }
      if (sim.auto_place_at && now >= sim.auto_place_at && sim.fixtures->len)
        {
          sim.auto_place_at = 0;
          place (&sim, sim.next_auto++ % (int) sim.fixtures->len);
        }
      flush_output (&sim);

      if (!g_queue_is_empty (&sim.out))
        {
          Outgoing *o = g_queue_peek_head (&sim.out);
          timeout = (int) CLAMP ((o->due - now) / 1000, 0, 1000);
        }
      if (sim.reconnect_at || sim.auto_remove_at || sim.auto_place_at)
        timeout = MIN (timeout, 50);
      if (sim.master >= 0)
        pfd[n++] = (struct pollfd){ sim.master, POLLIN, 0 };
      if (sim.listen_fd >= 0)
        pfd[n++] = (struct pollfd){ sim.listen_fd, POLLIN, 0 };
      for (guint i = 0; i < clients->len && n < (int) G_N_ELEMENTS (pfd); i++)
        pfd[n++] = (struct pollfd){ ((Client *) clients->pdata[i])->fd, POLLIN, 0 };

      if (poll (pfd, n, timeout) < 0)
        continue;

      for (int i = 0; i < n; i++)
        {
          if (!pfd[i].revents)
            continue;
          if (pfd[i].fd == sim.master)
            {
              guint8 buf[1024];
              ssize_t got = read (sim.master, buf, sizeof buf);
              if (got > 0)
                {
                  g_byte_array_append (sim.in, buf, (guint) got);
                  handle_input (&sim);
                }
            }
          else if (pfd[i].fd == sim.listen_fd)
            {
              int fd = accept4 (sim.listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
              if (fd >= 0)
                {
                  Client *c = g_new0 (Client, 1);
                  c->fd = fd;
                  c->line = g_string_new (NULL);
                  g_ptr_array_add (clients, c);
                }
            }
          else
            for (guint k = 0; k < clients->len; k++)
              {
                Client *c = clients->pdata[k];
                if (c->fd == pfd[i].fd && !client_read (&sim, c))
                  {
                    g_ptr_array_remove_index (clients, k);
                    break;
                  }
              }
        }
    }

  close_pty (&sim);
  if (sim.listen_fd >= 0)
    {
      GStatBuf now;
      /* Remove the socket only while it is still ours. */
      if (control_path && g_stat (control_path, &now) == 0 && now.st_ino == sim.control_ino)
        g_unlink (control_path);
      close (sim.listen_fd);
    }
  g_ptr_array_unref (sim.fixtures);
  g_array_unref (sim.faults);
  g_byte_array_unref (sim.in);
  g_free (sim.slave_path);
  g_free (sim.link);
  return 0;
}
