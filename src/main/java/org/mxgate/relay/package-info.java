/**
 * The relay: one transaction's attempts across a pool's backends, the time budget, replay of a
 * refused or lost transaction with its kept body streamed back chunk by chunk, and what each
 * backend reply means. Depends on backend, config, mail, log and metrics.
 */
package org.mxgate.relay;
