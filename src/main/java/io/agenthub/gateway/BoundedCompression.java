package io.agenthub.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Map;

/**
 * WEBSOCKET_COMPRESSION on, made safe against hostile clients. Vert.x builds permessage-deflate for every
 * connection from {@code HttpServerOptions}, which leaves three holes its public API cannot close: context takeover
 * for every offer that does not ask otherwise (browsers'), a decoder that inflates a frame without bound, and a frame
 * decoder that lets reserved bits through on every socket once any extension is enabled. So, on each new
 * connection, before its first request is read, Vert.x's extension handler is replaced by one that always agrees to
 * no context takeover on both sides (RFC 7692 §7.1.1 lets a server add both parameters to any accepted offer) and
 * inflates at most {@code maxInflatedBytes} per frame, and a guard behind the frame decoder refuses (close 1002)
 * any reserved bit the socket did not negotiate: RSV1 only on the first frame of a message on a socket that uses
 * permessage-deflate, RSV2 and RSV3 never.
 *
 * <p>{@link GuardedTransport} calls it for each connection. With compression off (the default) none of this is
 * installed: Netty's own decoder refuses every reserved bit.
 */
final class BoundedCompression {
  static final String EXTENSION_HANDLER = "webSocketExtensionHandler";
  private static final String PERMESSAGE_DEFLATE = "permessage-deflate";

  private BoundedCompression() {
  }

  /**
   * Called as soon as Vert.x initialised a new connection's pipeline. Over plain TCP, Vert.x has then added its
   * extension handler already. Over TLS it does so only when the handshake completes, inside the TLS handler, just
   * before that handler passes on the first decrypted bytes: a handler right behind it installs the guard there.
   */
  static void installOnceReady(ChannelPipeline pipeline, int maxInflatedBytes) {
    if (pipeline.get(EXTENSION_HANDLER) != null) {
      install(pipeline, maxInflatedBytes);
    } else if (pipeline.get(SslHandler.class) != null) {
      pipeline.addAfter(pipeline.context(SslHandler.class).name(), "agenthubCompressionGuard",
          new InstallOnFirstRead(maxInflatedBytes));
    }
  }

  private static void install(ChannelPipeline pipeline, int maxInflatedBytes) {
    pipeline.replace(EXTENSION_HANDLER, EXTENSION_HANDLER,
        new WebSocketServerExtensionHandler(new NoContextTakeover(maxInflatedBytes)));
    pipeline.addBefore(EXTENSION_HANDLER, "agenthubReservedBits", new ReservedBitsGuard());
  }

  /** Waits behind the TLS handler for the first decrypted read, installs the guard, and leaves. */
  private static final class InstallOnFirstRead extends ChannelInboundHandlerAdapter {
    private final int maxInflatedBytes;

    InstallOnFirstRead(int maxInflatedBytes) {
      this.maxInflatedBytes = maxInflatedBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ChannelPipeline pipeline = ctx.pipeline();
      if (pipeline.get(EXTENSION_HANDLER) != null) {
        install(pipeline, maxInflatedBytes);
        pipeline.remove(this);
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** Accepts permessage-deflate offers as if they had asked for no context takeover on both sides. */
  static final class NoContextTakeover implements WebSocketServerExtensionHandshaker {
    private final PerMessageDeflateServerExtensionHandshaker deflate;

    NoContextTakeover(int maxInflatedBytes) {
      deflate = new PerMessageDeflateServerExtensionHandshaker(6, false,
          PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, true, true, maxInflatedBytes);
    }

    @Override
    public WebSocketServerExtension handshakeExtension(WebSocketExtensionData offer) {
      if (!PERMESSAGE_DEFLATE.equals(offer.name())) {
        return null;
      }
      Map<String, String> parameters = new HashMap<>(offer.parameters());
      parameters.put("server_no_context_takeover", null);
      parameters.put("client_no_context_takeover", null);
      return deflate.handshakeExtension(new WebSocketExtensionData(offer.name(), parameters));
    }
  }

  /**
   * Sits after the frame decoder and before the inflater; inert while the connection still speaks HTTP. Like Netty's
   * decoder on a protocol violation, it writes the close frame itself and flushes it: Vert.x closes the channel on
   * the exception, and a close frame left to its deferred flush (the frame arrived in the same read as others) would
   * be lost.
   */
  static final class ReservedBitsGuard extends ChannelInboundHandlerAdapter {
    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof WebSocketFrame frame)) {
        ctx.fireChannelRead(msg);
      } else if (refused) {
        ReferenceCountUtil.release(frame);
      } else if ((frame.rsv() & ~allowedReservedBits(ctx, frame)) != 0) {
        refused = true;
        int rsv = frame.rsv();
        ReferenceCountUtil.release(frame);
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR));
        ctx.fireExceptionCaught(new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
            "reserved bits " + rsv + " set, not negotiated"));
      } else {
        ctx.fireChannelRead(frame);
      }
    }

    private static int allowedReservedBits(ChannelHandlerContext ctx, WebSocketFrame frame) {
      boolean firstDataFrame = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
      boolean deflating = ctx.pipeline().get(WebSocketExtensionDecoder.class) != null;
      return firstDataFrame && deflating ? WebSocketExtension.RSV1 : 0;
    }
  }
}
