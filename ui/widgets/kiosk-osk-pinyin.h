/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-osk.h"

G_BEGIN_DECLS

/* Gives @osk the kiosk's pinyin IME (app/catalog/kiosk-pinyin-ime.h,
 * libpinyin): Chinese becomes available on the keyboard. The IME's model
 * loads in a worker thread; letters typed meanwhile get their candidates
 * when it is there. Nothing typed is learned or kept. */
void kiosk_osk_use_pinyin_ime (KioskOsk *osk);

G_END_DECLS
