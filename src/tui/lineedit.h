/* The one line editor every text field and prompt uses: UTF-8 aware,
 * emacs-style keys. Pure: no curses calls, only its key codes. */
#ifndef TUI_LINEEDIT_H
#define TUI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

enum { LEDIT_MAX = 2048 };

struct ledit {
    char buf[LEDIT_MAX];  /* UTF-8, NUL-terminated */
    size_t len;           /* bytes */
    size_t cur;           /* cursor, a byte offset on a character boundary */
    size_t cap;           /* bytes allowed including the NUL; 0 = LEDIT_MAX */
};

/* Replaces the text (cut at a character boundary to fit), cursor at the end. */
void ledit_set(struct ledit *e, const char *s);
/* One key (a code point or a TUI key code). Returns true when the key was
 * an editing key; *changed says whether the text changed.
 * Home/End, C-a/C-e, Left/Right by character, BS/Del, C-u (kill to the
 * start), C-k (kill to the end), C-w (the word before the cursor). */
bool ledit_key(struct ledit *e, int key, bool *changed);
/* Inserts one code point at the cursor; false when it does not fit. */
bool ledit_insert(struct ledit *e, unsigned c);

#endif
