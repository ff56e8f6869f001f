#!/bin/sh
# `docker run -d` for the pull-start example: a container's root made from the cached layers
# (hard links, as an overlay mount costs next to nothing) and its service started in a session
# of its own, so it outlives this phase; its pid goes to STATE/container/pid for teardown.
#   sh start.sh STATE PORT PYTHON
set -eu
state=$1 port=$2 python=$3
root=$state/container/rootfs
rm -rf "$state/container"
mkdir -p "$root"
while read -r digest; do
  layer=$state/cache/layers/$digest
  [ -d "$layer" ] || { echo "layer $digest is not pulled" >&2; exit 1; }
  cp -al "$layer/." "$root/"
done < "$state/registry/layers"
setsid "$python" -m http.server --bind 127.0.0.1 --directory "$root/srv" "$port" \
  > "$state/container/service.log" 2>&1 < /dev/null &
echo $! > "$state/container/pid"
