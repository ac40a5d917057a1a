package io.agenthub.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class SafeMessageConverterTest {

  @Test
  void lineBreaksAndTabsAreEscapedByName() {
    assertEquals("a\\nb\\rc\\td", SafeMessageConverter.escape("a\nb\rc\td"));
  }

  @Test
  void noControlCharacterOrLineSeparatorSurvives() {
    StringBuilder hostile = new StringBuilder();
    for (char c = 0; c < 0xa0; c++) {
      hostile.append(c);
    }
    hostile.append('\u2028').append('\u2029').append('\u0085');
    String escaped = SafeMessageConverter.escape(hostile.toString());
    escaped.chars().forEach(c -> assertFalse(c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029,
        "character " + Integer.toHexString(c) + " left in " + escaped));
    assertEquals("\\u0000\\u0001", SafeMessageConverter.escape("\u0000\u0001"));
    assertEquals("\\u2028\\u0085\\u007f", SafeMessageConverter.escape("\u2028\u0085\u007f"));
  }

  @Test
  void ordinaryTextIsUnchanged() {
    String text = "Registered frontend web_1a2b3c4d \"Zoë 😀 \\\\ ok\" on conn-1";
    assertEquals(text, SafeMessageConverter.escape(text));
  }
}
