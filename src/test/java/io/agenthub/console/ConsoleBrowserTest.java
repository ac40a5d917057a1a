package io.agenthub.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthub.companion.BrokerCompanion;
import io.agenthub.companion.CompanionSettings;
import io.agenthub.companion.EchoAgentCompanion;
import io.agenthub.companion.EchoOptions;
import io.agenthub.support.BrowserTest;
import io.agenthub.support.ClusterNodes;
import io.agenthub.support.HubExtension;
import io.agenthub.support.RabbitVhost;
import io.agenthub.support.TestHub;
import io.agenthub.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console at {@code /console} in a real headless Chromium, against a real hub, RabbitMQ, reference broker and
 * echo agent. {@code -Dconsole.screenshot=docs/console.png} makes the chat test save the README's screenshot.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@BrowserTest
class ConsoleBrowserTest {
  @RegisterExtension
  static final HubExtension HUB = HubExtension.perClass("console", new JsonObject());
  @RegisterExtension
  static final Browser BROWSER = new Browser();
  private Vertx companions;
  private CompanionSettings settings;
  private BrokerCompanion broker;
  private EchoAgentCompanion echo;

  @BeforeAll
  void startBroker() throws Exception {
    companions = Vertx.vertx();
    settings = new CompanionSettings("ws://127.0.0.1:" + HUB.port() + "/ws", "127.0.0.1", 5672, "guest", "guest",
        HUB.rabbit().name());
    broker = TestHub.await(BrokerCompanion.start(companions, settings, true));
  }

  @AfterEach
  void stopAgent() throws Exception {
    if (echo != null) {
      TestHub.await(echo.stop());
      echo = null;
    }
  }

  @AfterAll
  void stopBroker() throws Exception {
    TestHub.await(broker.stop());
    TestHub.await(companions.close());
  }

  @Test
  void agentListFollowsAnAgentConnectingAndDisconnecting() throws Exception {
    BROWSER.openConsole(HUB.port());
    echo = TestHub.await(EchoAgentCompanion.start(companions, settings, "Listed"));
    String row = "tr[data-agent-id='" + echo.agentId() + "']";
    BROWSER.await("the agent listed online on its instance", d -> BROWSER.all(row + "[data-online='true']").stream()
        .anyMatch(tr -> tr.getText().contains("Listed") && tr.getText().contains("test-node")));

    TestHub.await(echo.stop());
    echo = null;
    BROWSER.await("the agent shown offline", d -> !BROWSER.all(row + "[data-online='false']").isEmpty());
  }

  @Test
  void aMessageTypedInTheChatBoxIsAnsweredByTheEchoAgentOnce() throws Exception {
    echo = TestHub.await(EchoAgentCompanion.start(companions, settings, "Echo"));
    BROWSER.openConsole(HUB.port());
    WebElement question = ask(echo.agentId(), "hello from the console");
    BROWSER.await("the echo agent's answer under the question", d -> answersTo(question).stream()
        .anyMatch(answer -> answer.getText().contains("Echo: hello from the console")));

    WebElement sentinel = ask("server", "and one for the broker to route");
    BROWSER.await("the answer to a message the broker routed", d -> answersTo(sentinel).stream()
        .anyMatch(answer -> answer.getText().contains("Echo: and one for the broker to route")));
    assertEquals(1, answersTo(question).size(), "the first answer is shown once");
    assertTrue(BROWSER.one("#traffic").getText().contains("hello from the console"), "the monitor shows the traffic");

    String screenshot = System.getProperty("console.screenshot");
    if (screenshot != null && !screenshot.isBlank()) {
      BROWSER.await("the instance table and a forwarding rate", d -> !BROWSER.all("#instances tr").isEmpty()
          && !"0.0".equals(BROWSER.one("#rate-forwarded").getText()));
      BROWSER.screenshot(Path.of(screenshot));
    }
  }

