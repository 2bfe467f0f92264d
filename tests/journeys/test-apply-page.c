/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 自助申报 on screen, end to end, in-process under Xvfb (issue 14: 3, 4):
 * the kiosk window on the simulated devices, the seed catalog in the store
 * (offline: nobody answers on the platform's port). A resident opens
 * 自助申报 from the menu, places the card (the reader's "identity"), chooses
 * RS-005, fills the form on the on-screen keyboard, commits and signs on
 * the pad, scans a material (the camera's page as the core forwards it),
 * picks up at the counter, checks and hands in: the case is in the store,
 * the receipt printed on the simulated printer, the case number shown.
 * Then RS-009: a photo owed under 容缺 and post to a typed address, and the
 * session's wipe in the middle empties every field. Screenshots of every
 * step; with the argument "small" the same in a 1280x800 window. Skips (77)
 * without a display. */
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
#include "kiosk-signature.h"
#include "kiosk-store.h"
#include "kiosk-ui-test.h"
#include "kiosk-window.h"
#include "print-sim.h"
#include "printer-device.h"

static struct {
  gboolean small;
  char *dir;
  KioskConfig *config;
  KioskCore *core;
  KioskSession *session;
  KioskWindow *window;
  KioskApplyJourney *apply;
} T;

static const char *const ID_NUMBER = "11010519491231002X";

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

/* The drawn widget named @name, failing if none. */
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

static GtkWidget *
page (void)
{
  return named ("apply-page");
}

static KioskOsk *
osk (void)
{
  return kiosk_apply_page_get_osk (page ());
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

/* Every control's accessible name is its visible label. */
static void
assert_accessible (const char *name, const char *label)
{
  GtkWidget *w = named (name);

  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  if (GTK_IS_BUTTON (w) && gtk_button_get_label (GTK_BUTTON (w)))
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (w)), ==, label);
}

static void
shot (const char *what)
{
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_touch_targets (64);
  kiosk_ui_test_screenshot (what);
}

/* Typed on the page's keyboard: the field's entry made its target, each
 * key pressed. */
static void
type_into (GtkWidget *entry, KioskOskLayout layout, const char *keys)
{
  /* touched: focused, the keyboard comes up and types into it */
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
  kiosk_signature_pad_stroke_begin (pad, 480, 150);
  for (guint i = 1; i < 30; i++)
    kiosk_signature_pad_stroke_extend (pad, 420 + 60 * cos (i * 0.21), 150 + 60 * sin (i * 0.21));
  kiosk_signature_pad_stroke_end (pad);
}

static guint
cases_of_resident (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cases = kiosk_store_find_cases_of_applicant (kiosk_core_get_store (T.core), ID_NUMBER, &error);

  g_assert_no_error (error);
  return cases->len;
}

static KioskPrinterSim *
printer_sim (void)
{
  KioskDevice *printer = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "printer");

  g_assert_true (KIOSK_IS_PRINTER_DEVICE (printer));
  KIOSK_UI_TEST_WAIT_FOR (kiosk_device_get_state (printer) == KIOSK_DEVICE_STATE_READY, 60);
  return kiosk_printer_device_get_sim (KIOSK_PRINTER_DEVICE (printer));
}

static guint
printed (void)
{
  g_autoptr (GPtrArray) received = kiosk_printer_sim_list_received (printer_sim ());
  return received->len;
}

/* From the attract screen: touch, the 自助申报 tile, the card (with
 * @address). */
static void
enter_with (const char *address)
{
  KioskIdentity *id = kiosk_identity_new ();
  KioskDevice *reader = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "idcard");

  g_assert_true (kiosk_session_touch (T.session));
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_MENU);
  kiosk_ui_test_click ("自助申报");
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_IDENTIFY);

  id->card_type = KIOSK_CARD_RESIDENT;
  id->name = g_strdup ("张三");
  id->gender_code = '2';
  id->birth_date = g_strdup ("1949-12-31");
  id->id_number = g_strdup (ID_NUMBER);
  id->id_number_valid = TRUE;
  id->address = g_strdup (address);
  id->valid_to = g_strdup ("长期");
  g_signal_emit_by_name (reader, "identity", id);
  kiosk_identity_free (id);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) == KIOSK_SESSION_JOURNEY, 10);
  g_assert_true (kiosk_session_get_journey (T.session) == KIOSK_JOURNEY (T.apply));
  KIOSK_UI_TEST_WAIT_FOR (!kiosk_apply_journey_get_loading (T.apply) && has_named ("apply-item-RS-005"), 20);
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_ITEM);
}

