/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kiosk-maint-page.h"
#include "kiosk-osk.h"
#include "kiosk-ui.h"

/* Lines of the log shown by 日志摘录. */
#define LOG_LINES 60
/* The camera test's picture at least this big (it fills its column);
 * nothing moves when frames come. */
#define PICTURE_WIDTH 320
#define PICTURE_HEIGHT 240

static const struct {
  const char *kind;
  const char *name;
} device_names[] = {
  { "idcard", N_ ("ID card reader") },
  { "camera", N_ ("Document camera") },
  { "pad", N_ ("Rating pad") },
  { "printer", N_ ("Printer") },
};

/* ---- the camera test's picture: the frame fitted into whatever room the
 * column gives, never asking for the frame's own size ------------------- */

#define KIOSK_TYPE_MAINT_PICTURE (kiosk_maint_picture_get_type ())
G_DECLARE_FINAL_TYPE (KioskMaintPicture, kiosk_maint_picture, KIOSK, MAINT_PICTURE, GtkWidget)

struct _KioskMaintPicture {
  GtkWidget parent_instance;
  GdkTexture *texture;
};

G_DEFINE_FINAL_TYPE (KioskMaintPicture, kiosk_maint_picture, GTK_TYPE_WIDGET)

static void
kiosk_maint_picture_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  KioskMaintPicture *self = KIOSK_MAINT_PICTURE (widget);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double tw, th, scale;

  gtk_snapshot_append_color (snapshot, &(GdkRGBA){ 0.1, 0.11, 0.13, 1 }, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->texture == NULL)
    return;
  tw = gdk_texture_get_width (self->texture);
  th = gdk_texture_get_height (self->texture);
  scale = MIN (width / tw, height / th);
  gtk_snapshot_append_texture (
      snapshot, self->texture,
      &GRAPHENE_RECT_INIT ((width - tw * scale) / 2, (height - th * scale) / 2, tw * scale, th * scale));
}

static void
kiosk_maint_picture_set_texture (KioskMaintPicture *self, GdkTexture *texture)
{
  if (g_set_object (&self->texture, texture))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
kiosk_maint_picture_dispose (GObject *object)
{
  g_clear_object (&KIOSK_MAINT_PICTURE (object)->texture);
  G_OBJECT_CLASS (kiosk_maint_picture_parent_class)->dispose (object);
}

static void
kiosk_maint_picture_class_init (KioskMaintPictureClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kiosk_maint_picture_dispose;
  GTK_WIDGET_CLASS (klass)->snapshot = kiosk_maint_picture_snapshot;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "camera-picture");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
kiosk_maint_picture_init (KioskMaintPicture *self)
{
}

/* ---- the page ------------------------------------------------------------------------ */

struct _KioskMaintPage {
  GtkWidget parent_instance;
  KioskCore *core;
  KioskMaint *maint;

  GtkWidget *stack; /* "pin", "open" */
  /* the PIN */
  GtkWidget *pin_message;
  GtkWidget *pin_entry;
  GtkWidget *pin_button;
  KioskOsk *osk;
  /* open */
  GtkWidget *device_labels[G_N_ELEMENTS (device_names)];
  GtkWidget *queue_label;
  GtkWidget *disk_label;
  GtkWidget *problems_label;
  GtkWidget *action_buttons[KIOSK_MAINT_N_ACTIONS];
  GtkWidget *action_results[KIOSK_MAINT_N_ACTIONS];
  GtkWidget *output; /* stack: "none", "camera", "log" */
  GtkWidget *picture;
  GtkWidget *log_label;
  guint status_id;
};

G_DEFINE_FINAL_TYPE (KioskMaintPage, kiosk_maint_page, GTK_TYPE_WIDGET)

static GtkWidget *
label_new (const char *text, const char *css_class)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  /* Chinese has no spaces: lines may break between any two characters. */
  gtk_label_set_wrap_mode (GTK_LABEL (l), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  if (css_class)
    gtk_widget_add_css_class (l, css_class);
  return l;
}

static GtkWidget *
heading_new (const char *text, const char *css_class)
{
  /* A label's role is fixed when it is made: a heading for assistive
   * technology. */
  GtkWidget *l = g_object_new (GTK_TYPE_LABEL, "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING, "label", text, "xalign",
                               0.0f, NULL);
  gtk_widget_add_css_class (l, css_class);
  return l;
}

static GtkWidget *
button_new (const char *text, const char *css_class)
{
  GtkWidget *b = gtk_button_new_with_label (text);

  gtk_widget_set_size_request (b, -1, 64);
  if (css_class)
    gtk_widget_add_css_class (b, css_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  return b;
}

static GtkWidget *
card_new (const char *title, GtkWidget **body)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card), heading_new (title, "card-title"));
  *body = card;
  return card;
}

