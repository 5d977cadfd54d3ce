package org.mxgate.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mistakes in a policy file, in its routes and access tables or in its text, each reported as file:line: reason. */
class PolicyFileErrorsTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "access:\\n  clients:\\n    192.0.2.0/33: reject                 | 3: prefix length out of range",
        "access:\\n  clients:\\n    10.0.0.1: refuse                     | 3: access action must be ok, reject or tempfail",
        "access:\\n  senders:\\n    a@b.test: ok fine by me              | 3: 'ok' takes no reply text",
        "access:\\n  senders:\\n    a@@b.test: reject                    | 3: not an address, @domain, domain or <>",
        "access:\\n  helo:\\n    \"*\": reject                           | 3: not a host name or *.domain",
        "access:\\n  sender:\\n    a@b.test: reject                     | 2: unknown key 'sender'",
        "routes:\\n  example.test: nowhere\\n  \"*\": mailbox            | 2: route names pool 'nowhere'",
        "route: mailbox\\nroutes:\\n  \"*\": mailbox                     | 1: give the default pool either as 'route'",
        "routes:\\n  \"exa mple.test\": mailbox\\n  \"*\": mailbox        | 2: not a domain, *.domain or *",
        "limits:\\n  max_errors: lots                           | 2: max_errors must be a whole number, got 'lots'",
    })
    void mistakeIsReportedWithItsLine(String policy, String expected) throws Exception {
        assertRefused((policy.replace("\\n", "\n") + "\n").getBytes(StandardCharsets.UTF_8), expected);
    }

    // Found by ConfigLoaderFuzzTest: such files escaped as an unchecked YAMLException, which
    // ended bin/mxgate check with a stack trace instead of file:line.
    @Test
    void policyFileThatIsNotUtf8IsRefusedAtTheLineOfItsFirstBadByte() throws Exception {
        assertRefused("accept_domains: [example.test]\n# J\u00f6rg's rules\n".getBytes(StandardCharsets.ISO_8859_1),
                "2: not UTF-8 text");
    }

    @Test
    void policyFileNestedDeeperThanTheParserTakesIsRefused() throws Exception {
        assertRefused(("accept_domains: " + "[".repeat(100) + "]".repeat(100) + "\n").getBytes(StandardCharsets.UTF_8),
                "1: YAML");
    }

    private void assertRefused(byte[] policy, String expected) throws Exception {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("policies"));
        Files.writeString(dir.resolve("conf/mxgate.yml"), """
                listeners: [ { name: internet, listen: 127.0.0.1:2525 } ]
                pools: { mailbox: { servers: [ { address: 127.0.0.1:25 } ] } }
                """);
        Files.write(dir.resolve("policies/internet.yml"), policy);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("conf/mxgate.yml")));
        String file = dir.resolve("policies/internet.yml").toAbsolutePath().normalize() + ":";
        List<String> errors = e.errors().stream().map(ConfigError::toString).toList();
        assertTrue(errors.stream().anyMatch(err -> err.startsWith(file + expected)), errors.toString());
    }
}
