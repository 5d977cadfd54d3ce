package org.mxgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxgate.config.ConfigLoader;
import org.mxgate.config.GatewayConfig;
import org.mxgate.config.ListenerConfig;
import org.mxgate.config.PoolConfig;
import org.mxgate.config.ServerConfig;
import org.mxgate.net.Cidr;
import org.mxgate.policy.RelaySelfTest;
import org.yaml.snakeyaml.Yaml;

/**
 * The lab exists twice: docker-compose.yml (containers) and lab/run (loopback), both reading the
 * files under lab/. This test keeps them one lab: the same components at the same addresses, the
 * same ports inside and published, and the same trust settings (PROXY from HAProxy only, XCLIENT
 * from the mxgate instances only, the shared Redis, the DNS list), read with mxgate's own config
 * loader and SnakeYAML. An edit to one side without the other fails here.
 */
class LabComposeTest {

    private static final String NET = "172.30.25.";

    private static Map<String, Object> services;
    private static Map<String, Object> network;
    private static LabScript script;
    private static Map<String, GatewayConfig> gateways;

    @BeforeAll
    static void read(@TempDir Path dir) throws Exception {
        Map<String, Object> compose = new Yaml().load(LabFiles.read("docker-compose.yml"));
        services = LabFiles.map(compose.get("services"), "services");
        network = LabFiles.map(LabFiles.map(compose.get("networks"), "networks").get("lab"), "network lab");
        script = LabScript.read(Path.of("lab/run"));
        gateways = new LinkedHashMap<>();
        for (String name : List.of("mxgate1", "mxgate2")) {
            // Laid out as the compose file mounts them: conf/ and policies/ side by side.
            Path home = dir.resolve(name);
            copy(Path.of("lab", name, "conf"), home.resolve("conf"));
            copy(Path.of("lab/policies"), home.resolve("policies"));
            gateways.put(name, ConfigLoader.load(home.resolve("conf/mxgate.yml"), RelaySelfTest::run));
        }
    }