/* ---- the PIN ------------------------------------------------------------------- */

static void
update_pin (KioskMaintPage *self)
{
  const char *message = kiosk_maint_get_pin_message (self->maint);
  gboolean can = kiosk_maint_get_configured (self->maint) && !kiosk_maint_get_pin_busy (self->maint)
                 && !kiosk_maint_get_pin_locked (self->maint) && kiosk_maint_get_pin_wait (self->maint) == 0;

  gtk_label_set_text (GTK_LABEL (self->pin_message),
                      message ? message : _ ("Enter the technician's PIN on the on-screen keys."));
  gtk_widget_set_sensitive (self->pin_entry, can);
  gtk_widget_set_sensitive (self->pin_button, can);
  gtk_widget_set_sensitive (GTK_WIDGET (self->osk), can);
}

static void
pin_cb (GtkWidget *widget, KioskMaintPage *self)
{
  g_autofree char *pin = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->pin_entry)));

  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  kiosk_maint_enter_pin (self->maint, pin);
  explicit_bzero (pin, strlen (pin));
  update_pin (self);
}

static void
maint_pin_cb (KioskMaint *maint, GParamSpec *pspec, KioskMaintPage *self)
{
  update_pin (self);
}

/* ---- open: what it shows ---------------------------------------------------------- */

static const char *
state_text (KioskDeviceState state)
{
  switch (state)
    {
    case KIOSK_DEVICE_STATE_READY:
      return _ ("ready");
    case KIOSK_DEVICE_STATE_BUSY:
      return _ ("busy");
    case KIOSK_DEVICE_STATE_ERROR:
      return _ ("fault");
    case KIOSK_DEVICE_STATE_ABSENT:
    default:
      return _ ("not connected");
    }
}

static void
update_devices (KioskMaintPage *self)
{
  KioskDeviceManager *devices = kiosk_core_get_devices (self->core);

  for (guint i = 0; i < G_N_ELEMENTS (device_names); i++)
    {
      KioskDevice *d = kiosk_device_manager_get (devices, device_names[i].kind);
      const char *reason = d ? kiosk_device_get_reason (d) : NULL;
      g_autofree char *text = NULL;

      if (d == NULL)
        text = g_strdup_printf (_ ("%s: %s"), _ (device_names[i].name), _ ("not configured"));
      else if (reason && *reason)
        text = g_strdup_printf (_ ("%s: %s (%s)"), _ (device_names[i].name), state_text (kiosk_device_get_state (d)),
                                reason);
      else
        text = g_strdup_printf (_ ("%s: %s"), _ (device_names[i].name), state_text (kiosk_device_get_state (d)));
      gtk_label_set_text (GTK_LABEL (self->device_labels[i]), text);
    }
}

static void
device_changed_cb (KioskDeviceManager *devices, KioskDevice *device, KioskMaintPage *self)
{
  update_devices (self);
}

static void
update_status (KioskMaintPage *self)
{
  const KioskMaintStatus *st = kiosk_maint_get_status (self->maint);
  int backlog = kiosk_core_get_backlog (self->core);
  g_autofree char *queue = NULL;
  g_autofree char *disk = NULL;
  g_autoptr (GString) problems = g_string_new (NULL);

  if (st->valid)
    queue = g_strdup_printf (_ ("To sync: %d (oldest %lld min), synced: %d, rejected: %d"), st->pending,
                             (long long) (st->oldest_pending_age / 60), st->done, st->rejected);
  else
    queue = g_strdup_printf (_ ("To sync: %d"), backlog);
  if (st->disk_size > 0)
    {
      g_autofree char *free_s = g_format_size (st->disk_free);
      g_autofree char *size_s = g_format_size (st->disk_size);
      disk = g_strdup_printf (_ ("Disk: %s free of %s (%s)"), free_s, size_s, st->disk_folder);
    }
  else
    disk = g_strdup (st->error ? st->error : _ ("Disk: measuring…"));
  for (guint i = 0; st->problems && i < st->problems->len; i++)
    g_string_append_printf (problems, "%s%s", i ? "\n" : "", (char *) st->problems->pdata[i]);
  if (st->valid && problems->len == 0)
    g_string_append (problems, _ ("No rejected or failing items."));
  gtk_label_set_text (GTK_LABEL (self->queue_label), queue);
  gtk_label_set_text (GTK_LABEL (self->disk_label), disk);
  gtk_label_set_text (GTK_LABEL (self->problems_label), problems->str);
}

