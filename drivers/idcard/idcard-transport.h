/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Transports move SAM frames to and from a reader; they know nothing of
 * what the bytes mean (that is sam-codec). All calls block: they run on the
 * reader's worker thread, or in kioskctl. */

#include <gio/gio.h>

#include "sam-codec.h"

G_BEGIN_DECLS

#define IDCARD_ERROR (idcard_error_quark ())
GQuark idcard_error_quark (void);

typedef enum {
  IDCARD_ERROR_NOT_FOUND,    /* no reader on any candidate port / USB id */
  IDCARD_ERROR_DISCONNECTED, /* the reader went away (I/O error, unplug) */
  IDCARD_ERROR_TIMEOUT,      /* no reply within the time budget */
  IDCARD_ERROR_LENGTH,       /* a reply shorter or longer than its LEN */
  IDCARD_ERROR_CHECKSUM,     /* a reply with a bad CHK */
  IDCARD_ERROR_STATUS,       /* the reader answered with an error SW3 */
  IDCARD_ERROR_FORMAT,       /* a reply that cannot be decoded */
  IDCARD_ERROR_NO_CARD,      /* find card: no card (SW3 80) */
  IDCARD_ERROR_CANCELLED,
} IdcardError;

typedef struct _IdcardTransport IdcardTransport;

struct _IdcardTransport {
  const char *kind;  /* "serial", "usb" */
  char *description; /* for the technician: "/dev/ttyUSB0 @115200" */
  /* Sends one whole frame. */
  gboolean (*send) (IdcardTransport *self, const guint8 *frame, gsize len, GError **error);
  /* Waits up to @timeout_ms for bytes: >0 bytes read, 0 nothing yet, -1
   * with @error on failure (DISCONNECTED, CANCELLED). */
  gssize (*recv) (IdcardTransport *self, guint8 *buf, gsize cap, int timeout_ms, GCancellable *cancellable,
                  GError **error);
  /* Drops bytes not read yet. */
  void (*flush) (IdcardTransport *self);
  void (*free) (IdcardTransport *self);
};

void idcard_transport_free (IdcardTransport *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IdcardTransport, idcard_transport_free)

/* Serial (termios). @baud: 115200, 57600, 38400, 19200 or 9600. */
IdcardTransport *idcard_serial_open (const char *path, int baud, GError **error);
/* The first of @ports where a reader answers SAM status (11 FF) with 90. */
IdcardTransport *idcard_serial_probe (const char *const *ports, int baud, GCancellable *cancellable, GError **error);

/* USB vendor bulk (libusb): the first device whose VID:PID is in @ids
 * ("0400:c35a"). */
IdcardTransport *idcard_usb_open (const char *const *ids, GError **error);
/* Waits up to @timeout_ms for a hotplug event of a reader in @ids (or just
 * sleeps when hotplug is not available). TRUE when one arrived. */
gboolean idcard_usb_wait_arrival (const char *const *ids, int timeout_ms, GCancellable *cancellable);

/* Sleeps @ms unless @cancellable fires first (then FALSE). */
gboolean idcard_sleep (int ms, GCancellable *cancellable);

/* ---- the protocol on top of a transport ---------------------------------- */

typedef struct {
  IdcardTransport *transport;
  SamParser parser;
  GCancellable *cancellable;
  guint64 stale_replies; /* replies that did not fit the command, dropped */
} IdcardReader;

/* Takes @transport. */
IdcardReader *idcard_reader_new (IdcardTransport *transport, GCancellable *cancellable);
void idcard_reader_free (IdcardReader *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IdcardReader, idcard_reader_free)

/* Sends CMD PARA and waits up to @timeout_ms for the reply that fits it.
 * @reply points into the reader and stays valid until the next call. A
 * reply with an error SW3 is returned as it is (TRUE): the caller decides.
 * FALSE on TIMEOUT, LENGTH, CHECKSUM, DISCONNECTED, CANCELLED. */
gboolean idcard_reader_transact (IdcardReader *self, guint8 cmd, guint8 para, int timeout_ms, SamReply *reply,
                                 GError **error);

/* Time budgets (ms), as working drivers use them. */
#define IDCARD_FIND_BUDGET_MS 800
#define IDCARD_SELECT_BUDGET_MS 500
#define IDCARD_STATUS_BUDGET_MS 500
/* Read: about 1.1 s for the card plus the transfer of 2321 bytes. */
int idcard_read_budget_ms (int baud);

/* Find card: TRUE when a card answers (9F); FALSE with NO_CARD (80),
 * STATUS (another SW3) or a transport error. */
gboolean idcard_reader_find (IdcardReader *self, guint8 *status_out, GError **error);
/* Select and read the card find reported (STATUS, FORMAT or transport
 * errors). */
SamCard *idcard_reader_select_and_read (IdcardReader *self, int baud, gboolean fingerprints, gboolean keep_photo,
                                        guint8 *status_out, GError **error);

/* find -> select -> read for one card. NO_CARD when none is there; STATUS
 * (with the SW3 in the message) / FORMAT / transport errors otherwise.
 * @fingerprints: read with 30 10. */
SamCard *idcard_reader_read_card (IdcardReader *self, int baud, gboolean fingerprints, gboolean keep_photo,
                                  guint8 *status_out, GError **error);

/* SAM id ("05.01-...") */
char *idcard_reader_sam_id (IdcardReader *self, GError **error);

G_END_DECLS
