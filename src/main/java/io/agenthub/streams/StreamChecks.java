package io.agenthub.streams;

import io.agenthub.protocol.ErrorCode;

/** The checks shared by every request about an existing stream. */
final class StreamChecks {

  private StreamChecks() {
  }

  /** Why {@code agentId} may not write to the stream as stored (null: not kept), or null when it may. */
  static Refused whyNotWritable(StreamStore.Stored stored, String streamId, String agentId) {
    if (stored == null) {
      return new Refused(ErrorCode.STREAM_UNKNOWN, "Stream " + streamId + " is not known (never opened, or ended "
          + "longer ago than STREAM_RETENTION)");
    }
    if (!stored.record().header().agentId().equals(agentId)) {
      return new Refused(ErrorCode.STREAM_FORBIDDEN, "Stream " + streamId + " was opened by another agent");
    }
    if (!stored.record().isOpen()) {
      return new Refused(ErrorCode.STREAM_ENDED, "Stream " + streamId + " has ended ("
          + stored.record().ending().reason().wireName() + ")");
    }
    return null;
  }
}
