/* fitcase domain records: the plain structs every layer passes around.
 * Core computes over them, store persists them, io and tui present them. */
#ifndef FITCASE_TYPES_H
#define FITCASE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A civil date as days since 1970-01-01 (proleptic Gregorian). */
typedef int32_t fc_date;
#define FC_DATE_NONE INT32_MIN

typedef uint32_t fc_id;   /* every entity id; 0 means "none" */

/* Sizes of the fixed text buffers (bytes, UTF-8, NUL included). */
enum {
    FC_NAME_MAX = 96,
    FC_LOGIN_MAX = 33,
    FC_SHORT_MAX = 48,
    FC_TEXT_MAX = 2048,
    FC_LIST_MAX = 12,       /* guardians, consent parties, goals, participants */
    FC_INTERVENTIONS_MAX = 12,
    FC_PHASES_MAX = 10,
    FC_MODEL_ID_MAX = 16,
};

/* An error the user can act on: a code and a sentence. */
struct fc_err {
    int code;
    char msg[512];
};

enum fc_errcode {
    FC_OK = 0,
    FC_EINVAL,      /* bad input (date, score, missing field) */
    FC_ENOTFOUND,
    FC_EEXIST,      /* duplicate (rater twice, id taken) */
    FC_ECONFLICT,   /* record changed since it was read */
    FC_EDENIED,     /* not allowed for this user */
    FC_ESTORE,      /* LMDB or file system error */
    FC_EFULL,       /* disk or map limit reached */
    FC_ECORRUPT,    /* verify found an inconsistency */
};

/* ---- scales and raters ------------------------------------------------ */

enum fc_scale { FC_ORS, FC_CORS, FC_SRS, FC_CSRS, FC_SCALE_COUNT };

enum fc_rater {
    FC_RATER_CHILD, FC_RATER_MOTHER, FC_RATER_FATHER, FC_RATER_GUARDIAN,
    FC_RATER_TEACHER, FC_RATER_PEDAGOGUE, FC_RATER_CASEWORKER, FC_RATER_OTHER,
    FC_RATER_COUNT
};

/* Items and totals are in tenths: an item 0-100 (0.0-10.0), a total 0-400.
 * An item of FC_ITEM_NONE means only the total is known (imported data). */
#define FC_ITEM_NONE (-1)
#define FC_ITEMS 4

struct fc_rating {
    fc_id id;
    uint32_t version;
    fc_id case_id;
    fc_id meeting_id;
    fc_date date;                 /* the meeting's date */
    uint8_t scale;                /* enum fc_scale */
    uint8_t rater;                /* enum fc_rater */
    char rater_name[FC_NAME_MAX]; /* for "other", or a named teacher etc. */
    int16_t items[FC_ITEMS];
    int16_t total;
};

/* ---- people and places ---------------------------------------------- */

enum fc_role { FC_ROLE_CASEWORKER, FC_ROLE_LEAD, FC_ROLE_ADMIN, FC_ROLE_COUNT };

struct fc_team {
    fc_id id;
    uint32_t version;
    char name[FC_NAME_MAX];
};

struct fc_staff {
    fc_id id;
    uint32_t version;
    char login[FC_LOGIN_MAX];
    char name[FC_NAME_MAX];
    uint8_t role;                 /* enum fc_role */
    bool active;
    fc_id team_id;
};

struct fc_school {
    fc_id id;
    uint32_t version;
    char name[FC_NAME_MAX];
};

struct fc_pupil {
    fc_id id;
    uint32_t version;
    char name[FC_NAME_MAX];
    fc_date birth_date;
    int8_t grade;                 /* 0-10 */
    fc_id school_id;
    uint8_t nguardians;
    char guardians[FC_LIST_MAX][FC_NAME_MAX];
};

/* ---- cases -------------------------------------------------------------- */

enum fc_case_status { FC_CASE_OPEN, FC_CASE_CLOSED };

/* Intake exclusion questions (domain.md): any "yes" means the FIT team
 * normally cannot take the case. */
