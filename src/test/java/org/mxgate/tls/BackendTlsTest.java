package org.mxgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mxgate.tls.TestAuthority.dns;
import static org.mxgate.tls.TestAuthority.ip;

import io.netty.buffer.ByteBufAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.mxgate.config.BackendTlsConfig;
import org.mxgate.config.BackendTlsConfig.Mode;
import org.mxgate.config.TlsConfig;

/**
 * A pool's TLS to its backends over in-memory handshakes: with verification, chain and name must
 * both hold; without, any certificate is taken. The backend side is a {@link ServerTls}. Both
 * sides on each library mxgate can use.
 */
@ParameterizedClass
@EnumSource(value = TlsConfig.Library.class, names = {"JDK", "OPENSSL"})
class BackendTlsTest {

    @Parameter
    TlsConfig.Library library;

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static TestAuthority.Issued ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void authority() throws Exception {
        ca = TestAuthority.root("Backend CA");
    }

    private Path trustFile() throws Exception {
        return Files.writeString(dir.resolve("backend-ca.pem"), TestAuthority.pem(ca.certificate()));
    }

    /** A backend serving a certificate from the test CA with the given names. */
    private ServerTls backend(GeneralName... names) throws Exception {
        return backend(library, names);
    }

    private ServerTls backend(TlsConfig.Library backendLibrary, GeneralName... names) throws Exception {
        TestAuthority.Issued leaf = TestAuthority.leaf(ca, "backend", names);
        Path certificate = Files.writeString(dir.resolve("backend.pem"), TestAuthority.pem(leaf.certificate()));
        Path key = Files.writeString(dir.resolve("backend.key"), TestAuthority.pkcs8(leaf.key()));
        return ServerTls.open(new TlsConfig(certificate, key), "unused", TlsLibrary.choose(backendLibrary));
    }

    private ServerTls selfSignedBackend(String hostname) throws Exception {
        return ServerTls.open(new TlsConfig(dir.resolve("self.pem"), dir.resolve("self.key")), hostname,
                TlsLibrary.choose(library));
    }

    private static Handshake connect(BackendTls client, ServerTls backend, String host) {
        return Handshake.run(backend.newHandler(ALLOC, false), client.newHandler(ALLOC, host, 25));
    }

    private BackendTls verifying() throws Exception {
        return BackendTls.create(new BackendTlsConfig(Mode.REQUIRED, trustFile(), false), TlsLibrary.choose(library));
    }

    @Test
    void aTrustedCertificateNamingTheHostIsAccepted() throws Exception {
        try (ServerTls backend = backend(dns("localhost"))) {
            BackendTls client = verifying();
            assertTrue(client.verifies());
            assertEquals("HTTPS", client.newHandler(ALLOC, "localhost", 25).engine().getSSLParameters()
                    .getEndpointIdentificationAlgorithm());
            Handshake result = connect(client, backend, "localhost");
            assertTrue(result.succeeded(), String.valueOf(result.clientFailure()));
            assertEquals("TLSv1.3", result.client().getProtocol());
        }
    }

    @Test
    void anAddressIsMatchedAgainstTheIpAddressEntry() throws Exception {
        try (ServerTls backend = backend(ip("127.0.0.1"))) {
            Handshake result = connect(verifying(), backend, "127.0.0.1");
            assertTrue(result.succeeded(), String.valueOf(result.clientFailure()));
        }
    }

    @Test
    void anAddressDoesNotMatchADnsNameEntry() throws Exception {
        try (ServerTls backend = backend(dns("localhost"))) {
            Handshake result = connect(verifying(), backend, "127.0.0.1");
            assertInstanceOf(SSLHandshakeException.class, result.clientFailure());
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        try (ServerTls backend = backend(dns("mx2.backend.test"))) {
            Handshake result = connect(verifying(), backend, "mx1.backend.test");
            assertInstanceOf(SSLHandshakeException.class, result.clientFailure());
            // OpenSSL's engine says "General OpenSslEngine problem" and names the host in the cause;
            // the backend's failure reason (BackendException.reason) is read from the whole chain.
            String chain = messages(result.clientFailure());
            assertTrue(chain.contains("mx1.backend.test"), chain);
        }
    }

    @Test
    void anUntrustedSelfSignedCertificateIsRefusedEvenWithTheRightName() throws Exception {
        try (ServerTls backend = selfSignedBackend("localhost")) {
            Handshake result = connect(verifying(), backend, "localhost");
            assertInstanceOf(SSLHandshakeException.class, result.clientFailure());
            assertNotNull(result.serverFailure(), "the backend sees the handshake fail too");
        }
    }

    @Test
    void withoutATrustFileTheJdkAuthoritiesDecide() throws Exception {
        try (ServerTls backend = backend(dns("localhost"))) {
            BackendTls client = BackendTls.create(new BackendTlsConfig(Mode.REQUIRED, null, false), TlsLibrary.choose(library));
            assertInstanceOf(SSLHandshakeException.class, connect(client, backend, "localhost").clientFailure());
        }
    }

    @Test
    void opportunisticAndInsecureTakeAnyCertificate() throws Exception {
        for (BackendTlsConfig config : List.of(new BackendTlsConfig(Mode.OPPORTUNISTIC, null, false),
                new BackendTlsConfig(Mode.REQUIRED, null, true), new BackendTlsConfig(Mode.REQUIRED, trustFile(), true))) {
            BackendTls client = BackendTls.create(config, TlsLibrary.choose(library));
            assertFalse(client.verifies(), config.toString());
            assertNull(client.newHandler(ALLOC, "mx1.backend.test", 25).engine().getSSLParameters()
                    .getEndpointIdentificationAlgorithm(), "no name check without a chain check");
            try (ServerTls backend = selfSignedBackend("somewhere.else.test")) {
                Handshake result = connect(client, backend, "mx1.backend.test");
                assertTrue(result.succeeded(), config + ": " + result.clientFailure());
            }
            Files.delete(dir.resolve("self.pem"));
            Files.delete(dir.resolve("self.key"));
        }
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void theConfiguredHostGoesOutAsServerNameIndication() throws Exception {
        // Read on a JDK backend: Netty's OpenSSL server session does not report the name it was asked for.
        try (ServerTls backend = backend(TlsConfig.Library.JDK, dns("mx1.backend.test"))) {
            Handshake result = connect(verifying(), backend, "mx1.backend.test");
            assertTrue(result.succeeded(), String.valueOf(result.clientFailure()));
            // RFC 6066 3: the name the pool connects to, so a backend with many certificates picks the right one.
            assertEquals(List.of(new SNIHostName("mx1.backend.test")),
                    ((ExtendedSSLSession) result.server()).getRequestedServerNames());
        }
    }

    @Test
    void anUnusableTrustFileIsRefusedByName() throws Exception {
        Path trust = Files.writeString(dir.resolve("trust.pem"), "not a certificate\n");
        TlsException e = assertThrows(TlsException.class,
                () -> BackendTls.create(new BackendTlsConfig(Mode.REQUIRED, trust, false), TlsLibrary.JDK));
        assertTrue(e.getMessage().startsWith(trust + ": no PEM block"), e.getMessage());
        Path missing = dir.resolve("absent.pem");
        e = assertThrows(TlsException.class, () -> BackendTls.create(new BackendTlsConfig(Mode.REQUIRED, missing, false),
                TlsLibrary.JDK));
        assertTrue(e.getMessage().startsWith(missing + ": no such file"), e.getMessage());
    }
}
