/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 长辈模式, contrast and the 办事指南 screens as residents meet them (issue
 * 13: 3, 11, 12, 14, 15, 16), in-process under Xvfb:
 *  - contrast of every drawn text, measured on the rendered frame (text
 *    pixels against the background around them, opacity and the real
 *    backgrounds included): at least 4.5:1, in 长辈模式 at least 7:1;
 *  - 长辈模式 text at least 1.5 times larger, keypad keys too; the whole
 *    pill toggles it, on the menu and on the attract screen;
 *  - a card holder aged 60 or more is offered 长辈模式 once, never forced;
 *  - 办事指南: the chosen item highlighted and its guide shown from the top,
 *    the print button disabled with the station's phone while the printer
 *    is absent; department headings without source remarks; the printed
 *    guide's handling level not called a place;
 *  - the seed notices promise only what the kiosk offers.
 * Screenshots go to screenshots-elder/ in the build folder. Skips (77)
 * without a display. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "kiosk-guide-journey.h"
#include "kiosk-identity.h"
#include "kiosk-item-search.h"
#include "kiosk-menu-page.h"
#include "kiosk-osk.h"
#include "kiosk-shell.h"
#include "kiosk-ui-test.h"
#include "kiosk-ui.h"
#include "kiosk-window.h"
#include "print-document.h"

#define STATION "测试村便民服务站"
#define PHONE "0311-82012345"

static struct {
  gboolean small; /* "small": a 1280x800 window, the compact layout */
  char *dir;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
} T;

/* ---- helpers ------------------------------------------------------------- */

static KioskShell *
shell (void)
{
  return KIOSK_SHELL (kiosk_window_get_shell (T.window));
}

static void
assert_page (const char *name)
{
  g_assert_cmpstr (kiosk_shell_get_page_name (shell ()), ==, name);
}

static char *
seed_catalog_path (void)
{
  return g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
}

static JsonObject *
load_seed (JsonParser *parser)
{
  g_autofree char *path = seed_catalog_path ();
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* Back to the menu in the mode asked for. */
static void
to_menu (gboolean elder)
{
  kiosk_window_activity (T.window);
  if (kiosk_session_get_state (T.session) != KIOSK_SESSION_MENU)
    kiosk_session_back (T.session);
  kiosk_session_set_elder_mode (T.session, elder);
  kiosk_ui_test_wait_frame ();
  assert_page ("menu");
}

static void
open_journey (const char *id)
{
  KioskJourney *j = kiosk_session_find_journey (T.session, id);

  kiosk_window_activity (T.window);
  g_assert_true (kiosk_session_select_journey (T.session, id));
  kiosk_ui_test_wait_frame ();
  assert_page ("journey");
  if (KIOSK_IS_GUIDE_JOURNEY (j))
    KIOSK_UI_TEST_WAIT_FOR (!kiosk_guide_journey_get_loading (KIOSK_GUIDE_JOURNEY (j)), 20);
  kiosk_ui_test_settle (100);
  kiosk_ui_test_wait_frame ();
}

/* ---- contrast on the rendered frame -------------------------------------- */

static double
channel (guint8 c)
{
  double v = c / 255.0;
  return v <= 0.04045 ? v / 12.92 : pow ((v + 0.055) / 1.055, 2.4);
}

/* WCAG 2 relative luminance and contrast ratio. */
static double
luminance (guint32 rgb)
{
  return 0.2126 * channel ((rgb >> 16) & 0xff) + 0.7152 * channel ((rgb >> 8) & 0xff) + 0.0722 * channel (rgb & 0xff);
}

static double
contrast (guint32 a, guint32 b)
{
  double la = luminance (a), lb = luminance (b);
  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

static gboolean
is_text (GtkWidget *w, gpointer data)
{
  const char *t;

  if (!(GTK_IS_LABEL (w) || GTK_IS_TEXT (w)) || !gtk_widget_is_drawable (w))
    return FALSE;
  /* Disabled controls are exempt (WCAG 1.4.3): they are checked apart. */
  if (!gtk_widget_is_sensitive (w))
    return FALSE;
  t = GTK_IS_LABEL (w) ? gtk_label_get_text (GTK_LABEL (w)) : gtk_editable_get_text (GTK_EDITABLE (w));
  while (t != NULL && g_ascii_isspace (*t))
    t++;
  return t != NULL && *t != '\0';
}

/* The part of @w on screen: its bounds cut by every scrolled view above it. */
static gboolean
visible_rect (GtkWidget *w, graphene_rect_t *out)
{
  GtkWidget *root = GTK_WIDGET (T.window);

  if (!gtk_widget_compute_bounds (w, root, out))
    return FALSE;
  for (GtkWidget *a = gtk_widget_get_parent (w); a != NULL; a = gtk_widget_get_parent (a))
    if (GTK_IS_VIEWPORT (a) || GTK_IS_SCROLLED_WINDOW (a) || GTK_IS_STACK (a))
      {
        graphene_rect_t clip;
        if (!gtk_widget_compute_bounds (a, root, &clip) || !graphene_rect_intersection (out, &clip, out))
          return FALSE;
      }
  return out->size.width >= 2 && out->size.height >= 2;
}

typedef struct {
  guchar *pixels;
  int width, height;
  gsize stride;
} Frame;

static guint32
pixel (const Frame *f, int x, int y)
{
  const guchar *p = f->pixels + (gsize) y * f->stride + (gsize) x * 4;
  /* GDK_MEMORY_DEFAULT: B G R A (premultiplied) on little endian; the
   * screenshot is opaque. */
  guint32 v;
  memcpy (&v, p, 4);
  return v & 0xffffff;
}

static void
frame_load (Frame *f)
{
  g_autofree char *path = g_build_filename (T.dir, "frame.png", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = NULL;

  kiosk_ui_test_wait_frame ();
  g_assert_true (kiosk_window_save_screenshot (T.window, path, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  f->width = gdk_texture_get_width (texture);
  f->height = gdk_texture_get_height (texture);
  f->stride = (gsize) f->width * 4;
  f->pixels = g_malloc (f->stride * f->height);
  gdk_texture_download (texture, f->pixels, f->stride);
}

/* The contrast of one text as drawn: the colour found most in its box is
 * the background, the pixel furthest from it the text (anti-aliasing only
 * blends text towards the background). 0 when nothing is drawn there. */
static double
text_contrast (const Frame *f, GtkWidget *w, guint32 *fg_out, guint32 *bg_out)
{
  graphene_rect_t r;
  g_autoptr (GHashTable) counts = g_hash_table_new (NULL, NULL);
  GHashTableIter it;
  gpointer key, value;
  guint32 bg = 0, fg = 0;
  guint best = 0;
  double worst = 1.0;
  int x0, y0, x1, y1;

  if (!visible_rect (w, &r))
    return 0;
  x0 = MAX (0, (int) ceil (r.origin.x));
  y0 = MAX (0, (int) ceil (r.origin.y));
  x1 = MIN (f->width, (int) floor (r.origin.x + r.size.width));
  y1 = MIN (f->height, (int) floor (r.origin.y + r.size.height));
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        gpointer k = GUINT_TO_POINTER (pixel (f, x, y) | 0x1000000);
        g_hash_table_insert (counts, k, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, k)) + 1));
      }
  g_hash_table_iter_init (&it, counts);
  while (g_hash_table_iter_next (&it, &key, &value))
    if (GPOINTER_TO_UINT (value) > best)
      {
        best = GPOINTER_TO_UINT (value);
        bg = GPOINTER_TO_UINT (key) & 0xffffff;
      }
  g_hash_table_iter_init (&it, counts);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      guint32 c = GPOINTER_TO_UINT (key) & 0xffffff;
      if (contrast (c, bg) > worst)
        {
          worst = contrast (c, bg);
          fg = c;
        }
    }
  *fg_out = fg;
  *bg_out = bg;
  return g_hash_table_size (counts) > 1 ? worst : 0;
}

