/* config_home.c -- the home directory and "$HOME" in path settings, as PMDK's rpmemd expands it */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static __thread char Home[PATH_MAX];

const char *
rpmemd_config_home(void)
{
	const char *env = getenv("HOME");
	if (env != NULL && env[0] != '\0')
		return env;

	struct passwd pw, *res = NULL;
	char buf[16384];
	if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return NULL;
	size_t len = strlen(pw.pw_dir);
	if (len == 0 || len >= sizeof(Home))
		return NULL;
	memcpy(Home, pw.pw_dir, len + 1);
	return Home;
}

static int
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9');
}

/* appends [s, s + len) at out[*pos], keeping room for the NUL */
static int
append(char *out, size_t *pos, const char *s, size_t len)
{
	if (len >= PATH_MAX - *pos)
		return -ENAMETOOLONG;
	memcpy(out + *pos, s, len);
	*pos += len;
	return 0;
}

char *
rpmemd_config_expand_home(const char *value, int *ret)
{
	static const char var[] = "$HOME";
	const size_t vlen = sizeof(var) - 1;
	char out[PATH_MAX];
	size_t pos = 0;
	const char *home = NULL;
	const char *p = value;

	*ret = 0;
	while (*ret == 0 && *p != '\0') {
		const char *hit = strstr(p, var);
		/* "$HOMEsuffix" is another name: kept literally, as in PMDK */
		while (hit != NULL && is_alnum(hit[vlen]))
			hit = strstr(hit + 1, var);
		if (hit == NULL) {
			*ret = append(out, &pos, p, strlen(p));
			break;
		}
		if (home == NULL && (home = rpmemd_config_home()) == NULL) {
			*ret = -ENOENT;
			break;
		}
		*ret = append(out, &pos, p, (size_t)(hit - p));
		if (*ret == 0)
			*ret = append(out, &pos, home, strlen(home));
		p = hit + vlen;
	}
	if (*ret != 0)
		return NULL;
	out[pos] = '\0';
	char *s = strdup(out);
	if (s == NULL)
		*ret = -ENOMEM;
	return s;
}
