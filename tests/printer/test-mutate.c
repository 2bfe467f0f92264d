/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer-test"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "print-document.h"
#include "printer-test-util.h"

/* Mutation test of print data (issue #12): the JSON given to `kioskctl
 * print render` and to the renderer. From each template's example data and
 * its at-the-caps data, a seeded generator makes cases by editing the JSON
 * tree (other types, empty, huge, control and bidi characters, combining
 * marks, unbroken words, lists one past their cap, members removed) or the
 * JSON bytes (flips, inserts, deletes, brackets, quotes, backslashes). Each
 * case goes through kiosk_print_parse_data (bytes), kiosk_print_check_data
 * and kiosk_print_qr_payload for every template, and is rendered (A4 or the
 * roll, as the seed picks) when its template accepts it.
 *
 * Invariants: a render gives a PDF or an error, never neither nor both; the
 * error is bad data or too long (a render error, e.g. zint's, is a bug);
 * no GLib warning or critical other than "no glyph" (tofu is allowed);
 * ASan/UBSan quiet in the sanitizer build.
 *
 * Bounded: KIOSK_MUTATE_CASES cases (default 3000) from seed
 * KIOSK_MUTATE_SEED (default 20261212); rendering stops after
 * KIOSK_MUTATE_RENDER_SECONDS (default 60) of render time, later cases are
 * still parsed and checked. A failing case prints its seed, number and
 * JSON: KIOSK_MUTATE_ONLY=N replays case N alone. */

#define DEFAULT_CASES 3000
#define DEFAULT_SEED 20261212
#define DEFAULT_RENDER_SECONDS 60

static guint64
env_u64 (const char *name, guint64 fallback)
{
  const char *v = g_getenv (name);
  return v && *v ? g_ascii_strtoull (v, NULL, 10) : fallback;
}

/* ---- strings worth trying ------------------------------------------------- */

static char *
repeat (const char *unit, guint n)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static char *
random_string (GRand *r)
{
  static const char *const units[] = {
    "政务",
    "A",
    " ",
    "\n",
    "\r\n",
    "\t",
    "\xE2\x80\xAE", /* U+202E */
    "\xE2\x81\xA6", /* U+2066 */
    "\xE2\x80\xA8", /* U+2028 */
    "\xE2\x80\x8B", /* U+200B */
    "\xC2\x85",     /* U+0085 */
    "\x01",
    "\x1B[2J",
    "\xEE\x80\x80",     /* U+E000 */
    "\xF0\x9F\x98\x80", /* emoji */
    "\xCC\x81",         /* combining acute */
    "\xD8\xA7\xD9\x84", /* Arabic */
    "%s%n",
    "W",
    "\xEF\xBF\xBD",     /* U+FFFD */
    "\xF0\xA0\x80\x80", /* U+20000 */
    "&lt;<b>",
    "\\",
    "\"",
  };
  static const guint lengths[] = { 0, 1, 2, 16, 31, 32, 33, 63, 64, 65, 100, 101, 199, 200, 201, 1000, 1500, 3000 };
  const char *unit = units[g_rand_int_range (r, 0, G_N_ELEMENTS (units))];
  guint n = lengths[g_rand_int_range (r, 0, G_N_ELEMENTS (lengths))];

  /* Mostly one unit repeated; sometimes CJK text with the unit in it. */
  if (g_rand_boolean (r))
    return repeat (unit, n);
  {
    g_autofree char *text = ptu_text (n, (guint) g_rand_int_range (r, 1, 5));
    guint at = (guint) g_rand_int_range (r, 0, (gint32) (g_utf8_strlen (text, -1) + 1));
    GString *s = g_string_new (NULL);
    g_string_append_len (s, text, g_utf8_offset_to_pointer (text, at) - text);
    g_string_append (s, unit);
    g_string_append (s, g_utf8_offset_to_pointer (text, at));
    return g_string_free (s, FALSE);
  }
}

