/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-core"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-core.h"

struct _KioskCore {
  GObject parent_instance;
  KioskConfig *config;
  KioskSession *session;
  KioskDeviceManager *devices;
  int backlog;
};

G_DEFINE_FINAL_TYPE (KioskCore, kiosk_core, G_TYPE_OBJECT)

enum { PROP_0, PROP_BACKLOG, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* The home menu, in order. Titles are msgids (N_ marks them for xgettext). */
static const struct {
  const char *id;
  const char *title;
  gboolean requires_identity;
} menu[] = {
  { "guide", N_ ("Service guide"), FALSE },
  { "apply", N_ ("Apply"), TRUE },
  { "certificate", N_ ("Print certificates"), TRUE },
  { "progress", N_ ("Check progress"), FALSE },
  { "proxy", N_ ("Agent service"), TRUE },
};

static void
identity_cb (KioskDevice *device, const KioskIdentity *identity, KioskCore *self)
{
  kiosk_session_identity_read (self->session, identity);
}

static void
kiosk_core_dispose (GObject *object)
{
  KioskCore *self = KIOSK_CORE (object);

  g_clear_object (&self->devices);
  g_clear_object (&self->session);
  g_clear_pointer (&self->config, kiosk_config_unref);
  G_OBJECT_CLASS (kiosk_core_parent_class)->dispose (object);
}

static void
kiosk_core_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskCore *self = KIOSK_CORE (object);
  switch (prop_id)
    {
    case PROP_BACKLOG:
      g_value_set_int (value, self->backlog);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_core_class_init (KioskCoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_core_dispose;
  object_class->get_property = kiosk_core_get_property;
  properties[PROP_BACKLOG] = g_param_spec_int ("backlog", NULL, NULL, -1, G_MAXINT, -1,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_core_init (KioskCore *self)
{
  self->backlog = -1;
}

KioskCore *
kiosk_core_new (KioskConfig *config)
{
  KioskCore *self = g_object_new (KIOSK_TYPE_CORE, NULL);
  KioskDevice *idcard;

  self->config = kiosk_config_ref (config);
  self->session = kiosk_session_new (config);
  self->devices = kiosk_device_manager_new (config);

  for (gsize i = 0; i < G_N_ELEMENTS (menu); i++)
    {
      g_autoptr (KioskJourney) j = kiosk_journey_new_placeholder (menu[i].id, menu[i].title, menu[i].requires_identity);
      kiosk_session_register_journey (self->session, j);
    }

  /* The ID card reader announces each placed card with an "identity"
   * signal (a KioskIdentity); the session decides what it means. */
  idcard = kiosk_device_manager_get (self->devices, "idcard");
  if (g_signal_lookup ("identity", G_OBJECT_TYPE (idcard)) != 0)
    g_signal_connect (idcard, "identity", G_CALLBACK (identity_cb), self);
  return self;
}

KioskConfig *
kiosk_core_get_config (KioskCore *self)
{
  return self->config;
}

KioskSession *
kiosk_core_get_session (KioskCore *self)
{
  return self->session;
}

KioskDeviceManager *
kiosk_core_get_devices (KioskCore *self)
{
  return self->devices;
}

int
kiosk_core_get_backlog (KioskCore *self)
{
  return self->backlog;
}

void
kiosk_core_set_backlog (KioskCore *self, int backlog)
{
  if (self->backlog == backlog)
    return;
  self->backlog = backlog;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKLOG]);
}

void
kiosk_core_start (KioskCore *self)
{
  kiosk_device_manager_start (self->devices);
}

void
kiosk_core_stop (KioskCore *self)
{
  kiosk_device_manager_stop (self->devices);
}
