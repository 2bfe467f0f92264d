/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-form-field"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kiosk-form-field.h"
#include "kiosk-widgets.h"

#define ID_NUMBER_LENGTH 18
#define DATE_DIGITS 8
#define CHOICES_PER_ROW 3

struct _KioskFormFieldWidget {
  GtkWidget parent_instance;

  KioskFormFieldKind kind;
  char *label_text;

  GtkWidget *label;
  GtkWidget *stack;   /* "edit": entry or choices; "view": value and Edit */
  GtkWidget *entry;   /* NULL for a choice */
  GtkWidget *choices; /* box of toggle buttons, NULL for the others */
  GPtrArray *choice_buttons;
  GtkWidget *value_label; /* read-only value */
  GtkWidget *edit_button;
  GtkWidget *message_label;

  KioskOsk *osk; /* weak */
  char *text;    /* the value */
  char *message; /* shown, translated; NULL: none */
  gboolean read_only;
  gboolean required;
  gboolean valid;
  gboolean normalizing;

  KioskFormFieldValidator validator;
  gpointer validator_data;
  GDestroyNotify validator_destroy;
};

G_DEFINE_FINAL_TYPE (KioskFormFieldWidget, kiosk_form_field, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_VALID, PROP_TEXT, PROP_READ_ONLY, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- values ------------------------------------------------------------------ */

static void
secure_free (char *s)
{
  if (s != NULL)
    explicit_bzero (s, strlen (s));
  g_free (s);
}

/* What the kind accepts, from what was typed: digits only where only digits
 * make sense, x as X at the end of an ID number, dates as YYYY-MM-DD. */
static char *
normalize (KioskFormFieldKind kind, const char *text)
{
  GString *out = g_string_new (NULL);
  guint digits = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean digit = c >= '0' && c <= '9';

      switch (kind)
        {
        case KIOSK_FORM_FIELD_NUMBER:
          if (digit)
            g_string_append_c (out, (char) c);
          break;
        case KIOSK_FORM_FIELD_PHONE:
          if (digit || c == '+' || c == '-' || c == ' ')
            g_string_append_c (out, (char) c);
          break;
        case KIOSK_FORM_FIELD_ID_NUMBER:
          if (out->len < ID_NUMBER_LENGTH - 1 && digit)
            g_string_append_c (out, (char) c);
          else if (out->len == ID_NUMBER_LENGTH - 1 && (digit || c == 'x' || c == 'X'))
            g_string_append_c (out, digit ? (char) c : 'X');
          break;
        case KIOSK_FORM_FIELD_DATE:
          if (digit && digits < DATE_DIGITS)
            {
              if (digits == 4 || digits == 6)
                g_string_append_c (out, '-');
              g_string_append_c (out, (char) c);
              digits++;
            }
          break;
        case KIOSK_FORM_FIELD_TEXT:
        case KIOSK_FORM_FIELD_ADDRESS:
        case KIOSK_FORM_FIELD_CHOICE:
        default:
          /* no control characters (a pasted line break) */
          if (!g_unichar_iscntrl (c))
            g_string_append_unichar (out, c);
          break;
        }
    }
  return g_string_free (out, FALSE);
}

static void
show_message (KioskFormFieldWidget *self, const char *message)
{
  if (g_strcmp0 (message, self->message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  /* the line keeps its height: an empty label is one line high too */
  gtk_label_set_text (GTK_LABEL (self->message_label), message ? message : "");
  if (self->entry)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message ? message : "", -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_STATE_INVALID,
                                   message ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
    }
  if (self->choices)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->choices), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    message ? message : "", -1);
  if (message)
    gtk_widget_add_css_class (GTK_WIDGET (self), "invalid");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "invalid");
}

/* Checks the value. An empty field shows no message while typing; @force
 * (the page's Next) asks the validator about it too, and a required field
 * left empty without a validator message gets the field's own. */
