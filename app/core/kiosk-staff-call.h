/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-core.h"

G_BEGIN_DECLS

/* 呼叫工作人员 (issue #16): a resident asks for the staff from any screen of
 * a session. The call is a record in the store (kind "staff_call", see
 * docs/platform-api.md) synced like the rest, so that a hall's platform can
 * alert the staff; the screen shows the station's phone meanwhile. Nothing
 * personal is in it: the kiosk, the station, the screen and the time.
 * Asynchronous (the store writes in its own thread); the result says
 * whether the call was recorded. */
void kiosk_core_call_staff_async (KioskCore *self, const char *screen, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean kiosk_core_call_staff_finish (KioskCore *self, GAsyncResult *result, GError **error);

G_END_DECLS
