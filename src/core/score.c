/* ORS/SRS arithmetic in tenths, so 31.9 and 32.0 compare exactly; every
 * threshold comes from struct fc_settings. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fitcase/err.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"
#include "fitcase/score.h"
#include "fitcase/text.h"

enum {
    ITEM_MAX = 100,           /* 10.0: the 10 cm line */
    TOTAL_MAX = ITEM_MAX * FC_ITEMS,
    MM_MIN = 11,              /* 0..10 are points; from here on millimetres */
};


/* ---- names -------------------------------------------------------------- */

static const char *const scale_codes[FC_SCALE_COUNT] = { "ORS", "CORS", "SRS", "CSRS" };

static const char *const rater_codes[FC_RATER_COUNT] = {
    "child", "mother", "father", "guardian", "teacher", "pedagogue", "caseworker", "other",
};

/* The Danish words, in enum order; fc_fold_lookup also takes them without
 * æ/ø/å ("laerer", "raadgiver"). */
static const char *const rater_danish[FC_RATER_COUNT] = {
    "barn", "mor", "far", "værge", "lærer", "pædagog", "rådgiver", "anden",
};

const char *fc_scale_code(enum fc_scale s)
{
    return (unsigned)s < FC_SCALE_COUNT ? scale_codes[s] : "?";
}

int fc_scale_lookup(const char *s)
{
    return fc_fold_lookup(s, scale_codes, FC_SCALE_COUNT);
}

bool fc_scale_is_outcome(enum fc_scale s)
{
    return s == FC_ORS || s == FC_CORS;
}

const char *fc_rater_code(enum fc_rater r)
{
    return (unsigned)r < FC_RATER_COUNT ? rater_codes[r] : "?";
}

int fc_rater_lookup(const char *s)
{
    int i = fc_fold_lookup(s, rater_codes, FC_RATER_COUNT);
    return i >= 0 ? i : fc_fold_lookup(s, rater_danish, FC_RATER_COUNT);
}

/* ---- parsing ------------------------------------------------------------ */

/* Reads "d", "d.d" or "d,d" (one decimal at most) into tenths. Returns 0,
 * or 1 when it is a number with two or more decimals, or 2 when it is no
 * number at all. *integer tells whether there was no decimal part. */
static int read_tenths(const char *s, size_t len, long *tenths, bool *integer)
{
    size_t i = 0;
    bool negative = s[0] == '-';
    i += negative;
    long v = 0;
    size_t start = i;
    /* Saturate: a long number is out of range, not a different number. */
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        v = v < 100000 ? v * 10 + (s[i] - '0') : v;
        i++;
    }
    if (i == start)
        return 2;
    *integer = i == len;
    v *= 10;
    if (i < len && (s[i] == '.' || s[i] == ',')) {
        size_t d = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i != len || i == d)
            return 2;
        if (i - d > 1)
            return 1;
        v += s[d] - '0';
    }
    if (i != len)
        return 2;
    *tenths = negative ? -v : v;
    return 0;
}

static int parse_score(const char *s, int max, bool allow_mm, int *tenths,
                       const char *range, struct fc_err *err)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    int shown = len > 20 ? 20 : (int)len;
    if (len == 0)
        return fc_fail(err, FC_EINVAL, _("the score is empty; %s"), range);
    long v;
    bool integer;
    switch (read_tenths(s, len, &v, &integer)) {
    case 1:
        return fc_fail(err, FC_EINVAL, _("%.*s has more than one decimal; %s"), shown, s, range);
    case 2:
        return fc_fail(err, FC_EINVAL, _("'%.*s' is not a score; %s"), shown, s, range);
    }
    if (allow_mm && integer && v / 10 >= MM_MIN && v / 10 <= max)
        v /= 10;
    if (v < 0 || v > max)
        return fc_fail(err, FC_EINVAL, _("%.*s is out of range; %s"), shown, s, range);
    *tenths = (int)v;
    return FC_OK;
}

int fc_item_parse(const char *s, bool allow_mm, int *tenths, struct fc_err *err)
{
    return parse_score(s, ITEM_MAX, allow_mm, tenths,
                       allow_mm ? _("items run 0.0-10.0 or 11-100 mm")
                                : _("items run 0.0-10.0"), err);
}

int fc_total_parse(const char *s, int *tenths, struct fc_err *err)
{
    return parse_score(s, TOTAL_MAX, false, tenths, _("totals run 0.0-40.0"), err);
}

/* Writes "" for FC_ITEM_NONE, and for what no 8 bytes can hold (no score
 * comes near that). */
void fc_tenths_format(int tenths, char decimal, char buf[static 8])
{
    if (tenths < 0 || tenths > 999999) {
        buf[0] = '\0';
        return;
    }
    snprintf(buf, 8, "%d%c%d", tenths / 10, decimal, tenths % 10);
}

/* ---- validation --------------------------------------------------------- */

static int check_items(const struct fc_rating *r, int *given, int *sum,
                       struct fc_err *err)
{
    char a[8];
    *given = *sum = 0;
    for (int i = 0; i < FC_ITEMS; i++) {
        int v = r->items[i];
        if (v == FC_ITEM_NONE)
            continue;
        if (v < 0 || v > ITEM_MAX) {
            fc_tenths_format(abs(v), '.', a);
            return fc_fail(err, FC_EINVAL, _("%s item %d is %s%s; items run 0.0-10.0"),
                        fc_scale_code(r->scale), i + 1, v < 0 ? "-" : "", a);
        }
        ++*given;
        *sum += v;
    }
    return FC_OK;
}

