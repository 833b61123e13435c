/* From a case's ratings to chart data: meetings as x positions, one series
 * per rater and scale, cut-offs per meeting, change markers and the
 * expected curve. Pure: the store loader (chart_load.c) feeds it. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fitcase/chart.h"
#include "fitcase/i18n.h"
#include "fitcase/score.h"

static int cmp_by_meeting(const void *a, const void *b)
{
    const struct fc_rating *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    if (x->meeting_id != y->meeting_id)
        return x->meeting_id < y->meeting_id ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Meetings with ratings become the x positions; with more than
 * FC_CHART_SLOTS the latest are kept. meeting[] maps slot -> meeting id. */
static void build_slots(const struct fc_chart_input *in, struct fc_rating *r,
                        struct fc_chart *ch, fc_id *meeting)
{
    if (in->nratings > 1)
        qsort(r, in->nratings, sizeof *r, cmp_by_meeting);
    int total = 0;
    for (size_t i = 0; i < in->nratings; i++)
        if (i == 0 || r[i].meeting_id != r[i - 1].meeting_id || r[i].date != r[i - 1].date)
            total++;
    int skip = total > FC_CHART_SLOTS ? total - FC_CHART_SLOTS : 0, seen = 0;
    for (size_t i = 0; i < in->nratings; i++) {
        if (i == 0 || r[i].meeting_id != r[i - 1].meeting_id || r[i].date != r[i - 1].date) {
            if (seen++ < skip)
                continue;
            meeting[ch->nslots] = r[i].meeting_id;
            ch->slot_date[ch->nslots] = r[i].date;
            ch->ors_cutoff[ch->nslots] = fc_cutoff(in->settings, FC_ORS, in->birth, r[i].date);
            ch->nslots++;
        }
    }
}

static int slot_of(const struct fc_chart *ch, const fc_id *meeting, const struct fc_rating *r)
{
    for (int j = 0; j < ch->nslots; j++)
        if (meeting[j] == r->meeting_id && ch->slot_date[j] == r->date)
            return j;
    return -1;
}

static int cmp_who(const void *a, const void *b)
{
    const struct fc_chart_who *x = a, *y = b;
    if (x->rater != y->rater)
        return x->rater < y->rater ? -1 : 1;
    return strcmp(x->rater_name, y->rater_name);
}

static int who_of(const struct fc_chart *ch, const struct fc_rating *r)
{
    for (int w = 0; w < ch->nwho; w++)
        if (ch->who[w].rater == r->rater && strcmp(ch->who[w].rater_name, r->rater_name) == 0)
            return w;
    return -1;
}

static void collect_who(const struct fc_rating *r, size_t n, struct fc_chart *ch)
{
    for (size_t i = 0; i < n && ch->nwho < FC_CHART_RATERS; i++) {
        if (who_of(ch, &r[i]) >= 0)
            continue;
        struct fc_chart_who *w = &ch->who[ch->nwho++];
        w->rater = r[i].rater;
        memcpy(w->rater_name, r[i].rater_name, sizeof w->rater_name);
        w->rater_name[sizeof w->rater_name - 1] = '\0';
    }
    qsort(ch->who, (size_t)ch->nwho, sizeof ch->who[0], cmp_who);
}

/* The first point where the change against the first score is reliable,
 * preferring the first where it is also clinically significant. */
static void find_marker(const struct fc_settings *s, struct fc_chart_series *cs)
{
    cs->reliable_at = -1;
    cs->mark = FC_MARK_NONE;
    if (!fc_scale_is_outcome(cs->scale))
        return;
    for (int k = 1; k < cs->n; k++) {
        if (fc_clinically_significant(s, cs->total[0], cs->total[k], cs->cutoff[0],
                                      cs->cutoff[k])) {
            cs->reliable_at = k;
            cs->mark = FC_MARK_CLINICAL;
            return;
        }
    }
    for (int k = 1; k < cs->n; k++) {
        enum fc_change c = fc_reliable_change(s, cs->total[0], cs->total[k]);
        if (c != FC_CHANGE_NONE) {
            cs->reliable_at = k;
            cs->mark = c == FC_CHANGE_IMPROVED ? FC_MARK_UP : FC_MARK_DOWN;
            return;
        }
    }
}

static void add_series(const struct fc_chart_input *in, const struct fc_rating *r, size_t n,
                       const fc_id *meeting, struct fc_chart *ch)
{
    int w = who_of(ch, r);
    if (w < 0 || ch->nseries >= FC_CHART_SERIES)
        return;
    struct fc_chart_series *cs = &ch->series[ch->nseries];
    memset(cs, 0, sizeof *cs);
    cs->scale = r->scale;
    cs->rater = r->rater;
    memcpy(cs->rater_name, r->rater_name, sizeof cs->rater_name);
    cs->rater_name[sizeof cs->rater_name - 1] = '\0';
    cs->who = w;
    size_t first = n;
    for (size_t i = 0; i < n; i++) {
        int slot = slot_of(ch, meeting, &r[i]);
        if (slot < 0 || cs->n >= FC_CHART_SLOTS)
            continue;
        if (first == n)
            first = i;
        cs->slot[cs->n] = slot;
        cs->total[cs->n] = r[i].total;
        cs->cutoff[cs->n] = fc_cutoff(in->settings, r[i].scale, in->birth, r[i].date);
        cs->n++;
    }
    if (cs->n == 0)
        return;
    struct fc_series_summary sum;
    fc_series_summarize(in->settings, in->birth, &r[first], n - first, &sum);
    cs->change = sum.change;
    cs->reliable = sum.reliable;
    cs->clinically_significant = sum.clinically_significant;
    find_marker(in->settings, cs);
    ch->nseries++;
}

