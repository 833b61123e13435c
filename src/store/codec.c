/* Value encoding: one table of fields per record type drives encoding,
 * checked decoding and the "which fields changed" text of the audit log,
 * so the three can never disagree. The disk format is independent of the
 * structs' buffer sizes and padding. */
#include <config.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* ---- writing ------------------------------------------------------------- */

static size_t str_len(const char *s, size_t cap)
{
    return strnlen(s, cap - 1);
}

static size_t field_size(const struct fcs_field *f, const uint8_t *rec)
{
    const uint8_t *p = rec + f->off;
    switch (f->kind) {
    case FK_U8: case FK_I8: case FK_BOOL: return 1;
    case FK_I16: return 2;
    case FK_I16ARR: return 2 * f->size;
    case FK_U32: case FK_I32: return 4;
    case FK_I64: return 8;
    case FK_STR: return 2 + str_len((const char *)p, f->size);
    case FK_STRLIST: {
        size_t n = rec[f->count_off] < f->max ? rec[f->count_off] : f->max, sz = 1;
        for (size_t i = 0; i < n; i++)
            sz += 2 + str_len((const char *)p + i * f->size, f->size);
        return sz;
    }
    case FK_SUBLIST: {
        size_t n = rec[f->count_off] < f->max ? rec[f->count_off] : f->max, sz = 1;
        for (size_t i = 0; i < n; i++)
            sz += fcs_encoded_size(f->sub, p + i * f->sub->size) - 1;
        return sz;
    }
    }
    return 0;
}

size_t fcs_encoded_size(const struct fcs_layout *l, const void *rec)
{
    size_t sz = 1;
    for (size_t i = 0; i < l->nfields; i++)
        sz += field_size(&l->fields[i], rec);
    return sz;
}

static uint8_t *put_str(uint8_t *o, const char *s, size_t cap)
{
    size_t n = str_len(s, cap);
    o[0] = (uint8_t)(n >> 8);
    o[1] = (uint8_t)n;
    memcpy(o + 2, s, n);
    return o + 2 + n;
}

static uint8_t *encode_fields(const struct fcs_layout *l, const uint8_t *rec, uint8_t *o);

static uint8_t *encode_field(const struct fcs_field *f, const uint8_t *rec, uint8_t *o)
{
    const uint8_t *p = rec + f->off;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    switch (f->kind) {
    case FK_U8: case FK_I8:
        *o++ = *p;
        break;
    case FK_BOOL:
        *o++ = *(const bool *)p ? 1 : 0;
        break;
    case FK_I16:
    case FK_I16ARR:
        for (size_t i = 0; i < (f->kind == FK_I16 ? 1 : f->size); i++) {
            memcpy(&i16, p + 2 * i, 2);
            *o++ = (uint8_t)((uint16_t)i16 >> 8);
            *o++ = (uint8_t)(uint16_t)i16;
        }
        break;
    case FK_U32: case FK_I32:
        memcpy(&i32, p, 4);
        fcs_put_u32(o, (uint32_t)i32);
        o += 4;
        break;
    case FK_I64:
        memcpy(&i64, p, 8);
        fcs_put_u64(o, (uint64_t)i64);
        o += 8;
        break;
    case FK_STR:
        o = put_str(o, (const char *)p, f->size);
        break;
    case FK_STRLIST: {
        size_t n = rec[f->count_off] < f->max ? rec[f->count_off] : f->max;
        *o++ = (uint8_t)n;
        for (size_t i = 0; i < n; i++)
            o = put_str(o, (const char *)p + i * f->size, f->size);
        break;
    }
    case FK_SUBLIST: {
        size_t n = rec[f->count_off] < f->max ? rec[f->count_off] : f->max;
        *o++ = (uint8_t)n;
        for (size_t i = 0; i < n; i++)
            o = encode_fields(f->sub, p + i * f->sub->size, o);
        break;
    }
    }
    return o;
}

static uint8_t *encode_fields(const struct fcs_layout *l, const uint8_t *rec, uint8_t *o)
{
    for (size_t i = 0; i < l->nfields; i++)
        o = encode_field(&l->fields[i], rec, o);
    return o;
}

void fcs_encode(const struct fcs_layout *l, const void *rec, uint8_t *out)
{
    out[0] = l->format;
    encode_fields(l, rec, out + 1);
}

/* ---- reading ----------------------------------------------------------- */

struct rd {
    const uint8_t *p, *end;
};

static bool take(struct rd *r, size_t n, const uint8_t **out)
{
    if ((size_t)(r->end - r->p) < n)
        return false;
    *out = r->p;
    r->p += n;
    return true;
}

static bool get_str(struct rd *r, char *dst, size_t cap)
{
    const uint8_t *b;
    if (!take(r, 2, &b))
        return false;
    size_t n = (size_t)b[0] << 8 | b[1];
    if (n >= cap || !take(r, n, &b) || memchr(b, 0, n))
        return false;
    memcpy(dst, b, n);
    dst[n] = '\0';
    return true;
}

