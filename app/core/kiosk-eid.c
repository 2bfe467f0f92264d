/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-eid"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "camera-device.h"
#include "kiosk-eid.h"

G_DEFINE_QUARK (kiosk - eid - error - quark, kiosk_eid_error)

G_DEFINE_INTERFACE (KioskEidVerifier, kiosk_eid_verifier, G_TYPE_OBJECT)

static void
kiosk_eid_verifier_default_init (KioskEidVerifierInterface *iface)
{
}

void
kiosk_eid_verifier_verify_async (KioskEidVerifier *self, const char *payload, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (KIOSK_IS_EID_VERIFIER (self));
  KIOSK_EID_VERIFIER_GET_IFACE (self)->verify_async (self, payload, cancellable, callback, user_data);
}

KioskIdentity *
kiosk_eid_verifier_verify_finish (KioskEidVerifier *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_EID_VERIFIER (self), NULL);
  return KIOSK_EID_VERIFIER_GET_IFACE (self)->verify_finish (self, result, error);
}

/* ---- the identify screen's reader ----------------------------------------- */

struct _KioskEid {
  GObject parent_instance;
  KioskSession *session; /* weak: the core owns both */
  KioskDevice *camera;   /* weak, may be NULL */
  gboolean enabled;
  KioskEidVerifier *verifier;
  GCancellable *cancellable; /* the verification under way, or NULL */
  char *last_payload;        /* personal: overwritten; the code last verified */
  const char *message;
  gulong state_handler;
  gulong barcode_handler;
};

G_DEFINE_FINAL_TYPE (KioskEid, kiosk_eid, G_TYPE_OBJECT)

enum { PROP_0, PROP_VERIFYING, PROP_MESSAGE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
set_message (KioskEid *self, const char *msgid)
{
  if (self->message == msgid)
    return;
  self->message = msgid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
forget (KioskEid *self)
{
  gboolean was = self->cancellable != NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  kiosk_secure_free (g_steal_pointer (&self->last_payload));
  set_message (self, NULL);
  if (was)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFYING]);
}

/* While the identify screen shows, the camera looks for codes (after the
 * core has set the journey's mode: connected after it). */
static void
session_state_cb (KioskSession *session, GParamSpec *pspec, KioskEid *self)
{
  gboolean identify = kiosk_session_get_state (session) == KIOSK_SESSION_IDENTIFY;

  if (!identify)
    {
      forget (self);
      return;
    }
  if (self->enabled && self->camera && KIOSK_IS_CAMERA_DEVICE (self->camera))
    kiosk_camera_device_set_scan_mode (KIOSK_CAMERA_DEVICE (self->camera), KIOSK_CAMERA_SCAN_BARCODE);
}

static void
barcode_cb (KioskDevice *camera, const char *format, const char *text, KioskEid *self)
{
  kiosk_eid_scanned (self, text);
}

static void
verified_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskEid *self = data; /* a reference, held by the call */
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskIdentity) identity = kiosk_eid_verifier_verify_finish (KIOSK_EID_VERIFIER (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL
      || g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (self);
      return;
    }
  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFYING]);
  if (identity == NULL || identity->id_number == NULL || *identity->id_number == '\0')
    {
      /* Domain and code only: the provider's words may quote the code. */
      g_info ("e-ID code not accepted (%s %d)", error ? g_quark_to_string (error->domain) : "no identity",
              error ? error->code : 0);
      if (g_error_matches (error, KIOSK_EID_ERROR, KIOSK_EID_ERROR_UNAVAILABLE))
        set_message (self, N_ ("The e-ID service cannot be reached right now. Please place your ID card on the "
                               "reader."));
      else if (g_error_matches (error, KIOSK_EID_ERROR, KIOSK_EID_ERROR_NOT_EID))
        set_message (self, N_ ("This code is not an e-ID code. Please show the e-ID code on your phone, or place "
                               "your ID card on the reader."));
      else
        set_message (self, N_ ("This e-ID code could not be verified. Please refresh the code on your phone and "
                               "show it again, or place your ID card on the reader."));
      kiosk_session_card_notice (self->session, KIOSK_CARD_NOTICE_EID_FAILED);
      g_object_unref (self);
      return;
    }
  g_info ("e-ID code verified");
  identity->source = KIOSK_IDENTITY_SOURCE_EID;
  set_message (self, NULL);
  kiosk_session_identity_read (self->session, identity);
  g_object_unref (self);
}

