/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-core.h"

G_BEGIN_DECLS

/* The maintenance screen's core (issue #16, point 4): for a county
 * technician on the kiosk itself. No GTK; the page observes it and sends it
 * intents.
 *
 * Opening: a gesture residents do not make by chance (a long press on the
 * station's name in the header, then KIOSK_MAINT_CLOCK_TAPS taps on the
 * clock within KIOSK_MAINT_GESTURE_SECONDS), which ends any resident's
 * session (the wipe) and asks for the technician's PIN. The PIN is checked
 * against [maintenance] pin-hash (a salted Argon2id hash made by `kioskctl
 * pin-hash`; the PIN itself is stored nowhere) in a worker thread, with
 * kiosk-pin.h's growing waits (5, 10, 20, 40 s) and a lock-out after
 * KIOSK_PIN_MAX_FAILURES wrong PINs for [maintenance] lockout-minutes; the
 * count is kept in the store ("maint_pin"), so a restart does not reset it.
 *
 * Open: the kiosk's id and version, the devices (the core's device
 * manager, state and technician's reason), the sync backlog, rejected and
 * failing outbox items with their reasons, disk space (kiosk_maint_refresh,
 * in a worker thread); sync now, a test page, a pad test (the keys
 * pressed), a camera test (live frames), a card read test (masked name and
 * ID number only), the log's last lines (no personal data). Every action
 * is an "audit" record in the store's outbox ({kiosk_id, action, result,
 * at}), synced like the rest (POST /v1/records/audit). [maintenance]
 * idle-seconds without a touch, or 退出维护, close it.
 *
 * While it is not OFF, cards go to it (the core asks
 * kiosk_maint_take_identity first) and touches count for its idle timer
 * (kiosk_maint_touch), not for a resident's session. */

#define KIOSK_MAINT_CLOCK_TAPS 3
#define KIOSK_MAINT_GESTURE_SECONDS 10
/* The PIN prompt closes after this long without a touch. */
#define KIOSK_MAINT_PIN_IDLE_SECONDS 60
/* Lines kept for the log excerpt. */
#define KIOSK_MAINT_LOG_LINES 200

typedef enum {
  KIOSK_MAINT_OFF,  /* residents' screens */
  KIOSK_MAINT_PIN,  /* the gesture was made: the technician's PIN is asked */
  KIOSK_MAINT_OPEN, /* the maintenance screen */
} KioskMaintState;

typedef enum {
  KIOSK_MAINT_GESTURE_STATION_LONG_PRESS,
  KIOSK_MAINT_GESTURE_CLOCK_TAP,
} KioskMaintGesture;

/* What a test or a check gave, for the screen (each test's own line). */
typedef enum {
  KIOSK_MAINT_TEST_IDLE,
  KIOSK_MAINT_TEST_RUNNING,
  KIOSK_MAINT_TEST_DONE,
  KIOSK_MAINT_TEST_FAILED,
} KioskMaintTestState;

/* The outbox and disk as last measured (kiosk_maint_refresh). */
typedef struct {
  gboolean valid;
  int pending, done, rejected;
  gint64 oldest_pending_age; /* seconds */
  GPtrArray *problems;       /* char*: "#12 case HTTP 422: reason" (rejected, then failing) */
  guint64 disk_free, disk_size;
  char *disk_folder;
  char *error; /* why nothing could be measured, or NULL */
} KioskMaintStatus;

#define KIOSK_TYPE_MAINT (kiosk_maint_get_type ())
G_DECLARE_FINAL_TYPE (KioskMaint, kiosk_maint, KIOSK, MAINT, GObject)

/* The core's maintenance (made with the core). */
KioskMaint *kiosk_core_get_maint (KioskCore *core);
KioskMaint *_kiosk_maint_new (KioskCore *core);
/* The core is going away: timers, tests and workers stop. */
void _kiosk_maint_shutdown (KioskMaint *self);

KioskMaintState kiosk_maint_get_state (KioskMaint *self);
/* Whether a technician's PIN is configured at all. */
gboolean kiosk_maint_get_configured (KioskMaint *self);

/* One step of the opening gesture; TRUE when it completed it (the resident's
 * session is wiped and the PIN is asked). */
gboolean kiosk_maint_gesture (KioskMaint *self, KioskMaintGesture gesture);
/* A touch while not OFF: the idle timer starts again. */
void kiosk_maint_touch (KioskMaint *self);

