#!/usr/bin/env bash
# Installs the Debian 12 packages plc builds with, only when one is missing.
# Offline-friendly: apt-get talks to the configured Debian mirror only.
set -euo pipefail

packages=(
  bazel-bootstrap bazel-rules-java
  erlang-nox erlang-dev erlang-eunit erlang-common-test erlang-tools erlang-dialyzer rebar3
  libboost-fiber-dev libboost-context-dev libconcurrentqueue-dev
  catch2 libbenchmark-dev libpugixml-dev
  clang libclang-rt-14-dev clang-format-14 valgrind make g++
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq || true
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
