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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/**
 * The protocol as {@code docs/asyncapi.yaml} describes it, turned into validators: which frames the hub may send to a
 * client of each role and accept from it, and what each queue carries. The test support checks every frame and queue
 * message against it, so a protocol change the document does not describe fails the test that caused it.
 */
public final class ProtocolSpec {
  private static final Path DOCUMENT = Path.of("docs/asyncapi.yaml");
  private static final String DOCUMENT_URI = "https://agenthub.invalid/asyncapi.json";
  /** The key under which messages without a {@code message_type} (e.g. dead letters) are filed. */
  private static final String ANY_TYPE = "*";
  private static final int MAX_ERRORS_SHOWN = 6;
  /** Errors that only say a subschema failed; the subschema's own error is listed too and says why. */
  private static final Pattern WRAPPING_KEYWORD =
      Pattern.compile("/(\\$ref|allOf|anyOf|oneOf|if|then|else|properties|items)$");
  private static final ProtocolSpec INSTANCE = load(DOCUMENT);

  /** A message of an operation, with validators for its payload and (AMQP) headers. */
  private record SpecMessage(String name, String contentType, Validator payload, Validator headers) {
  }

  /**
   * The messages of an operation or a channel, by the {@code message_type} they carry, and the AMQP delivery mode
   * their sender uses, if the spec binds one.
   */
  private record MessageSet(String name, Map<String, List<SpecMessage>> byType, Integer deliveryMode) {
  }

  /** Who published a queue message being checked: the hub (its operation on that queue) or any party. */
  public enum Publisher { HUB, ANYONE }

  private final JsonObject document;
  private final Map<String, MessageSet> operations = new LinkedHashMap<>();
  /** Per queue address: every message its channel lists, whoever publishes it. */
  private final Map<String, MessageSet> queues = new LinkedHashMap<>();
  /** Per queue address: what the hub itself publishes there. */
  private final Map<String, MessageSet> hubPublishes = new LinkedHashMap<>();

