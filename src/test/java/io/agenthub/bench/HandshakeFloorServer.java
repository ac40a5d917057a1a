package io.agenthub.bench;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The handshake floor's server, run as a JVM of its own with the hub's launcher options: plain Vert.x accepting
 * WebSockets on the hub's transport options and answering each registration with a success, nothing else. What a
 * connect+registration costs it is what Vert.x and Netty cost for the handshake and one frame each way, below which
 * no hub on Vert.x can go. Prints {@code listening <port>} once it accepts connections.
 */
public final class HandshakeFloorServer {
  private static final AtomicLong IDS = new AtomicLong();

  private HandshakeFloorServer() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)
            .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false))
        .webSocketHandler(socket -> socket.textMessageHandler(text -> {
          ClientRole role = ClientRole.forRegistration(MessageType.valueOf(BenchClient.messageType(text)))
              .orElseThrow();
          socket.writeTextMessage(new JsonObject().put("message_type", role.responseType().name())
              .put("status", "success").put(role.idField(), String.format("web_%08x", IDS.incrementAndGet()))
              .encode());
        }))
        .listen(0, "127.0.0.1")
        .onSuccess(server -> System.out.println("listening " + server.actualPort()))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
