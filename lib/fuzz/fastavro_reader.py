"""The reference side of the differential fuzz: reads order inputs the way
the second reference system does (fastavro's schemaless_reader) and says,
one JSON line per input, whether it accepts each and what it reads.

Input on stdin: frames of a 4-byte big-endian length and that many bytes.
Output on stdout, one line per frame, in order:
  {"ok": true, "orderId": ..., "product": ..., "price": "<16 hex digits of the double>"}
  {"ok": false, "error": "<exception>: <message>", "fastavro": "reject"}
  {"ok": false, "error": "strict: ...", "fastavro": "accept"}

Strict mode adds what a reader must check and schemaless_reader does not:
every byte is consumed, and no length is a varint of more than 10 bytes
(fastavro reads longer ones with a C shift past 63 bits, which is undefined
behaviour; the Avro specification and the Java reference reject them).
"""
import io
import json
import struct
import sys

import fastavro

MAX_VARINT_BYTES = 10


def varint_size(data, pos):
    """How many bytes the varint at pos takes (the input was accepted, so it ends)."""
    start = pos
    while data[pos] & 0x80:
        pos += 1
    return pos + 1 - start


def strict_problem(data, record, consumed):
    """Why strict mode rejects what fastavro accepted, or None."""
    if consumed != len(data):
        return f"{len(data) - consumed} trailing bytes"
    pos = 0
    for field in ("orderId", "product"):
        size = varint_size(data, pos)
        if size > MAX_VARINT_BYTES:
            return f"{field} length is a {size}-byte varint"
        pos += size + len(record[field].encode("utf-8"))
    return None


def verdict(schema, data):
    stream = io.BytesIO(data)
    try:
        record = fastavro.schemaless_reader(stream, schema, None)
    except Exception as error:  # Every refusal counts, whatever its class.
        return {"ok": False, "error": f"{type(error).__name__}: {error}", "fastavro": "reject"}
    problem = strict_problem(data, record, stream.tell())
    if problem is not None:
        return {"ok": False, "error": f"strict: {problem}", "fastavro": "accept"}
    return {
        "ok": True,
        "orderId": record["orderId"],
        "product": record["product"],
        "price": struct.pack(">d", record["price"]).hex(),
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = fastavro.parse_schema(json.load(f))
    data = sys.stdin.buffer.read()
    out = []
    pos = 0
    while pos < len(data):
        (size,) = struct.unpack_from(">I", data, pos)
        pos += 4
        out.append(json.dumps(verdict(schema, data[pos:pos + size]), ensure_ascii=True))
        pos += size
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


if __name__ == "__main__":
    main()