static void
status_changed_cb (KioskMaint *maint, KioskMaintPage *self)
{
  update_status (self);
}

static void
backlog_cb (KioskCore *core, GParamSpec *pspec, KioskMaintPage *self)
{
  update_status (self);
}

/* The outbox moves by itself (sync): measured again every few seconds while
 * the screen is open. */
static gboolean
status_tick_cb (gpointer data)
{
  KioskMaintPage *self = data;

  if (kiosk_maint_get_state (self->maint) == KIOSK_MAINT_OPEN)
    kiosk_maint_refresh (self->maint);
  return G_SOURCE_CONTINUE;
}

/* ---- open: the actions -------------------------------------------------------------- */

static const char *
action_label (KioskMaintAction action, gboolean on)
{
  switch (action)
    {
    case KIOSK_MAINT_ACTION_SYNC:
      return _ ("Sync now");
    case KIOSK_MAINT_ACTION_PRINT:
      return _ ("Print a test page");
    case KIOSK_MAINT_ACTION_PAD:
      return on ? _ ("Stop the pad test") : _ ("Pad test");
    case KIOSK_MAINT_ACTION_CAMERA:
      return on ? _ ("Stop the camera test") : _ ("Camera test");
    case KIOSK_MAINT_ACTION_CARD:
      return on ? _ ("Stop the card test") : _ ("Card read test");
    case KIOSK_MAINT_ACTION_LOG:
    default:
      return _ ("Log excerpt");
    }
}

static void
update_action (KioskMaintPage *self, KioskMaintAction action)
{
  gboolean on = kiosk_maint_get_test_on (self->maint, action);
  GtkWidget *button = self->action_buttons[action];
  const char *label = action_label (action, on);
  const char *result = kiosk_maint_get_test_result (self->maint, action);

  if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), label) != 0)
    {
      gtk_button_set_label (GTK_BUTTON (button), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  gtk_widget_set_sensitive (button,
                            action != KIOSK_MAINT_ACTION_PRINT
                                || kiosk_maint_get_test_state (self->maint, action) != KIOSK_MAINT_TEST_RUNNING);
  gtk_label_set_text (GTK_LABEL (self->action_results[action]), result);
  if (action == KIOSK_MAINT_ACTION_CAMERA)
    {
      if (on)
        gtk_stack_set_visible_child_name (GTK_STACK (self->output), "camera");
      else if (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->output)), "camera") == 0)
        {
          kiosk_maint_picture_set_texture (KIOSK_MAINT_PICTURE (self->picture), NULL);
          gtk_stack_set_visible_child_name (GTK_STACK (self->output), "none");
        }
    }
}

static void
test_changed_cb (KioskMaint *maint, int action, KioskMaintPage *self)
{
  if (action >= 0 && action < KIOSK_MAINT_N_ACTIONS)
    update_action (self, (KioskMaintAction) action);
}

static void
action_cb (GtkButton *button, KioskMaintPage *self)
{
  KioskMaintAction action = (KioskMaintAction) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "action"));

  switch (action)
    {
    case KIOSK_MAINT_ACTION_SYNC:
      kiosk_maint_sync_now (self->maint);
      break;
    case KIOSK_MAINT_ACTION_PRINT:
      kiosk_maint_test_print (self->maint);
      break;
    case KIOSK_MAINT_ACTION_LOG:
      {
        g_autofree char *text = kiosk_maint_log_excerpt (self->maint, LOG_LINES);
        g_auto (GStrv) lines = g_strsplit (g_strchomp (text), "\n", -1);
        guint n = g_strv_length (lines);
        g_autoptr (GString) newest_first = g_string_new (NULL);

        /* The newest line on top: what just happened is what is looked for. */
        for (guint i = n; i > 0; i--)
          g_string_append_printf (newest_first, "%s%s", lines[i - 1], i > 1 ? "\n" : "");
        gtk_label_set_text (GTK_LABEL (self->log_label), *text ? newest_first->str : _ ("The log is empty."));
        gtk_stack_set_visible_child_name (GTK_STACK (self->output), "log");
        break;
      }
    default:
      kiosk_maint_set_test (self->maint, action, !kiosk_maint_get_test_on (self->maint, action));
      break;
    }
  update_action (self, action);
}

