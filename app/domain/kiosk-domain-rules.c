/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-domain"
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kiosk-domain-codec.h"
#include "kiosk-domain-rules.h"

/* ---- ID numbers (GB 11643-1999) ------------------------------------------ */

char
kiosk_id_number_check_char (const char *first17)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char checks[] = "10X98765432";
  int sum = 0;

  if (first17 == NULL)
    return 0;
  for (int i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (first17[i]))
        return 0;
      sum += (first17[i] - '0') * weights[i];
    }
  return checks[sum % 11];
}

/* The number in @n ASCII digits (already checked to be digits). */
static int
digits_value (const char *s, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

static gboolean
parse_date (const char *s, GDate *out)
{
  int y, m, d;

  if (s == NULL || strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  y = digits_value (s, 4);
  m = digits_value (s + 5, 2);
  d = digits_value (s + 8, 2);
  if (y < 1 || m < 1 || m > 12 || d < 1 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

static gboolean
id_birth_date (const char *id, GDate *out)
{
  char buf[11];

  memcpy (buf, id + 6, 4);
  buf[4] = '-';
  memcpy (buf + 5, id + 10, 2);
  buf[7] = '-';
  memcpy (buf + 8, id + 12, 2);
  buf[10] = '\0';
  return parse_date (buf, out) && g_date_get_year (out) >= 1850;
}

gboolean
kiosk_id_number_is_valid (const char *id)
{
  GDate birth;
  char check;

  if (id == NULL || strlen (id) != 18)
    return FALSE;
  check = kiosk_id_number_check_char (id);
  return check != 0 && g_ascii_toupper (id[17]) == check && id_birth_date (id, &birth);
}

/* ---- field validation ---------------------------------------------------- */

static void
local_today (GDate *out)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay) g_date_time_get_day_of_month (now), (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
}

static gboolean
blank (const char *s)
{
  for (; s && *s; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

static gboolean
is_number (const char *s)
{
  gboolean digits = FALSE, dot = FALSE;

  for (const char *p = s; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        digits = TRUE;
      else if (*p == '.' && !dot && digits && p[1] != '\0')
        dot = TRUE;
      else
        return FALSE;
    }
  return digits;
}

const char *
kiosk_field_validate (const KioskFormField *field, const char *value, GDate *today)
{
  GDate date, now;

  g_return_val_if_fail (field != NULL, NULL);
  if (blank (value))
    return field->required ? N_ ("Please fill this in.") : NULL;
  if (!kiosk_domain_text_ok (value, FALSE))
    return N_ ("This contains characters that cannot be used.");
  if (g_utf8_strlen (value, -1) > KIOSK_DOMAIN_MAX_VALUE_CHARS)
    return N_ ("This is too long.");
  switch (field->type)
    {
    case KIOSK_FIELD_NUMBER:
      return is_number (value) ? NULL : N_ ("Please enter a number, using digits only.");
    case KIOSK_FIELD_DATE:
      if (!parse_date (value, &date))
        return N_ ("Please enter a real date, as year-month-day (for example 1960-01-31).");
      if (field->past_only)
        {
          if (today == NULL)
            local_today (&now);
          else
            now = *today;
          if (g_date_compare (&date, &now) > 0)
            return N_ ("A birth date cannot be after today.");
        }
      return NULL;
    case KIOSK_FIELD_PHONE:
      if (strlen (value) != 11 || value[0] != '1')
        return N_ ("Please enter an 11-digit mobile number starting with 1.");
      for (const char *p = value; *p; p++)
        if (!g_ascii_isdigit (*p))
          return N_ ("Please enter an 11-digit mobile number starting with 1.");
      return NULL;
    case KIOSK_FIELD_CHOICE:
      return field->choices && g_strv_contains ((const char *const *) field->choices, value)
                 ? NULL
                 : N_ ("Please choose one of the options.");
    case KIOSK_FIELD_ID_NUMBER:
      if (strlen (value) != 18)
        return N_ ("An ID number has 18 characters.");
      for (int i = 0; i < 17; i++)
        if (!g_ascii_isdigit (value[i]))
          return N_ ("An ID number is 17 digits followed by a digit or X.");
      if (!g_ascii_isdigit (value[17]) && g_ascii_toupper (value[17]) != 'X')
        return N_ ("An ID number is 17 digits followed by a digit or X.");
      if (!id_birth_date (value, &date))
        return N_ ("The birth date inside this ID number does not exist. Please check it.");
      if (g_ascii_toupper (value[17]) != kiosk_id_number_check_char (value))
        return N_ ("This ID number is not right: a character may be mistyped. Please check it.");
      return NULL;
    case KIOSK_FIELD_TEXT:
    case KIOSK_FIELD_ADDRESS:
    default:
      return NULL;
    }
}

/* ---- prefill --------------------------------------------------------------- */

char *
kiosk_identity_prefill_value (const KioskIdentity *id, KioskPrefill prefill, const KioskFormField *field)
{
  const char *v = NULL;

  if (id == NULL)
    return NULL;
  switch (prefill)
    {
    case KIOSK_PREFILL_NAME:
      v = id->name;
      break;
    case KIOSK_PREFILL_ID_NUMBER:
      v = id->id_number;
      break;
    case KIOSK_PREFILL_BIRTH_DATE:
      v = id->birth_date;
      break;
    case KIOSK_PREFILL_ADDRESS:
      v = id->address;
      break;
    case KIOSK_PREFILL_GENDER:
      /* GB/T 2261.1: 1 male, 2 female; 0 unknown and 9 unstated say nothing. */
      v = id->gender_code == '1' ? "男" : id->gender_code == '2' ? "女" : NULL;
      if (v && field && field->type == KIOSK_FIELD_CHOICE)
        {
          for (guint i = 0; field->choices && field->choices[i]; i++)
            if (g_str_has_prefix (field->choices[i], v))
              return g_strdup (field->choices[i]);
          return NULL;
        }
      break;
    case KIOSK_PREFILL_NONE:
    default:
      break;
    }
  return v && *v ? g_strdup (v) : NULL;
}

guint
kiosk_case_draft_prefill (KioskCaseDraft *draft)
{
  const KioskCatalogItem *it;
  const KioskIdentity *id;
  guint filled = 0;

  g_return_val_if_fail (draft != NULL, 0);
  it = kiosk_case_draft_get_item (draft);
  id = kiosk_case_draft_get_applicant (draft);
  for (guint i = 0; id && i < it->n_form_fields; i++)
    {
      const KioskFormField *f = &it->form_fields[i];
      char *v;

      if (f->prefill == KIOSK_PREFILL_NONE || kiosk_case_draft_get_value (draft, f->id) != NULL)
        continue;
      v = kiosk_identity_prefill_value (id, f->prefill, f);
      if (v)
        {
          kiosk_case_draft_set_value (draft, f->id, v);
          filled++;
        }
      kiosk_secure_free (v);
    }
  return filled;
}

/* ---- commitment and 容缺 -------------------------------------------------- */

gboolean
kiosk_commitment_allowed (const KioskCaseDraft *draft)
{
  const KioskCatalogItem *it;

  g_return_val_if_fail (draft != NULL, FALSE);
  it = kiosk_case_draft_get_item (draft);
  return it->commitment_allowed == KIOSK_FLAG_YES && it->commitment != NULL
         && kiosk_case_draft_get_agent_name (draft) == NULL;
}

gboolean
kiosk_material_may_be_owed (const KioskCatalogItem *item, guint index)
{
  const KioskMaterial *m;

  g_return_val_if_fail (item != NULL, FALSE);
  if (index >= item->n_materials || item->deferral_allowed != KIOSK_FLAG_YES || item->deferral == NULL
      || item->time_limit_days == 0)
    return FALSE;
  m = &item->materials[index];
  return m->deferrable && m->provided_by != KIOSK_PROVIDED_BY_ID_CARD_READER
         && m->provided_by != KIOSK_PROVIDED_BY_KIOSK_FORM;
}

void
kiosk_item_promised_date (const KioskCatalogItem *item, GDate *today, GDate *out)
{
  int days;

  g_return_if_fail (item != NULL && out != NULL);
  g_date_clear (out, 1);
  if (item->time_limit_days < 0)
    return;
  if (today == NULL)
    local_today (out);
  else
    *out = *today;
  for (days = item->time_limit_days; days > 0;)
    {
      g_date_add_days (out, 1);
      if (g_date_get_weekday (out) < G_DATE_SATURDAY)
        days--;
    }
}

gboolean
kiosk_deferral_due_date (const KioskCatalogItem *item, GDate *today, GDate *out)
{
  GDate promised;

  g_return_val_if_fail (item != NULL && out != NULL, FALSE);
  g_date_clear (out, 1);
  if (item->deferral_allowed != KIOSK_FLAG_YES || item->deferral == NULL || item->time_limit_days == 0)
    return FALSE;
  if (today == NULL)
    local_today (out);
  else
    *out = *today;
  g_date_add_days (out, (guint) item->deferral->deadline_days);
  kiosk_item_promised_date (item, today, &promised);
  if (g_date_valid (&promised) && g_date_compare (out, &promised) > 0)
    *out = promised;
  return TRUE;
}

/* ---- completeness ---------------------------------------------------------- */

static void
problem (GPtrArray *problems, const char *msgid, const char *name)
{
  if (problems)
    g_ptr_array_add (problems, g_strdup_printf ("%s\t%s", msgid, name ? name : ""));
}

gboolean
kiosk_case_draft_check_complete (const KioskCaseDraft *draft, GDate *today, GPtrArray **out)
{
  const KioskCatalogItem *it;
  const KioskIdentity *id;
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
  gboolean ok;

  g_return_val_if_fail (draft != NULL, FALSE);
  it = kiosk_case_draft_get_item (draft);
  id = kiosk_case_draft_get_applicant (draft);
  if (id == NULL || id->name == NULL || *id->name == '\0' || id->id_number == NULL || *id->id_number == '\0')
    problem (problems, N_ ("Place your ID card on the reader first."), NULL);
  if (!it->kiosk_accepts)
    problem (problems, N_ ("This item cannot be applied for at this kiosk."), it->where_to_apply);
  for (guint i = 0; i < it->n_form_fields; i++)
    {
      const KioskFormField *f = &it->form_fields[i];
      const char *msg = kiosk_field_validate (f, kiosk_case_draft_get_value (draft, f->id), today);
      if (msg)
        problem (problems, msg, f->label);
    }
  if (kiosk_commitment_allowed (draft) && kiosk_case_draft_get_commitment (draft) == KIOSK_COMMITMENT_UNDECIDED)
    problem (problems, N_ ("Choose between signing the commitment and supplying the proof."), it->commitment->proof);
  if (kiosk_case_draft_get_commitment (draft) == KIOSK_COMMITMENT_COMMIT
      && kiosk_case_draft_get_signature_sha256 (draft) == NULL)
    problem (problems, N_ ("Sign the commitment on the screen."), NULL);
  for (guint i = 0; i < it->n_materials; i++)
    if (it->materials[i].required && kiosk_case_draft_get_material_state (draft, i) == KIOSK_MATERIAL_MISSING)
      problem (problems, N_ ("This material is still missing."), it->materials[i].name);
  if (kiosk_case_draft_get_delivery (draft) == KIOSK_DELIVERY_POST
      && blank (kiosk_case_draft_get_delivery_address (draft)))
    problem (problems, N_ ("Enter the address to post the result to."), NULL);
  ok = problems->len == 0;
  if (out)
    *out = problems;
  else
    g_ptr_array_unref (problems);
  return ok;
}
