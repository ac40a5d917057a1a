package io.agenthub.protocol;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Client ids: the role's prefix plus 8 lower-case hex characters, e.g. {@code agent_1a2b3c4d}. */
public final class ClientIds {
  private static final Pattern ID = Pattern.compile("(web|agent|broker)_[0-9a-f]{8}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private ClientIds() {
  }

  /** A fresh candidate; uniqueness across the deployment is enforced by presence when it is reserved. */
  public static String newId(ClientRole role) {
    byte[] bytes = new byte[4];
    RANDOM.nextBytes(bytes);
    return role.idPrefix() + HEX.formatHex(bytes);
  }

  public static boolean isWellFormed(String id) {
    return id != null && ID.matcher(id).matches();
  }
}
