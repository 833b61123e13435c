/* Drafts: a half-filled form as text, so what was typed survives a dropped
 * link. Pure (de)serialisation; the TUI decides where the file lives. */
#ifndef FITCASE_DRAFT_H
#define FITCASE_DRAFT_H

#include <stddef.h>

#include "fitcase/types.h"

struct fc_draft_field {
    char *key;
    char *value;
};

struct fc_draft {
    char form[32];           /* which form: "case", "meeting", ... */
    char store[1024];        /* the store it was typed against */
    fc_id case_id;           /* 0 for a new case */
    uint32_t version;        /* the record's version when the form opened */
    int current;             /* the field the cursor was in */
    size_t n;
    struct fc_draft_field *fields;
};

/* Sets (adds or replaces) a field; false when out of memory. */
bool fc_draft_set(struct fc_draft *d, const char *key, const char *value);
/* The value of key, or NULL. */
const char *fc_draft_get(const struct fc_draft *d, const char *key);
void fc_draft_free(struct fc_draft *d);

/* Text form: a "fitcase-draft 1" line, then "name value" lines; values
 * escape backslash, newline and carriage return. *out is malloc'd. */
int fc_draft_format(const struct fc_draft *d, char **out, size_t *len, struct fc_err *err);
/* Parses text (len bytes) into d (which must be zeroed or freed). */
int fc_draft_parse(const char *text, size_t len, struct fc_draft *d, struct fc_err *err);

#endif
