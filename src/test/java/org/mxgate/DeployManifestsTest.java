package org.mxgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.mxgate.config.ConfigException;
import org.mxgate.config.ConfigLoader;
import org.mxgate.config.GatewayConfig;
import org.mxgate.config.ListenerConfig;
import org.mxgate.policy.RelaySelfTest;
import org.yaml.snakeyaml.Yaml;

/**
 * The image and its two deployments agree: the Dockerfile's ports, user and health check, the
 * compose file's mxgate services, and the Kubernetes example under deploy/kubernetes/ (every
 * file parses, names the Dockerfile's container and admin ports, runs as its user, and carries a
 * configuration that mxgate loads, with placeholders that it refuses).
 */
class DeployManifestsTest {

    private static final Path KUBERNETES = Path.of("deploy/kubernetes");

    private static String dockerfile;
    private static Map<String, Map<String, Object>> objects;

    @BeforeAll
    static void read() throws Exception {
        dockerfile = LabFiles.read("Dockerfile");
        objects = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    Map<String, Object> object = LabFiles.map(document, file.toString());
                    Object metadata = object.get("metadata");
                    objects.put(metadata == null ? object.get("kind").toString()
                            : object.get("kind") + "/" + LabFiles.map(metadata, file + " metadata").get("name"), object);
                }
            }
        }
    }

    @Test
    void dockerfileBuildsWithMavenRunsOnAJreAsANonRootUserAndChecksHealthz() {
        assertTrue(dockerfile.contains("FROM maven:3.9-eclipse-temurin-17 AS build"), "Maven and JDK 17 build stage");
        assertTrue(dockerfile.contains("mvn -B -DskipTests package"));
        assertTrue(dockerfile.contains("FROM eclipse-temurin:17-jre\n"), "a JRE 17 runs it");
        assertTrue(dockerfileUser() != 0, "never root");
        assertTrue(exposed().containsAll(Set.of(2525, 10025, 8025)), exposed().toString());
        assertFalse(exposed().stream().anyMatch(port -> port < 1024), "no port needs root inside");
        assertTrue(dockerfile.contains("GET /healthz"), "HEALTHCHECK asks /healthz");
        for (String mount : List.of("conf/", "policies/", "certs/", "logs/")) {
            assertTrue(dockerfile.contains("#   " + mount), "mount point " + mount + " documented");
        }
    }

    @Test
    void composeRunsTheImageWithItsAdminPortAndListenersInside() {
        Map<String, Object> services = LabFiles.map(new Yaml().<Map<String, Object>>load(LabFiles.read("docker-compose.yml"))
                .get("services"), "services");
        for (String name : List.of("mxgate1", "mxgate2")) {
            Map<String, Object> service = LabFiles.map(services.get(name), name);
            assertEquals(".", service.get("build"), name + " is built from the Dockerfile");
            assertEquals(Set.of(healthcheckPort()), LabFiles.publishedContainerPorts(service), name);
        }
    }

    @Test
    void everyKubernetesFileParsesAndTheKustomizationListsThemAll() throws Exception {
        List<?> resources = (List<?>) objects.get("Kustomization").get("resources");
        Set<String> files;
        try (Stream<Path> list = Files.list(KUBERNETES)) {
            files = list.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, new TreeSet<>(resources.stream().map(Object::toString).toList()));
        assertEquals(Set.of("ConfigMap/mxgate-conf", "ConfigMap/mxgate-policies", "Secret/mxgate-certs", "Secret/mxgate-admin",
                "Deployment/mxgate", "Service/mxgate", "Service/mxgate-internal", "Kustomization"), objects.keySet());
    }

    @Test
    void deploymentRunsTwoNonRootReplicasOnTheImagesPortsWithProbesAndResources() {
        Map<String, Object> pod = at(objects.get("Deployment/mxgate"), "spec", "template", "spec");
        assertEquals(2, at(objects.get("Deployment/mxgate"), "spec").get("replicas"));
        Map<String, Object> security = at(pod, "securityContext");
        assertEquals(true, security.get("runAsNonRoot"));
        assertEquals(dockerfileUser(), security.get("runAsUser"));
        Map<String, Object> container = LabFiles.map(((List<?>) pod.get("containers")).get(0), "container");
        Map<String, Integer> ports = containerPorts(container);
        assertEquals(Map.of("smtp", 2525, "internal", 10025, "admin", healthcheckPort()), ports);
        assertTrue(exposed().containsAll(ports.values()), "the Dockerfile exposes " + exposed());
        assertEquals(Map.of("path", "/healthz", "port", "admin"), at(container, "readinessProbe", "httpGet"));
        String liveness = at(container, "livenessProbe", "exec").get("command").toString();
        assertTrue(liveness.contains("/dev/tcp/127.0.0.1/" + ports.get("admin")) && liveness.contains("GET /healthz"), liveness);
        Map<String, Object> resources = at(container, "resources");
        assertTrue(resources.containsKey("requests") && resources.containsKey("limits"), resources.toString());
        int grace = (Integer) pod.get("terminationGracePeriodSeconds");
        assertTrue(grace > kubernetesConfig(true).shutdownGrace().toSeconds(), "the kubelet waits longer than shutdown_grace");

        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object mount : (List<?>) container.get("volumeMounts")) {
            Map<String, Object> m = LabFiles.map(mount, "volumeMount");
            mounts.put(m.get("mountPath").toString(), m.get("name").toString());
        }
        Map<String, String> sources = new LinkedHashMap<>();
        for (Object volume : (List<?>) pod.get("volumes")) {
            Map<String, Object> v = LabFiles.map(volume, "volume");
            Object configMap = v.containsKey("configMap") ? "ConfigMap/" + at(v, "configMap").get("name")
                    : v.containsKey("secret") ? "Secret/" + at(v, "secret").get("secretName") : "emptyDir";
            sources.put(v.get("name").toString(), configMap.toString());
        }
        assertEquals("ConfigMap/mxgate-conf", sources.get(mounts.get("/opt/mxgate/conf")));
        assertEquals("ConfigMap/mxgate-policies", sources.get(mounts.get("/opt/mxgate/policies")));
        assertEquals("Secret/mxgate-certs", sources.get(mounts.get("/opt/mxgate/certs")));
        assertEquals("Secret/mxgate-admin", sources.get(mounts.get("/opt/mxgate/secrets")));
        assertTrue(mounts.containsKey("/opt/mxgate/logs"));
    }

    @Test
    void servicesKeepTheClientAddressAndReachTheContainersPorts() {
        Map<String, Object> outside = at(objects.get("Service/mxgate"), "spec");
        assertEquals("Local", outside.get("externalTrafficPolicy"), "else every client looks like a node");
        Map<String, Integer> ports = containerPorts(LabFiles.map(((List<?>) at(objects.get("Deployment/mxgate"), "spec",
                "template", "spec").get("containers")).get(0), "container"));
        for (String service : List.of("Service/mxgate", "Service/mxgate-internal")) {
            for (Object port : (List<?>) at(objects.get(service), "spec").get("ports")) {
                Map<String, Object> p = LabFiles.map(port, service + " port");
                assertEquals(25, p.get("port"), service);
                assertTrue(ports.containsKey(p.get("targetPort").toString()), service + " targets " + p.get("targetPort"));
            }
        }
        assertEquals(ports.get("smtp"), kubernetesConfig(true).listeners().stream()
                .filter(l -> l.name().equals("internet")).findFirst().orElseThrow().listen().port());
    }

    @Test
    void theConfigMapsLoadInMxgateAndThePlaceholderSecretsDoNot() {
        GatewayConfig config = kubernetesConfig(true);
        Map<String, Integer> ports = containerPorts(LabFiles.map(((List<?>) at(objects.get("Deployment/mxgate"), "spec",
                "template", "spec").get("containers")).get(0), "container"));
        assertEquals(Set.of(ports.get("smtp"), ports.get("internal")),
                config.listeners().stream().map(l -> l.listen().port()).collect(Collectors.toSet()));
        assertEquals(ports.get("admin"), config.admin().listen().port());
        assertTrue(config.policies().get("internet").relayNetworks().isEmpty(), "the internet listener never trusts an address");
        for (ListenerConfig listener : config.listeners()) {
            assertFalse(listener.proxyProtocol().isEnabled(), "trusting a balancer is the admin's decision, with its address");
        }
        assertThrows(ConfigException.class, () -> kubernetesConfigOrThrow(false), "the placeholder token is refused");
        String certs = at(objects.get("Secret/mxgate-certs"), "stringData").toString();
        assertFalse(certs.contains("PRIVATE KEY"), "no real key in the example");
    }

    @Test
    void kubectlRendersTheKustomization() throws Exception {
        LabFiles.Output version;
        try {
            version = LabFiles.run(List.of("kubectl", "version", "--client"));
        } catch (java.io.IOException e) {
            version = null;
        }
        assumeTrue(version != null && version.exitCode() == 0, "kubectl is not installed: the kustomization not rendered by it");
        LabFiles.Output rendered = LabFiles.run(List.of("kubectl", "kustomize", KUBERNETES.toString()));
        assertEquals(0, rendered.exitCode(), rendered.text());
    }

    private static GatewayConfig kubernetesConfig(boolean realToken) {
        try {
            return kubernetesConfigOrThrow(realToken);
        } catch (Exception e) {
            throw new AssertionError("configmap-conf.yaml and configmap-policies.yaml do not load: " + e, e);
        }
    }

    /** The two ConfigMaps and the admin Secret laid out as the Deployment mounts them, then loaded. */
    private static GatewayConfig kubernetesConfigOrThrow(boolean realToken) throws Exception {
        Path home = Files.createTempDirectory("mxgate-kubernetes-");
        try {
            write(home.resolve("conf"), at(objects.get("ConfigMap/mxgate-conf"), "data"));
            write(home.resolve("policies"), at(objects.get("ConfigMap/mxgate-policies"), "data"));
            Map<String, Object> token = realToken ? Map.of("admin.token", "0123456789abcdef0123456789abcdef")
                    : at(objects.get("Secret/mxgate-admin"), "stringData");
            write(home.resolve("secrets"), token);
            return ConfigLoader.load(home.resolve("conf/mxgate.yml"), RelaySelfTest::run);
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void write(Path dir, Map<String, Object> files) throws Exception {
        Files.createDirectories(dir);
        for (Map.Entry<String, Object> file : files.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue().toString());
        }
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Object port : (List<?>) container.get("ports")) {
            Map<String, Object> p = LabFiles.map(port, "port");
            ports.put(p.get("name").toString(), (Integer) p.get("containerPort"));
        }
        return ports;
    }

    private static Map<String, Object> at(Map<String, Object> yaml, String... keys) {
        Map<String, Object> node = yaml;
        for (String key : keys) {
            node = LabFiles.map(node.get(key), key);
        }
        return node;
    }

    private static Set<Integer> exposed() {
        Matcher m = Pattern.compile("(?m)^EXPOSE (.*)$").matcher(dockerfile);
        assertTrue(m.find(), "the Dockerfile exposes its ports");
        Set<Integer> ports = new TreeSet<>();
        for (String port : m.group(1).trim().split("\\s+")) {
            ports.add(Integer.parseInt(port));
        }
        return ports;
    }

    private static int healthcheckPort() {
        Matcher m = Pattern.compile("(?s)HEALTHCHECK.*?/dev/tcp/127\\.0\\.0\\.1/(\\d+)").matcher(dockerfile);
        assertTrue(m.find(), "the HEALTHCHECK asks the admin listener");
        return Integer.parseInt(m.group(1));
    }

    private static int dockerfileUser() {
        List<String> users = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^USER (\\d+)(?::\\d+)?$").matcher(dockerfile);
        while (m.find()) {
            users.add(m.group(1));
        }
        assertEquals(1, users.size(), "one numeric USER, so runAsNonRoot can verify it");
        return Integer.parseInt(users.get(0));
    }
}
