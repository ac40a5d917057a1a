package io.agenthub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HubConfigTest {

  static JsonObject defaults() throws Exception {
    return CommentedJsonProcessor.parse(Files.readString(Path.of("conf/hub.json")));
  }

  @Test
  void theDocumentedExampleInConfEqualsTheBuiltInDefaults() throws Exception {
    assertEquals(Setting.defaults(), defaults());
  }

  @Test
  void defaultsInConfAreTheContractsDefaults() throws Exception {
    HubConfig config = HubConfig.parse(defaults());
    assertEquals(8765, config.integer(Setting.PORT));
    assertEquals("0.0.0.0", config.string(Setting.HOST));
    assertEquals("localhost", config.string(Setting.RABBITMQ_HOST));
    assertEquals(5672, config.integer(Setting.RABBITMQ_PORT));
    assertEquals(RabbitMqMode.AUTO, config.mode(Setting.RABBITMQ_MODE));
    assertEquals(Duration.ofSeconds(15), config.duration(Setting.AGENT_INACTIVITY_TIMEOUT));
    assertEquals(Duration.ofSeconds(10), config.duration(Setting.AGENT_PING_INTERVAL));
    assertEquals(Duration.ofSeconds(60), config.duration(Setting.PERIODIC_STATUS_INTERVAL));
    assertEquals(Duration.ofSeconds(10), config.duration(Setting.SERVER_HEARTBEAT_INTERVAL));
    assertTrue(config.flag(Setting.MONITOR_ALL_TRAFFIC));
    assertEquals(List.of("*"), config.strings(Setting.CORS_ALLOWED_ORIGINS));
    assertEquals(65536, config.integer(Setting.MAX_FRAME_BYTES));
  }

  @Test
  void environmentStyleStringsAreTyped() throws Exception {
    HubConfig config = HubConfig.parse(defaults().put("PORT", "9000").put("AGENT_PING_INTERVAL", "2.5")
        .put("MONITOR_ALL_TRAFFIC", "False").put("CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example"));
    assertEquals(9000, config.integer(Setting.PORT));
    assertEquals(Duration.ofMillis(2500), config.duration(Setting.AGENT_PING_INTERVAL));
    assertEquals(false, config.flag(Setting.MONITOR_ALL_TRAFFIC));
    assertEquals(List.of("https://a.example", "https://b.example"), config.strings(Setting.CORS_ALLOWED_ORIGINS));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "PORT|abc|PORT=\"abc\" is not allowed: expected an integer from 0 to 65535",
      "PORT|70000|PORT=\"70000\" is not allowed: expected an integer from 0 to 65535",
      "AGENT_INACTIVITY_TIMEOUT|0|AGENT_INACTIVITY_TIMEOUT=\"0\" is not allowed: expected a number of seconds greater",
      "MONITOR_ALL_TRAFFIC|yes|MONITOR_ALL_TRAFFIC=\"yes\" is not allowed: expected true or false",
      "LOG_LEVEL|LOUD|LOG_LEVEL=\"LOUD\" is not allowed: expected one of TRACE, DEBUG, INFO, WARN, ERROR",
      "RABBITMQ_MODE|sometimes|RABBITMQ_MODE=\"sometimes\" is not allowed: expected one of auto, external, embedded"})
  void invalidValuesNameKeyValueAndWhatIsAllowed(String key, String value, String message) throws Exception {
    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> HubConfig.parse(defaults().put(key, value)));
    assertEquals(1, e.problems().size());
    assertEquals(key, e.problems().get(0).key());
    assertTrue(e.problems().get(0).text().startsWith(message), e.problems().get(0).text());
  }

  @Test
  void loggerLevelsArePairsOfLoggerAndLevel() throws Exception {
    HubConfig config = HubConfig.parse(defaults().put("LOGGER_LEVELS", "io.vertx=debug, com.hazelcast=WARN"));
    assertEquals(List.of("io.vertx=DEBUG", "com.hazelcast=WARN"), config.strings(Setting.LOGGER_LEVELS));
    assertEquals(config.strings(Setting.LOGGER_LEVELS),
        HubConfig.fromJson(config.toJson()).strings(Setting.LOGGER_LEVELS), "survives the event bus");
    for (String invalid : new String[] {"io.vertx", "io.vertx=LOUD", "=INFO", "io..vertx=INFO"}) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class,
          () -> HubConfig.parse(defaults().put("LOGGER_LEVELS", invalid)), invalid);
      assertTrue(e.getMessage().contains("logger=LEVEL"), e.getMessage());
    }
  }

  @Test
  void trustedProxiesAreAddressesAndCidrRangesNormalised() throws Exception {
    HubConfig config = HubConfig.parse(defaults().put("TRUSTED_PROXIES", " 10.1.2.3/8, 2001:DB8::/32,::1 , 192.0.2.7"));
    assertEquals(List.of("10.0.0.0/8", "2001:db8::/32", "::1", "192.0.2.7"), config.strings(Setting.TRUSTED_PROXIES));
    assertEquals(config.strings(Setting.TRUSTED_PROXIES),
        HubConfig.fromJson(config.toJson()).strings(Setting.TRUSTED_PROXIES), "survives the event bus");
    for (String invalid : new String[] {"10.0.0.0/33", "::/129", "10.0.0/8", "proxy.example", "10.0.0.1/-1",
        "10.0.0.1/", "1.2.3.4:80"}) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class,
          () -> HubConfig.parse(defaults().put("TRUSTED_PROXIES", "10.0.0.1, " + invalid)), invalid);
      assertEquals("TRUSTED_PROXIES=\"10.0.0.1, " + invalid + "\" is not allowed: expected a list of IPv4 or IPv6 "
          + "addresses and CIDR ranges, e.g. 10.0.0.0/8, 2001:db8::/32, ::1", e.problems().get(0).text());
    }
  }

  @Test
  void everyProblemIsReportedAtOnce() throws Exception {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> HubConfig.parse(defaults().put("PORT", -1).put("RABBITMQ_PREFETCH", 0).putNull("HOST")));
    assertEquals(List.of("HOST", "PORT", "RABBITMQ_PREFETCH"), e.problems().stream().map(p -> p.key()).toList());
  }

  @Test
  void secretsAreNeverPrinted() throws Exception {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> HubConfig.parse(defaults().put("RABBITMQ_PASSWORD", 12345)));
    assertTrue(e.getMessage().contains("RABBITMQ_PASSWORD=***"), e.getMessage());
    assertTrue(HubConfig.parse(defaults()).describe().contains("\"RABBITMQ_PASSWORD\":\"***\""));
  }

  @Test
  void reconnectBoundsMustBeOrdered() throws Exception {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> HubConfig.parse(defaults()
        .put("RABBITMQ_RECONNECT_MIN_MS", 5000).put("RABBITMQ_RECONNECT_MAX_MS", 1000)));
    assertTrue(e.getMessage().contains("expected at most RABBITMQ_RECONNECT_MAX_MS"));
  }

  @Test
  void jsonFormRoundTrips() throws Exception {
    HubConfig config = HubConfig.parse(defaults().put("AGENT_PING_INTERVAL", 0.25));
    assertEquals(config.toJson(), HubConfig.fromJson(config.toJson()).toJson());
    assertEquals(Duration.ofMillis(250), HubConfig.fromJson(config.toJson()).duration(Setting.AGENT_PING_INTERVAL));
  }

  /** Durations are typed at parse time whatever their unit; in JSON they keep the unit their key documents. */
  @Test
  void durationsAreReadAsDurationsWhateverTheirUnit() throws Exception {
    HubConfig config = HubConfig.parse(defaults().put("RABBITMQ_RECONNECT_MIN_MS", "300")
        .put("CLIENT_RESUME_WINDOW", 90).put("CONFIG_SCAN_PERIOD_MS", 1500));
    assertEquals(Duration.ofMillis(300), config.duration(Setting.RABBITMQ_RECONNECT_MIN_MS));
    assertEquals(Duration.ofSeconds(90), config.duration(Setting.CLIENT_RESUME_WINDOW));
    assertEquals(Duration.ofMillis(1500), config.duration(Setting.CONFIG_SCAN_PERIOD_MS));
    assertEquals(Duration.ofMillis(10_000), config.duration(Setting.DELIVERY_TIMEOUT_MS));
    assertEquals(300L, config.toJson().getLong("RABBITMQ_RECONNECT_MIN_MS"), "still milliseconds in JSON");
    assertEquals(90L, config.toJson().getLong("CLIENT_RESUME_WINDOW"), "still seconds in JSON");
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> HubConfig.parse(defaults().put("CLIENT_RESUME_WINDOW", 1.5)));
    assertEquals("CLIENT_RESUME_WINDOW=1.5 is not allowed: expected an integer from 0 to 3600",
        e.problems().get(0).text());
  }

  /** Every setting has exactly one read; any other fails loudly, naming the setting. */
  @Test
  void everySettingIsReadOnlyAsWhatItIs() throws Exception {
    HubConfig config = HubConfig.parse(defaults());
    Map<Setting.Value, Function<Setting, Object>> reads = Map.of(
        Setting.Value.TEXT, config::string,
        Setting.Value.INTEGER, config::integer,
        Setting.Value.DURATION, config::duration,
        Setting.Value.FLAG, config::flag,
        Setting.Value.LIST, config::strings,
        Setting.Value.RABBITMQ_MODE, config::mode);
    assertEquals(Set.of(Setting.Value.values()), reads.keySet(), "a read for every kind of value");
    for (Setting setting : Setting.values()) {
      for (Map.Entry<Setting.Value, Function<Setting, Object>> read : reads.entrySet()) {
        if (read.getKey() == setting.type().value()) {
          assertNotNull(read.getValue().apply(setting), setting.name());
        } else {
          IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
              () -> read.getValue().apply(setting), setting + " read as " + read.getKey());
          assertTrue(wrong.getMessage().startsWith(setting.name() + " "), wrong.getMessage());
        }
      }
    }
  }
}
