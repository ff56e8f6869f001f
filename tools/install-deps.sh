#!/bin/sh
# Installs everything ciperf needs to build, test and run its examples on Debian 12, as root.
# Safe to run again: apt-get skips what is already installed.
set -eu
packages="
  build-essential cmake ninja-build pkg-config clang-format clang-tidy
  libyaml-cpp-dev libsqlite3-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  catch2 libbenchmark-dev
  libcurl4-openssl-dev libexpat1-dev libpcre2-dev
  python3 python3-jsonschema python3-pytest curl nginx-light postgresql ccache openssl
  libxml2-utils chromium clang libclang-rt-14-dev
"
if [ "$(id -u)" != 0 ]; then
  echo "tools/install-deps.sh: run as root (it calls apt-get)" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $packages >/dev/null
echo "tools/install-deps.sh: dependencies installed"