static void
enter (void)
{
  enter_with ("北京市朝阳区某街道1号");
}

/* ---- the tests ----------------------------------------------------------------- */

static void
test_commit_scan_submit (void)
{
  g_autofree char *photo_path
      = g_build_filename (KIOSK_SOURCE_DIR, "drivers", "camera", "sim-images", "01-page.jpg", NULL);
  g_autofree char *jpeg = NULL;
  gsize jpeg_len = 0;
  g_autoptr (GBytes) page_bytes = NULL;
  KioskCatalogItem *item;
  KioskSignaturePad *pad;
  guint cases_before = cases_of_resident ();
  guint printed_before = printed ();
  int relation;
  g_autofree char *scan = NULL;
  g_autofree char *state = NULL;
  const char *number;

  enter ();
  shot ("item");
  assert_accessible ("apply-next", "下一步");

  /* Next without an item: what is missing, said */
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_ITEM);
  g_assert_true (gtk_widget_get_visible (named ("apply-problems-item")));

  press_named ("apply-item-RS-005");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_FORM);
  item = kiosk_apply_journey_get_item (T.apply);
  g_assert_cmpstr (item->code, ==, "RS-005");
  shot ("form-empty");

  /* Next with the form empty: every field's message at once */
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_FORM);
  g_assert_nonnull (kiosk_form_field_get_message (field ("phone")));
  g_assert_true (gtk_widget_get_visible (named ("apply-problems-form")));
  shot ("form-problems");

  type_into (kiosk_form_field_get_entry (field ("phone")), KIOSK_OSK_LAYOUT_DIGITS, "13800138000");
  kiosk_form_field_set_text (field ("deceased_name"), "张某");
  type_into (kiosk_form_field_get_entry (field ("date_of_death")), KIOSK_OSK_LAYOUT_DIGITS, "20260201");
  choose ("relationship", "子女");
  choose ("benefit", "丧葬补助金");
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_case_draft_get_value (kiosk_apply_journey_get_draft (T.apply), "phone"), ==, "13800138000");
  g_assert_cmpstr (kiosk_case_draft_get_value (kiosk_apply_journey_get_draft (T.apply), "date_of_death"), ==,
                   "2026-02-01");
  g_assert_null (kiosk_form_field_get_message (field ("phone")));
  shot ("form");
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_COMMITMENT);

  /* 告知承诺: the notice, commit, sign */
  kiosk_ui_test_assert_shown ("死亡证明");
  kiosk_ui_test_assert_shown (item->commitment->liability);
  assert_accessible ("apply-commit", "我承诺并签名");
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_COMMITMENT);
  g_assert_true (gtk_widget_get_visible (named ("apply-problems-commitment")));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (named ("apply-commit")), TRUE);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (kiosk_case_draft_get_commitment (kiosk_apply_journey_get_draft (T.apply)), ==,
                   KIOSK_COMMITMENT_COMMIT);
  pad = KIOSK_SIGNATURE_PAD (named ("apply-signature"));
  sign (pad);
  g_assert_true (kiosk_signature_pad_get_signed (pad));
  g_assert_nonnull (kiosk_case_draft_get_signature_sha256 (kiosk_apply_journey_get_draft (T.apply)));
  /* cleared (清除): no signature any more, Next refused; signed again */
  kiosk_signature_pad_clear (pad);
  g_assert_null (kiosk_case_draft_get_signature_sha256 (kiosk_apply_journey_get_draft (T.apply)));
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_COMMITMENT);
  sign (pad);
  g_assert_nonnull (kiosk_case_draft_get_signature_sha256 (kiosk_apply_journey_get_draft (T.apply)));
  shot ("commitment");
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_MATERIALS);

  /* materials: the proof replaced by the commitment; the other one
   * scanned, its page counted as it arrives */
  relation = kiosk_catalog_item_find_material (item, "关系承诺书及受益人/继承人证件(无法用参保人账户领取时)");
  g_assert_cmpint (relation, >=, 0);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_camera_state (T.apply) == KIOSK_APPLY_CAMERA_READY, 30);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown ("已由您签署的告知承诺代替");
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_MATERIALS);
  g_assert_true (gtk_widget_get_visible (named ("apply-problems-materials")));
  shot ("materials");
  scan = g_strdup_printf ("apply-scan-%d", relation);
  state = g_strdup_printf ("apply-material-state-%d", relation);
  assert_accessible (scan, "拍摄");
  press_named (scan);
  g_assert_cmpint (kiosk_apply_journey_get_scan_target (T.apply), ==, relation);
  g_assert_true (g_file_get_contents (photo_path, &jpeg, &jpeg_len, NULL));
  page_bytes = g_bytes_new_take (g_steal_pointer (&jpeg), jpeg_len);
  _kiosk_journey_page_captured (KIOSK_JOURNEY (T.apply), page_bytes, 1000, 1400, 200, NULL);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpuint (kiosk_case_draft_get_n_pages (kiosk_apply_journey_get_draft (T.apply), (guint) relation), >=, 1);
  {
    g_autofree char *expect = g_strdup_printf (
        "已拍摄 %u 页", kiosk_case_draft_get_n_pages (kiosk_apply_journey_get_draft (T.apply), (guint) relation));
    g_assert_nonnull (strstr (kiosk_ui_test_widget_text (named (state)), expect));
  }
  shot ("materials-scanned");
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_DELIVERY);

  /* delivery: pickup (the default) */
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (named ("apply-pickup"))));
  assert_accessible ("apply-pickup", "窗口领取");
  shot ("delivery");
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_REVIEW);

  /* review: everything at once, the applicant's name and number masked;
   * 修改 goes back to the form and Next returns */
  kiosk_ui_test_assert_shown ("张某");
  kiosk_ui_test_assert_shown ("13800138000");
  kiosk_ui_test_assert_shown ("已签名");
  g_assert_null (kiosk_ui_test_find_shown (ID_NUMBER));
  shot ("review");
  press_named ("apply-edit-form");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_FORM);
  g_assert_cmpstr (kiosk_form_field_get_text (field ("phone")), ==, "13800138000");
  press_named ("apply-next");
  press_named ("apply-next");
  press_named ("apply-next");
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_REVIEW);

  /* hand in: in the store, the receipt printed, the number shown */
  _kiosk_apply_journey_set_rating_delay (T.apply, 120);
  assert_accessible ("apply-submit", "提交");
  press_named ("apply-submit");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_submit_state (T.apply) == KIOSK_APPLY_SUBMIT_ACCEPTED, 60);
  KIOSK_UI_TEST_WAIT_FOR (step () == KIOSK_APPLY_STEP_DONE, 10);
  number = kiosk_apply_journey_get_case_number (T.apply);
  g_assert_nonnull (number);
  g_assert_cmpuint (cases_of_resident (), ==, cases_before + 1);
  {
    g_autoptr (KioskCaseInfo) info = kiosk_store_find_case (kiosk_core_get_store (T.core), number, NULL);
    g_assert_nonnull (info);
  }
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_ui_test_widget_text (named ("apply-case-number")), ==, number);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_print_state (T.apply) != KIOSK_APPLY_PRINT_PRINTING, 90);
  g_assert_cmpint (kiosk_apply_journey_get_print_state (T.apply), ==, KIOSK_APPLY_PRINT_DONE);
  g_assert_cmpuint (printed (), >, printed_before);
  kiosk_ui_test_wait_frame ();
  kiosk_ui_test_assert_shown ("回执已打印");
  shot ("done");
  press_named ("apply-finish");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) != KIOSK_SESSION_JOURNEY, 10);
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

