/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 自助申报, issue 14's acceptance on screen, in-process under Xvfb, in one
 * language per run (argument "zh" or "en"; English switched on the menu as
 * a resident does):
 *  - RS-009 with a photo owed under 容缺, handed in with nobody answering
 *    at the platform's URL: the case is queued in the store under its
 *    provisional number; the 受理回执 and the 容缺受理通知书 go through the
 *    kiosk's real CUPS/IPP backend ([printer] backend=real) to an
 *    ippeveprinter started here, and what it received is read back
 *    (pdftotext: case number, item, the owed material and its due date,
 *    the provisional mark; zbarimg: the QR code carries the case number);
 *  - the reference platform then starts at the configured URL: the case
 *    gets its official number in the store, and 进度查询, given the QR code
 *    decoded from the printed receipt, shows the official number;
 *  - RS-005 with 告知承诺 (signed) and its material scanned by the simulated
 *    document camera ([camera] backend=sim, a page and an empty mat in
 *    turn): the camera's own captures reach the materials step; handed in
 *    online, the receipt checked at the printer.
 * Step titles and buttons are checked in the run's language, with a
 * screenshot of every step (build/tests/journeys/screenshots-apply-LANG).
 * Skips (77) without a display, ippeveprinter, dbus-daemon, poppler-utils
 * or zbar-tools. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "camera-device.h"
#include "kiosk-apply-journey.h"
#include "kiosk-apply-page.h"
#include "kiosk-form-field.h"
#include "kiosk-osk.h"
#include "kiosk-pager.h"
#include "kiosk-progress-journey.h"
#include "kiosk-signature.h"
#include "kiosk-store.h"
#include "kiosk-sync.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"
#include "print-sim.h"
#include "printer-device.h"
#include "store-test-util.h"

static struct {
  gboolean en;
  gboolean elder; /* the Chinese run in 长辈模式: lists paged */
  char *dir;
  int platform_port;
  KioskPrinterSim *printer;
  TestPlatform *platform;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
  KioskApplyJourney *apply;
  char *rs009_number; /* provisional, handed in offline */
  char *rs009_qr;     /* what the printed receipt's QR code says */
} T;

static const char *const ID_NUMBER = "11010519491231002X";

/* The run's language: the English msgid or its zh_CN translation. */
static const char *
L (const char *en, const char *zh)
{
  return T.en ? en : zh;
}

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
has_named (const char *name)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  kiosk_ui_test_collect (GTK_WIDGET (T.window), is_named, (gpointer) name, found);
  return found->len > 0;
}

static void
press_named (const char *name)
{
  GtkWidget *b = named (name);

  g_assert_true (gtk_widget_is_sensitive (b));
  kiosk_window_activity (T.window);
  g_signal_emit_by_name (b, "clicked");
  kiosk_ui_test_wait_frame ();
}

static gboolean
is_named_anywhere (GtkWidget *w, gpointer name)
{
  return g_strcmp0 (gtk_widget_get_name (w), name) == 0;
}

/* The item's tile on screen: in 长辈模式 its page of the list is turned
 * to, as a resident does with 下一页 (once the pages are laid out). */
static void
show_item (const char *name)
{
  for (int tries = 0; tries < 100 && !has_named (name); tries++)
    {
      g_autoptr (GPtrArray) found = g_ptr_array_new ();

      kiosk_ui_test_collect (GTK_WIDGET (T.window), is_named_anywhere, (gpointer) name, found);
      for (GtkWidget *row = found->len ? found->pdata[0] : NULL; row != NULL; row = gtk_widget_get_parent (row))
        {
          GtkWidget *parent = gtk_widget_get_parent (row);
          GtkWidget *pager = parent ? gtk_widget_get_ancestor (parent, KIOSK_TYPE_PAGER) : NULL;
          if (pager != NULL && kiosk_pager_get_list (KIOSK_PAGER (pager)) == parent)
            {
              kiosk_pager_show_row (KIOSK_PAGER (pager), row);
              break;
            }
        }
      kiosk_ui_test_wait_frame ();
    }
  if (!has_named (name))
    g_error ("%s is on no page of the list", name);
}