static bool decode_fields(const struct fcs_layout *l, struct rd *r, uint8_t *rec);

static bool decode_field(const struct fcs_field *f, struct rd *r, uint8_t *rec)
{
    uint8_t *p = rec + f->off;
    const uint8_t *b;
    switch (f->kind) {
    case FK_U8: case FK_I8:
        if (!take(r, 1, &b))
            return false;
        *p = *b;
        return true;
    case FK_BOOL:
        if (!take(r, 1, &b) || *b > 1)
            return false;
        *(bool *)p = *b;
        return true;
    case FK_I16:
    case FK_I16ARR:
        for (size_t i = 0; i < (f->kind == FK_I16 ? 1 : f->size); i++) {
            if (!take(r, 2, &b))
                return false;
            uint16_t u = (uint16_t)(b[0] << 8 | b[1]);
            int16_t v = u <= INT16_MAX ? (int16_t)u : (int16_t)((int32_t)u - 65536);
            memcpy(p + 2 * i, &v, 2);
        }
        return true;
    case FK_U32: case FK_I32: {
        if (!take(r, 4, &b))
            return false;
        uint32_t u = fcs_get_u32(b);
        if (f->kind == FK_I32) {
            int32_t v = u <= INT32_MAX ? (int32_t)u : (int32_t)((int64_t)u - 4294967296LL);
            memcpy(p, &v, 4);
        } else {
            memcpy(p, &u, 4);
        }
        return true;
    }
    case FK_I64: {
        if (!take(r, 8, &b))
            return false;
        uint64_t u = fcs_get_u64(b);
        int64_t v = u <= INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
        memcpy(p, &v, 8);
        return true;
    }
    case FK_STR:
        return get_str(r, (char *)p, f->size);
    case FK_STRLIST:
    case FK_SUBLIST:
        if (!take(r, 1, &b) || *b > f->max)
            return false;
        rec[f->count_off] = *b;
        for (size_t i = 0; i < *b; i++) {
            bool ok = f->kind == FK_STRLIST
                          ? get_str(r, (char *)p + i * f->size, f->size)
                          : decode_fields(f->sub, r, p + i * f->sub->size);
            if (!ok)
                return false;
        }
        return true;
    }
    return false;
}

static bool decode_fields(const struct fcs_layout *l, struct rd *r, uint8_t *rec)
{
    for (size_t i = 0; i < l->nfields; i++)
        if (!decode_field(&l->fields[i], r, rec))
            return false;
    return true;
}

bool fcs_decode(const struct fcs_layout *l, const void *data, size_t len, void *rec)
{
    struct rd r = { data, (const uint8_t *)data + len };
    memset(rec, 0, l->size);
    if (len < 1 || r.p[0] != l->format)
        return false;
    r.p++;
    return decode_fields(l, &r, rec) && r.p == r.end;
}

/* ---- differences ------------------------------------------------------- */

static bool field_equal(const struct fcs_field *f, const uint8_t *a, const uint8_t *b)
{
    size_t na, nb;
    switch (f->kind) {
    case FK_STR:
        return strncmp((const char *)a + f->off, (const char *)b + f->off, f->size) == 0;
    case FK_STRLIST:
    case FK_SUBLIST:
        na = a[f->count_off];
        nb = b[f->count_off];
        if (na != nb)
            return false;
        for (size_t i = 0; i < na && i < f->max; i++) {
            if (f->kind == FK_STRLIST) {
                if (strncmp((const char *)a + f->off + i * f->size,
                            (const char *)b + f->off + i * f->size, f->size) != 0)
                    return false;
            } else if (fcs_diff(f->sub, a + f->off + i * f->sub->size,
                                b + f->off + i * f->sub->size, NULL, 0) != 0) {
                return false;
            }
        }
        return true;
    default:
        return memcmp(a + f->off, b + f->off, field_size(f, a)) == 0;
    }
}

int fcs_diff(const struct fcs_layout *l, const void *a, const void *b, char *out,
             size_t cap)
{
    int n = 0;
    for (size_t i = 0; i < l->nfields; i++) {
        const struct fcs_field *f = &l->fields[i];
        if (strcmp(f->name, "version") == 0 || field_equal(f, a, b))
            continue;
        if (out && cap) {
            size_t used = strlen(out);
            snprintf(out + used, cap - used, "%s%s", used ? ", " : "", f->name);
        }
        n++;
    }
    return n;
}

/* ---- the tables ---------------------------------------------------------- */

