/* proc_status.h -- one "Name: N kB" figure of a process's /proc/<pid>/status, for the memory checks of the load tests */
#ifndef LOAD_PROC_STATUS_H
#define LOAD_PROC_STATUS_H 1

#include <stdio.h>
#include <string.h>
#include <sys/types.h>

/* the value in kB of the line "name:" of /proc/pid/status; -1 when the process or the line is missing */
static inline long
proc_status_kb(pid_t pid, const char *name)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	long kb = -1;
	size_t n = strlen(name);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			if (sscanf(line + n + 1, "%ld", &kb) != 1)
				kb = -1;
			break;
		}
	fclose(f);
	return kb;
}

#endif /* LOAD_PROC_STATUS_H */
