package org.mxgate.fuzz;

/**
 * Makes a DNS lookup from mxgate's own code fail the fuzz target that caused it. Parsers run on
 * the event loop and at config load, where a name lookup blocks, and where an address that DNS
 * chooses must never stand for one an admin or client wrote: an IP literal is parsed, never
 * resolved. The JDK asks a security manager about every lookup ({@code checkConnect(host, -1)}),
 * so one that allows everything else catches them; it is installed only in the fuzz targets'
 * own JVM. Where the JDK no longer offers a security manager (Java 24 on), the check is skipped
 * and says so.
 */
public final class NameLookups {

    private static boolean installed;

    private NameLookups() {
    }

    @SuppressWarnings("removal")
    public static synchronized void forbid() {
        if (installed) {
            return;
        }
        try {
            System.setSecurityManager(new SecurityManager() {
                @Override
                public void checkConnect(String host, int port) {
                    if (port == -1 && calledFromMxgate()) {
                        throw new AssertionError("a DNS lookup of '" + host + "' from mxgate's code");
                    }
                }

                @Override
                public void checkPermission(java.security.Permission permission) {
                }

                @Override
                public void checkPermission(java.security.Permission permission, Object context) {
                }
            });
        } catch (UnsupportedOperationException e) {
            System.err.println("NameLookups: this JDK has no security manager; DNS lookups from parsers are not checked");
        }
        installed = true;
    }

    /** Whether a class of mxgate itself, not of the tests, is on the stack. */
    private static boolean calledFromMxgate() {
        return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .anyMatch(name -> name.startsWith("org.mxgate.") && !name.startsWith("org.mxgate.fuzz.")
                        && !name.endsWith("FuzzTest")));
    }
}
