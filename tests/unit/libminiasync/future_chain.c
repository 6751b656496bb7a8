/* future_chain.c -- chained futures: order, map functions, lazy init, re-arming, the last entry, properties */
#include <string.h>

#include "miniasync_test.h"

/* what happened, in order: each event appends one letter */
static char Trace[64];

static void
trace(char c)
{
	size_t n = strlen(Trace);
	if (n + 1 < sizeof(Trace))
		Trace[n] = c;
}

/* map: the output value of lhs becomes the value of rhs (a countdown) */
static void
output_to_value(struct future_context *lhs, struct future_context *rhs,
	void *arg)
{
	struct countdown_output *o = future_context_get_output(lhs);
	struct countdown_data *d = future_context_get_data(rhs);
	d->value = o->value;
	trace(*(const char *)arg);
}

/* map: the output of lhs becomes the chain's output */
static void
output_to_chain(struct future_context *lhs, struct future_context *chain,
	void *arg)
{
	struct countdown_output *o = future_context_get_output(lhs);
	struct countdown_output *out = future_context_get_output(chain);
	out->value = o->value;
	trace(*(const char *)arg);
}

struct two {
	FUTURE_CHAIN_ENTRY(struct countdown_future, first);
	FUTURE_CHAIN_ENTRY_LAST(struct countdown_future, second);
};
FUTURE(two_future, struct two, struct countdown_output);

struct three {
	FUTURE_CHAIN_ENTRY(struct countdown_future, first);
	FUTURE_CHAIN_ENTRY(struct countdown_future, second);
	FUTURE_CHAIN_ENTRY_LAST(struct countdown_future, third);
};
FUTURE(three_future, struct three, struct countdown_output);

/* a last entry declared in the middle: what follows it is not an entry */
struct cut {
	FUTURE_CHAIN_ENTRY(struct countdown_future, first);
	FUTURE_CHAIN_ENTRY_LAST(struct countdown_future, second);
	FUTURE_CHAIN_ENTRY(struct countdown_future, never);
};
FUTURE(cut_future, struct cut, struct countdown_output);

struct copy2 {
	FUTURE_CHAIN_ENTRY(struct vdm_operation_future, ab);
	FUTURE_CHAIN_ENTRY_LAST(struct vdm_operation_future, bc);
};
FUTURE(copy2_future, struct copy2, struct vdm_operation_output);

static void
a_chain_of_two_passes_the_first_output_to_the_second_through_map(void **state)
{
	memset(Trace, 0, sizeof(Trace));
	struct two_future chain;
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.first, countdown(0, 3),
		output_to_value, "1");
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.second, countdown(0, 0),
		output_to_chain, "2");
	FUTURE_CHAIN_INIT(&chain);
	chain.output.value = -1;

	assert_int_equal(FUTURE_STATE(&chain), FUTURE_STATE_IDLE);
	assert_false(FUTURE_CHAIN_ENTRY_IS_LAST(&chain.data.first));
	assert_true(FUTURE_CHAIN_ENTRY_IS_LAST(&chain.data.second));
	assert_false(FUTURE_CHAIN_ENTRY_IS_PROCESSED(&chain.data.first));
	/* both entries complete at their first poll: one poll does it all */
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&chain), NULL),
		FUTURE_STATE_COMPLETE);
	assert_int_equal(chain.data.first.fut.output.value, 6);
	assert_int_equal(chain.data.second.fut.data.value, 6);
	assert_int_equal(chain.output.value, 12);
	assert_string_equal(Trace, "12");
	assert_true(FUTURE_CHAIN_ENTRY_IS_PROCESSED(&chain.data.first));
	assert_true(FUTURE_CHAIN_ENTRY_IS_PROCESSED(&chain.data.second));
}

