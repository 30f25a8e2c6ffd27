"""
Validates every object of a rendered Helm chart (a YAML stream on stdin) offline and prints
one JSON list of problems ([] when all pass).

Core kinds: kubernetes-validate's OpenAPI schemas for the given Kubernetes version, strict
(an unknown field is a problem, as `kubectl apply --validate=strict` would say).
Custom resources (KEDA, Prometheus Operator): the JSON Schemas in ./schemas, written for
the fields of those CRDs this chart uses; a kind with neither is a problem too. A KEDA
ScaledJob's jobTargetRef is also checked as the spec of a batch/v1 Job.

usage: python validate-manifests.py <kubernetes version> < rendered.yaml
"""
import json
import os
import sys

import jsonschema
import kubernetes_validate
import yaml

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas")


def crd_schema(doc):
    group_version = str(doc.get("apiVersion", "")).replace("/", "-")
    path = os.path.join(SCHEMAS, f"{group_version}-{doc.get('kind')}.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def core_problems(doc, version):
    try:
        kubernetes_validate.validate(doc, version, strict=True)
        return []
    except kubernetes_validate.ValidationError as err:
        where = "/".join(str(p) for p in err.path)
        return [f"{where}: {err.message}"]
    except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.InvalidSchemaError) as err:
        return [f"no schema: {err}"]


def problems_of(doc, version):
    if str(doc.get("apiVersion", "")).split("/")[0].endswith((".sh", ".coreos.com")):
        schema = crd_schema(doc)
        if schema is None:
            return [f"no schema for {doc.get('apiVersion')} {doc.get('kind')} in {SCHEMAS}"]
        validator = jsonschema.Draft7Validator(schema)
        found = [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]
        if doc.get("kind") == "ScaledJob" and not found:
            job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": doc["metadata"]["name"]},
                   "spec": doc["spec"]["jobTargetRef"]}
            found = [f"spec/jobTargetRef as a Job: {p}" for p in core_problems(job, version)]
        return found
    return core_problems(doc, version)


def main():
    version = sys.argv[1]
    out = []
    count = 0
    for doc in yaml.safe_load_all(sys.stdin):
        if not doc:
            continue
        count += 1
        name = f"{doc.get('kind')}/{(doc.get('metadata') or {}).get('name')}"
        out.extend({"object": name, "problem": p} for p in problems_of(doc, version))
    json.dump({"objects": count, "problems": out}, sys.stdout)


main()
