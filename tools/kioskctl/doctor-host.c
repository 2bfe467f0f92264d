/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kioskctl"

#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/timex.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <gio/gio.h>

#include "camera-capture.h"
#include "doctor.h"
#include "print-ipp.h"

/* kioskctl doctor's checks of the machine: none needs a configuration. */

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* ---- fonts ---------------------------------------------------------------- */

/* The families the printed documents name (drivers/printer/print-render.c)
 * and the Debian package of each. */
static const struct {
  const char *family, *package;
} fonts[] = {
  { "Noto Serif CJK SC", "fonts-noto-cjk" },
  { "Noto Sans CJK SC", "fonts-noto-cjk" },
  { "DejaVu Sans", "fonts-dejavu-core" },
};

void
doctor_check_fonts (DoctorReport *r)
{
  FcConfig *fc = FcInitLoadConfigAndFonts ();

  doctor_section_begin (r, "fonts");
  json_builder_set_member_name (r->b, "fonts");
  json_builder_begin_array (r->b);
  for (gsize i = 0; i < G_N_ELEMENTS (fonts); i++)
    {
      FcPattern *pat = FcNameParse ((const FcChar8 *) fonts[i].family);
      FcPattern *match;
      FcResult res = FcResultNoMatch;
      FcChar8 *file = NULL, *fam = NULL;
      gboolean found = FALSE;

      FcConfigSubstitute (fc, pat, FcMatchPattern);
      FcDefaultSubstitute (pat);
      match = FcFontMatch (fc, pat, &res);
      /* fontconfig always answers with some font: only the family asked
       * for counts. */
      for (int k = 0; match && FcPatternGetString (match, FC_FAMILY, k, &fam) == FcResultMatch; k++)
        if (g_ascii_strcasecmp ((const char *) fam, fonts[i].family) == 0)
          found = TRUE;
      if (found)
        FcPatternGetString (match, FC_FILE, 0, &file);

      json_builder_begin_object (r->b);
      add_string (r->b, "family", fonts[i].family);
      json_builder_set_member_name (r->b, "found");
      json_builder_add_boolean_value (r->b, found);
      add_string (r->b, "file", found ? (const char *) file : NULL);
      add_string (r->b, "package", fonts[i].package);
      json_builder_end_object (r->b);
      if (found)
        doctor_line (r, "%-18s %s", fonts[i].family, (const char *) file);
      else
        doctor_finding (r, "font %s is missing: documents print without it (install %s)", fonts[i].family,
                        fonts[i].package);
      if (match)
        FcPatternDestroy (match);
      FcPatternDestroy (pat);
    }
  json_builder_end_array (r->b);
  FcConfigDestroy (fc);
  doctor_section_end (r);
}

/* ---- USB ------------------------------------------------------------------ */

static char *
read_attr (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return g_strstrip (text);
}

/* Whether a program holds one of the device's interfaces through usbfs
 * (libusb's claim shows as the interface's driver). */
static gboolean
claimed_by_program (const char *root, const char *name)
{
  g_autoptr (GDir) dir = g_dir_open (root, 0, NULL);
  g_autofree char *prefix = g_strconcat (name, ":", NULL);
  const char *e;

  while (dir && (e = g_dir_read_name (dir)))
    if (g_str_has_prefix (e, prefix))
      {
        g_autofree char *link = g_build_filename (root, e, "driver", NULL);
        g_autofree char *target = g_file_read_link (link, NULL);
        if (target && g_str_has_suffix (target, "/usbfs"))
          return TRUE;
      }
  return FALSE;
}

/* The user the kiosk runs as (kiosk.service: User=kiosk);
 * KIOSK_DOCTOR_USER names another (tests). */
static const char *
kiosk_user (void)
{
  const char *u = g_getenv ("KIOSK_DOCTOR_USER");
  return u && *u ? u : "kiosk";
}

/* Whether @user may read and write the device node @node, from its owner,
 * group and mode as the kernel would decide (no ACLs). Without such a user
 * on this machine (a developer's), whether this process may. */
