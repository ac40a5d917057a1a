package io.agenthub.bench;

import io.agenthub.support.CommandOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * handshake-floor: the connections scenario's opening phase against {@link PlainVertxServer} instead of the hub,
 * with the same clients (offering deflate, as browsers do), counts and launcher JVM options: the server's CPU per
 * connect+registration and RSS per held socket are what Vert.x itself costs, the floor under the hub's figures.
 */
final class HandshakeFloorScenario {
  private final Vertx vertx;
  private final int connections;
  private final int warmupConnections;
  private final int inFlight;
  private final int sourceAddresses;
  private final boolean offerDeflate;
  private final boolean launcherJvm;

  HandshakeFloorScenario(Vertx vertx, CommandOptions options) {
    this.vertx = vertx;
    this.connections = options.integer("connections", 19_500);
    this.warmupConnections = options.integer("warmup-connections", 10_000);
    this.inFlight = options.integer("in-flight", 256);
    this.sourceAddresses = options.integer("source-addresses", 4);
    this.offerDeflate = options.flag("offer-deflate", true);
    this.launcherJvm = options.flag("launcher-jvm", true);
  }

  JsonObject run(Path runDir) throws Exception {
    try (PlainVertxServer.Running server = PlainVertxServer.start(runDir, launcherJvm)) {
      return measure(server.pid(), server.webSocketUrl());
    }
  }

  private JsonObject measure(long pid, String url) throws Exception {
    List<WebSocketClient> webSocketClients = ConnectionsScenario.webSocketClients(vertx, sourceAddresses,
        connections + warmupConnections, offerDeflate, false);
    WebSocketConnectOptions target = new WebSocketConnectOptions().setAbsoluteURI(url);
    AtomicLong warmupFailures = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    ConnectionsScenario.warmUp(vertx, inFlight,
        ConnectionsScenario.frontends(webSocketClients, target, warmupConnections, "Warmup-"), warmupFailures,
        ConnectionsScenario.warmupHoldSeconds(new JsonObject()));
    long rssBefore = Bench.residentBytes(pid);
    List<BenchClient> clients = ConnectionsScenario.frontends(webSocketClients, target, connections, "Frontend-");
    CpuMeter cpu = new CpuMeter(pid).start();
    ThreadCpu threads = ThreadCpu.start(pid);
    long start = System.nanoTime();
    Bench.await(ConnectionsScenario.openAll(vertx, inFlight, clients, failures));
    double openSeconds = (System.nanoTime() - start) / 1e9;
    JsonObject openCpu = cpu.coresUsed();
    JsonObject openCpuByThread = threads.millisPer(connections);
    long rssHeld = Bench.residentBytes(pid);
    Bench.await(Future.join(clients.stream().map(BenchClient::close).toList()));
    webSocketClients.forEach(WebSocketClient::close);
    return new JsonObject().put("connections", connections).put("offer_deflate", offerDeflate)
        .put("registered", connections - failures.get())
        .put("connects_registrations_per_s", Math.round(connections / openSeconds))
        .put("cpu_cores_used_while_opening", openCpu)
        .put("server_cpu_ms_per_registration",
            Math.round(openCpu.getDouble("hub", 0.0) * openSeconds / connections * 1e6) / 1000.0)
        .put("server_cpu_ms_per_registration_by_thread", openCpuByThread)
        .put("rss_per_connection_bytes", (rssHeld - rssBefore) / connections)
        .put("errors", warmupFailures.get() + failures.get());
  }
}
