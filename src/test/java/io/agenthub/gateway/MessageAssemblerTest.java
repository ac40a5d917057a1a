package io.agenthub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {
  private final List<String> events = new ArrayList<>();
  private final MessageAssembler assembler = new MessageAssembler(10, text -> events.add("text " + text),
      () -> events.add("binary"), (status, reason) -> events.add("close " + status));

  @Test
  void fragmentsMakeOneMessageAndControlFramesBetweenThemAreIgnored() {
    assembler.accept(WebSocketFrame.textFrame("ab", false));
    assembler.accept(WebSocketFrame.pingFrame(Buffer.buffer("p")));
    assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer(), false));
    assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer("cd"), true));
    assembler.accept(WebSocketFrame.binaryFrame(Buffer.buffer("x"), false));
    assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer("y"), true));
    assembler.accept(WebSocketFrame.textFrame("", true));
    assertEquals(List.of("text abcd", "binary", "text "), events);
  }

  @Test
  void aFragmentedMessageOverTheLimitIsRefusedOnceWith1009() {
    assembler.accept(WebSocketFrame.textFrame("123456", false));
    assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer("78901"), false));
    assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer("2"), true));
    assembler.accept(WebSocketFrame.textFrame("after", true));
    assertEquals(List.of("close 1009"), events);
  }

  @Test
  void malformedUtf8IsRefusedAtTheFragmentThatBreaksIt() {
    assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer("stray"), true));
    assembler.accept(WebSocketFrame.textFrame("a", false));
    assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer(HexFormat.of().parseHex("e2")), false));
    assertEquals(List.of(), events, "an open sequence may still complete");
    assembler.accept(WebSocketFrame.continuationFrame(Buffer.buffer(HexFormat.of().parseHex("28")), false));
    assertEquals(List.of("close 1007"), events);
  }

  @Test
  void binaryMessagesAreNotCheckedAsText() {
    assembler.accept(WebSocketFrame.binaryFrame(Buffer.buffer(HexFormat.of().parseHex("fffe")), true));
    assertEquals(List.of("binary"), events);
  }
}
