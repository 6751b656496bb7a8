/* replay_main.c -- a main() for a fuzz target without libFuzzer: feeds it every file of the given directories */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* big enough for any input our decoders accept (config files: 64 KiB) and then some */
#define REPLAY_MAX (256 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	uint8_t *buf = malloc(REPLAY_MAX);
	size_t n = buf != NULL ? fread(buf, 1, REPLAY_MAX, f) : 0;
	int bad = buf == NULL || ferror(f) || !feof(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "%s: cannot read it whole (at most %d bytes)\n", path, REPLAY_MAX);
		free(buf);
		return -1;
	}
	/* exactly n bytes, so that a read past the input is caught under ASan */
	uint8_t *data = malloc(n ? n : 1);
	if (data == NULL) {
		free(buf);
		return -1;
	}
	memcpy(data, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(data, n);
	free(data);
	return 0;
}

/* every regular file of dir, hidden files (.gitkeep) excluded; returns how many or -1 */
static int
replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	int count = 0;
	struct dirent *e;
	char path[4096];
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (replay_file(path) != 0) {
			count = -1;
			break;
		}
		count++;
	}
	closedir(d);
	return count;
}

int
main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR...\n", argv[0]);
		return 2;
	}
	int total = 0;
	for (int i = 1; i < argc; i++) {
		int n = replay_dir(argv[i]);
		if (n < 0)
			return 1;
		printf("%s: %d inputs replayed\n", argv[i], n);
		total += n;
	}
	printf("%d inputs replayed\n", total);
	return 0;
}
