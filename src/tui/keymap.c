/* The request table expanded into data, key lookup and key names. */
#include <config.h>

#include <stdio.h>

#include "fitcase/i18n.h"
#include "tui.h"

const struct request_info tui_requests[REQ_COUNT] = {
#define R(id, name, in, hint, help, k1, k2, k3) { name, in, hint, help, { k1, k2, k3 } },
    TUI_REQUESTS(R)
#undef R
};

enum request tui_key_request(int key)
{
    if (key <= 0)
        return REQ_NONE;
    for (int r = 0; r < REQ_COUNT; r++)
        for (int k = 0; k < 3; k++)
            if (tui_requests[r].keys[k] == key)
                return (enum request)r;
    return REQ_NONE;
}

/* Key names as the hints and the help show them; the arrows and Space
 * in the user's language (context "key"), the rest as keyboards label them. */
static const struct { int key; const char *name; } named_keys[] = {
    { TK_FN(KEY_UP), NP_("key", "Up") },       { TK_FN(KEY_DOWN), NP_("key", "Down") },
    { TK_FN(KEY_LEFT), NP_("key", "Left") },   { TK_FN(KEY_RIGHT), NP_("key", "Right") },
    { TK_FN(KEY_PPAGE), "PgUp" },    { TK_FN(KEY_NPAGE), "PgDn" },
    { TK_FN(KEY_HOME), "Home" },     { TK_FN(KEY_END), "End" },
    { TK_FN(KEY_ENTER), "Enter" },   { TK_FN(KEY_BTAB), "S-Tab" },
    { TK_FN(KEY_BACKSPACE), "BS" },  { TK_FN(KEY_DC), "Del" },
    { TK_FN(KEY_RESIZE), "Resize" },
    { '\r', "Enter" }, { '\n', "C-j" }, { '\t', "Tab" }, { TK_ESC, "Esc" },
    { ' ', NP_("key", "Space") }, { 127, "BS" },
};

const char *tui_key_name(int key, char *buf, size_t cap)
{
    for (size_t i = 0; i < sizeof named_keys / sizeof named_keys[0]; i++)
        if (named_keys[i].key == key) {
            char id[32];
            snprintf(id, sizeof id, "key\004%s", named_keys[i].name);
            snprintf(buf, cap, "%s", fc_pgettext(id, named_keys[i].name));
            return buf;
        }
    if (key > 0 && key < 32)
        snprintf(buf, cap, "C-%c", key + 'a' - 1);
    else if (key >= TK_FN(KEY_F(1)) && key <= TK_FN(KEY_F(12)))
        snprintf(buf, cap, "F%d", key - TK_FN(KEY_F(0)));
    else if (key > 32 && key < 127)
        snprintf(buf, cap, "%c", key);
    else
        snprintf(buf, cap, "U+%04X", (unsigned)key);
    return buf;
}
