package io.agenthub.bench;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The streams scenario's floor, run as a JVM of its own with the hub's launcher options ({@link PlainVertxServer}
 * starts it): plain Vert.x on one event loop relaying the same stream frames from one socket to another, with no
 * broker, no store, no monitoring copies. Registrations get a success; a frontend's TEXT goes to the next agent in
 * turn; an agent's STREAM_START gets STREAM_STARTED, and its asker (if it opted in) a STREAM_START; each STREAM_CHUNK
 * is parsed and written to the asker with {@code last_seq} added (or, for a frontend that did not opt in, its delta
 * kept); the end goes to the asker as STREAM_END and a REPLY with the whole text, and back to the agent. What it
 * costs per chunk is what relaying a chunk costs on Vert.x, below which no hub on Vert.x goes.
 */
public final class StreamRelayServer {
  private static final Map<ServerWebSocket, String> IDS = new HashMap<>();
  private static final Map<String, ServerWebSocket> FRONTENDS = new HashMap<>();
  private static final Map<String, Boolean> OPTED_IN = new HashMap<>();
  private static final List<ServerWebSocket> AGENTS = new ArrayList<>();
  /** message id to its sender's id. */
  private static final Map<String, String> ASKED = new HashMap<>();
  private static final Map<String, Stream> STREAMS = new HashMap<>();
  private static long ids;
  private static int nextAgent;

  private record Stream(String id, String questionId, String askerId, ServerWebSocket asker, boolean optedIn,
      StringBuilder text) {
  }

  private StreamRelayServer() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)
            .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false))
        .webSocketHandler(socket -> {
          socket.textMessageHandler(text -> onText(socket, new JsonObject(text)));
          socket.closeHandler(v -> AGENTS.remove(socket));
        })
        .listen(0, "127.0.0.1")
        .onSuccess(server -> System.out.println("listening " + server.actualPort()))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  private static void onText(ServerWebSocket socket, JsonObject frame) {
    String type = frame.getString(Fields.MESSAGE_TYPE);
    switch (type) {
      case "STREAM_CHUNK" -> {
        Stream stream = STREAMS.get(frame.getString(Fields.STREAM_ID));
        if (stream.optedIn()) {
          stream.asker().writeTextMessage(new JsonObject().put(Fields.MESSAGE_TYPE, type)
              .put(Fields.STREAM_ID, stream.id()).put(Fields.SEQ, frame.getLong(Fields.SEQ))
              .put(Fields.LAST_SEQ, frame.getLong(Fields.SEQ)).put(Fields.DELTA, frame.getString(Fields.DELTA))
              .encode());
        }
        stream.text().append(frame.getString(Fields.DELTA));
      }
      case "TEXT" -> {
        ServerWebSocket agent = AGENTS.get(nextAgent++ % AGENTS.size());
        ASKED.put(frame.getString(Fields.MESSAGE_ID), IDS.get(socket));
        agent.writeTextMessage(frame.encode());
      }
      case "STREAM_START" -> start(socket, frame);
      case "STREAM_END" -> end(socket, frame);
      default -> register(socket, frame, type);
    }
  }

  private static void start(ServerWebSocket agent, JsonObject frame) {
    String questionId = frame.getString(Fields.IN_REPLY_TO_MESSAGE_ID);
    String askerId = ASKED.remove(questionId);
    Stream stream = new Stream(String.format("st_%032x", ++ids), questionId, askerId, FRONTENDS.get(askerId),
        OPTED_IN.get(askerId), new StringBuilder());
    STREAMS.put(stream.id(), stream);
    agent.writeTextMessage(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_STARTED.name())
        .put(Fields.STREAM_ID, stream.id()).put(Fields.IN_REPLY_TO_MESSAGE_ID, questionId).put(Fields.NEXT_SEQ, 0)
        .encode());
    if (stream.optedIn()) {
      stream.asker().writeTextMessage(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_START.name())
          .put(Fields.STREAM_ID, stream.id()).put(Fields.AGENT_ID, IDS.get(agent)).put(Fields.RECEIVER_ID, askerId)
          .put(Fields.IN_REPLY_TO_MESSAGE_ID, questionId).encode());
    }
  }

  private static void end(ServerWebSocket agent, JsonObject frame) {
    Stream stream = STREAMS.remove(frame.getString(Fields.STREAM_ID));
    String end = new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.STREAM_END.name())
        .put(Fields.STREAM_ID, stream.id()).put(Fields.REASON, frame.getString(Fields.REASON))
        .put(Fields.CHUNKS, frame.getLong(Fields.SEQ)).encode();
    if (stream.optedIn()) {
      stream.asker().writeTextMessage(end);
    }
    stream.asker().writeTextMessage(new JsonObject().put(Fields.MESSAGE_TYPE, MessageType.REPLY.name())
        .put(Fields.MESSAGE_ID, stream.id()).put(Fields.SENDER_ID, IDS.get(agent))
        .put(Fields.RECEIVER_ID, stream.askerId()).put(Fields.IN_REPLY_TO_MESSAGE_ID, stream.questionId())
        .put(Fields.TEXT_PAYLOAD, stream.text().toString()).put(Fields.STREAM_ID, stream.id()).encode());
    agent.writeTextMessage(end);
  }

  private static void register(ServerWebSocket socket, JsonObject frame, String type) {
    ClientRole role = ClientRole.forRegistration(MessageType.valueOf(type)).orElseThrow();
    String id = String.format("%s_%08x", role == ClientRole.AGENT ? "agent" : "web", ++ids);
    IDS.put(socket, id);
    if (role == ClientRole.AGENT) {
      AGENTS.add(socket);
    } else {
      FRONTENDS.put(id, socket);
      OPTED_IN.put(id, frame.getBoolean(Fields.STREAMS, false));
    }
    socket.writeTextMessage(new JsonObject().put(Fields.MESSAGE_TYPE, role.responseType().name())
        .put("status", "success").put(role.idField(), id).encode());
  }
}