enum fc_exclusion {
    FC_EXCL_WELFARE_INVESTIGATION, FC_EXCL_ACTION_PLAN, FC_EXCL_PSYCHIATRY,
    FC_EXCL_SUBSTANCE, FC_EXCL_ANXIETY_DEPRESSION, FC_EXCL_COUNT
};

struct fc_intervention {
    char kind[FC_SHORT_MAX];
    fc_date start;
    fc_date end;                  /* FC_DATE_NONE while ongoing */
    char who[FC_NAME_MAX];
};

struct fc_case {
    fc_id id;
    uint32_t version;
    fc_id pupil_id;
    char model_id[FC_MODEL_ID_MAX];
    uint8_t phase;                /* index into the model's phases */
    uint8_t status;               /* enum fc_case_status */
    fc_date concern_date;
    fc_date closed_date;          /* FC_DATE_NONE while open */
    fc_id coordinator;            /* staff id */
    fc_id secondary;              /* staff id or 0 */
    fc_id team_id;
    uint8_t exclusions;           /* bit i set = question i answered yes */
    char exclusion_reason[FC_TEXT_MAX];
    uint8_t nconsent;
    char consent[FC_LIST_MAX][FC_NAME_MAX];
    uint8_t ngoals;
    char goals[FC_LIST_MAX][FC_NAME_MAX * 2];
    uint8_t ninterventions;
    struct fc_intervention interventions[FC_INTERVENTIONS_MAX];
    char summary_interventions[FC_TEXT_MAX];
    char summary_hypotheses[FC_TEXT_MAX];
    char summary_agreements[FC_TEXT_MAX];
};

struct fc_phase_event {
    fc_id case_id;
    uint32_t seq;                 /* 1, 2, ... within the case */
    uint8_t from_phase;
    uint8_t to_phase;
    int64_t when;                 /* Unix seconds */
    char who[FC_LOGIN_MAX];
    char note[FC_TEXT_MAX];
};

/* ---- meetings ---------------------------------------------------------- */

enum fc_meeting_kind {
    FC_MEET_ENROLMENT, FC_MEET_STARTUP, FC_MEET_PARENT, FC_MEET_DEVELOPMENT,
    FC_MEET_HOME_VISIT, FC_MEET_NETWORK, FC_MEET_ACTION_PLAN, FC_MEET_STATUS,
    FC_MEET_PHONE, FC_MEET_KIND_COUNT
};

struct fc_meeting {
    fc_id id;
    uint32_t version;
    fc_id case_id;
    fc_date date;
    uint8_t kind;                 /* enum fc_meeting_kind */
    uint8_t nparticipants;
    char participants[FC_LIST_MAX][FC_NAME_MAX];
    char notes[FC_TEXT_MAX];
    char agreements[FC_TEXT_MAX];
};

/* ---- absence and calendar ---------------------------------------------- */

enum fc_absence_kind { FC_ABS_SICK, FC_ABS_LEGAL, FC_ABS_ILLEGAL, FC_ABS_KIND_COUNT };

struct fc_absence {
    fc_id pupil_id;
    fc_date date;
    uint8_t kind;                 /* enum fc_absence_kind */
};

struct fc_holiday {
    fc_date date;
    char description[FC_NAME_MAX];
};

/* ---- phase models ------------------------------------------------------ */

struct fc_phase_def {
    char name[FC_SHORT_MAX];
    int32_t deadline_days;        /* from the concern date; -1 = no deadline */
};

struct fc_phase_model {
    char id[FC_MODEL_ID_MAX];     /* "fit", "roskilde", "national", or a team's */
    char name[FC_NAME_MAX];
    uint8_t nphases;
    struct fc_phase_def phases[FC_PHASES_MAX];
};

/* ---- audit ------------------------------------------------------------- */

struct fc_audit {
    uint64_t seq;
    int64_t when;                 /* Unix seconds */
    char who[FC_LOGIN_MAX];
    char action[FC_SHORT_MAX];    /* "case.update", "meeting.add", "case.open" ... */
    char entity[16];              /* "case", "pupil", ... */
    fc_id entity_id;
    char detail[FC_TEXT_MAX];     /* what changed, in short */
};

#endif
