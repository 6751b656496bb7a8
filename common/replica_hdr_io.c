/* replica_hdr_io.c -- reading and durably writing the raw POOLSET_HDR_SIZE-byte header of a replica's part */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "replica_internal.h"

/* -EINVAL unless part p exists, is laid out (has a source) and has a header */
static int
check_hdr_part(const struct replica *rep, unsigned p, const void *buf, const char *what)
{
	if (rep->parts == NULL)
		return err_set(-EINVAL, "part %u header cannot be %s: the replica is not initialized",
			p, what);
	if (buf == NULL)
		return err_set(-EINVAL, "%s: part %u header cannot be %s: no buffer", rep->name, p,
			what);
	if (p >= rep->nparts)
		return err_set(-EINVAL, "%s: part %u does not exist (the replica has %u)", rep->name,
			p, rep->nparts);
	if (rep->parts[p].src == NULL)
		return err_set(-EINVAL, "%s: part %u is not open (create or open first)", rep->name,
			p);
	if (!rep->parts[p].has_hdr)
		return err_set(-EINVAL, "%s: part %u has no header (OPTION %s)", rep->name, p,
			rep->set->nohdrs ? "NOHDRS" : "SINGLEHDR");
	return 0;
}

int
replica_hdr_read(struct replica *rep, unsigned p, void *buf)
{
	int ret = check_hdr_part(rep, p, buf, "read");
	if (ret)
		return ret;
	/* through the source, not the map: a media error is reported, not a SIGBUS */
	ret = pmem2_source_pread_mcsafe(rep->parts[p].src, buf, POOLSET_HDR_SIZE, 0);
	if (ret)
		return err_set(-pmem2_err_to_errno(ret), "%s: part %u header cannot be read: %s",
			rep->name, p, pmem2_errormsg());
	return 0;
}

/* regular files need their page cache written back; a device DAX write is already durable */
static int
sync_part(struct replica *rep, unsigned p)
{
	struct stat st;
	int fd = rep->parts[p].fd;
	if (fstat(fd, &st) != 0 || (S_ISREG(st.st_mode) && fdatasync(fd) != 0))
		return err_set_sys(-errno, errno, "%s: part %u header cannot be synced", rep->name,
			p);
	return 0;
}

int
replica_hdr_write(struct replica *rep, unsigned p, const void *buf)
{
	int ret = check_hdr_part(rep, p, buf, "written");
	if (ret)
		return ret;
	struct replica_part *part = &rep->parts[p];
	if (p == 0 && part->map != NULL) {
		/* part 0's header is the pool's first bytes: the map's copy persists it */
		part->memcpy_fn(rep->addr, buf, POOLSET_HDR_SIZE, 0);
		return 0;
	}
	ret = pmem2_source_pwrite_mcsafe(part->src, (void *)buf, POOLSET_HDR_SIZE, 0);
	if (ret)
		return err_set(-pmem2_err_to_errno(ret), "%s: part %u header cannot be written: %s",
			rep->name, p, pmem2_errormsg());
	return sync_part(rep, p);
}
