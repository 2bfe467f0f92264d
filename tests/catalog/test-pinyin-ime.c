/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kiosk-pinyin-ime.h"
#include "kiosk-pinyin.h"

/* The on-screen keyboard's pinyin input method, on libpinyin's data. */

static void
type (KioskPinyinIme *ime, const char *letters)
{
  for (const char *p = letters; *p; p++)
    g_assert_true (kiosk_pinyin_ime_feed (ime, *p));
}

/* Index of @text among the first @within candidates, or -1. */
static int
find (KioskPinyinIme *ime, const char *text, guint within)
{
  guint n = kiosk_pinyin_ime_get_n_candidates (ime);

  for (guint i = 0; i < n && i < within; i++)
    if (g_str_equal (kiosk_pinyin_ime_get_candidate (ime, i), text))
      return (int) i;
  return -1;
}

static KioskPinyinIme *
loaded_ime (const char *user_dir)
{
  g_autoptr (GError) error = NULL;
  KioskPinyinIme *ime = kiosk_pinyin_ime_new (user_dir);

  g_assert_true (kiosk_pinyin_ime_load (ime, &error));
  g_assert_no_error (error);
  g_assert_true (kiosk_pinyin_ime_is_loaded (ime));
  return ime;
}

static void
test_zhang (void)
{
  g_autoptr (KioskPinyinIme) ime = loaded_ime (NULL);
  g_autofree char *pre = NULL;
  char *text;
  int i;

  type (ime, "zhang");
  i = find (ime, "张", 5);
  g_assert_cmpint (i, >=, 0);
  pre = kiosk_pinyin_ime_get_preedit (ime);
  g_assert_cmpstr (pre, ==, "zhang");
  text = kiosk_pinyin_ime_choose (ime, (guint) i);
  g_assert_cmpstr (text, ==, "张");
  g_free (text);
  g_assert_cmpstr (kiosk_pinyin_ime_get_letters (ime), ==, "");
  g_assert_cmpuint (kiosk_pinyin_ime_get_n_candidates (ime), ==, 0);
}

static void
test_nihao (void)
{
  g_autoptr (KioskPinyinIme) ime = loaded_ime (NULL);
  char *text;
  int i;

  /* Upper case is folded. */
  type (ime, "niHao");
  g_assert_cmpstr (kiosk_pinyin_ime_get_letters (ime), ==, "nihao");
  i = find (ime, "你好", 3);
  g_assert_cmpint (i, >=, 0);
  text = kiosk_pinyin_ime_choose (ime, (guint) i);
  g_assert_cmpstr (text, ==, "你好");
  g_free (text);
  g_assert_cmpstr (kiosk_pinyin_ime_get_letters (ime), ==, "");
}

/* One hanzi at a time: 你, then 好 for the letters left. */
static void
test_partial (void)
{
  g_autoptr (KioskPinyinIme) ime = loaded_ime (NULL);
  g_autofree char *pre = NULL;
  g_autofree char *pre2 = NULL;
  char *text;
  int i;

  type (ime, "nihao");
  i = find (ime, "你", 50);
  g_assert_cmpint (i, >=, 0);
  g_assert_null (kiosk_pinyin_ime_choose (ime, (guint) i));
  pre = kiosk_pinyin_ime_get_preedit (ime);
  g_assert_cmpstr (pre, ==, "你hao");
  i = find (ime, "好", 5);
  g_assert_cmpint (i, >=, 0);
  /* Backspace first undoes the choice, then removes letters. */
  g_assert_true (kiosk_pinyin_ime_backspace (ime));
  pre2 = kiosk_pinyin_ime_get_preedit (ime);
  g_assert_cmpstr (pre2, ==, "nihao");
  i = find (ime, "你", 50);
  g_assert_null (kiosk_pinyin_ime_choose (ime, (guint) i));
  i = find (ime, "好", 5);
  text = kiosk_pinyin_ime_choose (ime, (guint) i);
  g_assert_cmpstr (text, ==, "你好");
  g_free (text);
}

static void
test_editing (void)
{
  g_autoptr (KioskPinyinIme) ime = loaded_ime (NULL);

  g_assert_false (kiosk_pinyin_ime_backspace (ime));
  g_assert_false (kiosk_pinyin_ime_feed (ime, '1'));
  g_assert_false (kiosk_pinyin_ime_feed (ime, '\''));
  g_assert_false (kiosk_pinyin_ime_feed (ime, ' '));
  g_assert_null (kiosk_pinyin_ime_choose (ime, 0));
  type (ime, "zhangs");
  g_assert_true (kiosk_pinyin_ime_backspace (ime));
  g_assert_cmpstr (kiosk_pinyin_ime_get_letters (ime), ==, "zhang");
  g_assert_cmpint (find (ime, "张", 5), >=, 0);
  g_assert_null (kiosk_pinyin_ime_choose (ime, 100000));
  kiosk_pinyin_ime_reset (ime);
  g_assert_cmpstr (kiosk_pinyin_ime_get_letters (ime), ==, "");
  g_assert_cmpuint (kiosk_pinyin_ime_get_n_candidates (ime), ==, 0);
  for (int i = 0; i < KIOSK_PINYIN_IME_MAX_LETTERS; i++)
    g_assert_true (kiosk_pinyin_ime_feed (ime, "ma"[i % 2]));
  g_assert_false (kiosk_pinyin_ime_feed (ime, 'a'));
  g_assert_cmpuint (kiosk_pinyin_ime_get_n_candidates (ime), >, 0);
}

