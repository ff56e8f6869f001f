#!/usr/bin/env python3
"""`docker pull` for the pull-start example: every layer missing from STATE/cache is fetched from
the registry over a link of LINK_MBIT megabits per second, checked against its digest and
unpacked; a layer already in the cache costs nothing, as with Docker's "Already exists".
    python3 pull.py STATE
Appends `layers_pulled` and `pulled_bytes` to $CIPERF_METRICS.
"""
import hashlib
import json
import os
import shutil
import sys
import tarfile
import time

import registry

CHUNK = 1 << 20


def download(blob_path, into, link_bytes_per_s):
    """Copies the blob at most at the link's rate (a pull is bound by its network) and returns
    the sha256 of what arrived."""
    digest = hashlib.sha256()
    start = time.monotonic()
    done = 0
    with open(blob_path, "rb") as src, open(into, "wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            done += len(chunk)
            time.sleep(max(0.0, start + done / link_bytes_per_s - time.monotonic()))
    return digest.hexdigest()


def pull_layer(layer, blobs, layers, link_bytes_per_s):
    # Downloaded and unpacked beside its place, then renamed: an interrupted pull leaves no half
    # layer in the cache.
    target = os.path.join(layers, layer["digest"])
    partial = target + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    download_path = target + ".download"
    got = download(os.path.join(blobs, layer["digest"]), download_path, link_bytes_per_s)
    if got != layer["digest"]:
        sys.exit(f"{layer['layer']}: digest mismatch: got {got}")
    with tarfile.open(download_path) as tar:
        tar.extractall(partial)
    os.remove(download_path)
    os.rename(partial, target)
    return layer["size"]


def main(state):
    blobs = os.path.join(registry.ensure(state), "blobs")
    with open(os.path.join(state, "registry", "manifest.json")) as f:
        manifest = json.load(f)
    layers = os.path.join(state, "cache", "layers")
    os.makedirs(layers, exist_ok=True)
    link_bytes_per_s = float(os.environ.get("LINK_MBIT", "1000")) * 1e6 / 8
    pulled = pulled_bytes = 0
    for layer in manifest:
        if os.path.isdir(os.path.join(layers, layer["digest"])):
            print(f"{layer['digest'][:12]}: Already exists ({layer['layer']})")
            continue
        pulled_bytes += pull_layer(layer, blobs, layers, link_bytes_per_s)
        pulled += 1
        print(f"{layer['digest'][:12]}: Pull complete ({layer['layer']}, {layer['size']} bytes)")
    metrics = os.environ.get("CIPERF_METRICS")
    if metrics:
        with open(metrics, "a") as f:
            f.write(f"layers_pulled {pulled}\npulled_bytes {pulled_bytes} bytes\n")


if __name__ == "__main__":
    main(sys.argv[1])
