/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-osk"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kiosk-osk.h"
#include "kiosk-widgets-resources.h"

#define N_CANDIDATES 7
#define KEY_WIDTH 64
#define KEY_GAP 6
#define KEY_HEIGHT 64

struct _KioskOsk {
  GtkWidget parent_instance;

  GtkWidget *bar; /* candidate bar: always there, one size (clips) */
  GtkWidget *preedit_label;
  GtkWidget *candidates[N_CANDIDATES];
  GtkWidget *stack;         /* "letters", "digits": one size for both */
  GHashTable *letters_keys; /* key name -> GtkButton (not owned), per grid */
  GHashTable *digits_keys;
  GHashTable *bar_keys;

  GtkWidget *target; /* weak */
  KioskOskLayout layout;

  const KioskOskPinyinEngine *engine_class;
  gpointer engine;
  gboolean engine_loaded;
  gboolean engine_loading; /* a worker thread is loading it: keep it alive */
  gboolean engine_to_load; /* loaded when the keyboard is first shown */
};

G_DEFINE_FINAL_TYPE (KioskOsk, kiosk_osk, GTK_TYPE_WIDGET)

/* ---- style ----------------------------------------------------------------- */

static void
ensure_css (void)
{
  static gboolean done;
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr (GtkCssProvider) provider = NULL;

  if (done || display == NULL)
    return;
  done = TRUE;
  kiosk_widgets_register_resource ();
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/cn/gov/kiosk/widgets/kiosk-osk.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* ---- editing the target ------------------------------------------------------ */

static GtkEditable *
target_editable (KioskOsk *self)
{
  return self->target && GTK_IS_EDITABLE (self->target) ? GTK_EDITABLE (self->target) : NULL;
}

static void
insert (KioskOsk *self, const char *text)
{
  GtkEditable *e = target_editable (self);
  int pos;

  if (e == NULL || !gtk_widget_is_sensitive (self->target))
    return;
  gtk_editable_delete_selection (e);
  pos = gtk_editable_get_position (e);
  gtk_editable_insert_text (e, text, -1, &pos);
  gtk_editable_set_position (e, pos);
}

static void
delete_back (KioskOsk *self)
{
  GtkEditable *e = target_editable (self);
  int start, end, pos;

  if (e == NULL || !gtk_widget_is_sensitive (self->target))
    return;
  if (gtk_editable_get_selection_bounds (e, &start, &end))
    {
      gtk_editable_delete_selection (e);
      return;
    }
  pos = gtk_editable_get_position (e);
  if (pos > 0)
    gtk_editable_delete_text (e, pos - 1, pos);
}

/* ---- pinyin ------------------------------------------------------------------ */

static gboolean
composing (KioskOsk *self)
{
  g_autofree char *preedit = NULL;

  if (self->engine == NULL)
    return FALSE;
  preedit = self->engine_class->get_preedit (self->engine);
  return preedit != NULL && *preedit != '\0';
}

static void
update_candidates (KioskOsk *self)
{
  g_autofree char *preedit = NULL;
  guint n = 0;

  if (self->stack == NULL)
    return; /* disposed (a load finishing late) */
  if (self->engine && self->layout == KIOSK_OSK_LAYOUT_PINYIN)
    {
      preedit = self->engine_class->get_preedit (self->engine);
      n = MIN (self->engine_class->get_n_candidates (self->engine), N_CANDIDATES);
    }
  for (guint i = 0; i < N_CANDIDATES; i++)
    {
      const char *text = i < n ? self->engine_class->get_candidate (self->engine, i) : NULL;
      gtk_button_set_label (GTK_BUTTON (self->candidates[i]), text ? text : "");
      gtk_widget_set_visible (self->candidates[i], text != NULL);
    }
  gtk_label_set_text (GTK_LABEL (self->preedit_label), preedit ? preedit : "");
}

/* Forgets what is composed, inserting nothing. */
static void
clear_preedit (KioskOsk *self)
{
  if (self->engine)
    self->engine_class->reset (self->engine);
  update_candidates (self);
}

/* What is composed goes in as it is ("你hao": the choices and the letters). */
static void
commit_preedit (KioskOsk *self)
{
  g_autofree char *preedit = NULL;

  if (!composing (self))
    return;
  preedit = self->engine_class->get_preedit (self->engine);
  insert (self, preedit);
  clear_preedit (self);
}

static void
choose (KioskOsk *self, guint index)
{
  g_autofree char *text = NULL;

  if (self->engine == NULL)
    return;
  text = self->engine_class->choose (self->engine, index);
  if (text)
    insert (self, text);
  update_candidates (self);
}

static void
candidate_clicked_cb (GtkButton *button, KioskOsk *self)
{
  for (guint i = 0; i < N_CANDIDATES; i++)
    if (self->candidates[i] == GTK_WIDGET (button))
      choose (self, i);
}

/* ---- keys -------------------------------------------------------------------- */

static void
key_clicked_cb (GtkButton *button, KioskOsk *self)
{
  const char *key = g_object_get_data (G_OBJECT (button), "osk-key");

  if (g_str_equal (key, "backspace"))
    {
      if (self->layout == KIOSK_OSK_LAYOUT_PINYIN && composing (self))
        {
          self->engine_class->backspace (self->engine);
          update_candidates (self);
        }
      else
        delete_back (self);
    }
  else if (g_str_equal (key, "clear"))
    {
      clear_preedit (self);
      if (target_editable (self) && gtk_widget_is_sensitive (self->target))
        gtk_editable_set_text (target_editable (self), "");
    }
  else if (g_str_equal (key, "space"))
    {
      if (composing (self) && gtk_widget_get_visible (self->candidates[0]))
        choose (self, 0);
      else
        {
          commit_preedit (self);
          insert (self, " ");
        }
    }
  else if (g_str_equal (key, "digits"))
    kiosk_osk_set_layout (self, KIOSK_OSK_LAYOUT_DIGITS);
  else if (g_str_equal (key, "letters"))
    kiosk_osk_set_layout (self, KIOSK_OSK_LAYOUT_LETTERS);
  else if (g_str_equal (key, "pinyin"))
    kiosk_osk_set_layout (self, KIOSK_OSK_LAYOUT_PINYIN);
  else if (self->layout == KIOSK_OSK_LAYOUT_PINYIN && g_ascii_islower (key[0]) && key[1] == '\0')
    {
      self->engine_class->feed (self->engine, key[0]);
      update_candidates (self);
    }
  else
    {
      commit_preedit (self);
      insert (self, key);
    }
}

/* @label NULL: the key shows @key itself. */
static GtkWidget *
key_new (KioskOsk *self, GHashTable *keys, const char *key, const char *label, int width_keys, const char *css_class)
{
  GtkWidget *button = gtk_button_new_with_label (label ? label : key);
  g_autofree char *name = g_strdup_printf ("osk-key-%s-%s", keys == self->digits_keys ? "digits" : "letters", key);

  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "osk-key");
  if (css_class)
    gtk_widget_add_css_class (button, css_class);
  /* The field keeps the focus and its cursor. */
  gtk_widget_set_focusable (button, FALSE);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_widget_set_size_request (button, KEY_WIDTH * width_keys + KEY_GAP * (width_keys - 1), KEY_HEIGHT);
  /* "⌫" is a glyph, not a name a screen reader can say. */
  if (g_str_equal (key, "backspace"))
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Delete"), -1);
  g_object_set_data_full (G_OBJECT (button), "osk-key", g_strdup (key), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (key_clicked_cb), self);
  g_hash_table_replace (keys, g_strdup (key), button);
  return button;
}