static void
validate (KioskFormFieldWidget *self, gboolean force)
{
  const char *text = self->text ? self->text : "";
  const char *msgid = self->validator ? self->validator (text, self->validator_data) : NULL;
  gboolean empty = *text == '\0';
  gboolean valid;

  if (empty && msgid == NULL && self->required)
    msgid = N_ ("This must be filled in.");
  valid = msgid == NULL;
  show_message (self, msgid && (!empty || force) ? _ (msgid) : NULL);
  if (valid != self->valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VALID]);
    }
}

static void
value_changed (KioskFormFieldWidget *self, const char *text)
{
  if (g_strcmp0 (text, self->text) == 0)
    return;
  secure_free (self->text);
  self->text = g_strdup (text);
  /* "personal" marks a widget showing personal data (the UI tests check
   * that the wipe empties each): only while it shows some */
  if (self->entry && *text)
    gtk_widget_add_css_class (self->entry, "personal");
  else if (self->entry)
    gtk_widget_remove_css_class (self->entry, "personal");
  validate (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TEXT]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
entry_changed_cb (GtkEditable *editable, KioskFormFieldWidget *self)
{
  const char *typed = gtk_editable_get_text (editable);
  g_autofree char *text = NULL;

  if (self->normalizing)
    return;
  text = normalize (self->kind, typed);
  if (!g_str_equal (text, typed))
    {
      self->normalizing = TRUE;
      gtk_editable_set_text (editable, text);
      gtk_editable_set_position (editable, -1);
      self->normalizing = FALSE;
    }
  value_changed (self, text);
  explicit_bzero (text, strlen (text));
}

/* What is typed goes in as the kind shapes it (a date's dashes come by
 * themselves), and the cursor ends up after what was typed: the keyboard
 * inserts at the cursor and moves it past the text it inserted. */
static void
text_insert_cb (GtkEditable *delegate, const char *text, int length, int *position, KioskFormFieldWidget *self)
{
  const char *old = gtk_editable_get_text (delegate);
  const char *split = g_utf8_offset_to_pointer (old, *position);
  g_autofree char *typed = length < 0 ? g_strdup (text) : g_strndup (text, (gsize) length);
  g_autofree char *before = g_strndup (old, (gsize) (split - old));
  g_autofree char *prefix = NULL, *candidate = NULL, *normalized = NULL, *shaped_prefix = NULL;

  if (self->normalizing)
    return;
  prefix = g_strconcat (before, typed, NULL);
  candidate = g_strconcat (prefix, split, NULL);
  normalized = normalize (self->kind, candidate);
  if (g_str_equal (normalized, candidate))
    return;
  g_signal_stop_emission_by_name (delegate, "insert-text");
  shaped_prefix = normalize (self->kind, prefix);
  self->normalizing = TRUE;
  gtk_editable_set_text (delegate, normalized);
  self->normalizing = FALSE;
  *position = (int) MIN (g_utf8_strlen (shaped_prefix, -1), g_utf8_strlen (normalized, -1));
  explicit_bzero (candidate, strlen (candidate));
  explicit_bzero (prefix, strlen (prefix));
  value_changed (self, normalized);
}

static void
choice_toggled_cb (GtkToggleButton *button, KioskFormFieldWidget *self)
{
  /* Switching in the group turns the old one off first: only the one
   * turned on counts (kiosk_form_field_set_text clears explicitly). A lone
   * option has no group and can be turned off by a touch. */
  if (gtk_toggle_button_get_active (button))
    value_changed (self, g_object_get_data (G_OBJECT (button), "choice-value"));
  else if (self->choice_buttons->len == 1)
    value_changed (self, "");
}

static const char *
choice_label (KioskFormFieldWidget *self, const char *value)
{
  for (guint i = 0; self->choice_buttons && i < self->choice_buttons->len; i++)
    {
      GtkWidget *b = g_ptr_array_index (self->choice_buttons, i);
      if (g_strcmp0 (g_object_get_data (G_OBJECT (b), "choice-value"), value) == 0)
        return gtk_button_get_label (GTK_BUTTON (b));
    }
  return NULL;
}

/* ---- public ------------------------------------------------------------------- */

KioskFormFieldKind
kiosk_form_field_get_kind (KioskFormFieldWidget *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_FIELD (self), KIOSK_FORM_FIELD_TEXT);
  return self->kind;
}

