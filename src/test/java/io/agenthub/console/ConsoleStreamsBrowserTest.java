package io.agenthub.console;

import static io.agenthub.support.Messages.statusShows;
import static io.agenthub.support.Messages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.companion.EchoAgentCompanion;
import io.agenthub.support.BrowserTest;
import io.agenthub.support.Companions;
import io.agenthub.support.HubExtension;
import io.agenthub.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Streamed replies in the console, in a real headless Chromium against a real hub, RabbitMQ, reference broker and
 * streaming echo agent: an answer appears word by word under its question with its time to first token, the Cancel
 * button stops it, a reload in the middle picks the stream up again, and another client's stream is shown live and
 * can be cancelled by the operator.
 */
@BrowserTest
class ConsoleStreamsBrowserTest {
  @RegisterExtension
  @Order(1)
  static final HubExtension HUB = HubExtension.perClass("console-streams", new JsonObject());
  @RegisterExtension
  @Order(2)
  static final Companions COMPANIONS = Companions.on(HUB);
  @RegisterExtension
  static final Browser BROWSER = new Browser();


  @Test
  void anAnswerAppearsWordByWordUnderItsQuestionWithItsTimeToFirstTokenAndOnce() throws Exception {
    EchoAgentCompanion agent = COMPANIONS.agent("Streamer", 10);
    BROWSER.openConsole(HUB.port());
    WebElement question = ask(agent.agentId(), words(15));
    WebElement answer = streamUnder(question);
    String partial = BROWSER.await("a part of the answer before its end", d -> {
      String text = payload(answer);
      return "streaming".equals(answer.getDomAttribute("data-state")) && text.length() > 6 ? text : null;
    });
    assertTrue(("Echo: " + words(15)).startsWith(partial), partial);
    BROWSER.await("the answer complete", d -> "complete".equals(answer.getDomAttribute("data-state")));
    assertEquals("Echo: " + words(15), payload(answer));
    assertTrue(answer.getText().matches("(?s).*first token after \\d+ ms.*"), answer.getText());
    assertEquals(1, question.findElements(By.cssSelector("li.answer")).size(),
        "the REPLY the stream ends with is not shown a second time");
  }

  @Test
  void theCancelButtonStopsTheAgentAndTheAnswerEndsAsCancelled() throws Exception {
    EchoAgentCompanion agent = COMPANIONS.agent("Slow", 5);
    BROWSER.openConsole(HUB.port());
    WebElement question = ask(agent.agentId(), words(60));
    WebElement answer = streamUnder(question);
    BROWSER.await("the first words", d -> payload(answer).length() > 8);
    answer.findElement(By.cssSelector(".stream-cancel")).click();
    BROWSER.await("the answer cancelled", d -> "cancelled".equals(answer.getDomAttribute("data-state")));
    assertTrue(payload(answer).length() < ("Echo: " + words(60)).length(), "the agent stopped");
  }

  @Test
  void aReloadInTheMiddleOfAStreamPicksItUpAgain() throws Exception {
    EchoAgentCompanion agent = COMPANIONS.agent("Steady", 8);
    BROWSER.openConsole(HUB.port());
    WebElement question = ask(agent.agentId(), words(30));
    WebElement answer = streamUnder(question);
    BROWSER.await("some words before the reload", d -> payload(answer).length() > 10);

    BROWSER.driver().navigate().refresh();
    BROWSER.awaitConnection("connected");
    WebElement again = BROWSER.await("the answer after the reload", d -> BROWSER.all("#conversation li.answer.stream")
        .stream().findFirst().orElse(null));
    BROWSER.await("the answer complete after the reload", d -> "complete".equals(again.getDomAttribute("data-state")));
    assertEquals("Echo: " + words(30), payload(again), "the whole answer, nothing twice");
  }

  @Test
  void anotherClientsStreamIsShownLiveAndTheOperatorCanCancelIt() throws Exception {
    EchoAgentCompanion agent = COMPANIONS.agent("Busy", 5);
    BROWSER.openConsole(HUB.port());
    try (WsClient asker = WsClient.register(HUB.port(), new JsonObject().put("message_type", "REGISTER_FRONTEND")
        .put("frontend_name", "Asker").put("streams", true))) {
      asker.next(update -> statusShows(update, agent.agentId(), true), WsClient.TIMEOUT);
      asker.send(text(words(50)).put("sender_id", asker.id()));
      WebElement shown = BROWSER.await("the stream in the Streams card", d -> BROWSER.all("#streams li.answer.stream")
          .stream().filter(item -> payload(item).length() > 8).findFirst().orElse(null));
      shown.findElement(By.cssSelector(".stream-cancel")).click();
      BROWSER.await("the stream cancelled", d -> "cancelled".equals(shown.getDomAttribute("data-state")));
      JsonObject end = asker.next("STREAM_END");
      assertEquals("cancelled", end.getString("reason"), "the asker sees it cancelled too");
    }
  }

  private WebElement ask(String receiver, String text) {
    BROWSER.await("receiver " + receiver + " selectable", d -> BROWSER.all(
        "#chat-receiver option[value='" + receiver + "']:not([disabled])").size() == 1);
    new Select(BROWSER.one("#chat-receiver")).selectByValue(receiver);
    BROWSER.one("#chat-text").sendKeys(text);
    BROWSER.one("#chat-send").click();
    return BROWSER.await("the question in the conversation", d -> BROWSER.all("#conversation li.exchange").stream()
        .filter(item -> item.getText().contains(text)).findFirst().orElse(null));
  }

  private static WebElement streamUnder(WebElement question) {
    return BROWSER.await("a streamed answer under the question", d -> {
      List<WebElement> streams = question.findElements(By.cssSelector("li.answer.stream"));
      return streams.isEmpty() ? null : streams.get(0);
    });
  }

  private static String payload(WebElement answer) {
    return answer.findElement(By.cssSelector(".payload")).getText();
  }

  private static String words(int count) {
    return IntStream.range(0, count).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
  }
}
