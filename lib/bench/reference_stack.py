"""The second reference system of the bench: confluent-kafka (librdkafka)
with fastavro, doing the work of our producer and consumer, so the bench can
set our figures beside it. Run by lib/bench/reference.ts in a pinned venv.

produce: makes --count orders exactly as lib/order/generator.ts does (the
same seeded generator; the catalog comes as JSON in --catalog), encodes each
with fastavro's schemaless_writer and sends it keyed by its order id with an
idempotent, acks=all, snappy producer whose partitioner is murmur2, as ours
and Java's. Every order must be acknowledged; prints one JSON line.

consume: reads --count orders of --topic in group --group, decodes each with
fastavro's schemaless_reader (every byte consumed), validates it as ours
does, adds its price in cents to its partition's aggregate and, after each
batch, commits the offsets with each partition's aggregate in the commit
metadata, synchronously. A record that does not decode or validate is
written to --dlq-topic before the commit. Prints one JSON line.

The JSON lines carry elapsed times measured from inside: produce from the
first order to the last acknowledgement, consume from the first record
received to the last commit.
"""
import argparse
import io
import json
import math
import sys
import time

import fastavro
from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition

MASK = 0xFFFFFFFF


def seeded_random(seed):
    """lib/order/random.ts's seededRandom (mulberry32), in unsigned 32-bit arithmetic."""
    state = seed & MASK

    def draw():
        nonlocal state
        state = (state + 0x6D2B79F5) & MASK
        t = state
        t = ((t ^ (t >> 15)) * (t | 1)) & MASK
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & MASK)) & MASK)) & MASK
        return ((t ^ (t >> 14)) & MASK) / 4294967296

    return draw


def js_round(x):
    """JavaScript's Math.round: the nearest integer, halves up."""
    f = math.floor(x)
    return f + 1 if x - f >= 0.5 else f


def orders(seed, catalog, count):
    """The first `count` valid orders of lib/order/generator.ts for `seed`."""
    draw = seeded_random(seed)
    for seq in range(1, count + 1):
        product = catalog[math.floor(draw() * len(catalog))]
        low, high = product["min"], product["max"]
        price = js_round((low + draw() * (high - low)) * 100) / 100
        draw()  # kind
        draw()  # flavour
        yield {"orderId": f"ORD-{seq:05d}", "product": product["name"], "price": price}


def produce(args):
    schema = fastavro.parse_schema(json.loads(open(args.schema, encoding="utf-8").read()))
    catalog = json.loads(args.catalog)
    producer = Producer({
        "bootstrap.servers": args.bootstrap,
        "enable.idempotence": True,
        "acks": "all",
        "compression.type": "snappy",
        "linger.ms": 5,
        "partitioner": "murmur2_random",
    })
    outcome = {"delivered": 0, "failed": 0, "error": None}

    def on_delivery(error, _message):
        if error is None:
            outcome["delivered"] += 1
        else:
            outcome["failed"] += 1
            outcome["error"] = str(error)

    write = fastavro.schemaless_writer
    send = producer.produce
    poll = producer.poll
    buffer = io.BytesIO()
    started = time.perf_counter()
    for i, order in enumerate(orders(args.seed, catalog, args.count)):
        buffer.seek(0)
        buffer.truncate()
        write(buffer, schema, order)
        value = buffer.getvalue()
        while True:
            try:
                send(args.topic, value, order["orderId"], on_delivery=on_delivery)
                break
            except BufferError:
                poll(0.005)  # librdkafka's queue is full: serve acks, then retry.
        if i % 1000 == 0:
            poll(0)
    left = producer.flush(60)
    elapsed = time.perf_counter() - started
    print(json.dumps({
        "event": "produced",
        "orders": args.count,
        "delivered": outcome["delivered"],
        "failed": outcome["failed"] + left,
        "error": outcome["error"],
        "elapsedMs": elapsed * 1000,
    }))


def invalid_reason(order, max_price):
    """lib/order/validate.ts's checks; None when the order is valid."""
    if order["orderId"].strip() == "":
        return "orderId is empty"
    if order["product"].strip() == "":
        return "product is empty"
    price = order["price"]
    if not math.isfinite(price):
        return "price is not a finite number"
    if price <= 0:
        return "price must be above 0"
    if price > max_price:
        return "price is above the maximum"
    return None


