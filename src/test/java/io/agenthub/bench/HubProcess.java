package io.agenthub.bench;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The hub under test as a child JVM ({@code java -cp <this classpath> io.agenthub.Main}), so its heap and RSS are its
 * own. It reads the project's conf/hub.json plus a {@code overrides.json} from a conf folder under
 * {@code target/bench/}, logs with the production logback.xml to {@code hub.log} next to it, and is stopped with
 * SIGTERM like in production.
 */
final class HubProcess implements AutoCloseable {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  private static final String BLOCKED_WARNING = "has been blocked for";

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private HubProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static HubProcess start(Path runDir, String vhost, JsonObject overrides, List<String> jvmArgs) throws Exception {
    Path confDir = Files.createDirectories(runDir.resolve("conf"));
    Files.copy(Path.of("conf/hub.json"), confDir.resolve("hub.json"));
    int port = freePort();
    JsonObject settings = new JsonObject().put("HOST", "127.0.0.1").put("PORT", port)
        .put("WEBSOCKET_HOST", "127.0.0.1").put("WEBSOCKET_PORT", port)
        .put("RABBITMQ_HOST", "127.0.0.1").put("RABBITMQ_VHOST", vhost)
        .mergeIn(overrides);
    // Files of the conf folder apply in name order, so the overrides must sort after hub.json.
    Files.writeString(confDir.resolve("overrides.json"), settings.encodePrettily());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmArgs);
    command.addAll(List.of("-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath(),
        "-cp", absoluteClassPath(), "io.agenthub.Main", "hub"));
    Path log = runDir.resolve("hub.log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("CONF_DIR", confDir.toAbsolutePath().toString());
    HubProcess hub = new HubProcess(builder.start(), port, log);
    try {
      hub.awaitReady(Duration.ofSeconds(60));
    } catch (Exception notReady) {
      hub.close();
      throw notReady;
    }
    return hub;
  }

  /** The hub runs in its own folder, so relative class path entries are resolved here. */
  private static String absoluteClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Polls /health/ready: the hub announces readiness by no event the generator could wait on. */
  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("hub exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (get("/health/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the gateway is deployed last, so no answer yet just means still starting
      }
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    throw new IllegalStateException("hub not ready within " + timeout + "; see " + log);
  }

  int port() {
    return port;
  }

  String webSocketUrl() {
    return "ws://127.0.0.1:" + port + "/ws";
  }

  long pid() {
    return process.pid();
  }

  /** The hub's connection counts by role, as /health/ready reports them. */
  JsonObject connections() throws Exception {
    return new JsonObject(get("/health/ready").body()).getJsonObject("connections", new JsonObject());
  }

  /** Heap in use right after a full GC, in bytes. */
  long heapAfterGc() throws Exception {
    jcmd("GC.run");
    Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
    if (!used.find()) {
      throw new IllegalStateException("no heap figure in jcmd GC.heap_info");
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  long residentBytes() throws IOException {
    Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid()), "status")));
    if (!rss.find()) {
      throw new IllegalStateException("no VmRSS for " + pid());
    }
    return Long.parseLong(rss.group(1)) * 1024;
  }

  /** Vert.x's blocked-thread checker lines in the hub's log so far. */
  long blockedThreadWarnings() throws IOException {
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(line -> line.contains(BLOCKED_WARNING)).count();
    }
  }

  Path log() {
    return log;
  }

  private String jcmd(String what) throws Exception {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid()), what).redirectErrorStream(true).start();
    String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + what + " failed: " + output);
    }
    return output;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** SIGTERM, as in production: the hub closes every socket with 1001 and its AMQP connection cleanly. */
  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
