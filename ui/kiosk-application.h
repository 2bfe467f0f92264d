/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-core.h"

G_BEGIN_DECLS

typedef struct {
  gboolean windowed;               /* --windowed: a normal window, [ui] width x height */
  const char *screenshot;          /* --screenshot FILE */
  int screenshot_delay;            /* --screenshot-delay SECONDS: 0, the first frame */
  gboolean quit_after_screenshot;  /* --quit-after-screenshot */
  gboolean print_first_frame_time; /* --print-first-frame-time */
} KioskLaunchOptions;

#define KIOSK_TYPE_APPLICATION (kiosk_application_get_type ())
G_DECLARE_FINAL_TYPE (KioskApplication, kiosk_application, KIOSK, APPLICATION, GtkApplication)

KioskApplication *kiosk_application_new (KioskCore *core, const KioskLaunchOptions *options);
/* Lets the window close and quits (SIGTERM, SIGINT, SIGHUP do this). */
void kiosk_application_quit (KioskApplication *self);

/* Milliseconds since this process was started (from /proc/self/stat), or
 * -1 when unknown. */
double _kiosk_process_age_ms (void);

G_END_DECLS