#define SCALAR(T, fld, kind_) { #fld, kind_, offsetof(T, fld), 0, 0, 0, NULL }
#define STR(T, fld) { #fld, FK_STR, offsetof(T, fld), sizeof(((T *)0)->fld), 0, 0, NULL }
#define STRLIST(T, fld, cnt) \
    { #fld, FK_STRLIST, offsetof(T, fld), sizeof(((T *)0)->fld[0]), offsetof(T, cnt), \
      sizeof(((T *)0)->fld) / sizeof(((T *)0)->fld[0]), NULL }
#define SUBLIST(T, fld, cnt, lay) \
    { #fld, FK_SUBLIST, offsetof(T, fld), 0, offsetof(T, cnt), \
      sizeof(((T *)0)->fld) / sizeof(((T *)0)->fld[0]), &lay }
#define LAYOUT(name, T, tbl) \
    const struct fcs_layout name = { 1, sizeof(T), sizeof tbl / sizeof tbl[0], tbl }

static const struct fcs_field team_fields[] = {
    SCALAR(struct fc_team, version, FK_U32),
    STR(struct fc_team, name),
};
LAYOUT(fcs_team_layout, struct fc_team, team_fields);

static const struct fcs_field staff_fields[] = {
    SCALAR(struct fc_staff, version, FK_U32),
    STR(struct fc_staff, login),
    STR(struct fc_staff, name),
    SCALAR(struct fc_staff, role, FK_U8),
    SCALAR(struct fc_staff, active, FK_BOOL),
    SCALAR(struct fc_staff, team_id, FK_U32),
};
LAYOUT(fcs_staff_layout, struct fc_staff, staff_fields);

static const struct fcs_field school_fields[] = {
    SCALAR(struct fc_school, version, FK_U32),
    STR(struct fc_school, name),
};
LAYOUT(fcs_school_layout, struct fc_school, school_fields);

static const struct fcs_field pupil_fields[] = {
    SCALAR(struct fc_pupil, version, FK_U32),
    STR(struct fc_pupil, name),
    SCALAR(struct fc_pupil, birth_date, FK_I32),
    SCALAR(struct fc_pupil, grade, FK_I8),
    SCALAR(struct fc_pupil, school_id, FK_U32),
    STRLIST(struct fc_pupil, guardians, nguardians),
};
LAYOUT(fcs_pupil_layout, struct fc_pupil, pupil_fields);

static const struct fcs_field intervention_fields[] = {
    STR(struct fc_intervention, kind),
    SCALAR(struct fc_intervention, start, FK_I32),
    SCALAR(struct fc_intervention, end, FK_I32),
    STR(struct fc_intervention, who),
};
/* Nested in a case; its format byte is never written. */
static LAYOUT(intervention_layout, struct fc_intervention, intervention_fields);

static const struct fcs_field case_fields[] = {
    SCALAR(struct fc_case, version, FK_U32),
    SCALAR(struct fc_case, pupil_id, FK_U32),
    STR(struct fc_case, model_id),
    SCALAR(struct fc_case, phase, FK_U8),
    SCALAR(struct fc_case, status, FK_U8),
    SCALAR(struct fc_case, concern_date, FK_I32),
    SCALAR(struct fc_case, closed_date, FK_I32),
    SCALAR(struct fc_case, coordinator, FK_U32),
    SCALAR(struct fc_case, secondary, FK_U32),
    SCALAR(struct fc_case, team_id, FK_U32),
    SCALAR(struct fc_case, exclusions, FK_U8),
    STR(struct fc_case, exclusion_reason),
    STRLIST(struct fc_case, consent, nconsent),
    STRLIST(struct fc_case, goals, ngoals),
    SUBLIST(struct fc_case, interventions, ninterventions, intervention_layout),
    STR(struct fc_case, summary_interventions),
    STR(struct fc_case, summary_hypotheses),
    STR(struct fc_case, summary_agreements),
};
LAYOUT(fcs_case_layout, struct fc_case, case_fields);

/* The fields of a layout before the field `upto` (which must lie after
 * them in the struct too): decoded, and the struct zeroed up to `upto`;
 * the rest of it is left as it was. */
static bool decode_head(const struct fcs_layout *l, const char *upto, size_t *nhead,
                        const void *data, size_t len, void *rec)
{
    if (!*nhead)
        while (*nhead < l->nfields && strcmp(l->fields[*nhead].name, upto) != 0)
            ++*nhead;
    size_t zero = *nhead < l->nfields ? l->fields[*nhead].off : l->size;
    if (*nhead < l->nfields && l->fields[*nhead].kind >= FK_STRLIST &&
        l->fields[*nhead].count_off < zero)
        zero = l->fields[*nhead].count_off;   /* a list's count before its items */
    struct rd r = { data, (const uint8_t *)data + len };
    memset(rec, 0, zero);
    if (len < 1 || r.p[0] != l->format)
        return false;
    r.p++;
    for (size_t i = 0; i < *nhead; i++)
        if (!decode_field(&l->fields[i], &r, rec))
            return false;
    if (*nhead < l->nfields && l->fields[*nhead].kind >= FK_STRLIST)
        ((uint8_t *)rec)[l->fields[*nhead].count_off] = 0;   /* an empty list */
    return true;
}

