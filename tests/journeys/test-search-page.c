/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finding an item on screen (issue 14, point 2), in-process under Xvfb:
 * the kiosk window on the simulated devices, the seed catalog in the store
 * (offline). On 办事指南 the resident touches 搜索事项, the keyboard comes up
 * in letters and its keys type "gljt": 高龄津贴申领 is the first item;
 * "yanglao" lists the 城乡居民养老保险 items at the top; a category chip lists
 * that category; nonsense says nothing was found, in plain words; 高龄
 * typed through the keyboard's 中文 key finds 高龄津贴申领 too. On 自助申报's
 * item step the same search finds 高龄津贴申领 and choosing it goes on to
 * its form. Screenshots of each; with the argument "small" the same in a
 * 1280x800 window. Skips (77) without a display. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "kiosk-apply-journey.h"
#include "kiosk-apply-page.h"
#include "kiosk-guide-journey.h"
#include "kiosk-item-search.h"
#include "kiosk-osk.h"
#include "kiosk-store.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"

static struct {
  gboolean small;
  char *dir;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
  KioskGuideJourney *guide;
  KioskApplyJourney *apply;
} T;

static int
free_port (void)
{
  g_autoptr (GSocket) s = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) a = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (s, a, TRUE, NULL));
  bound = g_socket_get_local_address (s, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* ---- finding widgets ---------------------------------------------------------- */

static gboolean
is_named (GtkWidget *w, gpointer name)
{
  return gtk_widget_get_mapped (w) && g_strcmp0 (gtk_widget_get_name (w), name) == 0;
}

static gboolean
has_prefix (GtkWidget *w, gpointer prefix)
{
  return gtk_widget_get_mapped (w) && g_str_has_prefix (gtk_widget_get_name (w), prefix);
}

static GtkWidget *
named (const char *name)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_named, (gpointer) name, found);
  if (found->len == 0)
    g_error ("no widget named %s on screen", name);
  return found->pdata[0];
}

static gboolean
is_named_any (GtkWidget *w, gpointer name)
{
  return g_strcmp0 (gtk_widget_get_name (w), name) == 0;
}

/* The widget named @name, shown or not. */
static GtkWidget *
find_any (const char *name)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_named_any, (gpointer) name, found);
  if (found->len == 0)
    g_error ("no widget named %s", name);
  return found->pdata[0];
}

/* The codes of the items listed (buttons named @prefix<code>), in order. */
static GPtrArray *
listed (const char *prefix)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);

  kiosk_ui_test_collect (GTK_WIDGET (T.window), has_prefix, (gpointer) prefix, found);
  for (guint i = 0; i < found->len; i++)
    g_ptr_array_add (codes, g_strdup (gtk_widget_get_name (found->pdata[i]) + strlen (prefix)));
  return codes;
}

static guint
n_listed (const char *prefix)
{
  g_autoptr (GPtrArray) codes = listed (prefix);
  return codes->len;
}

static gboolean
first_listed_is (const char *prefix, const char *code)
{
  g_autoptr (GPtrArray) codes = listed (prefix);
  return codes->len > 0 && g_str_equal (codes->pdata[0], code);
}

static KioskItemSearch *
search (void)
{
  return KIOSK_ITEM_SEARCH (named ("item-search"));
}

static void
shot (const char *what)
{
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot (what);
}

/* Touches the search field and presses @keys on @osk's key buttons. */
static void
type_search (KioskOsk *osk, const char *keys)
{
  GtkWidget *entry = kiosk_item_search_get_entry (search ());

  /* touched from elsewhere: focused */
  gtk_window_set_focus (GTK_WINDOW (T.window), NULL);
  gtk_widget_grab_focus (entry);
  kiosk_ui_test_wait_frame ();
  /* the keyboard came up, in letters, typing into the field */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (osk)));
  g_assert_true (kiosk_osk_get_target (osk) == entry);
  g_assert_cmpint (kiosk_osk_get_layout (osk), ==, KIOSK_OSK_LAYOUT_LETTERS);
  for (const char *k = keys; *k; k++)
    {
      char key[2] = { *k, 0 };
      GtkWidget *button = kiosk_osk_get_key (osk, key);
      if (button == NULL)
        g_error ("no key %s on the keyboard", key);
      g_assert_true (gtk_widget_is_drawable (button));
      kiosk_window_activity (T.window);
      g_signal_emit_by_name (button, "clicked");
    }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, keys);
}

