/* lane_layout.h -- where a lane's registered buffers lie, and which slot or receive a completion's context names */
#ifndef LIBRPMEM_LANE_LAYOUT_H
#define LIBRPMEM_LANE_LAYOUT_H 1

#include "rpmem.h"

/*
 * One registration holds, per lane: PROTO_INBAND_DEPTH request buffers,
 * as many receive buffers (each takes a message of up to PROTO_INBAND_DEPTH
 * answers), and as many 8-byte APM read sinks, each cache-line aligned.
 */
#define LANE_REQ_SPACE ALIGN_UP((size_t)PROTO_INBAND_REQ_MAX, 64)
#define LANE_RECV_SPACE ALIGN_UP((size_t)PROTO_INBAND_RESP_MAX, 64)
#define LANE_SCRATCH_SPACE 64
#define LANE_SCRATCH_READ 8
#define LANE_SPACE ((size_t)PROTO_INBAND_DEPTH * \
	(LANE_REQ_SPACE + LANE_RECV_SPACE + LANE_SCRATCH_SPACE))

/* receive buffer i, also the context of its completion */
static inline uint8_t *
lane_recv_buf(struct rpmem_lane *lane, unsigned i)
{
	return lane->resp + (size_t)i * LANE_RECV_SPACE;
}

/* 1 with *i set when ctx is one of the lane's receive buffers */
static inline int
lane_recv_index(struct rpmem_lane *lane, const void *ctx, unsigned *i)
{
	uintptr_t c = (uintptr_t)ctx, first = (uintptr_t)lane->resp;
	if (c < first || c >= first + (uintptr_t)PROTO_INBAND_DEPTH * LANE_RECV_SPACE ||
			(c - first) % LANE_RECV_SPACE != 0)
		return 0;
	*i = (unsigned)((c - first) / LANE_RECV_SPACE);
	return 1;
}

/* 1 with *i set when ctx is one of the lane's slots (the context of its posts) */
static inline int
lane_slot_index(struct rpmem_lane *lane, const void *ctx, unsigned *i)
{
	uintptr_t c = (uintptr_t)ctx, first = (uintptr_t)lane->slots;
	if (c < first || c >= first + sizeof(lane->slots) ||
			(c - first) % sizeof(lane->slots[0]) != 0)
		return 0;
	*i = (unsigned)((c - first) / sizeof(lane->slots[0]));
	return 1;
}

#endif /* LIBRPMEM_LANE_LAYOUT_H */