  private ProtocolSpec(JsonObject document) {
    this.document = document;
    SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions()
        .setDraft(Draft.DRAFT7).setBaseUri(DOCUMENT_URI).setOutputFormat(OutputFormat.Basic));
    // The repository annotates what it is given, so it gets a copy and this class walks the original.
    repository.dereference(DOCUMENT_URI, JsonSchema.of(document.copy()));
    JsonObject ops = document.getJsonObject("operations");
    for (String id : ops.fieldNames()) {
      JsonObject operation = ops.getJsonObject(id);
      List<String> refs = operation.getJsonArray("messages").stream()
          .map(ref -> ((JsonObject) ref).getString("$ref")).toList();
      MessageSet messages = readMessages(repository, id, refs, operation.getJsonObject("bindings"));
      operations.put(id, messages);
      JsonObject channel = (JsonObject) at(finalPointer(operation.getJsonObject("channel").getString("$ref")));
      if ("send".equals(operation.getString("action")) && channel.getJsonObject("bindings").containsKey("amqp")) {
        hubPublishes.put(channel.getString("address"), messages);
      }
    }
    JsonObject channels = document.getJsonObject("channels");
    for (String name : channels.fieldNames()) {
      JsonObject channel = channels.getJsonObject(name);
      if (channel.getJsonObject("bindings").containsKey("amqp")) {
        List<String> refs = channel.getJsonObject("messages").fieldNames().stream()
            .map(key -> "#/channels/" + name + "/messages/" + key).toList();
        queues.put(channel.getString("address"), readMessages(repository, name, refs, null));
      }
    }
  }

  /** The project's spec, loaded once. */
  public static ProtocolSpec get() {
    return INSTANCE;
  }

  private static ProtocolSpec load(Path path) {
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
    MessageSet operation = operation(operationId);
    Object type = frame.getValue("message_type");
    List<SpecMessage> candidates = operation.byType().get(String.valueOf(type));
    if (candidates == null) {
      return Optional.of(operationId + ": the spec lists no message with message_type " + type + " (it lists "
          + operation.byType().keySet() + "): " + frame.encode());
    }
    return problemWith(operationId, candidates, frame, null);
  }

  /** Throws an AssertionError naming every violation if the frame does not fit the operation. */
  public void checkFrame(String operationId, JsonObject frame) {
    problemWithFrame(operationId, frame).ifPresent(problem -> {
      throw new AssertionError("frame does not match docs/asyncapi.yaml: " + problem);
    });
  }

  /** Whether the hub itself publishes to this queue (else only other parties do). */
  public boolean hubPublishesTo(String queue) {
    return hubPublishes.containsKey(address(queue));
  }

  /**
   * Checks a message of a queue: body and headers against what that publisher may put there, content type, and
   * the delivery mode the spec binds the hub's publishing to.
   */
  public void checkQueueMessage(String queue, Publisher publisher, String body, Map<String, Object> headers,
      String contentType, Integer deliveryMode) {
    String address = address(queue);
    MessageSet messages = publisher == Publisher.HUB ? hubPublishes.get(address) : queues.get(address);
    if (messages == null) {
      throw new IllegalArgumentException("docs/asyncapi.yaml has no " + publisher + " messages for " + queue);
    }
    Object decoded;
    try {
      decoded = Json.decodeValue(body);
    } catch (RuntimeException e) {
      decoded = body;
    }
    String type = decoded instanceof JsonObject json && json.getValue("message_type") instanceof String s ? s : null;
    List<SpecMessage> candidates = new ArrayList<>(messages.byType().getOrDefault(type, List.of()));
    candidates.addAll(messages.byType().getOrDefault(ANY_TYPE, List.of()));
    List<String> problems = new ArrayList<>();
    if (candidates.isEmpty()) {
      problems.add("the spec lists no message with message_type " + type);
    } else {
      JsonObject headerJson = new JsonObject();
      if (headers != null) {
        headers.forEach((key, value) -> headerJson.put(key, value == null ? null : value.toString()));
      }
      problemWith(messages.name(), candidates, decoded, headerJson).ifPresent(problems::add);
      String expectedType = candidates.get(0).contentType();
      if (expectedType != null && !expectedType.equals(contentType)) {
        problems.add("content type " + contentType + ", the spec says " + expectedType);
      }
    }
    if (messages.deliveryMode() != null && !messages.deliveryMode().equals(deliveryMode)) {
      problems.add("delivery mode " + deliveryMode + ", the spec says " + messages.deliveryMode());
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("message on " + queue + " does not match docs/asyncapi.yaml (" + messages.name()
          + "): " + String.join("; ", problems) + ": " + body);
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

  private MessageSet operation(String id) {
    MessageSet operation = operations.get(id);
    if (operation == null) {
      throw new IllegalArgumentException("docs/asyncapi.yaml has no operation " + id);
    }
    return operation;
  }

  /** The channel address of a queue: {@code agent_queue_agent_1a2b3c4d} is {@code agent_queue_{agentId}}. */
  private String address(String queue) {
    if (queues.containsKey(queue)) {
      return queue;
    }
    if (queue.startsWith("agent_queue_") && queues.containsKey("agent_queue_{agentId}")) {
      return "agent_queue_{agentId}";
    }
    throw new IllegalArgumentException("docs/asyncapi.yaml describes no queue " + queue);
  }

  private static Optional<String> problemWith(String operationId, List<SpecMessage> candidates, Object payload,
      JsonObject headers) {
    Map<String, List<String>> mismatches = new LinkedHashMap<>();
    for (SpecMessage candidate : candidates) {
      List<String> errors = new ArrayList<>(errorsOf(candidate.payload().validate(payload)));
      if (candidate.headers() != null && headers != null) {
        errorsOf(candidate.headers().validate(headers)).forEach(e -> errors.add("headers " + e));
      }
      if (errors.isEmpty()) {
        return Optional.empty();
      }
      mismatches.put(candidate.name(), errors);
    }
    // The closest candidate first, each with its first few errors: enough to see which field broke the contract.
    return Optional.of(operationId + ": matches none of " + mismatches.entrySet().stream()
        .sorted(Map.Entry.comparingByValue(Comparator.comparingInt(List::size)))
        .map(e -> e.getKey() + " " + abbreviated(e.getValue()))
        .collect(Collectors.joining(" | ")));
  }

  private static String abbreviated(List<String> errors) {
    return errors.size() <= MAX_ERRORS_SHOWN ? errors.toString()
        : errors.subList(0, MAX_ERRORS_SHOWN) + " and " + (errors.size() - MAX_ERRORS_SHOWN) + " more";
  }

  private static List<String> errorsOf(OutputUnit result) {
    if (Boolean.TRUE.equals(result.getValid())) {
      return List.of();
    }
    List<OutputUnit> all = result.getErrors() == null ? List.of() : result.getErrors();
    List<OutputUnit> causes = all.stream()
        .filter(error -> !WRAPPING_KEYWORD.matcher(error.getKeywordLocation()).find()).toList();
    List<String> errors = (causes.isEmpty() ? all : causes).stream()
        .map(error -> error.getInstanceLocation() + ": " + error.getError() + " (" + error.getKeywordLocation() + ")")
        .toList();
    return errors.isEmpty() ? List.of(String.valueOf(result.getError())) : errors;
  }

  private MessageSet readMessages(SchemaRepository repository, String name, List<String> refs, JsonObject bindings) {
    Map<String, List<SpecMessage>> byType = new LinkedHashMap<>();
    for (String ref : refs) {
      String pointer = finalPointer(ref);
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
    Integer deliveryMode = bindings != null && bindings.getJsonObject("amqp") != null
        ? bindings.getJsonObject("amqp").getInteger("deliveryMode") : null;
    return new MessageSet(name, byType, deliveryMode);
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
