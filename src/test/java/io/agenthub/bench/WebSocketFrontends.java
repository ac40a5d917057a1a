package io.agenthub.bench;

import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.MessageType;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * F registered frontends in closed loop over WebSockets, each on a context of its own: what the legacy, round-trip and
 * fan-out-floor scenarios drive. Every frame a frontend receives in the window is counted; REPLY and ERROR frames go
 * to its loop, which picks out the one answering its outstanding message. The window is taken once every socket is
 * open, so a slow opening (a cold server on a busy machine) never eats into it.
 */
record WebSocketFrontends(List<ClosedLoopFrontend> loops, List<BenchClient> sockets, LongAdder delivered,
    RunWindow window) {

  static WebSocketFrontends open(Vertx vertx, WebSocketClient client, String url, int frontends, String namePrefix,
      Supplier<RunWindow> windowOnceOpen, long timeoutMs, String payload) throws Exception {
    List<ClosedLoopFrontend> loops = new ArrayList<>();
    List<BenchClient> sockets = new ArrayList<>();
    LongAdder delivered = new LongAdder();
    RunWindow[] window = new RunWindow[1];
    List<Context> contexts = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < frontends; i++) {
      Context context = vertx.getOrCreateContext();
      int index = i;
      BenchClient socket = new BenchClient(client, new WebSocketConnectOptions().setAbsoluteURI(url),
          ClientRole.FRONTEND, namePrefix + i, (type, text) -> {
            if (window[0] != null && window[0].measures(System.nanoTime())) {
              delivered.increment();
            }
            if (index < loops.size()
                && (MessageType.REPLY.name().equals(type) || MessageType.ERROR.name().equals(type))) {
              loops.get(index).onAnswerText(text);
            }
          });
      ids.add(Bench.await(Bench.onContext(context, () -> socket.connect(null))));
      contexts.add(context);
      sockets.add(socket);
    }
    window[0] = windowOnceOpen.get();
    for (int i = 0; i < frontends; i++) {
      loops.add(new ClosedLoopFrontend(contexts.get(i), ids.get(i), sockets.get(i)::send, window[0], timeoutMs,
          payload));
    }
    return new WebSocketFrontends(loops, sockets, delivered, window[0]);
  }

  Future<Void> close() {
    return Future.join(sockets.stream().map(BenchClient::close).toList()).mapEmpty();
  }
}