  @Test
  void theAgentsTableShowsSkillsGradeAndLoadLiveAndTheChatCanAskForASkill() throws Exception {
    echo = TestHub.await(EchoAgentCompanion.start(companions, settings, "Echo"));
    EchoAgentCompanion linguist = TestHub.await(EchoAgentCompanion.start(companions, settings,
        EchoOptions.named("Linguist").withSkills(List.of("translate")).withConcurrency(2)));
    try {
      BROWSER.openConsole(HUB.port());
      String row = "tr[data-agent-id='" + linguist.agentId() + "']";
      WebElement listed = BROWSER.await("the skilled agent listed with its skill, grade and load",
          d -> BROWSER.all(row + "[data-grade='available']").stream().filter(tr -> tr.getText().contains("translate")
              && tr.getText().contains("0 unanswered")).findFirst().orElse(null));
      assertTrue(listed.getText().contains("available"), listed.getText());
      assertTrue(BROWSER.one("tr[data-agent-id='" + echo.agentId() + "']").getText().contains("—"),
          "an agent without a card has no skills");

      BROWSER.await("the skill selectable", d -> BROWSER.all("#chat-skill option[value='translate']").size() == 1);
      new Select(BROWSER.one("#chat-skill")).selectByValue("translate");
      assertFalse(BROWSER.one("#chat-receiver").isEnabled(), "the broker chooses among the agents that have it");
      BROWSER.one("#chat-text").sendKeys("bonjour");
      BROWSER.one("#chat-send").click();
      WebElement question = BROWSER.await("the question asked of the skill", d -> BROWSER.all(
          "#conversation li.exchange").stream().filter(item -> item.getText().contains("an agent with skill translate"))
          .findFirst().orElse(null));
      BROWSER.await("the skilled agent's answer", d -> answersTo(question).stream()
          .anyMatch(answer -> answer.getText().contains("Echo: bonjour") && answer.getText().contains("Linguist")));
      BROWSER.await("its latency shown, live", d -> BROWSER.all(row).stream()
          .anyMatch(tr -> tr.getText().contains(" ms")));
    } finally {
      TestHub.await(linguist.stop());
    }
  }

  @Test
  void aReplyThatArrivesTwiceIsShownOnce() throws Exception {
    BROWSER.openConsole(HUB.port());
    try (WsClient agent = WsClient.register(HUB.port(), new JsonObject().put("message_type", "REGISTER_AGENT")
        .put("agent_name", "Stutter").put("delivery", "websocket"))) {
      BROWSER.await("the agent selectable", d -> BROWSER.all(
          "#chat-receiver option[value='" + agent.id() + "']:not([disabled])").size() == 1);
      WebElement question = ask(agent.id(), "say it twice");
      JsonObject received = agent.next(f -> "TEXT".equals(f.getString("message_type")), WsClient.TIMEOUT);
      JsonObject reply = replyTo(agent.id(), received, "said once");
      agent.send(reply);
      agent.send(reply.copy());
      agent.send(replyTo(agent.id(), received, "sentinel"));
      BROWSER.await("the sentinel answer", d -> answersTo(question).stream()
          .anyMatch(answer -> answer.getText().contains("sentinel")));
      List<String> answers = answersTo(question).stream().map(WebElement::getText).toList();
      assertEquals(2, answers.size(), "the repeated reply is shown once: " + answers);
    }
  }

  @Test
  void trafficCanBePausedAndFiltered() throws Exception {
    echo = TestHub.await(EchoAgentCompanion.start(companions, settings, "Echo"));
    BROWSER.openConsole(HUB.port());
    BROWSER.one("#traffic-pause").click();
    WebElement held = ask(echo.agentId(), "while the monitor is paused");
    BROWSER.await("the answer, while paused", d -> !answersTo(held).isEmpty());
    assertFalse(BROWSER.one("#traffic").getText().contains("while the monitor is paused"),
        "nothing shown while paused");
    assertTrue(BROWSER.one("#traffic-held").getText().endsWith("held"), BROWSER.one("#traffic-held").getText());

    BROWSER.one("#traffic-pause").click();
    BROWSER.await("the held traffic shown on resume", d -> BROWSER.all("#traffic li").stream()
        .anyMatch(row -> row.getText().contains("Echo: while the monitor is paused")));

    WebElement other = ask(echo.agentId(), "something else entirely");
    BROWSER.await("the second answer", d -> !answersTo(other).isEmpty());
    BROWSER.one("#traffic-filter").sendKeys("entirely");
    List<WebElement> shown = BROWSER.all("#traffic li").stream().filter(WebElement::isDisplayed).toList();
    assertFalse(shown.isEmpty(), "the matching rows stay");
    assertTrue(shown.stream().allMatch(row -> row.getText().contains("entirely")), "only matching rows are shown");
  }