static void
a_chain_of_three_runs_its_entries_in_order_and_polls_only_the_current_one(void **state)
{
	memset(Trace, 0, sizeof(Trace));
	struct three_future chain;
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.first, countdown(2, 1),
		output_to_value, "a");
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.second, countdown(1, 0),
		output_to_value, "b");
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.third, countdown(0, 0),
		output_to_chain, "c");
	FUTURE_CHAIN_INIT(&chain);

	/* polls 1, 2: the first entry runs; 3: it completes, the second starts */
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&chain), NULL),
		FUTURE_STATE_RUNNING);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&chain), NULL),
		FUTURE_STATE_RUNNING);
	assert_int_equal(chain.data.second.fut.data.calls, 0);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&chain), NULL),
		FUTURE_STATE_RUNNING);
	assert_string_equal(Trace, "a");
	assert_int_equal(chain.data.first.fut.data.calls, 3);
	assert_int_equal(chain.data.second.fut.data.calls, 1);
	assert_int_equal(chain.data.third.fut.data.calls, 0);
	/* poll 4: the second completes, and the third at once */
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&chain), NULL),
		FUTURE_STATE_COMPLETE);
	assert_string_equal(Trace, "abc");
	/* the processed first entry was not polled again */
	assert_int_equal(chain.data.first.fut.data.calls, 3);
	assert_int_equal(chain.data.second.fut.data.calls, 2);
	assert_int_equal(chain.data.third.fut.data.calls, 1);
	assert_int_equal(chain.output.value, 8);
	/* and a complete chain is left alone */
	FUTURE_BUSY_POLL(&chain);
	assert_int_equal(chain.data.third.fut.data.calls, 1);
}

static void
a_chain_passes_the_pollers_notifier_to_the_running_entry(void **state)
{
	struct two_future chain;
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.first, countdown(1, 1), NULL,
		NULL);
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.second, countdown(0, 1), NULL,
		NULL);
	FUTURE_CHAIN_INIT(&chain);
	struct future_notifier notifier;
	memset(&notifier, 0, sizeof(notifier));
	notifier.notifier_used = FUTURE_NOTIFIER_POLLER;

	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&chain), &notifier),
		FUTURE_STATE_RUNNING);
	assert_ptr_equal(chain.data.first.fut.data.last_notifier, &notifier);
	assert_int_equal(notifier.notifier_used, FUTURE_NOTIFIER_NONE);
	FUTURE_BUSY_POLL(&chain);
	assert_null(chain.data.second.fut.data.last_notifier);
}

/*
 * Lazy init of the second entry: it must run after the first entry
 * completed (its output is there to read through the chain's context),
 * before the second entry is polled, and before the first entry's map
 * (which may then adjust the future the init built).
 */
struct lazy_probe {
	int init_calls;
	int first_state_at_init;
	int first_output_at_init;
	int map_calls_at_init;
	struct future_context *chain_ctx_at_init;
	int map_calls;
};

static void
lazy_countdown_init(void *future, struct future_context *chain_ctx,
	void *arg)
{
	struct lazy_probe *probe = arg;
	struct two *data = future_context_get_data(chain_ctx);

	probe->init_calls++;
	probe->chain_ctx_at_init = chain_ctx;
	probe->first_state_at_init = FUTURE_STATE(&data->first.fut);
	probe->first_output_at_init = data->first.fut.output.value;
	probe->map_calls_at_init = probe->map_calls;
	trace('i');
	/* built from what the first entry produced */
	*(struct countdown_future *)future =
		countdown(1, data->first.fut.output.value + 1);
}

static void
counting_map(struct future_context *lhs, struct future_context *rhs,
	void *arg)
{
	struct lazy_probe *probe = arg;
	struct countdown_data *d = future_context_get_data(rhs);
	probe->map_calls++;
	d->value *= 10;	/* lands in the future the init built */
	trace('m');
}