/* Every text on the screen at least @min:1; the failures are listed. */
static void
check_contrast (const char *screen, double min, GString *failures)
{
  Frame f = { 0 };
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();
  guint measured = 0;

  kiosk_ui_test_screenshot (screen);
  frame_load (&f);
  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_text, NULL, texts);
  for (guint i = 0; i < texts->len; i++)
    {
      GtkWidget *w = texts->pdata[i];
      guint32 fg = 0, bg = 0;
      double c = text_contrast (&f, w, &fg, &bg);
      const char *t = GTK_IS_LABEL (w) ? gtk_label_get_text (GTK_LABEL (w)) : gtk_editable_get_text (GTK_EDITABLE (w));

      if (c == 0)
        continue;
      measured++;
      if (c < min)
        {
          g_autofree char *shown = g_utf8_substring (t, 0, MIN (g_utf8_strlen (t, -1), 24));
          g_string_append_printf (failures, "  %s: \"%s\" #%06x on #%06x = %.2f:1 (< %.1f)\n", screen, shown, fg, bg, c,
                                  min);
        }
    }
  g_test_message ("%s: %u texts measured", screen, measured);
  g_assert_cmpuint (measured, >, 3);
  g_free (f.pixels);
}

static void
check_screens (gboolean elder, double min)
{
  g_autoptr (GString) failures = g_string_new (NULL);
  const char *suffix = elder ? "-elder" : "";
  g_autofree char *attract = g_strconcat ("contrast-attract", suffix, NULL);
  g_autofree char *menu = g_strconcat ("contrast-menu", suffix, NULL);
  g_autofree char *guide = g_strconcat ("contrast-guide", suffix, NULL);
  g_autofree char *progress = g_strconcat ("contrast-progress", suffix, NULL);

  /* The attract screen in that mode (the configured default). */
  kiosk_session_wipe (T.session);
  kiosk_session_set_elder_mode (T.session, elder);
  kiosk_ui_test_wait_frame ();
  assert_page ("attract");
  check_contrast (attract, min, failures);

  to_menu (elder);
  check_contrast (menu, min, failures);
  open_journey ("guide");
  check_contrast (guide, min, failures);
  to_menu (elder);
  open_journey ("progress");
  check_contrast (progress, min, failures);
  to_menu (elder);
  if (failures->len > 0)
    g_error ("texts below %.1f:1:\n%s", min, failures->str);
}