static KioskOsk *
osk (void)
{
  return kiosk_apply_page_get_osk (named ("apply-page"));
}

static KioskFormFieldWidget *
field (const char *id)
{
  g_autofree char *name = g_strdup_printf ("field-%s", id);
  return KIOSK_FORM_FIELD (named (name));
}

static KioskApplyStep
step (void)
{
  return kiosk_apply_journey_get_current_step (T.apply);
}

static const KioskCaseDraft *
draft (void)
{
  return kiosk_apply_journey_get_draft (T.apply);
}

/* A button's label, in the run's language. */
static void
assert_button (const char *name, const char *label)
{
  GtkWidget *w = named (name);

  g_assert_true (GTK_IS_BUTTON (w));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (w)), ==, label);
}

/* At each step: its title in the step indicator (in the run's language,
 * and not the other language's), Next's label, a screenshot. */
static void
at_step (KioskApplyStep expect, const char *title_en, const char *title_zh, const char *shot_name)
{
  g_assert_cmpint (step (), ==, expect);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown (L (title_en, title_zh));
  /* (the English notice names 告知承诺 in Chinese on purpose) */
  if (!(T.en && expect == KIOSK_APPLY_STEP_COMMITMENT))
    g_assert_null (kiosk_ui_test_find_shown (L (title_zh, title_en)));
  if (expect == KIOSK_APPLY_STEP_REVIEW)
    assert_button ("apply-submit", L ("Hand in", "提交"));
  else if (expect != KIOSK_APPLY_STEP_DONE)
    assert_button ("apply-next", L ("Next", "下一步"));
  g_assert_null (kiosk_ui_test_find_shown (L ("下一步", "Next")));
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot (shot_name);
}

static void
type_into (GtkWidget *entry, KioskOskLayout layout, const char *keys)
{
  gtk_widget_grab_focus (entry);
  kiosk_ui_test_wait_frame ();
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (osk ())));
  kiosk_osk_set_target (osk (), entry, layout);
  for (const char *k = keys; *k; k++)
    {
      char key[2] = { *k, 0 };
      GtkWidget *button = kiosk_osk_get_key (osk (), key);
      if (button == NULL)
        g_error ("no key %s on the keyboard", key);
      g_assert_true (gtk_widget_is_drawable (button));
      g_signal_emit_by_name (button, "clicked");
    }
}

static void
choose (const char *field_id, const char *value)
{
  GtkWidget *b = kiosk_form_field_get_choice_button (field (field_id), value);

  g_assert_nonnull (b);
  g_signal_emit_by_name (b, "clicked");
}

static void
sign (KioskSignaturePad *pad)
{
  kiosk_signature_pad_stroke_begin (pad, 80, 150);
  for (guint i = 1; i < 40; i++)
    kiosk_signature_pad_stroke_extend (pad, 80 + i * 8, 150 + 50 * sin (i * 0.5));
  kiosk_signature_pad_stroke_end (pad);
}

/* ---- what the printer received -------------------------------------------------- */

static guint
n_received (void)
{
  g_autoptr (GPtrArray) received = kiosk_printer_sim_list_received (T.printer);
  return received->len;
}

/* The documents received after the first @before, as paths. */
static GPtrArray *
received_since (guint before)
{
  g_autoptr (GPtrArray) received = kiosk_printer_sim_list_received (T.printer);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = before; i < received->len; i++)
    g_ptr_array_add (out, g_strdup (received->pdata[i]));
  return out;
}

static char *
run_tool (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* pdftotext, with every white space removed (lines are split anywhere). */
static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL };
  g_autofree char *text = run_tool (argv);
  GString *s = g_string_new (NULL);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_null (strstr (text, "\xEF\xBF\xBD"));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)) && g_utf8_get_char (p) != 0x3000)
      g_string_append_unichar (s, g_utf8_get_char (p));
  return g_string_free (s, FALSE);
}

