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

/* Loads the configuration (once); says why not (kioskctl_error) and returns
 * NULL. */
KioskConfig *kioskctl_config (KioskctlContext *ctx);

/* Exit codes: 0 ok (the command did what was asked), 1 the check or
 * operation failed, 2 bad input/usage (doctor: doctor itself could not run). */
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
int kioskctl_guide (KioskctlContext *ctx, int argc, char **argv);
int kioskctl_agents (KioskctlContext *ctx, int argc, char **argv);
int kioskctl_proxy_cases (KioskctlContext *ctx, int argc, char **argv);
int kioskctl_pin_hash (KioskctlContext *ctx, int argc, char **argv);

/* Prints the builder's root as one line of compact JSON on stdout, flushed
 * (so that a reader of a pipe sees each line at once). */
void kioskctl_print_json (JsonBuilder *builder);
/* The same for a node, or for JSON text already made. */
void kioskctl_print_json_node (JsonNode *node);
void kioskctl_print_json_text (const char *json);

/* The one rule for --json: every command prints JSON on stdout, errors
 * included. A command that fails says why with kioskctl_error(): on stderr
 * without --json; with --json the message is kept, and when the command
 * printed no JSON of its own main() prints
 *   {"ok": false, "exit_code": N, "error": "the message"}
 * Returns @exit_code. */
int kioskctl_error (KioskctlContext *ctx, int exit_code, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* The running kiosk, as its state file (app/core/kiosk-state-file.h) tells:
 * kioskctl commands never open a device the kiosk holds, nor start a
 * simulator of their own to say how a device is. */
typedef enum {
  KIOSKCTL_KIOSK_ABSENT,     /* no state file */
  KIOSKCTL_KIOSK_UNREADABLE, /* there, but not readable (not the kiosk user) or not valid */
  KIOSKCTL_KIOSK_STOPPED,    /* stopped cleanly */
  KIOSKCTL_KIOSK_GONE,       /* its process is gone without saying so (crashed, killed) */
  KIOSKCTL_KIOSK_HUNG,       /* its process lives, but the heartbeat stopped */
  KIOSKCTL_KIOSK_RUNNING,
} KioskctlKioskStatus;

typedef struct {
  char *path; /* the state file looked for */
  KioskctlKioskStatus status;
  char *error;       /* UNREADABLE: why */
  JsonObject *state; /* the file's contents, when readable */
  gint64 age;        /* seconds since its last update */
  gint64 pid;
} KioskctlKiosk;

/* @config may be NULL: the state file of the default store is looked for. */
void kioskctl_kiosk_load (KioskctlKiosk *kiosk, KioskConfig *config);
void kioskctl_kiosk_clear (KioskctlKiosk *kiosk);
const char *kioskctl_kiosk_status_to_string (KioskctlKioskStatus status);
/* The kiosk's view of device @kind ({"backend", "state", "reason",
 * "message"}), or NULL. */
JsonObject *kioskctl_kiosk_device (KioskctlKiosk *kiosk, const char *kind);

/* The store of the packaged configuration (assets/kiosk.conf.example). */
#define KIOSKCTL_DEFAULT_STORE "/var/lib/kiosk/kiosk.db"

/* For a subcommand that is not built yet: says so, exit 2. */
int kioskctl_not_built (const char *what, int issue);

G_END_DECLS