const char *
kiosk_form_field_get_label (KioskFormFieldWidget *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_FIELD (self), NULL);
  return self->label_text;
}

KioskOskLayout
kiosk_form_field_get_osk_layout (KioskFormFieldWidget *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_FIELD (self), KIOSK_OSK_LAYOUT_LETTERS);
  switch (self->kind)
    {
    case KIOSK_FORM_FIELD_NUMBER:
    case KIOSK_FORM_FIELD_DATE:
    case KIOSK_FORM_FIELD_PHONE:
      return KIOSK_OSK_LAYOUT_DIGITS;
    case KIOSK_FORM_FIELD_ID_NUMBER:
      return KIOSK_OSK_LAYOUT_ID_NUMBER;
    case KIOSK_FORM_FIELD_TEXT:
    case KIOSK_FORM_FIELD_ADDRESS:
    case KIOSK_FORM_FIELD_CHOICE:
    default:
      return KIOSK_OSK_LAYOUT_PINYIN; /* letters when the keyboard has no pinyin */
    }
}

void
kiosk_form_field_set_osk (KioskFormFieldWidget *self, KioskOsk *osk)
{
  g_return_if_fail (KIOSK_IS_FORM_FIELD (self));
  g_return_if_fail (osk == NULL || KIOSK_IS_OSK (osk));
  g_set_weak_pointer (&self->osk, osk);
  if (osk && self->entry)
    kiosk_osk_bind (osk, self->entry, kiosk_form_field_get_osk_layout (self));
}

const char *
kiosk_form_field_get_text (KioskFormFieldWidget *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_FIELD (self), NULL);
  return self->text ? self->text : "";
}

void
kiosk_form_field_set_text (KioskFormFieldWidget *self, const char *text)
{
  g_return_if_fail (KIOSK_IS_FORM_FIELD (self));
  if (text == NULL)
    text = "";
  if (self->entry)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->entry), text); /* normalized in entry_changed_cb */
      /* typing goes on at the end */
      gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
    }
  else
    {
      gboolean found = FALSE;
      for (guint i = 0; i < self->choice_buttons->len; i++)
        {
          GtkToggleButton *b = g_ptr_array_index (self->choice_buttons, i);
          gboolean on = g_strcmp0 (g_object_get_data (G_OBJECT (b), "choice-value"), text) == 0;
          if (on)
            {
              gtk_toggle_button_set_active (b, TRUE);
              found = TRUE;
            }
        }
      if (!found)
        {
          for (guint i = 0; i < self->choice_buttons->len; i++)
            gtk_toggle_button_set_active (g_ptr_array_index (self->choice_buttons, i), FALSE);
          value_changed (self, "");
        }
    }
}

static void
set_read_only (KioskFormFieldWidget *self, gboolean read_only)
{
  if (self->read_only == read_only)
    return;
  self->read_only = read_only;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), read_only ? "view" : "edit");
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_READ_ONLY]);
}

void
kiosk_form_field_set_prefilled (KioskFormFieldWidget *self, const char *text, const char *shown)
{
  g_return_if_fail (KIOSK_IS_FORM_FIELD (self));
  kiosk_form_field_set_text (self, text);
  if (shown == NULL)
    shown = self->entry ? kiosk_form_field_get_text (self) : choice_label (self, text);
  gtk_label_set_text (GTK_LABEL (self->value_label), shown ? shown : "");
  gtk_widget_add_css_class (self->value_label, "personal");
  /* the keyboard types elsewhere: the value cannot change by itself */
  if (self->osk && self->entry && kiosk_osk_get_target (self->osk) == self->entry)
    kiosk_osk_set_target (self->osk, NULL, KIOSK_OSK_LAYOUT_LETTERS);
  set_read_only (self, TRUE);
}

