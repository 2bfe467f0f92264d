/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-rating-sink.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

/* Ratings into the offline store's outbox (kind "rating"): the store keeps
 * them in its ratings table and the sync engine delivers them exactly once,
 * like cases. */
KioskRatingSink *kiosk_rating_store_sink_new (KioskStore *store);

G_END_DECLS
