"""Publishes one CloudEvent to a Kafka topic the way another team would: the Python
`cloudevents` SDK's Kafka binding plus `kafka-python`, nothing from this project.

Usage: produce_inbound.py BROKERS TOPIC MODE EVENT_JSON
  MODE: binary (ce_* headers, value = data) or structured (value = the whole event).
  EVENT_JSON: {"type", "source", "data", optional "id", "idempotencykey"}; the SDK fills
  id, time and specversion like any producer using it would.
Prints the event id on success.
"""
import json
import sys

from cloudevents.http import CloudEvent
from cloudevents.kafka import to_binary, to_structured
from kafka import KafkaProducer


def main() -> None:
    brokers, topic, mode, spec = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    attributes = {"type": spec["type"], "source": spec["source"]}
    if mode == "binary":
        attributes["datacontenttype"] = "application/json"
    for name in ("id", "idempotencykey", "subject"):
        if name in spec:
            attributes[name] = spec[name]
    event = CloudEvent(attributes, spec["data"])
    message = to_binary(event) if mode == "binary" else to_structured(event)
    producer = KafkaProducer(bootstrap_servers=brokers.split(","))
    headers = [(name, value if isinstance(value, bytes) else str(value).encode()) for name, value in message.headers.items()]
    if mode == "structured":
        # cloudevents 1.12's to_structured writes no content-type (or the datacontenttype,
        # application/json, when one is set); the Kafka binding (3.3) needs this one.
        headers = [(n, v) for n, v in headers if n.lower() != "content-type"]
        headers.append(("content-type", b"application/cloudevents+json; charset=utf-8"))
    value = message.value if isinstance(message.value, bytes) else json.dumps(message.value).encode()
    producer.send(topic, value=value, key=message.key, headers=headers).get(timeout=20)
    producer.flush(timeout=20)
    producer.close(timeout=5)
    print(event["id"])


if __name__ == "__main__":
    main()
