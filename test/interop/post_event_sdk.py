"""Sends one CloudEvent to POST /v1/events the way another team would: the official Python
`cloudevents` SDK (1.x) builds the HTTP request, `http.client` sends it as built (urllib
would add a form Content-Type to a body without one), nothing from this project.

Usage: post_event_sdk.py URL TOKEN API MODE EVENT_JSON
  API:  current (cloudevents.http.CloudEvent + cloudevents.conversion.to_binary/to_structured)
        or legacy (cloudevents.sdk.event.v1.Event + the default HTTP marshaller).
  MODE: binary (ce-* headers, body = data) or structured (body = the whole event).
  EVENT_JSON: {"type", "source", "data"}; the SDK fills id and time (legacy: we set them).
Prints one JSON line: {"status", "headers": {...sent}, "body"}.
"""
import http.client
import json
import sys
import urllib.parse
import uuid
from datetime import datetime, timezone


def current(mode, spec):
    from cloudevents.conversion import to_binary, to_structured
    from cloudevents.http import CloudEvent

    event = CloudEvent({"type": spec["type"], "source": spec["source"]}, spec["data"])
    return to_binary(event) if mode == "binary" else to_structured(event)


def legacy(mode, spec):
    from cloudevents.sdk import converters, marshaller
    from cloudevents.sdk.event import v1

    event = (
        v1.Event()
        .SetEventID(str(uuid.uuid4()))
        .SetSource(spec["source"])
        .SetEventType(spec["type"])
        .SetEventTime(datetime.now(timezone.utc).isoformat())
        .SetContentType("application/json")
        .SetData(spec["data"])
    )
    kind = converters.TypeBinary if mode == "binary" else converters.TypeStructured
    # Binary: the body is the data, so it is serialised here; structured: the marshaller
    # serialises the whole event, data included, so the data stays an object.
    data_marshaller = json.dumps if mode == "binary" else (lambda data: data)
    headers, body = marshaller.NewDefaultHTTPMarshaller().ToRequest(event, kind, data_marshaller)
    return headers, body if isinstance(body, bytes) else str(body).encode()


def main():
    url, token, api, mode, spec = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
    headers, body = (current if api == "current" else legacy)(mode, spec)
    sent = {name: str(value) for name, value in headers.items()}
    target = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=20)
    connection.request("POST", target.path, body=body, headers={**sent, "Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    status, text = response.status, response.read().decode()
    connection.close()
    print(json.dumps({"status": status, "headers": sent, "body": text}))


if __name__ == "__main__":
    main()
