/* `fitcase [tui]`: opens the store and hands it to the interactive screen.
 * FITCASE_SCRIPT=FILE runs it headless for the screen tests.
 * The screen speaks Danish unless FITCASE_LANG says otherwise (en): the
 * teams' thin clients often run LANG=en_US or C. */
#include <config.h>

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <langinfo.h>
#include <string.h>
#include <unistd.h>

#include "../cli/cli.h"
#include "fitcase/i18n.h"
#include "fitcase/tui.h"

static bool has_catalog(const char *dir)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/da/LC_MESSAGES/%s.mo", dir, PACKAGE);
    return access(path, R_OK) == 0;
}

/* FITCASE_LOCALEDIR, else the installed catalogue, else the build tree's
 * (locale/ beside src/, made by make) so an uninstalled build speaks too. */
static void bind_catalog(void)
{
    /* Not from the environment of a setgid run: a catalogue supplies
     * format strings. */
    const char *dir = secure_getenv("FITCASE_LOCALEDIR");
    char exe[PATH_MAX], built[PATH_MAX + 16];
    if (!dir || !*dir) {
        dir = LOCALEDIR;
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (!has_catalog(dir) && n > 0) {
            exe[n] = '\0';
            char *slash = strrchr(exe, '/');
            if (slash) {
                *slash = '\0';
                snprintf(built, sizeof built, "%s/../locale", exe);
                if (has_catalog(built))
                    dir = built;
            }
        }
    }
    bindtextdomain(PACKAGE, dir);
    /* The screen code takes UTF-8 and makes ASCII itself where needed. */
    bind_textdomain_codeset(PACKAGE, "UTF-8");
}

static void choose_language(void)
{
    const char *lang = getenv("FITCASE_LANG");
    if (!lang || !*lang)
        lang = "da";
    setenv("LANGUAGE", lang, 1);
    /* gettext ignores LANGUAGE in the C locale; C.UTF-8 is not "C". */
    const char *msgs = setlocale(LC_MESSAGES, NULL);
    if (msgs && (strcmp(msgs, "C") == 0 || strcmp(msgs, "POSIX") == 0))
        setlocale(LC_MESSAGES, "C.UTF-8");
    bind_catalog();
}

int cmd_tui(struct cli *c, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return cli_usage("[--db DIR] [--user LOGIN] [tui]");
    choose_language();
    /* In a UTF-8 locale, draw lines with Unicode box characters instead of
     * the VT100 line-drawing set: PuTTY and several thin-client terminals
     * ignore the set switch in UTF-8 mode and show "qqqq" for a line. */
    const char *cs = nl_langinfo(CODESET);
    if (cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0))
        setenv("NCURSES_NO_UTF8_ACS", "1", 0);
    if (cli_open(c, false) != 0)
        return 1;
    /* secure_getenv: the binary may be setgid to the store's group, and a
     * script writes its dumps wherever it says. */
    const char *script = secure_getenv("FITCASE_SCRIPT");
    struct fc_tui_opts opts = {
        .login = c->user,
        .today = cli_today(),
        .script = script && *script ? script : NULL,
    };
    struct fc_err err = { 0 };
    if (fc_tui_run(c->st, &opts, &err) != FC_OK)
        return cli_fail(c, &err);
    return 0;
}
