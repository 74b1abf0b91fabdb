#!/usr/bin/env bash
# What `npm test` needs from the system, checked before any test runs
# (`npm test` and .ci/run start with this script):
#   - Chromium at /usr/bin/chromium, with its SwiftShader Vulkan driver
#     (/usr/lib/chromium/vk_swiftshader_icd.json): the browser tests, and
#     WebGPU without a GPU;
#   - the Vulkan loader, libvulkan.so.1 (Debian's libvulkan1): Dawn, the
#     WebGPU implementation the tests use in Node.
# When something is missing and this runs as root on a machine with apt-get,
# it installs it; otherwise it stops with one line that says what to install.
# Once the packages are installed (after `npm ci`), it also checks that Dawn
# finds a WebGPU adapter, so no WebGPU test can skip for want of one.
#
# LADON_SYSTEM_ROOT (for this script's own test) looks for the files under
# another root and never installs anything.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_ROOT="${LADON_SYSTEM_ROOT:-}"
CHROMIUM=/usr/bin/chromium
SWIFTSHADER_ICD=/usr/lib/chromium/vk_swiftshader_icd.json

has_vulkan_loader() {
  local candidate
  # (not /usr/lib/chromium/libvulkan.so.1: Chromium's private copy is not on the loader's path)
  for candidate in "$SYSTEM_ROOT"/usr/lib/*-linux-gnu/libvulkan.so.1 "$SYSTEM_ROOT"/lib/*-linux-gnu/libvulkan.so.1 "$SYSTEM_ROOT"/usr/lib64/libvulkan.so.1 "$SYSTEM_ROOT"/usr/lib/libvulkan.so.1; do
    [ -e "$candidate" ] && return 0
  done
  return 1
}

missing_packages() {
  local need=()
  { [ -x "$SYSTEM_ROOT$CHROMIUM" ] && [ -f "$SYSTEM_ROOT$SWIFTSHADER_ICD" ]; } || need+=(chromium)
  has_vulkan_loader || need+=(libvulkan1)
  echo "${need[*]}"
}

need="$(missing_packages)"
if [ -n "$need" ]; then
  if [ -z "$SYSTEM_ROOT" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "system requirements: installing $need (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086 # one word per package
    { apt-get update -q && apt-get install -y -q --no-install-recommends $need; } >&2
    need="$(missing_packages)"
  fi
  if [ -n "$need" ]; then
    echo "npm test needs $need (Chromium at $CHROMIUM, the Vulkan loader libvulkan.so.1): run \`sudo apt-get install $need\` (Debian/Ubuntu; see README.md, System requirements), then npm test again" >&2
    exit 1
  fi
fi

# Dawn (the webgpu package) must find an adapter: SwiftShader when there is no GPU.
if [ -d node_modules/webgpu ]; then
  export VK_ICD_FILENAMES="${VK_ICD_FILENAMES:-$SWIFTSHADER_ICD}"
  if ! reason="$(node --input-type=module -e "
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    const adapter = await create([]).requestAdapter();
    console.log(adapter ? 'ok' : 'requestAdapter() returned null');
    process.exit(adapter ? 0 : 1);
  " 2>&1)"; then
    echo "npm test needs a WebGPU adapter in Node, but Dawn found none with VK_ICD_FILENAMES=$VK_ICD_FILENAMES ($(echo "$reason" | tail -1)): reinstall chromium and libvulkan1, or point VK_ICD_FILENAMES at a working Vulkan driver" >&2
    exit 1
  fi
fi