/* The QR codes on page 1 of @pdf (zbarimg on a 200 dpi rendering). */
static char *
pdf_qr (const char *pdf)
{
  g_autofree char *root = g_strdup_printf ("%s/qr-%s", T.dir, strrchr (pdf, '/') + 1);
  g_autofree char *png = g_strdup_printf ("%s.png", root);
  const char *render[] = { "pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", "-singlefile", pdf, root, NULL };
  const char *decode[] = { "zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png, NULL };
  g_autofree char *ignored = run_tool (render);
  char *out;

  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  out = run_tool (decode);
  g_strchomp (out);
  return out;
}

/* "2026-03-14" as the documents print it: "2026年3月14日". */
static char *
printed_date (const char *iso)
{
  g_auto (GStrv) parts = g_strsplit (iso, "-", 3);
  guint64 y = 0, m = 0, d = 0;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  g_assert_true (g_ascii_string_to_unsigned (parts[0], 10, 2000, 2100, &y, NULL));
  g_assert_true (g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &m, NULL));
  g_assert_true (g_ascii_string_to_unsigned (parts[2], 10, 1, 31, &d, NULL));
  return g_strdup_printf ("%u年%u月%u日", (guint) y, (guint) m, (guint) d);
}

static void
assert_contains (const char *text, const char *needle, const char *what)
{
  g_autofree char *squeezed = g_strdup (needle);
  char *w = squeezed;

  for (const char *p = needle; *p; p++)
    if (!g_ascii_isspace (*p))
      *w++ = *p;
  *w = '\0';
  if (strstr (text, squeezed) == NULL)
    g_error ("%s lacks \"%s\":\n%s", what, needle, text);
}

/* The documents the case printed: the receipt (and the notice when
 * @owed_material is set), each with the case number, the item, its QR code
 * carrying exactly the case number; the owed material with its due date
 * on both. Returns the receipt's QR text. */
static char *
check_printed (guint before, const char *number, const char *item_name, const char *owed_material, const char *owed_due,
               gboolean provisional)
{
  g_autoptr (GPtrArray) docs = NULL;
  g_autofree char *receipt_qr = NULL;
  gboolean saw_receipt = FALSE, saw_notice = FALSE;

  KIOSK_UI_TEST_WAIT_FOR (n_received () >= before + (owed_material ? 2 : 1), 60);
  docs = received_since (before);
  g_assert_cmpuint (docs->len, ==, owed_material ? 2 : 1);
  for (guint i = 0; i < docs->len; i++)
    {
      g_autofree char *text = pdf_text (docs->pdata[i]);
      g_autofree char *qr = pdf_qr (docs->pdata[i]);
      gboolean notice = strstr (text, "容缺受理通知书") != NULL && strstr (text, "受理回执") == NULL;

      g_test_message ("received %s: %s", (char *) docs->pdata[i], notice ? "容缺受理通知书" : "受理回执");
      {
        /* kept for a look, next to the screenshots */
        g_autofree char *base = g_path_get_basename (docs->pdata[i]);
        g_autofree char *keep = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys",
                                                  T.en ? "printed-apply-en" : "printed-apply-zh", base, NULL);
        g_autofree char *bytes = NULL;
        gsize len = 0;
        g_autofree char *dir = g_path_get_dirname (keep);
        g_mkdir_with_parents (dir, 0755);
        g_assert_true (g_file_get_contents (docs->pdata[i], &bytes, &len, NULL));
        g_assert_true (g_file_set_contents (keep, bytes, (gssize) len, NULL));
      }
      assert_contains (text, number, docs->pdata[i]);
      assert_contains (text, item_name, docs->pdata[i]);
      if (owed_material)
        {
          g_autofree char *due = printed_date (owed_due);
          assert_contains (text, owed_material, docs->pdata[i]);
          assert_contains (text, due, docs->pdata[i]);
        }
      if (provisional)
        assert_contains (text, "临时编号", docs->pdata[i]);
      /* the QR code carries exactly the case number (drivers/printer/README.md) */
      g_assert_cmpstr (qr, ==, number);
      if (notice)
        saw_notice = TRUE;
      else
        {
          saw_receipt = TRUE;
          receipt_qr = g_steal_pointer (&qr);
        }
    }
  g_assert_true (saw_receipt);
  g_assert_true (saw_notice == (owed_material != NULL));
  return g_steal_pointer (&receipt_qr);
}

