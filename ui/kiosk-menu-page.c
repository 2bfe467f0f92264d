/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kiosk-journey-page.h"
#include "kiosk-menu-page.h"
#include "kiosk-ui.h"

struct _KioskMenuPage {
  GtkWidget parent_instance;

  KioskCore *core;
  GPtrArray *descriptions; /* the tiles' description labels (owned by the tiles) */

  GtkLabel *greeting_label;
  GtkBox *identity_box;
  GtkLabel *name_label;
  GtkLabel *id_label;
  GtkGrid *tiles_grid;
  GtkToggleButton *elder_button;
  GtkSwitch *elder_switch;
  GtkBox *elder_offer;
  GtkButton *language_button;
  GtkLabel *language_label;
  GtkButton *finish_button;
};

G_DEFINE_FINAL_TYPE (KioskMenuPage, kiosk_menu_page, GTK_TYPE_WIDGET)

#define TILES_PER_ROW 3

/* Set on the session once 长辈模式 was offered to this session's card holder
 * (the page is rebuilt on a language change; the offer is not repeated). */
#define ELDER_OFFERED_KEY "kiosk-menu-elder-offered"

static gboolean
parse_digits (const char *s, guint n, int *out)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

int
kiosk_age_on (const char *birth_date, GDateTime *today)
{
  int y, m, d, age;
  gsize len = birth_date ? strlen (birth_date) : 0;
  int ty = g_date_time_get_year (today), tm = g_date_time_get_month (today), td = g_date_time_get_day_of_month (today);

  if (len == 10 && birth_date[4] == '-' && birth_date[7] == '-')
    {
      if (!parse_digits (birth_date, 4, &y) || !parse_digits (birth_date + 5, 2, &m)
          || !parse_digits (birth_date + 8, 2, &d))
        return -1;
    }
  else if (len == 8)
    {
      if (!parse_digits (birth_date, 4, &y) || !parse_digits (birth_date + 4, 2, &m)
          || !parse_digits (birth_date + 6, 2, &d))
        return -1;
    }
  else
    return -1;
  if (y < 1800 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return -1;
  age = ty - y - ((tm < m || (tm == m && td < d)) ? 1 : 0);
  return age >= 0 ? age : -1;
}

int
kiosk_identity_age_on (const KioskIdentity *identity, GDateTime *today)
{
  int age;
  char digits[9];

  if (identity == NULL)
    return -1;
  age = kiosk_age_on (identity->birth_date, today);
  if (age >= 0)
    return age;
  if ((identity->card_type == KIOSK_CARD_RESIDENT || identity->card_type == KIOSK_CARD_HMT_PERMIT)
      && identity->id_number != NULL && strlen (identity->id_number) == 18)
    {
      memcpy (digits, identity->id_number + 6, 8);
      digits[8] = '\0';
      age = kiosk_age_on (digits, today);
      memset (digits, 0, sizeof digits);
      return age;
    }
  return -1;
}

/* The offer takes the greeting's place (so the menu still fits). */
static void
show_elder_offer (KioskMenuPage *self, gboolean show)
{
  gtk_widget_set_visible (GTK_WIDGET (self->elder_offer), show);
  gtk_widget_set_visible (GTK_WIDGET (self->greeting_label), !show);
}

static void
hide_elder_offer (KioskMenuPage *self)
{
  show_elder_offer (self, FALSE);
}

/* Offered once per session, when the card holder is 60 or more and
 * 长辈模式 is off. */
static void
update_elder_offer (KioskMenuPage *self)
{
  KioskSession *session = kiosk_core_get_session (self->core);
  const KioskIdentity *id = kiosk_session_get_identity (session);
  g_autoptr (GDateTime) now = NULL;

  if (id == NULL || kiosk_session_get_elder_mode (session))
    {
      hide_elder_offer (self);
      return;
    }
  if (g_object_get_data (G_OBJECT (session), ELDER_OFFERED_KEY) != NULL)
    return;
  now = g_date_time_new_now_local ();
  if (kiosk_identity_age_on (id, now) < KIOSK_ELDER_OFFER_AGE)
    return;
  g_object_set_data (G_OBJECT (session), ELDER_OFFERED_KEY, GINT_TO_POINTER (1));
  show_elder_offer (self, TRUE);
}

static void
elder_accept_cb (GtkButton *button, KioskMenuPage *self)
{
  hide_elder_offer (self);
  kiosk_session_set_elder_mode (kiosk_core_get_session (self->core), TRUE);
}

static void
elder_decline_cb (GtkButton *button, KioskMenuPage *self)
{
  hide_elder_offer (self);
}

static void
clear_identity (KioskMenuPage *self)
{
  /* Empty the labels themselves: hiding them would leave the text in
   * memory and in the accessibility tree. */
  gtk_label_set_text (self->name_label, "");
  gtk_label_set_text (self->id_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->identity_box), FALSE);
}

