package org.mxgate.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;
import org.mxgate.net.HostPort;

/** A listener that cannot bind says which, where and why, the same way on epoll and on the JDK's NIO. */
class StartExceptionTest {

    @Test
    void epollsNativeCallPrefixIsLeftOut() {
        StartException refused = StartException.cannotBind("listener internet", HostPort.parse("127.0.0.1:2525"),
                new IOException("bind(..) failed with error(-98): Address already in use"));
        assertEquals("listener internet: cannot bind 127.0.0.1:2525: Address already in use", refused.getMessage());
    }

    @Test
    void theJdksReasonIsKeptAsItIs() {
        StartException refused = StartException.cannotBind("listener internet", HostPort.parse("127.0.0.1:2525"),
                new BindException("Address already in use"));
        assertEquals("listener internet: cannot bind 127.0.0.1:2525: Address already in use", refused.getMessage());
    }

    @Test
    void aLowPortRefusedOnEitherTransportGetsTheCapabilityHint() {
        for (Exception cause : new Exception[] {new BindException("Permission denied"),
                new IOException("bind(..) failed with error(-13): Permission denied")}) {
            assertEquals("listener internet: cannot bind 0.0.0.0:25: Permission denied (a port below 1024 needs"
                    + " CAP_NET_BIND_SERVICE, see deploy/systemd/mxgate.service)", StartException.cannotBind(
                    "listener internet", HostPort.parse("0.0.0.0:25"), cause).getMessage());
        }
    }
}