gboolean
kiosk_form_field_get_read_only (KioskFormFieldWidget *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_FIELD (self), FALSE);
  return self->read_only;
}

void
kiosk_form_field_edit (KioskFormFieldWidget *self)
{
  g_return_if_fail (KIOSK_IS_FORM_FIELD (self));
  set_read_only (self, FALSE);
  if (self->entry)
    {
      if (self->osk)
        kiosk_osk_set_target (self->osk, self->entry, kiosk_form_field_get_osk_layout (self));
      gtk_widget_grab_focus (self->entry);
      gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
    }
}

void
kiosk_form_field_set_validator (KioskFormFieldWidget *self, KioskFormFieldValidator validator, gpointer user_data,
                                GDestroyNotify destroy)
{
  g_return_if_fail (KIOSK_IS_FORM_FIELD (self));
  if (self->validator_destroy)
    self->validator_destroy (self->validator_data);
  self->validator = validator;
  self->validator_data = user_data;
  self->validator_destroy = destroy;
  validate (self, FALSE);
}

void
kiosk_form_field_set_required (KioskFormFieldWidget *self, gboolean required)
{
  g_return_if_fail (KIOSK_IS_FORM_FIELD (self));
  self->required = required;
  validate (self, FALSE);
}

gboolean
kiosk_form_field_get_valid (KioskFormFieldWidget *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_FIELD (self), FALSE);
  return self->valid;
}

gboolean
kiosk_form_field_check (KioskFormFieldWidget *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_FIELD (self), FALSE);
  validate (self, TRUE);
  return self->valid;
}

const char *
kiosk_form_field_get_message (KioskFormFieldWidget *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_FIELD (self), NULL);
  return self->message;
}

void
kiosk_form_field_clear (KioskFormFieldWidget *self)
{
  g_return_if_fail (KIOSK_IS_FORM_FIELD (self));
  kiosk_form_field_set_text (self, "");
  gtk_label_set_text (GTK_LABEL (self->value_label), "");
  gtk_widget_remove_css_class (self->value_label, "personal");
  set_read_only (self, FALSE);
  show_message (self, NULL);
  validate (self, FALSE);
}

GtkWidget *
kiosk_form_field_get_entry (KioskFormFieldWidget *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_FIELD (self), NULL);
  return self->entry;
}

GtkWidget *
kiosk_form_field_get_message_label (KioskFormFieldWidget *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_FIELD (self), NULL);
  return self->message_label;
}

GtkWidget *
kiosk_form_field_get_edit_button (KioskFormFieldWidget *self)
{
  g_return_val_if_fail (KIOSK_IS_FORM_FIELD (self), NULL);
  return self->edit_button;
}

GtkWidget *
kiosk_form_field_get_choice_button (KioskFormFieldWidget *self, const char *value)
{
  g_return_val_if_fail (KIOSK_IS_FORM_FIELD (self), NULL);
  for (guint i = 0; self->choice_buttons && i < self->choice_buttons->len; i++)
    {
      GtkWidget *b = g_ptr_array_index (self->choice_buttons, i);
      if (g_strcmp0 (g_object_get_data (G_OBJECT (b), "choice-value"), value) == 0)
        return b;
    }
  return NULL;
}

/* ---- building ------------------------------------------------------------------ */

static void
edit_clicked_cb (GtkButton *button, KioskFormFieldWidget *self)
{
  kiosk_form_field_edit (self);
}