/* The camera test's frames: wrapped in a texture as they come (the bytes
 * are the camera's, not copied). */
static void
camera_frame_cb (KioskMaint *maint, const KioskCameraFrame *frame, KioskMaintPage *self)
{
  g_autoptr (GdkTexture) texture = NULL;

  if (frame->format != KIOSK_CAMERA_FRAME_RGB24)
    return;
  texture
      = gdk_memory_texture_new (frame->width, frame->height, GDK_MEMORY_R8G8B8, frame->pixels, (gsize) frame->stride);
  kiosk_maint_picture_set_texture (KIOSK_MAINT_PICTURE (self->picture), texture);
}

static void
leave_cb (GtkButton *button, KioskMaintPage *self)
{
  kiosk_maint_leave (self->maint);
}

static void
refresh_cb (GtkButton *button, KioskMaintPage *self)
{
  kiosk_maint_refresh (self->maint);
  update_devices (self);
}

/* ---- state ------------------------------------------------------------------------- */

static void
update_state (KioskMaintPage *self)
{
  KioskMaintState state = kiosk_maint_get_state (self->maint);

  if (state == KIOSK_MAINT_OPEN)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "open");
      update_devices (self);
      update_status (self);
      for (guint i = 0; i < KIOSK_MAINT_N_ACTIONS; i++)
        update_action (self, (KioskMaintAction) i);
      if (self->status_id == 0)
        self->status_id = g_timeout_add_seconds (5, status_tick_cb, self);
      return;
    }
  g_clear_handle_id (&self->status_id, g_source_remove);
  /* Nothing a test showed stays behind. */
  gtk_label_set_text (GTK_LABEL (self->log_label), "");
  kiosk_maint_picture_set_texture (KIOSK_MAINT_PICTURE (self->picture), NULL);
  gtk_stack_set_visible_child_name (GTK_STACK (self->output), "none");
  gtk_editable_set_text (GTK_EDITABLE (self->pin_entry), "");
  kiosk_osk_reset (self->osk);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "pin");
  update_pin (self);
}

static void
maint_state_cb (KioskMaint *maint, GParamSpec *pspec, KioskMaintPage *self)
{
  update_state (self);
}

/* ---- building ------------------------------------------------------------------------ */

static GtkWidget *
build_top (KioskMaintPage *self, const char *title, GtkWidget *extra)
{
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  g_autofree char *id = g_strdup_printf (_ ("Kiosk %s · version %s"), kiosk_maint_get_kiosk_id (self->maint),
                                         kiosk_maint_get_version (self->maint));
  GtkWidget *leave = button_new (_ ("Leave maintenance"), "big-button");

  gtk_widget_set_hexpand (titles, TRUE);
  gtk_box_append (GTK_BOX (titles), heading_new (title, "page-title"));
  gtk_box_append (GTK_BOX (titles), label_new (id, "dim-label"));
  gtk_box_append (GTK_BOX (top), titles);
  if (extra)
    {
      gtk_widget_set_valign (extra, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (top), extra);
    }
  g_signal_connect (leave, "clicked", G_CALLBACK (leave_cb), self);
  gtk_widget_set_valign (leave, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (top), leave);
  return top;
}

static GtkWidget *
build_pin (KioskMaintPage *self)
{
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);

  gtk_box_append (GTK_BOX (page), build_top (self, _ ("Maintenance: technician's PIN"), NULL));
  /* the message (room for two lines, so nothing below it moves), the field
   * and the keys */
  self->pin_message = label_new (NULL, "card-title");
  gtk_label_set_max_width_chars (GTK_LABEL (self->pin_message), 28);
  gtk_widget_set_size_request (self->pin_message, -1, 80);
  gtk_label_set_yalign (GTK_LABEL (self->pin_message), 0);
  gtk_box_append (GTK_BOX (page), self->pin_message);
  self->pin_entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (self->pin_entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (self->pin_entry), GTK_INPUT_PURPOSE_PIN);
  gtk_entry_set_max_length (GTK_ENTRY (self->pin_entry), 12);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->pin_entry), _ ("PIN"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pin_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("PIN"), -1);
  gtk_widget_set_size_request (self->pin_entry, 360, 64);
  g_signal_connect (self->pin_entry, "activate", G_CALLBACK (pin_cb), self);
  self->pin_button = button_new (_ ("Confirm"), "suggested-action");
  gtk_widget_set_size_request (self->pin_button, 160, 64);
  g_signal_connect (self->pin_button, "clicked", G_CALLBACK (pin_cb), self);
  gtk_box_append (GTK_BOX (row), self->pin_entry);
  gtk_box_append (GTK_BOX (row), self->pin_button);
  gtk_box_append (GTK_BOX (page), row);
  self->osk = KIOSK_OSK (kiosk_osk_new ());
  kiosk_osk_bind (self->osk, self->pin_entry, KIOSK_OSK_LAYOUT_DIGITS);
  kiosk_osk_set_target (self->osk, self->pin_entry, KIOSK_OSK_LAYOUT_DIGITS);
  gtk_widget_set_halign (GTK_WIDGET (self->osk), GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->osk));
  return page;
}

