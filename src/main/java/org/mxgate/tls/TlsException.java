package org.mxgate.tls;

/**
 * Why a certificate, key or trust file cannot be used, written for the mail admin who has to fix
 * it: the file, then the reason and, where there is one, the fix.
 */
public final class TlsException extends Exception {

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
