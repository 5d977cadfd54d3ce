package org.mxgate.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.mxgate.config.AdminConfig;
import org.mxgate.log.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin connection's requests: each is copied out of its buffer into an
 * {@link AdminRequest}, handed to {@link AdminApi}, and answered in the order it came, even when
 * an answer (a reload) completes later on another thread. Decides nothing itself but two things
 * no route should see: a request the codec could not read, and, on a loopback listener, a Host
 * that is not a loopback name, which is what a web page rebinding its own name to 127.0.0.1
 * (DNS rebinding) would send.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminApi api;
    private final boolean loopbackOnly;
    // The answer to the previous request; the next is written after it (HTTP/1.1 pipelining keeps order).
    private CompletableFuture<?> previous = CompletableFuture.completedFuture(null);

    AdminHandler(AdminApi api, boolean loopbackOnly) {
        this.api = api;
        this.loopbackOnly = loopbackOnly;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = request.method().equals(HttpMethod.HEAD);
        // A request line that could not be read has no version of its own: answer in ours.
        HttpVersion version = request.decoderResult().isSuccess() ? request.protocolVersion() : HttpVersion.HTTP_1_1;
        String uri = request.uri();
        String method = request.method().name();
        CompletableFuture<AdminResponse> response;
        if (!request.decoderResult().isSuccess()) {
            keepAlive = false;
            response = CompletableFuture.completedFuture(AdminResponse.text(HttpResponseStatus.BAD_REQUEST, "bad request"));
        } else if (loopbackOnly && !isLoopbackHost(request.headers().get(HttpHeaderNames.HOST))) {
            response = CompletableFuture.completedFuture(AdminResponse.text(HttpResponseStatus.FORBIDDEN,
                    "this admin listener answers requests for localhost, 127.0.0.1 or [::1] only"));
        } else {
            AdminRequest copy = new AdminRequest(request.method().name(), request.uri(),
                    request.headers().get(HttpHeaderNames.AUTHORIZATION), request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    request.content().toString(StandardCharsets.UTF_8), peer(ctx));
            response = previous.thenCompose(ignored -> api.handle(copy));
        }
        boolean keep = keepAlive;
        previous = previous.thenCombine(response, (ignored, answer) -> answer).whenComplete((answer, error) -> {
            if (error != null) {
                LOG.warn("admin: {} {} failed", method, LogText.escape(uri), error);
                write(ctx, AdminResponse.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error"), version, false,
                        false);
            } else {
                write(ctx, answer, version, head, keep);
            }
        }).handle((ignored, error) -> null);
    }

    /** A missing Host (HTTP/1.0) passes: only a browser can be led into rebinding, and it always sends one. */
    static boolean isLoopbackHost(String host) {
        if (host == null) {
            return true;
        }
        String name = host.strip();
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            name = end < 0 ? name : name.substring(1, end);
        } else if (name.indexOf(':') == name.lastIndexOf(':') && name.indexOf(':') >= 0) {
            name = name.substring(0, name.indexOf(':'));
        }
        return AdminConfig.isLoopbackHost(name);
    }

    private static void write(ChannelHandlerContext ctx, AdminResponse answer, HttpVersion version, boolean head,
                              boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(version, answer.status(),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .set(HttpHeaderNames.CONTENT_LENGTH, answer.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY")
                .set("Referrer-Policy", "no-referrer");
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            if (version.equals(HttpVersion.HTTP_1_0)) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response);
        }
    }

    private static String peer(ChannelHandlerContext ctx) {
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress address) {
            String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
        }
        return String.valueOf(ctx.channel().remoteAddress());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