static void
update_identity (KioskMenuPage *self)
{
  const KioskIdentity *id = kiosk_session_get_identity (kiosk_core_get_session (self->core));
  g_autofree char *name = NULL;
  g_autofree char *number = NULL;

  if (id == NULL)
    {
      clear_identity (self);
      return;
    }
  name = kiosk_mask_name (id->name != NULL && *id->name != '\0' ? id->name : id->name_en);
  number = kiosk_mask_id_number (id->id_number);
  gtk_label_set_text (self->name_label, name ? name : "");
  gtk_label_set_text (self->id_label, number ? number : "");
  gtk_widget_set_visible (GTK_WIDGET (self->identity_box), TRUE);
}

static void
identified_cb (KioskSession *session, GParamSpec *pspec, KioskMenuPage *self)
{
  update_identity (self);
  update_elder_offer (self);
}

static void
wipe_cb (KioskSession *session, KioskMenuPage *self)
{
  clear_identity (self);
  hide_elder_offer (self);
  g_object_set_data (G_OBJECT (session), ELDER_OFFERED_KEY, NULL);
}

static void
update_language (KioskMenuPage *self)
{
  const char *lang = kiosk_session_get_language (kiosk_core_get_session (self->core));

  /* Each language is named in itself, so either reader finds it. */
  if (g_strcmp0 (lang, "en") == 0)
    gtk_label_set_text (self->language_label, "中文");
  else
    gtk_label_set_text (self->language_label, "English");
}

static void
language_cb (GtkButton *button, KioskMenuPage *self)
{
  KioskSession *session = kiosk_core_get_session (self->core);
  const char *lang = kiosk_session_get_language (session);

  kiosk_session_set_language (session, g_strcmp0 (lang, "en") == 0 ? "zh_CN" : "en");
}

static void
finish_cb (GtkButton *button, KioskMenuPage *self)
{
  kiosk_session_finish (kiosk_core_get_session (self->core));
}

static void
tile_clicked_cb (GtkButton *button, KioskMenuPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "journey-id");

  kiosk_session_select_journey (kiosk_core_get_session (self->core), id);
}

static GtkWidget *
make_tile (KioskMenuPage *self, KioskJourney *journey)
{
  const char *id = kiosk_journey_get_id (journey);
  const char *description = kiosk_journey_get_description (journey);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 28);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *icon_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *icon = gtk_image_new_from_icon_name (kiosk_journey_get_icon_name (journey));
  GtkWidget *title = gtk_label_new (_ (kiosk_journey_get_title (journey)));
  g_autofree char *id_class = g_strdup_printf ("tile-%s", id);

  gtk_widget_add_css_class (button, "tile");
  gtk_widget_add_css_class (button, id_class);
  gtk_widget_set_name (button, id);
  g_object_set_data_full (G_OBJECT (button), "journey-id", g_strdup (id), g_free);

  gtk_image_set_pixel_size (GTK_IMAGE (icon), 56);
  gtk_widget_add_css_class (icon_box, "tile-icon");
  gtk_widget_set_valign (icon_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (icon_box), icon);
  gtk_box_append (GTK_BOX (box), icon_box);

  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_widget_add_css_class (title, "tile-title");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_box_append (GTK_BOX (text), title);

  if (description != NULL)
    {
      GtkWidget *desc = gtk_label_new (_ (description));
      gtk_widget_add_css_class (desc, "tile-description");
      gtk_label_set_xalign (GTK_LABEL (desc), 0);
      gtk_label_set_wrap (GTK_LABEL (desc), TRUE);
      g_ptr_array_add (self->descriptions, desc);
      gtk_box_append (GTK_BOX (text), desc);
    }
  if (!kiosk_journey_get_available (journey))
    {
      GtkWidget *badge = gtk_label_new (_ ("Not available yet"));
      gtk_widget_add_css_class (badge, "tile-badge");
      gtk_widget_set_halign (badge, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (text), badge);
      gtk_widget_add_css_class (button, "tile-unavailable");
    }
  gtk_box_append (GTK_BOX (box), text);
  gtk_button_set_child (GTK_BUTTON (button), box);
  g_signal_connect (button, "clicked", G_CALLBACK (tile_clicked_cb), self);
  return button;
}

/* 长辈模式 and small screens keep the tiles to their titles: fewer words,
 * larger, and everything fits. */
