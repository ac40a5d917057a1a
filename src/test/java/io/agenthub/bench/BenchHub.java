package io.agenthub.bench;

import io.agenthub.support.ClusterNodes;
import io.agenthub.support.HubProcess;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub under test as a child JVM ({@link HubProcess}), so its heap and RSS are its own, with what the scenarios
 * measure on it. It reads the project's conf/hub.json plus the bench's overrides from a conf folder under
 * {@code target/bench/}, logs with the production logback.xml to {@code hub.log} next to it, and is stopped with
 * SIGTERM like in production.
 */
final class BenchHub implements AutoCloseable {
  /** G1's "garbage-first heap total ..K, used ..K", Serial's and Parallel's one line per generation. */
  private static final Pattern HEAP_USED =
      Pattern.compile("(?m)^ ?\\S.*(heap|generation|gen)\\s+total \\d+K, used (\\d+)K");
  private static final String BLOCKED_WARNING = "has been blocked for";

  private final HubProcess process;
  private final HttpClient http = HttpClient.newHttpClient();

  private BenchHub(HubProcess process) {
    this.process = process;
  }

  static BenchHub start(Path runDir, String vhost, JsonObject overrides, List<String> jvmArgs) throws Exception {
    int port = ClusterNodes.freePort();
    JsonObject settings = new JsonObject().put("HOST", "127.0.0.1").put("PORT", port)
        .put("WEBSOCKET_HOST", "127.0.0.1").put("WEBSOCKET_PORT", port)
        .put("RABBITMQ_HOST", "127.0.0.1").put("RABBITMQ_VHOST", vhost)
        .mergeIn(overrides);
    List<String> jvm = new ArrayList<>(jvmArgs);
    jvm.add("-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath());
    return new BenchHub(HubProcess.start("bench hub", runDir, settings, jvm));
  }

  String webSocketUrl() {
    return process.webSocketUrl();
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
    String info = jcmd("GC.heap_info");
    Matcher used = HEAP_USED.matcher(info);
    long kib = -1;
    while (used.find()) {
      kib = Math.max(kib, 0) + Long.parseLong(used.group(2));
    }
    if (kib < 0) {
      throw new IllegalStateException("no heap figure in jcmd GC.heap_info: " + info);
    }
    return kib * 1024;
  }

  long residentBytes() throws IOException {
    return Bench.residentBytes(pid());
  }

  /**
   * Runs a diagnostic jcmd (e.g. {@code VM.native_memory summary.diff}, {@code GC.class_histogram}) and keeps its
   * output next to hub.log as {@code <file>}; returns the file.
   */
  Path keepJcmd(String file, String... command) throws Exception {
    Path kept = process.logFile().resolveSibling(file);
    Files.writeString(kept, jcmd(command), StandardCharsets.UTF_8);
    return kept;
  }

  /** Vert.x's blocked-thread checker lines in the hub's log so far. */
  long blockedThreadWarnings() throws IOException {
    try (var lines = Files.lines(process.logFile(), StandardCharsets.UTF_8)) {
      return lines.filter(line -> line.contains(BLOCKED_WARNING)).count();
    }
  }

  Path log() {
    return process.logFile();
  }

  private String jcmd(String... what) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid())));
    command.addAll(List.of(what));
    Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + String.join(" ", what) + " failed: " + output);
    }
    return output;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.port() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** SIGTERM, as in production: the hub closes every socket with 1001 and its AMQP connection cleanly. */
  @Override
  public void close() throws Exception {
    process.close();
  }
}
