/* test_sigsegv.h -- run code that should fault in a forked child and report the signal */
#ifndef TEST_SIGSEGV_H
#define TEST_SIGSEGV_H 1

/*
 * Forks; the child restores the default SIGSEGV/SIGBUS actions, disables core
 * dumps, calls fn(arg) and exits 0. Returns the signal that killed the child
 * (SIGSEGV, SIGBUS...) or 0 when fn returned normally. fn must not use cmocka
 * assertions (they would jump into the parent's copy of the test); it may
 * _exit() with a non-zero status, which fails the calling test.
 */
int test_signal_of(void (*fn)(void *arg), void *arg);

/* whether fn(arg) dies of an access fault (SIGSEGV or SIGBUS) */
int test_faults(void (*fn)(void *arg), void *arg);

#endif /* TEST_SIGSEGV_H */
