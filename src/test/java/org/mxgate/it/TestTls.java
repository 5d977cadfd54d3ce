package org.mxgate.it;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.mxgate.tls.KeyMaterial;
import org.mxgate.tls.SelfSignedPair;

/** TLS set-ups for tests: a client that accepts any certificate, and server contexts from PEM files. */
final class TestTls {

    /** A certificate and key written to PEM files. */
    record Pair(Path certificate, Path key) {
    }

    private TestTls() {
    }

    /** A self-signed pair naming {@code host} (an IP literal gets an iPAddress name), in {@code dir}. */
    static Pair selfSigned(Path dir, String host) throws Exception {
        Pair pair = new Pair(dir.resolve(host + ".crt"), dir.resolve(host + ".key"));
        SelfSignedPair.create(host, pair.certificate(), pair.key());
        return pair;
    }

    /** A client context that accepts any certificate: the gateway's is self-signed in tests. */
    static SSLContext trustingClient() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server context presenting this pair, for test backends that offer STARTTLS. */
    static SSLContext server(Pair pair) throws Exception {
        KeyMaterial material = KeyMaterial.read(pair.certificate(), pair.key());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", material.key(), new char[0], material.chain().toArray(new Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
