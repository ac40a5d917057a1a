package io.agenthub.bench.jmh;

import io.agenthub.protocol.ChatMessages;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.Fields;
import io.agenthub.protocol.Frames;
import io.agenthub.protocol.InboundFrame;
import io.agenthub.protocol.MessageType;
import io.agenthub.protocol.ProtocolError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hub's per-message work, one step at a time and end to end, on the TEXT a frontend sends in the round-trip
 * scenario: inbound (parse, validate, stamp, serialize for RabbitMQ) and outbound (decode what RabbitMQ delivers,
 * route, strip the internal keys, serialize for the WebSocket). Run with {@code scripts/bench jmh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HotPathBenchmark {
  private static final String CLIENT_ID = "web_0a1b2c3d";

  private String frameText;
  private JsonObject parsed;
  private JsonObject stamped;
  private byte[] deliveredBytes;

  @Setup
  public void setUp() {
    frameText = new JsonObject()
        .put(Fields.MESSAGE_TYPE, MessageType.TEXT.name())
        .put(Fields.MESSAGE_ID, CLIENT_ID + "-42")
        .put(Fields.SENDER_ID, CLIENT_ID)
        .put(Fields.RECEIVER_ID, Frames.SERVER_ID)
        .put(Fields.TEXT_PAYLOAD, "x".repeat(100))
        .put(Fields.SEND_TIMESTAMP, "2026-11-25T22:00:00.123456")
        .encode();
    parsed = InboundFrame.parse(frameText, 65_536).body();
    stamped = ChatMessages.stampFromClient(parsed.copy(), CLIENT_ID, ClientRole.FRONTEND, Instant.now());
    deliveredBytes = stamped.copy().put(Fields.RECEIVER_ID, CLIENT_ID).toBuffer().getBytes();
  }

  @Benchmark
  public InboundFrame parse() {
    return InboundFrame.parse(frameText, 65_536);
  }

  @Benchmark
  public Optional<ProtocolError> validate() {
    return ChatMessages.validate(parsed);
  }

  /** Stamping changes the message, so each call stamps a copy; {@link #copy()} is that copy alone. */
  @Benchmark
  public JsonObject stamp() {
    return ChatMessages.stampFromClient(parsed.copy(), CLIENT_ID, ClientRole.FRONTEND, Instant.now());
  }

  /** What a local event-bus send of a JsonObject costs on top of the send itself. */
  @Benchmark
  public JsonObject copy() {
    return parsed.copy();
  }

  @Benchmark
  public byte[] serializeForRabbit() {
    return stamped.toBuffer().getBytes();
  }

  @Benchmark
  public Optional<ClientRole> route() {
    JsonObject message = new JsonObject(Buffer.buffer(deliveredBytes));
    return ClientRole.ofId(message.getString(Fields.RECEIVER_ID));
  }

  @Benchmark
  public String serializeForClient() {
    return ChatMessages.forClient(stamped).encode();
  }

  /** Everything the gateway does with a chat frame before handing it to the bridge. */
  @Benchmark
  public byte[] inboundEndToEnd() {
    InboundFrame frame = InboundFrame.parse(frameText, 65_536);
    if (ChatMessages.validate(frame.body()).isPresent()) {
      throw new IllegalStateException("invalid sample frame");
    }
    return ChatMessages.stampFromClient(frame.body(), CLIENT_ID, ClientRole.FRONTEND, Instant.now()).toBuffer()
        .getBytes();
  }

  /** Everything the bridge and gateway do with a delivery from broker_output_queue for a WebSocket client. */
  @Benchmark
  public String outboundEndToEnd() {
    JsonObject message = new JsonObject(Buffer.buffer(deliveredBytes));
    if (ClientRole.ofId(message.getString(Fields.RECEIVER_ID)).isEmpty()) {
      throw new IllegalStateException("unroutable sample message");
    }
    return ChatMessages.forClient(message).encode();
  }
}
