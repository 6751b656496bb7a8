/* config_file.c -- rpmemd.conf: "key = value" lines with '#' comments, read whole and bounded */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "err.h"

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* trims s in place; returns the first non-blank character */
static char *
trim(char *s)
{
	while (is_space(*s))
		s++;
	size_t len = strlen(s);
	while (len > 0 && is_space(s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* one line, newline excluded, already bounded by the caller */
static int
parse_line(struct rpmemd_config *cfg, char *line, const char *where)
{
	char *hash = strchr(line, '#');
	if (hash != NULL)
		*hash = '\0';
	char *s = trim(line);
	if (s[0] == '\0')
		return 0;
	if (s[0] == ';')
		return err_set(-EINVAL, "%s: ';' does not start a comment (use '#')",
			where);

	char *eq = strchr(s, '=');
	if (eq == NULL)
		return err_set(-EINVAL, "%s: missing '=' in '%s'", where, s);
	*eq = '\0';
	char *key = trim(s);
	char *value = trim(eq + 1);
	if (key[0] == '\0')
		return err_set(-EINVAL, "%s: missing key before '='", where);
	return rpmemd_config_set(cfg, key, value, where);
}

/* the line [s, s + len) must be short and free of NUL bytes */
static int
check_line(const char *s, size_t len, const char *where)
{
	if (len > RPMEMD_CONFIG_LINE_MAX)
		return err_set(-EINVAL, "%s: line longer than %d bytes", where,
			RPMEMD_CONFIG_LINE_MAX);
	if (memchr(s, '\0', len) != NULL)
		return err_set(-EINVAL, "%s: NUL byte in the line", where);
	return 0;
}

int
rpmemd_config_parse_text(struct rpmemd_config *cfg, const char *text,
	size_t len, const char *filename)
{
	if (len > RPMEMD_CONFIG_FILE_MAX)
		return err_set(-EINVAL, "%s: larger than %d bytes", filename,
			RPMEMD_CONFIG_FILE_MAX);

	char line[RPMEMD_CONFIG_LINE_MAX + 1];
	char where[1024];
	size_t pos = 0;
	for (unsigned lineno = 1; pos < len; lineno++) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t llen = nl != NULL ? (size_t)(nl - s) : len - pos;
		pos += llen + (nl != NULL);

		snprintf(where, sizeof(where), "%s:%u", filename, lineno);
		int ret = check_line(s, llen, where);
		if (ret != 0)
			return ret;
		memcpy(line, s, llen);
		line[llen] = '\0';
		ret = parse_line(cfg, line, where);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/* reads at most RPMEMD_CONFIG_FILE_MAX + 1 bytes, to notice a file that is too large */
static int
read_all(int fd, const char *path, char *buf, size_t *len)
{
	size_t n = 0;
	while (n <= RPMEMD_CONFIG_FILE_MAX) {
		ssize_t r = read(fd, buf + n, RPMEMD_CONFIG_FILE_MAX + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return err_set_sys(-errno, errno, "cannot read config file %s",
				path);
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > RPMEMD_CONFIG_FILE_MAX)
		return err_set(-EFBIG, "config file %s is larger than %d bytes", path,
			RPMEMD_CONFIG_FILE_MAX);
	*len = n;
	return 0;
}

int
rpmemd_config_read_file(struct rpmemd_config *cfg, const char *path,
	int must_exist)
{
	/* O_NONBLOCK: a FIFO must not hang the daemon before fstat refuses it */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT && !must_exist)
		return 0;
	if (fd < 0)
		return err_set_sys(-errno, errno, "cannot open config file %s", path);

	int ret;
	char *buf = NULL;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		ret = err_set_sys(-errno, errno, "cannot stat config file %s", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = err_set(-EINVAL, "config file %s is not a regular file", path);
		goto out;
	}
	buf = malloc(RPMEMD_CONFIG_FILE_MAX + 1);
	if (buf == NULL) {
		ret = err_set(-ENOMEM, "out of memory");
		goto out;
	}
	size_t len = 0;
	ret = read_all(fd, path, buf, &len);
	if (ret == 0)
		ret = rpmemd_config_parse_text(cfg, buf, len, path);
out:
	free(buf);
	close(fd);
	return ret;
}
