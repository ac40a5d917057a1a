package io.agenthub.gateway;

import io.agenthub.bus.StreamCancelNotice;
import io.agenthub.bus.StreamOpened;
import io.agenthub.protocol.ClientRole;
import io.agenthub.protocol.StreamFrames;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the streams verticle tells the gateway (protocol extension "streamed replies"): a stream opened somewhere in
 * the deployment, which the client whose message it answers receives here if it opted in (and which opted-in
 * monitoring frontends are told of, one frame per stream, when MONITOR_ALL_TRAFFIC is on); and a cancel for an agent
 * whose socket is here. Touched only on the gateway's context.
 */
final class StreamNotices {
  private final ClientRegistry clients;
  private final StreamViewers viewers;
  private final Supplier<GatewaySettings> settings;

  StreamNotices(ClientRegistry clients, StreamViewers viewers, Supplier<GatewaySettings> settings) {
    this.clients = clients;
    this.viewers = viewers;
    this.settings = settings;
  }

  /**
   * Also heard again when another instance takes a stream over (its agent reconnected there): a requester that
   * watches it already is not joined twice, and one that never heard of it (it opened on an instance that died
   * before telling anyone) is joined now.
   */
  void onOpened(StreamOpened opened) {
    String requesterId = opened.header().requesterId();
    ClientSession requester = clients.registeredClient(requesterId);
    if (requester != null && requester.client().options().streams()
        && !viewers.isViewing(requester, opened.header().streamId())) {
      viewers.join(requester, opened.header().streamId(), 0);
    }
    if (settings.get().monitorAllTraffic()) {
      String announcement = StreamFrames.start(opened.header()).encode();
      for (ClientSession session : clients.recipients(List.of(ClientRole.FRONTEND), requesterId)) {
        if (session.client().options().streams()) {
          session.sendEncoded(announcement);
        }
      }
    }
  }

  void onCancel(StreamCancelNotice notice) {
    ClientSession agent = clients.registeredClient(notice.agentId());
    if (agent != null) {
      agent.send(StreamFrames.cancel(notice.streamId(), notice.inReplyTo()));
    }
  }
}
