/* Schema versions: the stored version is moved forward one step at a time
 * by a chain of migrations, each run inside the opening write transaction,
 * so a store is either fully at the new version or untouched. */
#include <config.h>

#include <stdio.h>

#include "fitcase/phase.h"
#include "fitcase/settings.h"
#include "internal.h"

/* Version 0 is "nothing there yet": the databases exist (opening created
 * them); seed what every store starts with. */
static int migrate_0_to_1(struct fc_txn *t, struct fc_err *err)
{
    for (size_t i = 0; i < fc_builtin_model_count(); i++) {
        const struct fc_phase_model *m = fc_builtin_model(i);
        struct fc_phase_model have;
        int rc = fc_model_get(t, m->id, &have, err);
        if (rc == FC_ENOTFOUND)
            rc = fc_model_put(t, m, err);
        if (rc != FC_OK)
            return rc;
    }
    struct fc_settings s;
    fc_settings_default(&s);
    return fc_settings_store(t, &s, err);
}

/* Version 2: the indexes a list of the actor's cases reads (case_team,
 * case_second) and the outcome series of the expected-change cohort,
 * made from the cases and ratings already there. */
static int migrate_1_to_2(struct fc_txn *t, struct fc_err *err)
{
    return fcs_lists_build(t, err);
}

/* Version 3: case_team entries carry the case's head, series values keep
 * totals only: made again. */
static int migrate_2_to_3(struct fc_txn *t, struct fc_err *err)
{
    return fcs_lists_build(t, err);
}

/* Version 4: case_team entries carry the pupil's name, birth date, grade
 * and school too, so a team's list reads no pupil: made again. */
static int migrate_3_to_4(struct fc_txn *t, struct fc_err *err)
{
    return fcs_team_entries_build(t, err);
}

typedef int (*migration_fn)(struct fc_txn *t, struct fc_err *err);

/* migrations[v] takes a store from version v to v + 1. */
static const migration_fn migrations[] = {
    migrate_0_to_1,
    migrate_1_to_2,
    migrate_2_to_3,
    migrate_3_to_4,
};

_Static_assert(sizeof migrations / sizeof migrations[0] == FC_SCHEMA_VERSION,
               "one migration per schema version");

int fcs_migrate(struct fc_txn *t, uint32_t from, struct fc_err *err)
{
    for (uint32_t v = from; v < FC_SCHEMA_VERSION; v++) {
        int rc = migrations[v](t, err);
        if (rc == FC_OK)
            rc = fcs_meta_put_u32(t, FCS_META_SCHEMA, v + 1, err);
        if (rc == FC_OK) {
            char detail[64];
            snprintf(detail, sizeof detail, "schema %u -> %u", v, v + 1);
            rc = fc_audit_add(t, "store.migrate", "store", 0, detail, err);
        }
        if (rc != FC_OK)
            return rc;
    }
    return FC_OK;
}
