package io.agenthub.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's NIO transport with one addition, for WEBSOCKET_COMPRESSION: every connection of an HTTP server that
 * accepts permessage-deflate gets {@link BoundedCompression} in its Netty pipeline before its first request is read.
 * Vert.x's public API has no hook into a connection's pipeline; its transport SPI, which configures every server
 * bootstrap, is one. Servers without compression, clients and the event bus are left exactly as Vert.x made them.
 */
public final class GuardedTransport implements Transport {
  public static final GuardedTransport NIO = new GuardedTransport(Transport.NIO);

  /** The event-loop threads of this transport, so the gateway can refuse compression on any other. */
  private static final Set<Thread> THREADS =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final Transport base;

  private GuardedTransport(Transport base) {
    this.base = base;
  }

  /** True on an event loop of a Vert.x instance built on this transport. */
  static boolean runsThisThread() {
    return THREADS.contains(Thread.currentThread());
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public boolean available() {
    return base.available();
  }

  @Override
  public Throwable unavailabilityCause() {
    return base.unavailabilityCause();
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return new Implementation(base.implementation());
  }

  private static final class Implementation implements io.vertx.core.spi.transport.Transport {
    private final io.vertx.core.spi.transport.Transport base;

    Implementation(io.vertx.core.spi.transport.Transport base) {
      this.base = base;
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      base.configure(options, domainSocket, bootstrap);
      if (options instanceof HttpServerOptions http && http.getPerMessageWebSocketCompressionSupported()) {
        ChannelHandler vertxInitializer = bootstrap.config().childHandler();
        bootstrap.childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel channel) {
            channel.pipeline().addLast(vertxInitializer);
            BoundedCompression.installOnceReady(channel.pipeline(), GatewayVerticle.TRANSPORT_FRAME_LIMIT);
          }
        });
      }
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory threadFactory, int ioRatio) {
      return base.eventLoopGroup(type, threads, task -> {
        Thread thread = threadFactory.newThread(task);
        THREADS.add(thread);
        return thread;
      }, ioRatio);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return base.ioHandlerFactory();
    }

    @Override
    public boolean supportsDomainSockets() {
      return base.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return base.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return base.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return base.unavailabilityCause();
    }

    @Override
    public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
      return base.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
      return base.convert(address);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return base.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return base.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return base.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return base.serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      base.configure(channel, options);
    }

    @Override
    public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      base.configure(options, connectTimeout, domainSocket, bootstrap);
    }
  }
}