int fc_rating_normalize(struct fc_rating *r, struct fc_err *err)
{
    if (r->scale >= FC_SCALE_COUNT)
        return fc_fail(err, FC_EINVAL, _("scale number %d is unknown; use ORS, CORS, SRS or CSRS"),
                    r->scale);
    if (r->rater >= FC_RATER_COUNT)
        return fc_fail(err, FC_EINVAL, _("rater number %d is unknown"), r->rater);
    int given, sum, rc = check_items(r, &given, &sum, err);
    if (rc != FC_OK)
        return rc;
    const char *scale = fc_scale_code(r->scale);
    char a[8], b[8];
    if (given == 0) {
        if (r->total < 0)
            return fc_fail(err, FC_EINVAL, _("%s has no score; give four items or the total"), scale);
        if (r->total <= TOTAL_MAX)
            return FC_OK;
        fc_tenths_format(r->total, '.', a);
        return fc_fail(err, FC_EINVAL, _("%s total %s is out of range; totals run 0.0-40.0"),
                    scale, a);
    }
    if (given < FC_ITEMS)
        return fc_fail(err, FC_EINVAL, _("%s has %d of %d items; give all four items or only the total"),
                    scale, given, FC_ITEMS);
    if (r->total >= 0 && r->total != sum) {
        fc_tenths_format(sum, '.', a);
        fc_tenths_format(r->total, '.', b);
        return fc_fail(err, FC_EINVAL, _("%s items add up to %s but the total says %s"), scale, a, b);
    }
    r->total = (int16_t)sum;
    return FC_OK;
}

/* ---- cut-offs and change ------------------------------------------------ */

/* Without a birth date the scale decides: CORS is the children's version,
 * and a pupil rated on the adult ORS is most likely a youth. */
int fc_cutoff(const struct fc_settings *s, enum fc_scale scale,
              fc_date birth, fc_date at)
{
    if (!fc_scale_is_outcome(scale))
        return s->srs_cutoff;
    if (birth == FC_DATE_NONE || at == FC_DATE_NONE)
        return scale == FC_CORS ? s->ors_cutoff_child : s->ors_cutoff_youth;
    int age = fc_age_years(birth, at);
    if (age < s->youth_from_age)
        return s->ors_cutoff_child;
    if (age < s->adult_from_age)
        return s->ors_cutoff_youth;
    return s->ors_cutoff_adult;
}

const char *fc_change_code(enum fc_change c)
{
    static const char *const codes[] = { "none", "improved", "deteriorated" };
    return (unsigned)c < sizeof codes / sizeof codes[0] ? codes[c] : "?";
}

enum fc_change fc_reliable_change(const struct fc_settings *s, int first, int last)
{
    if (last - first >= s->reliable_change)
        return FC_CHANGE_IMPROVED;
    if (first - last >= s->reliable_change)
        return FC_CHANGE_DETERIORATED;
    return FC_CHANGE_NONE;
}

bool fc_clinically_significant(const struct fc_settings *s, int first, int last,
                               int cutoff_first, int cutoff_last)
{
    return fc_reliable_change(s, first, last) == FC_CHANGE_IMPROVED
        && fc_below_cutoff(first, cutoff_first) && !fc_below_cutoff(last, cutoff_last);
}

/* Change is judged on outcome scales only: the seeds define reliable and
 * clinically significant change for ORS, not for the session scales. */
void fc_series_summarize(const struct fc_settings *s, fc_date birth,
                         const struct fc_rating *r, size_t n,
                         struct fc_series_summary *out)
{
    memset(out, 0, sizeof *out);
    out->first_date = out->last_date = FC_DATE_NONE;
    if (n == 0)
        return;
    const struct fc_rating *first = &r[0], *last = &r[n - 1];
    out->n = (int)n;
    out->first_date = first->date;
    out->last_date = last->date;
    out->first_total = first->total;
    out->last_total = last->total;
    out->change = last->total - first->total;
    out->cutoff_first = fc_cutoff(s, first->scale, birth, first->date);
    out->cutoff_last = fc_cutoff(s, last->scale, birth, last->date);
    if (!fc_scale_is_outcome(first->scale))
        return;
    out->reliable = fc_reliable_change(s, first->total, last->total);
    out->clinically_significant = fc_clinically_significant(
        s, first->total, last->total, out->cutoff_first, out->cutoff_last);
}

/* ---- series ------------------------------------------------------------- */

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static int series_cmp(const struct fc_rating *a, const struct fc_rating *b)
{
    int c = CMP(a->case_id, b->case_id);
    if (!c)
        c = CMP(a->scale, b->scale);
    if (!c)
        c = CMP(a->rater, b->rater);
    if (!c)
        c = strncmp(a->rater_name, b->rater_name, sizeof a->rater_name);
    return c;
}

static int rating_cmp(const void *pa, const void *pb)
{
    const struct fc_rating *a = pa, *b = pb;
    int c = series_cmp(a, b);
    if (!c)
        c = CMP(a->date, b->date);
    if (!c)
        c = CMP(a->id, b->id);
    return c;
}

void fc_ratings_sort_series(struct fc_rating *r, size_t n)
{
    if (n > 1)
        qsort(r, n, sizeof *r, rating_cmp);
}

bool fc_same_series(const struct fc_rating *a, const struct fc_rating *b)
{
    return series_cmp(a, b) == 0;
}
