/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The configuration schema: every group and key the kiosk understands.
 * A module that needs a new key adds one row here; kiosk-config.c validates
 * each file against this table and refuses unknown keys (typos). */

typedef enum {
  KIOSK_KEY_STRING,
  KIOSK_KEY_INT,
  KIOSK_KEY_DOUBLE,
  KIOSK_KEY_BOOL,
  KIOSK_KEY_ENUM, /* choices: "a|b|c" */
  KIOSK_KEY_PATH, /* relative paths resolve against the file's folder */
  KIOSK_KEY_URL,  /* http:// or https:// */
  KIOSK_KEY_LIST, /* ';'-separated list of strings */
} KioskKeyType;

typedef struct {
  const char *group;
  const char *key;
  KioskKeyType type;
  gboolean required;
  const char *default_value; /* NULL: no default */
  const char *choices;       /* ENUM: "a|b"; STRING: a GRegex the whole value must match */
  double min, max;           /* INT and DOUBLE, inclusive; min > max means unbounded */
  const char *help;
} KioskConfigKey;

static const KioskConfigKey kiosk_config_schema[] = {
  /* [kiosk] */
  { "kiosk", "id", KIOSK_KEY_STRING, TRUE, NULL, "[A-Za-z0-9_-]{1,32}", 1, 0,
    "kiosk identifier, unique in the province" },
  { "kiosk", "station", KIOSK_KEY_STRING, TRUE, NULL, ".{1,64}", 1, 0, "station name shown on screen and receipts" },
  { "kiosk", "region-code", KIOSK_KEY_STRING, FALSE, "000000000", "[0-9]{9}", 1, 0,
    "9-digit administrative division code" },
  { "kiosk", "language", KIOSK_KEY_ENUM, FALSE, "zh_CN", "zh_CN|en", 1, 0, "language at the start of each session" },
  { "kiosk", "demo", KIOSK_KEY_BOOL, FALSE, "false", NULL, 1, 0, "demo mode: a banner says so" },
  { "kiosk", "notices", KIOSK_KEY_LIST, FALSE, NULL, NULL, 1, 0,
    "notices shown on the attract screen until the platform sends some" },
  { "kiosk", "phone", KIOSK_KEY_STRING, FALSE, "", ".{0,32}", 1, 0, "station phone number for receipts" },

  /* [session] */
  { "session", "idle-warning-seconds", KIOSK_KEY_INT, FALSE, "90", NULL, 3, 3600,
    "idle time before the countdown warning" },
  { "session", "idle-countdown-seconds", KIOSK_KEY_INT, FALSE, "20", NULL, 1, 600,
    "countdown before the session is wiped" },
  { "session", "end-screen-seconds", KIOSK_KEY_INT, FALSE, "6", NULL, 1, 120, "how long the thank-you screen stays" },

  /* [ui] */
  { "ui", "fullscreen", KIOSK_KEY_BOOL, FALSE, "true", NULL, 1, 0, "fullscreen and undecorated" },
  { "ui", "elder-mode", KIOSK_KEY_BOOL, FALSE, "false", NULL, 1, 0, "start in 长辈模式 (large text, high contrast)" },
  { "ui", "width", KIOSK_KEY_INT, FALSE, "1920", NULL, 320, 8192,
    "window width when the display cannot go fullscreen" },
  { "ui", "height", KIOSK_KEY_INT, FALSE, "1080", NULL, 240, 8192,
    "window height when the display cannot go fullscreen" },

  /* [store] */
  { "store", "path", KIOSK_KEY_PATH, TRUE, NULL, NULL, 1, 0, "the SQLite file of the offline queue" },
  { "store", "retention-days", KIOSK_KEY_INT, FALSE, "7", NULL, 0, 3650,
    "days personal data stays after the platform acknowledges" },
  { "store", "min-free-mb", KIOSK_KEY_INT, FALSE, "64", NULL, 0, 1048576,
    "refuse new applications below this free space" },

  /* [platform] */
  { "platform", "url", KIOSK_KEY_URL, TRUE, NULL, NULL, 1, 0, "base URL of the platform (its /v1 API below it)" },
  { "platform", "allow-http", KIOSK_KEY_BOOL, FALSE, "false", NULL, 1, 0, "allow plain HTTP (tests and demo only)" },
  { "platform", "ca-file", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0, "pinned CA certificate (PEM)" },
  { "platform", "client-cert", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0, "client certificate for mutual TLS (PEM)" },
  { "platform", "client-key", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0, "client key for mutual TLS (PEM)" },
  { "platform", "timeout-seconds", KIOSK_KEY_INT, FALSE, "30", NULL, 1, 600, "per-request timeout" },
  { "platform", "heartbeat-seconds", KIOSK_KEY_INT, FALSE, "300", NULL, 5, 86400, "heartbeat interval" },

  /* [idcard] */
  { "idcard", "backend", KIOSK_KEY_ENUM, FALSE, "real", "real|sim", 1, 0, "real reader or the idcard-sim simulator" },
  { "idcard", "transport", KIOSK_KEY_ENUM, FALSE, "auto", "auto|serial|usb", 1, 0, "how the reader is attached" },
  { "idcard", "ports", KIOSK_KEY_LIST, FALSE, "/dev/ttyUSB0;/dev/ttyUSB1;/dev/ttyACM0;/dev/ttyS0", NULL, 1, 0,
    "serial ports to probe, in order" },
  { "idcard", "baud", KIOSK_KEY_ENUM, FALSE, "115200", "115200|57600|38400|19200|9600", 1, 0, "serial speed" },
  { "idcard", "usb-ids", KIOSK_KEY_LIST, FALSE, "0400:c35a;0316:5020", NULL, 1, 0, "VID:PID list of USB readers" },
  { "idcard", "sim-cards", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0, "folder of card fixtures for the simulator" },
  { "idcard", "wlt-decoder", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0,
    "licensed WLT photo decoder plug-in (none ships)" },

  /* [camera] */
  { "camera", "backend", KIOSK_KEY_ENUM, FALSE, "real", "real|sim", 1, 0, "libcamera or image files" },
  { "camera", "id", KIOSK_KEY_STRING, FALSE, "", ".*", 1, 0, "libcamera camera id; empty: the first one" },
  { "camera", "sim-images", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0, "folder of images the sim backend plays" },
  { "camera", "dpi", KIOSK_KEY_INT, FALSE, "200", NULL, 72, 600, "resolution of scanned pages" },

  /* [pad] */
  { "pad", "backend", KIOSK_KEY_ENUM, FALSE, "real", "real|sim|none", 1, 0,
    "USB evaluation pad, simulator, or none (on-screen only)" },
  { "pad", "usb-ids", KIOSK_KEY_LIST, FALSE, NULL, NULL, 1, 0, "VID:PID list of pads" },

  /* [printer] */
  { "printer", "backend", KIOSK_KEY_ENUM, FALSE, "real", "real|sim", 1, 0, "CUPS printer or the simulated one" },
  { "printer", "queue", KIOSK_KEY_STRING, FALSE, "", ".*", 1, 0, "CUPS queue name" },
  { "printer", "uri", KIOSK_KEY_STRING, FALSE, "", "(|ipps?://.+)", 1, 0, "IPP URI of a driverless printer" },
  { "printer", "paper", KIOSK_KEY_ENUM, FALSE, "a4", "a4|roll80", 1, 0, "paper the printer holds" },

  /* [rating] */
  { "rating", "timeout-seconds", KIOSK_KEY_INT, FALSE, "60", NULL, 5, 3600,
    "time to rate before 'not rated' is recorded" },
};
