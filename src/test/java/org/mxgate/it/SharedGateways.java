package org.mxgate.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two or three gateways in this JVM sharing one {@link RedisServer}, each on ports of its own
 * (TestGateway binds port 0), all relaying to the same backends: instances of one site, as
 * several MX records or an L4 balancer see them.
 */
final class SharedGateways implements AutoCloseable {

    private final List<TestGateway> instances;

    private SharedGateways(List<TestGateway> instances) {
        this.instances = instances;
    }

    /**
     * @param sharedKeys extra keys of the shared_state block ("lease_time: 3s"), comma-separated flow YAML
     * @param limitKeys extra YAML lines for the limits of both policies, each indented by two spaces
     */
    static SharedGateways start(int count, RedisServer redis, List<Integer> backendPorts, String poolKeys,
                                String limitKeys, String sharedKeys) throws Exception {
        return start(count, redis, backendPorts, poolKeys, limitKeys, sharedKeys, "");
    }

    /** @param topKeys extra top-level lines for every instance's conf/mxgate.yml (an admin block) */
    static SharedGateways start(int count, RedisServer redis, List<Integer> backendPorts, String poolKeys,
                                String limitKeys, String sharedKeys, String topKeys) throws Exception {
        List<TestGateway> started = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                started.add(instance(redis, backendPorts, poolKeys, limitKeys, sharedKeys, topKeys));
            }
        } catch (Exception e) {
            for (TestGateway gateway : started) {
                gateway.close();
            }
            throw e;
        }
        SharedGateways gateways = new SharedGateways(started);
        gateways.awaitConnected();
        return gateways;
    }

    /** One instance more, as those of {@link #start} are made: a late joiner. */
    static TestGateway instance(RedisServer redis, List<Integer> backendPorts, String poolKeys, String limitKeys,
                                String sharedKeys, String topKeys) throws Exception {
        return TestGateway.start(backendPorts, poolKeys, limitKeys, "shutdown_grace: 2s\n" + topKeys
                + sharedState(redis, sharedKeys));
    }

    /**
     * The shared_state block for {@code redis}, with a generous {@code timeout} unless
     * {@code sharedKeys} sets one: a test of what is shared must not become a test of the
     * bounded wait on a busy machine (SharedLimitsIT tests that wait on its own).
     */
    static String sharedState(RedisServer redis, String sharedKeys) {
        String keys = sharedKeys.contains("timeout") ? sharedKeys
                : "timeout: 2s" + (sharedKeys.isEmpty() ? "" : ", " + sharedKeys);
        return "shared_state: { redis: \"" + redis.uri() + "\", " + keys + " }\n";
    }

    TestGateway get(int i) {
        return instances.get(i);
    }

    List<TestGateway> all() {
        return instances;
    }

    /** Until every instance's store answers (mxgate_shared_state_connected is 1). */
    void awaitConnected() {
        await().atMost(Duration.ofSeconds(15)).until(() -> instances.stream().allMatch(SharedGateways::isConnected));
    }

    /** Until every instance has noticed that Redis is away. */
    void awaitAway() {
        await().atMost(Duration.ofSeconds(15)).until(() -> instances.stream().noneMatch(SharedGateways::isConnected));
    }

    static boolean isConnected(TestGateway gateway) {
        return gateway.gateway().metrics().registry().get("mxgate.shared.state.connected").gauge().value() == 1;
    }

    static double fallbacks(TestGateway gateway) {
        return gateway.gateway().metrics().registry().get("mxgate.shared.state.fallbacks").functionCounter().count();
    }

    @Override
    public void close() throws Exception {
        for (TestGateway gateway : instances) {
            gateway.close();
        }
    }
}
