/* Civil dates: conversion, parsing of the formats Danish offices use,
 * ISO formatting, ages and calendar quarters. Pure; "today" is passed in. */
#ifndef FITCASE_DATE_H
#define FITCASE_DATE_H

#include "fitcase/types.h"

/* Builds a date; false for an impossible one (31-02-2025, month 13) or a
 * year outside 0-9999, which would not format in four digits. */
bool fc_date_from_ymd(int y, int m, int d, fc_date *out);
void fc_date_to_ymd(fc_date date, int *y, int *m, int *d);

/* Parses yyyy-mm-dd, dd-mm-yyyy or dd.mm.yyyy (also d-m-yyyy), surrounding
 * blanks allowed. On failure fills err (FC_EINVAL) with what is wrong, e.g.
 * "31-02-2025 is not a date: February 2025 has 28 days". */
int fc_date_parse(const char *s, fc_date *out, struct fc_err *err);

/* Writes yyyy-mm-dd (11 bytes with the NUL); "" for FC_DATE_NONE or a
 * date outside years 0-9999. */
void fc_date_format(fc_date date, char buf[static 11]);
/* Writes dd-mm-yyyy, the form users read. */
void fc_date_format_dk(fc_date date, char buf[static 11]);

int fc_date_weekday(fc_date date);          /* 0 = Monday .. 6 = Sunday */
int fc_days_in_month(int y, int m);

/* Whole years of age at date `at` (the birthday itself counts). */
int fc_age_years(fc_date birth, fc_date at);

/* First and last day of the calendar quarter containing date. */
void fc_date_quarter(fc_date date, fc_date *first, fc_date *last);

/* Unix seconds to the local civil date is I/O; callers convert. This helper
 * turns seconds since the epoch (UTC) into a date. */
fc_date fc_date_from_unix(int64_t secs);

#endif