/* ---- the journey ------------------------------------------------------------------ */

/* From the attract screen: touch, English on the menu for an English run,
 * the tile, the card. */
static void
enter (void)
{
  KioskIdentity *id = kiosk_identity_new ();
  KioskDevice *reader = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "idcard");

  g_assert_true (kiosk_session_touch (T.session));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);
  if (T.elder)
    {
      kiosk_session_set_elder_mode (T.session, TRUE);
      kiosk_ui_test_wait_frame ();
    }
  if (T.en)
    {
      g_signal_emit_by_name (kiosk_ui_test_button ("English"), "clicked");
      kiosk_ui_test_wait_frame ();
      g_assert_cmpstr (kiosk_session_get_language (T.session), ==, "en");
    }
  kiosk_ui_test_click (L ("Apply", "自助申报"));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_IDENTIFY);

  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("张三");
  id->gender_code = '2';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup (ID_NUMBER);
  id->id_number_valid = TRUE;
  id->address = g_strdup ("北京市朝阳区某街道1号");
  id->valid_to = g_strdup ("长期");
  g_signal_emit_by_name (reader, "identity", id);
  kiosk_identity_free (id);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_JOURNEY, 20);
  g_assert_true (kiosk_session_get_journey (T.session) == KIOSK_JOURNEY (T.apply));
  g_assert_true (kiosk_session_get_elder_mode (T.session) == T.elder);
  KIOSK_UI_TEST_WAIT_FOR (
      !kiosk_apply_journey_get_loading (T.apply) && kiosk_ui_test_find_shown (L ("Choose the item", "选择事项")), 30);
  show_item ("apply-item-RS-005");
  g_assert_cmpstr (kiosk_session_get_language (T.session), ==, T.en ? "en" : "zh_CN");
}

static void
leave (void)
{
  press_named ("apply-finish");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) != KIOSK_SESSION_JOURNEY, 20);
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

/* Review → hand in → done, the receipt printed: the case number. */
static const char *
hand_in (void)
{
  const char *number;

  _kiosk_apply_journey_set_rating_delay (T.apply, 600);
  press_named ("apply-submit");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_submit_state (T.apply) == KIOSK_APPLY_SUBMIT_ACCEPTED, 60);
  KIOSK_UI_TEST_WAIT_FOR (step () == KIOSK_APPLY_STEP_DONE, 20);
  number = kiosk_apply_journey_get_case_number (T.apply);
  g_assert_true (kiosk_case_number_is_valid (number));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_ui_test_widget_text (named ("apply-case-number")), ==, number);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_print_state (T.apply) != KIOSK_APPLY_PRINT_PRINTING
                              && kiosk_apply_journey_get_print_state (T.apply) != KIOSK_APPLY_PRINT_NONE,
                          120);
  if (kiosk_apply_journey_get_print_state (T.apply) != KIOSK_APPLY_PRINT_DONE)
    g_error ("not printed: %s", kiosk_apply_journey_get_print_message (T.apply));
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown (L ("The receipt is printed. Please take it.", "回执已打印，请取走"));
  assert_button ("apply-finish", L ("Done", "完成"));
  return number;
}

/* RS-009 (社会保障卡), the photo owed under 容缺, pickup; the platform
 * stopped. */
