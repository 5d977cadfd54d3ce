package org.mxgate.backend;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.regex.Pattern;

/**
 * The sockets and event loops of the SMTP traffic, chosen once for the process: Linux's epoll
 * through Netty's native transport where its library loads (the jar carries Linux x86-64's),
 * the JDK's NIO selector otherwise. Epoll skips the JDK's per-connection bookkeeping (blocking
 * mode, option and address queries: about 10 system calls per accepted connection), which is
 * most of what a new session costs in the kernel besides the reads and writes
 * (docs/performance.md). The listeners, the backend connections and the I/O threads take it
 * from here, so their channels always fit their loops.
 */
public enum Transport {

    EPOLL("epoll (Netty's native transport)", EpollServerSocketChannel.class, EpollSocketChannel.class),
    NIO("the JDK's NIO", NioServerSocketChannel.class, NioSocketChannel.class);

    private static final Transport CHOSEN = choose(Epoll.isAvailable());

    /** How epoll's errors begin: {@code finishConnect(..) failed with error(-111): Connection refused}. */
    private static final Pattern NATIVE_CALL = Pattern.compile("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ");

    private final String description;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> socketChannel;

    Transport(String description, Class<? extends ServerChannel> serverChannel, Class<? extends Channel> socketChannel) {
        this.description = description;
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
    }

    /** The transport of this process. */
    public static Transport chosen() {
        return CHOSEN;
    }

    static Transport choose(boolean epollLoads) {
        return epollLoads ? EPOLL : NIO;
    }

    public IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends Channel> socketChannel() {
        return socketChannel;
    }

    /**
     * The reason in an I/O error's message, without the system call that epoll names before it,
     * so a log line says {@code Connection refused} on either transport, as the JDK does.
     */
    public static String reason(String message) {
        return NATIVE_CALL.matcher(message).replaceFirst("");
    }

    /** For the start-up log; with NIO on Linux, why epoll did not load. */
    public String description() {
        if (this == NIO && Epoll.unavailabilityCause() != null) {
            return description + "; epoll: " + Epoll.unavailabilityCause().getMessage();
        }
        return description;
    }
}
