package io.agenthub.support;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/**
 * The protocol as {@code docs/asyncapi.yaml} describes it, turned into validators: which frames the hub may send to a
 * client of each role and accept from it, and what each queue carries. The test support checks every frame and queue
 * message against it, so a protocol change the document does not describe fails the test that caused it.
 */
public final class ProtocolSpec {
  public static final Path DOCUMENT = Path.of("docs/asyncapi.yaml");
  private static final String DOCUMENT_URI = "https://agenthub.invalid/asyncapi.json";
  /** The key under which messages without a {@code message_type} (e.g. dead letters) are filed. */
  private static final String ANY_TYPE = "*";
  private static final ProtocolSpec INSTANCE = load(DOCUMENT);

  /** A message of an operation, with validators for its payload and (AMQP) headers. */
  public record SpecMessage(String name, String contentType, Validator payload, Validator headers) {
  }

  /** An operation: its messages by the {@code message_type} they carry, and its AMQP delivery mode, if any. */
  private record Operation(String id, Map<String, List<SpecMessage>> byType, Integer deliveryMode) {
  }

  private final JsonObject document;
  private final Map<String, Operation> operations = new LinkedHashMap<>();
  private final Map<String, String> channelOfQueue = new LinkedHashMap<>();

  private ProtocolSpec(JsonObject document) {
    this.document = document;
    SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions()
        .setDraft(Draft.DRAFT7).setBaseUri(DOCUMENT_URI).setOutputFormat(OutputFormat.Basic));
    // The repository annotates what it is given, so it gets a copy and this class walks the original.
    repository.dereference(DOCUMENT_URI, JsonSchema.of(document.copy()));
    JsonObject ops = document.getJsonObject("operations");
    for (String id : ops.fieldNames()) {
      operations.put(id, readOperation(repository, id, ops.getJsonObject(id)));
    }
    JsonObject channels = document.getJsonObject("channels");
    for (String name : channels.fieldNames()) {
      channelOfQueue.put(channels.getJsonObject(name).getString("address"), name);
    }
  }

  /** The project's spec, loaded once. */
  public static ProtocolSpec get() {
    return INSTANCE;
  }

  public static ProtocolSpec load(Path path) {
    try {
      Object yaml = new Yaml().load(Files.readString(path));
      return new ProtocolSpec(new JsonObject(Json.encode(yaml)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  public JsonObject document() {
    return document;
  }

  /** The operation id for what the hub sends to a client of this role ({@code null}: not registered yet). */
  public static String hubSendsTo(String role) {
    return "hubSendsTo" + operationSuffix(role);
  }

  /** The operation id for what a client of this role may send ({@code null}: not registered yet). */
  public static String hubReceivesFrom(String role) {
    return "hubReceivesFrom" + operationSuffix(role);
  }

  private static String operationSuffix(String role) {
    return role == null ? "UnregisteredClient" : Character.toUpperCase(role.charAt(0)) + role.substring(1);
  }

  /** What is wrong with this WebSocket frame for that operation, if anything. */
  public Optional<String> problemWithFrame(String operationId, JsonObject frame) {
    Object type = frame.getValue("message_type");
    List<SpecMessage> candidates = operation(operationId).byType().get(String.valueOf(type));
    if (candidates == null) {
      return Optional.of(operationId + ": the spec lists no message with message_type " + type + " (it lists "
          + operation(operationId).byType().keySet() + "): " + frame.encode());
    }
    return problemWith(operationId, candidates, frame, null);
  }

  /** Throws an AssertionError naming every violation if the frame does not fit the operation. */
  public void checkFrame(String operationId, JsonObject frame) {
    problemWithFrame(operationId, frame).ifPresent(problem -> {
      throw new AssertionError("frame does not match docs/asyncapi.yaml: " + problem);
    });
  }

  /**
   * Checks a message read from or written to a queue against the operation of the hub on that queue's channel:
   * body, headers, content type and (for what the hub publishes) delivery mode.
   */
  public void checkQueueMessage(String queue, String action, String body, Map<String, Object> headers,
      String contentType, Integer deliveryMode) {
    String operationId = operationOn(channelFor(queue), action);
    Operation operation = operation(operationId);
    Object decoded;
    try {
      decoded = Json.decodeValue(body);
    } catch (RuntimeException e) {
      decoded = body;
    }
    String type = decoded instanceof JsonObject json && json.getValue("message_type") instanceof String s ? s : null;
    List<SpecMessage> candidates = new ArrayList<>(operation.byType().getOrDefault(type, List.of()));
    candidates.addAll(operation.byType().getOrDefault(ANY_TYPE, List.of()));
    List<String> problems = new ArrayList<>();
    if (candidates.isEmpty()) {
      problems.add("the spec lists no message with message_type " + type);
    } else {
      JsonObject headerJson = new JsonObject();
      if (headers != null) {
        headers.forEach((key, value) -> headerJson.put(key, value == null ? null : value.toString()));
      }
      problemWith(operationId, candidates, decoded, headerJson).ifPresent(problems::add);
      String expectedType = candidates.get(0).contentType();
      if (expectedType != null && !expectedType.equals(contentType)) {
        problems.add("content type " + contentType + ", the spec says " + expectedType);
      }
    }
    if (operation.deliveryMode() != null && !operation.deliveryMode().equals(deliveryMode)) {
      problems.add("delivery mode " + deliveryMode + ", the spec says " + operation.deliveryMode());
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("message on " + queue + " does not match docs/asyncapi.yaml (" + operationId + "): "
          + String.join("; ", problems) + ": " + body);
    }
  }

  /** Every {@code error_code} the spec allows. */
  public Set<String> errorCodes() {
    return document.getJsonObject("components").getJsonObject("schemas").getJsonObject("ErrorCode")
        .getJsonArray("enum").stream().map(String.class::cast).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Every {@code message_type} some operation of the spec carries. */
  public Set<String> messageTypes() {
    Set<String> types = new TreeSet<>();
    operations.values().forEach(op -> types.addAll(op.byType().keySet()));
    types.remove(ANY_TYPE);
    return types;
  }

  public Set<String> operationIds() {
    return operations.keySet();
  }

  private Operation operation(String id) {
    Operation operation = operations.get(id);
    if (operation == null) {
      throw new IllegalArgumentException("docs/asyncapi.yaml has no operation " + id);
    }
    return operation;
  }

  private String channelFor(String queue) {
    String channel = channelOfQueue.get(queue);
    if (channel == null && queue.startsWith("agent_queue_")) {
      channel = channelOfQueue.get("agent_queue_{agentId}");
    }
    if (channel == null) {
      throw new IllegalArgumentException("docs/asyncapi.yaml describes no queue " + queue);
    }
    return channel;
  }

  private String operationOn(String channel, String action) {
    JsonObject ops = document.getJsonObject("operations");
    return ops.fieldNames().stream()
        .filter(id -> action.equals(ops.getJsonObject(id).getString("action"))
            && ("#/channels/" + channel).equals(ops.getJsonObject(id).getJsonObject("channel").getString("$ref")))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("docs/asyncapi.yaml has no " + action + " operation on "
            + channel));
  }

  private static Optional<String> problemWith(String operationId, List<SpecMessage> candidates, Object payload,
      JsonObject headers) {
    List<String> mismatches = new ArrayList<>();
    for (SpecMessage candidate : candidates) {
      List<String> errors = new ArrayList<>(errorsOf(candidate.payload().validate(payload)));
      if (candidate.headers() != null && headers != null) {
        errorsOf(candidate.headers().validate(headers)).forEach(e -> errors.add("headers " + e));
      }
      if (errors.isEmpty()) {
        return Optional.empty();
      }
      mismatches.add(candidate.name() + " " + errors);
    }
    return Optional.of(operationId + ": matches none of " + String.join(" | ", mismatches));
  }

  private static List<String> errorsOf(OutputUnit result) {
    if (Boolean.TRUE.equals(result.getValid())) {
      return List.of();
    }
    List<String> errors = new ArrayList<>();
    if (result.getErrors() != null) {
      for (OutputUnit error : result.getErrors()) {
        errors.add(error.getInstanceLocation() + ": " + error.getError() + " (" + error.getKeywordLocation() + ")");
      }
    }
    if (errors.isEmpty()) {
      errors.add(String.valueOf(result.getError()));
    }
    return errors;
  }

  private Operation readOperation(SchemaRepository repository, String id, JsonObject operation) {
    Map<String, List<SpecMessage>> byType = new LinkedHashMap<>();
    for (Object ref : operation.getJsonArray("messages")) {
      String pointer = finalPointer(((JsonObject) ref).getString("$ref"));
      JsonObject message = (JsonObject) at(pointer);
      String payloadPointer = dereferenced(pointer + "/payload");
      Validator headers = message.containsKey("headers")
          ? repository.validator(DOCUMENT_URI + "#" + dereferenced(pointer + "/headers")) : null;
      SpecMessage spec = new SpecMessage(pointer.substring(pointer.lastIndexOf('/') + 1),
          message.getString("contentType"), repository.validator(DOCUMENT_URI + "#" + payloadPointer), headers);
      for (String type : messageTypesOf(payloadPointer)) {
        byType.computeIfAbsent(type, t -> new ArrayList<>()).add(spec);
      }
    }
    Integer deliveryMode = null;
    JsonObject bindings = operation.getJsonObject("bindings");
    if (bindings != null && bindings.getJsonObject("amqp") != null) {
      deliveryMode = bindings.getJsonObject("amqp").getInteger("deliveryMode");
    }
    return new Operation(id, byType, deliveryMode);
  }

  /** The message types a payload schema admits: its {@code message_type}'s const or enum, or any when it has none. */
  private List<String> messageTypesOf(String payloadPointer) {
    JsonObject properties = at(payloadPointer) instanceof JsonObject schema ? schema.getJsonObject("properties") : null;
    if (properties == null || !properties.containsKey("message_type")) {
      return List.of(ANY_TYPE);
    }
    JsonObject typeSchema = (JsonObject) at(dereferenced(payloadPointer + "/properties/message_type"));
    if (typeSchema.containsKey("const")) {
      return List.of(typeSchema.getString("const"));
    }
    return typeSchema.getJsonArray("enum").stream().map(String.class::cast).toList();
  }

  /** The pointer itself, or where the {@code $ref} found there leads. */
  private String dereferenced(String pointer) {
    return at(pointer) instanceof JsonObject node && node.containsKey("$ref") ? finalPointer(node.getString("$ref"))
        : pointer;
  }

  /** Follows a chain of local {@code $ref}s to the pointer of the node that is not a reference. */
  private String finalPointer(String ref) {
    if (!ref.startsWith("#/")) {
      throw new IllegalArgumentException("only local $refs are supported: " + ref);
    }
    return dereferenced(ref.substring(1));
  }

  /** The node at a JSON pointer ({@code /components/schemas/X}); fails when there is none. */
  public Object at(String pointer) {
    Object node = document;
    for (String token : pointer.substring(1).split("/")) {
      String key = token.replace("~1", "/").replace("~0", "~");
      if (node instanceof JsonObject json && json.containsKey(key)) {
        node = json.getValue(key);
      } else if (node instanceof JsonArray array && key.matches("\\d+") && Integer.parseInt(key) < array.size()) {
        node = array.getValue(Integer.parseInt(key));
      } else {
        throw new IllegalArgumentException("docs/asyncapi.yaml has nothing at " + pointer);
      }
    }
    return node;
  }
}
