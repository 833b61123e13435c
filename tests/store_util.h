/* Helpers the store's Check suites share: removing a scratch store, and
 * stamping a schema version into meta as another fitcase would. */
#ifndef FITCASE_STORE_UTIL_H
#define FITCASE_STORE_UTIL_H

#include <check.h>
#include <lmdb.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static inline void rm_store(const char *d)
{
    char p[256];
    snprintf(p, sizeof p, "%s/data.mdb", d);
    unlink(p);
    snprintf(p, sizeof p, "%s/lock.mdb", d);
    unlink(p);
    rmdir(d);
}

/* Writes a raw u32 into meta/schema_version, as an older fitcase's store
 * has it, or as a newer fitcase leaves it after upgrading. */
static inline void stamp_schema(const char *dir, uint32_t version)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    uint8_t b[4] = { (uint8_t)(version >> 24), (uint8_t)(version >> 16),
                     (uint8_t)(version >> 8), (uint8_t)version };
    MDB_val k = { 14, (void *)"schema_version" }, val = { 4, b };
    ck_assert_int_eq(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 64);
    ck_assert_int_eq(mdb_env_open(env, dir, 0, 0660), 0);
    ck_assert_int_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
    ck_assert_int_eq(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
    ck_assert_int_eq(mdb_put(txn, dbi, &k, &val, 0), 0);
    ck_assert_int_eq(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

#endif