static void
build (KioskFormFieldWidget *self, GtkWidget *editor)
{
  GtkWidget *w = GTK_WIDGET (self);
  GtkWidget *view;
  g_autofree char *edit_name = g_strdup_printf (_ ("Edit %s"), self->label_text);

  self->label = gtk_label_new (self->label_text);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_widget_add_css_class (self->label, "form-field-label");
  gtk_widget_set_parent (self->label, w);

  /* both states the same size: Edit never moves what is below */
  self->stack = gtk_stack_new ();
  gtk_stack_set_hhomogeneous (GTK_STACK (self->stack), TRUE);
  gtk_stack_set_vhomogeneous (GTK_STACK (self->stack), TRUE);
  gtk_stack_set_transition_type (GTK_STACK (self->stack), GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_stack_add_named (GTK_STACK (self->stack), editor, "edit");

  view = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  gtk_widget_add_css_class (view, "form-field-view");
  self->value_label = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (self->value_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->value_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (self->value_label, TRUE);
  gtk_widget_add_css_class (self->value_label, "form-field-value");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->value_label), GTK_ACCESSIBLE_PROPERTY_LABEL, self->label_text,
                                  -1);
  gtk_box_append (GTK_BOX (view), self->value_label);
  self->edit_button = gtk_button_new_with_label (_ ("Edit"));
  gtk_widget_add_css_class (self->edit_button, "form-field-edit");
  gtk_widget_set_valign (self->edit_button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->edit_button), GTK_ACCESSIBLE_PROPERTY_LABEL, edit_name, -1);
  g_signal_connect (self->edit_button, "clicked", G_CALLBACK (edit_clicked_cb), self);
  gtk_box_append (GTK_BOX (view), self->edit_button);
  gtk_stack_add_named (GTK_STACK (self->stack), view, "view");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "edit");
  gtk_widget_set_parent (self->stack, w);

  /* one line, always there (also empty): the field never changes height */
  self->message_label = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (self->message_label), 0);
  gtk_label_set_single_line_mode (GTK_LABEL (self->message_label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (self->message_label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->message_label, "form-field-message");
  gtk_widget_set_parent (self->message_label, w);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->label_text, -1);
}

static KioskFormFieldWidget *
field_new (KioskFormFieldKind kind, const char *label)
{
  KioskFormFieldWidget *self = g_object_new (KIOSK_TYPE_FORM_FIELD, NULL);

  self->kind = kind;
  self->label_text = g_strdup (label ? label : "");
  return self;
}

GtkWidget *
kiosk_form_field_new (KioskFormFieldKind kind, const char *label)
{
  KioskFormFieldWidget *self;

  g_return_val_if_fail (kind != KIOSK_FORM_FIELD_CHOICE, NULL);
  self = field_new (kind, label);
  self->entry = gtk_entry_new ();
  gtk_widget_set_hexpand (self->entry, TRUE);
  gtk_widget_set_valign (self->entry, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->entry, "form-field-entry");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL, self->label_text, -1);
  switch (kind)
    {
    case KIOSK_FORM_FIELD_NUMBER:
    case KIOSK_FORM_FIELD_ID_NUMBER:
      gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), GTK_INPUT_PURPOSE_DIGITS);
      break;
    case KIOSK_FORM_FIELD_PHONE:
      gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), GTK_INPUT_PURPOSE_PHONE);
      break;
    case KIOSK_FORM_FIELD_DATE:
      gtk_entry_set_input_purpose (GTK_ENTRY (self->entry), GTK_INPUT_PURPOSE_DIGITS);
      /* TRANSLATORS: how a date is typed (the digits only; the dashes come by themselves) */
      gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), _ ("YYYY-MM-DD"));
      break;
    case KIOSK_FORM_FIELD_TEXT:
    case KIOSK_FORM_FIELD_ADDRESS:
    case KIOSK_FORM_FIELD_CHOICE:
    default:
      break;
    }
  if (kind == KIOSK_FORM_FIELD_ID_NUMBER)
    gtk_entry_set_max_length (GTK_ENTRY (self->entry), ID_NUMBER_LENGTH);
  g_signal_connect (self->entry, "changed", G_CALLBACK (entry_changed_cb), self);
  g_signal_connect (gtk_editable_get_delegate (GTK_EDITABLE (self->entry)), "insert-text", G_CALLBACK (text_insert_cb),
                    self);
  build (self, self->entry);
  return GTK_WIDGET (self);
}