static void
add_row (KioskOsk *self, GHashTable *keys, GtkGrid *grid, int row, int col, const char *chars)
{
  for (const char *c = chars; *c; c++, col++)
    {
      char key[2] = { *c, 0 };
      gtk_grid_attach (grid, key_new (self, keys, key, NULL, 1, NULL), col, row, 1, 1);
    }
}

static GtkWidget *
grid_new (void)
{
  GtkWidget *grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), KEY_GAP);
  gtk_grid_set_column_spacing (GTK_GRID (grid), KEY_GAP);
  gtk_widget_set_halign (grid, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (grid, GTK_ALIGN_START);
  return grid;
}

/* Letters and pinyin share this grid (pinyin only changes what a letter
 * does). */
static GtkWidget *
letters_new (KioskOsk *self)
{
  GtkGrid *grid = GTK_GRID (grid_new ());
  GHashTable *k = self->letters_keys;

  add_row (self, k, grid, 0, 0, "qwertyuiop");
  add_row (self, k, grid, 1, 0, "asdfghjkl");
  gtk_grid_attach (grid, key_new (self, k, "-", NULL, 1, NULL), 9, 1, 1, 1);
  add_row (self, k, grid, 2, 0, "zxcvbnm");
  gtk_grid_attach (grid, key_new (self, k, "backspace", "⌫", 3, "osk-function"), 7, 2, 3, 1);
  gtk_grid_attach (grid, key_new (self, k, "digits", "123", 2, "osk-function"), 0, 3, 2, 1);
  gtk_grid_attach (grid, key_new (self, k, "pinyin", "中文", 1, "osk-function"), 2, 3, 1, 1);
  gtk_grid_attach (grid, key_new (self, k, ",", NULL, 1, NULL), 3, 3, 1, 1);
  gtk_grid_attach (grid, key_new (self, k, "space", C_ ("keyboard", "Space"), 4, "osk-function"), 4, 3, 4, 1);
  gtk_grid_attach (grid, key_new (self, k, ".", NULL, 1, NULL), 8, 3, 1, 1);
  gtk_grid_attach (grid, key_new (self, k, "?", NULL, 1, NULL), 9, 3, 1, 1);
  return GTK_WIDGET (grid);
}