static void
a_lazy_entry_is_built_after_the_previous_one_completed_and_before_it_runs(void **state)
{
	memset(Trace, 0, sizeof(Trace));
	struct lazy_probe probe = { 0 };
	struct two_future chain;
	memset(&chain, 0xA5, sizeof(chain));	/* the lazy future is garbage until built */
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.first, countdown(1, 4),
		counting_map, &probe);
	FUTURE_CHAIN_ENTRY_LAZY_INIT(&chain.data.second, lazy_countdown_init,
		&probe, output_to_chain, "c");
	FUTURE_CHAIN_INIT(&chain);

	assert_false(FUTURE_CHAIN_ENTRY_IS_INITIALIZED(&chain.data.second));
	assert_true(FUTURE_CHAIN_ENTRY_IS_LAST(&chain.data.second));
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&chain), NULL),
		FUTURE_STATE_RUNNING);
	assert_int_equal(probe.init_calls, 0);	/* the first is still running */

	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&chain), NULL),
		FUTURE_STATE_RUNNING);
	assert_int_equal(probe.init_calls, 1);
	assert_true(FUTURE_CHAIN_ENTRY_IS_INITIALIZED(&chain.data.second));
	assert_ptr_equal(probe.chain_ctx_at_init, &chain.base.context);
	assert_int_equal(probe.first_state_at_init, FUTURE_STATE_COMPLETE);
	assert_int_equal(probe.first_output_at_init, 8);
	assert_int_equal(probe.map_calls_at_init, 0);
	assert_int_equal(probe.map_calls, 1);
	/* built with value 9, times 10 by the map, then polled once */
	assert_int_equal(chain.data.second.fut.data.value, 90);
	assert_int_equal(chain.data.second.fut.data.calls, 1);

	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&chain), NULL),
		FUTURE_STATE_COMPLETE);
	assert_int_equal(chain.output.value, 180);
	assert_int_equal(probe.init_calls, 1);
	assert_string_equal(Trace, "imc");
}

static void
init_first(void *future, struct future_context *chain_ctx, void *arg)
{
	int *calls = arg;
	(*calls)++;
	*(struct countdown_future *)future = countdown(0, 50);
}

static void
a_lazy_first_entry_is_built_at_the_first_poll(void **state)
{
	int calls = 0;
	struct two_future chain;
	FUTURE_CHAIN_ENTRY_LAZY_INIT(&chain.data.first, init_first, &calls,
		output_to_value, "1");
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.second, countdown(0, 0),
		output_to_chain, "2");
	FUTURE_CHAIN_INIT(&chain);
	assert_int_equal(calls, 0);
	FUTURE_BUSY_POLL(&chain);
	assert_int_equal(calls, 1);
	assert_int_equal(chain.output.value, 200);
}

static void
clearing_processed_reruns_an_entry_and_the_ones_after_it(void **state)
{
	memset(Trace, 0, sizeof(Trace));
	struct three_future chain;
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.first, countdown(0, 1),
		output_to_value, "a");
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.second, countdown(0, 0),
		output_to_value, "b");
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.third, countdown(0, 0),
		output_to_chain, "c");
	FUTURE_CHAIN_INIT(&chain);
	FUTURE_BUSY_POLL(&chain);
	assert_int_equal(chain.output.value, 8);
	assert_string_equal(Trace, "abc");

	/* re-arm the second and third entries as a program would, through the generic entry */
	struct future_chain_entry *second =
		(struct future_chain_entry *)&chain.data.second;
	struct future_chain_entry *third =
		(struct future_chain_entry *)&chain.data.third;
	second->flags &= ~FUTURE_CHAIN_FLAG_ENTRY_PROCESSED;
	second->future.context.state = FUTURE_STATE_IDLE;
	third->flags &= ~FUTURE_CHAIN_FLAG_ENTRY_PROCESSED;
	third->future.context.state = FUTURE_STATE_IDLE;
	chain.data.second.fut.data.value = 5;
	FUTURE_STATE(&chain) = FUTURE_STATE_IDLE;

	FUTURE_BUSY_POLL(&chain);
	assert_string_equal(Trace, "abcbc");
	assert_int_equal(chain.data.first.fut.data.calls, 1);
	assert_int_equal(chain.data.second.fut.data.calls, 2);
	assert_int_equal(chain.data.third.fut.data.calls, 2);
	assert_int_equal(chain.output.value, 20);
	assert_true(FUTURE_CHAIN_ENTRY_IS_PROCESSED(second));
	assert_true(FUTURE_CHAIN_ENTRY_IS_LAST(third));
}

