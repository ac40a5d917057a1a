package io.agenthub.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ClientNamesTest {
  private static final int MAX = 128;

  private static ClientNames.Checked agent(Object name) {
    return ClientNames.check(ClientRole.AGENT, name, MAX);
  }

  @Test
  void anOrdinaryNameIsAcceptedAsItIs() {
    ClientNames.Checked checked = agent("Echo agent 🤖 — Zürich");
    assertTrue(checked.accepted());
    assertEquals("Echo agent 🤖 — Zürich", checked.name());
    assertNull(checked.error());
  }

  @Test
  void aMissingOrBlankNameGetsTheContractsTextForEachRole() {
    ProtocolError required = new ProtocolError(ErrorCode.NAME_REQUIRED, "Agent name is required for registration");
    assertEquals(required, agent(null).error());
    assertEquals(required, agent(" \t").error());
    assertEquals(required, agent(42).error());
    assertEquals("Frontend name is required for registration",
        ClientNames.check(ClientRole.FRONTEND, "", MAX).error().text());
    assertEquals("Broker name is required for registration",
        ClientNames.check(ClientRole.BROKER, null, MAX).error().text());
  }

  @Test
  void surroundingBlanksAreTrimmedAndTheNameIsNfcNormalised() {
    String decomposed = "Zu\u0308rich";
    ClientNames.Checked checked = agent("  \u00A0" + decomposed + "\u200B\n");
    assertTrue(checked.accepted());
    assertEquals("Z\u00FCrich", checked.name());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u200B", "\u200B\u200C\u200D", "\u2060", "\uFEFF", "\u00A0", "\u00A0\u3164\u2800", "\u115F"})
  void aNameOfOnlyInvisibleCharactersIsRefused(String name) {
    ProtocolError error = agent(name).error();
    assertEquals(ErrorCode.INVALID_NAME, error.code());
    assertEquals("Agent name must contain a visible character", error.text());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "Ec\u0000ho", "Ec\u0007ho", "Ec\u001Bho", "Ec\u007Fho", "Ec\u0085ho", "Ec\u009Bho",
      "line\nbreak", "tab\tinside"})
  void controlCharactersAreRefused(String name) {
    ProtocolError error = agent(name).error();
    assertEquals(ErrorCode.INVALID_NAME, error.code());
    assertEquals("Agent name must not contain control characters", error.text());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u202Eexe.gnp", "abc\u202A", "abc\u202B", "abc\u202C", "abc\u202D", "a\u2066b", "a\u2067b",
      "a\u2068b", "a\u2069b"})
  void bidirectionalOverridesAndIsolatesAreRefusedAnywhere(String name) {
    ProtocolError error = agent(name).error();
    assertEquals(ErrorCode.INVALID_NAME, error.code());
    assertTrue(error.text().contains("bidirectional"), error.text());
  }

  @Test
  void theLengthLimitCountsCodePointsAfterTrimming() {
    assertTrue(agent("x".repeat(MAX)).accepted());
    assertTrue(agent("😀".repeat(MAX)).accepted(), "128 emoji are 256 UTF-16 chars but 128 characters");
    assertTrue(agent("  " + "x".repeat(MAX) + "  ").accepted());
    ProtocolError error = agent("x".repeat(MAX + 1)).error();
    assertEquals(
        new ProtocolError(ErrorCode.INVALID_NAME, "Agent name must be at most 128 characters long (it has 129)"),
        error);
    assertFalse(agent("x".repeat(59_000)).accepted());
  }

  @ParameterizedTest
  @ValueSource(strings = {"server", "SERVER", " Server ", "ｓｅｒｖｅｒ"})
  void theHubsOwnNameIsReserved(String name) {
    ProtocolError error = agent(name).error();
    assertEquals(ErrorCode.INVALID_NAME, error.code());
    assertEquals("Agent name \"server\" is reserved for the hub", error.text());
  }

  @ParameterizedTest
  @ValueSource(strings = {"web_1a2b3c4d", "agent_deadbeef", "broker_00000000", "AGENT_DEADBEEF", "agent_ＤＥＡＤＢＥＥＦ"})
  void aNameShapedLikeAClientIdIsRefused(String name) {
    ProtocolError error = ClientNames.check(ClientRole.FRONTEND, name, MAX).error();
    assertEquals(ErrorCode.INVALID_NAME, error.code());
    assertTrue(error.text().startsWith("Frontend name must not look like a client id"), error.text());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "server room", "my server", "agent_1a2b3c4", "agent_1a2b3c4d5", "agent 1a2b3c4d", "web_xyzxyzxy"})
  void namesThatMerelyResembleReservedOnesAreAccepted(String name) {
    assertTrue(agent(name).accepted(), name);
  }

  @Test
  void emojiSequencesWithJoinersAndVariationSelectorsAreKept() {
    String family = "Team 👨\u200D👩\u200D👧 ❤\uFE0F";
    assertEquals(family, agent(family).name());
  }

  @Test
  void anUnpairedSurrogateIsRefused() {
    ProtocolError error = agent("Echo\uD800").error();
    assertEquals(ErrorCode.INVALID_NAME, error.code());
    assertTrue(error.text().contains("unpaired surrogate"), error.text());
  }
}
