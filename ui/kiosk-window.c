/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-attract-page.h"
#include "kiosk-i18n.h"
#include "kiosk-maint.h"
#include "kiosk-shell.h"
#include "kiosk-window.h"

struct _KioskWindow {
  GtkApplicationWindow parent_instance;

  KioskCore *core;
  KioskSession *session;
  GtkWidget *overlay; /* the shell, the blank layer over it */
  GtkWidget *shell;
  GtkWidget *blank;
  gboolean kiosk_fullscreen;
  gboolean allow_close;
  gboolean first_frame_done;
  GdkFrameClock *frame_clock;
  gulong after_paint_id;
  guint rebuild_id;

  /* Screen blanking: seconds of idle attract screen counted so far, and
   * after how many the screen goes black (0: never). */
  int blank_after;
  int blank_elapsed;
  gboolean blanked;
  gboolean manual_clock;
  guint blank_tick_id;
};

G_DEFINE_FINAL_TYPE (KioskWindow, kiosk_window, GTK_TYPE_APPLICATION_WINDOW)

/* ---- the blank layer: black over the whole window, nothing else -------- */

#define KIOSK_TYPE_BLANK_LAYER (kiosk_blank_layer_get_type ())
G_DECLARE_FINAL_TYPE (KioskBlankLayer, kiosk_blank_layer, KIOSK, BLANK_LAYER, GtkWidget)

struct _KioskBlankLayer {
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (KioskBlankLayer, kiosk_blank_layer, GTK_TYPE_WIDGET)

static void
kiosk_blank_layer_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  /* Not from the style sheet: black whatever the theme or 长辈模式. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA){ 0, 0, 0, 1 },
                             &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget), gtk_widget_get_height (widget)));
}

static void
kiosk_blank_layer_class_init (KioskBlankLayerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = kiosk_blank_layer_snapshot;
  gtk_widget_class_set_css_name (widget_class, "kiosk-blank");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
kiosk_blank_layer_init (KioskBlankLayer *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_can_target (GTK_WIDGET (self), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

enum { SIGNAL_FIRST_FRAME, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
rebuild_shell (KioskWindow *self)
{
  /* Every page is built again so every string, from the templates and from
   * code, is looked up in the new language. The pages take their state from
   * the session, so nothing the resident did is lost. */
  self->shell = kiosk_shell_new (self->core);
  gtk_overlay_set_child (GTK_OVERLAY (self->overlay), self->shell);
}

static gboolean
rebuild_idle_cb (gpointer data)
{
  KioskWindow *self = data;

  self->rebuild_id = 0;
  rebuild_shell (self);
  return G_SOURCE_REMOVE;
}

static void
language_cb (KioskSession *session, GParamSpec *pspec, KioskWindow *self)
{
  const char *lang = kiosk_session_get_language (session);

  if (g_strcmp0 (lang, kiosk_i18n_get_language ()) == 0)
    return;
  kiosk_i18n_set_language (lang);
  /* Not now: the toggle's own "clicked" handler is still running. */
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, rebuild_idle_cb, self, NULL);
}

static void
elder_cb (KioskSession *session, GParamSpec *pspec, KioskWindow *self)
{
  if (kiosk_session_get_elder_mode (session))
    gtk_widget_add_css_class (GTK_WIDGET (self), "elder");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "elder");
}

/* ---- screen blanking ---------------------------------------------------- */

static void
set_blanked (KioskWindow *self, gboolean blanked)
{
  self->blank_elapsed = 0;
  if (self->blanked == blanked || self->blank == NULL)
    return;
  self->blanked = blanked;
  g_info ("screen %s", blanked ? "blanked" : "woken");
  gtk_widget_set_visible (self->blank, blanked);
}

/* Someone is there: a device works on a resident's request and tells them
 * so (a card being read, a receipt printing). A shared printer busy with
 * another station's job says nothing to the resident; an absent or failing
 * device is the technician's matter. Neither keeps the screen on. */
static gboolean
busy_for_resident (KioskDevice *device)
{
  const char *message;

  if (kiosk_device_get_state (device) != KIOSK_DEVICE_STATE_BUSY)
    return FALSE;
  message = kiosk_device_get_message (device);
  return message != NULL && *message != '\0';
}

static gboolean
device_busy (KioskWindow *self)
{
  KioskDeviceManager *devices = kiosk_core_get_devices (self->core);

  for (const char *const *kind = kiosk_device_kinds (); *kind != NULL; kind++)
    {
      KioskDevice *device = kiosk_device_manager_get (devices, *kind);
      if (device != NULL && busy_for_resident (device))
        return TRUE;
    }
  return FALSE;
}

