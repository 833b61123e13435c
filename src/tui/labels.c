/* What the screen calls the domain's codes, through gettext. */
#include <config.h>

#include "fitcase/absence.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/score.h"
#include "tui.h"

const char *label_rater(int rater)
{
    static const char *const names[FC_RATER_COUNT] = {
        N_("child"), N_("mother"), N_("father"), N_("guardian"),
        N_("teacher"), N_("pedagogue"), N_("caseworker"), N_("other"),
    };
    return rater >= 0 && rater < FC_RATER_COUNT ? _(names[rater]) : "?";
}

const char *label_meeting_kind(int kind)
{
    static const char *const names[FC_MEET_KIND_COUNT] = {
        N_("Enrolment conversation"), N_("Start-up conversation"),
        N_("Parent conversation"), N_("Development talk"), N_("Home visit"),
        N_("Network meeting"), N_("Action-plan meeting"), N_("Status meeting"),
        N_("Phone or acute conversation"),
    };
    return kind >= 0 && kind < FC_MEET_KIND_COUNT ? _(names[kind]) : "?";
}

const char *label_tier(int tier)
{
    static const char *const names[] = {
        N_("none"), N_("early intervention"), N_("worrying"), N_("massive"),
    };
    return tier >= FC_TIER_NONE && tier <= FC_TIER_MASSIVE ? _(names[tier]) : "?";
}

/* Users read dd-mm-yyyy. */
void format_date(fc_date d, char buf[static 11])
{
    fc_date_format_dk(d, buf);
}

void format_tenths(int tenths, char buf[static 8])
{
    fc_tenths_format(tenths, '.', buf);
}
