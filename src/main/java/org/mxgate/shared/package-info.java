/**
 * State shared by several instances on Redis (shared_state in conf/mxgate.yml): the Lettuce
 * client and its connection ({@code SharedStore}: asynchronous only, bounded waits, reconnects by
 * itself, connected or away since when), the limit counters as a mirror of the local ones
 * ({@code SharedCounters}), with concurrency slots held as leases, and the AUTH failure counts
 * ({@code SharedAuthFailures}) and the backends' admin states and back-pressure cooldowns
 * ({@code SharedBackends}), and what each live instance sees ({@code InstanceView}, {@code Peers},
 * written with each heartbeat for the status pages). Only counters and flags: no message is ever
 * kept in Redis.
 * Depends on config, limits, auth and backend.
 */
package org.mxgate.shared;
