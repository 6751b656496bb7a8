/*
 * future.h -- futures: a task polled until it completes, its data and output
 * kept inline after it, notifiers (waker, poller), and chains of futures run
 * one after another with lazy construction and map functions. Header only;
 * source-compatible with pmem's miniasync 0.2. See miniasync_future(7).
 */
#ifndef LIBMINIASYNC_FUTURE_H
#define LIBMINIASYNC_FUTURE_H 1

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) || defined(__amd64__) || defined(__i386__)
#include <emmintrin.h>
#define __FUTURE_WAIT() _mm_pause()
#else
#include <sched.h>
#define __FUTURE_WAIT() sched_yield()
#endif

#ifdef __cplusplus
extern "C" {
#endif

enum future_state {
	FUTURE_STATE_IDLE,
	FUTURE_STATE_COMPLETE,
	FUTURE_STATE_RUNNING,
};

/* sizes of the data and output that follow the context in memory (24 bytes) */
struct future_context {
	size_t data_size;
	size_t output_size;
	enum future_state state;
	uint32_t padding;
};

typedef void (*future_waker_wake_fn)(void *data);

/* called by the task (from any thread) when polling again can make progress */
struct future_waker {
	void *data;
	future_waker_wake_fn wake;
};

/* a word that becomes non-zero when polling again can make progress */
struct future_poller {
	uint64_t *ptr_to_monitor;
};

enum future_notifier_type {
	FUTURE_NOTIFIER_NONE,
	FUTURE_NOTIFIER_WAKER,
	FUTURE_NOTIFIER_POLLER,
};

/*
 * Passed to a poll: the poller fills the waker, the task says in
 * notifier_used which way it will signal progress, if any (32 bytes).
 */
struct future_notifier {
	struct future_waker waker;
	struct future_poller poller;
	enum future_notifier_type notifier_used;
	uint32_t padding;
};

enum future_property {
	FUTURE_PROPERTY_ASYNC,
};

static inline void *
future_context_get_data(struct future_context *context)
{
	return (char *)context + sizeof(struct future_context);
}

static inline void *
future_context_get_output(struct future_context *context)
{
	return (char *)future_context_get_data(context) + context->data_size;
}

static inline size_t
future_context_get_size(struct future_context *context)
{
	return context->data_size + context->output_size;
}

#define FUTURE_WAKER_WAKE(_wakerp) ((_wakerp)->wake((_wakerp)->data))

typedef enum future_state (*future_task_fn)(struct future_context *context,
	struct future_notifier *notifier);
typedef int (*future_has_property_fn)(void *future,
	enum future_property property);

/* the head of every future (40 bytes); data and output follow it */
struct future {
	future_task_fn task;
	future_has_property_fn has_property;
	struct future_context context;
};

#define FUTURE(_name, _data_type, _output_type) \
	struct _name { \
		struct future base; \
		_data_type data; \
		_output_type output; \
	}

#define FUTURE_INIT_EXT(_futurep, _taskfn, _propertyfn) \
do { \
	(_futurep)->base.task = (_taskfn); \
	(_futurep)->base.has_property = (_propertyfn); \
	(_futurep)->base.context.state = FUTURE_STATE_IDLE; \
	(_futurep)->base.context.data_size = sizeof((_futurep)->data); \
	(_futurep)->base.context.output_size = sizeof((_futurep)->output); \
	(_futurep)->base.context.padding = 0; \
} while (0)

#define FUTURE_INIT(_futurep, _taskfn) \
	FUTURE_INIT_EXT((_futurep), (_taskfn), future_has_property_default)

/* a future that is complete from the start: its output is all it holds */
#define FUTURE_INIT_COMPLETE(_futurep) \
do { \
	(_futurep)->base.task = NULL; \
	(_futurep)->base.has_property = NULL; \
	(_futurep)->base.context.state = FUTURE_STATE_COMPLETE; \
	(_futurep)->base.context.data_size = sizeof((_futurep)->data); \
	(_futurep)->base.context.output_size = sizeof((_futurep)->output); \
	(_futurep)->base.context.padding = 0; \
} while (0)

#define FUTURE_AS_RUNNABLE(_futurep) (&(_futurep)->base)
#define FUTURE_OUTPUT(_futurep) (&(_futurep)->output)
#define FUTURE_DATA(_futurep) (&(_futurep)->data)
#define FUTURE_STATE(_futurep) ((_futurep)->base.context.state)

/*
 * Runs the task once unless the future is complete; returns the new state.
 * notifier may be NULL: the caller then polls without being told when.
 */
static inline enum future_state
future_poll(struct future *fut, struct future_notifier *notifier)
{
	if (fut->context.state != FUTURE_STATE_COMPLETE)
		fut->context.state = fut->task(&fut->context, notifier);
	return fut->context.state;
}

/* every property is unset */
static inline int
future_has_property_default(void *future, enum future_property property)
{
	(void)future;
	(void)property;
	return 0;
}

/* 1 when the future has the property; 0 also for a future without the callback */
static inline int
future_has_property(struct future *fut, enum future_property property)
{
	if (fut->has_property == NULL)
		return 0;
	return fut->has_property(fut, property) > 0;
}

/* polls without a notifier until the future completes, pausing between polls */
#define FUTURE_BUSY_POLL(_futurep) \
do { \
	while (future_poll(FUTURE_AS_RUNNABLE(_futurep), NULL) != \
			FUTURE_STATE_COMPLETE) \
		__FUTURE_WAIT(); \
} while (0)

/* ---- chains: futures laid out back to back in a chain future's data ---- */

/* maps the completed lhs (its data and output) onto rhs: the next entry, or the chain itself */
typedef void (*future_map_fn)(struct future_context *lhs,
	struct future_context *rhs, void *arg);
/* constructs an entry's future in place just before it runs (lazy entries) */
typedef void (*future_init_fn)(void *future,
	struct future_context *chain_fut, void *arg);

/* what every entry declared with FUTURE_CHAIN_ENTRY looks like (80 bytes with its future) */
struct future_chain_entry {
	future_map_fn map;
	void *map_arg;
	future_init_fn init;
	void *init_arg;
	uint64_t flags;
	struct future future;
};

#define FUTURE_CHAIN_FLAG_ENTRY_LAST		(((uint64_t)1) << 0)
#define FUTURE_CHAIN_FLAG_ENTRY_PROCESSED	(((uint64_t)1) << 1)
#define FUTURE_CHAIN_VALID_FLAGS \
	(FUTURE_CHAIN_FLAG_ENTRY_LAST | FUTURE_CHAIN_FLAG_ENTRY_PROCESSED)

enum future_chain_entry_type {
	FUTURE_CHAIN_ENTRY_REGULAR = 1,
	FUTURE_CHAIN_ENTRY_LAST = 2,
};

/* the size of the array a marker points to says, at compile time, whether an entry is last */
typedef uint8_t _future_entry_type_regular[FUTURE_CHAIN_ENTRY_REGULAR];
typedef uint8_t _future_entry_type_last[FUTURE_CHAIN_ENTRY_LAST];

#define _FUTURE_CHAIN_ENTRY(_future_type, _name, _marker_type) \
	struct { \
		future_map_fn map; \
		void *map_arg; \
		future_init_fn init; \
		void *init_arg; \
		union { \
			uint64_t flags; \
			_marker_type *_entry_type; \
		}; \
		_future_type fut; \
	} _name

#define FUTURE_CHAIN_ENTRY(_future_type, _name) \
	_FUTURE_CHAIN_ENTRY(_future_type, _name, _future_entry_type_regular)

/* the last entry of a chain: whatever the chain's data holds after it is not an entry */
#define FUTURE_CHAIN_ENTRY_LAST(_future_type, _name) \
	_FUTURE_CHAIN_ENTRY(_future_type, _name, _future_entry_type_last)

#define _FUTURE_CHAIN_ENTRY_FIRST_FLAGS(_entry) \
	(sizeof(*(_entry)->_entry_type) == FUTURE_CHAIN_ENTRY_LAST ? \
		FUTURE_CHAIN_FLAG_ENTRY_LAST : (uint64_t)0)

#define FUTURE_CHAIN_ENTRY_INIT(_entry, _fut, _map, _map_arg) \
do { \
	(_entry)->fut = (_fut); \
	(_entry)->map = (_map); \
	(_entry)->map_arg = (_map_arg); \
	(_entry)->init = NULL; \
	(_entry)->init_arg = NULL; \
	(_entry)->flags = _FUTURE_CHAIN_ENTRY_FIRST_FLAGS(_entry); \
} while (0)

/* the entry's future is left unset: _init constructs it when the chain reaches the entry */
#define FUTURE_CHAIN_ENTRY_LAZY_INIT(_entry, _init, _init_arg, _map, _map_arg) \
do { \
	(_entry)->map = (_map); \
	(_entry)->map_arg = (_map_arg); \
	(_entry)->init = (_init); \
	(_entry)->init_arg = (_init_arg); \
	(_entry)->flags = _FUTURE_CHAIN_ENTRY_FIRST_FLAGS(_entry); \
} while (0)

#define FUTURE_CHAIN_ENTRY_HAS_FLAG(_entry, _flag) \
	(((_entry)->flags & (_flag)) == (_flag))
#define FUTURE_CHAIN_ENTRY_IS_LAST(_entry) \
	FUTURE_CHAIN_ENTRY_HAS_FLAG(_entry, FUTURE_CHAIN_FLAG_ENTRY_LAST)
#define FUTURE_CHAIN_ENTRY_IS_PROCESSED(_entry) \
	FUTURE_CHAIN_ENTRY_HAS_FLAG(_entry, FUTURE_CHAIN_FLAG_ENTRY_PROCESSED)
#define FUTURE_CHAIN_ENTRY_IS_INITIALIZED(_entry) ((_entry)->init == NULL)

/* constructs a lazy entry's future (once) */
static inline void
future_chain_entry_ensure_init(struct future_context *chain,
	struct future_chain_entry *entry)
{
	if (entry->init == NULL)
		return;
	future_init_fn init = entry->init;
	entry->init = NULL;
	init(&entry->future, chain, entry->init_arg);
}

/*
 * The entry after an initialized one, or NULL when it is the last: entries
 * start with a pointer, so each one begins at a multiple of 8 bytes after
 * the previous one; the chain's data size bounds the walk.
 */
static inline struct future_chain_entry *
future_chain_entry_next(struct future_context *chain,
	struct future_chain_entry *entry)
{
	if (FUTURE_CHAIN_ENTRY_IS_LAST(entry))
		return NULL;
	size_t size = sizeof(struct future_chain_entry) +
		future_context_get_size(&entry->future.context);
	size = (size + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
	char *data = (char *)future_context_get_data(chain);
	size_t offset = (size_t)((char *)entry - data) + size;
	if (offset + sizeof(struct future_chain_entry) > chain->data_size)
		return NULL;
	return (struct future_chain_entry *)(data + offset);
}

/*
 * The task of a chain: polls the first entry not processed yet; when it
 * completes, constructs the next entry (lazy), calls the entry's map
 * function with the next entry (or, for the last, the chain) and marks it
 * processed, then goes on with the next one in the same poll.
 */
static inline enum future_state
async_chain_impl(struct future_context *ctx, struct future_notifier *notifier)
{
	struct future_chain_entry *entry =
		(struct future_chain_entry *)future_context_get_data(ctx);

	if (ctx->data_size < sizeof(struct future_chain_entry))
		return FUTURE_STATE_COMPLETE;
	while (entry != NULL) {
		future_chain_entry_ensure_init(ctx, entry);
		struct future_chain_entry *next =
			future_chain_entry_next(ctx, entry);
		if (!FUTURE_CHAIN_ENTRY_IS_PROCESSED(entry)) {
			if (future_poll(&entry->future, notifier) !=
					FUTURE_STATE_COMPLETE)
				return FUTURE_STATE_RUNNING;
			if (next != NULL)
				future_chain_entry_ensure_init(ctx, next);
			if (entry->map != NULL)
				entry->map(&entry->future.context,
					next != NULL ? &next->future.context : ctx,
					entry->map_arg);
			entry->flags |= FUTURE_CHAIN_FLAG_ENTRY_PROCESSED;
		}
		entry = next;
	}
	return FUTURE_STATE_COMPLETE;
}

/*
 * A chain has a property when the entry it runs now (the first one not
 * processed) has it; an entry not constructed yet has none.
 */
static inline int
future_chain_has_property(void *future, enum future_property property)
{
	struct future *fut = (struct future *)future;
	struct future_context *ctx = &fut->context;
	struct future_chain_entry *entry =
		(struct future_chain_entry *)future_context_get_data(ctx);

	if (ctx->data_size < sizeof(struct future_chain_entry))
		return 0;
	while (entry != NULL) {
		if (!FUTURE_CHAIN_ENTRY_IS_INITIALIZED(entry))
			return 0;
		if (!FUTURE_CHAIN_ENTRY_IS_PROCESSED(entry))
			return future_has_property(&entry->future, property);
		entry = future_chain_entry_next(ctx, entry);
	}
	return 0;
}

#define FUTURE_CHAIN_INIT(_futurep) \
	FUTURE_INIT_EXT((_futurep), async_chain_impl, future_chain_has_property)

#ifdef __cplusplus
}
#endif
#endif /* LIBMINIASYNC_FUTURE_H */