static void
test_owe_offline_printed (void)
{
  KioskCatalogItem *item;
  int photo;
  g_autofree char *owe = NULL;
  g_autofree char *due = NULL;
  g_autofree char *item_name = NULL;
  guint before = n_received ();

  enter ();
  at_step (KIOSK_APPLY_STEP_ITEM, "Choose the item", "选择事项", "rs009-1-item");
  show_item ("apply-item-RS-009");
  press_named ("apply-item-RS-009");
  item = kiosk_apply_journey_get_item (T.apply);
  item_name = g_strdup (item->name);
  type_into (kiosk_form_field_get_entry (field ("phone")), KIOSK_OSK_LAYOUT_DIGITS, "13800138000");
  choose ("bank", "农业银行");
  at_step (KIOSK_APPLY_STEP_FORM, "Fill in the form", "填写申请表", "rs009-2-form");
  press_named ("apply-next");

  photo = kiosk_catalog_item_find_material (item, "符合制卡要求的电子照片");
  g_assert_cmpint (photo, >=, 0);
  owe = g_strdup_printf ("apply-owe-%d", photo);
  due = kiosk_apply_journey_dup_owe_due (T.apply, (guint) photo);
  g_assert_nonnull (due);
  {
    g_autofree char *label
        = T.en ? g_strdup_printf ("Hand in later (容缺), by %s", due) : g_strdup_printf ("容缺后补（%s 前）", due);
    assert_button (owe, label);
  }
  press_named (owe);
  g_assert_cmpint (kiosk_case_draft_get_material_state (draft (), (guint) photo), ==, KIOSK_MATERIAL_OWED);
  at_step (KIOSK_APPLY_STEP_MATERIALS, "Materials", "申请材料", "rs009-3-materials-owed");
  press_named ("apply-next");

  assert_button ("apply-pickup", L ("Pick up at the counter", "窗口领取"));
  at_step (KIOSK_APPLY_STEP_DELIVERY, "Delivery", "领取方式", "rs009-4-delivery");
  press_named ("apply-next");
  at_step (KIOSK_APPLY_STEP_REVIEW, "Check and hand in", "核对并提交", "rs009-5-review");

  T.rs009_number = g_strdup (hand_in ());
  /* queued: durable, under the provisional number, no official one yet */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (KioskCaseInfo) info = kiosk_store_find_case (kiosk_core_get_store (T.core), T.rs009_number, &error);
    g_assert_no_error (error);
    g_assert_nonnull (info);
    g_assert_cmpint (info->sync_state, ==, KIOSK_CASE_QUEUED);
    g_assert_null (info->official_number);
  }
  g_assert_true (kiosk_apply_journey_get_has_deferral_notice (T.apply));
  kiosk_ui_test_assert_shown (T.rs009_number);
  at_step (KIOSK_APPLY_STEP_DONE, "Receipt", "受理回执", "rs009-6-done");
  T.rs009_qr = check_printed (before, T.rs009_number, item_name, "符合制卡要求的电子照片", due, TRUE);
  leave ();
}

/* Whether the case @number has been acknowledged by the platform; @info
 * its store record. */
static gboolean
synced (KioskStore *store, const char *number, KioskCaseInfo **info)
{
  g_clear_pointer (info, kiosk_case_info_free);
  *info = kiosk_store_find_case (store, number, NULL);
  return *info && (*info)->sync_state == KIOSK_CASE_SUBMITTED;
}

/* The platform starts at the configured URL: the queued case gets its
 * official number; 进度查询, given the printed receipt's QR code, shows it. */