static GtkWidget *
digits_new (KioskOsk *self)
{
  GtkGrid *grid = GTK_GRID (grid_new ());
  GHashTable *k = self->digits_keys;

  add_row (self, k, grid, 0, 0, "123");
  add_row (self, k, grid, 1, 0, "456");
  add_row (self, k, grid, 2, 0, "789");
  add_row (self, k, grid, 3, 0, "+0-");
  gtk_grid_attach (grid, key_new (self, k, "backspace", "⌫", 2, "osk-function"), 3, 0, 2, 1);
  gtk_grid_attach (grid, key_new (self, k, "clear", C_ ("keyboard", "Clear"), 2, "osk-function"), 3, 1, 2, 1);
  gtk_grid_attach (grid, key_new (self, k, "space", C_ ("keyboard", "Space"), 2, "osk-function"), 3, 2, 2, 1);
  gtk_grid_attach (grid, key_new (self, k, "letters", "ABC", 1, "osk-function"), 3, 3, 1, 1);
  gtk_grid_attach (grid, key_new (self, k, "pinyin", "中文", 1, "osk-function"), 4, 3, 1, 1);
  return GTK_WIDGET (grid);
}

static GtkWidget *
bar_new (KioskOsk *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  gtk_widget_add_css_class (bar, "osk-candidates");
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  self->preedit_label = gtk_label_new ("");
  gtk_widget_add_css_class (self->preedit_label, "osk-preedit");
  gtk_widget_set_size_request (self->preedit_label, 2 * KEY_WIDTH, -1);
  gtk_label_set_xalign (GTK_LABEL (self->preedit_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->preedit_label), PANGO_ELLIPSIZE_START);
  gtk_box_append (GTK_BOX (bar), self->preedit_label);
  for (guint i = 0; i < N_CANDIDATES; i++)
    {
      g_autofree char *key = g_strdup_printf ("candidate-%u", i);
      GtkWidget *button = gtk_button_new_with_label ("");
      g_autofree char *name = g_strdup_printf ("osk-key-%s", key);

      g_object_set_data_full (G_OBJECT (button), "osk-key", g_strdup (key), g_free);
      gtk_widget_set_name (button, name);
      gtk_widget_add_css_class (button, "osk-candidate");
      gtk_widget_set_focusable (button, FALSE);
      gtk_widget_set_focus_on_click (button, FALSE);
      gtk_widget_set_size_request (button, KEY_WIDTH, KEY_HEIGHT);
      gtk_widget_set_visible (button, FALSE);
      g_signal_connect (button, "clicked", G_CALLBACK (candidate_clicked_cb), self);
      g_hash_table_replace (self->bar_keys, g_strdup (key), button);
      self->candidates[i] = button;
      gtk_box_append (GTK_BOX (bar), button);
    }
  return bar;
}