static JsonNode *
random_value (GRand *r, int depth)
{
  JsonNode *n;

  switch (g_rand_int_range (r, 0, depth > 2 ? 4 : 7))
    {
    case 0:
      {
        g_autofree char *s = random_string (r);
        n = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (n, s);
        return n;
      }
    case 1:
      {
        static const gint64 ints[] = { 0, -1, 1, 2, 99, 100000, G_MAXINT32, G_MININT32, G_MAXINT64, G_MININT64 };
        n = json_node_new (JSON_NODE_VALUE);
        if (g_rand_boolean (r))
          json_node_set_int (n, ints[g_rand_int_range (r, 0, G_N_ELEMENTS (ints))]);
        else
          json_node_set_double (n, g_rand_boolean (r) ? 1e308 : -0.5);
        return n;
      }
    case 2:
      n = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (n, g_rand_boolean (r));
      return n;
    case 3:
      return json_node_new (JSON_NODE_NULL);
    case 4:
    case 5:
      {
        JsonArray *a = json_array_new ();
        static const guint sizes[] = { 0, 1, 2, 9, 10, 11, 19, 20, 21, 29, 30, 31, 200 };
        guint count = sizes[g_rand_int_range (r, 0, G_N_ELEMENTS (sizes))];
        for (guint i = 0; i < count; i++)
          json_array_add_element (a, random_value (r, depth + 1));
        n = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (n, a);
        return n;
      }
    default:
      {
        static const char *const keys[]
            = { "name", "note", "how", "deadline", "method", "place", "address", "id_number", "phone", "count", "at" };
        JsonObject *o = json_object_new ();
        guint count = (guint) g_rand_int_range (r, 0, 4);
        for (guint i = 0; i < count; i++)
          json_object_set_member (o, keys[g_rand_int_range (r, 0, G_N_ELEMENTS (keys))], random_value (r, depth + 1));
        n = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (n, o);
        return n;
      }
    }
}

/* ---- tree mutations -------------------------------------------------------- */

/* A random object in @o's tree (itself, a member object, an object in a
 * member list). */
static JsonObject *
random_object (GRand *r, JsonObject *o)
{
  g_autoptr (GList) members = json_object_get_members (o);
  guint n = g_list_length (members);

  if (n == 0 || g_rand_int_range (r, 0, 3) == 0)
    return o;
  {
    JsonNode *node = json_object_get_member (o, g_list_nth_data (members, (guint) g_rand_int_range (r, 0, (gint32) n)));
    if (JSON_NODE_HOLDS_OBJECT (node))
      return random_object (r, json_node_get_object (node));
    if (JSON_NODE_HOLDS_ARRAY (node))
      {
        JsonArray *a = json_node_get_array (node);
        guint len = json_array_get_length (a);
        JsonNode *item = len ? json_array_get_element (a, (guint) g_rand_int_range (r, 0, (gint32) len)) : NULL;
        if (item && JSON_NODE_HOLDS_OBJECT (item))
          return json_node_get_object (item);
      }
  }
  return o;
}

