# syntax=docker/dockerfile:1
# batchgate's container image: docker build -t batchgate .   (README, "Deploying to AWS")
# The app runs as one Spring Boot jar split into layers (dependencies change rarely, the
# application often), as a non-root user, on a Temurin 25 JRE. deploy/check validates this file
# and runs the same layout outside Docker (deploy/image/smoke).

ARG JAVA_VERSION=25

# --- build: the gateway jar (runner and job-catalog come in as its dependencies) ---
FROM maven:3.9-eclipse-temurin-${JAVA_VERSION} AS build
WORKDIR /src
COPY pom.xml ./
COPY job-catalog/ job-catalog/
COPY runner/ runner/
COPY gateway/ gateway/
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -Dspotless.check.skip=true package -pl gateway -am

# --- extract: Spring Boot's layered layout (application.jar + lib/, one directory per layer) ---
# Not `--launcher`: a class-data archive only covers classes loaded from jars, and the launcher
# layout puts the application's classes in directories.
FROM eclipse-temurin:${JAVA_VERSION}-jre AS extract
WORKDIR /extract
COPY --from=build /src/gateway/target/batchgate.jar application.jar
RUN java -Djarmode=tools -jar application.jar extract --layers --destination layers

# --- runtime ---
FROM eclipse-temurin:${JAVA_VERSION}-jre
# `docker build --build-arg APPCDS=true .` adds an ahead-of-time class cache (JEP 483/514) from a
# training start: the JVM starts several times faster, the image grows by ~150 MB.
ARG APPCDS=false
RUN groupadd --system --gid 10001 batchgate \
    && useradd --system --no-log-init --uid 10001 --gid batchgate \
       --home-dir /var/lib/batchgate --create-home batchgate
# Container memory: the heap follows the task's limit; an OutOfMemoryError ends the JVM so the
# orchestrator replaces it. Spring Batch stamps local times: the JVM runs in UTC.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Duser.timezone=UTC" \
    TZ=UTC \
    BATCHGATE_DATA_DIR=/var/lib/batchgate \
    BATCHGATE_PORT=8080 \
    SERVER_ADDRESS=0.0.0.0
WORKDIR /app
COPY --from=extract /extract/layers/dependencies/ ./
COPY --from=extract /extract/layers/spring-boot-loader/ ./
COPY --from=extract /extract/layers/snapshot-dependencies/ ./
COPY --from=extract /extract/layers/application/ ./
# The training run refreshes the context of the embedded default (H2 and the queue in a throwaway
# directory) and exits. Same JVM options and the same absolute class path as the ENTRYPOINT: a
# relative `application.jar` only matches when the container starts in /app (`docker run -w`, an
# ECS workingDirectory break it), and a cache that does not match is ignored with only a warning.
RUN if [ "$APPCDS" = "true" ]; then \
      BATCHGATE_DATA_DIR=/tmp/aot-training java -XX:AOTCacheOutput=/app/application.aot \
        -Dspring.context.exit=onRefresh -jar /app/application.jar \
      && rm -rf /tmp/aot-training; \
    fi
USER 10001:10001
EXPOSE 8080
# bash's /dev/tcp asks the open health endpoint: no curl needed in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${BATCHGATE_PORT} && printf 'GET /actuator/health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && grep -q '\"status\":\"UP\"' <&3"]
# Arguments after the image name go to the application (e.g. --batchgate.runner.enabled=false).
ENTRYPOINT ["sh", "-c", "if [ -f /app/application.aot ]; then exec java -XX:AOTCache=/app/application.aot -jar /app/application.jar \"$@\"; fi; exec java -jar /app/application.jar \"$@\"", "batchgate"]
