/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-idcard"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "idcard-transport.h"

typedef struct {
  IdcardTransport parent;
  int fd;
} SerialTransport;

static speed_t
baud_to_speed (int baud)
{
  switch (baud)
    {
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
    default:
      return B115200;
    }
}

static gboolean
serial_send (IdcardTransport *t, const guint8 *frame, gsize len, GError **error)
{
  SerialTransport *self = (SerialTransport *) t;
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = write (self->fd, frame + done, len - done);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        {
          struct pollfd pfd = { self->fd, POLLOUT, 0 };
          if (poll (&pfd, 1, 200) <= 0)
            {
              g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_DISCONNECTED, "%s: write stalled", t->description);
              return FALSE;
            }
          continue;
        }
      if (n <= 0)
        {
          g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_DISCONNECTED, "%s: write: %s", t->description,
                       g_strerror (errno));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

static gssize
serial_recv (IdcardTransport *t, guint8 *buf, gsize cap, int timeout_ms, GCancellable *cancellable, GError **error)
{
  SerialTransport *self = (SerialTransport *) t;
  struct pollfd pfd[2] = { { self->fd, POLLIN, 0 }, { -1, POLLIN, 0 } };
  GPollFD cfd;
  int nfds = 1, r;
  ssize_t n;

  if (cancellable && g_cancellable_make_pollfd (cancellable, &cfd))
    {
      pfd[1].fd = cfd.fd;
      nfds = 2;
    }
  r = poll (pfd, nfds, timeout_ms);
  if (nfds == 2)
    g_cancellable_release_fd (cancellable);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_CANCELLED, "cancelled");
      return -1;
    }
  if (r < 0 && errno == EINTR)
    return 0;
  if (r < 0)
    {
      g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_DISCONNECTED, "%s: poll: %s", t->description, g_strerror (errno));
      return -1;
    }
  if (r == 0)
    return 0;
  if (pfd[0].revents & POLLIN)
    {
      n = read (self->fd, buf, cap);
      if (n > 0)
        return n;
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    }
  /* POLLHUP, POLLERR, EOF or EIO: the port (or the pty's other end) is gone. */
  g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_DISCONNECTED, "%s: the reader went away", t->description);
  return -1;
}

static void
serial_flush (IdcardTransport *t)
{
  tcflush (((SerialTransport *) t)->fd, TCIFLUSH);
}

static void
serial_free (IdcardTransport *t)
{
  SerialTransport *self = (SerialTransport *) t;
  if (self->fd >= 0)
    close (self->fd);
  g_free (t->description);
  g_free (self);
}

IdcardTransport *
idcard_serial_open (const char *path, int baud, GError **error)
{
  SerialTransport *self;
  struct termios tio;
  int fd;

  fd = open (path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_NOT_FOUND, "%s: %s", path, g_strerror (e));
      return NULL;
    }
  if (tcgetattr (fd, &tio) < 0)
    {
      int e = errno;
      close (fd);
      g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_NOT_FOUND, "%s: not a serial port: %s", path, g_strerror (e));
      return NULL;
    }
  /* 8N1, raw, no flow control. */
  cfmakeraw (&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;
  cfsetispeed (&tio, baud_to_speed (baud));
  cfsetospeed (&tio, baud_to_speed (baud));
  if (tcsetattr (fd, TCSANOW, &tio) < 0)
    {
      int e = errno;
      close (fd);
      g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_NOT_FOUND, "%s: cannot configure: %s", path, g_strerror (e));
      return NULL;
    }
  tcflush (fd, TCIOFLUSH);

  self = g_new0 (SerialTransport, 1);
  self->fd = fd;
  self->parent.kind = "serial";
  self->parent.description = g_strdup_printf ("%s @%d", path, baud);
  self->parent.send = serial_send;
  self->parent.recv = serial_recv;
  self->parent.flush = serial_flush;
  self->parent.free = serial_free;
  return &self->parent;
}

IdcardTransport *
idcard_serial_probe (const char *const *ports, int baud, GCancellable *cancellable, GError **error)
{
  g_autoptr (GString) tried = g_string_new (NULL);

  for (const char *const *p = ports; p && *p; p++)
    {
      g_autoptr (GError) local = NULL;
      IdcardTransport *t = idcard_serial_open (*p, baud, &local);
      g_autoptr (IdcardReader) reader = NULL;
      SamReply reply;

      if (t == NULL)
        {
          g_string_append_printf (tried, "%s%s", tried->len ? "; " : "", local->message);
          continue;
        }
      reader = idcard_reader_new (t, cancellable);
      if (idcard_reader_transact (reader, SAM_CMD_STATUS, IDCARD_STATUS_BUDGET_MS, &reply, &local)
          && reply.sw3 == SAM_SW3_OK)
        {
          /* Hand the transport over to the caller. */
          reader->transport = NULL;
          return t;
        }
      g_string_append_printf (tried, "%s%s: %s", tried->len ? "; " : "", *p,
                              local ? local->message : "SAM status not 90");
      if (g_cancellable_is_cancelled (cancellable))
        break;
    }
  g_set_error (error, IDCARD_ERROR, IDCARD_ERROR_NOT_FOUND, "no reader answered SAM status (%s)",
               tried->len ? tried->str : "no ports configured");
  return NULL;
}
