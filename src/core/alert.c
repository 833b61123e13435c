/* The alert rules of a case (alert.h has each rule and its boundary). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/alert.h"
#include "fitcase/i18n.h"
#include "fitcase/phase.h"
#include "fitcase/score.h"

static const char *const codes[FC_ALERT_KIND_COUNT] = {
    "ors-below-cutoff", "off-track", "deterioration", "srs-below-cutoff",
    "srs-drop", "srs-always-max", "no-ors", "phase-overdue",
};

const char *fc_alert_code(enum fc_alert_kind k)
{
    return (unsigned)k < FC_ALERT_KIND_COUNT ? codes[k] : "?";
}

struct sink {
    struct fc_alert *out;
    size_t cap;
    int n;
};

static void emit(struct sink *sk, enum fc_alert_kind kind, const struct fc_rating *r,
                 int value, int limit, fc_date date)
{
    if ((size_t)sk->n < sk->cap) {
        struct fc_alert *a = &sk->out[sk->n];
        memset(a, 0, sizeof *a);
        a->kind = (uint8_t)kind;
        if (r) {
            a->scale = r->scale;
            a->rater = r->rater;
            snprintf(a->rater_name, sizeof a->rater_name, "%s", r->rater_name);
        }
        a->value = value;
        a->limit = limit;
        a->date = date;
    }
    sk->n++;
}

/* The rules that look at one series: r[0..n-1] in date order. */
static void series_rules(const struct fc_alert_input *in, enum fc_alert_kind kind,
                         const struct fc_rating *r, size_t n, struct sink *sk)
{
    const struct fc_settings *s = in->settings;
    const struct fc_rating *last = &r[n - 1];
    bool outcome = fc_scale_is_outcome(r->scale);
    switch (kind) {
    case FC_ALERT_ORS_BELOW_CUTOFF:
        if (outcome) {
            int cut = fc_cutoff(s, r->scale, in->birth, last->date);
            if (fc_below_cutoff(last->total, cut))
                emit(sk, kind, last, last->total, cut, last->date);
        }
        break;
    case FC_ALERT_OFF_TRACK:
        /* The lower boundary at this series' meeting number n - 1. */
        if (outcome && in->cohort && n >= 2 && n - 1 < FC_COHORT_POINTS) {
            int band = fc_age_band(s, in->birth, r[0].date), lower;
            if (fc_expected_lower_at(s, in->cohort, in->c->id, r->scale, band, r[0].total,
                                     (int)n - 1, &lower)
                && last->total < lower)
                emit(sk, kind, last, last->total, lower, last->date);
        }
        break;
    case FC_ALERT_DETERIORATION:
        if (outcome && n >= 2
            && fc_reliable_change(s, r[0].total, last->total) == FC_CHANGE_DETERIORATED)
            emit(sk, kind, last, last->total - r[0].total, -s->reliable_change, last->date);
        break;
    case FC_ALERT_SRS_BELOW_CUTOFF:
        if (!outcome && last->total < s->srs_cutoff)
            emit(sk, kind, last, last->total, s->srs_cutoff, last->date);
        break;
    case FC_ALERT_SRS_DROP:
        if (!outcome && n >= 2 && r[n - 2].total - last->total >= s->srs_drop)
            emit(sk, kind, last, last->total - r[n - 2].total, -s->srs_drop, last->date);
        break;
    case FC_ALERT_SRS_ALWAYS_MAX:
        if (!outcome && s->srs_max_streak > 0 && n >= (size_t)s->srs_max_streak) {
            bool all = true;
            for (size_t i = n - (size_t)s->srs_max_streak; i < n; i++)
                all = all && r[i].total == 400;
            if (all)
                emit(sk, kind, last, s->srs_max_streak, s->srs_max_streak, last->date);
        }
        break;
    default:
        break;
    }
}

static void case_rules(const struct fc_alert_input *in, enum fc_alert_kind kind,
                       const struct fc_rating *r, size_t n, struct sink *sk)
{
    const struct fc_case *c = in->c;
    if (c->status != FC_CASE_OPEN)
        return;
    if (kind == FC_ALERT_NO_ORS) {
        fc_date since = c->concern_date;
        for (size_t i = 0; i < n; i++)
            if (fc_scale_is_outcome(r[i].scale) && (since == FC_DATE_NONE || r[i].date > since))
                since = r[i].date;
        if (since != FC_DATE_NONE && in->today - since >= in->settings->no_ors_days)
            emit(sk, kind, NULL, in->today - since, in->settings->no_ors_days, since);
    } else if (kind == FC_ALERT_PHASE_OVERDUE && in->model) {
        int left;
        if (fc_case_days_left(in->model, c, in->today, &left) && left < 0)
            emit(sk, kind, NULL, -left, 0, in->today + left);
    }
}