/* ---- layouts and targets ------------------------------------------------------- */

static gboolean
digits_grid (KioskOskLayout layout)
{
  return layout == KIOSK_OSK_LAYOUT_DIGITS || layout == KIOSK_OSK_LAYOUT_ID_NUMBER;
}

gboolean
kiosk_osk_get_layout_available (KioskOsk *self, KioskOskLayout layout)
{
  g_return_val_if_fail (KIOSK_IS_OSK (self), FALSE);
  return layout != KIOSK_OSK_LAYOUT_PINYIN || self->engine != NULL;
}

void
kiosk_osk_set_layout (KioskOsk *self, KioskOskLayout layout)
{
  g_return_if_fail (KIOSK_IS_OSK (self));
  if (!kiosk_osk_get_layout_available (self, layout))
    layout = KIOSK_OSK_LAYOUT_LETTERS;
  commit_preedit (self);
  self->layout = layout;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), digits_grid (layout) ? "digits" : "letters");
  /* The ID number layout is the digits grid with X in place of +. */
  {
    GtkWidget *plus = g_hash_table_lookup (self->digits_keys, "+");
    const char *key = layout == KIOSK_OSK_LAYOUT_ID_NUMBER ? "X" : "+";
    gtk_button_set_label (GTK_BUTTON (plus), key);
    g_object_set_data_full (G_OBJECT (plus), "osk-key", g_strdup (key), g_free);
  }
  /* In pinyin, the letters grid's 中文 key turns back to letters (英文). */
  {
    GtkWidget *mode = g_hash_table_lookup (self->letters_keys, "pinyin");
    gtk_button_set_label (GTK_BUTTON (mode), layout == KIOSK_OSK_LAYOUT_PINYIN ? "英文" : "中文");
    g_object_set_data_full (G_OBJECT (mode), "osk-key",
                            g_strdup (layout == KIOSK_OSK_LAYOUT_PINYIN ? "letters" : "pinyin"), g_free);
  }
  if (layout == KIOSK_OSK_LAYOUT_PINYIN)
    gtk_widget_add_css_class (GTK_WIDGET (self), "osk-pinyin");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "osk-pinyin");
  update_candidates (self);
}

KioskOskLayout
kiosk_osk_get_layout (KioskOsk *self)
{
  g_return_val_if_fail (KIOSK_IS_OSK (self), KIOSK_OSK_LAYOUT_LETTERS);
  return self->layout;
}

static void
update_pinyin_keys (KioskOsk *self)
{
  gboolean available = self->engine != NULL;

  GHashTable *grids[] = { self->letters_keys, self->digits_keys };

  /* Hidden, but still holding their place (nothing moves). */
  for (guint i = 0; i < G_N_ELEMENTS (grids); i++)
    {
      GtkWidget *key = g_hash_table_lookup (grids[i], "pinyin");
      gtk_widget_set_opacity (key, available ? 1 : 0);
      gtk_widget_set_sensitive (key, available);
    }
}

