/* test_sigsegv.c -- fork a child to run code that is expected to fault */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_common.h"
#include "test_sigsegv.h"

static void
default_action(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

int
test_signal_of(void (*fn)(void *arg), void *arg)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		fail_msg("fork: %s", strerror(errno));
	if (pid == 0) {
		struct rlimit no_core = {0, 0};
		setrlimit(RLIMIT_CORE, &no_core);
		default_action(SIGSEGV);
		default_action(SIGBUS);
		fn(arg);
		_exit(0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			fail_msg("waitpid: %s", strerror(errno));
	}
	if (WIFSIGNALED(status))
		return WTERMSIG(status);
	if (WEXITSTATUS(status) != 0)
		fail_msg("child exited with status %d", WEXITSTATUS(status));
	return 0;
}

int
test_faults(void (*fn)(void *arg), void *arg)
{
	int sig = test_signal_of(fn, arg);
	return sig == SIGSEGV || sig == SIGBUS;
}
