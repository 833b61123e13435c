/* UTF-8 text helpers: folding for diacritics-insensitive search
 * ("Soren" finds "Søren", "aa" finds "å"), validation, length, truncation. */
#ifndef FITCASE_TEXT_H
#define FITCASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Folds s for matching; fold both sides of a comparison. ASCII letters are
 * lowercased; Latin-1 and Latin Extended-A letters become their base letters
 * (é->e, ü->u, ö->o, ä->a, ñ->n, ø->o, å->a), æ->ae, ß->ss, œ->oe; then
 * every "aa" becomes "a" (a run of n a's folds to ceil(n/2)), because "aa"
 * is how Danish wrote å and still writes it in names (Aabenraa, Aase). So
 * "Soren" finds "Søren", "aero" finds "Ærø", and "Arhus", "Aarhus" and
 * "Århus" all fold to "arhus". A prefix or substring of s folds to a prefix
 * or substring of s's fold. Other characters keep their UTF-8 bytes;
 * malformed bytes are dropped. Returns the length written (always
 * NUL-terminated, truncated to cap, never inside a character). */
size_t fc_fold(const char *s, char *out, size_t cap);
/* True if the folded needle occurs in the folded haystack. */
bool fc_fold_contains(const char *folded_haystack, const char *folded_needle);

/* Index of the first of n names that s folds equal to, blanks around s
 * ignored; -1 if none. How codes and their Danish aliases are looked up. */
int fc_fold_lookup(const char *s, const char *const *names, size_t n);

/* Strict UTF-8: no overlong forms, surrogates or code points past U+10FFFF. */
bool fc_utf8_valid(const char *s, size_t len);
/* Number of code points (a malformed byte counts as one). */
size_t fc_utf8_len(const char *s);
/* Copies s into out, cutting at a character boundary so it fits cap bytes. */
void fc_strlcpy_utf8(char *out, const char *s, size_t cap);

#endif
