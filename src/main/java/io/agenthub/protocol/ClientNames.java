package io.agenthub.protocol;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name policy for every role ({@code frontend_name}, {@code agent_name}, {@code broker_name}). A name is shown to
 * every frontend and broker and written to the logs, so it must be short, visible and unable to pass for the hub or
 * another client: a name nobody can see, one that reorders the text around it, or one that reads {@code server} or
 * {@code agent_1a2b3c4d} is refused. Accepted names are NFC-normalised and trimmed of surrounding blanks, so two
 * spellings of one name are one name. Pure logic.
 */
public final class ClientNames {
  /** Case-insensitive: compared on the NFKC, lower-cased form, so full-width or styled letters do not slip through. */
  private static final Pattern ID_SHAPED = Pattern.compile("(web|agent|broker)_[0-9a-f]{8}");
  private static final String RESERVED = "server";

  private ClientNames() {
  }

  /** The outcome of {@link #check}: the normalised name to register under, or the error to refuse it with. */
  public record Checked(String name, ProtocolError error) {
    public boolean accepted() {
      return error == null;
    }
  }

  /**
   * The outcome of {@link #checkText}: the normalised text, or why it breaks the policy, as the end of a sentence
   * whose subject the caller names ("must not contain control characters").
   */
  public record Text(String text, String problem) {
    public boolean accepted() {
      return problem == null;
    }
  }

  /**
   * Checks the value of a registration's name field. A missing, non-string or blank one gets the contract's
   * "… name is required for registration" ({@link ErrorCode#NAME_REQUIRED}); any other refusal is
   * {@link ErrorCode#INVALID_NAME} with a text saying why.
   */
  public static Checked check(ClientRole role, Object raw, int maxCodePoints) {
    if (!(raw instanceof String text) || text.isBlank()) {
      return refused(ErrorCode.NAME_REQUIRED, Frames.nameRequiredText(role));
    }
    String prefix = role.displayName() + " name ";
    Text checked = checkText(text, maxCodePoints);
    if (!checked.accepted()) {
      return invalid(prefix + checked.problem());
    }
    String name = checked.text();
    String folded = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    if (folded.equals(RESERVED)) {
      return invalid(prefix + "\"" + RESERVED + "\" is reserved for the hub");
    }
    if (ID_SHAPED.matcher(folded).matches()) {
      return invalid(prefix + "must not look like a client id (web_, agent_ or broker_ and 8 hex digits)");
    }
    return new Checked(name, null);
  }

  /**
   * The policy's checks of any text the hub shows to others (a name, or a string of an agent card): valid Unicode,
   * no bidirectional controls or control characters, something visible, at most {@code maxCodePoints} once
   * NFC-normalised and trimmed of invisible characters. Only a client's own name is also checked against the hub's
   * id and client ids ({@link #check}), since only a name identifies someone.
   */
  public static Text checkText(String text, int maxCodePoints) {
    if (hasLoneSurrogate(text)) {
      return new Text(null, "is not valid Unicode text (unpaired surrogate)");
    }
    if (text.codePoints().anyMatch(ClientNames::isBidiControl)) {
      return new Text(null,
          "must not contain bidirectional override or isolate characters (U+202A-U+202E, U+2066-U+2069)");
    }
    String normalised = trimInvisible(Normalizer.normalize(text, Normalizer.Form.NFC));
    if (normalised.codePoints().anyMatch(Character::isISOControl)) {
      return new Text(null, "must not contain control characters");
    }
    if (normalised.codePoints().allMatch(ClientNames::isInvisible)) {
      return new Text(null, "must contain a visible character");
    }
    int length = normalised.codePointCount(0, normalised.length());
    if (length > maxCodePoints) {
      return new Text(null, "must be at most " + maxCodePoints + " characters long (it has " + length + ")");
    }
    return new Text(normalised, null);
  }

  private static Checked invalid(String text) {
    return refused(ErrorCode.INVALID_NAME, text);
  }

  private static Checked refused(ErrorCode code, String text) {
    return new Checked(null, new ProtocolError(code, text));
  }

  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** Strips whitespace and invisible characters at both ends: they would only make one name look like another. */
  private static String trimInvisible(String name) {
    int start = 0;
    int end = name.length();
    while (start < end && isInvisible(name.codePointAt(start))) {
      start += Character.charCount(name.codePointAt(start));
    }
    while (end > start && isInvisible(name.codePointBefore(end))) {
      end -= Character.charCount(name.codePointBefore(end));
    }
    return name.substring(start, end);
  }

  /**
   * Renders as nothing or as blank space: whitespace and space separators (U+00A0 included), format characters
   * (zero-width space, joiners, word joiner, U+FEFF, ...) and the letters that are drawn blank (Hangul fillers,
   * Braille blank, combining grapheme joiner).
   */
  static boolean isInvisible(int codePoint) {
    return Character.isWhitespace(codePoint)
        || Character.isSpaceChar(codePoint)
        || Character.getType(codePoint) == Character.FORMAT
        || codePoint == 0x034F || codePoint == 0x115F || codePoint == 0x1160 || codePoint == 0x180E
        || codePoint == 0x2800 || codePoint == 0x3164 || codePoint == 0xFFA0;
  }

  /** Embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069: they reorder the text shown after them. */
  static boolean isBidiControl(int codePoint) {
    return (codePoint >= 0x202A && codePoint <= 0x202E) || (codePoint >= 0x2066 && codePoint <= 0x2069);
  }
}