static void
free_engine (KioskOsk *self)
{
  if (self->engine)
    {
      self->engine_class->reset (self->engine);
      self->engine_class->free (self->engine);
    }
  self->engine = NULL;
  self->engine_class = NULL;
  self->engine_loaded = FALSE;
  self->engine_to_load = FALSE;
}

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  KioskOsk *self = source;
  GError *error = NULL;

  /* Only the engine is touched here (its own lock); the keyboard object is
   * kept alive by the task, and the engine with it (see dispose). */
  if (self->engine_class->load (self->engine, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
load_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  KioskOsk *self = KIOSK_OSK (source);
  g_autoptr (GError) error = NULL;

  self->engine_loading = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("pinyin engine not loaded: %s", error ? error->message : "?");
  else
    self->engine_loaded = TRUE;
  update_candidates (self);
}

/* Not at start-up: only once someone sees the keyboard. */
static void
start_load (KioskOsk *self)
{
  g_autoptr (GTask) task = NULL;

  if (!self->engine_to_load || self->engine_loading)
    return;
  self->engine_to_load = FALSE;
  self->engine_loading = TRUE;
  task = g_task_new (self, NULL, load_done_cb, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_run_in_thread (task, load_thread);
}

void
kiosk_osk_set_pinyin_engine (KioskOsk *self, const KioskOskPinyinEngine *klass, gpointer engine)
{
  g_return_if_fail (KIOSK_IS_OSK (self));
  g_return_if_fail (engine == NULL || klass != NULL);
  g_return_if_fail (!self->engine_loading);

  commit_preedit (self);
  free_engine (self);
  self->engine_class = engine ? klass : NULL;
  self->engine = engine;
  update_pinyin_keys (self);
  /* The candidate bar is there exactly when Chinese can be typed: set once
   * when the page is built, never while someone types. */
  gtk_widget_set_visible (self->bar, engine != NULL);
  if (engine && klass->load)
    {
      self->engine_to_load = TRUE;
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        start_load (self);
    }
  else
    self->engine_loaded = engine != NULL;
  if (!kiosk_osk_get_layout_available (self, self->layout))
    kiosk_osk_set_layout (self, KIOSK_OSK_LAYOUT_LETTERS);
  update_candidates (self);
}

gboolean
kiosk_osk_get_pinyin_loaded (KioskOsk *self)
{
  g_return_val_if_fail (KIOSK_IS_OSK (self), FALSE);
  return self->engine_loaded;
}

char *
kiosk_osk_get_preedit (KioskOsk *self)
{
  char *preedit;

  g_return_val_if_fail (KIOSK_IS_OSK (self), NULL);
  preedit = self->engine ? self->engine_class->get_preedit (self->engine) : NULL;
  return preedit ? preedit : g_strdup ("");
}

void
kiosk_osk_reset (KioskOsk *self)
{
  g_return_if_fail (KIOSK_IS_OSK (self));
  clear_preedit (self);
}

void
kiosk_osk_set_target (KioskOsk *self, GtkWidget *editable, KioskOskLayout layout)
{
  g_return_if_fail (KIOSK_IS_OSK (self));
  g_return_if_fail (editable == NULL || GTK_IS_EDITABLE (editable));

  if (self->target != editable)
    {
      commit_preedit (self);
      if (self->target)
        gtk_widget_remove_css_class (self->target, "osk-target");
      g_set_weak_pointer (&self->target, editable);
      if (editable)
        gtk_widget_add_css_class (editable, "osk-target");
    }
  if (editable)
    kiosk_osk_set_layout (self, layout);
}

GtkWidget *
kiosk_osk_get_target (KioskOsk *self)
{
  g_return_val_if_fail (KIOSK_IS_OSK (self), NULL);
  return self->target;
}

static void
bound_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, KioskOsk *self)
{
  GtkWidget *editable = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  KioskOskLayout layout = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (gesture), "osk-layout"));

  if (self->target != editable)
    kiosk_osk_set_target (self, editable, layout);
}

static void
bound_focus_cb (GtkEventControllerFocus *focus, KioskOsk *self)
{
  GtkWidget *editable = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus));
  KioskOskLayout layout = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (focus), "osk-layout"));

  if (self->target != editable)
    kiosk_osk_set_target (self, editable, layout);
}

void
kiosk_osk_bind (KioskOsk *self, GtkWidget *editable, KioskOskLayout layout)
{
  GtkGesture *click;
  GtkEventController *focus;

  g_return_if_fail (KIOSK_IS_OSK (self));
  g_return_if_fail (GTK_IS_EDITABLE (editable));

  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_object_set_data (G_OBJECT (click), "osk-layout", GINT_TO_POINTER (layout));
  g_signal_connect_object (click, "pressed", G_CALLBACK (bound_pressed_cb), self, 0);
  gtk_widget_add_controller (editable, GTK_EVENT_CONTROLLER (click));

  focus = gtk_event_controller_focus_new ();
  g_object_set_data (G_OBJECT (focus), "osk-layout", GINT_TO_POINTER (layout));
  g_signal_connect_object (focus, "enter", G_CALLBACK (bound_focus_cb), self, 0);
  gtk_widget_add_controller (editable, focus);
}

