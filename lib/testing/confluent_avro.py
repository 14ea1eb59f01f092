"""Orders through confluent-kafka's own Avro serde, for the interop tests.

produce: reads orders (JSON lines: orderId, product, price, optional currency)
from stdin and writes them with AvroSerializer (TopicNameStrategy, schemas
auto-registered) using the schema in --schema; prints one JSON summary line.

consume: reads --count records with AvroDeserializer (the writer's schema,
fetched by id) and prints each order as a JSON line, then a summary line.
"""

import argparse
import json
import sys
import time

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext


def produce(args: argparse.Namespace) -> None:
    registry = SchemaRegistryClient({"url": args.registry})
    with open(args.schema, encoding="utf-8") as f:
        schema = f.read()
    serializer = AvroSerializer(registry, schema, conf={"auto.register.schemas": True})
    producer = Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True})
    context = SerializationContext(args.topic, MessageField.VALUE)
    sent = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        order = json.loads(line)
        producer.produce(args.topic, key=order["orderId"], value=serializer(order, context))
        producer.poll(0)
        sent += 1
    left = producer.flush(30)
    print(json.dumps({"event": "produced", "sent": sent, "unflushed": left}))


def consume(args: argparse.Namespace) -> None:
    registry = SchemaRegistryClient({"url": args.registry})
    deserializer = AvroDeserializer(registry)
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    consumer.subscribe([args.topic])
    read = 0
    deadline = time.monotonic() + args.timeout
    try:
        while read < args.count and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                raise RuntimeError(str(message.error()))
            context = SerializationContext(message.topic(), MessageField.VALUE)
            order = deserializer(message.value(), context)
            print(json.dumps({"event": "order", **order}))
            read += 1
    finally:
        consumer.close()
    print(json.dumps({"event": "consumed", "read": read}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["produce", "consume"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--schema")
    parser.add_argument("--group", default="confluent-avro-interop")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    (produce if args.mode == "produce" else consume)(args)


if __name__ == "__main__":
    main()
