/* The table of subcommands: the one place that lists them, so --help and
 * dispatch cannot drift apart, with who may run each (CLI_* in cli.h). */
#include <config.h>

#include "cli.h"
#include "fitcase/i18n.h"

const struct cli_command cli_commands[] = {
    { "tui",    cmd_tui,    "", N_("open the interactive screen (the default)"), 0 },
    { "init",   cmd_init,   "[--demo] [--force]", N_("create a store; --demo fills it with a demo municipality"), CLI_NO_LOGIN },
    { "verify", cmd_verify, "", N_("check every record and index of the store"), CLI_OPERATOR_OK },
    { "export", cmd_export, "KIND [-o FILE] [...]", N_("write CSV (pupils, cases, person, ...) to stdout or FILE"), 0 },
    { "import", cmd_import, "KIND FILE|- [--dry-run] [--skip-bad]", N_("read CSV into the store, all or nothing (leads, admins)"), CLI_LEAD | CLI_BULK },
    { "chart",  cmd_chart,  "CASE [--width W] [--height H] [--ascii]", N_("print the ORS/SRS chart of a case") , 0 },
    { "report", cmd_report, "CASE [--person NAME]", N_("print a case report for the case record"), 0 },
    { "case",   cmd_case,   "reassign CASE LOGIN", N_("hand a case to another coordinator"), 0 },
    { "stats",  cmd_stats,  "[--csv] [--as-of DATE]", N_("outcome and FIT figures per caseworker, team and intervention"), 0 },
    { "staff",  cmd_staff,  "add|list|set-role|set-team|deactivate ...", N_("manage staff and their roles (admins)"), CLI_ADMIN },
    { "audit",  cmd_audit,  "[--case ID] [--user LOGIN] [--since DATE]", N_("show the audit log (leads, admins)"), CLI_LEAD },
    { "erase-pupil", cmd_erase_pupil, "ID", N_("delete a pupil and everything about them after the retention period"), CLI_LEAD },
    { "backup", cmd_backup, "DIR", N_("copy the store compactly into DIR and verify the copy"), CLI_OPERATOR },
    { "restore", cmd_restore, "DIR [--force]", N_("put the store back from a backup in DIR"), CLI_OPERATOR },
};
const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];