static void
clear_search (void)
{
  GtkWidget *clear = named ("item-search-clear");

  if (gtk_widget_get_sensitive (clear))
    g_signal_emit_by_name (clear, "clicked");
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kiosk_item_search_get_entry (search ()))), ==, "");
}

/* Every control's accessible name is its visible label. */
static void
assert_accessible (GtkWidget *w, const char *label)
{
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  if (GTK_IS_BUTTON (w) && gtk_button_get_label (GTK_BUTTON (w)))
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (w)), ==, label);
}

/* ---- the tests ----------------------------------------------------------------- */

static void
test_guide_search (void)
{
  KioskOsk *osk;
  GtkWidget *entry;
  GtkWidget *chip;
  guint in_category = 0;

  g_assert_true (kiosk_session_touch (T.session));
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_click ("办事指南");
  KIOSK_UI_TEST_WAIT_FOR (!kiosk_guide_journey_get_loading (T.guide) && kiosk_guide_journey_get_n_items (T.guide) >= 30,
                          20);
  KIOSK_UI_TEST_WAIT_FOR (first_listed_is ("guide-item-", "RS-001"), 10);
  /* the keyboard waits until the field is touched (in the details'
   * place) */
  osk = (KioskOsk *) find_any ("guide-osk");
  g_assert_true (KIOSK_IS_OSK (osk));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (osk)));
  entry = kiosk_item_search_get_entry (search ());
  assert_accessible (entry, "搜索事项");
  kiosk_ui_test_assert_shown ("搜索事项");
  assert_accessible (kiosk_item_search_get_chip (search (), NULL), "全部");
  assert_accessible (named ("item-search-clear"), "清空");
  shot ("guide-search-start");

  /* pinyin initials, typed on the keyboard's letter keys */
  KIOSK_UI_TEST_WAIT_FOR (kiosk_item_search_get_ready (search ()), 30);
  {
    graphene_rect_t before, after;
    g_assert_true (gtk_widget_compute_bounds (entry, GTK_WIDGET (T.window), &before));
    type_search (osk, "gljt");
    KIOSK_UI_TEST_WAIT_FOR (first_listed_is ("guide-item-", "MZ-026"), 10);
    kiosk_ui_test_wait_frame ();
    /* the field did not move while the list changed */
    g_assert_true (gtk_widget_compute_bounds (entry, GTK_WIDGET (T.window), &after));
    g_assert_true (graphene_rect_equal (&before, &after));
  }
  kiosk_ui_test_assert_shown ("高龄津贴申领");
  shot ("guide-search-gljt");
  /* touching the item found shows its guide in the keyboard's place */
  g_signal_emit_by_name (named ("guide-item-MZ-026"), "clicked");
  kiosk_ui_test_wait_frame ();
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (osk)));
  kiosk_ui_test_assert_shown ("《中华人民共和国老年人权益保障法》; 当地高龄津贴实施办法");
  shot ("guide-search-chosen");

  /* pinyin in full: the 城乡居民养老保险 items first */
  clear_search ();
  KIOSK_UI_TEST_WAIT_FOR (first_listed_is ("guide-item-", "RS-001"), 10);
  type_search (osk, "yanglao");
  KIOSK_UI_TEST_WAIT_FOR (n_listed ("guide-item-") < 30, 10);
  {
    g_autoptr (GPtrArray) codes = listed ("guide-item-");
    guint city_rural = 0;
    g_assert_cmpuint (codes->len, >=, 4);
    for (guint i = 0; i < codes->len; i++)
      g_test_message ("yanglao %u: %s", i, (char *) codes->pdata[i]);
    for (guint i = 0; i < codes->len; i++)
      {
        const KioskCatalogItem *item = kiosk_guide_journey_lookup (T.guide, codes->pdata[i]);
        g_assert_nonnull (item);
        /* the 城乡居民养老保险 items near the top (领取养老保险待遇资格认证
         * may come first: 养老 starts earlier in its name) */
        if (g_str_has_prefix (item->name, "城乡居民养老保险"))
          {
            g_assert_cmpuint (i, <, 5);
            city_rural++;
          }
      }
    g_assert_cmpuint (city_rural, ==, 4);
    g_assert_true (g_ptr_array_find_with_equal_func (codes, "RS-003", g_str_equal, NULL));
    g_assert_false (g_ptr_array_find_with_equal_func (codes, "MZ-022", g_str_equal, NULL));
  }
  shot ("guide-search-yanglao");

  /* a category chip: that category's items, and only them */
  clear_search ();
  chip = kiosk_item_search_get_chip (search (), "老年人服务");
  g_assert_nonnull (chip);
  /* on a small screen the chips gave their rows to the list while the
   * keyboard was up; 清空 (starting over) brought them back */
  g_assert_true (gtk_widget_get_mapped (chip));
  assert_accessible (chip, "老年人服务");
  g_signal_emit_by_name (chip, "clicked");
  kiosk_ui_test_wait_frame ();
  for (guint i = 0; i < kiosk_guide_journey_get_n_items (T.guide); i++)
    if (g_strcmp0 (kiosk_guide_journey_get_item (T.guide, i)->category, "老年人服务") == 0)
      in_category++;
  g_assert_cmpuint (in_category, ==, 2);
  {
    g_autoptr (GPtrArray) codes = listed ("guide-item-");
    g_assert_cmpuint (codes->len, ==, in_category);
    for (guint i = 0; i < codes->len; i++)
      g_assert_cmpstr (kiosk_guide_journey_lookup (T.guide, codes->pdata[i])->category, ==, "老年人服务");
  }
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (chip)));
  shot ("guide-search-category");
  /* 全部 again: every item */
  g_signal_emit_by_name (kiosk_item_search_get_chip (search (), NULL), "clicked");
  kiosk_ui_test_wait_frame ();
  g_assert_cmpuint (n_listed ("guide-item-"), ==, kiosk_guide_journey_get_n_items (T.guide));

  /* nonsense: nothing, said in plain words */
  type_search (osk, "qxqxqx");
  KIOSK_UI_TEST_WAIT_FOR (n_listed ("guide-item-") == 0, 10);
  g_assert_true (gtk_widget_get_mapped (named ("item-search-empty")));
  kiosk_ui_test_assert_shown ("未找到相关事项，请换个说法或按类别查找");
  shot ("guide-search-nothing");

  /* Chinese through the keyboard's 中文 key: gaoling, 高龄 chosen */
  clear_search ();
  gtk_window_set_focus (GTK_WINDOW (T.window), NULL);
  gtk_widget_grab_focus (entry);
  kiosk_ui_test_wait_frame ();
  g_signal_emit_by_name (kiosk_osk_get_key (osk, "pinyin"), "clicked");
  g_assert_cmpint (kiosk_osk_get_layout (osk), ==, KIOSK_OSK_LAYOUT_PINYIN);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_osk_get_pinyin_loaded (osk), 60);
  for (const char *k = "gaoling"; *k; k++)
    {
      char key[2] = { *k, 0 };
      g_signal_emit_by_name (kiosk_osk_get_key (osk, key), "clicked");
    }
  kiosk_ui_test_wait_frame ();
  {
    GtkWidget *gaoling = NULL;
    for (guint i = 0; i < 5 && gaoling == NULL; i++)
      {
        g_autofree char *key = g_strdup_printf ("candidate-%u", i);
        GtkWidget *c = kiosk_osk_get_key (osk, key);
        if (c && gtk_widget_get_visible (c) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (c)), "高龄") == 0)
          gaoling = c;
      }
    g_assert_nonnull (gaoling);
    g_signal_emit_by_name (gaoling, "clicked");
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "高龄");
  KIOSK_UI_TEST_WAIT_FOR (first_listed_is ("guide-item-", "MZ-026"), 10);
  shot ("guide-search-chinese");

  /* the next resident starts afresh */
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

