/* hashmap.c -- example: a tiny hash map whose puts are chained futures; the value copy is built lazily once the slot is known */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "libminiasync.h"
#include "libminiasync/data_mover_threads.h"

#define NSLOTS 4
#define VALUE_MAX 16

struct slot {
	uint64_t key;
	int used;
	char value[VALUE_MAX];
};

struct hashmap {
	struct slot slots[NSLOTS];
};

enum put_status { PUT_OK, PUT_EXISTS, PUT_FULL };

/* step 1, a future of our own: find the key's slot by linear probing */
struct find_data {
	struct hashmap *map;
	uint64_t key;
	const char *value;
};
struct find_output {
	struct slot *slot;
	enum put_status status;
};
FUTURE(find_future, struct find_data, struct find_output);

static enum future_state
find_task(struct future_context *ctx, struct future_notifier *notifier)
{
	struct find_data *d = future_context_get_data(ctx);
	struct find_output *o = future_context_get_output(ctx);

	if (notifier != NULL)
		notifier->notifier_used = FUTURE_NOTIFIER_NONE;
	o->slot = NULL;
	o->status = PUT_FULL;
	for (size_t i = 0; i < NSLOTS; i++) {
		struct slot *s = &d->map->slots[(d->key + i) % NSLOTS];
		if (s->used && s->key == d->key) {
			o->status = PUT_EXISTS;
			return FUTURE_STATE_COMPLETE;
		}
		if (!s->used) {
			s->used = 1;	/* claimed now: later puts probe past it */
			s->key = d->key;
			o->slot = s;
			o->status = PUT_OK;
			return FUTURE_STATE_COMPLETE;
		}
	}
	return FUTURE_STATE_COMPLETE;
}

/* a put: find the slot, then copy the value into it on the mover */
struct put_data {
	FUTURE_CHAIN_ENTRY(struct find_future, find);
	FUTURE_CHAIN_ENTRY_LAST(struct vdm_operation_future, copy);
};
struct put_output {
	uint64_t key;
	enum put_status status;
	const char *stored;
};
FUTURE(put_future, struct put_data, struct put_output);

/* runs once the find completed: copy only when a slot was claimed */
static void
copy_init(void *future, struct future_context *chain_ctx, void *arg)
{
	struct vdm_operation_future *copy = future;
	struct put_data *put = future_context_get_data(chain_ctx);
	struct find_output *found = FUTURE_OUTPUT(&put->find.fut);
	struct vdm *vdm = arg;

	if (found->status == PUT_OK) {
		*copy = vdm_memcpy(vdm, found->slot->value,
			(void *)put->find.fut.data.value,
			strlen(put->find.fut.data.value) + 1, 0);
		return;
	}
	/* nothing to copy: a complete future that says where nothing went */
	FUTURE_INIT_COMPLETE(copy);
	copy->output.type = VDM_OPERATION_MEMCPY;
	copy->output.result = VDM_SUCCESS;
	copy->output.output.memcpy.dest = NULL;
}

static void
copy_to_output(struct future_context *copy_ctx, struct future_context *chain_ctx,
	void *arg)
{
	struct vdm_operation_output *copied =
		future_context_get_output(copy_ctx);
	struct put_data *put = future_context_get_data(chain_ctx);
	struct put_output *out = future_context_get_output(chain_ctx);

	(void)arg;
	out->key = put->find.fut.data.key;
	out->status = FUTURE_OUTPUT(&put->find.fut)->status;
	out->stored = copied->output.memcpy.dest;
}

static void
hashmap_put_async(struct put_future *put, struct hashmap *map,
	struct vdm *vdm, uint64_t key, const char *value)
{
	struct find_future find;
	FUTURE_INIT(&find, find_task);
	find.data = (struct find_data){ map, key, value };
	FUTURE_CHAIN_ENTRY_INIT(&put->data.find, find, NULL, NULL);
	FUTURE_CHAIN_ENTRY_LAZY_INIT(&put->data.copy, copy_init, vdm,
		copy_to_output, NULL);
	FUTURE_CHAIN_INIT(put);
}

static const char *
hashmap_get(struct hashmap *map, uint64_t key)
{
	for (size_t i = 0; i < NSLOTS; i++) {
		struct slot *s = &map->slots[(key + i) % NSLOTS];
		if (!s->used)
			return NULL;
		if (s->key == key)
			return s->value;
	}
	return NULL;
}

int
main(void)
{
	static const struct {
		uint64_t key;
		const char *value;
	} puts_to_do[] = {
		{ 1, "Foo" }, { 2, "Bar" }, { 1, "Again" }, { 6, "Fizz" },
		{ 4, "Buzz" }, { 4, "Twice" }, { 404, "Lost" },
	};
	enum { NPUTS = sizeof(puts_to_do) / sizeof(puts_to_do[0]) };
	struct hashmap map;
	memset(&map, 0, sizeof(map));

	struct runtime *runtime = runtime_new();
	struct data_mover_threads *dmt = data_mover_threads_default();
	if (runtime == NULL || dmt == NULL) {
		fprintf(stderr, "cannot create the runtime or the mover\n");
		return 1;
	}
	struct vdm *vdm = data_mover_threads_get_vdm(dmt);

	struct put_future puts[NPUTS];
	struct future *futs[NPUTS];
	for (size_t i = 0; i < NPUTS; i++) {
		hashmap_put_async(&puts[i], &map, vdm, puts_to_do[i].key,
			puts_to_do[i].value);
		futs[i] = FUTURE_AS_RUNNABLE(&puts[i]);
	}
	/* the runtime polls in array order, so the slots are claimed in it */
	runtime_wait_multiple(runtime, futs, NPUTS);

	for (size_t i = 0; i < NPUTS; i++) {
		struct put_output *out = FUTURE_OUTPUT(&puts[i]);
		switch (out->status) {
		case PUT_OK:
			printf("put key %llu: stored %s\n",
				(unsigned long long)out->key, out->stored);
			break;
		case PUT_EXISTS:
			printf("put key %llu: already exists\n",
				(unsigned long long)out->key);
			break;
		case PUT_FULL:
			printf("put key %llu: no space left\n",
				(unsigned long long)out->key);
			break;
		}
	}
	static const uint64_t keys[] = { 1, 2, 4, 6, 404 };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = hashmap_get(&map, keys[i]);
		printf("get key %llu: %s\n", (unsigned long long)keys[i],
			v ? v : "(none)");
	}

	data_mover_threads_delete(dmt);
	runtime_delete(runtime);
	return 0;
}