static void
an_entry_rearmed_while_the_chain_runs_is_polled_again(void **state)
{
	struct two_future chain;
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.first, countdown(1, 1), NULL,
		NULL);
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.second, countdown(3, 0),
		output_to_chain, "x");
	FUTURE_CHAIN_INIT(&chain);
	struct future_chain_entry *first =
		(struct future_chain_entry *)&chain.data.first;

	/* the first completes at poll 2; the second runs for polls 2..5 */
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&chain), NULL),
		FUTURE_STATE_RUNNING);
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&chain), NULL),
		FUTURE_STATE_RUNNING);
	assert_true(FUTURE_CHAIN_ENTRY_IS_PROCESSED(first));
	/* between polls, the program re-arms the first entry */
	first->flags &= ~FUTURE_CHAIN_FLAG_ENTRY_PROCESSED;
	first->future.context.state = FUTURE_STATE_IDLE;
	chain.data.first.fut.data.polls_left = 0;
	assert_int_equal(future_poll(FUTURE_AS_RUNNABLE(&chain), NULL),
		FUTURE_STATE_RUNNING);
	assert_int_equal(chain.data.first.fut.data.calls, 3);
	assert_true(FUTURE_CHAIN_ENTRY_IS_PROCESSED(first));
	FUTURE_BUSY_POLL(&chain);
	assert_int_equal(chain.data.first.fut.data.calls, 3);
	assert_int_equal(chain.output.value, 0);
}

/* poison: an entry after the last one must never be touched */
static enum future_state
must_not_run(struct future_context *ctx, struct future_notifier *notifier)
{
	fail_msg("an entry after the last one was polled");
	return FUTURE_STATE_COMPLETE;
}

static void
must_not_map(struct future_context *lhs, struct future_context *rhs,
	void *arg)
{
	fail_msg("the map of an entry after the last one was called");
}

static void
an_entry_declared_last_ends_the_walk_even_with_data_after_it(void **state)
{
	struct cut_future chain;
	struct cut *data = &chain.data;
	FUTURE_CHAIN_ENTRY_INIT(&data->first, countdown(0, 1),
		output_to_value, "1");
	FUTURE_CHAIN_ENTRY_INIT(&data->second, countdown(0, 0),
		output_to_chain, "2");
	struct countdown_future poison;
	FUTURE_INIT(&poison, must_not_run);
	FUTURE_CHAIN_ENTRY_INIT(&data->never, poison, must_not_map, NULL);
	FUTURE_CHAIN_INIT(&chain);

	FUTURE_BUSY_POLL(&chain);
	assert_int_equal(chain.output.value, 4);
	assert_false(FUTURE_CHAIN_ENTRY_IS_PROCESSED(&data->never));
}

static void
the_last_flag_set_at_run_time_cuts_the_chain_short(void **state)
{
	memset(Trace, 0, sizeof(Trace));
	struct three_future chain;
	memset(&chain, 0xA5, sizeof(chain));
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.first, countdown(0, 1),
		output_to_value, "a");
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.second, countdown(0, 0),
		output_to_chain, "b");
	/* as pmem2 does when no finalizer is needed: the third is left uninitialized */
	chain.data.second.flags |= FUTURE_CHAIN_FLAG_ENTRY_LAST;
	chain.data.third.fut.base.task = must_not_run;
	chain.data.third.map = must_not_map;
	chain.data.third.init = NULL;
	chain.data.third.flags = 0;
	FUTURE_CHAIN_INIT(&chain);

	FUTURE_BUSY_POLL(&chain);
	assert_string_equal(Trace, "ab");
	assert_int_equal(chain.output.value, 4);
}

static int
always_async(void *future, enum future_property property)
{
	return property == FUTURE_PROPERTY_ASYNC;
}

