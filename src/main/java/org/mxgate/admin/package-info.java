/**
 * The admin listener: the status page, {@code /healthz} for load balancers, {@code /metrics},
 * and the API that drains, halts and enables backends and reloads the configuration, over
 * Netty HTTP on a thread of its own. Depends on listener (the running gateway, read-only but
 * for the admin's own changes), backend, config, mail (the spool budget), metrics (the last
 * hour of traffic the page draws), net, log and shared (the instances sharing state on Redis,
 * and what each sees).
 */
package org.mxgate.admin;