static GtkWidget *
build_open (KioskMaintPage *self)
{
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *middle = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *card, *body, *grid, *scroll, *refresh;

  /* Three columns: what it shows, the tests, what a test shows. */
  refresh = button_new (_ ("Refresh"), "big-button");
  g_signal_connect (refresh, "clicked", G_CALLBACK (refresh_cb), self);
  gtk_box_append (GTK_BOX (page), build_top (self, _ ("Maintenance"), refresh));
  gtk_widget_set_vexpand (columns, TRUE);
  gtk_widget_set_hexpand (left, TRUE);
  gtk_widget_set_hexpand (right, TRUE);
  gtk_box_append (GTK_BOX (columns), left);
  gtk_box_append (GTK_BOX (columns), middle);
  gtk_box_append (GTK_BOX (columns), right);
  gtk_box_append (GTK_BOX (page), columns);

  /* devices, each with the technician's reason */
  card = card_new (_ ("Devices"), &body);
  for (guint i = 0; i < G_N_ELEMENTS (device_names); i++)
    {
      /* one line each, cut at the end when the reason is long (a path) */
      self->device_labels[i] = label_new (NULL, NULL);
      gtk_label_set_wrap (GTK_LABEL (self->device_labels[i]), FALSE);
      gtk_label_set_ellipsize (GTK_LABEL (self->device_labels[i]), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (body), self->device_labels[i]);
    }
  gtk_box_append (GTK_BOX (left), card);

  /* outbox and disk */
  card = card_new (_ ("Sync and storage"), &body);
  self->queue_label = label_new (NULL, NULL);
  self->disk_label = label_new (NULL, NULL);
  gtk_box_append (GTK_BOX (body), self->queue_label);
  gtk_box_append (GTK_BOX (body), self->disk_label);
  gtk_box_append (GTK_BOX (body), label_new (_ ("Rejected and failing items, with the platform's reasons:"), NULL));
  self->problems_label = label_new (NULL, "dim-label");
  gtk_label_set_wrap_mode (GTK_LABEL (self->problems_label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_valign (self->problems_label, GTK_ALIGN_START);
  scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), self->problems_label);
  gtk_widget_set_vexpand (scroll, TRUE);
  gtk_widget_set_size_request (scroll, -1, 64);
  gtk_box_append (GTK_BOX (body), scroll);
  gtk_widget_set_vexpand (card, TRUE);
  gtk_box_append (GTK_BOX (left), card);

  /* the actions, each with what it found on its right */
  card = card_new (_ ("Tests"), &body);
  grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 16);
  for (guint i = 0; i < KIOSK_MAINT_N_ACTIONS; i++)
    {
      GtkWidget *b = button_new (action_label ((KioskMaintAction) i, FALSE), NULL);
      gtk_widget_set_size_request (b, 200, 64);
      g_object_set_data (G_OBJECT (b), "action", GINT_TO_POINTER (i));
      g_signal_connect (b, "clicked", G_CALLBACK (action_cb), self);
      self->action_buttons[i] = b;
      self->action_results[i] = label_new (NULL, "dim-label");
      gtk_label_set_width_chars (GTK_LABEL (self->action_results[i]), 18);
      gtk_label_set_max_width_chars (GTK_LABEL (self->action_results[i]), 18);
      gtk_widget_set_hexpand (self->action_results[i], TRUE);
      gtk_grid_attach (GTK_GRID (grid), b, 0, (int) i, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), self->action_results[i], 1, (int) i, 1, 1);
    }
  gtk_box_append (GTK_BOX (body), grid);
  gtk_box_append (GTK_BOX (middle), card);

  /* the camera's picture or the log, in one fixed place */
  self->output = gtk_stack_new ();
  gtk_widget_set_size_request (self->output, PICTURE_WIDTH, PICTURE_HEIGHT);
  gtk_stack_set_vhomogeneous (GTK_STACK (self->output), FALSE);
  gtk_widget_set_vexpand (self->output, TRUE);
  gtk_stack_add_named (GTK_STACK (self->output), gtk_box_new (GTK_ORIENTATION_VERTICAL, 0), "none");
  self->picture = g_object_new (KIOSK_TYPE_MAINT_PICTURE, NULL);
  gtk_widget_set_hexpand (self->picture, TRUE);
  gtk_widget_set_vexpand (self->picture, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("The document camera's live picture"), -1);
  gtk_stack_add_named (GTK_STACK (self->output), self->picture, "camera");
  self->log_label = label_new (NULL, "numeric");
  gtk_label_set_wrap_mode (GTK_LABEL (self->log_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (self->log_label), FALSE);
  gtk_widget_set_valign (self->log_label, GTK_ALIGN_START);
  scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), self->log_label);
  gtk_stack_add_named (GTK_STACK (self->output), scroll, "log");
  gtk_box_append (GTK_BOX (right), self->output);
  return page;
}

