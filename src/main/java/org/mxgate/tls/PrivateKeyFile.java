package org.mxgate.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The unencrypted private key of a PEM file: PKCS#8, PKCS#1 (RSA) or SEC1 (EC). An encrypted key
 * is refused, never prompted for: the gateway starts unattended, so the file's permissions are
 * the protection. Does not check the key against any certificate; {@link KeyMaterial} does.
 */
final class PrivateKeyFile {

    private static final String EXPECTED = "a PEM private key (-----BEGIN PRIVATE KEY-----)";

    private PrivateKeyFile() {
    }

    static PrivateKey read(Path file) throws TlsException {
        List<PemObject> blocks = PemBlocks.read(file, EXPECTED);
        ASN1Primitive ecParameters = null;
        List<String> seen = new ArrayList<>();
        for (PemObject block : blocks) {
            String type = block.getType();
            seen.add(type);
            // RFC 1421 4.6.1.1: "Proc-Type: 4,ENCRYPTED" marks OpenSSL's legacy encrypted PKCS#1 and SEC1.
            if (type.equals("ENCRYPTED PRIVATE KEY") || (type.endsWith("PRIVATE KEY") && isEncrypted(block))) {
                throw new TlsException(file + ": encrypted private keys are not supported; store it unencrypted"
                        + " with chmod 600 (openssl pkey -in encrypted.key -out " + file.getFileName() + ")");
            }
            try {
                switch (type) {
                    case "EC PARAMETERS":
                        // RFC 5915 3: openssl ecparam -genkey writes the curve first, as its own block.
                        ecParameters = ASN1Primitive.fromByteArray(block.getContent());
                        break;
                    case "PRIVATE KEY":
                        // RFC 5208 5 / RFC 5958 2: PKCS#8, any algorithm.
                        return convert(PrivateKeyInfo.getInstance(block.getContent()));
                    case "RSA PRIVATE KEY":
                        // RFC 8017 A.1.2: a bare PKCS#1 RSAPrivateKey.
                        return convert(new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption,
                                DERNull.INSTANCE), RSAPrivateKey.getInstance(block.getContent())));
                    case "EC PRIVATE KEY":
                        return convert(sec1(block, ecParameters));
                    default:
                        break;
                }
            } catch (Exception e) {
                throw new TlsException(file + ": the " + type + " block is damaged or of an unsupported kind ("
                        + e.getMessage() + ")", e);
            }
        }
        throw new TlsException(file + ": no private key found (blocks: " + String.join(", ", seen) + "); expected "
                + EXPECTED + ", RSA PRIVATE KEY or EC PRIVATE KEY");
    }

    private static boolean isEncrypted(PemObject block) {
        for (Object header : block.getHeaders()) {
            PemHeader h = (PemHeader) header;
            if (h.getName().equalsIgnoreCase("Proc-Type") && h.getValue().toUpperCase().contains("ENCRYPTED")) {
                return true;
            }
        }
        return false;
    }

    // RFC 5915 3: the curve is inside the key unless the writer left it to an EC PARAMETERS block.
    private static PrivateKeyInfo sec1(PemObject block, ASN1Primitive separateParameters) throws Exception {
        ECPrivateKey key = ECPrivateKey.getInstance(block.getContent());
        ASN1Encodable parameters = key.getParametersObject() != null ? key.getParametersObject() : separateParameters;
        if (parameters == null) {
            throw new IllegalArgumentException("the key names no curve and no EC PARAMETERS block precedes it");
        }
        return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, parameters), key);
    }

    private static PrivateKey convert(PrivateKeyInfo info) throws Exception {
        // Without setProvider the converter asks the JDK's KeyFactory: Bouncy Castle is never registered.
        return new JcaPEMKeyConverter().getPrivateKey(info);
    }
}
