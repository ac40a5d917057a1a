package io.agenthub.companion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The echo agent never answers one delivery key twice, and never drops a repeat whose answer may not have reached
 * RabbitMQ: it waits for an answer in progress, is acknowledged after one published over the channel it arrives on,
 * and gets the same reply published again after the channel broke or the publish failed.
 */
class RecentAnswersTest {
  private static final String CHANNEL = "amq.ctag-1";
  private static final String NEW_CHANNEL = "amq.ctag-2";
  private static final Buffer REPLY = Buffer.buffer("{\"message_type\":\"REPLY\"}");

  private final RecentAnswers answers = new RecentAnswers();

  @Test
  void aRepeatOfAnAnswerPublishedOverItsChannelIsAcknowledgedAndDropped() {
    RecentAnswers.Decision first = answers.received("k-1", receipt(1, CHANNEL));
    assertEquals(RecentAnswers.Kind.ANSWER, first.kind());
    answers.replying(first.answerId(), REPLY);
    assertEquals(List.of(receipt(1, CHANNEL)), answers.published(first.answerId(), CHANNEL, CHANNEL).acks());

    assertEquals(RecentAnswers.Kind.ACK, answers.received("k-1", receipt(2, CHANNEL)).kind());
    assertEquals(1, answers.repeats());
  }

  @Test
  void aRepeatWhileTheFirstIsBeingAnsweredWaitsAndIsSettledWithIt() {
    RecentAnswers.Decision first = answers.received("k-1", receipt(1, CHANNEL));
    assertEquals(RecentAnswers.Kind.WAIT, answers.received("k-1", receipt(2, CHANNEL)).kind());
    assertEquals(List.of(receipt(1, CHANNEL), receipt(2, CHANNEL)), answers.sent(first.answerId()),
        "a streamed answer that ended settles both deliveries");
    assertEquals(RecentAnswers.Kind.ACK, answers.received("k-1", receipt(3, NEW_CHANNEL)).kind(),
        "a streamed answer went over the WebSocket: no channel of RabbitMQ's can have lost it");
  }

  @Test
  void aRepeatOnAnotherChannelGetsTheSameReplyPublishedAgain() {
    RecentAnswers.Decision first = answers.received("k-1", receipt(1, CHANNEL));
    answers.replying(first.answerId(), REPLY);
    answers.published(first.answerId(), CHANNEL, CHANNEL);

    RecentAnswers.Decision again = answers.received("k-1", receipt(1, NEW_CHANNEL));
    assertEquals(RecentAnswers.Kind.RESEND, again.kind());
    assertEquals(REPLY, again.reply(), "the very same bytes, so the hub writes the frame once");
    assertEquals(RecentAnswers.Kind.WAIT, answers.received("k-1", receipt(2, NEW_CHANNEL)).kind());
    assertEquals(List.of(receipt(1, NEW_CHANNEL), receipt(2, NEW_CHANNEL)),
        answers.published(again.answerId(), NEW_CHANNEL, NEW_CHANNEL).acks());
    assertEquals(RecentAnswers.Kind.ACK, answers.received("k-1", receipt(3, NEW_CHANNEL)).kind());
  }

  @Test
  void aRepeatWaitingOnANewChannelGetsTheReplyPublishedAgainWhenTheFirstWentOutOnTheOldOne() {
    RecentAnswers.Decision first = answers.received("k-1", receipt(1, CHANNEL));
    answers.replying(first.answerId(), REPLY);
    assertEquals(RecentAnswers.Kind.WAIT, answers.received("k-1", receipt(1, NEW_CHANNEL)).kind());

    RecentAnswers.Settled settled = answers.published(first.answerId(), CHANNEL, NEW_CHANNEL);
    assertEquals(List.of(receipt(1, CHANNEL)), settled.acks(), "the repeat is not acknowledged yet");
    assertEquals(REPLY, settled.publishAgain(), "RabbitMQ may have lost the reply with the old channel");

    RecentAnswers.Settled again = answers.published(first.answerId(), NEW_CHANNEL, NEW_CHANNEL);
    assertEquals(List.of(receipt(1, NEW_CHANNEL)), again.acks());
    assertNull(again.publishAgain());
    assertEquals(RecentAnswers.Kind.ACK, answers.received("k-1", receipt(2, NEW_CHANNEL)).kind());
  }

  @Test
  void aFailedPublishPutsTheDeliveriesBackAndTheirReturnPublishesTheSameReply() {
    RecentAnswers.Decision first = answers.received("k-1", receipt(1, CHANNEL));
    answers.replying(first.answerId(), REPLY);
    assertEquals(List.of(receipt(1, CHANNEL)), answers.failed(first.answerId()));

    RecentAnswers.Decision back = answers.received("k-1", receipt(4, CHANNEL));
    assertEquals(RecentAnswers.Kind.RESEND, back.kind());
    assertEquals(REPLY, back.reply());
  }

  @Test
  void messagesWithoutAKeyAreAnsweredEachTime() {
    RecentAnswers.Decision first = answers.received(null, receipt(1, CHANNEL));
    RecentAnswers.Decision second = answers.received(null, receipt(2, CHANNEL));
    assertEquals(RecentAnswers.Kind.ANSWER, first.kind());
    assertEquals(RecentAnswers.Kind.ANSWER, second.kind());
    assertNull(second.reply());
    assertEquals(0, answers.repeats());
  }

  @Test
  void theOldestAnswersAreForgottenBeyondTheCapacity() {
    for (int i = 0; i <= RecentAnswers.CAPACITY; i++) {
      answers.sent(answers.received("k-" + i, receipt(i, CHANNEL)).answerId());
    }
    assertEquals(RecentAnswers.Kind.ACK, answers.received("k-1", receipt(2, CHANNEL)).kind());
    assertEquals(RecentAnswers.Kind.ANSWER, answers.received("k-0", receipt(1, CHANNEL)).kind());
  }

  private static CompanionAmqp.Receipt receipt(long tag, String consumerTag) {
    return new CompanionAmqp.Receipt(tag, consumerTag);
  }
}