/* Checks @pin (4 to 12 digits) in a worker thread; "state" becomes OPEN when
 * right; otherwise "pin-message" says why, "pin-wait" how many seconds
 * before the next try and "pin-locked" whether it is locked out. FALSE when
 * no try can be made now (busy, waiting, locked, not a PIN). */
gboolean kiosk_maint_enter_pin (KioskMaint *self, const char *pin);
gboolean kiosk_maint_get_pin_busy (KioskMaint *self);
int kiosk_maint_get_pin_wait (KioskMaint *self);
gboolean kiosk_maint_get_pin_locked (KioskMaint *self);
/* Plain Chinese (translated) for the technician, or NULL. */
const char *kiosk_maint_get_pin_message (KioskMaint *self);

/* 退出维护 (and the idle timeout): back to the attract screen. */
void kiosk_maint_leave (KioskMaint *self);

/* Measures the outbox and the disk in a worker thread; "status" notifies. */
void kiosk_maint_refresh (KioskMaint *self);
const KioskMaintStatus *kiosk_maint_get_status (KioskMaint *self);
const char *kiosk_maint_get_kiosk_id (KioskMaint *self);
const char *kiosk_maint_get_version (KioskMaint *self);

/* The actions. Each leaves an audit record; its outcome is the test's
 * state and result text (kiosk_maint_get_test_*). */
typedef enum {
  KIOSK_MAINT_ACTION_SYNC,
  KIOSK_MAINT_ACTION_PRINT,
  KIOSK_MAINT_ACTION_PAD,
  KIOSK_MAINT_ACTION_CAMERA,
  KIOSK_MAINT_ACTION_CARD,
  KIOSK_MAINT_ACTION_LOG,
  KIOSK_MAINT_N_ACTIONS
} KioskMaintAction;

const char *kiosk_maint_action_to_string (KioskMaintAction action);

/* 立即同步: wakes the sync engine and measures again. */
void kiosk_maint_sync_now (KioskMaint *self);
/* 打印测试页 on the kiosk's printer; DONE once the printer confirmed it. */
void kiosk_maint_test_print (KioskMaint *self);
/* 评价器测试 / 摄像头测试 / 读卡测试: on until stopped (or the screen closes). */
void kiosk_maint_set_test (KioskMaint *self, KioskMaintAction action, gboolean on);
gboolean kiosk_maint_get_test_on (KioskMaint *self, KioskMaintAction action);
KioskMaintTestState kiosk_maint_get_test_state (KioskMaint *self, KioskMaintAction action);
/* What the test found, translated (pad: the keys pressed; card: the masked
 * name and ID number), or "". "test-changed" (int action) says when. */
const char *kiosk_maint_get_test_result (KioskMaint *self, KioskMaintAction action);

/* 日志摘录: the last lines of the kiosk's log (no personal data; ID numbers
 * and phone numbers masked once more), newest last. Recorded as an audit. */
char *kiosk_maint_log_excerpt (KioskMaint *self, guint max_lines);

/* A card (the core asks first): TRUE when maintenance takes it (not OFF). */
gboolean kiosk_maint_take_identity (KioskMaint *self, const KioskIdentity *identity);
gboolean kiosk_maint_take_card_event (KioskMaint *self, int idcard_event);

/* Audit records written so far (tests). */
guint kiosk_maint_get_audits (KioskMaint *self);

/* Tests: no timers; kiosk_maint_tick advances one second; @now (unix µs)
 * for the PIN's waits (0: the real clock). */
void kiosk_maint_set_manual_clock (KioskMaint *self, gboolean manual);
void kiosk_maint_tick (KioskMaint *self);
void _kiosk_maint_set_now (KioskMaint *self, gint64 now);

/* The log kept for the excerpt: a GLogWriterFunc that records a line (info
 * and above) and hands the message on to g_log_writer_default. The kiosk
 * installs it (g_log_set_writer_func); a process with its own writer calls
 * kiosk_maint_log_record from it. */
GLogWriterOutput kiosk_maint_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields,
                                         gpointer user_data);
void kiosk_maint_log_record (GLogLevelFlags level, const GLogField *fields, gsize n_fields);
/* @text with anything like an ID number (15 or 18 characters) or a mobile
 * number masked: the excerpt's second line of defence. */
char *kiosk_maint_log_scrub (const char *text);

G_END_DECLS
