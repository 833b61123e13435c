/* The settings as one table: name, place in the struct, default and the
 * range a team may choose, so defaults, listing and checks cannot drift. */
#include <config.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fitcase/err.h"
#include "fitcase/i18n.h"
#include "fitcase/settings.h"

struct setting {
    const char *name;
    size_t offset;
    int def, min, max;
};

#define S(field, def, min, max) \
    { #field, offsetof(struct fc_settings, field), def, min, max }

/* Scores are tenths of 0-40; ages in years; day counts in days or school
 * days. A quarter holds at most 66 weekdays, so tiers stop there. */
static const struct setting table[] = {
    S(ors_cutoff_child, 320, 0, 400),
    S(ors_cutoff_youth, 280, 0, 400),
    S(ors_cutoff_adult, 250, 0, 400),
    S(youth_from_age, 13, 1, 30),
    S(adult_from_age, 18, 1, 30),
    S(srs_cutoff, 360, 0, 400),
    S(reliable_change, 50, 1, 400),
    S(cohort_window, 30, 0, 400),
    S(cohort_min, 10, 1, 10000),
    S(no_ors_days, 30, 1, 365),
    S(srs_drop, 10, 1, 400),
    S(srs_max_streak, 3, 2, 100),
    S(fit_consecutive, 5, 1, 60),
    S(fit_of_20, 7, 1, 20),
    S(fit_of_60, 15, 1, 60),
    S(tier_early, 5, 1, 66),
    S(tier_worrying, 11, 1, 66),
    S(tier_massive, 21, 1, 66),
    S(retention_days, 1825, 0, 36500),
};

#undef S

enum { NSETTINGS = sizeof table / sizeof table[0] };

static int *field(struct fc_settings *s, size_t i)
{
    return (int *)((char *)s + table[i].offset);
}

static int value_at(const struct fc_settings *s, size_t offset)
{
    return *(const int *)((const char *)s + offset);
}

static int find(const char *name)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        if (strcmp(table[i].name, name) == 0)
            return (int)i;
    return -1;
}


void fc_settings_default(struct fc_settings *s)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < NSETTINGS; i++)
        *field(s, i) = table[i].def;
}

size_t fc_settings_count(void)
{
    return NSETTINGS;
}

const char *fc_settings_name(size_t i)
{
    return i < NSETTINGS ? table[i].name : NULL;
}

int fc_settings_get(const struct fc_settings *s, const char *name, int *value)
{
    int i = find(name);
    if (i < 0)
        return FC_ENOTFOUND;
    *value = value_at(s, table[i].offset);
    return FC_OK;
}

/* Pairs whose order the rules rely on: an age band or a tier that starts
 * before the one below it would make the bands overlap. */
static const struct { const char *low, *high; size_t lo_off, hi_off; } ordered[] = {
    { "youth_from_age", "adult_from_age", offsetof(struct fc_settings, youth_from_age),
      offsetof(struct fc_settings, adult_from_age) },
    { "tier_early", "tier_worrying", offsetof(struct fc_settings, tier_early),
      offsetof(struct fc_settings, tier_worrying) },
    { "tier_worrying", "tier_massive", offsetof(struct fc_settings, tier_worrying),
      offsetof(struct fc_settings, tier_massive) },
};

static int check_order(const struct fc_settings *s, struct fc_err *err)
{
    for (size_t k = 0; k < sizeof ordered / sizeof ordered[0]; k++) {
        int lo = value_at(s, ordered[k].lo_off), hi = value_at(s, ordered[k].hi_off);
        if (lo >= hi)
            return fc_fail(err, FC_EINVAL, _("%s (%d) must be below %s (%d)"),
                        ordered[k].low, lo, ordered[k].high, hi);
    }
    return FC_OK;
}

int fc_settings_set(struct fc_settings *s, const char *name, int value,
                    struct fc_err *err)
{
    int i = find(name);
    if (i < 0)
        return fc_fail(err, FC_ENOTFOUND, _("there is no setting named '%.64s'"), name);
    const struct setting *t = &table[i];
    if (value < t->min || value > t->max)
        return fc_fail(err, FC_EINVAL, _("%s %d is out of range; it runs %d-%d"),
                    t->name, value, t->min, t->max);
    struct fc_settings next = *s;
    *field(&next, (size_t)i) = value;
    int rc = check_order(&next, err);
    if (rc == FC_OK)
        *s = next;
    return rc;
}
