/* bytes.h -- bounds-checked cursors that read and write big/little-endian integers, for wire codecs */
#ifndef COMMON_BYTES_H
#define COMMON_BYTES_H 1

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * A read cursor over untrusted bytes. Every get checks the remaining length
 * first; a get that does not fit sets err, consumes nothing and yields 0, so
 * a decoder may read a group of fields and check err once. Nothing here
 * depends on the host's byte order or alignment.
 */
struct bytes_rd {
	const uint8_t *p;
	size_t left;
	int err;
};

/* a write cursor into a buffer of known capacity, with the same sticky err */
struct bytes_wr {
	uint8_t *p;
	size_t left;
	int err;
};

static inline struct bytes_rd
bytes_rd_init(const void *buf, size_t len)
{
	struct bytes_rd r = { (const uint8_t *)buf, len, 0 };
	return r;
}

static inline struct bytes_wr
bytes_wr_init(void *buf, size_t cap)
{
	struct bytes_wr w = { (uint8_t *)buf, cap, 0 };
	return w;
}

/* the next n bytes, consumed; NULL (and err set) when fewer are left */
static inline const uint8_t *
bytes_get_ptr(struct bytes_rd *r, size_t n)
{
	if (r->err || r->left < n) {
		r->err = 1;
		return NULL;
	}
	const uint8_t *s = r->p;
	r->p += n;
	r->left -= n;
	return s;
}

static inline void
bytes_get_mem(struct bytes_rd *r, void *dst, size_t n)
{
	const uint8_t *s = bytes_get_ptr(r, n);
	if (s == NULL)
		memset(dst, 0, n);
	else if (n > 0)
		memcpy(dst, s, n);
}

static inline uint8_t
bytes_get_u8(struct bytes_rd *r)
{
	const uint8_t *s = bytes_get_ptr(r, 1);
	return s == NULL ? 0 : s[0];
}

static inline uint16_t
bytes_get_be16(struct bytes_rd *r)
{
	const uint8_t *s = bytes_get_ptr(r, 2);
	return s == NULL ? 0 : (uint16_t)((unsigned)s[0] << 8 | s[1]);
}

static inline uint32_t
bytes_get_be32(struct bytes_rd *r)
{
	const uint8_t *s = bytes_get_ptr(r, 4);
	if (s == NULL)
		return 0;
	return (uint32_t)s[0] << 24 | (uint32_t)s[1] << 16 |
		(uint32_t)s[2] << 8 | s[3];
}

static inline uint64_t
bytes_get_be64(struct bytes_rd *r)
{
	const uint8_t *s = bytes_get_ptr(r, 8);
	uint64_t v = 0;
	for (int i = 0; s != NULL && i < 8; i++)
		v = v << 8 | s[i];
	return v;
}

static inline uint32_t
bytes_get_le32(struct bytes_rd *r)
{
	const uint8_t *s = bytes_get_ptr(r, 4);
	if (s == NULL)
		return 0;
	return (uint32_t)s[3] << 24 | (uint32_t)s[2] << 16 |
		(uint32_t)s[1] << 8 | s[0];
}

static inline uint64_t
bytes_get_le64(struct bytes_rd *r)
{
	const uint8_t *s = bytes_get_ptr(r, 8);
	uint64_t v = 0;
	for (int i = 7; s != NULL && i >= 0; i--)
		v = v << 8 | s[i];
	return v;
}

/* room for n more bytes, consumed; NULL (and err set) when the buffer is full */
static inline uint8_t *
bytes_put_ptr(struct bytes_wr *w, size_t n)
{
	if (w->err || w->left < n) {
		w->err = 1;
		return NULL;
	}
	uint8_t *d = w->p;
	w->p += n;
	w->left -= n;
	return d;
}

static inline void
bytes_put_mem(struct bytes_wr *w, const void *src, size_t n)
{
	uint8_t *d = bytes_put_ptr(w, n);
	if (d != NULL && n > 0)
		memcpy(d, src, n);
}

static inline void
bytes_put_u8(struct bytes_wr *w, uint8_t v)
{
	uint8_t *d = bytes_put_ptr(w, 1);
	if (d != NULL)
		d[0] = v;
}

static inline void
bytes_put_be16(struct bytes_wr *w, uint16_t v)
{
	uint8_t *d = bytes_put_ptr(w, 2);
	if (d == NULL)
		return;
	d[0] = (uint8_t)(v >> 8);
	d[1] = (uint8_t)v;
}

static inline void
bytes_put_be32(struct bytes_wr *w, uint32_t v)
{
	uint8_t *d = bytes_put_ptr(w, 4);
	if (d == NULL)
		return;
	d[0] = (uint8_t)(v >> 24);
	d[1] = (uint8_t)(v >> 16);
	d[2] = (uint8_t)(v >> 8);
	d[3] = (uint8_t)v;
}

static inline void
bytes_put_be64(struct bytes_wr *w, uint64_t v)
{
	uint8_t *d = bytes_put_ptr(w, 8);
	for (int i = 7; d != NULL && i >= 0; i--, v >>= 8)
		d[i] = (uint8_t)v;
}

static inline void
bytes_put_le32(struct bytes_wr *w, uint32_t v)
{
	uint8_t *d = bytes_put_ptr(w, 4);
	if (d == NULL)
		return;
	d[0] = (uint8_t)v;
	d[1] = (uint8_t)(v >> 8);
	d[2] = (uint8_t)(v >> 16);
	d[3] = (uint8_t)(v >> 24);
}

static inline void
bytes_put_le64(struct bytes_wr *w, uint64_t v)
{
	uint8_t *d = bytes_put_ptr(w, 8);
	for (int i = 0; d != NULL && i < 8; i++, v >>= 8)
		d[i] = (uint8_t)v;
}

#endif /* COMMON_BYTES_H */