static void
test_synced_progress (void)
{
  KioskStore *store = kiosk_core_get_store (T.core);
  KioskDevice *camera = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "camera");
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%d", T.platform_port);
  const char *const args[] = { "--listen", listen, NULL };
  g_autoptr (KioskCaseInfo) info = NULL;
  KioskProgressJourney *progress;
  const KioskProgressCase *c;

  if (T.rs009_number == NULL)
    {
      g_test_skip ("no case was handed in offline");
      return;
    }
  T.platform = test_platform_start (T.dir, args);
  kiosk_sync_wake (kiosk_core_get_sync (T.core));
  KIOSK_UI_TEST_WAIT_FOR (synced (store, T.rs009_number, &info), 120);
  g_assert_nonnull (info->official_number);
  g_assert_cmpstr (info->official_number, !=, T.rs009_number);
  g_assert_cmpstr (info->provisional_number, ==, T.rs009_number);

  g_assert_true (kiosk_session_touch (T.session));
  kiosk_ui_test_wait_frame ();
  if (T.en)
    {
      g_signal_emit_by_name (kiosk_ui_test_button ("English"), "clicked");
      kiosk_ui_test_wait_frame ();
    }
  kiosk_ui_test_click (L ("Check progress", "进度查询"));
  kiosk_ui_test_wait_frame ();
  progress = KIOSK_PROGRESS_JOURNEY (kiosk_session_get_journey (T.session));
  g_assert_true (KIOSK_IS_PROGRESS_JOURNEY (progress));
  /* the receipt's QR code under the camera */
  g_assert_cmpint (kiosk_camera_device_get_scan_mode (KIOSK_CAMERA_DEVICE (camera)), ==, KIOSK_CAMERA_SCAN_BARCODE);
  g_signal_emit_by_name (camera, "barcode", "QRCode", T.rs009_qr);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_progress_journey_get_state (progress) == KIOSK_PROGRESS_FOUND, 60);
  c = kiosk_progress_journey_get_case (progress);
  g_assert_nonnull (c);
  g_assert_cmpstr (c->official_number, ==, info->official_number);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown (info->official_number);
  kiosk_ui_test_assert_shown (L ("Official number", "正式编号"));
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot ("progress-official-number");
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

/* RS-005 committed and signed, its material scanned by the simulated
 * camera itself, handed in online: the receipt at the printer. */