static int cmp_series(const void *a, const void *b)
{
    const struct fc_chart_series *x = a, *y = b;
    if (x->who != y->who)
        return x->who - y->who;
    if (x->slot[0] != y->slot[0])
        return x->slot[0] - y->slot[0];
    return x->scale - y->scale;
}

static void build_series(const struct fc_chart_input *in, struct fc_rating *r,
                         const fc_id *meeting, struct fc_chart *ch)
{
    fc_ratings_sort_series(r, in->nratings);
    collect_who(r, in->nratings, ch);
    for (size_t i = 0; i < in->nratings;) {
        size_t j = i + 1;
        while (j < in->nratings && fc_same_series(&r[i], &r[j]))
            j++;
        add_series(in, &r[i], j - i, meeting, ch);
        i = j;
    }
    qsort(ch->series, (size_t)ch->nseries, sizeof ch->series[0], cmp_series);
}

static int pick_ref(const struct fc_chart *ch)
{
    int ref = -1;
    for (int i = 0; i < ch->nseries; i++) {
        const struct fc_chart_series *cs = &ch->series[i];
        if (!fc_scale_is_outcome(cs->scale))
            continue;
        bool child = cs->rater == FC_RATER_CHILD;
        if (ref < 0 || (child && ch->series[ref].rater != FC_RATER_CHILD))
            ref = i;
        else if (child == (ch->series[ref].rater == FC_RATER_CHILD)
                 && cs->slot[0] < ch->series[ref].slot[0])
            ref = i;
    }
    return ref;
}

static void build_curve(const struct fc_chart_input *in, struct fc_chart *ch)
{
    ch->ref = pick_ref(ch);
    if (ch->ref < 0)
        return;
    const struct fc_chart_series *cs = &ch->series[ch->ref];
    if (!in->cohort) {
        snprintf(ch->no_curve, sizeof ch->no_curve, "%s",
                 _("no expected curve: no cohort data"));
        return;
    }
    int band = fc_age_band(in->settings, in->birth, ch->slot_date[cs->slot[0]]);
    if (!fc_expected_curve(in->settings, in->cohort, in->case_id, cs->scale, band,
                           cs->total[0], &ch->expected)) {
        if (ch->expected.cohort < in->settings->cohort_min)
            snprintf(ch->no_curve, sizeof ch->no_curve,
                     _("no expected curve: %d similar series, %d needed"),
                     ch->expected.cohort, in->settings->cohort_min);
        else
            snprintf(ch->no_curve, sizeof ch->no_curve, "%s",
                     _("no expected curve: too few similar series go on"));
        ch->expected.n = 0;
    } else if (cs->n < 2) {
        snprintf(ch->no_curve, sizeof ch->no_curve, "%s",
                 _("one score so far: the expected curve starts at the next"));
    }
}

static void build_absence(const struct fc_chart_input *in, struct fc_chart *ch)
{
    if (ch->nslots == 0)
        return;
    fc_date from = ch->slot_date[0] - 7, to = ch->slot_date[ch->nslots - 1] + 7;
    for (size_t i = 0; i < in->nabsent; i++) {
        if (in->absent[i] < ch->slot_date[0] && in->absent[i] >= ch->slot_date[0] - 56)
            ch->absent_before++;
        if (in->absent[i] < from || in->absent[i] > to)
            continue;
        if (ch->nabsent == FC_CHART_ABSENCE) {
            memmove(ch->absent, ch->absent + 1, (FC_CHART_ABSENCE - 1) * sizeof ch->absent[0]);
            ch->nabsent--;
        }
        ch->absent[ch->nabsent++] = in->absent[i];
    }
}

void fc_chart_build(const struct fc_chart_input *in, struct fc_chart *out)
{
    memset(out, 0, sizeof *out);
    out->ref = -1;
    out->srs_cutoff = in->settings->srs_cutoff;
    if (in->title)
        snprintf(out->title, sizeof out->title, "%s", in->title);
    if (in->nratings == 0)
        return;
    struct fc_rating *r = malloc(in->nratings * sizeof *r);
    if (!r)
        return;
    memcpy(r, in->ratings, in->nratings * sizeof *r);
    fc_id meeting[FC_CHART_SLOTS];
    build_slots(in, r, out, meeting);
    build_series(in, r, meeting, out);
    free(r);
    build_curve(in, out);
    build_absence(in, out);
}
