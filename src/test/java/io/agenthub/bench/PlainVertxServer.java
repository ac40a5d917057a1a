package io.agenthub.bench;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floors' server, run as a JVM of its own with the hub's launcher options: plain Vert.x on one event loop, on the
 * hub's transport options, answering each registration with a success, and writing, for each TEXT a client sends,
 * what the legacy workload makes the hub write to every frontend: two copies of the TEXT and its REPLY, each to every
 * socket with {@code writeTextMessage}. Its CPU per connect+registration and per frame written are what Vert.x costs
 * for the handshake and for one frame to one socket, below which no hub on Vert.x goes. Prints {@code listening
 * <port>} once it accepts connections.
 */
public final class PlainVertxServer {
  private static final AtomicLong IDS = new AtomicLong();
  private static final Set<ServerWebSocket> REGISTERED = new LinkedHashSet<>();

  private PlainVertxServer() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)
            .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false))
        .webSocketHandler(socket -> {
          socket.textMessageHandler(text -> onText(socket, text));
          socket.closeHandler(v -> REGISTERED.remove(socket));
        })
        .listen(0, "127.0.0.1")
        .onSuccess(server -> System.out.println("listening " + server.actualPort()))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  private static void onText(ServerWebSocket socket, String text) {
    String type = BenchClient.messageType(text);
    if (MessageType.TEXT.name().equals(type)) {
      JsonObject message = new JsonObject(text);
      String copy = message.encode();
      String reply = message.copy().put(Fields.MESSAGE_TYPE, MessageType.REPLY.name())
          .put(Fields.IN_REPLY_TO_MESSAGE_ID, message.getString(Fields.MESSAGE_ID)).encode();
      for (String frame : List.of(copy, copy, reply)) {
        REGISTERED.forEach(each -> each.writeTextMessage(frame));
      }
      return;
    }
    ClientRole role = ClientRole.forRegistration(MessageType.valueOf(type)).orElseThrow();
    REGISTERED.add(socket);
    socket.writeTextMessage(new JsonObject().put(Fields.MESSAGE_TYPE, role.responseType().name())
        .put("status", "success").put(role.idField(), String.format("web_%08x", IDS.incrementAndGet())).encode());
  }

  /** The server as a child JVM, started the way the launcher starts the hub. */
  record Running(Process process, String webSocketUrl) implements AutoCloseable {
    long pid() {
      return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      process.waitFor();
    }
  }

  static Running start(Path runDir, boolean launcherJvm) throws Exception {
    return start(runDir, launcherJvm, PlainVertxServer.class);
  }

  /** {@code main}, a server printing {@code listening <port>} as this one does, as a child JVM. */
  static Running start(Path runDir, boolean launcherJvm, Class<?> main) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    if (launcherJvm) {
      command.add("@" + Path.of("conf", "jvm.options").toAbsolutePath());
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    Files.createDirectories(runDir);
    Process server = new ProcessBuilder(command).redirectError(runDir.resolve("server.log").toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String listening = out.readLine();
    if (listening == null || !listening.startsWith("listening ")) {
      server.destroy();
      throw new IllegalStateException("the plain Vert.x server did not start; see " + runDir.resolve("server.log"));
    }
    return new Running(server, "ws://127.0.0.1:" + listening.substring("listening ".length()) + "/ws");
  }
}
