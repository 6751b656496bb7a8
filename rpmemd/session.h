/* session.h -- one client's out-of-band session with rpmemd, from HELLO to CLOSE */
#ifndef RPMEMD_SESSION_H
#define RPMEMD_SESSION_H 1

#include "config.h"
#include "db.h"

/* how long a started frame may take to arrive whole, and a lane setup to complete */
#define RPMEMD_FRAME_TIMEOUT_MS 10000
#define RPMEMD_ACCEPT_TIMEOUT_MS 10000

/*
 * Serves one client on in/out: sends HELLO (ready), then answers CREATE or
 * OPEN, SET_ATTR and CLOSE in the protocol's order, watching both the
 * out-of-band channel and the in-band lanes. Returns 0 after a CLOSE was
 * answered, or a negative errno when the client broke the protocol, went
 * away or the session could not go on; the pool is then closed, unlocked
 * and, if this session created it and never got it working, removed.
 */
int rpmemd_session_run(const struct rpmemd_config *cfg, struct rpmemd_db *db,
	int in, int out);

/* sends a HELLO carrying status and reason; for failures before a session exists */
int rpmemd_session_hello(int out, uint32_t status, const char *reason);

#endif /* RPMEMD_SESSION_H */