static gboolean
node_accessible (const char *node, const char *user, char **why)
{
  struct stat st;
  struct passwd pwbuf, *pw = NULL;
  char pwtext[4096];
  gid_t groups[256];
  int n = G_N_ELEMENTS (groups);
  gboolean in_group = FALSE;
  gboolean ok;

  if (stat (node, &st) != 0)
    {
      *why = g_strdup_printf ("no device node %s", node);
      return FALSE;
    }
  if (getpwnam_r (user, &pwbuf, pwtext, sizeof pwtext, &pw) != 0)
    pw = NULL;
  if (pw == NULL)
    ok = access (node, R_OK | W_OK) == 0;
  else if (pw->pw_uid == 0)
    ok = TRUE;
  else if (st.st_uid == pw->pw_uid)
    ok = (st.st_mode & 0600) == 0600;
  else
    {
      if (getgrouplist (pw->pw_name, pw->pw_gid, groups, &n) < 0)
        n = 0;
      for (int i = 0; i < n && !in_group; i++)
        in_group = groups[i] == st.st_gid;
      ok = in_group ? (st.st_mode & 0060) == 0060 : (st.st_mode & 0006) == 0006;
    }
  if (!ok)
    *why = g_strdup_printf ("%s is %o, owner %u, group %u: not readable and writable by %s%s", node,
                            (unsigned) (st.st_mode & 07777), (unsigned) st.st_uid, (unsigned) st.st_gid,
                            pw ? user : "this user", pw ? "" : " (no such user here)");
  return ok;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static char **
ids_of (KioskConfig *config, const char *group, const char *fallback)
{
  char **ids = config ? kiosk_config_get_list (config, group, "usb-ids") : NULL;
  return ids ? ids : g_strsplit (fallback, ";", -1);
}

void
doctor_check_usb (DoctorReport *r, KioskConfig *config, gboolean kiosk_running)
{
  const char *root = g_getenv ("KIOSK_SYSFS_USB") ? g_getenv ("KIOSK_SYSFS_USB") : "/sys/bus/usb/devices";
  /* The schema's default reader ids (app/kiosk-config-schema.h). */
  g_auto (GStrv) reader_ids = ids_of (config, "idcard", "0400:c35a;0316:5020");
  g_auto (GStrv) pad_ids = ids_of (config, "pad", "");
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  int readers = 0, pads = 0, seen = 0;
  const char *e;

  doctor_section_begin (r, "usb");
  add_string (r->b, "sysfs", root);
  json_builder_set_member_name (r->b, "known_reader_ids");
  json_builder_begin_array (r->b);
  for (char **id = reader_ids; *id; id++)
    json_builder_add_string_value (r->b, *id);
  json_builder_end_array (r->b);
  json_builder_set_member_name (r->b, "known_pad_ids");
  json_builder_begin_array (r->b);
  for (char **id = pad_ids; *id; id++)
    if (**id)
      json_builder_add_string_value (r->b, *id);
  json_builder_end_array (r->b);

  dir = g_dir_open (root, 0, &error);
  json_builder_set_member_name (r->b, "readable");
  json_builder_add_boolean_value (r->b, dir != NULL);
  if (dir == NULL)
    doctor_line (r, "USB devices cannot be listed: %s", error->message);
  while (dir && (e = g_dir_read_name (dir)))
    if (strchr (e, ':') == NULL)
      g_ptr_array_add (names, g_strdup (e));
  g_ptr_array_sort (names, compare_names);

  json_builder_set_member_name (r->b, "devices");
  json_builder_begin_array (r->b);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (root, names->pdata[i], NULL);
      g_autofree char *vid = read_attr (path, "idVendor");
      g_autofree char *pid = read_attr (path, "idProduct");
      g_autofree char *product = read_attr (path, "product");
      g_autofree char *raw_id = NULL, *id = NULL;
      const char *role = NULL;
      g_autofree char *busnum = NULL, *devnum = NULL, *node = NULL, *why = NULL;
      gboolean claimed, accessible = FALSE;
      guint64 bus = 0, dev = 0;

      if (vid == NULL || pid == NULL)
        continue;
      seen++;
      raw_id = g_strdup_printf ("%s:%s", vid, pid);
      id = g_ascii_strdown (raw_id, -1);
      for (char **k = reader_ids; *k && !role; k++)
        if (g_ascii_strcasecmp (*k, id) == 0)
          role = "idcard";
      for (char **k = pad_ids; *k && !role; k++)
        if (**k && g_ascii_strcasecmp (*k, id) == 0)
          role = "pad";
      if (role == NULL)
        continue;
      readers += g_str_equal (role, "idcard");
      pads += g_str_equal (role, "pad");
      claimed = claimed_by_program (root, names->pdata[i]);
      busnum = read_attr (path, "busnum");
      devnum = read_attr (path, "devnum");
      if (busnum && devnum && g_ascii_string_to_unsigned (busnum, 10, 1, 255, &bus, NULL)
          && g_ascii_string_to_unsigned (devnum, 10, 1, 255, &dev, NULL))
        {
          const char *devfs = g_getenv ("KIOSK_DEVFS_USB") ? g_getenv ("KIOSK_DEVFS_USB") : "/dev/bus/usb";
          node = g_strdup_printf ("%s/%03u/%03u", devfs, (unsigned) bus, (unsigned) dev);
          accessible = node_accessible (node, kiosk_user (), &why);
        }

      json_builder_begin_object (r->b);
      add_string (r->b, "id", id);
      add_string (r->b, "role", role);
      add_string (r->b, "bus_path", names->pdata[i]);
      add_string (r->b, "product", product);
      json_builder_set_member_name (r->b, "claimed");
      json_builder_add_boolean_value (r->b, claimed);
      json_builder_set_member_name (r->b, "in_use_by_kiosk");
      json_builder_add_boolean_value (r->b, claimed && kiosk_running);
      add_string (r->b, "node", node);
      add_string (r->b, "kiosk_user", kiosk_user ());
      /* null: sysfs does not say where its node is. */
      json_builder_set_member_name (r->b, "accessible_to_kiosk");
      if (node)
        json_builder_add_boolean_value (r->b, accessible);
      else
        json_builder_add_null_value (r->b);
      add_string (r->b, "access_problem", why);
      json_builder_end_object (r->b);
      doctor_line (r, "%s %s at %s (%s)%s", g_str_equal (role, "idcard") ? "ID card reader" : "evaluation pad", id,
                   (char *) names->pdata[i], product ? product : "?",
                   claimed ? (kiosk_running ? ": in use by the kiosk" : ": held by a program") : "");
      /* Present but out of the kiosk's reach: the udev rules did not apply
       * (not installed, a VID:PID they do not list, or not reloaded). */
      if (node && !accessible)
        doctor_finding (r, "%s %s is plugged in but the kiosk user cannot open it: %s (udev rules: 70-kiosk.rules)",
                        g_str_equal (role, "idcard") ? "ID card reader" : "evaluation pad", id, why);
    }
  json_builder_end_array (r->b);
  json_builder_set_member_name (r->b, "usb_devices_seen");
  json_builder_add_int_value (r->b, seen);
  if (dir)
    doctor_line (r, "%d USB devices; %d known reader(s), %d known pad(s)", seen, readers, pads);

  if (config && dir)
    {
      g_autofree char *idcard = kiosk_config_get_backend (config, "idcard");
      g_autofree char *transport = kiosk_config_get_string (config, "idcard", "transport");
      g_autofree char *pad = kiosk_config_get_backend (config, "pad");

      if (g_str_equal (idcard, "real") && g_str_equal (transport, "usb") && readers == 0)
        doctor_finding (r, "no USB ID card reader ([idcard] usb-ids) is plugged in");
      if (g_str_equal (pad, "real") && pads == 0)
        doctor_finding (r, "no evaluation pad ([pad] usb-ids) is plugged in");
    }
  doctor_section_end (r);
}

