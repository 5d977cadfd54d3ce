package org.mxgate.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Reads every PEM block of one file (RFC 7468), as raw type, headers and bytes, so that a block
 * of an unexpected type can be skipped instead of failing the whole file. Interprets nothing.
 */
final class PemBlocks {

    // A certificate bundle of a few hundred CAs is well under this; anything bigger is not PEM.
    private static final long MAX_SIZE = 4L * 1024 * 1024;

    private PemBlocks() {
    }

    /** All blocks, in file order; never empty. {@code expected} names what the file should hold. */
    static List<PemObject> read(Path file, String expected) throws TlsException {
        String text = text(file, expected);
        List<PemObject> blocks = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (PemObject block = parser.readPemObject(); block != null; block = parser.readPemObject()) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle reports bad Base64 as an unchecked DecoderException.
            throw new TlsException(file + ": not a readable PEM file (" + e.getMessage() + "); expected " + expected, e);
        }
        if (blocks.isEmpty()) {
            throw new TlsException(file + ": no PEM block (-----BEGIN ...-----) found; expected " + expected
                    + " in PEM form (a DER file converts with openssl x509 -inform der or openssl pkey -inform der)");
        }
        return blocks;
    }

    private static String text(Path file, String expected) throws TlsException {
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new TlsException(file + ": empty file; expected " + expected);
            }
            if (size > MAX_SIZE) {
                throw new TlsException(file + ": " + size + " bytes is too large for a PEM file; expected " + expected);
            }
            // Latin-1 maps every byte, so a binary file reaches the "no PEM block" message intact.
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsException(file + ": no such file; expected " + expected, e);
        } catch (AccessDeniedException e) {
            throw new TlsException(file + ": permission denied; the mxgate user must be able to read it", e);
        } catch (IOException e) {
            throw new TlsException(file + ": cannot read (" + e + ")", e);
        }
    }
}