static void
test_contrast_normal (void)
{
  check_screens (FALSE, 4.5);
}

static void
test_contrast_elder (void)
{
  check_screens (TRUE, 7.0);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

/* ---- 长辈模式: 1.5 times, the whole pill, from the attract screen too ------ */

static double
font_px (GtkWidget *w)
{
  const PangoFontDescription *fd = pango_context_get_font_description (gtk_widget_get_pango_context (w));
  double size = pango_font_description_get_size (fd) / (double) PANGO_SCALE;

  /* CSS px sizes are absolute in Pango units of device pixels. */
  g_assert_true (pango_font_description_get_size_is_absolute (fd));
  return size;
}

static gboolean
is_key (GtkWidget *w, gpointer cls)
{
  return GTK_IS_BUTTON (w) && gtk_widget_has_css_class (w, cls) && gtk_widget_is_drawable (w);
}

/* The first drawn button of class @cls, or NULL. */
static GtkWidget *
find_key (const char *cls)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_key, (gpointer) cls, keys);
  return keys->len ? keys->pdata[0] : NULL;
}

typedef struct {
  double menu_text, tile_title, page_title;
  int key_w, key_h, digit_w, digit_h;
  int min_key_h;   /* the lowest drawn key of the keypad */
  gboolean layers; /* the letters are behind a 字母 key */
} Sizes;

/* The drawn keypad key labelled @label, or NULL. */
static GtkWidget *
find_drawn_key (const char *label)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_key, (gpointer) "key", keys);
  for (guint i = 0; i < keys->len; i++)
    if (g_strcmp0 (gtk_button_get_label (keys->pdata[i]), label) == 0)
      return keys->pdata[i];
  return NULL;
}

/* The height of the lowest drawn keypad key (删除, 清空 ... included). */
static void
min_key_h (int *out)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_key, (gpointer) "key", keys);
  g_assert_cmpuint (keys->len, >, 0);
  *out = G_MAXINT;
  for (guint i = 0; i < keys->len; i++)
    *out = MIN (*out, gtk_widget_get_height (keys->pdata[i]));
}

/* "small": the screen fits 1280x800 (the window grows instead of cutting
 * off, so this is measured, not seen). The 进度查询 keypad's seven rows of
 * keys needed 979 px there, in 长辈模式 too. */