/* ---- disk ----------------------------------------------------------------- */

void
doctor_check_disk (DoctorReport *r, KioskConfig *config)
{
  g_autofree char *store = config ? kiosk_config_get_path_value (config, "store", "path") : NULL;
  g_autofree char *dir = g_path_get_dirname (store ? store : "/var/lib/kiosk/kiosk.db");
  gint64 min_mb = config ? kiosk_config_get_int (config, "store", "min-free-mb") : 64;
  struct statvfs st;

  doctor_section_begin (r, "disk");
  add_string (r->b, "store_folder", dir);
  /* The folder may not exist yet: its nearest existing parent holds it. */
  while (statvfs (dir, &st) != 0 && strcmp (dir, "/") != 0)
    {
      char *up = g_path_get_dirname (dir);
      g_free (dir);
      dir = up;
    }
  add_string (r->b, "measured_at", dir);
  json_builder_set_member_name (r->b, "min_free_bytes");
  json_builder_add_int_value (r->b, min_mb * 1024 * 1024);
  if (statvfs (dir, &st) != 0)
    {
      doctor_finding (r, "free space of %s cannot be measured", dir);
      doctor_section_end (r);
      return;
    }
  {
    guint64 free_bytes = (guint64) st.f_bavail * st.f_frsize;
    g_autofree char *free_s = g_format_size (free_bytes);

    json_builder_set_member_name (r->b, "free_bytes");
    json_builder_add_int_value (r->b, (gint64) free_bytes);
    doctor_line (r, "%s free for the store (%s; new applications need %" G_GINT64_FORMAT " MB)", free_s, dir, min_mb);
    if (free_bytes < (guint64) min_mb * 1024 * 1024)
      doctor_finding (r, "only %s free: the kiosk refuses new applications below %" G_GINT64_FORMAT " MB", free_s,
                      min_mb);
  }
  doctor_section_end (r);
}

