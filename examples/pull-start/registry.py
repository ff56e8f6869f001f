#!/usr/bin/env python3
"""The pull-start example's "registry": an image of three layers, made once under STATE/registry.

Each layer is a tar blob named by its sha256, as in a registry; the manifest lists them base
first. The blobs are random bytes (incompressible, like the binaries of a real image), so a pull
costs what moving and checking that many bytes costs. Making them is a one-off: later calls
find the manifest and return at once.
    python3 registry.py STATE
"""
import hashlib
import io
import json
import os
import sys
import tarfile

# (layer, files in it with their sizes in MiB): a distro base, a runtime, the app on top.
LAYERS = [
    ("base", [("usr/lib/libbase.so", 40)]),
    ("runtime", [("usr/lib/libruntime.so", 24)]),
    ("app", [("srv/index.html", 0), ("srv/health", 0)]),
]
APP_FILES = {
    "srv/index.html": b"<h1>pull-start</h1>\n",
    "srv/health": b"ok\n",
}


def layer_blob(files):
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for path, mib in files:
            data = APP_FILES.get(path) or os.urandom(mib << 20)
            info = tarfile.TarInfo(path)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def make(registry):
    blobs = os.path.join(registry, "blobs")
    os.makedirs(blobs, exist_ok=True)
    manifest = []
    for name, files in LAYERS:
        blob = layer_blob(files)
        digest = hashlib.sha256(blob).hexdigest()
        with open(os.path.join(blobs, digest), "wb") as f:
            f.write(blob)
        manifest.append({"layer": name, "digest": digest, "size": len(blob)})
    # The digests alone, base first, for start.sh to stack the layers without parsing JSON.
    with open(os.path.join(registry, "layers"), "w") as f:
        f.writelines(layer["digest"] + "\n" for layer in manifest)
    # The manifest last, by rename: its presence means every blob is complete.
    tmp = os.path.join(registry, "manifest.json.tmp")
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=1)
    os.rename(tmp, os.path.join(registry, "manifest.json"))


def ensure(state):
    registry = os.path.join(state, "registry")
    if not os.path.exists(os.path.join(registry, "manifest.json")):
        make(registry)
        print(f"registry made under {registry} (once)")
    return registry


if __name__ == "__main__":
    ensure(sys.argv[1])
