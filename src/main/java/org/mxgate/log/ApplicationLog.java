package org.mxgate.log;

import ch.qos.logback.classic.LoggerContext;
import org.mxgate.mail.InstanceId;
import org.slf4j.LoggerFactory;

/**
 * Puts the instance id into every application log line: logback.xml's pattern shows the context
 * property {@value #INSTANCE_PROPERTY} ("-" until a gateway starts). A process-wide setting on
 * purpose: the application log is the process's, and one process runs one instance. (Tests
 * that start two gateways in one JVM share one log, which names the gateway started last; their
 * protocol log lines carry each session's own instance.)
 */
public final class ApplicationLog {

    /** The logback context property logback.xml's pattern reads. */
    public static final String INSTANCE_PROPERTY = "mxgate.instance";

    private ApplicationLog() {
    }

    /** Called once at start, before the listeners take connections. */
    public static void nameInstance(InstanceId instance) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            nameInstance(context, instance);
        }
    }

    static void nameInstance(LoggerContext context, InstanceId instance) {
        context.putProperty(INSTANCE_PROPERTY, instance.value());
    }
}