/* ---- clock ---------------------------------------------------------------- */

void
doctor_check_clock (DoctorReport *r)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *iso = g_date_time_format_iso8601 (now);
  gint64 t = g_date_time_to_unix (now);
  gint64 ceiling = DOCTOR_CLOCK_FLOOR_UNIX + G_GINT64_CONSTANT (30) * 365 * 86400;
  struct timex tx = { 0 };
  int sync = adjtimex (&tx);

  doctor_section_begin (r, "clock");
  add_string (r->b, "now", iso);
  json_builder_set_member_name (r->b, "synchronized");
  if (sync < 0)
    json_builder_add_null_value (r->b);
  else
    json_builder_add_boolean_value (r->b, sync != TIME_ERROR);
  doctor_line (r, "%s (%s)", iso,
               sync < 0             ? "synchronisation unknown"
               : sync != TIME_ERROR ? "synchronised by NTP"
                                    : "not synchronised by NTP");
  if (t < DOCTOR_CLOCK_FLOOR_UNIX || t > ceiling)
    doctor_finding (r, "the clock says %s: receipts would carry a wrong date (set the time, enable NTP)", iso);
  doctor_section_end (r);
}

/* ---- cameras -------------------------------------------------------------- */

void
doctor_check_cameras (DoctorReport *r, KioskConfig *config, const char *kiosk_camera)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cams = kiosk_camera_list (&error);
  g_autofree char *backend = config ? kiosk_config_get_backend (config, "camera") : NULL;
  g_autofree char *wanted = config ? kiosk_config_get_string (config, "camera", "id") : NULL;
  gboolean wanted_seen = FALSE;

  doctor_section_begin (r, "cameras");
  json_builder_set_member_name (r->b, "libcamera");
  json_builder_add_boolean_value (r->b, cams != NULL);
  if (cams == NULL)
    {
      add_string (r->b, "error", error->message);
      doctor_line (r, "libcamera cannot list cameras: %s", error->message);
    }
  json_builder_set_member_name (r->b, "cameras");
  json_builder_begin_array (r->b);
  for (guint i = 0; cams && i < cams->len; i++)
    {
      KioskCameraInfo *c = cams->pdata[i];
      wanted_seen |= wanted && g_str_equal (wanted, c->id);
      json_builder_begin_object (r->b);
      add_string (r->b, "id", c->id);
      add_string (r->b, "model", c->model);
      add_string (r->b, "location", c->location);
      json_builder_set_member_name (r->b, "width");
      json_builder_add_int_value (r->b, c->width);
      json_builder_set_member_name (r->b, "height");
      json_builder_add_int_value (r->b, c->height);
      json_builder_end_object (r->b);
      doctor_line (r, "%s %s %dx%d", c->id, *c->model ? c->model : "-", c->width, c->height);
    }
  json_builder_end_array (r->b);
  if (cams && cams->len == 0)
    doctor_line (r, "libcamera lists no camera");
  add_string (r->b, "configured_backend", backend);
  if (backend && g_str_equal (backend, "sim"))
    doctor_line (r, "the configuration uses the simulated camera (image files), not these");
  else if (backend && g_str_equal (backend, "real") && g_strcmp0 (kiosk_camera, "ready") == 0
           && (cams == NULL || cams->len == 0))
    doctor_line (r, "the kiosk's camera is ready (in use by the kiosk), though this listing does not show it");
  else if (backend && g_str_equal (backend, "real"))
    {
      if (cams && cams->len == 0)
        doctor_finding (r, "[camera] backend=real but libcamera lists no camera");
      else if (cams && wanted && *wanted && !wanted_seen)
        doctor_finding (r, "[camera] id %s is not among the cameras libcamera lists", wanted);
      else if (cams == NULL)
        doctor_finding (r, "[camera] backend=real but libcamera is not usable");
    }
  if (kiosk_camera && cams && cams->len > 0)
    doctor_line (r, "(listing does not open a camera: the kiosk's stays in use by the kiosk)");
  doctor_section_end (r);
}

