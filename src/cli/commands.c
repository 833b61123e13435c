/* The table of subcommands: the one place that lists them, so --help and
 * dispatch cannot drift apart. */
#include <config.h>

#include "cli.h"
#include "fitcase/i18n.h"

const struct cli_command cli_commands[] = {
    { "tui",    cmd_tui,    "", N_("open the interactive screen (the default)") },
    { "init",   cmd_init,   "[--demo] [--force]", N_("create a store; --demo fills it with a demo municipality") },
    { "verify", cmd_verify, "", N_("check every record and index of the store") },
    { "export", cmd_export, "KIND [-o FILE] [...]", N_("write CSV (pupils, cases, ...) to stdout or FILE") },
    { "import", cmd_import, "KIND FILE [--dry-run] [--skip-bad]", N_("read CSV into the store, all or nothing") },
    { "chart",  cmd_chart,  "CASE [--width W] [--height H] [--ascii]", N_("print the ORS/SRS chart of a case") },
    { "report", cmd_report, "CASE [--person NAME]", N_("print a case report for the case record") },
};
const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];
