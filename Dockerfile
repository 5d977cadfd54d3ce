# mxgate's container image: the shaded jar (built here by Maven) on a Java 17 runtime, run as an
# unprivileged user (uid 10025).
#
#   docker build -t mxgate .
#   docker run -p 25:2525 -p 127.0.0.1:8025:8025 -v "$PWD/conf:/opt/mxgate/conf:ro" \
#       -v "$PWD/policies:/opt/mxgate/policies:ro" -v mxgate-certs:/opt/mxgate/certs mxgate
#
# Mount points, under /opt/mxgate (the installation's layout, so conf/mxgate.yml's relative paths
# work as on a host):
#   conf/       conf/mxgate.yml (and admin.token); the image has the shipped conf/mxgate.yml
#   policies/   policies/*.yml and users.yml; the image has the shipped ones. Hot-reloaded: a
#               mounted directory (not single files) lets an edit reach the gateway
#   certs/      the listeners' certificate and key; writable by uid 10025, for the self-signed
#               pair made at first start when neither exists (a volume keeps it across restarts)
#   logs/       protocol.log, one JSON line per SMTP event, rolled daily (14 days kept); the
#               application log goes to standard output (docker logs)
# Ports: 2525 SMTP (publish it as 25: no root and no capability needed inside), 10025 the internal
# listener, 2587 submission, 8025 the admin listener (status page, /metrics, /healthz, on which the
# HEALTHCHECK below asks over 127.0.0.1: keep admin.listen on 127.0.0.1:8025 or 0.0.0.0:8025).
# JVM options: JAVA_TOOL_OPTIONS (e.g. -Xmx512m). The JVM takes SIGTERM itself (PID 1 here):
# give `docker stop -t` a little more than shutdown_grace.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# The dependencies first, in a layer of their own that survives source changes.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10025 mxgate \
    && useradd --system --uid 10025 --gid mxgate --home-dir /opt/mxgate --no-create-home \
        --shell /usr/sbin/nologin mxgate
WORKDIR /opt/mxgate
COPY --from=build /build/target/mxgate.jar mxgate.jar
COPY conf/mxgate.yml conf/
COPY policies/ policies/
COPY certs/README.md certs/
RUN mkdir logs && chown mxgate:mxgate certs logs
USER 10025:10025
VOLUME ["/opt/mxgate/certs", "/opt/mxgate/logs"]
EXPOSE 2525 2587 10025 8025
# 200 from /healthz while every pool can deliver; 503 from the first moment of a shutdown. Bash's
# /dev/tcp, so the image needs no HTTP client.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8025 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && read -r -t 4 status <&3 && [[ $status == *' 200 '* ]]"]
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-XX:G1PeriodicGCInterval=30000", "-XX:MaxRAMPercentage=75", "-Dmxgate.home=/opt/mxgate", \
    "-Dmxgate.log.dir=/opt/mxgate/logs", "-jar", "/opt/mxgate/mxgate.jar"]
CMD ["run", "--config", "/opt/mxgate/conf/mxgate.yml"]
