package io.agenthub.protocol;

/**
 * What every viewer of a stream is told when it starts receiving it: the stream, the agent that writes it, the client
 * whose message it answers ({@code requesterId}) and when it started (the old hub's ISO format).
 */
public record StreamHeader(String streamId, String agentId, String agentName, String requesterId, String inReplyTo,
    String startedAt) {
}
