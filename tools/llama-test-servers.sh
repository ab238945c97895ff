#!/usr/bin/env bash
# Builds the two real OpenAI-compatible servers that tests/integration/llama_servers.rs
# translates through, and the tiny random-weight model they serve. Nothing is downloaded but
# packages from PyPI: llama.cpp's `llama-server` is compiled from the llama.cpp sources vendored
# in the llama-cpp-python source distribution, llama-cpp-python's own server is compiled by pip
# from that same distribution, and the model is written by tools/tiny_gguf.py (random weights, no
# model is ever fetched).
#
# Everything lives outside the repository, in $SELARAS_TEST_CACHE, else
# $XDG_CACHE_HOME/selaras-test, else ~/.cache/selaras-test, keyed by the pinned versions below, so
# a second call is instant.
#
#   tools/llama-test-servers.sh build [WHAT]  build whatever is missing (slow the first time:
#                                             ~5 min per server on 2 idle cores); WHAT is
#                                             llama-server, llama-cpp-python or model (default:
#                                             all three, one after the other)
#   tools/llama-test-servers.sh paths         print KEY=VALUE lines for what is built; exit 1 when
#                                             something is missing (builds nothing)
#
# Printed keys: LLAMA_SERVER (the llama-server binary), LLAMA_CPP_PYTHON (a python with
# llama_cpp.server importable), TINY_GGUF (the model).
set -euo pipefail

LLAMA_CPP_PYTHON_VERSION=0.3.36
GGUF_VERSION=0.19.0
CMAKE_VERSION=4.4.5

here="$(cd "$(dirname "$0")" && pwd)"
cache="${SELARAS_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/selaras-test}"
root="$cache/llama-cpp-python-$LLAMA_CPP_PYTHON_VERSION"
venv="$root/venv"
sdist="$root/dl/llama_cpp_python-$LLAMA_CPP_PYTHON_VERSION.tar.gz"
server_bin="$root/bin/llama-server"
model="$root/tiny-llama-gguf-$GGUF_VERSION-$(sha256sum "$here/tiny_gguf.py" | cut -c1-12).gguf"
jobs="${SELARAS_TEST_BUILD_JOBS:-$(nproc)}"

say() { printf 'llama-test-servers: %s\n' "$*" >&2; }

paths() {
  local missing=0
  if [ -x "$server_bin" ]; then echo "LLAMA_SERVER=$server_bin"; else missing=1; fi
  if [ -f "$venv/.llama-cpp-python-ok" ]; then echo "LLAMA_CPP_PYTHON=$venv/bin/python"; else missing=1; fi
  if [ -f "$model" ]; then echo "TINY_GGUF=$model"; else missing=1; fi
  return $missing
}

ensure_venv() {
  if [ ! -x "$venv/bin/python" ]; then
    say "python venv in $venv"
    python3 -m venv "$venv"
  fi
  if [ ! -f "$venv/.tools-ok" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "gguf==$GGUF_VERSION" "cmake==$CMAKE_VERSION" ninja
    touch "$venv/.tools-ok"
  fi
}

ensure_sdist() {
  if [ ! -f "$sdist" ]; then
    say "fetching the llama-cpp-python $LLAMA_CPP_PYTHON_VERSION source distribution from PyPI"
    mkdir -p "$root/dl"
    # --no-binary for this package only: its build dependencies (scikit-build-core, cmake)
    # come as wheels, which pip needs only to read the metadata.
    "$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps \
      --no-binary llama-cpp-python "llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION" -d "$root/dl"
  fi
}

# Options shared by both builds: no web UI (and never its prebuilt download), no HTTPS or curl,
# only what the server needs.
common_cmake_flags=(
  -DCMAKE_BUILD_TYPE=Release
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF
  -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF
)

build_llama_server() {
  [ -x "$server_bin" ] && return 0
  local src="$root/src" build="$root/build-server"
  if [ ! -d "$src/vendor/llama.cpp" ]; then
    rm -rf "$src.tmp" && mkdir -p "$src.tmp"
    tar xzf "$sdist" -C "$src.tmp" --strip-components=1
    rm -rf "$src" && mv "$src.tmp" "$src"
  fi
  say "building llama-server (llama.cpp vendored in llama-cpp-python $LLAMA_CPP_PYTHON_VERSION), $jobs jobs"
  PATH="$venv/bin:$PATH" cmake -S "$src/vendor/llama.cpp" -B "$build" -G Ninja \
    "${common_cmake_flags[@]}" -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_SERVER=ON >"$root/build-server.log" 2>&1 \
    || { tail -40 "$root/build-server.log" >&2; exit 1; }
  PATH="$venv/bin:$PATH" cmake --build "$build" --target llama-server -j "$jobs" >>"$root/build-server.log" 2>&1 \
    || { tail -40 "$root/build-server.log" >&2; exit 1; }
  mkdir -p "$root/bin"
  cp "$build/bin/llama-server" "$server_bin.tmp" && mv "$server_bin.tmp" "$server_bin"
  say "built $server_bin"
}

build_llama_cpp_python() {
  [ -f "$venv/.llama-cpp-python-ok" ] && return 0
  say "building llama-cpp-python $LLAMA_CPP_PYTHON_VERSION with its server extra, $jobs jobs"
  # LLAVA_BUILD=OFF: no multimodal library, which the text-only server never loads
  CMAKE_ARGS="${common_cmake_flags[*]} -DLLAVA_BUILD=OFF" CMAKE_BUILD_PARALLEL_LEVEL="$jobs" PATH="$venv/bin:$PATH" \
    "$venv/bin/python" -m pip install --disable-pip-version-check --no-cache-dir \
    "llama-cpp-python[server] @ file://$sdist" >"$root/build-python.log" 2>&1 \
    || { tail -40 "$root/build-python.log" >&2; exit 1; }
  "$venv/bin/python" -c 'import llama_cpp.server.app' \
    && touch "$venv/.llama-cpp-python-ok"
  say "built llama-cpp-python's server in $venv"
}

write_model() {
  [ -f "$model" ] && return 0
  "$venv/bin/python" "$here/tiny_gguf.py" "$model.tmp"
  mv "$model.tmp" "$model"
  say "wrote $model"
}

case "${1:-}" in
  paths)
    paths
    ;;
  build)
    mkdir -p "$root"
    # one build at a time per cache (two at once would compile into the same folders)
    exec 9>"$root/.build-lock"
    flock 9
    ensure_venv
    case "${2:-all}" in
      llama-server) ensure_sdist; build_llama_server ;;
      llama-cpp-python) ensure_sdist; build_llama_cpp_python ;;
      model) write_model ;;
      all) ensure_sdist; build_llama_server; build_llama_cpp_python; write_model; paths ;;
      *) echo "usage: $0 build [llama-server|llama-cpp-python|model]" >&2; exit 2 ;;
    esac
    ;;
  *)
    echo "usage: $0 build|paths" >&2
    exit 2
    ;;
esac