static void
test_commit_camera_printed (void)
{
  KioskCatalogItem *item;
  int relation;
  g_autofree char *scan = NULL;
  g_autofree char *item_name = NULL;
  guint before = n_received ();
  guint pages;

  if (T.platform == NULL)
    {
      g_test_skip ("the platform did not start");
      return;
    }
  enter ();
  show_item ("apply-item-RS-005");
  press_named ("apply-item-RS-005");
  item = kiosk_apply_journey_get_item (T.apply);
  item_name = g_strdup (item->name);
  type_into (kiosk_form_field_get_entry (field ("phone")), KIOSK_OSK_LAYOUT_DIGITS, "13800138000");
  kiosk_form_field_set_text (field ("deceased_name"), "张某");
  type_into (kiosk_form_field_get_entry (field ("date_of_death")), KIOSK_OSK_LAYOUT_DIGITS, "20260201");
  choose ("relationship", "子女");
  choose ("benefit", "丧葬补助金");
  at_step (KIOSK_APPLY_STEP_FORM, "Fill in the form", "填写申请表", "rs005-2-form");
  press_named ("apply-next");

  assert_button ("apply-commit", L ("I commit and sign", "我承诺并签名"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (named ("apply-commit")), TRUE);
  kiosk_ui_test_wait_frame ();
  sign (KIOSK_SIGNATURE_PAD (named ("apply-signature")));
  g_assert_nonnull (kiosk_case_draft_get_signature_sha256 (draft ()));
  at_step (KIOSK_APPLY_STEP_COMMITMENT, "Commitment", "告知承诺", "rs005-3-commitment");
  press_named ("apply-next");

  /* the camera's own captures: a page comes and goes under it */
  relation = kiosk_catalog_item_find_material (item, "关系承诺书及受益人/继承人证件(无法用参保人账户领取时)");
  g_assert_cmpint (relation, >=, 0);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_camera_state (T.apply) == KIOSK_APPLY_CAMERA_READY, 60);
  kiosk_ui_test_wait_frame ();
  scan = g_strdup_printf ("apply-scan-%d", relation);
  assert_button (scan, L ("Scan", "拍摄"));
  at_step (KIOSK_APPLY_STEP_MATERIALS, "Materials", "申请材料", "rs005-4-materials");
  press_named (scan);
  g_assert_cmpint (kiosk_apply_journey_get_scan_target (T.apply), ==, relation);
  kiosk_ui_test_wait_frame ();
  assert_button (scan, L ("Stop scanning", "停止拍摄"));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_case_draft_get_n_pages (draft (), (guint) relation) >= 1, 120);
  press_named (scan);
  g_assert_cmpint (kiosk_apply_journey_get_scan_target (T.apply), ==, -1);
  pages = kiosk_case_draft_get_n_pages (draft (), (guint) relation);
  g_test_message ("the camera captured %u page(s)", pages);
  {
    g_autofree char *state = g_strdup_printf ("apply-material-state-%d", relation);
    g_autofree char *expect = T.en ? g_strdup_printf (pages == 1 ? "Scanned: %u page." : "Scanned: %u pages.", pages)
                                   : g_strdup_printf ("已拍摄 %u 页", pages);
    kiosk_ui_test_wait_frame ();
    g_assert_nonnull (strstr (kiosk_ui_test_widget_text (named (state)), expect));
  }
  at_step (KIOSK_APPLY_STEP_MATERIALS, "Materials", "申请材料", "rs005-5-materials-scanned");
  press_named ("apply-next");
  at_step (KIOSK_APPLY_STEP_DELIVERY, "Delivery", "领取方式", "rs005-6-delivery");
  press_named ("apply-next");
  kiosk_ui_test_assert_shown (L ("You commit, and signed.", "已签名"));
  at_step (KIOSK_APPLY_STEP_REVIEW, "Check and hand in", "核对并提交", "rs005-7-review");
  {
    const char *number = hand_in ();
    g_autofree char *qr = NULL;
    at_step (KIOSK_APPLY_STEP_DONE, "Receipt", "受理回执", "rs005-8-done");
    qr = check_printed (before, number, item_name, NULL, NULL, FALSE);
    g_assert_cmpstr (qr, ==, number);
  }
  leave ();
}

