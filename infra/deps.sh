#!/usr/bin/env bash
# Installs the Debian packages tenantry builds and runs with, when any is missing.
set -euo pipefail

packages=(
  g++ cmake ninja-build clang-format clang libclang-rt-14-dev clang-16 libclang-rt-16-dev
  pkg-config
  libboost1.81-dev libboost-url1.81-dev librdkafka-dev libpqxx-dev nlohmann-json3-dev
  libspdlog-dev libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev libsodium-dev
  libssl-dev postgresql-15 kcat wrk openjdk-17-jre-headless maven
  curl jq procps ccache openssl python3 python3-venv
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "infra: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
