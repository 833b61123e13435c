/* Draft text: one record per line, values escaped, unknown lines refused
 * so a damaged file is never half-read into a form. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/draft.h"

static const char magic[] = "fitcase-draft 1";

static char *dup_str(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

bool fc_draft_set(struct fc_draft *d, const char *key, const char *value)
{
    char *v = dup_str(value, strlen(value));
    if (!v)
        return false;
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->fields[i].key, key) == 0) {
            free(d->fields[i].value);
            d->fields[i].value = v;
            return true;
        }
    struct fc_draft_field *f = realloc(d->fields, (d->n + 1) * sizeof *f);
    char *k = dup_str(key, strlen(key));
    if (!f || !k) {
        if (f)
            d->fields = f;
        free(k);
        free(v);
        return false;
    }
    d->fields = f;
    d->fields[d->n].key = k;
    d->fields[d->n].value = v;
    d->n++;
    return true;
}

const char *fc_draft_get(const struct fc_draft *d, const char *key)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->fields[i].key, key) == 0)
            return d->fields[i].value;
    return NULL;
}

void fc_draft_free(struct fc_draft *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->fields[i].key);
        free(d->fields[i].value);
    }
    free(d->fields);
    d->fields = NULL;
    d->n = 0;
}

struct buf {
    char *p;
    size_t len, cap;
    bool oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 1024) + n;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void put_escaped(struct buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': put(b, "\\\\", 2); break;
        case '\n': put(b, "\\n", 2); break;
        case '\r': put(b, "\\r", 2); break;
        default:   put(b, s, 1); break;
        }
    }
}

static bool key_ok(const char *k)
{
    if (!*k)
        return false;
    for (; *k; k++)
        if (*k <= ' ' || *k == '\\' || *k == 0x7f)
            return false;
    return true;
}

int fc_draft_format(const struct fc_draft *d, char **out, size_t *len, struct fc_err *err)
{
    struct buf b = { 0 };
    char line[128];
    put(&b, magic, strlen(magic));
    put(&b, "\nform ", 6);
    put_escaped(&b, d->form);
    put(&b, "\nstore ", 7);
    put_escaped(&b, d->store);
    int n = snprintf(line, sizeof line, "\ncase %u\nversion %u\ncurrent %d\n",
                     (unsigned)d->case_id, (unsigned)d->version, d->current);
    put(&b, line, (size_t)n);
    for (size_t i = 0; i < d->n; i++) {
        if (!key_ok(d->fields[i].key)) {
            free(b.p);
            err->code = FC_EINVAL;
            snprintf(err->msg, sizeof err->msg, "draft field name \"%s\" is not usable",
                     d->fields[i].key);
            return err->code;
        }
        put(&b, "field ", 6);
        put(&b, d->fields[i].key, strlen(d->fields[i].key));
        put(&b, " ", 1);
        put_escaped(&b, d->fields[i].value);
        put(&b, "\n", 1);
    }
    if (b.oom) {
        free(b.p);
        err->code = FC_EFULL;
        snprintf(err->msg, sizeof err->msg, "out of memory writing the draft");
        return err->code;
    }
    *out = b.p;
    *len = b.len;
    return FC_OK;
}

/* Unescapes s[0..n) into a new string; NULL on a bad escape or no memory. */
static char *unescape(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    size_t o = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            out[o++] = s[i];
            continue;
        }
        if (++i == n) {
            free(out);
            return NULL;
        }
        switch (s[i]) {
        case '\\': out[o++] = '\\'; break;
        case 'n':  out[o++] = '\n'; break;
        case 'r':  out[o++] = '\r'; break;
        default:
            free(out);
            return NULL;
        }
    }
    out[o] = '\0';
    return out;
}

static int bad(struct fc_err *err, int lineno, const char *what)
{
    err->code = FC_EINVAL;
    snprintf(err->msg, sizeof err->msg, "draft line %d: %s", lineno, what);
    return err->code;
}

static bool number(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return false;
    *out = strtoul(s, &end, 10);
    return *end == '\0' && *out <= max;
}

int fc_draft_parse(const char *text, size_t len, struct fc_draft *d, struct fc_err *err)
{
    int lineno = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        lineno++;
        char *line = dup_str(p, n);
        p += n + (nl != NULL);
        if (!line)
            return bad(err, lineno, "out of memory");
        int rc = FC_OK;
        char *sp = strchr(line, ' ');
        char *arg = sp ? sp + 1 : NULL;
        if (sp)
            *sp = '\0';
        unsigned long v;
        if (lineno == 1) {
            if (!arg || strcmp(line, "fitcase-draft") != 0 || strcmp(arg, "1") != 0)
                rc = bad(err, lineno, "not a fitcase draft");
        } else if (!arg) {
            rc = bad(err, lineno, "no value");
        } else if (strcmp(line, "form") == 0 || strcmp(line, "store") == 0) {
            char *s = unescape(arg, strlen(arg));
            bool form = line[0] == 'f';
            size_t cap = form ? sizeof d->form : sizeof d->store;
            if (!s || strlen(s) >= cap)
                rc = bad(err, lineno, "bad form or store");
            else
                memcpy(form ? d->form : d->store, s, strlen(s) + 1);
            free(s);
        } else if (strcmp(line, "case") == 0 && number(arg, UINT32_MAX, &v)) {
            d->case_id = (fc_id)v;
        } else if (strcmp(line, "version") == 0 && number(arg, UINT32_MAX, &v)) {
            d->version = (uint32_t)v;
        } else if (strcmp(line, "current") == 0 && number(arg, 10000, &v)) {
            d->current = (int)v;
        } else if (strcmp(line, "field") == 0) {
            char *sp2 = strchr(arg, ' ');
            char *val = sp2 ? unescape(sp2 + 1, strlen(sp2 + 1)) : NULL;
            if (sp2)
                *sp2 = '\0';
            if (!val || !key_ok(arg))
                rc = bad(err, lineno, "bad field");
            else if (!fc_draft_set(d, arg, val))
                rc = bad(err, lineno, "out of memory");
            free(val);
        } else {
            rc = bad(err, lineno, "unknown line");
        }
        free(line);
        if (rc != FC_OK)
            return rc;
    }
    if (lineno == 0)
        return bad(err, 1, "empty draft");
    return FC_OK;
}