static void
test_apply_search (void)
{
  KioskIdentity *id = kiosk_identity_new ();
  KioskDevice *reader = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "idcard");
  GtkWidget *page;
  KioskOsk *osk;

  g_assert_true (kiosk_session_touch (T.session));
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_click ("自助申报");
  kiosk_ui_test_wait_frame ();
  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("张三");
  id->gender_code = '2';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup ("11010519491231002X");
  id->id_number_valid = TRUE;
  id->address = g_strdup ("北京市朝阳区某街道1号");
  id->valid_to = g_strdup ("长期");
  g_signal_emit_by_name (reader, "identity", id);
  kiosk_identity_free (id);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_JOURNEY, 10);
  KIOSK_UI_TEST_WAIT_FOR (!kiosk_apply_journey_get_loading (T.apply) && first_listed_is ("apply-item-", "RS-001"), 20);
  g_assert_cmpint (kiosk_apply_journey_get_current_step (T.apply), ==, KIOSK_APPLY_STEP_ITEM);
  page = named ("apply-page");
  osk = kiosk_apply_page_get_osk (page);
  assert_accessible (kiosk_item_search_get_entry (search ()), "搜索事项");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_item_search_get_ready (search ()), 30);
  type_search (osk, "gljt");
  KIOSK_UI_TEST_WAIT_FOR (first_listed_is ("apply-item-", "MZ-026"), 10);
  shot ("apply-search-gljt");
  /* the field and the chips stayed where they were */
  g_signal_emit_by_name (named ("apply-item-MZ-026"), "clicked");
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_apply_journey_get_current_step (T.apply), ==, KIOSK_APPLY_STEP_FORM);
  g_assert_cmpstr (kiosk_apply_journey_get_item (T.apply)->code, ==, "MZ-026");
  shot ("apply-search-form");
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *catalog_path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autofree char *shots = NULL;
  g_autofree char *cmd = NULL;
  int ret;

  if (argc > 1 && g_str_equal (argv[argc - 1], "small"))
    {
      T.small = TRUE;
      argc--;
    }
  kiosk_ui_test_init (&argc, &argv);
  g_setenv ("GTK_A11Y", "test", TRUE);
  T.dir = g_dir_make_tmp ("kiosk-search-page-XXXXXX", &error);
  g_assert_no_error (error);
  conf = g_strdup_printf ("[kiosk]\nid=SP-01\nstation=测试村便民服务站\nphone=0571-00000000\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\n"
                          "[idcard]\nbackend=sim\n[camera]\nbackend=sim\n"
                          "[pad]\nbackend=none\n[printer]\nbackend=sim\n%s",
                          T.dir, free_port (), T.small ? "[ui]\nfullscreen=false\nwidth=1280\nheight=800\n" : "");
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_core_start (T.core);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_store (T.core) != NULL, 20);
  g_assert_true (g_file_get_contents (catalog_path, &catalog, NULL, &error));
  g_assert_true (kiosk_store_set_catalog (kiosk_core_get_store (T.core), catalog, NULL, &error));
  g_assert_no_error (error);
  T.guide = KIOSK_GUIDE_JOURNEY (kiosk_session_find_journey (T.session, "guide"));
  T.apply = KIOSK_APPLY_JOURNEY (kiosk_session_find_journey (T.session, "apply"));
  g_assert_nonnull (T.guide);
  g_assert_nonnull (T.apply);

  shots = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys",
                            T.small ? "screenshots-search-1280x800" : "screenshots-search", NULL);
  {
    g_autoptr (GDir) d = g_dir_open (shots, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      if (g_str_has_suffix (name, ".png"))
        {
          g_autofree char *path = g_build_filename (shots, name, NULL);
          g_remove (path);
        }
  }
  T.window = kiosk_ui_test_open_window (T.core, !T.small, shots);

  g_test_add_func ("/search-page/guide", test_guide_search);
  g_test_add_func ("/search-page/apply", test_apply_search);
  ret = g_test_run ();

  kiosk_ui_test_close_window ();
  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  cmd = g_strdup_printf ("rm -rf '%s'", T.dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (T.dir);
  return ret;
}
