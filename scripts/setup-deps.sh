#!/usr/bin/env bash
# Installs, with apt-get, the Debian packages wbtool builds against.
# Idempotent and non-interactive: packages already present are left alone, and
# apt-get runs only when something is missing, so a second run costs a second.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  # The linker that lays out wbtool's code in the order of a run
  # (cmd/CMakeLists.txt).
  lld
  libcli11-dev libfmt-dev libtomlplusplus-dev libseccomp-dev
  libcurl4-openssl-dev libsqlitecpp-dev libsqlite3-dev catch2 libminizip-dev
  nlohmann-json3-dev libcpp-httplib-dev libmicrohttpd-dev libsodium-dev libpng-dev
  # Kattis problem packages: problem.yaml.
  libyaml-dev
  # OpenCL MPs: the headers, the ICD loader to link, and PoCL, a CPU device
  # that runs them on any machine.
  ocl-icd-opencl-dev opencl-c-headers pocl-opencl-icd
  # For the tests: man pages rendered without a warning, completion
  # scripts run in the shells they are for.
  groff-base zsh fish
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "setup-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup-deps: installing ${missing[*]}"
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