void
kiosk_eid_scanned (KioskEid *self, const char *payload)
{
  g_return_if_fail (KIOSK_IS_EID (self));
  if (!self->enabled || payload == NULL || *payload == '\0'
      || kiosk_session_get_state (self->session) != KIOSK_SESSION_IDENTIFY)
    return;
  /* The camera reads the same code many times a second: once is enough
   * (a failed one too, until another code is shown). */
  if (self->cancellable != NULL || g_strcmp0 (payload, self->last_payload) == 0)
    return;
  kiosk_secure_free (self->last_payload);
  self->last_payload = g_strdup (payload);
  if (self->verifier == NULL)
    {
      g_info ("e-ID code read, but no e-ID verifier is installed");
      set_message (self, N_ ("e-ID codes cannot be checked on this kiosk. Please place your ID card on the reader."));
      kiosk_session_card_notice (self->session, KIOSK_CARD_NOTICE_EID_FAILED);
      return;
    }
  set_message (self, NULL);
  self->cancellable = g_cancellable_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFYING]);
  kiosk_eid_verifier_verify_async (self->verifier, payload, self->cancellable, verified_cb, g_object_ref (self));
}

gboolean
kiosk_eid_get_enabled (KioskEid *self)
{
  g_return_val_if_fail (KIOSK_IS_EID (self), FALSE);
  return self->enabled;
}

void
kiosk_eid_set_verifier (KioskEid *self, KioskEidVerifier *verifier)
{
  g_return_if_fail (KIOSK_IS_EID (self));
  g_return_if_fail (verifier == NULL || KIOSK_IS_EID_VERIFIER (verifier));
  forget (self);
  g_set_object (&self->verifier, verifier);
}

gboolean
kiosk_eid_get_verifying (KioskEid *self)
{
  g_return_val_if_fail (KIOSK_IS_EID (self), FALSE);
  return self->cancellable != NULL;
}

const char *
kiosk_eid_get_message (KioskEid *self)
{
  g_return_val_if_fail (KIOSK_IS_EID (self), NULL);
  return self->message;
}

static void
kiosk_eid_dispose (GObject *object)
{
  KioskEid *self = KIOSK_EID (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session)
    g_clear_signal_handler (&self->state_handler, self->session);
  if (self->camera)
    g_clear_signal_handler (&self->barcode_handler, self->camera);
  g_clear_weak_pointer (&self->session);
  g_clear_weak_pointer (&self->camera);
  g_clear_object (&self->verifier);
  kiosk_secure_free (g_steal_pointer (&self->last_payload));
  G_OBJECT_CLASS (kiosk_eid_parent_class)->dispose (object);
}

static void
kiosk_eid_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskEid *self = KIOSK_EID (object);

  switch (prop_id)
    {
    case PROP_VERIFYING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_eid_class_init (KioskEidClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_eid_dispose;
  object_class->get_property = kiosk_eid_get_property;
  properties[PROP_VERIFYING] = g_param_spec_boolean (
      "verifying", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_eid_init (KioskEid *self)
{
}

KioskEid *
kiosk_eid_new (KioskSession *session, KioskDevice *camera, gboolean enabled)
{
  KioskEid *self = g_object_new (KIOSK_TYPE_EID, NULL);

  g_return_val_if_fail (KIOSK_IS_SESSION (session), NULL);
  g_set_weak_pointer (&self->session, session);
  self->enabled = enabled;
  self->state_handler = g_signal_connect_after (session, "notify::state", G_CALLBACK (session_state_cb), self);
  if (camera && g_signal_lookup ("barcode", G_OBJECT_TYPE (camera)) != 0)
    {
      g_set_weak_pointer (&self->camera, camera);
      self->barcode_handler = g_signal_connect (camera, "barcode", G_CALLBACK (barcode_cb), self);
    }
  return self;
}
