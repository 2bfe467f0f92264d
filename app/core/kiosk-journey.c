/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-journey"

#include "config.h"

#include "kiosk-journey-registry.h"
#include "kiosk-journey.h"

/* ---- steps ---------------------------------------------------------------- */

struct _KioskJourneyStep {
  GObject parent_instance;
  char *id;
  char *title;
};

G_DEFINE_FINAL_TYPE (KioskJourneyStep, kiosk_journey_step, G_TYPE_OBJECT)

static void
kiosk_journey_step_finalize (GObject *object)
{
  KioskJourneyStep *self = KIOSK_JOURNEY_STEP (object);
  g_free (self->id);
  g_free (self->title);
  G_OBJECT_CLASS (kiosk_journey_step_parent_class)->finalize (object);
}

static void
kiosk_journey_step_class_init (KioskJourneyStepClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_journey_step_finalize;
}

static void
kiosk_journey_step_init (KioskJourneyStep *self)
{
}

KioskJourneyStep *
kiosk_journey_step_new (const char *id, const char *title)
{
  KioskJourneyStep *self = g_object_new (KIOSK_TYPE_JOURNEY_STEP, NULL);
  self->id = g_strdup (id);
  self->title = g_strdup (title);
  return self;
}

const char *
kiosk_journey_step_get_id (KioskJourneyStep *self)
{
  g_return_val_if_fail (KIOSK_IS_JOURNEY_STEP (self), NULL);
  return self->id;
}

const char *
kiosk_journey_step_get_title (KioskJourneyStep *self)
{
  g_return_val_if_fail (KIOSK_IS_JOURNEY_STEP (self), NULL);
  return self->title;
}

/* ---- journeys ------------------------------------------------------------- */

typedef struct {
  char *id;
  char *title;
  gboolean requires_identity;
  gboolean available;
  const KioskJourneyInfo *info; /* static registry row, or NULL */
  GListStore *steps;            /* KioskJourneyStep */
  guint step;
} KioskJourneyPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (KioskJourney, kiosk_journey, G_TYPE_OBJECT)

enum { PROP_0, PROP_ID, PROP_TITLE, PROP_REQUIRES_IDENTITY, PROP_AVAILABLE, PROP_STEP, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
kiosk_journey_finalize (GObject *object)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (KIOSK_JOURNEY (object));
  g_free (priv->id);
  g_free (priv->title);
  g_clear_object (&priv->steps);
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
    case PROP_STEP:
      g_value_set_uint (value, priv->step);
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

static gboolean
kiosk_journey_real_back (KioskJourney *self)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);

  if (priv->step == 0)
    return FALSE;
  kiosk_journey_set_step (self, priv->step - 1);
  return TRUE;
}

static void
kiosk_journey_class_init (KioskJourneyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_journey_finalize;
  object_class->get_property = kiosk_journey_get_property;
  object_class->set_property = kiosk_journey_set_property;
  klass->back = kiosk_journey_real_back;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUIRES_IDENTITY] = g_param_spec_boolean (
      "requires-identity", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AVAILABLE] = g_param_spec_boolean (
      "available", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] = g_param_spec_uint ("step", NULL, NULL, 0, G_MAXUINT, 0,
                                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_journey_init (KioskJourney *self)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  priv->steps = g_list_store_new (KIOSK_TYPE_JOURNEY_STEP);
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

const KioskJourneyInfo *
kiosk_journey_get_info (KioskJourney *self)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  return priv->info;
}

const char *
kiosk_journey_get_icon_name (KioskJourney *self)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  return priv->info && priv->info->icon ? priv->info->icon : "kiosk-view-app-grid-symbolic";
}

const char *
kiosk_journey_get_description (KioskJourney *self)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  return priv->info ? priv->info->description : NULL;
}

GListModel *
kiosk_journey_get_steps (KioskJourney *self)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  return G_LIST_MODEL (priv->steps);
}

guint
kiosk_journey_get_step (KioskJourney *self)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  return priv->step;
}

void
kiosk_journey_set_steps (KioskJourney *self, const char *const *ids_and_titles)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  g_autoptr (GPtrArray) steps = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (KIOSK_IS_JOURNEY (self));
  for (const char *const *p = ids_and_titles; p && p[0] && p[1]; p += 2)
    g_ptr_array_add (steps, kiosk_journey_step_new (p[0], p[1]));
  g_list_store_splice (priv->steps, 0, g_list_model_get_n_items (G_LIST_MODEL (priv->steps)), steps->pdata, steps->len);
  kiosk_journey_set_step (self, 0);
}

void
kiosk_journey_set_step (KioskJourney *self, guint step)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  guint n;

  g_return_if_fail (KIOSK_IS_JOURNEY (self));
  n = g_list_model_get_n_items (G_LIST_MODEL (priv->steps));
  if (n > 0 && step >= n)
    step = n - 1;
  else if (n == 0)
    step = 0;
  if (priv->step == step)
    return;
  priv->step = step;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
}

void
_kiosk_journey_set_info (KioskJourney *self, const KioskJourneyInfo *info)
{
  KioskJourneyPrivate *priv = kiosk_journey_get_instance_private (self);
  priv->info = info;
}

void
_kiosk_journey_begin (KioskJourney *self)
{
  kiosk_journey_set_step (self, 0);
  if (KIOSK_JOURNEY_GET_CLASS (self)->begin)
    KIOSK_JOURNEY_GET_CLASS (self)->begin (self);
}

void
_kiosk_journey_wipe (KioskJourney *self)
{
  if (KIOSK_JOURNEY_GET_CLASS (self)->wipe)
    KIOSK_JOURNEY_GET_CLASS (self)->wipe (self);
  kiosk_journey_set_step (self, 0);
}

gboolean
_kiosk_journey_identity_read (KioskJourney *self, const KioskIdentity *identity)
{
  if (KIOSK_JOURNEY_GET_CLASS (self)->identity_read)
    return KIOSK_JOURNEY_GET_CLASS (self)->identity_read (self, identity);
  return FALSE;
}

void
_kiosk_journey_barcode (KioskJourney *self, const char *format, const char *text)
{
  if (KIOSK_JOURNEY_GET_CLASS (self)->barcode)
    KIOSK_JOURNEY_GET_CLASS (self)->barcode (self, format, text);
}

void
_kiosk_journey_page_captured (KioskJourney *self, GBytes *jpeg, int width, int height, int dpi, const char *message)
{
  if (KIOSK_JOURNEY_GET_CLASS (self)->page_captured)
    KIOSK_JOURNEY_GET_CLASS (self)->page_captured (self, jpeg, width, height, dpi, message);
}

void
_kiosk_journey_print_progress (KioskJourney *self, const char *document, KioskJourneyPrintState state,
                               const char *message)
{
  if (KIOSK_JOURNEY_GET_CLASS (self)->print_progress)
    KIOSK_JOURNEY_GET_CLASS (self)->print_progress (self, document, state, message);
}

void
_kiosk_journey_pad_key (KioskJourney *self, guint key)
{
  if (KIOSK_JOURNEY_GET_CLASS (self)->pad_key)
    KIOSK_JOURNEY_GET_CLASS (self)->pad_key (self, key);
}

gboolean
_kiosk_journey_back (KioskJourney *self)
{
  if (KIOSK_JOURNEY_GET_CLASS (self)->back)
    return KIOSK_JOURNEY_GET_CLASS (self)->back (self);
  return FALSE;
}
