/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-journey"

#include "config.h"

#include "kiosk-journey.h"

typedef struct {
  char *id;
  char *title;
  gboolean requires_identity;
  gboolean available;
} KioskJourneyPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (KioskJourney, kiosk_journey, G_TYPE_OBJECT)

enum { PROP_0, PROP_ID, PROP_TITLE, PROP_REQUIRES_IDENTITY, PROP_AVAILABLE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
kiosk_journey_finalize (GObject *object)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (KIOSK_JOURNEY (object));
  g_free (priv->id);
  g_free (priv->title);
  G_OBJECT_CLASS (kiosk_journey_parent_class)->finalize (object);
}

static void
kiosk_journey_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (KIOSK_JOURNEY (object));
  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, priv->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_REQUIRES_IDENTITY:
      g_value_set_boolean (value, priv->requires_identity);
      break;
    case PROP_AVAILABLE:
      g_value_set_boolean (value, priv->available);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_journey_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (KIOSK_JOURNEY (object));
  switch (prop_id)
    {
    case PROP_ID:
      priv->id = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      priv->title = g_value_dup_string (value);
      break;
    case PROP_REQUIRES_IDENTITY:
      priv->requires_identity = g_value_get_boolean (value);
      break;
    case PROP_AVAILABLE:
      priv->available = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_journey_class_init (KioskJourneyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_journey_finalize;
  object_class->get_property = kiosk_journey_get_property;
  object_class->set_property = kiosk_journey_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUIRES_IDENTITY] = g_param_spec_boolean (
      "requires-identity", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AVAILABLE] = g_param_spec_boolean (
      "available", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_journey_init (KioskJourney *self)
{
}

const char *
kiosk_journey_get_id (KioskJourney *self)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  return priv->id;
}

const char *
kiosk_journey_get_title (KioskJourney *self)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  return priv->title;
}

gboolean
kiosk_journey_get_requires_identity (KioskJourney *self)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  return priv->requires_identity;
}

gboolean
kiosk_journey_get_available (KioskJourney *self)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  return priv->available;
}

KioskJourney *
kiosk_journey_new_placeholder (const char *id, const char *title, gboolean requires_identity)
{
  return g_object_new (KIOSK_TYPE_JOURNEY, "id", id, "title", title, "requires-identity", requires_identity,
                       "available", FALSE, NULL);
}

void
_kiosk_journey_begin (KioskJourney *self)
{
  if (KIOSK_JOURNEY_GET_CLASS (self)->begin)
    KIOSK_JOURNEY_GET_CLASS (self)->begin (self);
}

void
_kiosk_journey_wipe (KioskJourney *self)
{
  if (KIOSK_JOURNEY_GET_CLASS (self)->wipe)
    KIOSK_JOURNEY_GET_CLASS (self)->wipe (self);
}