int fc_alerts_eval(const struct fc_alert_input *in, struct fc_alert *out, size_t cap)
{
    struct sink sk = { out, cap, 0 };
    struct fc_rating *copy = NULL;
    const struct fc_rating *r = in->ratings;
    size_t n = in->nratings, nseries = 0, *ends = NULL;
    if (n) {
        ends = malloc(n * sizeof *ends);
        if (!ends)
            return -1;
        if (!in->sorted) {
            copy = malloc(n * sizeof *copy);
            if (!copy) {
                free(ends);
                return -1;
            }
            memcpy(copy, r, n * sizeof *copy);
            fc_ratings_sort_series(copy, n);
            r = copy;
        }
        /* Where each series ends, found once for all the rules. */
        for (size_t i = 1; i <= n; i++)
            if (i == n || !fc_same_series(&r[i - 1], &r[i]))
                ends[nseries++] = i;
    }
    for (int kind = 0; kind < FC_ALERT_KIND_COUNT; kind++) {
        if (kind == FC_ALERT_NO_ORS || kind == FC_ALERT_PHASE_OVERDUE) {
            case_rules(in, kind, r, n, &sk);
            continue;
        }
        for (size_t j = 0, i = 0; j < nseries; i = ends[j++])
            series_rules(in, kind, &r[i], ends[j] - i, &sk);
    }
    free(copy);
    free(ends);
    return sk.n;
}

unsigned fc_alerts_mask(const struct fc_alert *a, size_t n)
{
    unsigned m = 0;
    for (size_t i = 0; i < n; i++)
        m |= 1u << a[i].kind;
    return m;
}

static void tenths(int t, char buf[static 8])
{
    fc_tenths_format(t < 0 ? -t : t, '.', buf);
}

void fc_alert_describe(const struct fc_alert *a, char *buf, size_t cap)
{
    char who[FC_NAME_MAX + 32], v[8], l[8];
    /* The rater in the reader's language: the codes are also the msgids
     * of the screen's rater names ("child" is "barn"). */
    const char *rater = _(fc_rater_code(a->rater));
    if (a->rater_name[0])
        snprintf(who, sizeof who, "%s (%s)", a->rater_name, rater);
    else
        snprintf(who, sizeof who, "%s", rater);
    tenths(a->value, v);
    tenths(a->limit, l);
    const char *scale = fc_scale_code(a->scale);
    switch (a->kind) {
    case FC_ALERT_ORS_BELOW_CUTOFF:
        snprintf(buf, cap, _("%s: latest %s %s is below the cut-off %s"), who, scale, v, l);
        break;
    case FC_ALERT_OFF_TRACK:
        snprintf(buf, cap, _("%s: latest %s %s is below the expected lower boundary %s (not on track)"),
                 who, scale, v, l);
        break;
    case FC_ALERT_DETERIORATION:
        snprintf(buf, cap, _("%s: %s fell %s since the first score (reliable deterioration)"),
                 who, scale, v);
        break;
    case FC_ALERT_SRS_BELOW_CUTOFF:
        snprintf(buf, cap, _("%s: latest %s %s is below %s"), who, scale, v, l);
        break;
    case FC_ALERT_SRS_DROP:
        snprintf(buf, cap, _("%s: %s fell %s since the last meeting"), who, scale, v);
        break;
    case FC_ALERT_SRS_ALWAYS_MAX:
        snprintf(buf, cap, _("%s: %s 40 at each of the last %d meetings; the feedback may not be real"),
                 who, scale, a->value);
        break;
    case FC_ALERT_NO_ORS:
        snprintf(buf, cap, _("no ORS for %d days"), a->value);
        break;
    case FC_ALERT_PHASE_OVERDUE:
        snprintf(buf, cap, _("the phase is %d days past its deadline"), a->value);
        break;
    default:
        snprintf(buf, cap, "?");
    }
}