static void
mutate_tree (GRand *r, JsonObject *root)
{
  JsonObject *o = random_object (r, root);
  g_autoptr (GList) members = json_object_get_members (o);
  guint n = g_list_length (members);
  const char *key = n ? g_list_nth_data (members, (guint) g_rand_int_range (r, 0, (gint32) n)) : "station";
  g_autofree char *k = g_strdup (key);

  switch (g_rand_int_range (r, 0, 6))
    {
    case 0: /* a member removed */
      json_object_remove_member (o, k);
      break;
    case 1: /* an unknown member */
      json_object_set_member (o, "unknown_member", random_value (r, 0));
      break;
    case 2: /* a list grown: its items repeated, often to a cap and one past */
      {
        JsonNode *node = json_object_get_member (o, k);
        if (node && JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
          {
            JsonArray *a = json_node_get_array (node);
            static const guint targets[] = { 10, 11, 20, 21, 30, 31, 300 };
            guint target = targets[g_rand_int_range (r, 0, G_N_ELEMENTS (targets))];
            JsonNode *first = json_array_get_element (a, 0);
            while (json_array_get_length (a) < target)
              json_array_add_element (a, json_node_copy (first));
            break;
          }
      }
      G_GNUC_FALLTHROUGH;
    default: /* a value replaced */
      json_object_set_member (o, k, random_value (r, 0));
      break;
    }
}

/* ---- byte mutations ---------------------------------------------------------- */

static void
mutate_bytes (GRand *r, GString *s)
{
  static const char specials[] = "[]{}\",:\\0n-e.\x80\xff";
  guint edits = (guint) g_rand_int_range (r, 1, 9);

  for (guint e = 0; e < edits && s->len > 0; e++)
    {
      gsize at = (gsize) g_rand_int_range (r, 0, (gint32) s->len);
      switch (g_rand_int_range (r, 0, 5))
        {
        case 0:
          s->str[at] = (char) (s->str[at] ^ (1 << g_rand_int_range (r, 0, 8)));
          break;
        case 1:
          g_string_insert_c (s, (gssize) at, specials[g_rand_int_range (r, 0, sizeof specials - 1)]);
          break;
        case 2:
          {
            gsize want = (gsize) g_rand_int_range (r, 1, 16); /* not inside MIN(): evaluated twice */
            g_string_erase (s, (gssize) at, (gssize) MIN (want, s->len - at));
            break;
          }
        case 3:
          {
            gsize want = (gsize) g_rand_int_range (r, 1, 64);
            gsize len = MIN (want, s->len - at);
            g_autofree char *chunk = g_strndup (s->str + at, len);
            g_string_insert_len (s, (gssize) g_rand_int_range (r, 0, (gint32) s->len), chunk, (gssize) len);
            break;
          }
        default:
          g_string_insert (s, (gssize) at, "\\u0000");
          break;
        }
    }
}

/* ---- the invariants ---------------------------------------------------------- */

typedef struct {
  guint cases, parsed, accepted, rendered, refused_long, refused_bad, render_skipped;
  gint64 render_us, render_budget_us, slowest_us;
} Stats;

static guint tofu_warnings;

/* Tofu warnings (structured logging) are counted and kept quiet; anything
 * else goes to the default writer (warnings are fatal in a test). */
static GLogWriterOutput
quiet_tofu (GLogLevelFlags log_level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
      domain = fields[i].value;
    else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      message = fields[i].value;
  if ((log_level & G_LOG_LEVEL_WARNING) && g_strcmp0 (domain, "kiosk-printer") == 0 && message
      && strstr (message, "no glyph") != NULL)
    {
      tofu_warnings++;
      return G_LOG_WRITER_HANDLED;
    }
  g_log_writer_default (log_level, fields, n_fields, user_data);
  /* Warnings are not fatal by default here (see main()): any other one is. */
  if (log_level & G_LOG_LEVEL_WARNING)
    g_error ("an unexpected warning (above)");
  return G_LOG_WRITER_HANDLED;
}

static void
fail_case (guint64 seed, guint index, const char *why, JsonObject *data)
{
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *json = NULL;

  json_node_set_object (root, data);
  json = json_to_string (root, FALSE);
  g_error ("case %u (seed %" G_GUINT64_FORMAT ", KIOSK_MUTATE_ONLY=%u): %s\n%.*s", index, seed, index, why, 4000, json);
}

static void
exercise (Stats *st, guint64 seed, guint index, const char *template_name, KioskPaper paper, JsonObject *data)
{
  const char *const *templates = kiosk_print_templates ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) pdf = NULL;
  gint64 t0, dt;

  for (int t = 0; templates[t]; t++)
    {
      g_autoptr (GError) e = NULL;
      g_autofree char *payload = kiosk_print_qr_payload (templates[t], data);
      if (!kiosk_print_check_data (templates[t], data, &e))
        {
          if (e == NULL || e->domain != KIOSK_PRINT_ERROR
              || (e->code != KIOSK_PRINT_ERROR_TOO_LONG && e->code != KIOSK_PRINT_ERROR_BAD_DATA))
            fail_case (seed, index, "check_data failed without a bad-data or too-long error", data);
        }
      else if (e != NULL)
        fail_case (seed, index, "check_data passed and set an error", data);
      if (payload && !g_utf8_validate (payload, -1, NULL))
        fail_case (seed, index, "QR payload is not UTF-8", data);
    }

  if (!kiosk_print_check_data (template_name, data, NULL))
    {
      /* Refused before layout: the render says the same, at once. */
      pdf = kiosk_print_render (template_name, data, paper, NULL, &error);
      if (pdf != NULL || error == NULL)
        fail_case (seed, index, "render accepted data check_data refused", data);
      if (error->code == KIOSK_PRINT_ERROR_TOO_LONG)
        st->refused_long++;
      else
        st->refused_bad++;
      return;
    }
  st->accepted++;
  if (st->render_us >= st->render_budget_us)
    {
      st->render_skipped++;
      return;
    }
  t0 = g_get_monotonic_time ();
  pdf = kiosk_print_render (template_name, data, paper, NULL, &error);
  dt = g_get_monotonic_time () - t0;
  st->render_us += dt;
  st->slowest_us = MAX (st->slowest_us, dt);
  st->rendered++;
  if ((pdf == NULL) == (error == NULL))
    fail_case (seed, index, pdf ? "a PDF and an error" : "neither a PDF nor an error", data);
  if (error)
    {
      if (error->domain != KIOSK_PRINT_ERROR
          || (error->code != KIOSK_PRINT_ERROR_TOO_LONG && error->code != KIOSK_PRINT_ERROR_BAD_DATA))
        {
          g_autofree char *why = g_strdup_printf ("render error that is not bad input: %s", error->message);
          fail_case (seed, index, why, data);
        }
      if (error->code == KIOSK_PRINT_ERROR_TOO_LONG)
        st->refused_long++;
      else
        st->refused_bad++;
      return;
    }
  if (g_bytes_get_size (pdf) < 5 || memcmp (g_bytes_get_data (pdf, NULL), "%PDF-", 5) != 0)
    fail_case (seed, index, "not a PDF", data);
}

