#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (never a downloaded build) and need CJK fonts to render
# Chinese (and an emoji font for the pages' icons). Installs both when missing and we may (root); otherwise says what is missing.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# (grep without -q: with pipefail an early exit would SIGPIPE fc-list and look like "missing")
fc-list 2>/dev/null | grep -i "noto.*cjk" >/dev/null || need+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -i "color emoji" >/dev/null || need+=(fonts-noto-color-emoji)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing: ${need[*]} (install with: sudo apt-get install -y ${need[*]})" >&2
  exit 1
fi
echo "installing ${need[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
