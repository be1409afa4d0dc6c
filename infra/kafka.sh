#!/usr/bin/env bash
# Starts a single-node KRaft Kafka broker on loopback, fetching its jars once (cached).
set -euo pipefail
source "$(dirname "$0")/env.sh"

jars="$KAFKA_CACHE/$KAFKA_VERSION/libs"
if [ ! -f "$jars/.complete" ]; then
  echo "infra: fetching Apache Kafka $KAFKA_VERSION jars from Maven Central (once)"
  mkdir -p "$jars"
  mvn -q -B -f "$TENANTRY_ROOT/infra/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$jars"
  touch "$jars/.complete"
fi

kafka_ready() { kcat -b "127.0.0.1:$KAFKA_PORT" -L -m 3 >/dev/null 2>&1; }

if kafka_ready; then
  # Ours from an earlier run, or another checkout's: either way a broker is there.
  exit 0
fi

mkdir -p "$KAFKA_DIR/data"
props="$KAFKA_DIR/server.properties"
cat > "$props" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
transaction.max.timeout.ms=900000
PROPS

java_cmd=(java -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true
  -Dlog4j.configuration="file:$TENANTRY_ROOT/infra/kafka/log4j.properties"
  -cp "$jars/*")

if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
  cluster_id=$("${java_cmd[@]}" kafka.tools.StorageTool random-uuid)
  "${java_cmd[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$props" >/dev/null
fi

echo "infra: starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT"
nohup "${java_cmd[@]}" kafka.Kafka "$props" > "$KAFKA_DIR/kafka.log" 2>&1 &
echo $! > "$KAFKA_DIR/kafka.pid"
for _ in $(seq 1 120); do
  if kafka_ready; then exit 0; fi
  if ! kill -0 "$(cat "$KAFKA_DIR/kafka.pid")" 2>/dev/null; then
    echo "infra: Kafka exited; last lines of $KAFKA_DIR/kafka.log:" >&2
    tail -20 "$KAFKA_DIR/kafka.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "infra: Kafka did not answer within 60 s" >&2
exit 1