/* ---- printers ------------------------------------------------------------- */

void
doctor_check_printers (DoctorReport *r, KioskConfig *config, int timeout_ms)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) dests = NULL;
  g_autofree char *queue = config ? kiosk_config_get_string (config, "printer", "queue") : NULL;
  g_autofree char *backend = config ? kiosk_config_get_backend (config, "printer") : NULL;
  gboolean queue_seen = FALSE;
  gint64 t0 = g_get_monotonic_time ();

  doctor_section_begin (r, "printers");
  dests = kiosk_ipp_list_destinations (timeout_ms, &error);
  json_builder_set_member_name (r->b, "searched_ms");
  json_builder_add_int_value (r->b, (g_get_monotonic_time () - t0) / 1000);
  json_builder_set_member_name (r->b, "printers");
  json_builder_begin_array (r->b);
  for (guint i = 0; dests && i < dests->len; i++)
    {
      KioskIppDestination *d = dests->pdata[i];
      queue_seen |= queue && g_str_equal (queue, d->name);
      json_builder_begin_object (r->b);
      add_string (r->b, "name", d->name);
      add_string (r->b, "uri", d->uri);
      add_string (r->b, "make_and_model", d->make_and_model);
      add_string (r->b, "kind", d->discovered ? "driverless-ipp" : "cups-queue");
      json_builder_end_object (r->b);
      doctor_line (r, "%s %s %s%s%s", d->discovered ? "IPP " : "CUPS", d->name, d->uri ? d->uri : "",
                   d->make_and_model ? " " : "", d->make_and_model ? d->make_and_model : "");
    }
  json_builder_end_array (r->b);
  if (dests == NULL)
    {
      add_string (r->b, "error", error->message);
      doctor_finding (r, "printers cannot be listed: %s", error->message);
    }
  else if (dests->len == 0)
    doctor_line (r, "neither CUPS nor DNS-SD (%d ms) knows a printer", timeout_ms);
  if (dests && backend && g_str_equal (backend, "real") && queue && *queue && !queue_seen)
    doctor_finding (r, "[printer] queue %s is not a CUPS queue here", queue);
  doctor_section_end (r);
}