static void
assert_fits_small (const char *what)
{
  int min_height = 0, min_width = 0;

  if (!T.small)
    return;
  gtk_widget_measure (kiosk_window_get_shell (T.window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  if (min_width > 1280)
    g_error ("the %s screen needs %d px wide at 1280x800", what, min_width);
  gtk_widget_measure (kiosk_window_get_shell (T.window), GTK_ORIENTATION_VERTICAL, 1280, &min_height, NULL, NULL, NULL);
  g_test_message ("%s: %d px high at 1280 px wide", what, min_height);
  if (min_height > 800)
    g_error ("the %s screen needs %d px at 1280x800", what, min_height);
}

static void
measure (Sizes *s, const char *suffix)
{
  g_autofree char *menu = g_strconcat ("menu", suffix, NULL);
  g_autofree char *progress = g_strconcat ("progress", suffix, NULL);
  GtkWidget *key, *digit;

  s->menu_text = font_px (kiosk_ui_test_find_shown ("长辈模式"));
  s->tile_title = font_px (kiosk_ui_test_find_shown ("办事指南"));
  s->page_title = font_px (kiosk_ui_test_find_shown ("您好"));
  assert_fits_small (menu);
  kiosk_ui_test_screenshot (menu);
  open_journey ("progress");
  /* A digit key first (digits come first), then the letter Q, on the
   * letters layer where the keypad has one. */
  digit = find_key ("digit-key");
  key = find_drawn_key ("Q");
  if (key == NULL)
    {
      graphene_rect_t before, after;
      GtkWidget *keypad = NULL;

      for (GtkWidget *w = digit; w; w = gtk_widget_get_parent (w))
        if (g_strcmp0 (gtk_widget_get_name (w), "progress-keypad") == 0)
          keypad = w;
      g_assert_nonnull (keypad);
      g_assert_true (gtk_widget_compute_bounds (keypad, GTK_WIDGET (T.window), &before));
      kiosk_ui_test_click ("字母");
      kiosk_ui_test_wait_frame ();
      key = find_drawn_key ("Q");
      if (key == NULL)
        g_error ("no letter Q on the 进度查询 keypad, not even behind 字母");
      /* The letters take the digits' place: nothing moves or grows. */
      g_assert_true (gtk_widget_compute_bounds (keypad, GTK_WIDGET (T.window), &after));
      g_assert_true (graphene_rect_equal (&before, &after));
      g_assert_null (find_drawn_key ("5"));
      {
        g_autofree char *letters = g_strconcat ("progress-letters", suffix, NULL);
        kiosk_ui_test_assert_touch_targets (64);
        assert_fits_small (letters);
        kiosk_ui_test_screenshot (letters);
      }
      s->key_w = gtk_widget_get_width (key);
      s->key_h = gtk_widget_get_height (key);
      s->layers = TRUE;
      kiosk_ui_test_click ("数字");
      kiosk_ui_test_wait_frame ();
      g_assert_null (find_drawn_key ("Q"));
      g_assert_nonnull (find_drawn_key ("5"));
    }
  else
    {
      s->key_w = gtk_widget_get_width (key);
      s->key_h = gtk_widget_get_height (key);
    }
  min_key_h (&s->min_key_h);
  s->digit_w = digit ? gtk_widget_get_width (digit) : 1;
  s->digit_h = digit ? gtk_widget_get_height (digit) : 1;
  kiosk_ui_test_assert_touch_targets (64);
  assert_fits_small (progress);
  kiosk_ui_test_screenshot (progress);
  kiosk_session_back (T.session);
  kiosk_ui_test_wait_frame ();
  assert_page ("menu");
}

#define ASSERT_GROWS(what, a, b)                                                                             \
  G_STMT_START                                                                                               \
  {                                                                                                          \
    if ((double) (b) < 1.5 * (double) (a) -1.0)                                                              \
      g_error ("%s: %.1f in 长辈模式, %.1f normally: %.2f times, not 1.5", what, (double) (b), (double) (a), \
               (double) (b) / (double) (a));                                                                 \
  }                                                                                                          \
  G_STMT_END

static void
test_scale (void)
{
  Sizes normal, elder;
  GtkWidget *pill;

  to_menu (FALSE);
  measure (&normal, "");

  /* The whole pill is a button: a touch anywhere on it toggles. */
  pill = kiosk_ui_test_button ("长辈模式");
  g_assert_nonnull (pill);
  g_assert_true (GTK_IS_TOGGLE_BUTTON (pill));
  g_assert_cmpint (gtk_widget_get_width (pill), >=, 200);
  g_signal_emit_by_name (pill, "clicked");
  g_assert_true (kiosk_session_get_elder_mode (T.session));
  kiosk_ui_test_wait_frame ();
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (T.window), "elder"));
  measure (&elder, "-elder");

  ASSERT_GROWS ("text", normal.menu_text, elder.menu_text);
  ASSERT_GROWS ("tile title", normal.tile_title, elder.tile_title);
  /* At 1280x800 the page title grows less (compact.elder caps it so the
   * menu fits): a gap of its own, reported in the README. */
  if (!T.small)
    ASSERT_GROWS ("page title", normal.page_title, elder.page_title);
  /* Keys 1.5 times as wide and as tall (they were only wider: seven rows
   * of taller keys did not fit the screen), every key of the keypad; the
   * screen still fits (each screenshot checks it). */
  ASSERT_GROWS ("letter key width", normal.key_w, elder.key_w);
  ASSERT_GROWS ("letter key height", normal.key_h, elder.key_h);
  ASSERT_GROWS ("lowest key height", normal.min_key_h, elder.min_key_h);
  if (normal.digit_w > 1)
    {
      ASSERT_GROWS ("digit key width", normal.digit_w, elder.digit_w);
      ASSERT_GROWS ("digit key height", normal.digit_h, elder.digit_h);
    }
  g_test_message ("text %.0f -> %.0f px, keys %dx%d -> %dx%d, digits %dx%d -> %dx%d", normal.menu_text, elder.menu_text,
                  normal.key_w, normal.key_h, elder.key_w, elder.key_h, normal.digit_w, normal.digit_h, elder.digit_w,
                  elder.digit_h);

  /* And off again with the same pill. */
  pill = kiosk_ui_test_button ("长辈模式");
  g_signal_emit_by_name (pill, "clicked");
  g_assert_false (kiosk_session_get_elder_mode (T.session));
}

/* The on-screen keyboard of the 办事指南 search box, its letter, function
 * and digit keys: @min px or more each way; the screen fits. */
static void
measure_osk (int min, const char *shot)
{
  static const char *keys[] = { "q", "m", "space", "backspace", "digits" };
  KioskItemSearch *search;
  KioskOsk *osk;

  open_journey ("guide");
  search = KIOSK_ITEM_SEARCH (kiosk_ui_test_find_type (GTK_WIDGET (T.window), KIOSK_TYPE_ITEM_SEARCH));
  g_assert_nonnull (search);
  gtk_widget_grab_focus (kiosk_item_search_get_entry (search));
  kiosk_ui_test_wait_frame ();
  osk = KIOSK_OSK (kiosk_ui_test_find_type (GTK_WIDGET (T.window), KIOSK_TYPE_OSK));
  g_assert_nonnull (osk);
  KIOSK_UI_TEST_WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (osk)), 5);
  kiosk_ui_test_wait_frame ();
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *k = kiosk_osk_get_key (osk, keys[i]);
      g_assert_nonnull (k);
      if (gtk_widget_get_width (k) < min || gtk_widget_get_height (k) < min)
        g_error ("keyboard key %s is %dx%d px, not %d", keys[i], gtk_widget_get_width (k), gtk_widget_get_height (k),
                 min);
    }
  g_test_message ("keyboard key q: %dx%d px", gtk_widget_get_width (kiosk_osk_get_key (osk, "q")),
                  gtk_widget_get_height (kiosk_osk_get_key (osk, "q")));
  kiosk_ui_test_assert_touch_targets (64);
  assert_fits_small (shot);
  kiosk_ui_test_screenshot (shot);
  kiosk_session_back (T.session);
  kiosk_ui_test_wait_frame ();
}