GtkWidget *
kiosk_maint_page_new (KioskCore *core)
{
  KioskMaintPage *self = g_object_new (KIOSK_TYPE_MAINT_PAGE, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  self->core = g_object_ref (core);
  self->maint = g_object_ref (kiosk_core_get_maint (core));
  gtk_widget_add_css_class (box, "page");
  gtk_widget_add_css_class (box, "maint-page");
  self->stack = gtk_stack_new ();
  /* each screen its own size: the PIN prompt does not take the open
   * screen's, nor the other way round */
  gtk_stack_set_vhomogeneous (GTK_STACK (self->stack), FALSE);
  gtk_stack_set_hhomogeneous (GTK_STACK (self->stack), FALSE);
  gtk_stack_add_named (GTK_STACK (self->stack), build_pin (self), "pin");
  gtk_stack_add_named (GTK_STACK (self->stack), build_open (self), "open");
  gtk_widget_set_vexpand (self->stack, TRUE);
  gtk_box_append (GTK_BOX (box), self->stack);
  gtk_widget_set_parent (box, GTK_WIDGET (self));

  g_signal_connect_object (self->maint, "notify::state", G_CALLBACK (maint_state_cb), self, 0);
  g_signal_connect_object (self->maint, "notify::pin-busy", G_CALLBACK (maint_pin_cb), self, 0);
  g_signal_connect_object (self->maint, "notify::pin-wait", G_CALLBACK (maint_pin_cb), self, 0);
  g_signal_connect_object (self->maint, "notify::pin-locked", G_CALLBACK (maint_pin_cb), self, 0);
  g_signal_connect_object (self->maint, "notify::pin-message", G_CALLBACK (maint_pin_cb), self, 0);
  g_signal_connect_object (self->maint, "status-changed", G_CALLBACK (status_changed_cb), self, 0);
  g_signal_connect_object (self->maint, "test-changed", G_CALLBACK (test_changed_cb), self, 0);
  g_signal_connect_object (self->maint, "camera-frame", G_CALLBACK (camera_frame_cb), self, 0);
  g_signal_connect_object (core, "notify::backlog", G_CALLBACK (backlog_cb), self, 0);
  g_signal_connect_object (kiosk_core_get_devices (core), "device-changed", G_CALLBACK (device_changed_cb), self, 0);
  update_state (self);
  return GTK_WIDGET (self);
}

GtkWidget *
kiosk_maint_page_get_pin_entry (KioskMaintPage *self)
{
  g_return_val_if_fail (KIOSK_IS_MAINT_PAGE (self), NULL);
  return self->pin_entry;
}

GdkPaintable *
kiosk_maint_page_get_camera_picture (KioskMaintPage *self)
{
  g_return_val_if_fail (KIOSK_IS_MAINT_PAGE (self), NULL);
  return GDK_PAINTABLE (KIOSK_MAINT_PICTURE (self->picture)->texture);
}

static void
kiosk_maint_page_dispose (GObject *object)
{
  KioskMaintPage *self = KIOSK_MAINT_PAGE (object);

  g_clear_handle_id (&self->status_id, g_source_remove);
  _kiosk_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->maint);
  g_clear_object (&self->core);
  G_OBJECT_CLASS (kiosk_maint_page_parent_class)->dispose (object);
}

static void
kiosk_maint_page_class_init (KioskMaintPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kiosk_maint_page_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static void
kiosk_maint_page_init (KioskMaintPage *self)
{
}
