/* The outcomes and absence-status exports: what leaders and the case record
 * need from the scores and the absence, one row per series or pupil. */
#include <config.h>

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/absence.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/report.h"
#include "fitcase/score.h"

void fc_csv_field(FILE *f, bool first, const char *s)
{
    if (!first)
        fputc(',', f);
    size_t n = strlen(s);
    if (n && (strpbrk(s, ",\"\r\n") || s[0] == ' ' || s[n - 1] == ' '))
        csv_fwrite(f, s, n);
    else
        fputs(s, f);
}

static void row(FILE *f, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fc_csv_field(f, i == 0, fields[i]);
    fputc('\n', f);
}

/* Signed tenths with one decimal and a dot: "-5.0", "7.5". */
static void signed_tenths(int t, char buf[static 16])
{
    snprintf(buf, 16, "%s%d.%d", t < 0 ? "-" : "", abs(t) / 10, abs(t) % 10);
}

static void date_str(fc_date d, char buf[static 11])
{
    fc_date_format(d, buf);
}

static int write_error(struct fc_err *err)
{
    err->code = FC_ESTORE;
    snprintf(err->msg, sizeof err->msg, "%s", _("cannot write the export"));
    return FC_ESTORE;
}

static void outcome_row(FILE *f, const struct fc_settings *s, const struct fc_case_birth *cb,
                        const struct fc_rating *r, size_t n)
{
    struct fc_series_summary sum;
    fc_series_summarize(s, cb ? cb->birth : FC_DATE_NONE, r, n, &sum);
    char id[12], pupil[12], rater[FC_NAME_MAX + 32], count[12], fd[11], ft[16], ld[11],
        lt[16], ch[16], cut[16];
    snprintf(id, sizeof id, "%u", (unsigned)r->case_id);
    snprintf(pupil, sizeof pupil, "%u", cb ? (unsigned)cb->pupil : 0u);
    if (r->rater_name[0])
        snprintf(rater, sizeof rater, "%s (%s)", fc_rater_code(r->rater), r->rater_name);
    else
        snprintf(rater, sizeof rater, "%s", fc_rater_code(r->rater));
    snprintf(count, sizeof count, "%d", sum.n);
    date_str(sum.first_date, fd);
    date_str(sum.last_date, ld);
    signed_tenths(sum.first_total, ft);
    signed_tenths(sum.last_total, lt);
    signed_tenths(sum.change, ch);
    signed_tenths(sum.cutoff_last, cut);
    const char *fields[] = {
        id, pupil, fc_scale_code(r->scale), rater, count, fd, ft, ld, lt, ch, cut,
        fc_below_cutoff(sum.first_total, sum.cutoff_first) ? "yes" : "no",
        fc_below_cutoff(sum.last_total, sum.cutoff_last) ? "yes" : "no",
        fc_change_code(sum.reliable), sum.clinically_significant ? "yes" : "no",
    };
    row(f, fields, sizeof fields / sizeof fields[0]);
}

int fc_export_outcomes(struct fc_txn *txn, const struct fc_settings *s, fc_date as_of,
                       FILE *out, struct fc_err *err)
{
    static const char *const head[] = {
        "case_id", "pupil_id", "scale", "rater", "ratings", "first_date", "first_total",
        "last_date", "last_total", "change", "cutoff", "first_below_cutoff",
        "last_below_cutoff", "reliable_change", "clinically_significant",
    };
    struct fc_vec ratings = { 0 }, births = { 0 };
    int rc = fc_load_ratings(txn, 0, &ratings, err);
    if (rc == FC_OK)
        rc = fc_load_case_births(txn, &births, err);
    if (rc == FC_OK) {
        struct fc_rating *r = ratings.data;
        size_t n = 0;
        for (size_t i = 0; i < ratings.n; i++)
            if (as_of == FC_DATE_NONE || r[i].date <= as_of)
                r[n++] = r[i];
        fc_ratings_sort_series(r, n);
        row(out, head, sizeof head / sizeof head[0]);
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            while (j < n && fc_same_series(&r[i], &r[j]))
                j++;
            outcome_row(out, s, fc_case_birth_find(&births, r[i].case_id), &r[i], j - i);
            i = j;
        }
        if (ferror(out))
            rc = write_error(err);
    }
    fc_vec_free(&ratings);
    fc_vec_free(&births);
    return rc;
}

