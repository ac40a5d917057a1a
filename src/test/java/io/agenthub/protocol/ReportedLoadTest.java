package io.agenthub.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Protocol extension "live load": the figures an agent adds to its PONG, and their refusal with INVALID_LOAD. */
class ReportedLoadTest {

  @Test
  void figuresInRangeAreTakenAndAPongWithoutThemIsNoFigures() {
    ReportedLoad load = ReportedLoad.check(new JsonObject().put("tasks_in_progress", 3)
        .put("tokens_per_second", 42.5)).load();
    assertEquals(new ReportedLoad(3, 42.5), load);
    assertEquals(load, ReportedLoad.fromJson(load.toJson()));
    assertEquals(new ReportedLoad(null, 7.0), ReportedLoad.check(new JsonObject().put("tokens_per_second", 7))
        .load(), "each figure is optional");
    ReportedLoad.Checked none = ReportedLoad.check(null);
    assertTrue(none.accepted());
    assertNull(none.load());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"busy\"", "{\"tasks_in_progress\":-1}", "{\"tasks_in_progress\":1.5}",
      "{\"tasks_in_progress\":2000000}", "{\"tokens_per_second\":-0.1}", "{\"tokens_per_second\":\"fast\"}",
      "{\"queue_depth\":3}"})
  void anythingElseIsRefusedNamingTheFigure(String raw) {
    Object value = raw.startsWith("{") ? new JsonObject(raw) : raw;
    ReportedLoad.Checked checked = ReportedLoad.check(value);
    assertEquals(ErrorCode.INVALID_LOAD, checked.error().code());
    assertTrue(checked.error().text().startsWith("load"), checked.error().text());
  }
}
