/* Backup and restore: a compact, consistent copy made by LMDB while others
 * keep working (mdb_env_copy2 reads one snapshot), written beside its
 * place under a temporary name, verified, and only then given its name. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fitcase/i18n.h"
#include "internal.h"

static void path_in(char *out, size_t cap, const char *dir, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static bool has_store(const char *dir)
{
    char p[4200];
    path_in(p, sizeof p, dir, "data.mdb");
    return access(p, F_OK) == 0;
}

static void count_problem(const char *problem, void *ctx)
{
    (void)problem;
    ++*(int *)ctx;
}

/* Opens the store in dir read-only and verifies it. */
static int verify_dir(const char *dir, struct fc_err *err)
{
    struct fc_store_opts ro = { .read_only = true };
    struct fc_store *st;
    int rc = fc_store_open(dir, &ro, &st, err);
    if (rc)
        return rc;
    int problems = 0;
    int n = fc_store_verify(st, count_problem, &problems, err);
    fc_store_close(st);
    if (n < 0)
        return err && err->code ? err->code : FC_ESTORE;
    if (n > 0)
        return fcs_fail(err, FC_ECORRUPT,
                        _("the copy in %s does not verify (%d problem(s)); it was not used"),
                        dir, n);
    return FC_OK;
}

static void remove_tmp(const char *tmp)
{
    char p[4200];
    path_in(p, sizeof p, tmp, "data.mdb");
    unlink(p);
    path_in(p, sizeof p, tmp, "lock.mdb");
    unlink(p);
    rmdir(tmp);
}

/* Opens the copy in tmp once for writing, which upgrades its schema
 * (nobody else knows the directory, so no session waits), and closes it. */
static int upgrade_dir(const char *tmp, struct fc_err *err)
{
    struct fc_store_opts rw = { 0 };
    struct fc_store *st;
    int rc = fc_store_open(tmp, &rw, &st, err);
    if (rc == FC_OK)
        fc_store_close(st);
    return rc;
}

/* Copies env compactly into a fresh directory tmp inside dir, upgrades the
 * copy when asked, verifies it there and moves its data.mdb to
 * dir/data.mdb. */
static int copy_verified(MDB_env *env, const char *dir, bool upgrade, size_t *bytes,
                         struct fc_err *err)
{
    char tmp[4200], from[4300], to[4300];
    struct stat sb;
    if (snprintf(tmp, sizeof tmp, "%s/.fitcase-copy-%ld", dir, (long)getpid()) >=
        (int)sizeof tmp - 16)
        return fcs_fail(err, FC_EINVAL, _("the directory name %s is too long"), dir);
    remove_tmp(tmp);
    if (mkdir(tmp, 0770) != 0)
        return fcs_fail(err, FC_ESTORE, _("cannot create %s: %s"), tmp, strerror(errno));
    int rc = mdb_env_copy2(env, tmp, MDB_CP_COMPACT);
    if (rc) {
        remove_tmp(tmp);
        if (rc == ENOSPC || rc == EDQUOT)
            return fcs_fail(err, FC_EFULL, _("the disk holding %s is full; no copy was made"),
                            dir);
        return fcs_fail(err, FC_ESTORE, _("cannot copy the store into %s: %s"), dir,
                        mdb_strerror(rc));
    }
    rc = upgrade ? upgrade_dir(tmp, err) : FC_OK;
    if (rc == FC_OK)
        rc = verify_dir(tmp, err);
    path_in(from, sizeof from, tmp, "data.mdb");
    path_in(to, sizeof to, dir, "data.mdb");
    if (rc == FC_OK && stat(from, &sb) == 0 && bytes)
        *bytes = (size_t)sb.st_size;
    if (rc == FC_OK && rename(from, to) != 0)
        rc = fcs_fail(err, FC_ESTORE, _("cannot move the copy to %s: %s"), to, strerror(errno));
    remove_tmp(tmp);
    return rc;
}

int fc_store_backup(struct fc_store *st, const char *dir, size_t *bytes, struct fc_err *err)
{
    if (bytes)
        *bytes = 0;
    if (mkdir(dir, 0770) != 0 && errno != EEXIST)
        return fcs_fail(err, FC_ESTORE, _("cannot create the directory %s: %s"), dir,
                        strerror(errno));
    if (has_store(dir))
        return fcs_fail(err, FC_EEXIST,
                        _("%s already holds a store; back up into a new directory "
                          "(e.g. one per day)"), dir);
    return copy_verified(st->env, dir, false, bytes, err);
}

