# Build stage: the fat jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src src
COPY conf conf
RUN mvn -B -ntp -q package -DskipTests

# Runtime stage: a JRE, the jar and the default configuration, run as an unprivileged user.
FROM eclipse-temurin:17-jre-alpine
RUN addgroup -S hub && adduser -S -G hub -H -h /app hub
WORKDIR /app
COPY --from=build /src/target/agent-hub.jar /app/agent-hub.jar
COPY conf /app/conf
USER hub
# Containers use a real RabbitMQ (docker-compose.yml starts one): never an embedded broker in memory.
ENV CONF_DIR=/app/conf \
    RABBITMQ_MODE=external \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8765 5701
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD wget -q -O /dev/null http://127.0.0.1:8765/health/ready || exit 1
# conf/jvm.options: the collector and heap growth chosen for memory per socket (README, "JVM options"); the heap
# ceiling comes from MaxRAMPercentage above, so it follows the container's memory limit.
ENTRYPOINT ["java", "@/app/conf/jvm.options", "-jar", "/app/agent-hub.jar"]
