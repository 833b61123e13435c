/* Phase models are data: the three shipped ones below, and the teams' own,
 * held to the same rules by fc_phase_model_validate. Deadlines count in
 * calendar days from the concern; docs/phases.md says which seed fixes
 * which deadline and which are our defaults. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "fitcase/err.h"
#include "fitcase/i18n.h"
#include "fitcase/phase.h"

static const struct fc_phase_model builtin[] = {
    { .id = "fit", .name = "FIT-forløb", .nphases = 4, .phases = {
        { "Forberedende/indledende", 14 },
        { "Relationel", 35 },
        { "Undersøgende", 63 },
        { "Inkluderende/overdragende", 90 },
    } },
    { .id = "roskilde", .name = "Roskilde forløbspakker", .nphases = 4, .phases = {
        { "Opsporing", 14 },
        { "Kortlægning", 42 },
        { "Handleplan og indsatser", 56 },
        { "Opfølgning", 112 },
    } },
    { .id = "national", .name = "National model (kerneelementer)", .nphases = 4, .phases = {
        { "Samarbejde", 14 },
        { "Opsporing", 28 },
        { "Kortlægning", 56 },
        { "Handlemuligheder", 90 },
    } },
};

size_t fc_builtin_model_count(void)
{
    return sizeof builtin / sizeof builtin[0];
}

const struct fc_phase_model *fc_builtin_model(size_t i)
{
    return i < fc_builtin_model_count() ? &builtin[i] : NULL;
}

const struct fc_phase_model *fc_builtin_model_find(const char *id)
{
    for (size_t i = 0; i < fc_builtin_model_count(); i++)
        if (strcmp(builtin[i].id, id) == 0)
            return &builtin[i];
    return NULL;
}


/* Ten years: beyond that a deadline is a typo, and date arithmetic on it
 * could leave the range of fc_date. */
enum { DEADLINE_MAX = 3653 };

static bool blank(const char *s, size_t cap)
{
    for (size_t i = 0; i < cap && s[i]; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* Deadlines may be left out for a phase (-1), but the ones given must not
 * go back: a later phase cannot be due before an earlier one. */
int fc_phase_model_validate(const struct fc_phase_model *m, struct fc_err *err)
{
    if (blank(m->id, sizeof m->id))
        return fc_fail(err, FC_EINVAL, _("the phase model has no id"));
    if (!memchr(m->id, '\0', sizeof m->id) || !memchr(m->name, '\0', sizeof m->name))
        return fc_fail(err, FC_EINVAL, _("phase model '%.*s': the id or name is too long"),
                    (int)sizeof m->id, m->id);
    if (m->nphases < 1 || m->nphases > FC_PHASES_MAX)
        return fc_fail(err, FC_EINVAL, _("phase model '%s' has %d phases; a model has 1-%d"),
                    m->id, m->nphases, FC_PHASES_MAX);
    int prev = -1, prev_phase = 0;
    for (int p = 0; p < m->nphases; p++) {
        const struct fc_phase_def *ph = &m->phases[p];
        if (!memchr(ph->name, '\0', sizeof ph->name) || blank(ph->name, sizeof ph->name))
            return fc_fail(err, FC_EINVAL, _("phase model '%s': phase %d needs a name (up to %d bytes)"),
                        m->id, p + 1, (int)sizeof ph->name - 1);
        if (ph->deadline_days < -1 || ph->deadline_days > DEADLINE_MAX)
            return fc_fail(err, FC_EINVAL, _("phase model '%s': phase %d (%s) has deadline %ld; "
                               "give 0-%d days from the concern, or -1 for none"),
                        m->id, p + 1, ph->name, (long)ph->deadline_days, DEADLINE_MAX);
        if (ph->deadline_days < 0)
            continue;
        if (ph->deadline_days < prev)
            return fc_fail(err, FC_EINVAL, _("phase model '%s': phase %d (%s) is due after %ld days, "
                               "earlier than phase %d (%d days)"),
                        m->id, p + 1, ph->name, (long)ph->deadline_days, prev_phase, prev);
        prev = ph->deadline_days;
        prev_phase = p + 1;
    }
    return FC_OK;
}

bool fc_phase_deadline(const struct fc_phase_model *m, int p, fc_date concern,
                       fc_date *deadline)
{
    if (p < 0 || p >= m->nphases || concern == FC_DATE_NONE
        || m->phases[p].deadline_days < 0)
        return false;
    *deadline = concern + m->phases[p].deadline_days;
    return true;
}

bool fc_case_days_left(const struct fc_phase_model *m, const struct fc_case *c,
                       fc_date today, int *days_left)
{
    fc_date deadline;
    if (c->status == FC_CASE_CLOSED
        || !fc_phase_deadline(m, c->phase, c->concern_date, &deadline))
        return false;
    *days_left = deadline - today;
    return true;
}