/* The on-screen keyboard's keys were 64 px in 长辈模式 too: 80 px there
 * (issue 16), and the 办事指南 screen with the keyboard up still fits. At
 * 1280x800 they stay 64 px (ten 80 px keys beside the list do not fit). */
static void
test_osk (void)
{
  to_menu (FALSE);
  measure_osk (64, "guide-keyboard");
  to_menu (TRUE);
  measure_osk (T.small ? 64 : 80, "guide-keyboard-elder");
  to_menu (FALSE);
}

/* The press GTK delivers to the pill on the attract screen: the window's
 * capture-phase handler first (it starts the session), then the pill's. */
static void
press_attract_pill (void)
{
  GtkWidget *pill = kiosk_ui_test_button ("长辈模式");
  g_autoptr (GListModel) controllers = NULL;
  GtkGesture *press = NULL;

  if (pill == NULL)
    g_error ("no 长辈模式 button on the attract screen");
  controllers = gtk_widget_observe_controllers (pill);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);
      if (g_strcmp0 (gtk_event_controller_get_name (c), "elder-press") == 0)
        press = GTK_GESTURE (c);
    }
  g_assert_nonnull (press);
  g_assert_cmpint (gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (press)), ==, GTK_PHASE_CAPTURE);
  kiosk_window_activity (T.window);
  g_signal_emit_by_name (press, "pressed", 1, 10.0, 10.0);
}

static void
test_attract_pill (void)
{
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
  assert_page ("attract");
  g_assert_false (kiosk_session_get_elder_mode (T.session));
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot ("attract-pill");
  press_attract_pill ();
  g_assert_true (kiosk_session_get_elder_mode (T.session));
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);
  kiosk_ui_test_wait_frame ();
  assert_page ("menu");
  kiosk_ui_test_screenshot ("attract-pill-menu-elder");

  /* A keyboard activation ("clicked" alone) on the attract screen. */
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
  g_signal_emit_by_name (kiosk_ui_test_button ("长辈模式"), "clicked");
  g_assert_true (kiosk_session_get_elder_mode (T.session));
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

/* ---- 长辈模式 offered at 60 ----------------------------------------------------- */

static KioskIdentity *
person (int years, int days, gboolean with_birth_date)
{
  KioskIdentity *id = kiosk_identity_new ();
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) back = g_date_time_add_years (now, -years);
  g_autoptr (GDateTime) born = g_date_time_add_days (back, days);
  g_autofree char *ymd = g_date_time_format (born, "%Y%m%d");

  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("王秀英");
  id->id_number = g_strdup_printf ("130185%s122X", ymd);
  id->id_number_valid = TRUE;
  if (with_birth_date)
    id->birth_date = g_date_time_format (born, "%Y-%m-%d");
  return id;
}

static gboolean
offer_shown (void)
{
  return kiosk_ui_test_button ("开启长辈模式") != NULL;
}

static void
test_age (void)
{
  g_autoptr (GDateTime) d1 = g_date_time_new_local (2061, 2, 28, 12, 0, 0);
  g_autoptr (GDateTime) d2 = g_date_time_new_local (2061, 3, 1, 12, 0, 0);
  g_autoptr (GDateTime) d3 = g_date_time_new_local (2026, 12, 2, 12, 0, 0);
  g_autoptr (KioskIdentity) id = kiosk_identity_new ();

  g_assert_cmpint (kiosk_age_on ("2000-02-29", d1), ==, 60);
  g_assert_cmpint (kiosk_age_on ("2000-02-29", d2), ==, 61);
  g_assert_cmpint (kiosk_age_on ("19661202", d3), ==, 60);
  g_assert_cmpint (kiosk_age_on ("1966-12-03", d3), ==, 59);
  g_assert_cmpint (kiosk_age_on ("1966-12-02", d3), ==, 60);
  g_assert_cmpint (kiosk_age_on ("2027-01-01", d3), ==, -1);
  g_assert_cmpint (kiosk_age_on ("1966-13-02", d3), ==, -1);
  g_assert_cmpint (kiosk_age_on ("1966-02-30", d3), ==, -1);
  g_assert_cmpint (kiosk_age_on ("19x61202", d3), ==, -1);
  g_assert_cmpint (kiosk_age_on ("", d3), ==, -1);
  g_assert_cmpint (kiosk_age_on (NULL, d3), ==, -1);
  /* From the number when the birth date is missing; foreign cards' numbers
   * hold no date. */
  id->card_type = KIOSK_CARD_RESIDENT;
  id->id_number = g_strdup ("11010519491231002X");
  g_assert_cmpint (kiosk_identity_age_on (id, d3), ==, 76);
  id->card_type = KIOSK_CARD_FOREIGN_2023;
  g_assert_cmpint (kiosk_identity_age_on (id, d3), ==, -1);
}