static void
a_chain_is_async_while_its_current_entry_is(void **state)
{
	struct two_future plain;
	FUTURE_CHAIN_ENTRY_INIT(&plain.data.first, countdown(0, 1), NULL,
		NULL);
	FUTURE_CHAIN_ENTRY_INIT(&plain.data.second, countdown(0, 1), NULL,
		NULL);
	FUTURE_CHAIN_INIT(&plain);
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&plain),
		FUTURE_PROPERTY_ASYNC), 0);

	struct countdown_future async;
	FUTURE_INIT_EXT(&async, countdown_task, always_async);
	async.data = (struct countdown_data){ .polls_left = 1 };
	struct two_future chain;
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.first, async, NULL, NULL);
	FUTURE_CHAIN_ENTRY_INIT(&chain.data.second, countdown(1, 1), NULL,
		NULL);
	FUTURE_CHAIN_INIT(&chain);
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&chain),
		FUTURE_PROPERTY_ASYNC), 1);
	/* once the async entry is processed, the current one is plain */
	future_poll(FUTURE_AS_RUNNABLE(&chain), NULL);
	future_poll(FUTURE_AS_RUNNABLE(&chain), NULL);
	assert_true(FUTURE_CHAIN_ENTRY_IS_PROCESSED(&chain.data.first));
	assert_int_equal(FUTURE_STATE(&chain), FUTURE_STATE_RUNNING);
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&chain),
		FUTURE_PROPERTY_ASYNC), 0);
}

static void
a_chain_of_threads_mover_operations_is_async_and_moves_the_data(void **state)
{
	struct data_mover_threads *dmt = data_mover_threads_new(2, 8,
		FUTURE_NOTIFIER_NONE);
	assert_non_null(dmt);
	struct vdm *vdm = data_mover_threads_get_vdm(dmt);
	char a[64] = "chained copies", b[64], c[64];
	memset(b, 0, sizeof(b));
	memset(c, 0, sizeof(c));

	struct copy2_future chain;
	struct copy2 *data = &chain.data;
	FUTURE_CHAIN_ENTRY_INIT(&data->ab, vdm_memcpy(vdm, b, a, sizeof(a), 0),
		NULL, NULL);
	FUTURE_CHAIN_ENTRY_INIT(&data->bc, vdm_memcpy(vdm, c, b, sizeof(b), 0),
		NULL, NULL);
	FUTURE_CHAIN_INIT(&chain);
	assert_int_equal(future_has_property(FUTURE_AS_RUNNABLE(&chain),
		FUTURE_PROPERTY_ASYNC), 1);
	FUTURE_BUSY_POLL(&chain);
	assert_string_equal(c, "chained copies");
	assert_int_equal(data->bc.fut.output.result, VDM_SUCCESS);
	assert_ptr_equal(data->bc.fut.output.output.memcpy.dest, c);
	data_mover_threads_delete(dmt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_chain_of_two_passes_the_first_output_to_the_second_through_map),
		cmocka_unit_test(a_chain_of_three_runs_its_entries_in_order_and_polls_only_the_current_one),
		cmocka_unit_test(a_chain_passes_the_pollers_notifier_to_the_running_entry),
		cmocka_unit_test(a_lazy_entry_is_built_after_the_previous_one_completed_and_before_it_runs),
		cmocka_unit_test(a_lazy_first_entry_is_built_at_the_first_poll),
		cmocka_unit_test(clearing_processed_reruns_an_entry_and_the_ones_after_it),
		cmocka_unit_test(an_entry_rearmed_while_the_chain_runs_is_polled_again),
		cmocka_unit_test(an_entry_declared_last_ends_the_walk_even_with_data_after_it),
		cmocka_unit_test(the_last_flag_set_at_run_time_cuts_the_chain_short),
		cmocka_unit_test(a_chain_is_async_while_its_current_entry_is),
		cmocka_unit_test(a_chain_of_threads_mover_operations_is_async_and_moves_the_data),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
