/* UTF-8 text helpers: folding for diacritics-insensitive search
 * ("Soren" finds "Søren", "aa" finds "å"), display width, truncation. */
#ifndef FITCASE_TEXT_H
#define FITCASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Folds s to lowercase ASCII for matching: ø->o, æ->ae, å->aa, é->e, ü->u...
 * Returns the length written (always NUL-terminated, truncated to cap). */
size_t fc_fold(const char *s, char *out, size_t cap);
/* True if the folded needle occurs in the folded haystack. */
bool fc_fold_contains(const char *folded_haystack, const char *folded_needle);

bool fc_utf8_valid(const char *s, size_t len);
/* Number of code points; display columns (wide chars count 2). */
size_t fc_utf8_len(const char *s);
/* Copies s into out, cutting at a character boundary so it fits cap bytes. */
void fc_strlcpy_utf8(char *out, const char *s, size_t cap);

#endif
