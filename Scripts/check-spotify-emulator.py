#!/usr/bin/env python3
"""Checks the test emulator's answers against Spotify's OpenAPI description of the Web API.

Runs the Spotify tests with SPOTIFY_EMULATOR_RECORD set (the emulator then appends every answer to a
JSON-lines file), or reads such a file given with --records, and validates each Web API answer's body
against the response schema the spec gives for its operation and status.

    python3 Scripts/check-spotify-emulator.py [--spec $MOOSIC_DEV_DATA/../spotify/openapi.yml] [--records FILE]

Needs PyYAML and openapi-schema-validator, pinned in Scripts/requirements-check-spotify-emulator.txt: install
them into a virtualenv (that file says how), not into a system interpreter. Exit 1 when an answer does not fit the spec.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml
from openapi_schema_validator import OAS30Validator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def operations(spec):
    """(regex, template) for every path of the spec."""
    result = []
    for template in spec["paths"]:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        result.append((re.compile(pattern), template))
    # Literal paths before templated ones (/me/playlists before /users/{id}/playlists and the like).
    result.sort(key=lambda item: item[1].count("{"))
    return result


def follow(spec, ref):
    node = spec
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def leaf_errors(error):
    """The innermost errors; for a oneOf on `type` (track or episode), those of the branch named by it."""
    if not error.context:
        return [error]
    branches = collections.defaultdict(list)
    for sub in error.context:
        branches[sub.relative_schema_path[0]].append(sub)
    kind = error.instance.get("type") if isinstance(error.instance, dict) else None
    options = error.validator_value if isinstance(error.validator_value, list) else []
    for index, option in enumerate(options):
        if kind and isinstance(option, dict) and option.get("$ref", "").lower().endswith(kind + "object"):
            return [leaf for sub in branches.get(index, []) for leaf in leaf_errors(sub)] or [error]
    return [leaf for sub in error.context for leaf in leaf_errors(sub)]


def strip_discriminators(node):
    if isinstance(node, dict):
        node.pop("discriminator", None)
        for value in node.values():
            strip_discriminators(value)
    elif isinstance(node, list):
        for value in node:
            strip_discriminators(value)


def describe(error):
    where = re.sub(r"/\d+", "/*", "/" + "/".join(map(str, error.absolute_path)))
    message = error.message if len(error.message) < 120 else f"{error.validator} {error.validator_value!r}"[:120]
    return f"{where}: {message}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default=os.path.join(os.environ.get("MOOSIC_DEV_DATA", os.path.join(ROOT, "..", "shared", "data")), "..", "spotify", "openapi.yml"))
    parser.add_argument("--records")
    args = parser.parse_args()

    records_path = args.records
    if records_path is None:
        records_path = tempfile.mktemp(suffix=".jsonl")
        env = dict(os.environ, SPOTIFY_EMULATOR_RECORD=records_path)
        subprocess.run(["swift", "test", "--skip-build", "--filter",
                        "SpotifyAuthTests|LibrarySyncTests|PlaylistWriterTests|SpotifyCLITests|HistoryCoverCLITests"],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    with open(args.spec) as handle:
        spec = yaml.safe_load(handle)
    # The spec's discriminators name no mapping, and the validator then looks for a schema named after
    # the value ("#/components/schemas/track"): check them as the plain oneOf they are instead.
    strip_discriminators(spec)
    paths = operations(spec)
    checked = collections.Counter()
    skipped = collections.Counter()
    failures = []
    with open(records_path) as handle:
        for line in handle:
            record = json.loads(line)
            path = record["path"]
            if not path.startswith("/v1/"):
                skipped["accounts service (not in the Web API spec)"] += 1
                continue
            path = path[len("/v1"):]
            template = next((t for regex, t in paths if regex.match(path)), None)
            operation = spec["paths"].get(template, {}).get(record["method"].lower()) if template else None
            key = f'{record["method"]} {template or path} → {record["status"]}'
            if operation is None:
                failures.append(f"{key}: no such operation in the spec")
                continue
            response = operation["responses"].get(str(record["status"]))
            if response is None:
                failures.append(f"{key}: status not described by the spec")
                continue
            if "$ref" in response:
                response = follow(spec, response["$ref"])
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if schema is None:
                skipped[f"{key} (no body schema in the spec)"] += 1
                continue
            # Validate with the spec's components at the root, so that "#/components/…" resolves.
            root = dict(schema, components=spec["components"])
            errors = sorted(OAS30Validator(root).iter_errors(record["body"]), key=lambda e: list(e.path))
            checked[key] += 1
            for detail in sorted({describe(leaf) for error in errors for leaf in leaf_errors(error)}):
                failures.append(f"{key}: {detail}")

    for key, count in sorted(checked.items()):
        print(f"checked {count:4d}  {key}")
    for key, count in sorted(skipped.items()):
        print(f"skipped {count:4d}  {key}")
    print(f"{sum(checked.values())} answers checked against {os.path.basename(args.spec)}, "
          f"{sum(skipped.values())} skipped, {len(failures)} problems")
    for failure, count in collections.Counter(failures).most_common(40):
        print(f"  {count:4d}× {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
