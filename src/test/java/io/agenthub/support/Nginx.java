package io.agenthub.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's nginx as a reverse proxy in front of a hub, as operators run it: WebSocket upgrades passed on, and the
 * client's address appended to {@code X-Forwarded-For}. Started by a test as a child process, with its own
 * configuration in a temporary folder, on a free port of 127.0.0.1, and stopped when closed. Its connections to the
 * hub come from 127.0.0.1. {@code scripts/ensure-proxy} installs the binary.
 */
public final class Nginx implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/nginx");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final Path folder;
  private final int port;

  private Nginx(Process process, Path folder, int port) {
    this.process = process;
    this.folder = folder;
    this.port = port;
  }

  /** An nginx on a free port that proxies every request to the hub on 127.0.0.1:{@code hubPort}. */
  public static Nginx proxyTo(int hubPort) throws Exception {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: run scripts/ensure-proxy (it installs Debian's nginx)");
    }
    Path folder = Files.createTempDirectory("agent-hub-nginx");
    int port = freePort();
    Files.writeString(folder.resolve("nginx.conf"), configuration(folder, port, hubPort));
    Process process = new ProcessBuilder(BINARY.toString(), "-p", folder.toString(), "-c",
        folder.resolve("nginx.conf").toString(), "-e", folder.resolve("error.log").toString())
        .redirectErrorStream(true).redirectOutput(folder.resolve("output.log").toFile()).start();
    Nginx nginx = new Nginx(process, folder, port);
    try {
      Await.until("nginx listens on port " + port, START_TIMEOUT, nginx::listens);
    } catch (AssertionError | Exception e) {
      nginx.close();
      throw new IllegalStateException("nginx did not start: " + e.getMessage(), e);
    }
    return nginx;
  }

  public int port() {
    return port;
  }

  private boolean listens() throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException("nginx exited with " + process.exitValue() + ": "
          + Files.readString(folder.resolve("output.log")) + Files.readString(folder.resolve("error.log")));
    }
    try (Socket probe = new Socket()) {
      probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /**
   * One process, in the foreground, everything under {@code folder}; {@code $proxy_add_x_forwarded_for} appends the
   * peer's address to what the client sent, as in nginx's documented WebSocket proxying.
   */
  private static String configuration(Path folder, int port, int hubPort) {
    return """
        daemon off;
        master_process off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 512; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          server {
            listen 127.0.0.1:%2$d;
            location / {
              proxy_pass http://127.0.0.1:%3$d;
              proxy_http_version 1.1;
              proxy_set_header Upgrade $http_upgrade;
              proxy_set_header Connection "upgrade";
              proxy_set_header Host $host;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_read_timeout 1h;
            }
          }
        }
        """.formatted(folder, port, hubPort);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
  }
}
