/**
 * Metrics: the Micrometer registry rendered as Prometheus text for {@code /metrics}, each
 * listener's, backend's and DNS list zone's meters resolved once, and the last hour of traffic
 * per backend and per listener for the status page. Depends on backend, config and mail.
 */
package org.mxgate.metrics;
