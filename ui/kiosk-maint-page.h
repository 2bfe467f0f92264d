/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"
#include "kiosk-maint.h"

G_BEGIN_DECLS

/* The maintenance screen (issue #16 point 4): the technician's PIN on the
 * on-screen digits keyboard, then the kiosk's id and version, each device
 * with its state and technician's reason, the outbox and disk, and the
 * actions (立即同步, 打印测试页, 评价器测试, 摄像头测试, 读卡测试, 日志摘录)
 * with what each found, and 退出维护. It observes the core's KioskMaint
 * and sends it intents; the shell shows it while maintenance is not OFF. */

#define KIOSK_TYPE_MAINT_PAGE (kiosk_maint_page_get_type ())
G_DECLARE_FINAL_TYPE (KioskMaintPage, kiosk_maint_page, KIOSK, MAINT_PAGE, GtkWidget)

GtkWidget *kiosk_maint_page_new (KioskCore *core);

/* Tests: the PIN field, and the camera test's picture (its texture, or NULL). */
GtkWidget *kiosk_maint_page_get_pin_entry (KioskMaintPage *self);
GdkPaintable *kiosk_maint_page_get_camera_picture (KioskMaintPage *self);

G_END_DECLS
