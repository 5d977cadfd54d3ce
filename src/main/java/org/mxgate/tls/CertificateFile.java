package org.mxgate.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The CERTIFICATE blocks of a PEM file, in file order: a server's chain (leaf first) or a bundle
 * of trusted authorities. Other blocks, such as a private key kept in the same file, are skipped.
 * Checks no dates and no signatures; that is the TLS handshake's job.
 */
final class CertificateFile {

    // RFC 7468 5.1: "CERTIFICATE"; "X509 CERTIFICATE" is the older label parsers still accept.
    private static final List<String> LABELS = List.of("CERTIFICATE", "X509 CERTIFICATE");

    private CertificateFile() {
    }

    static List<X509Certificate> read(Path file) throws TlsException {
        // The converter without setProvider uses the JDK's CertificateFactory: BC is never registered.
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (PemObject block : PemBlocks.read(file, "PEM certificates (-----BEGIN CERTIFICATE-----)")) {
            if (!LABELS.contains(block.getType())) {
                continue;
            }
            try {
                certificates.add(converter.getCertificate(new X509CertificateHolder(block.getContent())));
            } catch (IOException | CertificateException | RuntimeException e) {
                throw new TlsException(file + ": certificate #" + (certificates.size() + 1) + " is damaged ("
                        + e.getMessage() + ")", e);
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsException(file + ": no CERTIFICATE block found; expected PEM certificates"
                    + " (-----BEGIN CERTIFICATE-----)");
        }
        return List.copyOf(certificates);
    }
}
