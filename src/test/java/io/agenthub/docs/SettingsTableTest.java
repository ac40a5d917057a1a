package io.agenthub.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.agenthub.config.Setting;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settings table of docs/configuration.md is what operators read: it lists every setting with its real default
 * and whether a running hub applies it live, and nothing else.
 */
class SettingsTableTest {
  private static final Path TABLE = Path.of("docs/configuration.md");

  @Test
  void theTableListsEverySettingWithItsDefaultAndWhetherItAppliesLive() throws Exception {
    Map<String, String[]> rows = rows();
    JsonObject defaults = Setting.defaults();
    for (Setting setting : Setting.values()) {
      String[] row = rows.get(setting.name());
      assertNotNull(row, setting + " is missing from the table in " + TABLE);
      String documentedDefault = row[2].trim().replace("`", "");
      String actualDefault = String.valueOf(defaults.getValue(setting.name()));
      assertEquals(actualDefault.isEmpty() ? "(empty)" : actualDefault, documentedDefault, setting + ": default");
      assertEquals(setting.apply().name().toLowerCase(), row[3].trim(), setting + ": live or restart");
    }
  }

  @Test
  void theTableListsNoSettingTheHubDoesNotHave() throws Exception {
    List<String> unknown = rows().keySet().stream().filter(key -> Setting.byKey(key).isEmpty()).sorted().toList();
    assertEquals(List.of(), unknown, "rows of " + TABLE + " that are no setting");
  }

  /** Each row of the table, by its key: {@code | `KEY` | default | live or restart | meaning |}. */
  private static Map<String, String[]> rows() throws Exception {
    Map<String, String[]> rows = new HashMap<>();
    for (String line : Files.readAllLines(TABLE)) {
      if (line.startsWith("| `")) {
        String[] cells = line.split("\\|");
        rows.put(cells[1].trim().replace("`", ""), cells);
      }
    }
    return rows;
  }
}
