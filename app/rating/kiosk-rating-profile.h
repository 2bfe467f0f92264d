/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-rating.h"

G_BEGIN_DECLS

/* A reporting profile maps the kiosk's internal rating levels, channels and
 * record fields to what one 好差评 system expects on the wire. Standards and
 * provinces disagree (GB/T 39046-2020: 1 = 非常满意 … 5 = 非常不满意; one
 * provincial interface: 1 = 非常不满意 … 5 = 非常满意 and a "pf" channel
 * code), so this is data: a keyfile (see app/rating/README.md and
 * app/rating/profiles/). The built-in default is GB/T 39046-2020.
 *
 * Pure: no I/O except kiosk_rating_profile_load() reading the file. */

#define KIOSK_RATING_PROFILE_ERROR (kiosk_rating_profile_error_quark ())
GQuark kiosk_rating_profile_error_quark (void);

typedef enum {
  KIOSK_RATING_PROFILE_ERROR_INVALID,  /* the profile file is inconsistent */
  KIOSK_RATING_PROFILE_ERROR_UNMAPPED, /* a record uses a channel the profile has no code for */
} KioskRatingProfileError;

typedef struct _KioskRatingProfile KioskRatingProfile;

/* GB/T 39046-2020, built in (same as profiles/gbt39046.conf). */
KioskRatingProfile *kiosk_rating_profile_new_default (void);
KioskRatingProfile *kiosk_rating_profile_new_from_data (const char *data, GError **error);
KioskRatingProfile *kiosk_rating_profile_load (const char *path, GError **error);
void kiosk_rating_profile_free (KioskRatingProfile *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskRatingProfile, kiosk_rating_profile_free)

const char *kiosk_rating_profile_get_id (KioskRatingProfile *self);
const char *kiosk_rating_profile_get_name (KioskRatingProfile *self);
/* The wire code of @level; NULL for KIOSK_RATING_NOT_RATED (never a level). */
const char *kiosk_rating_profile_level_code (KioskRatingProfile *self, KioskRatingLevel level);
/* NULL when the profile has no code for @channel. */
const char *kiosk_rating_profile_channel_code (KioskRatingProfile *self, KioskRatingChannel channel);
/* The wire name of an internal field ("channel" → "pf"); NULL: omitted. */
const char *kiosk_rating_profile_field (KioskRatingProfile *self, const char *field);

/* The record as the JSON object this profile reports (the outbox payload).
 * NULL with KIOSK_RATING_PROFILE_ERROR_UNMAPPED when the channel has no
 * code. A "not rated" record carries a null level code and "rated": false. */
char *kiosk_rating_profile_to_json (KioskRatingProfile *self, const KioskRatingRecord *record, GError **error);

G_END_DECLS
