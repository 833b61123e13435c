/* Key building: big-endian fixed-width fields, so the default byte-wise
 * comparator sorts keys by their fields and mdb_dump output reads plainly. */
#include <config.h>

#include <string.h>

#include "fitcase/text.h"
#include "internal.h"

uint32_t fcs_get_u32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

uint64_t fcs_get_u64(const void *p)
{
    const uint8_t *b = p;
    return (uint64_t)fcs_get_u32(b) << 32 | fcs_get_u32(b + 4);
}

void fcs_put_u32(void *p, uint32_t v)
{
    uint8_t *b = p;
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

void fcs_put_u64(void *p, uint64_t v)
{
    uint8_t *b = p;
    fcs_put_u32(b, (uint32_t)(v >> 32));
    fcs_put_u32(b + 4, (uint32_t)v);
}

/* Flipping the sign bit maps INT32_MIN..INT32_MAX onto 0..UINT32_MAX in
 * order, so dates before 1970 still sort first. */
fc_date fcs_get_date(const void *p)
{
    uint32_t u = fcs_get_u32(p) ^ 0x80000000u;
    return u <= INT32_MAX ? (fc_date)u : (fc_date)((int64_t)u - 4294967296LL);
}

static void add(struct fcs_key *k, const void *p, size_t n)
{
    if (k->len + n > FCS_KEY_MAX)
        n = FCS_KEY_MAX - k->len;    /* callers bound their strings; belt only */
    memcpy(k->b + k->len, p, n);
    k->len += n;
}

void fcs_key(struct fcs_key *k, const char *fmt, ...)
{
    va_list ap;
    uint8_t tmp[8];
    k->len = 0;
    va_start(ap, fmt);
    for (const char *f = fmt; *f; f++) {
        switch (*f) {
        case 'B':
            tmp[0] = (uint8_t)va_arg(ap, unsigned);
            add(k, tmp, 1);
            break;
        case 'I':
            fcs_put_u32(tmp, va_arg(ap, uint32_t));
            add(k, tmp, 4);
            break;
        case 'D':
            fcs_put_u32(tmp, (uint32_t)va_arg(ap, int) ^ 0x80000000u);
            add(k, tmp, 4);
            break;
        case 'Q':
            fcs_put_u64(tmp, va_arg(ap, uint64_t));
            add(k, tmp, 8);
            break;
        case 'F': {
            const char *s = va_arg(ap, const char *);
            uint8_t pad[FC_MODEL_ID_MAX] = { 0 };
            memcpy(pad, s, strnlen(s, FC_MODEL_ID_MAX - 1));
            add(k, pad, sizeof pad);
            break;
        }
        case 'S':
        case 'Z': {
            const char *s = va_arg(ap, const char *);
            add(k, s, strlen(s));
            if (*f == 'Z')
                add(k, "", 1);
            break;
        }
        default:
            break;
        }
    }
    va_end(ap);
}

bool fcs_has_prefix(const MDB_val *key, const struct fcs_key *prefix)
{
    return key->mv_size >= prefix->len && memcmp(key->mv_data, prefix->b, prefix->len) == 0;
}

bool fcs_fold(const char *name, char *out, size_t cap)
{
    fc_fold(name, out, cap);
    return out[0] != '\0';
}

void fcs_key_pupil_name(struct fcs_key *k, const char *name, fc_id id)
{
    char folded[FCS_FOLD_MAX];
    fcs_fold(name, folded, sizeof folded);
    fcs_key(k, "ZI", folded, id);
}

void fcs_key_case_phase(struct fcs_key *k, const char *model, int phase, fc_id id)
{
    fcs_key(k, "FBI", model, (unsigned)phase, id);
}