static gboolean
have_tools (void)
{
  static const char *const tools[] = { "ippeveprinter", "dbus-daemon", "pdftotext", "pdftoppm", "zbarimg", NULL };

  for (guint i = 0; tools[i]; i++)
    {
      g_autofree char *p = g_find_program_in_path (tools[i]);
      if (p == NULL)
        {
          g_printerr ("SKIP: %s is not installed (cups-ipp-utils, dbus, poppler-utils, zbar-tools: tools/setup-deps)\n",
                      tools[i]);
          return FALSE;
        }
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *catalog_path = g_build_filename (KIOSK_SOURCE_DIR, "tests", "platform", "seed-catalog.json", NULL);
  g_autofree char *images = NULL;
  g_autofree char *shots = NULL;
  g_autofree char *cmd = NULL;
  static const char *const pictures[] = { "01-page.jpg", "03-empty-mat.jpg" };
  KioskPrinterSimOptions popt = { .name = "KioskAccept" };
  int ret;

  if (argc > 1 && g_str_equal (argv[argc - 1], "en"))
    {
      T.en = TRUE;
      argc--;
    }
  else if (argc > 1 && g_str_equal (argv[argc - 1], "zh"))
    argc--;
  else if (argc > 1 && g_str_equal (argv[argc - 1], "elder"))
    {
      T.elder = TRUE;
      argc--;
    }
  if (!have_tools ())
    return 77;
  kiosk_ui_test_init (&argc, &argv);
  T.dir = g_dir_make_tmp ("kiosk-apply-accept-XXXXXX", &error);
  g_assert_no_error (error);

  /* The printer: ippeveprinter on a free loopback port, reached through the
   * kiosk's real IPP backend. */
  T.printer = kiosk_printer_sim_start (&popt, &error);
  g_assert_no_error (error);

  /* The document camera sees a page, then the bare mat, in turn. */
  images = g_build_filename (T.dir, "images", NULL);
  g_mkdir_with_parents (images, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (pictures); i++)
    {
      g_autofree char *from = g_build_filename (KIOSK_SOURCE_DIR, "drivers", "camera", "sim-images", pictures[i], NULL);
      g_autofree char *to = g_build_filename (images, pictures[i], NULL);
      g_autofree char *bytes = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (from, &bytes, &len, &error));
      g_assert_true (g_file_set_contents (to, bytes, (gssize) len, &error));
    }

  /* Nobody answers at the platform's URL until the sync test starts the
   * reference platform there. */
  T.platform_port = free_port ();
  conf = g_strdup_printf ("[kiosk]\nid=AP-03\nstation=测试村便民服务站\nphone=0571-00000000\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\nheartbeat-seconds=5\n"
                          "[idcard]\nbackend=sim\n"
                          "[camera]\nbackend=sim\nsim-images=%s\nsim-hold-seconds=2\n"
                          "[pad]\nbackend=none\n"
                          "[printer]\nbackend=real\nuri=%s\n",
                          T.dir, T.platform_port, images, kiosk_printer_sim_get_uri (T.printer));
  T.config = kiosk_config_new_from_data (conf, T.dir, &error);
  g_assert_no_error (error);
  T.core = kiosk_core_new (T.config);
  T.session = kiosk_core_get_session (T.core);
  kiosk_session_set_manual_clock (T.session, TRUE);
  kiosk_core_start (T.core);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_core_get_store (T.core) != NULL && kiosk_core_get_sync (T.core) != NULL, 30);
  kiosk_sync_set_backoff (kiosk_core_get_sync (T.core), 50, 500);
  g_assert_true (g_file_get_contents (catalog_path, &catalog, NULL, &error));
  g_assert_true (kiosk_store_set_catalog (kiosk_core_get_store (T.core), catalog, NULL, &error));
  g_assert_no_error (error);
  T.apply = KIOSK_APPLY_JOURNEY (kiosk_session_find_journey (T.session, "apply"));
  g_assert_nonnull (T.apply);
  {
    KioskDevice *printer = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");
    g_assert_true (KIOSK_IS_PRINTER_DEVICE (printer));
    /* the real backend: no simulator of its own */
    g_assert_null (kiosk_printer_device_get_sim (KIOSK_PRINTER_DEVICE (printer)));
    KIOSK_UI_TEST_WAIT_FOR (kiosk_device_get_state (printer) == KIOSK_DEVICE_STATE_READY, 60);
  }

  shots = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys",
                            T.en      ? "screenshots-apply-en"
                            : T.elder ? "screenshots-apply-elder"
                                      : "screenshots-apply-zh",
                            NULL);
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
  T.window = kiosk_ui_test_open_window (T.core, TRUE, shots);

  g_test_add_func ("/apply-accept/owe-offline-printed", test_owe_offline_printed);
  g_test_add_func ("/apply-accept/synced-progress", test_synced_progress);
  g_test_add_func ("/apply-accept/commit-camera-printed", test_commit_camera_printed);
  ret = g_test_run ();

  kiosk_ui_test_close_window ();
  kiosk_core_stop (T.core);
  g_clear_object (&T.core);
  g_clear_pointer (&T.config, kiosk_config_unref);
  if (T.platform)
    test_platform_stop (T.platform);
  kiosk_printer_sim_free (T.printer);
  cmd = g_strdup_printf ("rm -rf '%s'", T.dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (T.rs009_number);
  g_free (T.rs009_qr);
  g_free (T.dir);
  return ret;
}
