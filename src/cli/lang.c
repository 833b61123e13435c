/* The language of every message: Danish unless FITCASE_LANG says
 * otherwise (en), since the teams' servers and thin clients often run
 * LANG=en_US or C. The catalogue is found installed or, for an
 * uninstalled build, in locale/ beside src/. */
#include <config.h>

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fitcase/i18n.h"

static bool has_catalog(const char *dir)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/da/LC_MESSAGES/%s.mo", dir, PACKAGE);
    return access(path, R_OK) == 0;
}

/* FITCASE_LOCALEDIR, else the build tree's catalogue when this binary is
 * a build tree's (locale/ beside src/, made by make), else the installed
 * one: an uninstalled build speaks its own messages, even with an older
 * fitcase installed at the same prefix. */
static void bind_catalog(void)
{
    /* Not from the environment of a setgid run: a catalogue supplies
     * format strings. */
    const char *dir = secure_getenv("FITCASE_LOCALEDIR");
    char exe[PATH_MAX], built[PATH_MAX + 16];
    if (!dir || !*dir) {
        dir = LOCALEDIR;
        /* Never beside the binary in a setgid run: a hard link to it in
         * a user's directory would bring the user's catalogue along. */
        bool setid = getgid() != getegid() || getuid() != geteuid();
        ssize_t n = setid ? -1 : readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0) {
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

void cli_choose_language(void)
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