static JsonObject *
seed_data (GRand *r, const char *template_name)
{
  /* At the caps one time in eight: a capped guide is 15 A4 pages, slow to
   * render under ASan; the example data renders in a fraction of that. */
  if (g_rand_int_range (r, 0, 8) == 0)
    return ptu_data_at_caps (template_name, NULL, 0);
  {
    JsonObject *o = ptu_load_data (template_name);
    /* The signature file is relative to the data folder: absolute here. */
    if (json_object_has_member (o, "signature_file"))
      {
        g_autofree char *sig = ptu_data_path ("signature.png");
        json_object_set_string_member (o, "signature_file", sig);
      }
    return o;
  }
}

static void
test_mutate (void)
{
  const char *const *templates = kiosk_print_templates ();
  guint64 seed = env_u64 ("KIOSK_MUTATE_SEED", DEFAULT_SEED);
  guint cases = (guint) env_u64 ("KIOSK_MUTATE_CASES", DEFAULT_CASES);
  guint only = (guint) env_u64 ("KIOSK_MUTATE_ONLY", G_MAXUINT);
  Stats st = { 0 };
  guint n_templates = g_strv_length ((char **) templates);
  gint64 start = g_get_monotonic_time ();

  st.render_budget_us = (gint64) env_u64 ("KIOSK_MUTATE_RENDER_SECONDS", DEFAULT_RENDER_SECONDS) * G_USEC_PER_SEC;
  for (guint i = 0; i < cases; i++)
    {
      /* Each case from its own generator: any case replays alone. */
      g_autoptr (GRand) r = g_rand_new_with_seed ((guint32) (seed * 1000003u + i));
      const char *template_name = templates[g_rand_int_range (r, 0, (gint32) n_templates)];
      KioskPaper paper = g_rand_int_range (r, 0, 4) == 0 ? KIOSK_PAPER_ROLL80 : KIOSK_PAPER_A4;
      g_autoptr (JsonObject) data = seed_data (r, template_name);

      if (only != G_MAXUINT && i != only)
        continue;
      st.cases++;
      if (g_rand_int_range (r, 0, 3) == 0)
        {
          /* Bytes: serialise, edit, parse as kioskctl does. */
          g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
          g_autoptr (GError) error = NULL;
          g_autoptr (JsonObject) parsed = NULL;
          g_autofree char *text = NULL;
          GString *s;

          json_node_set_object (root, data);
          text = json_to_string (root, FALSE);
          s = g_string_new (text);
          mutate_bytes (r, s);
          parsed = kiosk_print_parse_data (s->str, s->len, &error);
          g_string_free (s, TRUE);
          if ((parsed == NULL) == (error == NULL))
            fail_case (seed, i, "parse_data: an object and an error, or neither", data);
          if (parsed == NULL)
            continue;
          st.parsed++;
          exercise (&st, seed, i, template_name, paper, parsed);
        }
      else
        {
          guint edits = (guint) g_rand_int_range (r, 1, 5);
          for (guint e = 0; e < edits; e++)
            mutate_tree (r, data);
          exercise (&st, seed, i, template_name, paper, data);
        }
    }
  g_test_message (
      "%u cases (seed %" G_GUINT64_FORMAT ") in %.1f s: %u byte-mutated parsed, %u accepted, %u rendered "
      "(%.1f s, slowest %.2f s, %u with tofu), %u not rendered (render budget spent), refused: %u too long, %u bad "
      "data",
      st.cases, seed, (g_get_monotonic_time () - start) / 1e6, st.parsed, st.accepted, st.rendered, st.render_us / 1e6,
      st.slowest_us / 1e6, tofu_warnings, st.render_skipped, st.refused_long, st.refused_bad);
  g_assert_cmpuint (st.cases, ==, only != G_MAXUINT ? 1 : cases);
  /* The generator reaches both sides: refused and rendered documents. */
  if (only == G_MAXUINT && cases >= 100)
    {
      g_assert_cmpuint (st.refused_long, >, 0);
      g_assert_cmpuint (st.refused_bad, >, 0);
      g_assert_cmpuint (st.rendered, >, 0);
    }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_log_set_writer_func (quiet_tofu, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  /* g_test_init() makes warnings fatal, and GLib then reports a tofu
   * warning as "Bail out!" before any writer sees it: the writer above
   * decides instead (tofu allowed, any other warning fails). */
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/printer/mutate/print-data", test_mutate);
  return g_test_run ();
}