GtkWidget *
kiosk_osk_get_key (KioskOsk *self, const char *key)
{
  GtkWidget *button;

  g_return_val_if_fail (KIOSK_IS_OSK (self), NULL);
  /* In pinyin, the 中文 key is the way back to letters (英文). */
  if (self->layout == KIOSK_OSK_LAYOUT_PINYIN && g_str_equal (key, "letters"))
    key = "pinyin";
  else if (self->layout == KIOSK_OSK_LAYOUT_PINYIN && g_str_equal (key, "pinyin"))
    return NULL;
  /* In the ID number layout, the + key is X. */
  if (self->layout == KIOSK_OSK_LAYOUT_ID_NUMBER && g_str_equal (key, "X"))
    key = "+";
  else if (self->layout == KIOSK_OSK_LAYOUT_ID_NUMBER && g_str_equal (key, "+"))
    return NULL;
  button = g_hash_table_lookup (digits_grid (self->layout) ? self->digits_keys : self->letters_keys, key);
  return button ? button : g_hash_table_lookup (self->bar_keys, key);
}

/* ---- GObject ----------------------------------------------------------------- */

static void
kiosk_osk_dispose (GObject *object)
{
  KioskOsk *self = KIOSK_OSK (object);
  GtkWidget *child;

  if (self->target)
    gtk_widget_remove_css_class (self->target, "osk-target");
  g_clear_weak_pointer (&self->target);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  self->bar = NULL;
  self->stack = NULL;
  self->preedit_label = NULL;
  memset (self->candidates, 0, sizeof self->candidates);
  G_OBJECT_CLASS (kiosk_osk_parent_class)->dispose (object);
}

static void
kiosk_osk_finalize (GObject *object)
{
  KioskOsk *self = KIOSK_OSK (object);

  g_hash_table_unref (self->letters_keys);
  g_hash_table_unref (self->digits_keys);
  g_hash_table_unref (self->bar_keys);
  /* Not in dispose: a load running in a worker thread holds a reference,
   * so finalize comes after it. */
  free_engine (self);
  G_OBJECT_CLASS (kiosk_osk_parent_class)->finalize (object);
}

static void
kiosk_osk_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kiosk_osk_parent_class)->map (widget);
  start_load (KIOSK_OSK (widget));
}

static void
kiosk_osk_class_init (KioskOskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_osk_dispose;
  object_class->finalize = kiosk_osk_finalize;
  widget_class->map = kiosk_osk_map;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "osk");
}

static void
kiosk_osk_init (KioskOsk *self)
{
  GtkWidget *w = GTK_WIDGET (self);

  ensure_css ();
  self->letters_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->digits_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->bar_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (w)), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (w)), 4);
  gtk_widget_set_halign (w, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (w, GTK_ALIGN_START);
  gtk_widget_set_hexpand (w, FALSE);
  gtk_widget_set_vexpand (w, FALSE);

  /* The candidate bar never asks for more room than it has: long
   * candidates are clipped, not allowed to widen the keyboard. */
  self->bar = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->bar), GTK_POLICY_EXTERNAL, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->bar), bar_new (self));
  /* room for a candidate key with its border: the bar never grows */
  gtk_widget_set_size_request (self->bar, -1, KEY_HEIGHT + 4);
  gtk_widget_set_visible (self->bar, FALSE);
  gtk_widget_set_parent (self->bar, w);
  /* Homogeneous: the keyboard has the size of its largest layout, always. */
  self->stack = gtk_stack_new ();
  gtk_stack_set_hhomogeneous (GTK_STACK (self->stack), TRUE);
  gtk_stack_set_vhomogeneous (GTK_STACK (self->stack), TRUE);
  gtk_stack_set_transition_type (GTK_STACK (self->stack), GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_stack_add_named (GTK_STACK (self->stack), letters_new (self), "letters");
  gtk_stack_add_named (GTK_STACK (self->stack), digits_new (self), "digits");
  gtk_widget_set_parent (self->stack, w);

  self->layout = KIOSK_OSK_LAYOUT_LETTERS;
  update_pinyin_keys (self);
  kiosk_osk_set_layout (self, KIOSK_OSK_LAYOUT_LETTERS);
}

GtkWidget *
kiosk_osk_new (void)
{
  return g_object_new (KIOSK_TYPE_OSK, NULL);
}
