#!/bin/sh
# Installs everything ciperf needs to build, test and run its examples on Debian 12, as root.
# Safe to run again: apt-get skips what is already installed.
set -eu
packages="
  build-essential cmake ninja-build pkg-config clang-format clang-tidy
  libyaml-cpp-dev libsqlite3-dev libpq-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  catch2 libbenchmark-dev
  libcurl4-openssl-dev libexpat1-dev libpcre2-dev
  python3 python3-jsonschema python3-pytest curl nginx-light postgresql ccache openssl
  libxml2-utils chromium clang libclang-rt-14-dev nodejs
"
if [ "$(id -u)" != 0 ]; then
  echo "tools/install-deps.sh: run as root (it calls apt-get)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $packages >/dev/null
# The live OTLP tests' receiver decodes with the code protobufjs generated from
# opentelemetry-proto's .proto files, as @opentelemetry/otlp-transformer 0.57 ships it (later
# versions dropped it for a hand-written serializer). npm comes with NodeSource's nodejs; Debian
# packages it apart.
command -v npm >/dev/null || apt-get install -y -qq --no-install-recommends npm >/dev/null
node_modules=/usr/local/share/ciperf-tests
if [ ! -f "$node_modules/node_modules/@opentelemetry/otlp-transformer/build/src/generated/root.js" ]; then
  npm install --silent --no-audit --no-fund --prefix "$node_modules" @opentelemetry/otlp-transformer@0.57.2
fi
echo "tools/install-deps.sh: dependencies installed"
