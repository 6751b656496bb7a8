/* keepalive.h -- notice a client whose host vanished without closing its connections */
#ifndef RPMEMD_KEEPALIVE_H
#define RPMEMD_KEEPALIVE_H 1

/* a silent connection is probed after 5 s, then every 2 s, 5 times */
#define RPMEMD_KEEPALIVE_IDLE_S 5
#define RPMEMD_KEEPALIVE_INTVL_S 2
#define RPMEMD_KEEPALIVE_PROBES 5
/* the same bound for data the peer does not acknowledge */
#define RPMEMD_PEER_DEAD_MS 15000

/*
 * Arms keepalive probes on every connected TCP socket of the process (the
 * lanes, once accepted); returns how many. A connection whose peer stopped
 * answering then fails within about RPMEMD_PEER_DEAD_MS, and the lane that
 * sees it ends the session like any lost lane.
 */
int rpmemd_keepalive_arm(void);

#endif /* RPMEMD_KEEPALIVE_H */