static gboolean
is_personal_holder (GtkWidget *w, gpointer data)
{
  return KIOSK_IS_FORM_FIELD (w) || KIOSK_IS_SIGNATURE_PAD (w) || GTK_IS_ENTRY (w);
}

static void
test_owe_post_print_failed (void)
{
  KioskDevice *camera = kiosk_device_manager_get (kiosk_core_get_devices (T.core), "camera");
  KioskCatalogItem *item;
  int photo;
  g_autofree char *owe = NULL;
  g_autofree char *scan = NULL;

  enter ();
  /* an item the kiosk does not take says where to go instead */
  press_named ("apply-item-CL-031");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_ITEM);
  g_assert_null (kiosk_apply_journey_get_item (T.apply));
  g_assert_true (gtk_widget_get_visible (named ("apply-item-notice")));
  g_assert_nonnull (strstr (kiosk_ui_test_widget_text (named ("apply-item-notice")), "县残联"));
  shot ("item-elsewhere");
  press_named ("apply-item-RS-009");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_FORM);
  item = kiosk_apply_journey_get_item (T.apply);
  g_assert_false (kiosk_apply_journey_has_step (T.apply, KIOSK_APPLY_STEP_COMMITMENT));
  type_into (kiosk_form_field_get_entry (field ("phone")), KIOSK_OSK_LAYOUT_DIGITS, "13800138000");
  choose ("bank", "农业银行");
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_MATERIALS);

  /* 容缺: the photo owed, with its due date */
  photo = kiosk_catalog_item_find_material (item, "符合制卡要求的电子照片");
  g_assert_cmpint (photo, >=, 0);
  owe = g_strdup_printf ("apply-owe-%d", photo);
  g_assert_true (kiosk_apply_journey_can_owe (T.apply, (guint) photo));
  {
    g_autofree char *due = kiosk_apply_journey_dup_owe_due (T.apply, (guint) photo);
    g_autofree char *label = g_strdup_printf ("容缺后补（%s 前）", due);
    assert_accessible (owe, label);
  }
  /* the camera unplugged: what to do instead, and no 拍摄 */
  scan = g_strdup_printf ("apply-scan-%d", photo);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_camera_state (T.apply) == KIOSK_APPLY_CAMERA_READY, 30);
  kiosk_ui_test_wait_frame ();
  g_assert_true (has_named (scan));
  kiosk_camera_device_sim_set_present (KIOSK_CAMERA_DEVICE (camera), FALSE);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_camera_state (T.apply) == KIOSK_APPLY_CAMERA_GONE, 30);
  kiosk_ui_test_wait_frame ();
  /* what to do instead, in the camera view's picture place */
  g_assert_true (has_named ("camera-gone"));
  g_assert_nonnull (strstr (kiosk_ui_test_widget_text (named ("camera-gone")), "容缺"));
  g_assert_false (has_named (scan));
  shot ("materials-camera-gone");
  press_named (owe);
  g_assert_cmpint (kiosk_case_draft_get_material_state (kiosk_apply_journey_get_draft (T.apply), (guint) photo), ==,
                   KIOSK_MATERIAL_OWED);
  shot ("materials-owed");
  kiosk_camera_device_sim_set_present (KIOSK_CAMERA_DEVICE (camera), TRUE);
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_DELIVERY);

  /* post, to an address typed on the keyboard */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (named ("apply-post")), TRUE);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named ("apply-address"))), ==, "北京市朝阳区某街道1号");
  gtk_editable_set_text (GTK_EDITABLE (named ("apply-address")), "");
  type_into (named ("apply-address"), KIOSK_OSK_LAYOUT_DIGITS, "5");
  gtk_editable_set_text (GTK_EDITABLE (named ("apply-address")), "某县某镇某村5号");
  shot ("delivery-post");
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_REVIEW);
  g_assert_cmpint (kiosk_case_draft_get_delivery (kiosk_apply_journey_get_draft (T.apply)), ==, KIOSK_DELIVERY_POST);
  kiosk_ui_test_assert_shown ("某县某镇某村5号");
  kiosk_ui_test_assert_shown ("容缺");
  shot ("review-owed");

  /* handed in with the printer gone: the number, what went wrong, what to
   * do, 重新打印; the 容缺 notice said */
  _kiosk_apply_journey_set_rating_delay (T.apply, 120);
  kiosk_printer_sim_kill (printer_sim ());
  press_named ("apply-submit");
  KIOSK_UI_TEST_WAIT_FOR (step () == KIOSK_APPLY_STEP_DONE, 60);
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_print_state (T.apply) == KIOSK_APPLY_PRINT_FAILED, 90);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (kiosk_ui_test_widget_text (named ("apply-case-number")), ==,
                   kiosk_apply_journey_get_case_number (T.apply));
  g_assert_true (kiosk_apply_journey_get_has_deferral_notice (T.apply));
  kiosk_ui_test_assert_shown ("容缺受理通知书");
  kiosk_ui_test_assert_shown (_ (kiosk_apply_journey_get_print_hint (T.apply)));
  /* the print error sends to the staff: the station's phone with it */
  kiosk_ui_test_assert_shown ("工作人员电话：0571-00000000");
  assert_accessible ("apply-print-again", "重新打印");
  shot ("done-print-failed");
  press_named ("apply-print-again");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_apply_journey_get_print_state (T.apply) == KIOSK_APPLY_PRINT_FAILED, 90);
  press_named ("apply-finish");
  KIOSK_UI_TEST_WAIT_FOR (kiosk_session_get_state (T.session) != KIOSK_SESSION_JOURNEY, 10);
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
}

