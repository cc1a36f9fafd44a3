/* A library that another depends on: the Windows stage builds it into a
 * folder of its own beside depuser.c's DLL, for native's
 * TestLoadDependency. */

double zc_test_dep_value(void);

double zc_test_dep_value(void) { return 2.0; }
