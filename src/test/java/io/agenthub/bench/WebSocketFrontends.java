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

/**
 * F registered frontends in closed loop over WebSockets, each on a context of its own: what the legacy, round-trip and
 * fan-out-floor scenarios drive. Every frame a frontend receives in the window is counted; REPLY and ERROR frames go
 * to its loop, which picks out the one answering its outstanding message.
 */
record WebSocketFrontends(List<ClosedLoopFrontend> loops, List<BenchClient> sockets, LongAdder delivered) {

  static WebSocketFrontends open(Vertx vertx, WebSocketClient client, String url, int frontends, String namePrefix,
      RunWindow window, long timeoutMs, String payload) throws Exception {
    WebSocketFrontends opened = new WebSocketFrontends(new ArrayList<>(), new ArrayList<>(), new LongAdder());
    for (int i = 0; i < frontends; i++) {
      Context context = vertx.getOrCreateContext();
      ClosedLoopFrontend[] loop = new ClosedLoopFrontend[1];
      BenchClient socket = new BenchClient(client, new WebSocketConnectOptions().setAbsoluteURI(url),
          ClientRole.FRONTEND, namePrefix + i, (type, text) -> {
            if (window.measures(System.nanoTime())) {
              opened.delivered.increment();
            }
            if (MessageType.REPLY.name().equals(type) || MessageType.ERROR.name().equals(type)) {
              loop[0].onAnswerText(text);
            }
          });
      String id = Bench.await(Bench.onContext(context, () -> socket.connect(null)));
      loop[0] = new ClosedLoopFrontend(context, id, socket::send, window, timeoutMs, payload);
      opened.loops.add(loop[0]);
      opened.sockets.add(socket);
    }
    return opened;
  }

  Future<Void> close() {
    return Future.join(sockets.stream().map(BenchClient::close).toList()).mapEmpty();
  }
}
