package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.mxgate.fuzz.FuzzTargets;
import org.mxgate.fuzz.NameLookups;
import org.mxgate.policy.RelaySelfTest;

/**
 * Fuzzes the config and policy loader as {@code bin/mxgate check} and a reload run it: the input
 * is {@code conf/mxgate.yml}, then, after a NUL byte (which YAML text cannot hold),
 * {@code policies/internet.yml}, and after another, {@code policies/users.yml}. The loader
 * returns a configuration that passes the relay self-test, or throws one ConfigException whose
 * every error names a file and a line within it: never another exception, which would end
 * {@code check} and {@code run} with a stack trace and leave a reload without the file and line
 * to fix (config mistakes never take the service down).
 */
class ConfigLoaderFuzzTest {

    private static Path conf;
    private static Path policy;
    private static Path users;

    @BeforeAll
    static void files() throws IOException {
        NameLookups.forbid();
        Path dir = Files.createTempDirectory("mxgate-config-fuzz");
        conf = Files.createDirectories(dir.resolve("conf")).resolve("mxgate.yml");
        policy = Files.createDirectories(dir.resolve("policies")).resolve("internet.yml");
        users = dir.resolve("policies/users.yml");
    }

    @FuzzTest(maxDuration = FuzzTargets.TIME_BOX)
    @DictionaryFile(resourcePath = "/org/mxgate/config/mxgate-yml.dict")
    void configFiles(byte[] input) throws IOException {
        Map<Path, Integer> lines = new HashMap<>();
        List<byte[]> parts = split(input);
        for (Path file : new Path[] {conf, policy, users}) {
            int i = file == conf ? 0 : file == policy ? 1 : 2;
            if (i < parts.size()) {
                Files.write(file, parts.get(i));
                lines.put(file, lineCount(parts.get(i)));
            } else {
                Files.deleteIfExists(file);
            }
        }
        try {
            GatewayConfig config = ConfigLoader.load(conf, RelaySelfTest::run);
            assertFalse(config.listeners().isEmpty(), "a configuration without listeners");
            assertFalse(config.pools().isEmpty(), "a configuration without pools");
            config.listeners().forEach(l -> assertNotNull(config.policyOf(l), "listener " + l.name() + " without policy"));
        } catch (ConfigException e) {
            assertFalse(e.errors().isEmpty(), "a ConfigException without errors");
            for (ConfigError error : e.errors()) {
                assertNotNull(error.file(), error::toString);
                assertTrue(error.reason() != null && !error.reason().isBlank(), error::toString);
                Integer count = lines.get(error.file());
                assertTrue(error.line() >= 1 && (count == null || error.line() <= count), () -> "line out of its file: "
                        + error + " (" + count + " lines)");
            }
        }
    }

    private static List<byte[]> split(byte[] input) {
        int first = indexOf(input, 0);
        if (first < 0) {
            return List.of(input);
        }
        int second = indexOf(input, first + 1);
        return second < 0 ? List.of(Arrays.copyOf(input, first), Arrays.copyOfRange(input, first + 1, input.length))
                : List.of(Arrays.copyOf(input, first), Arrays.copyOfRange(input, first + 1, second),
                        Arrays.copyOfRange(input, second + 1, input.length));
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Lines an error may name: one more than the line breaks, as an error at the very end is on the
     * last line. YAML 1.1 breaks lines at CRLF, CR, LF, NEL, LS and PS alike.
     */
    private static int lineCount(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int count = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean crlf = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
            if (!crlf && (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029')) {
                count++;
            }
        }
        return count;
    }
}
