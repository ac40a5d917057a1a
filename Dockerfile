# Build stage: the fat jar, built as scripts/jar builds it (the hub alone: no test is compiled, no test dependency
# downloaded).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY scripts/jar scripts/jar
# The plugins and dependencies, in a layer that only a change of pom.xml rebuilds: the same build, with no sources.
RUN MVN=mvn bash scripts/jar
COPY src/main src/main
RUN MVN=mvn bash scripts/jar

# Runtime stage: a JRE, the jar and the default configuration, run as an unprivileged user.
FROM eclipse-temurin:17-jre-alpine
# curl for the health check, which must speak HTTPS once TLS is on: busybox's wget does so only through Alpine's
# ssl_client helper, while curl's options mean the same everywhere, so a test runs the check here as in the image.
RUN apk add --no-cache curl && addgroup -S hub && adduser -S -G hub -H -h /app hub
WORKDIR /app
COPY --from=build /src/target/agent-hub.jar /app/agent-hub.jar
# The JVM options sit beside the jar, outside /app/conf: that folder is the configuration (CONF_DIR), which users
# replace with a folder of their own (docker run -v "$PWD/conf:/app/conf:ro"). Mount a file over /app/jvm.options to
# change them.
COPY conf/jvm.options /app/jvm.options
COPY conf/hub.json /app/conf/hub.json
COPY docker/healthcheck /app/healthcheck
USER hub
# Containers use a real RabbitMQ (docker-compose.yml starts one): never an embedded broker in memory. The heap
# ceiling is 75 % of the container's memory limit; the rest is for the JVM's own memory (docker-compose.yml).
ENV CONF_DIR=/app/conf \
    RABBITMQ_MODE=external \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8765 5701
# Plain HTTP or, with TLS on, HTTPS: docker/healthcheck.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s CMD ["sh", "/app/healthcheck"]
# jvm.options (conf/jvm.options in the repository): the collector and heap growth chosen for memory per socket.
ENTRYPOINT ["java", "@/app/jvm.options", "-jar", "/app/agent-hub.jar"]