    @Test
    void composeHasTheScriptsComponentsAtTheirAddresses() {
        Map<String, String> running = new LinkedHashMap<>();
        Map<String, String> tools = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            Map<String, Object> definition = LabFiles.map(service, name);
            String address = (String) LabFiles.map(LabFiles.map(definition.get("networks"), "networks of " + name).get("lab"),
                    "network lab of " + name).get("ipv4_address");
            (definition.containsKey("profiles") ? tools : running).put(name, address);
        });
        assertEquals(script.components(), running, "services of docker-compose.yml against COMPONENTS of lab/run");
        assertEquals(script.clients(), tools, "tool services of docker-compose.yml against CLIENTS of lab/run");
        assertTrue(script.text().contains("s/172\\.30\\.25\\./127.30.25./g"), "lab/run moves the compose network");
        assertTrue(network.toString().contains("subnet=" + NET + "0/24"), network.toString());
    }

    @Test
    void everyMountedFileExistsAndTheScriptUsesIt() {
        Set<String> mounted = new TreeSet<>();
        services.forEach((name, service) -> {
            Object volumes = LabFiles.map(service, name).get("volumes");
            for (Object volume : volumes == null ? List.of() : (List<?>) volumes) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith("./")) {
                    assertTrue(Files.exists(Path.of(source)), name + " mounts " + source + ", which does not exist");
                    mounted.add(source.substring(2));
                }
            }
        });
        String users = script.text() + LabFiles.read("lab/postfix/instance");
        for (String file : LabFiles.configFiles()) {
            String relative = Path.of("lab").relativize(Path.of(file)).toString();
            assertTrue(mounted.stream().anyMatch(source -> file.equals(source) || file.startsWith(source + "/")),
                    file + " is not mounted by docker-compose.yml");
            String usedAs = relative.replaceFirst("^(mxgate[12])/", "\\$name/");
            assertTrue(users.contains("$LAB/" + usedAs) || users.contains("$LAB\"/" + relative.replaceFirst("/[^/]*$", "/")),
                    file + " is not used by lab/run");
        }
        assertTrue(mounted.contains("src/test/resources/interop/postfix"), "Postfix from the interop templates");
    }

    @Test
    void everyPortInTheLabsFilesIsOneTheScriptMovesAndAddressesAreInTheLabsNetwork() {
        Pattern address = Pattern.compile("\\b(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})(?::(\\d+))?");
        Pattern port = Pattern.compile("\\bport (\\d+)\\b");
        for (String file : LabFiles.configFiles()) {
            if (!file.matches(".*\\.(cfg|cf|conf|yml|zone)")) {
                continue;
            }
            for (String line : LabFiles.read(file).lines().filter(l -> !l.startsWith("#") && !l.startsWith(";")).toList()) {
                Matcher m = address.matcher(line);
                while (m.find()) {
                    String ip = m.group(1);
                    // The block list names addresses reversed; 127.0.0.x are its answers.
                    assertTrue(ip.startsWith(NET) || ip.endsWith(".25.30.172") || ip.equals("0.0.0.0") || ip.startsWith("127.0.0."),
                            file + ": " + ip + " is outside " + NET + "0/24, which lab/run moves to loopback");
                    if (m.group(2) != null) {
                        assertTrue(script.ports().containsKey(Integer.parseInt(m.group(2))),
                                file + ": port " + m.group(2) + " is not in PORTS of lab/run: " + line);
                    }
                }
                Matcher p = port.matcher(line);
                while (p.find()) {
                    assertTrue(script.ports().containsKey(Integer.parseInt(p.group(1))), file + ": " + line);
                }
            }
        }
    }

    @Test
    void haproxyListensWhereComposePublishesAndSendsToBothInstances() {
        HaproxyConfig haproxy = HaproxyConfig.read(Path.of("lab/haproxy/haproxy.cfg"));
        String self = address("haproxy");
        assertEquals(Set.of(self + ":2525", self + ":10025", self + ":8404"), haproxy.binds());
        assertEquals(Set.of(2525, 10025, 8404), publishedContainerPorts("haproxy"));
        for (String listener : List.of("internet", "internal")) {
            int port = listenerPort("mxgate1", listener);
            List<String> servers = new ArrayList<>();
            for (String name : gateways.keySet()) {
                servers.add("server " + name + " " + address(name) + ":" + port);
                assertEquals(port, listenerPort(name, listener));
            }
            HaproxyConfig.Section frontend = haproxy.section("frontend " + listener);
            HaproxyConfig.Section backend = haproxy.section("backend " + frontend.value("default_backend"));
            assertEquals(servers, backend.all("server"), backend.name());
            assertEquals(self, backend.value("source"), "connections leave from the address mxgate trusts");
            String defaults = backend.value("default-server");
            assertTrue(defaults.contains("send-proxy-v2"), defaults);
            assertTrue(defaults.contains("check port " + adminPort()), "health checked on the admin port: " + defaults);
            assertEquals("meth GET uri /healthz", backend.value("http-check send"));
        }
    }

    @Test
    void mxgateInstancesTrustHaproxyAndPublishTheirAdminPort() {
        for (Map.Entry<String, GatewayConfig> entry : gateways.entrySet()) {
            GatewayConfig config = entry.getValue();
            for (ListenerConfig listener : config.listeners()) {
                assertEquals("0.0.0.0", listener.listen().host(), "lab/run moves 0.0.0.0 to the instance's address");
                assertEquals(List.of(new Cidr(ip(address("haproxy")).getAddress(), 32)),
                        listener.proxyProtocol().trusted().networks(), entry.getKey() + " " + listener.name());
            }
            assertEquals("0.0.0.0", config.admin().listen().host());
            assertTrue(config.admin().tokenFile() != null, "an admin listener beyond loopback needs its token");
            assertEquals(Set.of(adminPort()), publishedContainerPorts(entry.getKey()));
            assertTrue(((List<?>) LabFiles.map(services.get(entry.getKey()), entry.getKey()).get("volumes")).stream()
                    .anyMatch(v -> v.toString().startsWith("./lab/" + entry.getKey() + "/conf:/opt/mxgate/conf")));
        }
        assertEquals("mx1", gateways.get("mxgate1").instanceId().toString());
        assertEquals("mx2", gateways.get("mxgate2").instanceId().toString());
    }

    @Test
    void backendsTrustTheInstancesXclientAndRelayForTheInternalNetworkOnly() {
        Map<String, String> postfix = LabFiles.postfixSettings(Path.of("lab/postfix/main.cf"));
        assertEquals(address("mxgate1") + ", " + address("mxgate2"), postfix.get("smtpd_authorized_xclient_hosts"));
        for (Map.Entry<String, GatewayConfig> entry : gateways.entrySet()) {
            PoolConfig pool = entry.getValue().pools().get("mailbox");
            assertEquals(PoolConfig.ForwardClientIp.XCLIENT, pool.forwardClientIp());
            assertEquals(ip(address(entry.getKey())), pool.sourceAddress(), "Postfix trusts the instance's own address");
            List<String> servers = pool.servers().stream().map(ServerConfig::toString).toList();
            assertEquals(List.of("postfix1", "postfix2"), pool.servers().stream().map(ServerConfig::name).toList(), servers.toString());
            for (ServerConfig server : pool.servers()) {
                String listen = address(server.name()) + ":" + server.address().port();
                assertEquals(address(server.name()), server.address().host());
                assertTrue(LabFiles.map(services.get(server.name()), server.name()).get("command").toString().contains(listen),
                        server.name() + " of docker-compose.yml listens on " + listen);
                assertTrue(script.text().contains("$(address \"$name\"):$(port " + server.address().port() + ")"),
                        "lab/run starts Postfix on port " + server.address().port());
            }
            var internal = entry.getValue().policies().get("internal").relayNetworks();
            assertTrue(internal.contains(ip(address("client"))), "the client service is in the internal network");
            assertFalse(internal.contains(ip(address("haproxy"))), "never the balancer");
            assertFalse(internal.contains(ip(address("listed-client"))));
            assertEquals(internal.networks().stream().map(Cidr::toString).collect(Collectors.joining(", ")),
                    postfix.get("mynetworks"), "Postfix relays for what mxgate's internal policy relays for");
            assertTrue(entry.getValue().policies().get("internet").relayNetworks().isEmpty(), "the internet side never relays");
        }
    }

    @Test
    void bothInstancesShareTheLabsRedisAndAskTheLabsBlockList() {
        Map<String, String> redis = LabFiles.spaced(Path.of("lab/redis/redis.conf"));
        assertEquals(address("redis"), redis.get("bind"));
        String zoneFile = LabFiles.read("lab/dns/blocklist.zone");
        Matcher origin = Pattern.compile("(?m)^\\$ORIGIN (\\S+)\\.$").matcher(zoneFile);
        assertTrue(origin.find(), "the zone file names its zone");
        String dnsCommand = LabFiles.map(services.get("dns"), "dns").get("command").toString();
        for (Map.Entry<String, GatewayConfig> entry : gateways.entrySet()) {
            GatewayConfig config = entry.getValue();
            assertEquals("redis://" + address("redis") + ":" + redis.get("port"), config.shared().redis(), entry.getKey());
            assertEquals(1, config.dnsbl().resolvers().size());
            var resolver = config.dnsbl().resolvers().get(0);
            assertEquals(ip(address("dns")), resolver.getAddress());
            assertTrue(dnsCommand.contains(address("dns") + ", " + resolver.getPort()), dnsCommand);
            assertEquals(List.of(origin.group(1)), config.dnsbl().zones().stream().map(z -> z.zone()).toList());
            assertTrue(config.policies().get("internet").dnsbl().enabled());
        }
        assertTrue(zoneFile.contains(reversed(address("listed-client")) + " "), "listed-client is on the list");
        assertFalse(zoneFile.contains(reversed(address("client")) + " "));
        assertFalse(zoneFile.contains(reversed(script.internetClient()) + " "), "the internet client of lab/run is not");
    }

    @Test
    void theTwoInstancesDifferOnlyInTheirNameAndAddress() {
        // Comments may name their own instance; the settings may not differ elsewhere.
        List<String> one = LabFiles.read("lab/mxgate1/conf/mxgate.yml").lines().map(l -> l.replaceFirst("\\s*#.*", "")).toList();
        List<String> two = LabFiles.read("lab/mxgate2/conf/mxgate.yml").lines().map(l -> l.replaceFirst("\\s*#.*", "")).toList();
        assertEquals(one.size(), two.size());
        for (int i = 0; i < one.size(); i++) {
            String line = one.get(i);
            if (!line.equals(two.get(i))) {
                assertTrue(line.matches("\\s*(hostname|instance_id|source_address):.*"), "mxgate1 and mxgate2 differ at line "
                        + (i + 1) + ": " + one.get(i) + " | " + two.get(i));
            }
        }
    }

    @Test
    void composeClientAcceptsTheFile() throws Exception {
        List<String> command = LabFiles.composeClient();
        assumeTrue(command != null, "neither 'docker compose' nor 'docker-compose' is installed: compose file not checked by one");
        List<String> config = new ArrayList<>(command);
        config.addAll(List.of("-f", "docker-compose.yml", "config", "-q"));
        LabFiles.Output output = LabFiles.run(config);
        assertEquals(0, output.exitCode(), String.join(" ", config) + ":\n" + output.text());
    }

    private static String address(String name) {
        String last = script.components().containsKey(name) ? script.components().get(name) : script.clients().get(name);
        assertTrue(last != null, "no component " + name + " in lab/run");
        return last;
    }

    private static int listenerPort(String gateway, String listener) {
        return gateways.get(gateway).listeners().stream().filter(l -> l.name().equals(listener)).findFirst().orElseThrow()
                .listen().port();
    }

    private static int adminPort() {
        return gateways.get("mxgate1").admin().listen().port();
    }

    private static Set<Integer> publishedContainerPorts(String service) {
        return LabFiles.publishedContainerPorts(LabFiles.map(services.get(service), service));
    }

    private static String reversed(String ip) {
        List<String> parts = new ArrayList<>(List.of(ip.split("\\.")));
        java.util.Collections.reverse(parts);
        return String.join(".", parts);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
