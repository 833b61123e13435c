/* The end of every Check suite's main(): run the suite, free the runner,
 * and turn the failures into the exit status automake's harness reads. */
#ifndef FITCASE_SUITE_RUN_H
#define FITCASE_SUITE_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int check_run(Suite *s, enum print_output mode)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, mode);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
