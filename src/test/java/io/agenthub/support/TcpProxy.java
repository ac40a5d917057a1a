package io.agenthub.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free loopback port in front of a real server (RabbitMQ here), for faults no broker command makes:
 * holding back the bytes of one direction (confirms or acks that never arrive) and then cutting every connection
 * at once, as a network failure would. New connections are forwarded normally again after a cut.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private volatile boolean holdToClient;
  private volatile boolean holdToServer;

  private TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static TcpProxy to(int targetPort) throws IOException {
    return new TcpProxy(targetPort);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Bytes from the server to the clients are read but held back, e.g. publisher confirms. */
  public void holdBackToClients() {
    holdToClient = true;
  }

  /** Bytes from the clients to the server are read but held back, e.g. acknowledgements. */
  public void holdBackToServer() {
    holdToServer = true;
  }

  /** Resets every open connection (held-back bytes are lost) and forwards new connections normally. */
  public void cutAll() {
    synchronized (gate) {
      holdToClient = false;
      holdToServer = false;
      for (Socket socket : sockets) {
        reset(socket);
      }
      sockets.clear();
      gate.notifyAll();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream, true);
        pump(upstream, client, false);
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to, boolean towardsServer) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16_384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          awaitRelease(towardsServer, from);
          out.write(buffer, 0, read);
          out.flush();
        }
      } catch (IOException | InterruptedException closed) {
        // the connection was cut or closed by one side
      } finally {
        reset(from);
        reset(to);
      }
    }, "tcp-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private void awaitRelease(boolean towardsServer, Socket from) throws InterruptedException, IOException {
    synchronized (gate) {
      while ((towardsServer ? holdToServer : holdToClient) && !from.isClosed()) {
        gate.wait(100);
      }
    }
    if (from.isClosed()) {
      throw new IOException("cut");
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    cutAll();
  }
}
