package io.agenthub.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * Where configuration comes from, lowest precedence first: the built-in defaults ({@link Setting#defaults()}), the
 * JSON and YAML files of the conf folder (in name order), {@code .env} in the working directory, the environment,
 * system properties. The conf folder is {@code CONF_DIR} (environment or system property), {@code conf} by default;
 * when it does not exist at start-up the hub runs on the defaults and the other sources.
 */
public final class ConfigSources {
  public static final String CONF_DIR = "CONF_DIR";

  private final Path confDir;
  private final Path dotEnv;

  public ConfigSources(Path confDir, Path dotEnv) {
    this.confDir = confDir;
    this.dotEnv = dotEnv;
  }

  public static ConfigSources fromEnvironment() {
    String dir = System.getProperty(CONF_DIR, System.getenv().getOrDefault(CONF_DIR, "conf"));
    return new ConfigSources(Path.of(dir).toAbsolutePath(), Path.of(".env").toAbsolutePath());
  }

  public Path confDir() {
    return confDir;
  }

  /** Reads every source once and validates the result; fails with {@link InvalidConfigException} or a parse error. */
  public io.vertx.core.Future<HubConfig> load(Vertx vertx) {
    ConfigRetriever once = retriever(vertx, 0);
    return once.getConfig().map(HubConfig::fromJson).eventually(once::close);
  }

  /**
   * A retriever over all sources that only ever yields a valid configuration: its processor validates each merged
   * result, so an invalid one fails the scan (reported through {@code configStream().exceptionHandler}) and never
   * replaces the last good one.
   */
  public ConfigRetriever retriever(Vertx vertx, long scanPeriodMillis) {
    return retriever(vertx, scanPeriodMillis, () -> { });
  }

  /**
   * As {@link #retriever(Vertx, long)}; {@code onValidScan} runs after every scan whose result is valid, changed or
   * not.
   */
  public ConfigRetriever retriever(Vertx vertx, long scanPeriodMillis, Runnable onValidScan) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .setScanPeriod(scanPeriodMillis)
        .addStore(new ConfigStoreOptions().setType("json").setConfig(Setting.defaults()));
    // Not optional when it exists: an optional store that fails to parse would count as empty and silently bring
    // back the defaults, where a bad edit must be refused instead.
    if (Files.isDirectory(confDir)) {
      options.addStore(new ConfigStoreOptions().setType("directory").setConfig(new JsonObject()
          .put("path", confDir.toString())
          .put("filesets", new JsonArray()
              .add(new JsonObject().put("pattern", "*.json").put("format", CommentedJsonProcessor.FORMAT))
              .add(new JsonObject().put("pattern", "*.yaml").put("format", "yaml"))
              .add(new JsonObject().put("pattern", "*.yml").put("format", "yaml")))));
    }
    options
        .addStore(new ConfigStoreOptions().setType("file").setFormat("dotenv").setOptional(true)
            .setConfig(new JsonObject().put("path", dotEnv.toString())))
        .addStore(new ConfigStoreOptions().setType("env")
            .setConfig(new JsonObject().put("keys", new JsonArray(Setting.keys()))))
        .addStore(new ConfigStoreOptions().setType("sys").setConfig(new JsonObject().put("cache", false)));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    retriever.setConfigurationProcessor(merged -> {
      JsonObject valid = validated(merged);
      onValidScan.run();
      return valid;
    });
    return retriever;
  }

  private JsonObject validated(JsonObject merged) {
    List<InvalidConfigException.Problem> unknown = merged.fieldNames().stream()
        .filter(key -> Setting.byKey(key).isEmpty() && System.getProperty(key) == null)
        .sorted()
        .map(key -> new InvalidConfigException.Problem(key,
            "unknown key " + key + ": allowed keys are " + Setting.keys()))
        .toList();
    if (!unknown.isEmpty()) {
      throw new InvalidConfigException(unknown);
    }
    return HubConfig.parse(merged).toJson();
  }

  /** Names where a key's effective value comes from. Reads the small local config files: call it off the event loop. */
  public String sourceOf(String key) {
    if (System.getProperty(key) != null) {
      return "system property " + key;
    }
    if (System.getenv(key) != null) {
      return "environment variable " + key;
    }
    if (Files.isRegularFile(dotEnv) && readDotEnv().containsKey(key)) {
      return dotEnv.toString();
    }
    List<Path> files = confFiles();
    for (int i = files.size() - 1; i >= 0; i--) {
      Map<String, Object> content = parseQuietly(files.get(i));
      if (content != null && content.containsKey(key)) {
        return files.get(i).toString();
      }
    }
    return "the built-in default";
  }

  /** For a scan that failed before validation: which file cannot be read or parsed, and why. */
  public List<String> unreadableFiles() {
    List<String> problems = new ArrayList<>();
    for (Path file : confFiles()) {
      try {
        parse(file);
      } catch (IOException | RuntimeException e) {
        problems.add(file + " cannot be parsed: " + e.getMessage().lines().findFirst().orElse(""));
      }
    }
    return problems;
  }

  private JsonObject readDotEnv() {
    try {
      return DotEnvProcessor.parse(Files.readString(dotEnv));
    } catch (IOException e) {
      return new JsonObject();
    }
  }

  private List<Path> confFiles() {
    try (Stream<Path> files = Files.list(confDir)) {
      return files.filter(f -> f.toString().matches(".*\\.(json|ya?ml)$")).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Map<String, Object> parseQuietly(Path file) {
    try {
      return parse(file);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(Path file) throws IOException {
    String text = Files.readString(file);
    if (file.toString().endsWith(".json")) {
      return CommentedJsonProcessor.parse(text).getMap();
    }
    Object yaml = new Yaml().load(text);
    if (yaml == null) {
      return Map.of();
    }
    if (!(yaml instanceof Map)) {
      throw new IllegalArgumentException("top level must be a mapping");
    }
    return (Map<String, Object>) yaml;
  }
}
