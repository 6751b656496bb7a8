/* basic.c -- example: one chained future prints, copies a string on the threads mover, then prints the copy */
#include <stdio.h>
#include <string.h>

#include "libminiasync.h"

/* a future of our own: prints its text when polled, and completes at once */
struct print_data {
	const char *text;
};
struct print_output {
	int printed;	/* what printf returned */
};
FUTURE(print_future, struct print_data, struct print_output);

static enum future_state
print_task(struct future_context *ctx, struct future_notifier *notifier)
{
	struct print_data *data = future_context_get_data(ctx);
	struct print_output *output = future_context_get_output(ctx);

	if (notifier != NULL)
		notifier->notifier_used = FUTURE_NOTIFIER_NONE;
	output->printed = printf("print: %s\n", data->text);
	return FUTURE_STATE_COMPLETE;
}

static struct print_future
print_async(const char *text)
{
	struct print_future fut;
	FUTURE_INIT(&fut, print_task);
	fut.data.text = text;
	return fut;
}

/* announce, copy, print what was copied: three entries of one chain */
struct copy_and_print_data {
	FUTURE_CHAIN_ENTRY(struct print_future, announce);
	FUTURE_CHAIN_ENTRY(struct vdm_operation_future, copy);
	FUTURE_CHAIN_ENTRY_LAST(struct print_future, print);
};
struct copy_and_print_output {
	void *copied_to;
	int printed;
};
FUTURE(copy_and_print_future, struct copy_and_print_data,
	struct copy_and_print_output);

/* the copy's destination is the text the last entry prints */
static void
copy_to_print(struct future_context *copy, struct future_context *print,
	void *arg)
{
	struct vdm_operation_output *out = future_context_get_output(copy);
	struct print_data *data = future_context_get_data(print);
	struct copy_and_print_output *chain_out = arg;

	data->text = out->output.memcpy.dest;
	chain_out->copied_to = out->output.memcpy.dest;
}

/* the last entry's result becomes the chain's output */
static void
print_to_chain(struct future_context *print, struct future_context *chain,
	void *arg)
{
	struct print_output *out = future_context_get_output(print);
	struct copy_and_print_output *chain_out =
		future_context_get_output(chain);

	(void)arg;
	chain_out->printed = out->printed;
}

static void
copy_and_print_async(struct copy_and_print_future *fut, struct vdm *vdm,
	char *dest, const char *src, size_t n)
{
	FUTURE_CHAIN_ENTRY_INIT(&fut->data.announce,
		print_async("copying on the threads mover"), NULL, NULL);
	FUTURE_CHAIN_ENTRY_INIT(&fut->data.copy,
		vdm_memcpy(vdm, dest, (void *)src, n, 0),
		copy_to_print, &fut->output);
	FUTURE_CHAIN_ENTRY_INIT(&fut->data.print, print_async(NULL),
		print_to_chain, NULL);
	FUTURE_CHAIN_INIT(fut);
}

int
main(void)
{
	static const char greeting[] = "hello from a future";
	char buf[sizeof(greeting)];
	memset(buf, 0, sizeof(buf));

	struct runtime *runtime = runtime_new();
	struct data_mover_threads *dmt = data_mover_threads_default();
	if (runtime == NULL || dmt == NULL) {
		fprintf(stderr, "cannot create the runtime or the mover\n");
		return 1;
	}

	/* a lone future, polled by hand */
	struct print_future hello = print_async("a future polled by hand");
	FUTURE_BUSY_POLL(&hello);

	struct copy_and_print_future fut;
	copy_and_print_async(&fut, data_mover_threads_get_vdm(dmt), buf,
		greeting, sizeof(greeting));
	runtime_wait(runtime, FUTURE_AS_RUNNABLE(&fut));

	printf("copied to the buffer: %s, printed %d characters\n",
		FUTURE_OUTPUT(&fut)->copied_to == buf ? "yes" : "no",
		FUTURE_OUTPUT(&fut)->printed);

	data_mover_threads_delete(dmt);
	runtime_delete(runtime);
	return 0;
}
