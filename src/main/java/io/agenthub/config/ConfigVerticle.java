package io.agenthub.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.agenthub.metrics.HubMetrics;
import io.agenthub.bus.Addresses;
import io.agenthub.clock.HubClock;
import io.agenthub.protocol.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.config.ConfigChange;
import io.vertx.config.ConfigRetriever;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches {@code conf/}, {@code .env}, the environment and system properties. A valid change is published on
 * {@link Addresses#CONFIG_CHANGED} for every verticle to apply its own part; an invalid one is refused whole, logged
 * once at ERROR with file, key, value and what is allowed, counted, and reported by {@link Addresses#CONFIG_STATUS}
 * until a valid scan clears it. No other verticle reads configuration files.
 */
public final class ConfigVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigVerticle.class);

  private final ConfigSources sources;
  private final HubClock clock;
  private HubConfig current;
  /** Loggers are global to the JVM, and so is what they were set to before LOGGER_LEVELS changed them. */
  private static final Map<String, Optional<Level>> LEVELS_BEFORE_OVERRIDE = new ConcurrentHashMap<>();
  private ConfigRetriever retriever;
  private MeterRegistry metrics;
  private String appliedAt;
  private JsonObject rejection;

  public ConfigVerticle(ConfigSources sources, HubClock clock) {
    this.sources = sources;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    current = HubConfig.fromJson(config());
    appliedAt = now();
    metrics = HubMetrics.registry();
    applyLogLevels(current, null);
    vertx.eventBus().localConsumer(Addresses.CONFIG_STATUS, msg -> msg.reply(status()));
    long scanPeriodMs = current.duration(Setting.CONFIG_SCAN_PERIOD_MS).toMillis();
    retriever = sources.retriever(vertx, scanPeriodMs, () -> rejection = null);
    retriever.configStream().exceptionHandler(this::onRejected);
    retriever.listen(this::onChanged);
    return retriever.getConfig().onSuccess(this::apply).onFailure(this::onRejected).otherwiseEmpty();
  }

  @Override
  public Future<?> stop() {
    return retriever.close();
  }

  private void onChanged(ConfigChange change) {
    apply(change.getNewConfiguration());
  }

  private void apply(JsonObject validJson) {
    HubConfig next = HubConfig.fromJson(validJson);
    List<Setting> changed = next.changedFrom(current);
    if (changed.isEmpty()) {
      return;
    }
    for (Setting setting : changed) {
      if (setting.apply() == Setting.Apply.LIVE) {
        LOG.info("Setting {} changed; applied live", setting);
      } else {
        LOG.warn("Setting {} changed; it takes effect only after a restart", setting);
      }
    }
    applyLogLevels(next, current);
    current = next;
    appliedAt = now();
    HubMetrics.configApplied(metrics);
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, next.toJson());
  }

  /** Names the culprit off the event loop (it reads the files), then reports a rejection once per distinct cause. */
  private void onRejected(Throwable cause) {
    vertx.executeBlocking(() -> cause instanceof InvalidConfigException invalid
            ? invalid.describe(sources::sourceOf)
            : explainUnreadable(cause))
        .onSuccess(problems -> {
          JsonArray problemList = new JsonArray(List.copyOf(problems));
          if (rejection != null && rejection.getJsonArray("problems").equals(problemList)) {
            return;
          }
          rejection = new JsonObject().put("at", now()).put("problems", problemList);
          HubMetrics.configRejected(metrics);
          LOG.error("Configuration change refused, keeping the last good configuration: {}",
              String.join("; ", problems));
        });
  }

  private String now() {
    return Timestamps.format(clock.now());
  }

  private List<String> explainUnreadable(Throwable cause) {
    List<String> files = sources.unreadableFiles();
    return files.isEmpty() ? List.of("configuration could not be read: " + cause.getMessage()) : files;
  }

  private JsonObject status() {
    JsonObject status = new JsonObject().put("source", sources.confDir().toString()).put("applied_at", appliedAt);
    if (rejection != null) {
      status.put("rejected", rejection);
    }
    return status;
  }

  /**
   * LOG_LEVEL sets the level of the hub's own loggers ({@code io.agenthub}), LOGGER_LEVELS that of any other; a
   * logger dropped from LOGGER_LEVELS goes back to the level logback.xml gave it.
   */
  public static void applyLogLevels(HubConfig next, HubConfig previous) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext logback)) {
      return;
    }
    Map<String, String> levels = loggerLevels(next);
    if (previous != null) {
      loggerLevels(previous).keySet().stream()
          .filter(logger -> !levels.containsKey(logger))
          .forEach(logger -> logback.getLogger(logger).setLevel(LEVELS_BEFORE_OVERRIDE.remove(logger).orElse(null)));
    }
    logback.getLogger("io.agenthub").setLevel(Level.toLevel(next.string(Setting.LOG_LEVEL)));
    levels.forEach((name, level) -> {
      ch.qos.logback.classic.Logger logger = logback.getLogger(name);
      LEVELS_BEFORE_OVERRIDE.computeIfAbsent(name, n -> Optional.ofNullable(logger.getLevel()));
      logger.setLevel(Level.toLevel(level));
    });
  }

  /** LOGGER_LEVELS as logger name to level, in the order given. */
  private static Map<String, String> loggerLevels(HubConfig config) {
    Map<String, String> levels = new LinkedHashMap<>();
    for (String entry : config.strings(Setting.LOGGER_LEVELS)) {
      int equals = entry.indexOf('=');
      levels.put(entry.substring(0, equals), entry.substring(equals + 1));
    }
    return levels;
  }
}