/* The idle timeout in the middle (form filled, signed): every field, entry
 * and pad of every step is emptied, not only hidden. */
static void
test_wipe_midway (void)
{
  g_autoptr (GPtrArray) holders = g_ptr_array_new_with_free_func (g_object_unref);
  guint filled = 0;

  enter ();
  press_named ("apply-item-RS-005");
  type_into (kiosk_form_field_get_entry (field ("phone")), KIOSK_OSK_LAYOUT_DIGITS, "13800138000");
  kiosk_form_field_set_text (field ("deceased_name"), "张某");
  type_into (kiosk_form_field_get_entry (field ("date_of_death")), KIOSK_OSK_LAYOUT_DIGITS, "20260201");
  choose ("relationship", "子女");
  choose ("benefit", "丧葬补助金");
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_COMMITMENT);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (named ("apply-commit")), TRUE);
  kiosk_ui_test_wait_frame ();
  sign (KIOSK_SIGNATURE_PAD (named ("apply-signature")));

  kiosk_ui_test_collect (page (), is_personal_holder, NULL, holders);
  for (guint i = 0; i < holders->len; i++)
    {
      GtkWidget *w = holders->pdata[i];
      if (KIOSK_IS_FORM_FIELD (w))
        filled += *kiosk_form_field_get_text (KIOSK_FORM_FIELD (w)) != '\0';
      else if (KIOSK_IS_SIGNATURE_PAD (w))
        filled += !kiosk_signature_pad_is_empty (KIOSK_SIGNATURE_PAD (w));
    }
  g_assert_cmpuint (filled, >=, 6);
  for (guint i = 0; i < holders->len; i++)
    g_object_ref (holders->pdata[i]);
  kiosk_session_wipe (T.session);
  kiosk_ui_test_wait_frame ();
  for (guint i = 0; i < holders->len; i++)
    {
      GtkWidget *w = holders->pdata[i];
      if (KIOSK_IS_FORM_FIELD (w))
        g_assert_cmpstr (kiosk_form_field_get_text (KIOSK_FORM_FIELD (w)), ==, "");
      else if (KIOSK_IS_SIGNATURE_PAD (w))
        g_assert_true (kiosk_signature_pad_is_empty (KIOSK_SIGNATURE_PAD (w)));
      else
        g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w)), ==, "");
    }
  g_assert_cmpint (kiosk_session_get_state (T.session), !=, KIOSK_SESSION_JOURNEY);
}