def decode(schema, value):
    """The order in `value`, or the reason it is not one (every byte must be read)."""
    if not value:
        return None, "record value is empty"
    stream = io.BytesIO(value)
    try:
        order = fastavro.schemaless_reader(stream, schema, None)
    except Exception as error:  # Every refusal is a dead letter, whatever its class.
        return None, f"{type(error).__name__}: {error}"
    if stream.tell() != len(value):
        return None, f"{len(value) - stream.tell()} trailing bytes"
    return order, None


class Partitions:
    """Each partition's aggregate and next offset, as our consumer keeps them."""

    def __init__(self):
        self.state = {}

    def add(self, partition, offset, cents):
        s = self.state.setdefault(partition, {"next": 0, "c": 0, "s": 0, "mn": None, "mx": None})
        s["next"] = offset + 1
        if cents is not None:
            s["c"] += 1
            s["s"] += cents
            s["mn"] = cents if s["mn"] is None else min(s["mn"], cents)
            s["mx"] = cents if s["mx"] is None else max(s["mx"], cents)

    def commits(self, topic, touched):
        out = []
        for p in touched:
            s = self.state[p]
            metadata = json.dumps({
                "v": "agg1", "next": str(s["next"]), "c": s["c"], "s": s["s"], "mn": s["mn"], "mx": s["mx"],
            }, separators=(",", ":"))
            out.append(TopicPartition(topic, p, s["next"], metadata))
        return out


def consume(args):
    schema = fastavro.parse_schema(json.loads(open(args.schema, encoding="utf-8").read()))
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    dlq = None
    partitions = Partitions()
    consumed = dead = 0
    started = time.perf_counter()
    first = None
    consumer.subscribe([args.topic])
    try:
        while consumed < args.count:
            batch = consumer.consume(num_messages=1000, timeout=1.0)
            if time.perf_counter() - started > args.timeout:
                raise RuntimeError(f"read {consumed} of {args.count} records in {args.timeout} s")
            touched = set()
            dead_letters = []
            for message in batch:
                if message.error():
                    if message.error().code() == KafkaError._PARTITION_EOF:
                        continue
                    raise RuntimeError(str(message.error()))
                if first is None:
                    first = time.perf_counter()
                consumed += 1
                order, reason = decode(schema, message.value())
                if reason is None:
                    reason = invalid_reason(order, args.max_price)
                cents = None if reason is not None else js_round(order["price"] * 100)
                if reason is not None:
                    dead_letters.append((message, reason))
                partitions.add(message.partition(), message.offset(), cents)
                touched.add(message.partition())
                if consumed >= args.count:
                    break
            if dead_letters:
                dlq = dlq or Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True})
                for message, reason in dead_letters:
                    dlq.produce(args.dlq_topic, message.value(), message.key(),
                                headers={"dlq-error-message": reason})
                if dlq.flush(30) > 0:
                    raise RuntimeError("dead letters not acknowledged")
                dead += len(dead_letters)
            if touched:
                consumer.commit(offsets=partitions.commits(args.topic, sorted(touched)), asynchronous=False)
    finally:
        consumer.close()
    ended = time.perf_counter()
    total = {"c": 0, "s": 0}
    for s in partitions.state.values():
        total["c"] += s["c"]
        total["s"] += s["s"]
    print(json.dumps({
        "event": "consumed",
        "consumed": consumed,
        "aggregated": total["c"],
        "sumCents": total["s"],
        "deadLettered": dead,
        "elapsedMs": (ended - (first or ended)) * 1000,
        "elapsedWithJoinMs": (ended - started) * 1000,
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("produce")
    p.add_argument("--catalog", required=True)
    p.add_argument("--seed", type=int, default=42)
    for q in (p, sub.add_parser("consume")):
        q.add_argument("--bootstrap", required=True)
        q.add_argument("--topic", required=True)
        q.add_argument("--count", type=int, required=True)
        q.add_argument("--schema", required=True)
    c = sub.choices["consume"]
    c.add_argument("--group", required=True)
    c.add_argument("--dlq-topic", required=True)
    c.add_argument("--max-price", type=float, default=100_000)
    c.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    produce(args) if args.command == "produce" else consume(args)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