/* Only the attract screen with nobody there counts towards blanking: never
 * a session (it has its own idle wipe), a card notice or a busy device. */
static gboolean
blank_may_count (KioskWindow *self)
{
  return kiosk_session_get_state (self->session) == KIOSK_SESSION_ATTRACT
         && kiosk_maint_get_state (kiosk_core_get_maint (self->core)) == KIOSK_MAINT_OFF
         && !kiosk_session_get_idle_warning (self->session)
         && kiosk_shell_get_card_notice (KIOSK_SHELL (self->shell)) == NULL && !device_busy (self);
}

void
kiosk_window_tick (KioskWindow *self)
{
  g_return_if_fail (KIOSK_IS_WINDOW (self));

  if (self->blank_after <= 0 || self->blanked || self->shell == NULL)
    return;
  if (!blank_may_count (self))
    {
      self->blank_elapsed = 0;
      return;
    }
  if (++self->blank_elapsed >= self->blank_after)
    set_blanked (self, TRUE);
}

static gboolean
blank_tick_cb (gpointer data)
{
  kiosk_window_tick (data);
  return G_SOURCE_CONTINUE;
}

static void
update_blank_timer (KioskWindow *self)
{
  gboolean want = self->blank_after > 0 && !self->manual_clock;

  if (want && self->blank_tick_id == 0)
    self->blank_tick_id = g_timeout_add_seconds (1, blank_tick_cb, self);
  else if (!want)
    g_clear_handle_id (&self->blank_tick_id, g_source_remove);
}

void
kiosk_window_set_manual_clock (KioskWindow *self, gboolean manual)
{
  g_return_if_fail (KIOSK_IS_WINDOW (self));
  self->manual_clock = manual;
  update_blank_timer (self);
}

gboolean
kiosk_window_get_blanked (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), FALSE);
  return self->blanked;
}

/* A card read or refused, a session begun: someone is there. */
static void
blank_state_cb (KioskSession *session, GParamSpec *pspec, KioskWindow *self)
{
  if (kiosk_session_get_state (session) != KIOSK_SESSION_ATTRACT)
    set_blanked (self, FALSE);
  else
    self->blank_elapsed = 0;
}

static void
blank_card_notice_cb (KioskSession *session, int notice, KioskWindow *self)
{
  set_blanked (self, FALSE);
}

static void
blank_device_cb (KioskDeviceManager *devices, KioskDevice *device, KioskWindow *self)
{
  if (busy_for_resident (device))
    set_blanked (self, FALSE);
}

void
kiosk_window_activity (KioskWindow *self)
{
  g_return_if_fail (KIOSK_IS_WINDOW (self));
  KioskMaint *maint = kiosk_core_get_maint (self->core);

  self->blank_elapsed = 0;
  /* On the maintenance screen a touch is the technician's: it keeps that
   * screen open and begins no resident's session. */
  if (kiosk_maint_get_state (maint) != KIOSK_MAINT_OFF)
    {
      kiosk_maint_touch (maint);
      return;
    }
  kiosk_session_touch (self->session);
}

static gboolean
touch_reads_notice (KioskWindow *self, double x, double y)
{
  GtkWidget *page;

  if (self->shell == NULL || kiosk_session_get_state (self->session) != KIOSK_SESSION_ATTRACT)
    return FALSE;
  page = kiosk_shell_get_page (KIOSK_SHELL (self->shell), "attract");
  return page != NULL
         && kiosk_attract_page_touch (KIOSK_ATTRACT_PAGE (page),
                                      gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT));
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, KioskWindow *self)
{
  /* The first touch on a black screen only wakes it: claimed here, in the
   * capture phase, it reaches nothing below (the blank layer is what is
   * under the finger anyway), and it does not begin a session. */
  if (self->blanked)
    {
      set_blanked (self, FALSE);
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }
  /* A notice touched on the attract screen in 长辈模式 is read aloud and
   * begins no session (kiosk-attract-page.h). */
  if (touch_reads_notice (self, x, y))
    {
      self->blank_elapsed = 0;
      return;
    }
  /* Capture phase, never claimed: the widget under the finger still gets
   * the press. */
  kiosk_window_activity (self);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state,
                KioskWindow *self)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  guint lower = gdk_keyval_to_lower (keyval);

  /* A key on a black screen only wakes it, like a touch. */
  if (self->blanked)
    {
      set_blanked (self, FALSE);
      return GDK_EVENT_STOP;
    }
  self->blank_elapsed = 0;

  /* No way out of the kiosk by keyboard: Alt-F4, Ctrl-Q/W, Escape, F10 (menu
   * bar), the inspector (Ctrl-Shift-I/D) and every Alt/Super shortcut are
   * swallowed before any widget sees them. Plain typing still works. */
  if (mods & (GDK_ALT_MASK | GDK_SUPER_MASK | GDK_META_MASK | GDK_HYPER_MASK))
    return GDK_EVENT_STOP;
  if ((mods & GDK_CONTROL_MASK)
      && (lower == GDK_KEY_q || lower == GDK_KEY_w || lower == GDK_KEY_i || lower == GDK_KEY_d))
    return GDK_EVENT_STOP;
  if (keyval == GDK_KEY_Escape || (keyval >= GDK_KEY_F1 && keyval <= GDK_KEY_F35))
    return GDK_EVENT_STOP;
  return GDK_EVENT_PROPAGATE;
}

