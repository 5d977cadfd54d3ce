package org.mxgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;
import org.mxgate.config.TlsConfig;

/** Which TLS library a start picks, and that the one the jar carries loads where it is meant to. */
class TlsLibraryTest {

    private static boolean linuxX8664() {
        return System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64");
    }

    @Test
    void theJarsBoringSslLoadsOnLinuxX8664() {
        // Not an assumption: where the native library is meant to load, failing to is a defect,
        // and a skipped test would hide it (CI runs here).
        if (linuxX8664()) {
            assertTrue(OpenSsl.isAvailable(), String.valueOf(OpenSsl.unavailabilityCause()));
        }
    }

    @Test
    void autoTakesOpenSslWhereItLoadsAndSaysWhichItIs() throws TlsException {
        TlsLibrary chosen = TlsLibrary.choose(TlsConfig.Library.AUTO);
        if (OpenSsl.isAvailable()) {
            assertEquals(SslProvider.OPENSSL, chosen.provider());
            assertTrue(chosen.description().startsWith("BoringSSL"), chosen.description());
        } else {
            assertEquals(SslProvider.JDK, chosen.provider());
            assertTrue(chosen.description().contains("OpenSSL: not available"), chosen.description());
        }
    }

    @Test
    void jdkIsTakenWhenAsked() throws TlsException {
        TlsLibrary chosen = TlsLibrary.choose(TlsConfig.Library.JDK);
        assertEquals(SslProvider.JDK, chosen.provider());
        assertEquals("the JDK's (Java " + Runtime.version().feature() + ")", chosen.description());
    }

    @Test
    void openSslIsTakenWhenAskedAndAvailable() throws TlsException {
        if (OpenSsl.isAvailable()) {
            assertEquals(SslProvider.OPENSSL, TlsLibrary.choose(TlsConfig.Library.OPENSSL).provider());
        } else {
            TlsException e = assertThrows(TlsException.class,
                    () -> TlsLibrary.choose(TlsConfig.Library.OPENSSL));
            assertTrue(e.getMessage().startsWith("tls.library openssl: not available"), e.getMessage());
        }
    }
}
