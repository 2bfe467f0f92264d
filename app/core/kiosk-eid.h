/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-device.h"
#include "kiosk-identity.h"
#include "kiosk-session.h"

G_BEGIN_DECLS

/* The e-ID QR code (电子身份证 / 网证 shown on a phone) on the identify
 * screen: a seam, off by default ([identity] eid-qr=false). When on, a code
 * the document camera reads while the identify screen shows goes to the
 * identity provider (a KioskEidVerifier), and the identity it answers
 * identifies the resident as a card would (source KIOSK_IDENTITY_SOURCE_EID).
 * When off, such codes are ignored there. No verifier ships: the province's
 * e-ID service is a plug-in of this interface (kiosk_eid_set_verifier), and
 * until one is set an e-ID code is answered with a message. The payload, the
 * ID number and the name never reach a log. */

#define KIOSK_EID_ERROR (kiosk_eid_error_quark ())
GQuark kiosk_eid_error_quark (void);

typedef enum {
  KIOSK_EID_ERROR_NOT_EID,     /* the code is no e-ID code */
  KIOSK_EID_ERROR_REFUSED,     /* the provider refused it (expired, revoked, forged) */
  KIOSK_EID_ERROR_UNAVAILABLE, /* the provider cannot be reached */
} KioskEidError;

/* The identity provider: takes the scanned QR payload, answers an identity
 * or an error, asynchronously (never blocking the main thread). */
#define KIOSK_TYPE_EID_VERIFIER (kiosk_eid_verifier_get_type ())
G_DECLARE_INTERFACE (KioskEidVerifier, kiosk_eid_verifier, KIOSK, EID_VERIFIER, GObject)

struct _KioskEidVerifierInterface {
  GTypeInterface parent_iface;

  void (*verify_async) (KioskEidVerifier *self, const char *payload, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data);
  /* A new identity (the caller frees it), or NULL with KIOSK_EID_ERROR. */
  KioskIdentity *(*verify_finish) (KioskEidVerifier *self, GAsyncResult *result, GError **error);
};

void kiosk_eid_verifier_verify_async (KioskEidVerifier *self, const char *payload, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
KioskIdentity *kiosk_eid_verifier_verify_finish (KioskEidVerifier *self, GAsyncResult *result, GError **error);

/* The identify screen's e-ID reader (the core makes one). */
#define KIOSK_TYPE_EID (kiosk_eid_get_type ())
G_DECLARE_FINAL_TYPE (KioskEid, kiosk_eid, KIOSK, EID, GObject)

/* @camera (may be NULL) is put in barcode mode while the identify screen
 * shows, when @enabled. */
KioskEid *kiosk_eid_new (KioskSession *session, KioskDevice *camera, gboolean enabled);
gboolean kiosk_eid_get_enabled (KioskEid *self);
void kiosk_eid_set_verifier (KioskEid *self, KioskEidVerifier *verifier);
/* A code the camera read: verified when e-ID is on and the identify screen
 * shows; otherwise ignored. */
void kiosk_eid_scanned (KioskEid *self, const char *payload);
/* Whether a code is being verified ("verifying"). */
gboolean kiosk_eid_get_verifying (KioskEid *self);
/* What the last code came to when it identified nobody: a msgid for the
 * identify screen ("message"), NULL otherwise. A failure also raises the
 * session's KIOSK_CARD_NOTICE_EID_FAILED notice. */
const char *kiosk_eid_get_message (KioskEid *self);

G_END_DECLS