static void
test_offer (void)
{
  /* 60 today: offered on the menu, one touch turns it on. */
  {
    g_autoptr (KioskIdentity) id = person (60, 0, TRUE);
    kiosk_session_wipe (T.session);
    g_assert_true (kiosk_session_identity_read (T.session, id));
    kiosk_ui_test_wait_frame ();
    assert_page ("menu");
    g_assert_false (kiosk_session_get_elder_mode (T.session));
    if (!offer_shown ())
      g_error ("no 长辈模式 offer for a card holder aged 60");
    kiosk_ui_test_assert_shown ("长辈模式字更大");
    kiosk_ui_test_assert_touch_targets (64);
    kiosk_ui_test_screenshot ("offer-60");
    kiosk_ui_test_click ("开启长辈模式");
    g_assert_true (kiosk_session_get_elder_mode (T.session));
    kiosk_ui_test_wait_frame ();
    g_assert_false (offer_shown ());
    kiosk_ui_test_screenshot ("offer-accepted-elder");
  }
  /* 60 tomorrow: not offered. */
  {
    g_autoptr (KioskIdentity) id = person (60, 1, TRUE);
    kiosk_session_wipe (T.session);
    g_assert_false (kiosk_session_get_elder_mode (T.session));
    g_assert_true (kiosk_session_identity_read (T.session, id));
    kiosk_ui_test_wait_frame ();
    assert_page ("menu");
    g_assert_false (offer_shown ());
  }
  /* 75, the date only in the number: offered; declined, it stays off and is
   * not offered again in this session, even after a language change. */
  {
    g_autoptr (KioskIdentity) id = person (75, 0, FALSE);
    kiosk_session_wipe (T.session);
    g_assert_true (kiosk_session_identity_read (T.session, id));
    kiosk_ui_test_wait_frame ();
    g_assert_true (offer_shown ());
    kiosk_ui_test_click ("不用了");
    kiosk_ui_test_wait_frame ();
    g_assert_false (offer_shown ());
    g_assert_false (kiosk_session_get_elder_mode (T.session));
    kiosk_session_set_language (T.session, "en");
    kiosk_ui_test_wait_frame ();
    g_assert_null (kiosk_ui_test_button ("Turn on elder mode"));
    kiosk_session_set_language (T.session, "zh_CN");
    kiosk_ui_test_wait_frame ();
    g_assert_false (offer_shown ());
  }
  /* Already in 长辈模式: nothing to offer. */
  {
    g_autoptr (KioskIdentity) id = person (80, 0, TRUE);
    kiosk_session_wipe (T.session);
    kiosk_session_set_elder_mode (T.session, TRUE);
    g_assert_true (kiosk_session_identity_read (T.session, id));
    kiosk_ui_test_wait_frame ();
    g_assert_false (offer_shown ());
  }
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

/* ---- 办事指南 ------------------------------------------------------------------ */

static GtkWidget *
guide_detail_scroll (void)
{
  /* The scrolled window that holds the print button. */
  GtkWidget *print = kiosk_ui_test_button ("打印本指南");
  g_assert_nonnull (print);
  return gtk_widget_get_ancestor (print, GTK_TYPE_SCROLLED_WINDOW);
}

static gboolean
in_view (GtkWidget *w)
{
  graphene_rect_t r, view;
  GtkWidget *scroll = gtk_widget_get_ancestor (w, GTK_TYPE_SCROLLED_WINDOW);

  g_assert_true (gtk_widget_compute_bounds (w, GTK_WIDGET (T.window), &r));
  g_assert_true (gtk_widget_compute_bounds (scroll, GTK_WIDGET (T.window), &view));
  return r.origin.y >= view.origin.y - 0.5 && r.origin.y + r.size.height <= view.origin.y + view.size.height + 0.5;
}

static gboolean
is_selected_item (GtkWidget *w, gpointer data)
{
  return GTK_IS_BUTTON (w) && gtk_widget_has_css_class (w, "guide-item") && gtk_widget_has_css_class (w, "selected");
}

static GtkWidget *
selected_item (void)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();
  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_selected_item, NULL, found);
  g_assert_cmpuint (found->len, <=, 1);
  return found->len ? found->pdata[0] : NULL;
}

static void
test_guide_choice (void)
{
  GtkAdjustment *adj;
  GtkWidget *item, *title;

  to_menu (FALSE);
  open_journey ("guide");
  /* The first item is shown and marked. */
  item = kiosk_ui_test_button ("城乡居民养老保险参保登记");
  g_assert_nonnull (item);
  g_assert_true (selected_item () == item);

  /* Read down the first guide, then choose another item. */
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (guide_detail_scroll ()));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), >, gtk_adjustment_get_page_size (adj));
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), >, 0);
  item = kiosk_ui_test_button ("最低生活保障");
  g_assert_nonnull (item);
  g_signal_emit_by_name (item, "clicked");
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_settle (50);
  kiosk_ui_test_wait_frame ();

  /* It is marked (and only it), and its guide starts at the top. */
  g_assert_true (selected_item () == item);
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (guide_detail_scroll ()));
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 0);
  title = NULL;
  {
    g_autoptr (GPtrArray) labels = g_ptr_array_new ();
    kiosk_ui_test_collect (guide_detail_scroll (), is_text, NULL, labels);
    for (guint i = 0; i < labels->len && title == NULL; i++)
      if (GTK_IS_LABEL (labels->pdata[i]) && gtk_widget_has_css_class (labels->pdata[i], "card-title")
          && strstr (gtk_label_get_text (labels->pdata[i]), "最低生活保障"))
        title = labels->pdata[i];
  }
  g_assert_nonnull (title);
  g_assert_true (in_view (title));
  g_assert_true (in_view (kiosk_ui_test_button ("打印本指南")));
  kiosk_ui_test_screenshot ("guide-second-item");

  /* The mark shows in 长辈模式 too. */
  kiosk_session_set_elder_mode (T.session, TRUE);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_screenshot ("guide-second-item-elder");
  kiosk_session_set_elder_mode (T.session, FALSE);
  to_menu (FALSE);
}

