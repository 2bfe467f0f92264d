/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* 好差评: the kiosk's internal vocabulary. Wire codes come from a profile
 * (kiosk-rating-profile.h); nothing here is a reported code. */

typedef enum {
  KIOSK_RATING_NOT_RATED = 0,         /* no answer (timeout, or the session was wiped) */
  KIOSK_RATING_VERY_SATISFIED = 1,    /* 非常满意 */
  KIOSK_RATING_SATISFIED = 2,         /* 满意 */
  KIOSK_RATING_BASIC = 3,             /* 基本满意 */
  KIOSK_RATING_DISSATISFIED = 4,      /* 不满意 (差评) */
  KIOSK_RATING_VERY_DISSATISFIED = 5, /* 非常不满意 (差评) */
} KioskRatingLevel;

#define KIOSK_RATING_N_LEVELS 5

/* "very-satisfied" … "very-dissatisfied", "not-rated" */
const char *kiosk_rating_level_to_string (KioskRatingLevel level);
/* -1 when unknown */
int kiosk_rating_level_from_string (const char *name);
/* The label the resident sees (an untranslated msgid; zh_CN: 非常满意 …). */
const char *kiosk_rating_level_label (KioskRatingLevel level);
/* 不满意 and 非常不满意: a reason is required. */
gboolean kiosk_rating_level_is_bad (KioskRatingLevel level);

/* Rating channels of GB/T 39046-2020 (评价渠道). */
typedef enum {
  KIOSK_RATING_CHANNEL_PC,            /* PC端 */
  KIOSK_RATING_CHANNEL_MOBILE,        /* 移动服务端 */
  KIOSK_RATING_CHANNEL_QR,            /* 二维码 */
  KIOSK_RATING_CHANNEL_HALL_TABLET,   /* 政务大厅平板电脑 */
  KIOSK_RATING_CHANNEL_HALL_TERMINAL, /* 政务大厅其他终端 (self-service kiosk, evaluator) */
  KIOSK_RATING_CHANNEL_PHONE,         /* 电话 */
  KIOSK_RATING_CHANNEL_SMS,           /* 短信 */
} KioskRatingChannel;

#define KIOSK_RATING_N_CHANNELS 7

/* "pc", "mobile", "qr", "hall-tablet", "hall-terminal", "phone", "sms" */
const char *kiosk_rating_channel_to_string (KioskRatingChannel channel);
int kiosk_rating_channel_from_string (const char *name); /* -1 when unknown */

typedef enum {
  KIOSK_RATING_SOURCE_NONE,   /* not rated */
  KIOSK_RATING_SOURCE_SCREEN, /* the kiosk's touch screen */
  KIOSK_RATING_SOURCE_PAD,    /* the USB evaluation pad */
} KioskRatingSource;

const char *kiosk_rating_source_to_string (KioskRatingSource source);

/* What was done, handed from the journey to the rating: one service event
 * is rated once (一次一评). */
typedef struct {
  char *case_number;     /* 办件编号 (provisional or official), may be NULL for a query */
  char *item_code;       /* service item code */
  char *kind;            /* "apply", "certificate", "progress", "proxy", ... */
  int channel;           /* KioskRatingChannel, or -1: the [rating] channel */
  int sequence;          /* the how-many-th rating of the case; 0: counted by the kiosk */
  gboolean proxy;        /* an agent's (代办员) case: the resident rates, not the agent */
  char *agent_id;        /* the agent's staff id for a proxy case (not personal) */
  char *rater_id_number; /* the resident rating (never the agent); personal, NULL if unknown */
  /* The case's applicant as the journey knows it (the card read when the
   * case was filed, or the store's copy of the case); personal. A case is
   * rated only by its applicant: with a case number, a rating is asked only
   * when this and rater_id_number are both known and the same person. */
  char *applicant_id_number;
} KioskServiceEvent;

#define KIOSK_TYPE_SERVICE_EVENT (kiosk_service_event_get_type ())
GType kiosk_service_event_get_type (void);
KioskServiceEvent *kiosk_service_event_new (const char *case_number, const char *item_code, const char *kind);
KioskServiceEvent *kiosk_service_event_copy (const KioskServiceEvent *event);
void kiosk_service_event_free (KioskServiceEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskServiceEvent, kiosk_service_event_free)

/* One rating, as recorded (internal vocabulary; the profile maps it). */
typedef struct {
  char *case_number;
  char *item_code;
  char *kind;
  KioskRatingChannel channel;
  char *time;   /* 评价时间, local: YYYYMMDDThhmmss */
  int sequence; /* 评价次数, from 1 */
  KioskRatingLevel level;
  KioskRatingSource source;
  char **reason_codes; /* NULL-terminated, same length as reasons */
  char **reasons;      /* the reason texts chosen (bad ratings: at least one) */
  char *text;          /* 文字评价, may be NULL */
  char *phone;         /* contact for follow-up, may be NULL; personal */
  gboolean anonymous;
  char *region_code; /* 9-digit 行政区划 */
  gboolean proxy;
  char *agent_id;
  char *rater_id_number; /* NULL when anonymous; personal */
} KioskRatingRecord;

#define KIOSK_TYPE_RATING_RECORD (kiosk_rating_record_get_type ())
GType kiosk_rating_record_get_type (void);
KioskRatingRecord *kiosk_rating_record_copy (const KioskRatingRecord *record);
void kiosk_rating_record_free (KioskRatingRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskRatingRecord, kiosk_rating_record_free)

/* The same ID number (citizen ID: the check character 'x' and 'X' are the
 * same; surrounding spaces ignored). FALSE when either is NULL or empty. */
gboolean kiosk_rating_same_person (const char *a, const char *b);

/* YYYYMMDDThhmmss in @when's time zone. */
char *kiosk_rating_format_time (GDateTime *when);

G_END_DECLS