/* ---- absence status ------------------------------------------------------ */

struct absence_rows {
    const struct fc_settings *s;
    const struct fc_calendar *cal;
    fc_date as_of;
    FILE *out;
    fc_id pupil;
    struct fc_vec days;
    bool failed;
};

static void flush_pupil(struct absence_rows *a)
{
    if (a->pupil == 0 || a->days.n == 0)
        return;
    struct fc_absence_status st;
    fc_absence_status(a->s, a->cal, a->days.data, a->days.n, a->as_of, &st);
    /* absence long past says nothing about the pupil now */
    if (st.last60 == 0 && st.quarter_days == 0) {
        a->days.n = 0;
        return;
    }
    char id[12], run[12], l20[12], l60[12], q[12];
    snprintf(id, sizeof id, "%u", (unsigned)a->pupil);
    snprintf(run, sizeof run, "%d", st.consecutive_max);
    snprintf(l20, sizeof l20, "%d", st.last20);
    snprintf(l60, sizeof l60, "%d", st.last60);
    snprintf(q, sizeof q, "%d", st.quarter_days);
    const char *fields[] = { id, run, l20, l60, q, fc_tier_code(st.tier),
                             st.fit_eligible ? "yes" : "no" };
    row(a->out, fields, sizeof fields / sizeof fields[0]);
    a->days.n = 0;
}

static int absence_cmp(const void *x, const void *y)
{
    const struct fc_absence *a = x, *b = y;
    if (a->pupil_id != b->pupil_id)
        return a->pupil_id < b->pupil_id ? -1 : 1;
    return (a->date > b->date) - (a->date < b->date);
}

static int push_absence(const struct fc_absence *a, void *ctx)
{
    return fc_vec_push(ctx, a, sizeof *a) == FC_OK ? 0 : FC_EFULL;
}

int fc_export_absence_status(struct fc_txn *txn, const struct fc_settings *s, fc_date as_of,
                             FILE *out, struct fc_err *err)
{
    static const char *const head[] = {
        "pupil_id", "consecutive_max", "absent_last_20", "absent_last_60",
        "quarter_days", "quarter_tier", "fit_eligible",
    };
    struct fc_vec holidays = { 0 }, all = { 0 };
    struct fc_calendar cal = { 0 };
    int rc = fc_load_calendar(txn, &holidays, &cal, err);
    if (rc == FC_OK) {
        rc = fc_absence_each(txn, push_absence, &all);
        if (rc == FC_EFULL)
            rc = fc_oom(err);
    }
    if (rc == FC_OK) {
        struct fc_absence *ab = all.data;
        if (all.n > 1)   /* none: ab is NULL */
            qsort(ab, all.n, sizeof *ab, absence_cmp);
        struct absence_rows a = { .s = s, .cal = &cal, .as_of = as_of, .out = out };
        row(out, head, sizeof head / sizeof head[0]);
        for (size_t i = 0; i < all.n && rc == FC_OK; i++) {
            if (ab[i].pupil_id != a.pupil)
                flush_pupil(&a);
            a.pupil = ab[i].pupil_id;
            /* a pupil counts when a day before as_of is a school day */
            if (ab[i].date <= as_of && fc_is_school_day(&cal, ab[i].date)
                && fc_vec_push(&a.days, &ab[i].date, sizeof ab[i].date) != FC_OK)
                rc = fc_oom(err);
        }
        flush_pupil(&a);
        fc_vec_free(&a.days);
        if (rc == FC_OK && ferror(out))
            rc = write_error(err);
    }
    fc_vec_free(&holidays);
    fc_vec_free(&all);
    return rc;
}