GtkWidget *
kiosk_form_field_new_choice (const char *label, const char *const *values, const char *const *labels, guint n)
{
  KioskFormFieldWidget *self = field_new (KIOSK_FORM_FIELD_CHOICE, label);
  GtkToggleButton *first = NULL;
  GtkWidget *grid;

  self->choices = g_object_new (GTK_TYPE_BOX, "orientation", GTK_ORIENTATION_HORIZONTAL, "accessible-role",
                                GTK_ACCESSIBLE_ROLE_RADIO_GROUP, NULL);
  gtk_widget_add_css_class (self->choices, "form-field-choices");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->choices), GTK_ACCESSIBLE_PROPERTY_LABEL, self->label_text, -1);
  /* at most three in a row (large buttons, 1.5 times in 长辈模式) */
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  gtk_box_append (GTK_BOX (self->choices), grid);
  self->choice_buttons = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *b = gtk_toggle_button_new_with_label (labels[i]);
      g_autofree char *name = g_strdup_printf ("choice-%s", values[i]);

      gtk_widget_set_name (b, name);
      gtk_widget_add_css_class (b, "form-field-choice");
      g_object_set_data_full (G_OBJECT (b), "choice-value", g_strdup (values[i]), g_free);
      if (first)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (b), first);
      else
        first = GTK_TOGGLE_BUTTON (b);
      g_signal_connect (b, "toggled", G_CALLBACK (choice_toggled_cb), self);
      g_ptr_array_add (self->choice_buttons, b);
      gtk_grid_attach (GTK_GRID (grid), b, (int) (i % CHOICES_PER_ROW), (int) (i / CHOICES_PER_ROW), 1, 1);
    }
  build (self, self->choices);
  return GTK_WIDGET (self);
}

/* ---- GObject ------------------------------------------------------------------ */

static void
kiosk_form_field_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskFormFieldWidget *self = KIOSK_FORM_FIELD (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    case PROP_TEXT:
      g_value_set_string (value, kiosk_form_field_get_text (self));
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_form_field_dispose (GObject *object)
{
  KioskFormFieldWidget *self = KIOSK_FORM_FIELD (object);
  GtkWidget *child;

  g_clear_weak_pointer (&self->osk);
  if (self->entry)
    {
      g_signal_handlers_disconnect_by_data (self->entry, self);
      g_signal_handlers_disconnect_by_data (gtk_editable_get_delegate (GTK_EDITABLE (self->entry)), self);
    }
  for (guint i = 0; self->choice_buttons && i < self->choice_buttons->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->choice_buttons, i), self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  self->entry = self->choices = self->label = self->stack = NULL;
  self->value_label = self->edit_button = self->message_label = NULL;
  g_clear_pointer (&self->choice_buttons, g_ptr_array_unref);
  if (self->validator_destroy)
    self->validator_destroy (self->validator_data);
  self->validator = NULL;
  self->validator_destroy = NULL;
  G_OBJECT_CLASS (kiosk_form_field_parent_class)->dispose (object);
}

static void
kiosk_form_field_finalize (GObject *object)
{
  KioskFormFieldWidget *self = KIOSK_FORM_FIELD (object);

  secure_free (self->text);
  g_free (self->message);
  g_free (self->label_text);
  G_OBJECT_CLASS (kiosk_form_field_parent_class)->finalize (object);
}

static void
kiosk_form_field_class_init (KioskFormFieldWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = kiosk_form_field_get_property;
  object_class->dispose = kiosk_form_field_dispose;
  object_class->finalize = kiosk_form_field_finalize;

  props[PROP_VALID] = g_param_spec_boolean ("valid", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_READ_ONLY]
      = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_CHANGED]
      = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "form-field");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kiosk_form_field_init (KioskFormFieldWidget *self)
{
  GtkWidget *w = GTK_WIDGET (self);

  kiosk_widgets_ensure_css ();
  self->valid = TRUE;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (w)), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (w)), 6);
}