static gboolean
close_request_cb (GtkWindow *window, KioskWindow *self)
{
  if (self->allow_close)
    return FALSE;
  g_info ("close request refused");
  return TRUE; /* stop: the window stays */
}

void
kiosk_window_set_allow_close (KioskWindow *self, gboolean allow)
{
  g_return_if_fail (KIOSK_IS_WINDOW (self));
  self->allow_close = allow;
}

/* What the window drew in its last paint (GTK keeps it until the next
 * change), or NULL when it has not drawn yet. */
static GskRenderNode *
last_frame (KioskWindow *self)
{
  g_autoptr (GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (width <= 0 || height <= 0)
    return NULL;
  paintable = gtk_widget_paintable_new (GTK_WIDGET (self));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  return gtk_snapshot_free_to_node (snapshot);
}

static void
after_paint_cb (GdkFrameClock *clock, KioskWindow *self)
{
  g_autoptr (GskRenderNode) node = NULL;

  if (self->first_frame_done)
    return;
  /* A frame clock cycle can pass before the X server maps the window; the
   * first frame is the first one that really drew something. */
  node = last_frame (self);
  if (node == NULL)
    return;
  self->first_frame_done = TRUE;
  g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_signal_emit (self, signals[SIGNAL_FIRST_FRAME], 0);
}

gboolean
kiosk_window_get_first_frame_done (KioskWindow *self)
{
  return self->first_frame_done;
}

/* The style sheet's text sizes are in em of the window's font, designed
 * for 1920×1080: scale that font to the screen the kiosk really has, so a
 * 1280×800 or 1366×768 panel shows the same screens, smaller. */
static void
scale_to (KioskWindow *self, int width, int height)
{
  static GtkCssProvider *provider;
  double scale = MIN (width / 1920.0, height / 1080.0);
  int normal = CLAMP ((int) (22 * scale + 0.5), 14, 30);
  /* 长辈模式: 1.5 times the text (33 px at 1920×1080). */
  int elder = CLAMP ((int) (normal * 1.5 + 0.5), 21, 45);
  g_autofree char *css = g_strdup_printf ("window.kiosk { font-size: %dpx; }\n"
                                          "window.kiosk.elder { font-size: %dpx; }\n",
                                          normal, elder);

  if (provider == NULL)
    {
      provider = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
    }
  gtk_css_provider_load_from_data (provider, css, -1);
  if (width < 1600 || height < 900)
    gtk_widget_add_css_class (GTK_WIDGET (self), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "compact");
}

static void
size_to_monitor (KioskWindow *self)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GListModel *monitors = gdk_display_get_monitors (display);
  g_autoptr (GdkMonitor) monitor = NULL;
  GdkRectangle geometry;

  if (g_list_model_get_n_items (monitors) == 0)
    return;
  monitor = g_list_model_get_item (monitors, 0);
  gdk_monitor_get_geometry (monitor, &geometry);
  /* Without a window manager (a bare X server, Xvfb) fullscreen requests are
   * ignored: be as large as the screen anyway. */
  gtk_window_set_default_size (GTK_WINDOW (self), geometry.width, geometry.height);
  scale_to (self, geometry.width, geometry.height);
}