/* How many processes hold a reader slot of the store in dir (stale slots
 * of killed processes cleared first); -1 if it cannot be told. */
static int store_users(const char *dir)
{
    MDB_env *env;
    if (mdb_env_create(&env))
        return -1;
    mdb_env_set_maxdbs(env, 64);
    if (mdb_env_open(env, dir, MDB_RDONLY, 0660) != 0) {
        mdb_env_close(env);
        return -1;
    }
    int users = fcs_env_sessions(env);
    mdb_env_close(env);
    return users;
}

/* The backup's environment as it is, for copying: read-only, whatever its
 * schema (an older one lacks databases that fc_store_open would want). */
static int open_source(const char *dir, MDB_env **env, struct fc_err *err)
{
    int rc = mdb_env_create(env);
    if (rc == 0)
        rc = mdb_env_set_maxdbs(*env, 64);
    if (rc == 0)
        rc = mdb_env_open(*env, dir, MDB_RDONLY | MDB_NOTLS, 0660);
    if (rc == 0)
        return FC_OK;
    mdb_env_close(*env);
    *env = NULL;
    return fcs_fail(err, FC_ESTORE, _("cannot open the store in %s: %s"), dir,
                    mdb_strerror(rc));
}

int fc_store_restore(const char *from_dir, const char *dir, bool force, struct fc_err *err)
{
    MDB_env *src;
    struct stat sb;
    uint32_t version;
    /* A backup of our schema must verify before it counts; one of an
     * older schema is verified once upgraded, in the copy: the backup
     * itself stays as it was. */
    int rc = fc_store_schema_at(from_dir, &version, err);
    if (rc == FC_OK && version > FC_SCHEMA_VERSION)
        rc = fcs_fail(err, FC_ESTORE,
                      _("the store in %s has schema version %u, but this fitcase knows "
                        "only up to %u; use a newer fitcase"), from_dir, version,
                      FC_SCHEMA_VERSION);
    if (rc == FC_OK && version == FC_SCHEMA_VERSION)
        rc = verify_dir(from_dir, err);
    if (rc)
        return rc;
    if (mkdir(dir, 0770) != 0 && errno != EEXIST)
        return fcs_fail(err, FC_ESTORE, _("cannot create the directory %s: %s"), dir,
                        strerror(errno));
    if (has_store(dir)) {
        if (!force)
            return fcs_fail(err, FC_EEXIST,
                            _("%s already holds a store; restore into an empty directory, "
                              "or use --force to replace it"), dir);
        int users = store_users(dir);
        if (users != 0)
            return fcs_fail(err, FC_EDENIED,
                            users < 0 ? _("cannot tell whether the store in %s is in use; "
                                          "nothing was replaced")
                                      : _("the store in %s is open in %d program(s); stop "
                                          "them first, nothing was replaced"),
                            dir, users);
    }
    if ((rc = open_source(from_dir, &src, err)) != FC_OK)
        return rc;
    rc = copy_verified(src, dir, version < FC_SCHEMA_VERSION, NULL, err);
    mdb_env_close(src);
    if (rc)
        return rc;
    /* The old lock file describes the old data file. */
    char p[4200];
    path_in(p, sizeof p, dir, "lock.mdb");
    unlink(p);
    /* Verify it in its place; that also makes the new lock file, owned by
     * whoever restores (the operator), not by the next user to open it. */
    if ((rc = verify_dir(dir, err)) != FC_OK)
        return rc;
    /* Run as root, give the store back to the owner of its directory. */
    static const char *const files[] = { "data.mdb", "lock.mdb" };
    for (size_t i = 0; getuid() == 0 && i < 2 && stat(dir, &sb) == 0; i++) {
        path_in(p, sizeof p, dir, files[i]);
        if (chown(p, sb.st_uid, sb.st_gid) != 0)
            return fcs_fail(err, FC_ESTORE, _("cannot give %s to the owner of %s: %s"), p,
                            dir, strerror(errno));
    }
    return FC_OK;
}
