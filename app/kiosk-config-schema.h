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
  { "kiosk", "phone", KIOSK_KEY_STRING, FALSE, "", ".{0,32}", 1, 0,
    "station phone number: on receipts and guides, and large on screen where residents are told to call the staff" },

  /* [session] */
  { "session", "idle-warning-seconds", KIOSK_KEY_INT, FALSE, "90", NULL, 3, 3600,
    "idle time before the countdown warning" },
  { "session", "idle-countdown-seconds", KIOSK_KEY_INT, FALSE, "20", NULL, 1, 600,
    "countdown before the session is wiped" },
  { "session", "elder-idle-warning-seconds", KIOSK_KEY_INT, FALSE, "180", NULL, 3, 3600,
    "idle time before the countdown warning in 长辈模式 (never less than idle-warning-seconds)" },
  { "session", "elder-idle-countdown-seconds", KIOSK_KEY_INT, FALSE, "40", NULL, 1, 600,
    "countdown in 长辈模式 (never less than idle-countdown-seconds)" },
  { "session", "end-screen-seconds", KIOSK_KEY_INT, FALSE, "6", NULL, 1, 120, "how long the thank-you screen stays" },

  /* [ui] */
  { "ui", "fullscreen", KIOSK_KEY_BOOL, FALSE, "true", NULL, 1, 0, "fullscreen and undecorated" },
  { "ui", "elder-mode", KIOSK_KEY_BOOL, FALSE, "false", NULL, 1, 0, "start in 长辈模式 (large text, high contrast)" },
  { "ui", "width", KIOSK_KEY_INT, FALSE, "1920", NULL, 320, 8192,
    "window width when the display cannot go fullscreen" },
  { "ui", "height", KIOSK_KEY_INT, FALSE, "1080", NULL, 240, 8192,
    "window height when the display cannot go fullscreen" },
  { "ui", "blank-after-minutes", KIOSK_KEY_INT, FALSE, "10", NULL, 0, 1440,
    "minutes the attract screen stays idle before the screen goes black (0: never)" },

  /* [voice] (issue #16) */
  { "voice", "mode", KIOSK_KEY_ENUM, FALSE, "elder", "elder|always|off", 1, 0,
    "when the kiosk speaks: in 长辈模式 (a resident may switch it in any mode), always, or never" },
  { "voice", "rate", KIOSK_KEY_INT, FALSE, "175", NULL, 80, 450, "speaking rate, words per minute" },
  { "voice", "volume", KIOSK_KEY_INT, FALSE, "80", NULL, 0, 100, "speaking volume, 0-100" },
  { "voice", "quiet-hours", KIOSK_KEY_STRING, FALSE, "",
    "(([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9])?", 1, 0,
    "HH:MM-HH:MM: nothing is spoken then (a hall at night); empty: never quiet" },
  { "voice", "wav-dir", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0,
    "write each utterance to this folder as a WAV file instead of playing it (tests)" },

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
  { "platform", "token", KIOSK_KEY_STRING, FALSE, NULL, "[A-Za-z0-9._~+/=-]{16,256}", 1, 0,
    "this kiosk's token for a platform started with --kiosk-tokens (sent as Authorization: Bearer)" },
  { "platform", "timeout-seconds", KIOSK_KEY_INT, FALSE, "30", NULL, 1, 600, "per-request timeout" },
  { "platform", "heartbeat-seconds", KIOSK_KEY_INT, FALSE, "300", NULL, 5, 86400, "heartbeat interval" },

  /* [identity] */
  { "identity", "eid-qr", KIOSK_KEY_BOOL, FALSE, "false", NULL, 1, 0,
    "identify with the e-ID QR code under the document camera (needs an identity provider: none ships)" },

  /* [idcard] */
  { "idcard", "backend", KIOSK_KEY_ENUM, FALSE, "real", "real|sim", 1, 0, "real reader or the idcard-sim simulator" },
  { "idcard", "transport", KIOSK_KEY_ENUM, FALSE, "auto", "auto|serial|usb", 1, 0, "how the reader is attached" },
  { "idcard", "ports", KIOSK_KEY_LIST, FALSE, "/dev/ttyUSB0;/dev/ttyUSB1;/dev/ttyACM0;/dev/ttyS0", NULL, 1, 0,
    "serial ports to probe, in order" },
  { "idcard", "baud", KIOSK_KEY_ENUM, FALSE, "115200", "115200|57600|38400|19200|9600", 1, 0, "serial speed" },
  { "idcard", "usb-ids", KIOSK_KEY_LIST, FALSE, "0400:c35a;0316:5020", NULL, 1, 0, "VID:PID list of USB readers" },
  { "idcard", "sim-cards", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0, "folder of card fixtures for the simulator" },
  { "idcard", "sim-control", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0,
    "control socket of the simulator (demo and tests: inject cards and faults)" },
  { "idcard", "sim-auto-place", KIOSK_KEY_INT, FALSE, "0", NULL, 0, 3600,
    "sim backend (demo): place the next fixture card every N seconds; 0: only when told" },
  { "idcard", "poll-ms", KIOSK_KEY_INT, FALSE, "300", NULL, 50, 10000, "how often the reader is asked for a card" },
  { "idcard", "wlt-decoder", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0,
    "licensed WLT photo decoder plug-in (none ships)" },

  /* [camera] */
  { "camera", "backend", KIOSK_KEY_ENUM, FALSE, "real", "real|sim", 1, 0, "libcamera or image files" },
  { "camera", "id", KIOSK_KEY_STRING, FALSE, "", ".*", 1, 0, "libcamera camera id; empty: the first one" },
  { "camera", "sim-images", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0, "folder of images the sim backend plays" },
  { "camera", "dpi", KIOSK_KEY_INT, FALSE, "200", NULL, 72, 600, "resolution of scanned pages" },
  { "camera", "field-width-mm", KIOSK_KEY_INT, FALSE, "420", NULL, 50, 2000,
    "width of the mat the camera's frame covers, in mm (sets the scale of scanned pages)" },
  { "camera", "page-mode", KIOSK_KEY_ENUM, FALSE, "grey", "color|grey|bw", 1, 0,
    "scanned pages: as photographed, clean greyscale, or black and white" },
  { "camera", "fps", KIOSK_KEY_INT, FALSE, "15", NULL, 1, 60, "preview frame rate" },
  { "camera", "auto-capture-ms", KIOSK_KEY_INT, FALSE, "1000", NULL, 0, 10000,
    "take the page when it has been still this long; 0: manual capture only" },
  { "camera", "sim-hold-seconds", KIOSK_KEY_INT, FALSE, "4", NULL, 0, 3600,
    "the sim backend shows each image this long (0: the first image only)" },

  /* [pad] */
  { "pad", "backend", KIOSK_KEY_ENUM, FALSE, "real", "real|sim|none", 1, 0,
    "USB evaluation pad, simulator, or none (on-screen only)" },
  { "pad", "usb-ids", KIOSK_KEY_LIST, FALSE, NULL, NULL, 1, 0, "VID:PID list of pads" },
  { "pad", "interface", KIOSK_KEY_INT, FALSE, "0", NULL, 0, 31, "USB interface number of the pad's HID keys" },
  { "pad", "endpoint-in", KIOSK_KEY_STRING, FALSE, "0x81", "0x[89a-fA-F][0-9a-fA-F]", 1, 0,
    "interrupt IN endpoint address (hex)" },
  { "pad", "report-length", KIOSK_KEY_INT, FALSE, "8", NULL, 1, 64,
    "bytes read per interrupt IN transfer (the endpoint's wMaxPacketSize)" },
  { "pad", "report-id", KIOSK_KEY_INT, FALSE, "-1", NULL, -1, 255,
    "id byte the key report starts with; -1: the pad uses no report ids" },
  { "pad", "key-offset", KIOSK_KEY_INT, FALSE, "0", NULL, 0, 63,
    "byte of the report that holds the key value (counting the id byte)" },
  { "pad", "key-mask", KIOSK_KEY_STRING, FALSE, "ff", "(0x)?[0-9a-fA-F]{2}", 1, 0,
    "mask (hex) applied to the key byte" },
  { "pad", "key-map", KIOSK_KEY_LIST, FALSE,
    "01:very-satisfied;02:satisfied;03:basic;04:dissatisfied;05:very-dissatisfied;06:confirm;07:cancel", NULL, 1, 0,
    "VALUE:KEY entries: masked key byte (hex) to "
    "very-satisfied|satisfied|basic|dissatisfied|very-dissatisfied|confirm|cancel" },
  { "pad", "release-reports", KIOSK_KEY_BOOL, FALSE, "true", NULL, 1, 0,
    "the pad sends a released (00) report after each key; false: every report is a press" },
  { "pad", "feedback", KIOSK_KEY_ENUM, FALSE, "none", "none|interrupt|control", 1, 0,
    "how LED/buzzer output reports reach the pad: none, interrupt OUT endpoint, or HID SET_REPORT" },
  { "pad", "endpoint-out", KIOSK_KEY_STRING, FALSE, "0x02", "0x0[1-9a-fA-F]", 1, 0,
    "interrupt OUT endpoint address (hex) for feedback=interrupt" },
  { "pad", "feedback-map", KIOSK_KEY_LIST, FALSE, NULL, NULL, 1, 0,
    "EVENT:HEX output reports for the events prompt, reason, thanks, off" },
  { "pad", "rescan-seconds", KIOSK_KEY_INT, FALSE, "2", NULL, 1, 60,
    "how often an absent pad is looked for (hotplug)" },
  { "pad", "sim-input", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0,
    "sim backend: FIFO or file of input reports, one hex report per line ('unplug' and 'plug' lines too)" },

  /* [printer] */
  { "printer", "backend", KIOSK_KEY_ENUM, FALSE, "real", "real|sim", 1, 0, "CUPS printer or the simulated one" },
  { "printer", "queue", KIOSK_KEY_STRING, FALSE, "", ".*", 1, 0, "CUPS queue name" },
  { "printer", "uri", KIOSK_KEY_STRING, FALSE, "", "(|ipps?://.+)", 1, 0, "IPP URI of a driverless printer" },
  { "printer", "paper", KIOSK_KEY_ENUM, FALSE, "a4", "a4|roll80", 1, 0, "paper the printer holds" },
  { "printer", "poll-seconds", KIOSK_KEY_INT, FALSE, "5", NULL, 1, 3600, "how often the printer state is read" },
  { "printer", "job-timeout-seconds", KIOSK_KEY_INT, FALSE, "120", NULL, 5, 3600,
    "a job not finished by then is cancelled (not counted)" },
  { "printer", "lost-seconds", KIOSK_KEY_INT, FALSE, "10", NULL, 1, 600,
    "silence during a job before it is recorded interrupted" },
  { "printer", "certificate-daily-limit", KIOSK_KEY_INT, FALSE, "3", NULL, 1, 50,
    "证明打印: confirmed prints of one certificate a day on this kiosk (the first print and its reprints)" },
  { "printer", "sim-spool", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0,
    "backend=sim: folder where the simulated printer keeps what it receives" },
  { "printer", "journal", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0,
    "print records journal (JSON lines): duplicate control survives restarts" },

  /* [rating] */
  { "rating", "timeout-seconds", KIOSK_KEY_INT, FALSE, "60", NULL, 5, 3600,
    "time to rate before 'not rated' is recorded" },
  { "rating", "reasons", KIOSK_KEY_LIST, FALSE,
    "slow:办理时间太长;attitude:服务态度不好;guide:办事指南不清楚;materials:材料要求太多;repeat:需要多次跑动;device:"
    "设备不好用;other:其他",
    NULL, 1, 0, "reasons offered with a bad rating: CODE:TEXT (or TEXT) entries, in order" },
  { "rating", "anonymous-allowed", KIOSK_KEY_BOOL, FALSE, "false", NULL, 1, 0,
    "the resident may rate without name and contact" },
  { "rating", "text-max-chars", KIOSK_KEY_INT, FALSE, "300", NULL, 0, 2000, "longest free-text comment kept" },
  { "rating", "channel", KIOSK_KEY_ENUM, FALSE, "hall-terminal", "pc|mobile|qr|hall-tablet|hall-terminal|phone|sms", 1,
    0, "rating channel of answers on the kiosk's screen" },
  { "rating", "pad-channel", KIOSK_KEY_ENUM, FALSE, "hall-terminal", "pc|mobile|qr|hall-tablet|hall-terminal|phone|sms",
    1, 0, "rating channel of answers on the evaluation pad" },
  { "rating", "profile", KIOSK_KEY_PATH, FALSE, NULL, NULL, 1, 0,
    "reporting profile (level and channel codes); absent: built-in GB/T 39046-2020" },

  /* [maintenance]: the technician's screen on the kiosk (issue #16) */
  { "maintenance", "pin-hash", KIOSK_KEY_STRING, FALSE, "", "(\\$argon2id\\$[A-Za-z0-9$=,+/._-]{16,160})?", 1, 0,
    "the technician's PIN as a salted Argon2id hash (echo PIN | kioskctl pin-hash); empty: no maintenance screen" },
  { "maintenance", "idle-seconds", KIOSK_KEY_INT, FALSE, "300", NULL, 30, 3600,
    "the maintenance screen closes after this long without a touch" },
  { "maintenance", "lockout-minutes", KIOSK_KEY_INT, FALSE, "30", NULL, 1, 1440,
    "after 5 wrong PINs in a row the maintenance screen stays locked this long (the count survives restarts)" },
};