static size_t case_nhead;

bool fcs_decode_case_head(const void *data, size_t len, struct fc_case *c)
{
    return decode_head(&fcs_case_layout, "exclusion_reason", &case_nhead, data, len, c);
}

size_t fcs_encode_case_head(const struct fc_case *c, uint8_t *out, size_t cap)
{
    if (!case_nhead)
        while (case_nhead < fcs_case_layout.nfields &&
               strcmp(case_fields[case_nhead].name, "exclusion_reason") != 0)
            case_nhead++;
    size_t n = 1;
    for (size_t i = 0; i < case_nhead; i++)
        n += field_size(&case_fields[i], (const uint8_t *)c);
    if (n > cap)
        return 0;
    out[0] = fcs_case_layout.format;
    uint8_t *o = out + 1;
    for (size_t i = 0; i < case_nhead; i++)
        o = encode_field(&case_fields[i], (const uint8_t *)c, o);
    return n;
}

bool fcs_decode_pupil_head(const void *data, size_t len, struct fc_pupil *p)
{
    static size_t nhead;
    return decode_head(&fcs_pupil_layout, "guardians", &nhead, data, len, p);
}

/* case_id and seq live in the key. */
static const struct fcs_field event_fields[] = {
    SCALAR(struct fc_phase_event, from_phase, FK_U8),
    SCALAR(struct fc_phase_event, to_phase, FK_U8),
    SCALAR(struct fc_phase_event, when, FK_I64),
    STR(struct fc_phase_event, who),
    STR(struct fc_phase_event, note),
};
LAYOUT(fcs_event_layout, struct fc_phase_event, event_fields);

static const struct fcs_field phase_def_fields[] = {
    STR(struct fc_phase_def, name),
    SCALAR(struct fc_phase_def, deadline_days, FK_I32),
};
static LAYOUT(phase_def_layout, struct fc_phase_def, phase_def_fields);

/* The id lives in the key. */
static const struct fcs_field model_fields[] = {
    STR(struct fc_phase_model, name),
    SUBLIST(struct fc_phase_model, phases, nphases, phase_def_layout),
};
LAYOUT(fcs_model_layout, struct fc_phase_model, model_fields);

static const struct fcs_field meeting_fields[] = {
    SCALAR(struct fc_meeting, version, FK_U32),
    SCALAR(struct fc_meeting, case_id, FK_U32),
    SCALAR(struct fc_meeting, date, FK_I32),
    SCALAR(struct fc_meeting, kind, FK_U8),
    STRLIST(struct fc_meeting, participants, nparticipants),
    STR(struct fc_meeting, notes),
    STR(struct fc_meeting, agreements),
};
LAYOUT(fcs_meeting_layout, struct fc_meeting, meeting_fields);

static const struct fcs_field rating_fields[] = {
    SCALAR(struct fc_rating, version, FK_U32),
    SCALAR(struct fc_rating, case_id, FK_U32),
    SCALAR(struct fc_rating, meeting_id, FK_U32),
    SCALAR(struct fc_rating, date, FK_I32),
    SCALAR(struct fc_rating, scale, FK_U8),
    SCALAR(struct fc_rating, rater, FK_U8),
    STR(struct fc_rating, rater_name),
    { "items", FK_I16ARR, offsetof(struct fc_rating, items), FC_ITEMS, 0, 0, NULL },
    SCALAR(struct fc_rating, total, FK_I16),
};
LAYOUT(fcs_rating_layout, struct fc_rating, rating_fields);

/* The date lives in the key. */
static const struct fcs_field holiday_fields[] = {
    STR(struct fc_holiday, description),
};
LAYOUT(fcs_holiday_layout, struct fc_holiday, holiday_fields);

/* The seq lives in the key. */
static const struct fcs_field audit_fields[] = {
    SCALAR(struct fc_audit, when, FK_I64),
    STR(struct fc_audit, who),
    STR(struct fc_audit, action),
    STR(struct fc_audit, entity),
    SCALAR(struct fc_audit, entity_id, FK_U32),
    STR(struct fc_audit, detail),
};
LAYOUT(fcs_audit_layout, struct fc_audit, audit_fields);

const char *fcs_bad_list(const struct fcs_layout *l, const void *rec)
{
    const uint8_t *r = rec;
    for (size_t i = 0; i < l->nfields; i++) {
        const struct fcs_field *f = &l->fields[i];
        if ((f->kind == FK_STRLIST || f->kind == FK_SUBLIST) && r[f->count_off] > f->max)
            return f->name;
    }
    return NULL;
}
