/* Drafts on disk: $XDG_STATE_HOME/fitcase/drafts/LOGIN.draft (else
 * ~/.local/state/...), mode 0600, written whole to a temporary file and
 * renamed, so a second hangup never leaves half a draft. Written by the
 * main loop after SIGHUP, never by the signal handler. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "fitcase/store.h"
#include "form.h"

static const char *const kind_codes[FORM_KIND_COUNT] = {
    "case-new", "case", "phase", "meeting", "absence", "import",
};

const char *form_kind_code(enum form_kind k)
{
    return k < FORM_KIND_COUNT ? kind_codes[k] : "";
}

int form_kind_lookup(const char *s)
{
    for (int i = 0; i < FORM_KIND_COUNT; i++)
        if (strcmp(kind_codes[i], s) == 0)
            return i;
    return -1;
}

/* Drafts are the user's own files, in a directory the user names
 * (XDG_STATE_HOME): a setgid fitcase reads and writes them with the
 * user's rights, not the store's group's (cli_priv_drop), so a draft path
 * (or a link on the way) can never reach a file only that group may touch. */
static struct cli_priv priv;
static void as_user(void) { cli_priv_drop(&priv); }
static void as_program(void) { cli_priv_restore(&priv); }

/* The drafts directory, made (0700) when make is set. */
static bool draft_dir(char *out, size_t cap, bool make)
{
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    int n;
    if (state && state[0] == '/')
        n = snprintf(out, cap, "%s/fitcase/drafts", state);
    else if (home && home[0])
        n = snprintf(out, cap, "%s/.local/state/fitcase/drafts", home);
    else
        return false;
    if (n < 0 || (size_t)n >= cap)
        return false;
    if (!make)
        return true;
    for (char *p = out + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(out, 0700);
            *p = '/';
        }
    return mkdir(out, 0700) == 0 || errno == EEXIST;
}

static bool draft_path(struct tui *t, char *out, size_t cap, bool make)
{
    char dir[PATH_MAX];
    const char *login = t->opts->login && t->opts->login[0] ? t->opts->login : "unknown";
    if (strchr(login, '/') || !draft_dir(dir, sizeof dir, make))
        return false;
    int n = snprintf(out, cap, "%s/%s.draft", dir, login);
    return n > 0 && (size_t)n < cap;
}

static void store_id(struct tui *t, char out[1024])
{
    char real[PATH_MAX];
    const char *p = fc_store_path(t->st);
    const char *s = realpath(p, real) ? real : p;
    size_t n = strlen(s);
    if (n > 1023)
        n = 1023;
    memcpy(out, s, n);
    out[n] = '\0';
}

int draft_write(struct tui *t, const struct form *fm)
{
    struct fc_draft d = { 0 };
    struct fc_err err = { 0 };
    snprintf(d.form, sizeof d.form, "%s", form_kind_code(fm->kind));
    store_id(t, d.store);
    d.case_id = fm->case_id;
    d.version = fm->base.version;
    d.current = fm->cur;
    char arg[16];
    snprintf(arg, sizeof arg, "%d", fm->arg);
    bool ok = fc_draft_set(&d, "_arg", arg);
    for (int i = 0; ok && i < fm->n; i++)
        ok = fc_draft_set(&d, fm->f[i].key, fm->f[i].ed.buf);
    char path[PATH_MAX], tmp[PATH_MAX + 8];
    char *text = NULL;
    size_t len = 0;
    int rc = -1;
    as_user();
    if (ok && draft_path(t, path, sizeof path, true) &&
        fc_draft_format(&d, &text, &len, &err) == FC_OK) {
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            size_t off = 0;
            while (off < len) {
                ssize_t w = write(fd, text + off, len - off);
                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0)
                    break;
                off += (size_t)w;
            }
            bool good = off == len && fsync(fd) == 0;
            if (close(fd) == 0 && good && rename(tmp, path) == 0)
                rc = 0;
            else
                unlink(tmp);
        }
    }
    as_program();
    free(text);
    fc_draft_free(&d);
    return rc;
}

bool draft_read(struct tui *t, struct fc_draft *d)
{
    char path[PATH_MAX];
    if (!draft_path(t, path, sizeof path, false))
        return false;
    as_user();
    FILE *f = fopen(path, "r");
    as_program();
    if (!f)
        return false;
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 > cap) {
            char *p = realloc(text, cap = cap * 2 + 8192);
            if (!p)
                break;
            text = p;
        }
        size_t n = fread(text + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);
    struct fc_err err = { 0 };
    char store[1024];
    store_id(t, store);
    bool ok = text && fc_draft_parse(text, len, d, &err) == FC_OK && strcmp(d->store, store) == 0 &&
              form_kind_lookup(d->form) >= 0;
    free(text);
    if (!ok)
        fc_draft_free(d);
    return ok;
}

void draft_remove(struct tui *t)
{
    char path[PATH_MAX];
    if (draft_path(t, path, sizeof path, false)) {
        as_user();
        unlink(path);
        as_program();
    }
}

void draft_apply(struct form *fm, const struct fc_draft *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->fields[i].key[0] != '_')
            form_set(fm, d->fields[i].key, d->fields[i].value);
    if (d->current >= 0 && d->current < fm->n)
        fm->cur = d->current;
    /* The version the typing started from: a save after someone else's
     * meets the conflict dialog instead of overwriting it. */
    if (fm->case_id && (fm->kind == FORM_CASE_EDIT || fm->kind == FORM_PHASE))
        fm->base.version = d->version;
    for (int i = 0; i < fm->n; i++)
        if (fm->f[i].ed.buf[0])
            fm->f[i].err[0] = '\0';
}