static void
kiosk_window_realize (GtkWidget *widget)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  GdkSurface *surface;

  GTK_WIDGET_CLASS (kiosk_window_parent_class)->realize (widget);
  surface = gtk_native_get_surface (GTK_NATIVE (self));
  if (!self->first_frame_done && surface != NULL)
    {
      self->frame_clock = g_object_ref (gdk_surface_get_frame_clock (surface));
      self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint", G_CALLBACK (after_paint_cb), self);
    }
}

static void
kiosk_window_unrealize (GtkWidget *widget)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
  GTK_WIDGET_CLASS (kiosk_window_parent_class)->unrealize (widget);
}

/* GtkWidgetPaintable shows the render node the window kept from its last
 * paint, dropped as soon as anything changes: call this from the frame
 * clock's "after-paint" (or "first-frame"), before changing anything. */
gboolean
kiosk_window_save_screenshot (KioskWindow *self, const char *path, GError **error)
{
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderer *renderer;

  g_return_val_if_fail (KIOSK_IS_WINDOW (self), FALSE);

  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  node = last_frame (self);
  if (renderer == NULL || node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "the window has not drawn a frame yet");
      return FALSE;
    }
  texture = gsk_renderer_render_texture (
      renderer, node,
      &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (self)), gtk_widget_get_height (GTK_WIDGET (self))));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not write %s", path);
      return FALSE;
    }
  return TRUE;
}

GtkWidget *
kiosk_window_get_shell (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return self->shell;
}

KioskWindow *
kiosk_window_new (GtkApplication *app, KioskCore *core, gboolean fullscreen)
{
  KioskWindow *self = g_object_new (KIOSK_TYPE_WINDOW, "application", app, NULL);
  KioskConfig *config = kiosk_core_get_config (core);

  self->core = g_object_ref (core);
  self->session = g_object_ref (kiosk_core_get_session (core));
  self->kiosk_fullscreen = fullscreen;

  kiosk_i18n_set_language (kiosk_session_get_language (self->session));
  g_signal_connect_object (self->session, "notify::language", G_CALLBACK (language_cb), self, 0);
  g_signal_connect_object (self->session, "notify::elder-mode", G_CALLBACK (elder_cb), self, 0);
  elder_cb (self->session, NULL, self);

  self->blank_after = kiosk_config_get_int (config, "ui", "blank-after-minutes") * 60;
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (blank_state_cb), self, 0);
  g_signal_connect_object (self->session, "card-notice", G_CALLBACK (blank_card_notice_cb), self, 0);
  g_signal_connect_object (kiosk_core_get_devices (core), "device-changed", G_CALLBACK (blank_device_cb), self, 0);
  update_blank_timer (self);

  if (fullscreen)
    {
      size_to_monitor (self);
      gtk_window_fullscreen (GTK_WINDOW (self));
      /* A touch screen: no pointer arrow over the screens. */
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");
    }
  else
    {
      int width = kiosk_config_get_int (config, "ui", "width");
      int height = kiosk_config_get_int (config, "ui", "height");

      gtk_window_set_default_size (GTK_WINDOW (self), width, height);
      scale_to (self, width, height);
    }
  rebuild_shell (self);
  return self;
}

static void
kiosk_window_dispose (GObject *object)
{
  KioskWindow *self = KIOSK_WINDOW (object);

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  g_clear_handle_id (&self->blank_tick_id, g_source_remove);
  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
  g_clear_object (&self->session);
  g_clear_object (&self->core);
  self->shell = NULL;
  self->blank = NULL;
  self->overlay = NULL;
  G_OBJECT_CLASS (kiosk_window_parent_class)->dispose (object);
}

static void
kiosk_window_class_init (KioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_window_dispose;
  widget_class->realize = kiosk_window_realize;
  widget_class->unrealize = kiosk_window_unrealize;

  signals[SIGNAL_FIRST_FRAME]
      = g_signal_new ("first-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kiosk_window_init (KioskWindow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_window_set_decorated (GTK_WINDOW (self), FALSE);
  gtk_window_set_title (GTK_WINDOW (self), "kiosk");
  gtk_window_set_handle_menubar_accel (GTK_WINDOW (self), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");

  self->overlay = gtk_overlay_new ();
  self->blank = g_object_new (KIOSK_TYPE_BLANK_LAYER, NULL);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), self->blank);
  gtk_window_set_child (GTK_WINDOW (self), self->overlay);

  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (click), "kiosk-activity");
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_event_controller_set_name (keys, "kiosk-no-exit");
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), self);
}
