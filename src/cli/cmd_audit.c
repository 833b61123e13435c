/* fitcase audit [--case ID] [--user LOGIN] [--since DATE]: the audit log
 * for admins, and for leads as far as it concerns their team (the store's
 * fc_audit_each decides what a lead may read). Read only: nothing in
 * fitcase edits or deletes it. */
#include <config.h>

#include <string.h>
#include <time.h>

#include "cli.h"
#include "fitcase/date.h"
#include "fitcase/i18n.h"

struct audit_filter {
    struct fc_txn *txn;
    fc_id case_id;
    const char *user;
    int64_t since;           /* Unix seconds, local midnight */
    size_t shown;
};

/* Entries about a case: the case itself, its openings, and its meetings
 * and ratings as far as they still exist (deletions name the case). */
static bool about_case(const struct audit_filter *f, const struct fc_audit *a)
{
    char needle[32];
    if (strcmp(a->entity, "case") == 0)
        return a->entity_id == f->case_id;
    if (strcmp(a->entity, "meeting") == 0) {
        struct fc_meeting m;
        if (fc_meeting_get(f->txn, a->entity_id, &m, NULL) == FC_OK)
            return m.case_id == f->case_id;
    } else if (strcmp(a->entity, "rating") == 0) {
        struct fc_rating r;
        if (fc_rating_get(f->txn, a->entity_id, &r, NULL) == FC_OK)
            return r.case_id == f->case_id;
    }
    snprintf(needle, sizeof needle, "case %u", (unsigned)f->case_id);
    const char *p = strstr(a->detail, needle);
    return p && (p[strlen(needle)] < '0' || p[strlen(needle)] > '9');
}

static int print_entry(const struct fc_audit *a, void *ctx)
{
    struct audit_filter *f = ctx;
    if (a->when < f->since || (f->user && strcmp(a->who, f->user) != 0) ||
        (f->case_id && !about_case(f, a)))
        return 0;
    char when[32];
    time_t t = (time_t)a->when;
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    printf("%6llu %s %-12s %-16s %s %u%s%s\n", (unsigned long long)a->seq, when, a->who,
           a->action, a->entity, (unsigned)a->entity_id, a->detail[0] ? "  " : "", a->detail);
    f->shown++;
    return 0;
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
    static const char usage[] = "audit [--case ID] [--user LOGIN] [--since DATE]";
    struct audit_filter f = { .since = INT64_MIN };
    const char *v;
    int i = 1;
    while (i < argc) {
        if (cli_opt_value(argc, argv, &i, "--case", &v)) {
            if (!cli_parse_id(v, &f.case_id))
                return cli_failf(c, _("'%s' is not a case number"), v);
        } else if (cli_opt_value(argc, argv, &i, "--user", &f.user)) {
            continue;
        } else if (cli_opt_value(argc, argv, &i, "--since", &v)) {
            fc_date d;
            struct fc_err err = { 0 };
            int y, m, day;
            if (fc_date_parse(v, &d, &err) != FC_OK)
                return cli_fail(c, &err);
            fc_date_to_ymd(d, &y, &m, &day);
            struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = day,
                             .tm_isdst = -1 };
            f.since = (int64_t)mktime(&tm);
        } else {
            return cli_usage(usage);
        }
    }
    if (cli_open(c, false) != 0)
        return 1;
    struct fc_err err = { 0 };
    if (fc_read_begin(c->st, &f.txn, &err) != FC_OK)
        return cli_fail(c, &err);
    int rc = fc_audit_each(f.txn, 0, print_entry, &f);
    fc_read_end(f.txn);
    if (rc)
        return cli_failf(c, _("the audit log of %s cannot be read; run fitcase verify"),
                         c->db_dir);
    if (f.shown == 0)
        fprintf(stderr, _("fitcase: no audit entries match\n"));
    return 0;
}
