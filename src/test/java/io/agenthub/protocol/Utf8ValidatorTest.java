package io.agenthub.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8ValidatorTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "41", "c2a9", "e282ac", "ed9fbf", "ee8080", "efbfbf", "f0908080", "f48fbfbf"})
  void wellFormedSequencesPass(String hex) {
    assertTrue(Utf8Validator.isValid(HexFormat.of().parseHex(hex)), hex);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "fffefd", "c0af", "c1bf", "e080af", "f08080af", "eda080", "edbfbf", "f4908080", "f5808080", "80", "bf",
      "c2", "e282", "f09080", "c241", "e28241"})
  void malformedSequencesFail(String hex) {
    assertFalse(Utf8Validator.isValid(HexFormat.of().parseHex(hex)), hex);
  }

  @Test
  void aSequenceSplitAcrossFeedsIsCheckedAsAWhole() {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    Utf8Validator split = new Utf8Validator();
    assertTrue(split.accept(euro, 0, 1));
    assertFalse(split.isComplete(), "an open sequence is not complete");
    assertTrue(split.accept(euro, 1, 3));
    assertTrue(split.isComplete());

    byte[] surrogate = HexFormat.of().parseHex("eda080");
    Utf8Validator broken = new Utf8Validator();
    assertTrue(broken.accept(surrogate, 0, 1), "ED alone may start a valid sequence");
    assertFalse(broken.accept(surrogate, 1, 3), "but ED A0 is an encoded surrogate");
    assertFalse(broken.accept(new byte[] {'a'}, 0, 1), "a failure is final");
  }

  @Test
  void agreesWithTheJdkOnEveryCodePoint() {
    for (int cp = 0; cp <= 0x10FFFF; cp += (cp < 0x1000 ? 1 : 97)) {
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        continue;
      }
      assertTrue(Utf8Validator.isValid(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)),
          Integer.toHexString(cp));
    }
  }
}