/* The printer is known absent: the print button is disabled, and the
 * screen says so, large, with the station's phone; back when it is ready. */
static void
test_guide_printer_absent (void)
{
  KioskDevice *printer = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");
  GtkWidget *print, *phone;
  double base;

  g_assert_nonnull (printer);
  kiosk_device_set_state (printer, KIOSK_DEVICE_STATE_ABSENT, "test", NULL);
  to_menu (FALSE);
  base = font_px (kiosk_ui_test_find_shown ("长辈模式"));
  open_journey ("guide");
  print = kiosk_ui_test_button ("打印本指南");
  g_assert_nonnull (print);
  if (gtk_widget_get_sensitive (print))
    g_error ("the print button is enabled while the printer is absent");
  kiosk_ui_test_assert_shown ("打印机暂时不能使用");
  phone = kiosk_ui_test_find_shown ("工作人员电话：" PHONE);
  if (phone == NULL)
    g_error ("the station's phone (" PHONE ") is not on the screen");
  /* Large: well above the body text. */
  g_assert_cmpfloat (font_px (phone), >=, 1.5 * base);
  g_assert_true (in_view (phone));
  kiosk_ui_test_screenshot ("guide-printer-absent");
  kiosk_session_set_elder_mode (T.session, TRUE);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_screenshot ("guide-printer-absent-elder");
  kiosk_session_set_elder_mode (T.session, FALSE);
  kiosk_ui_test_wait_frame ();

  /* The printer comes back: printing works again, the warning goes. */
  kiosk_device_set_state (printer, KIOSK_DEVICE_STATE_READY, NULL, NULL);
  kiosk_ui_test_wait_frame ();
  g_assert_true (gtk_widget_get_sensitive (kiosk_ui_test_button ("打印本指南")));
  g_assert_null (kiosk_ui_test_find_shown ("打印机暂时不能使用"));
  kiosk_device_set_state (printer, KIOSK_DEVICE_STATE_ABSENT, "test", NULL);
  to_menu (FALSE);
}

/* ---- demo data ------------------------------------------------------------------ */

static gboolean
holds_ascii_letters (GtkWidget *w, gpointer data)
{
  const char *t = GTK_IS_LABEL (w) ? gtk_label_get_text (GTK_LABEL (w)) : NULL;

  if (t == NULL || !gtk_widget_has_css_class (w, data))
    return FALSE;
  for (; *t; t++)
    if (g_ascii_isalpha (*t))
      return TRUE;
  return FALSE;
}

static gboolean
says_source (GtkWidget *w, gpointer data)
{
  const char *t = GTK_IS_LABEL (w) ? gtk_label_get_text (GTK_LABEL (w)) : NULL;
  return t != NULL && strstr (t, "source") != NULL;
}

/* No remark of the source lists ("(2014 source: 民政)") in a heading. */
static void
test_guide_headings (void)
{
  g_autoptr (GPtrArray) bad = g_ptr_array_new ();
  g_autoptr (GPtrArray) headings = g_ptr_array_new ();

  to_menu (FALSE);
  open_journey ("guide");
  kiosk_ui_test_collect (GTK_WIDGET (T.window), says_source, NULL, bad);
  kiosk_ui_test_collect (GTK_WIDGET (T.window), holds_ascii_letters, (gpointer) "guide-department", headings);
  for (guint i = 0; i < bad->len; i++)
    g_test_message ("heading: %s", gtk_label_get_text (bad->pdata[i]));
  g_assert_cmpuint (bad->len, ==, 0);
  g_assert_cmpuint (headings->len, ==, 0);
  kiosk_ui_test_assert_shown ("退役军人事务");
  to_menu (FALSE);
}

/* The printed guide calls the handling level 办理层级, not a place. */
static void
test_guide_print_labels (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *items = json_object_get_array_member (load_seed (parser), "items");
  JsonObject *item = json_array_get_object_element (items, 0);
  g_autoptr (JsonObject) data = kiosk_guide_print_data (item, T.config);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = NULL;
  g_autofree char *pdf_path = g_build_filename (T.dir, "guide.pdf", NULL);
  g_autofree char *cmd = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");

  if (pdftotext == NULL)
    {
      g_test_skip ("no pdftotext (poppler-utils)");
      return;
    }
  pdf = kiosk_print_render ("guide", data, KIOSK_PAPER_A4, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (pdf_path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error));
  cmd = g_strdup_printf ("%s -enc UTF-8 '%s' -", pdftotext, pdf_path);
  g_assert_true (g_spawn_command_line_sync (cmd, &text, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, json_object_get_string_member (item, "handling")));
  g_assert_nonnull (strstr (text, "办理层级"));
  g_assert_null (strstr (text, "办理地点"));
  g_assert_nonnull (strstr (text, PHONE));
  g_remove (pdf_path);
}

