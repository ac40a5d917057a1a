package io.agenthub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's settings table is what operators read: it must list every setting with its real default and mode. */
class ReadmeSettingsTableTest {

  @Test
  void readmeListsEverySettingWithItsDefaultAndWhetherItAppliesLive() throws Exception {
    Map<String, String[]> rows = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      if (line.startsWith("| `")) {
        String[] cells = line.split("\\|");
        rows.put(cells[1].trim().replace("`", ""), cells);
      }
    }
    JsonObject defaults = Setting.defaults();
    for (Setting setting : Setting.values()) {
      String[] row = rows.get(setting.name());
      assertNotNull(row, setting + " is missing from the README table");
      assertEquals(setting.name(), row[2].trim().replace("`", ""), setting + ": environment variable");
      String documentedDefault = row[3].trim().replace("`", "");
      String actualDefault = String.valueOf(defaults.getValue(setting.name()));
      assertEquals(actualDefault.isEmpty() ? "(empty)" : actualDefault, documentedDefault, setting + ": default");
      assertEquals(setting.apply().name().toLowerCase(), row[4].trim(), setting + ": live or restart");
    }
  }
}