/* The next resident, the same item: the delivery step shows their own
 * address, nothing of the last one. */
static void
test_next_resident (void)
{
  enter_with ("河北省某县某村8号");
  press_named ("apply-item-RS-009");
  type_into (kiosk_form_field_get_entry (field ("phone")), KIOSK_OSK_LAYOUT_DIGITS, "13900139000");
  choose ("bank", "邮储银行");
  /* 返回 steps back inside the journey; the same item again keeps what was
   * typed */
  kiosk_ui_test_click ("返回");
  kiosk_ui_test_wait_frame ();
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_ITEM);
  g_assert_cmpint (kiosk_session_get_state (T.session), ==, KIOSK_SESSION_JOURNEY);
  press_named ("apply-item-RS-009");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_FORM);
  g_assert_cmpstr (kiosk_form_field_get_text (field ("phone")), ==, "13900139000");
  press_named ("apply-next");
  {
    int photo = kiosk_catalog_item_find_material (kiosk_apply_journey_get_item (T.apply), "符合制卡要求的电子照片");
    g_autofree char *owe = g_strdup_printf ("apply-owe-%d", photo);
    press_named (owe);
  }
  press_named ("apply-next");
  g_assert_cmpint (step (), ==, KIOSK_APPLY_STEP_DELIVERY);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (named ("apply-post")), TRUE);
  kiosk_ui_test_wait_frame ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named ("apply-address"))), ==, "河北省某县某村8号");
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
  g_autofree char *images = NULL;
  g_autofree char *mat
      = g_build_filename (KIOSK_SOURCE_DIR, "drivers", "camera", "sim-images", "03-empty-mat.jpg", NULL);
  g_autofree char *mat_copy = NULL;
  g_autofree char *shots = NULL;
  g_autofree char *cmd = NULL;
  gsize len;
  int ret;

  if (argc > 1 && g_str_equal (argv[argc - 1], "small"))
    {
      T.small = TRUE;
      argc--;
    }
  kiosk_ui_test_init (&argc, &argv);
  /* Accessible names are kept by GTK's test backend ("none" keeps
   * nothing to check); read when the first widget is made. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  T.dir = g_dir_make_tmp ("kiosk-apply-page-XXXXXX", &error);
  g_assert_no_error (error);
  /* The simulated camera looks at an empty mat: it is there, and finds no
   * page by itself; the test hands it the page. */
  images = g_build_filename (T.dir, "images", NULL);
  g_mkdir_with_parents (images, 0700);
  mat_copy = g_build_filename (images, "03-empty-mat.jpg", NULL);
  {
    g_autofree char *bytes = NULL;
    g_assert_true (g_file_get_contents (mat, &bytes, &len, &error));
    g_assert_true (g_file_set_contents (mat_copy, bytes, (gssize) len, &error));
  }
  conf = g_strdup_printf ("[kiosk]\nid=AP-02\nstation=测试村便民服务站\nphone=0571-00000000\n"
                          "[store]\npath=%s/kiosk.db\n"
                          "[platform]\nurl=http://127.0.0.1:%d/\nallow-http=true\n"
                          "[idcard]\nbackend=sim\n[camera]\nbackend=sim\nsim-images=%s\n"
                          "[pad]\nbackend=none\n[printer]\nbackend=sim\n%s",
                          T.dir, free_port (), images,
                          T.small ? "[ui]\nfullscreen=false\nwidth=1280\nheight=800\n" : "");
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
  T.apply = KIOSK_APPLY_JOURNEY (kiosk_session_find_journey (T.session, "apply"));
  g_assert_nonnull (T.apply);

  shots = g_build_filename (KIOSK_BUILD_DIR, "tests", "journeys",
                            T.small ? "screenshots-apply-1280x800" : "screenshots-apply", NULL);
  {
    /* only this run's screenshots */
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

  g_test_add_func ("/apply-page/commit-scan-submit", test_commit_scan_submit);
  g_test_add_func ("/apply-page/owe-post-print-failed", test_owe_post_print_failed);
  g_test_add_func ("/apply-page/wipe-midway", test_wipe_midway);
  g_test_add_func ("/apply-page/next-resident", test_next_resident);
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