  @Test
  void showsTheHubsDeadLetterCountAndARejectedConfigurationChange() throws Exception {
    BROWSER.openConsole(HUB.port());
    long before = Long.parseLong(BROWSER.await("the counters", d -> BROWSER.all("#instances tr").isEmpty()
        ? null : BROWSER.one("#count-dead-letters").getText()));
    HUB.rabbit().publish("broker_output_queue", new JsonObject().put("message_type", "TEXT")
        .put("message_id", UUID.randomUUID().toString()).put("sender_id", "agent_00000000")
        .put("receiver_id", "web_00000000").put("text_payload", "for nobody"));
    BROWSER.await("the dead letter counted",
        d -> Long.parseLong(BROWSER.one("#count-dead-letters").getText()) > before);

    Path bad = HUB.hub().confDir().resolve("zz-bad.json");
    try {
      Files.writeString(bad, "{\"AGENT_PING_INTERVAL\": \"soon\"}");
      BROWSER.await("the rejected change shown", d -> BROWSER.all("#instances .rejected").stream()
          .anyMatch(rejected -> rejected.getText().contains("AGENT_PING_INTERVAL")));
    } finally {
      Files.deleteIfExists(bad);
    }
    BROWSER.await("the rejection resolved", d -> BROWSER.all("#instances .rejected").isEmpty());
  }

  @Test
  void saysItIsDisconnectedWhileTheHubIsDownAndRecoversWhenItRestarts() throws Exception {
    int port = ClusterNodes.freePort();
    JsonObject fixedPort = new JsonObject().put("PORT", port);
    try (RabbitVhost rabbit = RabbitVhost.create("console-restart")) {
      TestHub first = TestHub.start(rabbit, fixedPort);
      BROWSER.openConsole(port);
      assertFalse(BROWSER.one("#banner").isDisplayed(), "no banner while connected");
      first.close();
      BROWSER.await("the disconnected banner", d -> BROWSER.one("#banner").isDisplayed()
          && BROWSER.one("#banner").getText().startsWith("Disconnected"));

      try (TestHub second = TestHub.start(rabbit, fixedPort);
          WsClient agent = WsClient.register(port, "agent", "AfterRestart")) {
        BROWSER.awaitConnection("connected");
        BROWSER.await("the banner gone", d -> !BROWSER.one("#banner").isDisplayed());
        BROWSER.await("agents of the restarted hub listed", d -> !BROWSER.all(
            "tr[data-agent-id='" + agent.id() + "'][data-online='true']").isEmpty());
      }
    }
  }

  @Test
  void asksForAFrontendTokenWhenTheHubRequiresOneAndNeverShowsIt() throws Exception {
    String token = "console-secret-" + UUID.randomUUID();
    try (RabbitVhost rabbit = RabbitVhost.create("console-tokens");
        TestHub hub = TestHub.start(rabbit, new JsonObject().put("FRONTEND_TOKENS", token))) {
      BROWSER.driver().get("http://127.0.0.1:" + hub.port() + "/console");
      BROWSER.await("the token form", d -> BROWSER.one("#token-form").isDisplayed());
      submitToken("not-the-token");
      BROWSER.await("the wrong token refused", d -> BROWSER.one("#token-form").isDisplayed()
          && BROWSER.one("#token-reason").getText().contains("refused"));

      submitToken(token);
      BROWSER.awaitConnection("connected");
      BROWSER.await("the status read with the token", d -> !BROWSER.all("#instances tr").isEmpty());
      assertFalse(BROWSER.driver().getPageSource().contains(token), "the token is not on the page");

      BROWSER.driver().navigate().refresh();
      BROWSER.awaitConnection("connected");
      assertFalse(BROWSER.one("#token-form").isDisplayed(), "the tab keeps its token across a reload");
    }
  }

  private void submitToken(String token) {
    WebElement input = BROWSER.one("#token-input");
    input.clear();
    input.sendKeys(token);
    BROWSER.one("#token-submit").click();
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

  private static List<WebElement> answersTo(WebElement question) {
    return question.findElements(org.openqa.selenium.By.cssSelector("li.answer"));
  }

  private static JsonObject replyTo(String agentId, JsonObject question, String text) {
    return new JsonObject().put("message_type", "REPLY").put("message_id", UUID.randomUUID().toString())
        .put("sender_id", agentId).put("receiver_id", question.getString("sender_id"))
        .put("text_payload", text).put("in_reply_to_message_id", question.getString("message_id"));
  }
}