/* The seed notices (the attract screen's, from the reference platform)
 * promise nothing the kiosk does not do: no 刷脸 (no face check exists),
 * and no service whose menu tile says 暂未开通. */
static void
test_seed_notices (void)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *notices = json_object_get_array_member (load_seed (parser), "notices");
  GListModel *journeys = kiosk_session_get_journeys (T.session);
  g_autoptr (GString) failures = g_string_new (NULL);

  g_assert_cmpuint (json_array_get_length (notices), >, 0);
  for (guint i = 0; i < json_array_get_length (notices); i++)
    {
      JsonObject *n = json_array_get_object_element (notices, i);
      g_autofree char *text = g_strdup_printf ("%s %s", json_object_get_string_member (n, "title"),
                                               json_object_get_string_member (n, "body"));
      const char *const face[] = { "刷脸", "人脸" };

      for (guint f = 0; f < G_N_ELEMENTS (face); f++)
        if (strstr (text, face[f]))
          g_string_append_printf (failures, "  %s: promises %s\n", text, face[f]);
      for (guint j = 0; j < g_list_model_get_n_items (journeys); j++)
        {
          g_autoptr (KioskJourney) journey = g_list_model_get_item (journeys, j);
          const char *title = _ (kiosk_journey_get_title (journey));
          if (!kiosk_journey_get_available (journey) && strstr (text, title))
            g_string_append_printf (failures, "  %s: promises %s (暂未开通)\n", text, title);
        }
    }
  if (failures->len)
    g_error ("seed notices promise what the kiosk does not offer:\n%s", failures->str);
}

/* ---- set-up ------------------------------------------------------------------ */

/* The reference platform's seed catalog, as sync would have stored it. */
static void
load_catalog (void)
{
  g_autofree char *path = seed_catalog_path ();
  g_autofree char *json = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &json, NULL, &error));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_store (T.core) != NULL, 30);
  kiosk_store_set_catalog (kiosk_core_get_store (T.core), json, "seed", &error);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *shots = NULL;
  int status;

  kiosk_ui_test_init (&argc, &argv);
  T.small = argc > 1 && g_str_equal (argv[argc - 1], "small");
  T.dir = g_dir_make_tmp ("kiosk-elder-XXXXXX", &error);
  g_assert_no_error (error);
  /* The platform is nowhere (a closed port on this machine); the printer is
   * absent (nothing listens at its address). It is polled once, at start:
   * a poll each second would set it absent again under the test that
   * brings it back (seen as a failure on a slow machine). */
  conf = g_strdup_printf ("[kiosk]\nid=kiosk-test\nstation=" STATION "\nphone=" PHONE "\n"
                          "notices=工作日 8:30-17:30 有代办员值守\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:9/\nallow-http=true\n"
                          "[session]\nidle-warning-seconds=600\nidle-countdown-seconds=60\nend-screen-seconds=2\n"
                          "[idcard]\nbackend=real\nports=%s/no-such-tty\ntransport=serial\n"
                          "[camera]\nbackend=real\n[pad]\nbackend=none\n"
                          "[printer]\nbackend=real\nuri=ipp://127.0.0.1:9/ipp/print\npoll-seconds=3600\n%s",
                          T.dir, T.dir, T.small ? "[ui]\nfullscreen=false\nwidth=1280\nheight=800\n" : "");
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);

  shots = g_strconcat (KIOSK_SCREENSHOT_DIR, T.small ? "-1280x800" : "", NULL);
  T.window = kiosk_ui_test_open_window (T.core, !T.small, shots);
  kiosk_core_start (T.core);
  load_catalog ();

  if (T.small)
    {
      /* The compact layout: the keys still 1.5 times, and the screens
       * fit. */
      g_test_add_func ("/elder/scale", test_scale);
      g_test_add_func ("/elder/osk", test_osk);
    }
  else
    {
      g_test_add_func ("/elder/contrast", test_contrast_normal);
      g_test_add_func ("/elder/contrast-elder", test_contrast_elder);
      g_test_add_func ("/elder/scale", test_scale);
      g_test_add_func ("/elder/osk", test_osk);
      g_test_add_func ("/elder/attract-pill", test_attract_pill);
      g_test_add_func ("/elder/age", test_age);
      g_test_add_func ("/elder/offer", test_offer);
      g_test_add_func ("/elder/guide-choice", test_guide_choice);
      g_test_add_func ("/elder/guide-printer-absent", test_guide_printer_absent);
      g_test_add_func ("/elder/guide-headings", test_guide_headings);
      g_test_add_func ("/elder/guide-print-labels", test_guide_print_labels);
      g_test_add_func ("/elder/seed-notices", test_seed_notices);
    }
  status = g_test_run ();

  kiosk_core_stop (T.core);
  kiosk_ui_test_close_window ();
  g_clear_object (&T.core);
  kiosk_config_unref (T.config);
  remove_tree (T.dir);
  g_free (T.dir);
  return status;
}
