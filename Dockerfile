# The partisan-kv node. Build the jar on the host first (the image only copies it):
#   ./mvnw -B -q -pl http-api -am package -DskipTests
#   docker build -t partisan-kv:local .
# Where no registry is reachable, build on a local JRE 21 image (scripts/build-base-image.sh):
#   docker build --build-arg BASE_IMAGE=partisan-kv/jre21-base:local -t partisan-kv:local .
ARG BASE_IMAGE=eclipse-temurin:21-jre
FROM ${BASE_IMAGE}

COPY http-api/target/partisan-kv.jar /opt/partisan-kv/partisan-kv.jar
COPY docker/partisan-kv /usr/local/bin/partisan-kv

# In a container the HTTP API must listen on every interface (publish it on 127.0.0.1 on the host);
# the data lives in a volume. Every other setting has its usual default (docs/configuration.md).
# No cluster secret is baked in: a node given none generates one in its data volume on first start
# (docs/security.md); set PARTISAN_CLUSTER_SECRET_FILE to share one.
ENV PARTISAN_HTTP_HOST=0.0.0.0 \
    PARTISAN_KV_DATA_DIR=/var/lib/partisan-kv
RUN chmod 0755 /usr/local/bin/partisan-kv && mkdir -p /var/lib/partisan-kv
VOLUME /var/lib/partisan-kv

# 8098: HTTP API; 8087: Riak's PB API; 9000: cluster (runtime) port.
EXPOSE 8098 8087 9000
ENTRYPOINT ["partisan-kv"]
CMD ["start"]
