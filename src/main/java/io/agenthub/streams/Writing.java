package io.agenthub.streams;

import java.time.Instant;

/**
 * An open stream this instance writes: its record as this instance knows it (the authority while it is the writer),
 * when its agent last wrote to it, and whether the agent's socket is still here.
 */
record Writing(StreamRecord record, Instant lastActivity, boolean agentAttached) {

  String agentId() {
    return record.header().agentId();
  }

  Writing with(StreamRecord next, Instant activity) {
    return new Writing(next, activity, agentAttached);
  }

  Writing detached() {
    return new Writing(record, lastActivity, false);
  }
}
