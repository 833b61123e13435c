/* UTF-8 helpers and the search fold. The fold is one function applied to
 * both sides of every comparison, so it only has to be consistent, not
 * reversible: see text.h for the rule. */
#include <config.h>

#include <string.h>

#include "fitcase/text.h"

/* Decodes one UTF-8 sequence at s (len bytes left). Returns its length and
 * the code point, or 0 for a malformed sequence: overlong forms, surrogates
 * and values past U+10FFFF are malformed too, as RFC 3629 says. */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned long *cp)
{
    static const unsigned long min_for_len[] = { 0, 0, 0x80, 0x800, 0x10000 };
    size_t n;
    unsigned long c = s[0];
    if (c < 0x80)
        n = 1;
    else if ((c & 0xE0) == 0xC0)
        n = 2, c &= 0x1F;
    else if ((c & 0xF0) == 0xE0)
        n = 3, c &= 0x0F;
    else if ((c & 0xF8) == 0xF0)
        n = 4, c &= 0x07;
    else
        return 0;
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    if (n > 1 && c < min_for_len[n])
        return 0;
    if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        return 0;
    *cp = c;
    return n;
}

bool fc_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned long cp;
    while (len > 0) {
        size_t n = utf8_decode(p, len, &cp);
        if (n == 0)
            return false;
        p += n;
        len -= n;
    }
    return true;
}

/* Every byte that does not continue a sequence starts a character; a stray
 * byte of broken input then counts as one, as a terminal shows it. */
size_t fc_utf8_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

void fc_strlcpy_utf8(char *out, const char *s, size_t cap)
{
    if (cap == 0)
        return;
    size_t n = strlen(s);
    if (n >= cap) {
        n = cap - 1;
        /* s[n] is the first byte left out: if it continues a character,
         * that character's head is in the copy and has to go too. */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s, n);
    out[n] = '\0';
}

/* Base letters for U+00C0..U+00DF (upper case; lower case U+00E0..U+00FE
 * sits 0x20 above). NULL: not a letter (×), passed through. */
static const char *const latin1_upper[32] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
};

/* Latin Extended-A comes in upper/lower pairs grouped by base letter. */
static const struct { unsigned short lo, hi; const char *base; } latin_ext_a[] = {
    { 0x100, 0x105, "a" }, { 0x106, 0x10D, "c" }, { 0x10E, 0x111, "d" },
    { 0x112, 0x11B, "e" }, { 0x11C, 0x123, "g" }, { 0x124, 0x127, "h" },
    { 0x128, 0x131, "i" }, { 0x132, 0x133, "ij" }, { 0x134, 0x135, "j" },
    { 0x136, 0x138, "k" }, { 0x139, 0x142, "l" }, { 0x143, 0x14B, "n" },
    { 0x14C, 0x151, "o" }, { 0x152, 0x153, "oe" }, { 0x154, 0x159, "r" },
    { 0x15A, 0x161, "s" }, { 0x162, 0x167, "t" }, { 0x168, 0x173, "u" },
    { 0x174, 0x175, "w" }, { 0x176, 0x178, "y" }, { 0x179, 0x17E, "z" },
    { 0x17F, 0x17F, "s" },
};

/* The ASCII a code point folds to, or NULL to keep its bytes as they are. */
static const char *fold_letter(unsigned long cp)
{
    if (cp < 0xC0)
        return NULL;       /* ASCII and the Latin-1 signs: the common case, at once */
    if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
        cp -= 0x20;
    if (cp >= 0xC0 && cp <= 0xDF)
        return latin1_upper[cp - 0xC0];
    if (cp == 0xFF)
        return "y";
    for (size_t i = 0; i < sizeof latin_ext_a / sizeof latin_ext_a[0]; i++)
        if (cp >= latin_ext_a[i].lo && cp <= latin_ext_a[i].hi)
            return latin_ext_a[i].base;
    return NULL;
}

struct fold_out {
    char *buf;
    size_t cap, len;
    bool full;
    bool a_pending;    /* the last 'a' written is the first of a possible "aa" */
};

/* Appends whole pieces only, so a UTF-8 sequence is never cut; "aa" is
 * written as one 'a' (the old spelling of å, as in Aabenraa). */
static void fold_put(struct fold_out *o, const char *piece, size_t n)
{
    if (o->full)
        return;
    if (n == 1 && piece[0] == 'a' && o->a_pending) {
        o->a_pending = false;
        return;
    }
    if (o->len + n >= o->cap) {
        o->full = true;
        return;
    }
    memcpy(o->buf + o->len, piece, n);
    o->len += n;
    o->a_pending = piece[n - 1] == 'a';
}

size_t fc_fold(const char *s, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    struct fold_out o = { .buf = out, .cap = cap };
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    while (left > 0 && !o.full) {
        if (*p < 0x80) {
            /* ASCII: lower case, nothing else to fold. */
            char c = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
            fold_put(&o, &c, 1);
            p++, left--;
            continue;
        }
        unsigned long cp;
        size_t n = utf8_decode(p, left, &cp);
        if (n == 0) {
            /* A broken byte cannot be typed into a search: drop it. */
            p++, left--;
            continue;
        }
        const char *base = fold_letter(cp);
        char c = (char)(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
        if (base)
            fold_put(&o, base, strlen(base));
        else if (n == 1)
            fold_put(&o, &c, 1);
        else
            fold_put(&o, (const char *)p, n);
        p += n;
        left -= n;
    }
    out[o.len] = '\0';
    return o.len;
}

bool fc_fold_contains(const char *folded_haystack, const char *folded_needle)
{
    return strstr(folded_haystack, folded_needle) != NULL;
}

/* Folding never makes a string longer (each replacement is at most as long
 * as the UTF-8 it replaces), so a key that fits here folds without loss. */
enum { LOOKUP_KEY_MAX = 64 };

int fc_fold_lookup(const char *s, const char *const *names, size_t n)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= LOOKUP_KEY_MAX)
        return -1;
    char key[LOOKUP_KEY_MAX], folded[LOOKUP_KEY_MAX], name[LOOKUP_KEY_MAX];
    memcpy(key, s, len);
    key[len] = '\0';
    fc_fold(key, folded, sizeof folded);
    for (size_t i = 0; i < n; i++) {
        fc_fold(names[i], name, sizeof name);
        if (strcmp(folded, name) == 0)
            return (int)i;
    }
    return -1;
}
