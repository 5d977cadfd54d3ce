package org.mxgate.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import org.mxgate.mail.Reply;

/** Writes a {@link Reply} in its wire form. Stateless, so one instance serves every channel. */
@ChannelHandler.Sharable
public final class ReplyEncoder extends MessageToByteEncoder<Reply> {

    public static final ReplyEncoder INSTANCE = new ReplyEncoder();

    @Override
    protected void encode(ChannelHandlerContext ctx, Reply reply, ByteBuf out) {
        out.writeBytes(reply.wireBytes());
    }
}
