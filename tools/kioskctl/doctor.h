/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "kiosk-config.h"

G_BEGIN_DECLS

/* kioskctl doctor's checks (cmd-doctor.c puts them together). Each check
 * adds one JSON object to the report, {"ok": bool, "findings": [...], ...},
 * and prints its text lines unless --json; a finding is something the
 * technician has to fix. */

typedef struct {
  JsonBuilder *b;
  gboolean json;
  GPtrArray *findings; /* "section: what", every section's */
  /* the section being written */
  const char *section;
  GPtrArray *section_findings;
} DoctorReport;

void doctor_section_begin (DoctorReport *r, const char *section);
/* Adds a finding to the section: in the JSON and, as "  ! text", in the text. */
void doctor_finding (DoctorReport *r, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* A text line (not with --json). */
void doctor_line (DoctorReport *r, const char *format, ...) G_GNUC_PRINTF (2, 3);
void doctor_section_end (DoctorReport *r);

/* Each check runs without any configuration (@config NULL): then it uses
 * the defaults of the schema. */
void doctor_check_fonts (DoctorReport *r);
void doctor_check_usb (DoctorReport *r, KioskConfig *config, gboolean kiosk_running);
void doctor_check_disk (DoctorReport *r, KioskConfig *config);
void doctor_check_clock (DoctorReport *r);
/* @kiosk_camera: the running kiosk's camera state ("ready", ...), or NULL
 * when no kiosk runs. */
void doctor_check_cameras (DoctorReport *r, KioskConfig *config, const char *kiosk_camera);
void doctor_check_printers (DoctorReport *r, KioskConfig *config, int timeout_ms);
/* Asks the platform (only with a configuration). */
void doctor_check_platform (DoctorReport *r, KioskConfig *config, int timeout_s);

/* The clock is taken as wrong before this (this version did not exist) or
 * more than 30 years after. */
#define DOCTOR_CLOCK_FLOOR_UNIX G_GINT64_CONSTANT (1793491200) /* 2026-11-01 */
/* Skew against the platform's Date above this is a finding. */
#define DOCTOR_MAX_SKEW_SECONDS 120

G_END_DECLS
