package io.agenthub.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DotEnvProcessorTest {

  @Test
  void readsDotEnvLikePythonDotenv() {
    JsonObject parsed = DotEnvProcessor.parse("""
        # comment
        RABBITMQ_HOST=rabbit.internal
        export PORT=9000
        WEBSOCKET_HOST="hub.example.com"
        CORS_ALLOWED_ORIGINS='https://a.example'
          
        not a pair
        EMPTY=
        """);
    assertEquals(new JsonObject()
        .put("RABBITMQ_HOST", "rabbit.internal")
        .put("PORT", "9000")
        .put("WEBSOCKET_HOST", "hub.example.com")
        .put("CORS_ALLOWED_ORIGINS", "https://a.example")
        .put("EMPTY", ""), parsed);
  }
}