static void
update_descriptions (KioskMenuPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean compact = root != NULL && gtk_widget_has_css_class (GTK_WIDGET (root), "compact");
  gboolean show = !compact && !kiosk_session_get_elder_mode (kiosk_core_get_session (self->core));

  for (guint i = 0; i < self->descriptions->len; i++)
    gtk_widget_set_visible (self->descriptions->pdata[i], show);
}

static void
elder_cb (KioskSession *session, GParamSpec *pspec, KioskMenuPage *self)
{
  update_descriptions (self);
  if (kiosk_session_get_elder_mode (session))
    hide_elder_offer (self);
}

static void
kiosk_menu_page_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kiosk_menu_page_parent_class)->root (widget);
  update_descriptions (KIOSK_MENU_PAGE (widget));
}

static void
rebuild_tiles (KioskMenuPage *self)
{
  GListModel *journeys = kiosk_session_get_journeys (kiosk_core_get_session (self->core));
  guint n = g_list_model_get_n_items (journeys);
  GtkWidget *child;

  g_ptr_array_set_size (self->descriptions, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tiles_grid))) != NULL)
    gtk_grid_remove (self->tiles_grid, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (KioskJourney) journey = g_list_model_get_item (journeys, i);
      gtk_grid_attach (self->tiles_grid, make_tile (self, journey), i % TILES_PER_ROW, i / TILES_PER_ROW, 1, 1);
    }
  update_descriptions (self);
}

static void
journeys_changed_cb (GListModel *model, guint position, guint removed, guint added, KioskMenuPage *self)
{
  rebuild_tiles (self);
}

GtkWidget *
kiosk_menu_page_new (KioskCore *core)
{
  KioskMenuPage *self = g_object_new (KIOSK_TYPE_MENU_PAGE, NULL);
  KioskSession *session = kiosk_core_get_session (core);

  self->core = g_object_ref (core);
  g_object_bind_property (session, "elder-mode", self->elder_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (session, "elder-mode", self->elder_switch, "active", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (session, "notify::identified", G_CALLBACK (identified_cb), self, 0);
  g_signal_connect_object (session, "wipe", G_CALLBACK (wipe_cb), self, 0);
  g_signal_connect_object (session, "notify::elder-mode", G_CALLBACK (elder_cb), self, 0);
  g_signal_connect_object (kiosk_session_get_journeys (session), "items-changed", G_CALLBACK (journeys_changed_cb),
                           self, 0);
  rebuild_tiles (self);
  update_identity (self);
  update_elder_offer (self);
  update_language (self);
  return GTK_WIDGET (self);
}

static void
kiosk_menu_page_dispose (GObject *object)
{
  KioskMenuPage *self = KIOSK_MENU_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KIOSK_TYPE_MENU_PAGE);
  _kiosk_widget_unparent_children (GTK_WIDGET (self));
  g_ptr_array_set_size (self->descriptions, 0);
  g_clear_object (&self->core);
  G_OBJECT_CLASS (kiosk_menu_page_parent_class)->dispose (object);
}

static void
kiosk_menu_page_finalize (GObject *object)
{
  KioskMenuPage *self = KIOSK_MENU_PAGE (object);

  g_ptr_array_unref (self->descriptions);
  G_OBJECT_CLASS (kiosk_menu_page_parent_class)->finalize (object);
}

static void
kiosk_menu_page_class_init (KioskMenuPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_menu_page_dispose;
  object_class->finalize = kiosk_menu_page_finalize;
  widget_class->root = kiosk_menu_page_root;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/cn/gov/kiosk/kiosk-menu-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KioskMenuPage, greeting_label);
  gtk_widget_class_bind_template_child (widget_class, KioskMenuPage, identity_box);
  gtk_widget_class_bind_template_child (widget_class, KioskMenuPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, KioskMenuPage, id_label);
  gtk_widget_class_bind_template_child (widget_class, KioskMenuPage, tiles_grid);
  gtk_widget_class_bind_template_child (widget_class, KioskMenuPage, elder_button);
  gtk_widget_class_bind_template_child (widget_class, KioskMenuPage, elder_switch);
  gtk_widget_class_bind_template_child (widget_class, KioskMenuPage, elder_offer);
  gtk_widget_class_bind_template_child (widget_class, KioskMenuPage, language_button);
  gtk_widget_class_bind_template_child (widget_class, KioskMenuPage, language_label);
  gtk_widget_class_bind_template_child (widget_class, KioskMenuPage, finish_button);
  gtk_widget_class_bind_template_callback (widget_class, language_cb);
  gtk_widget_class_bind_template_callback (widget_class, finish_cb);
  gtk_widget_class_bind_template_callback (widget_class, elder_accept_cb);
  gtk_widget_class_bind_template_callback (widget_class, elder_decline_cb);
}

static void
kiosk_menu_page_init (KioskMenuPage *self)
{
  self->descriptions = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