/* Creating is cheap and reads nothing: letters typed before loading get
 * their candidates once loaded (in another thread here, as the keyboard
 * does). */
static gpointer
load_thread (gpointer data)
{
  return GINT_TO_POINTER (kiosk_pinyin_ime_load (data, NULL));
}

static void
test_load_later (void)
{
  g_autoptr (KioskPinyinIme) ime = kiosk_pinyin_ime_new (NULL);
  GThread *thread;

  g_assert_false (kiosk_pinyin_ime_is_loaded (ime));
  type (ime, "zh");
  g_assert_cmpuint (kiosk_pinyin_ime_get_n_candidates (ime), ==, 0);
  g_assert_null (kiosk_pinyin_ime_choose (ime, 0));
  thread = g_thread_new ("ime-load", load_thread, ime);
  type (ime, "ang");
  g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
  g_assert_cmpint (find (ime, "张", 5), >=, 0);
  /* g_thread_join() freed the thread. */
  // cppcheck-suppress memleak
}

/* Nothing typed is written to the user folder. */
static void
test_nothing_saved (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pinyin-ime-XXXXXX", NULL);
  g_autofree char *user = g_build_filename (dir, "user", NULL);
  GDir *d;
  const char *name;
  char *text;

  {
    g_autoptr (KioskPinyinIme) ime = loaded_ime (user);
    type (ime, "zhangsan");
    text = kiosk_pinyin_ime_choose (ime, 0);
    g_assert_nonnull (text);
    g_free (text);
    type (ime, "lisi");
    kiosk_pinyin_ime_reset (ime);
  }
  d = g_dir_open (user, 0, NULL);
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (user, name, NULL);
      /* Only the version file the module writes itself. */
      g_assert_cmpstr (name, ==, "user.conf");
      g_unlink (path);
    }
  g_dir_close (d);
  g_rmdir (user);
  g_rmdir (dir);
}

static char *
candidates (KioskPinyinIme *ime, guint n)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n && i < kiosk_pinyin_ime_get_n_candidates (ime); i++)
    g_string_append_printf (out, "%s ", kiosk_pinyin_ime_get_candidate (ime, i));
  return g_string_free (out, FALSE);
}

/* A resident's choices do not reorder the next resident's candidates (no
 * learning, not even in memory). */
static void
test_no_learning (void)
{
  g_autoptr (KioskPinyinIme) ime = loaded_ime (NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  type (ime, "zhang");
  before = candidates (ime, 20);
  g_assert_cmpuint (kiosk_pinyin_ime_get_n_candidates (ime), >, 15);
  for (int round = 0; round < 5; round++)
    {
      g_free (kiosk_pinyin_ime_choose (ime, 15));
      type (ime, "zhang");
    }
  kiosk_pinyin_ime_reset (ime);
  type (ime, "zhang");
  after = candidates (ime, 20);
  g_assert_cmpstr (after, ==, before);
}

static void
test_no_data (void)
{
  g_autoptr (KioskPinyinIme) ime = kiosk_pinyin_ime_new (NULL);
  g_autoptr (GError) error = NULL;

  g_setenv ("KIOSK_PINYIN_DATA_DIR", "/nonexistent/libpinyin", TRUE);
  g_assert_false (kiosk_pinyin_ime_load (ime, &error));
  g_unsetenv ("KIOSK_PINYIN_DATA_DIR");
  g_assert_error (error, KIOSK_PINYIN_ERROR, KIOSK_PINYIN_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "libpinyin-data"));
  g_assert_false (kiosk_pinyin_ime_is_loaded (ime));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* First: it sets the environment, before any thread runs. */
  g_test_add_func ("/pinyin-ime/no-data", test_no_data);
  g_test_add_func ("/pinyin-ime/zhang", test_zhang);
  g_test_add_func ("/pinyin-ime/nihao", test_nihao);
  g_test_add_func ("/pinyin-ime/partial", test_partial);
  g_test_add_func ("/pinyin-ime/editing", test_editing);
  g_test_add_func ("/pinyin-ime/load-later", test_load_later);
  g_test_add_func ("/pinyin-ime/nothing-saved", test_nothing_saved);
  g_test_add_func ("/pinyin-ime/no-learning", test_no_learning);
  return g_test_run ();
}
