/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "kiosk-config.h"

G_BEGIN_DECLS

/* Shared by every kioskctl subcommand. */
typedef struct {
  const char *config_path; /* --config FILE, or NULL for the default */
  gboolean json;           /* --json */
  KioskConfig *config;     /* loaded on first use */
} KioskctlContext;

/* Loads the configuration (once); prints the error and returns NULL. */
KioskConfig *kioskctl_config (KioskctlContext *ctx);

/* Exit codes: 0 ok, 1 the check or operation failed, 2 bad input/usage. */
#define KIOSKCTL_EXIT_OK 0
#define KIOSKCTL_EXIT_FAIL 1
#define KIOSKCTL_EXIT_USAGE 2

/* Each subcommand group lives in its own cmd-*.c file. argv[0] is the
 * group's name ("idcard", "print", ...). */
int kioskctl_doctor (KioskctlContext *ctx, int argc, char **argv);
int kioskctl_idcard (KioskctlContext *ctx, int argc, char **argv);
int kioskctl_print (KioskctlContext *ctx, int argc, char **argv);
int kioskctl_queue (KioskctlContext *ctx, int argc, char **argv);
int kioskctl_sync (KioskctlContext *ctx, int argc, char **argv);
int kioskctl_demo (KioskctlContext *ctx, int argc, char **argv);
int kioskctl_barcode (KioskctlContext *ctx, int argc, char **argv);
int kioskctl_scan (KioskctlContext *ctx, int argc, char **argv);
int kioskctl_camera (KioskctlContext *ctx, int argc, char **argv);
int kioskctl_pad (KioskctlContext *ctx, int argc, char **argv);

/* Prints the builder's root as one line of compact JSON on stdout, flushed
 * (so that a reader of a pipe sees each line at once). */
void kioskctl_print_json (JsonBuilder *builder);

/* For a subcommand that is not built yet: says so, exit 2. */
int kioskctl_not_built (const char *what, int issue);

G_END_DECLS
