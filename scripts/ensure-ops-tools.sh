#!/usr/bin/env bash
# The production shape's tools from Debian: nginx (make cluster) and promtool (the alert-rule tests,
# shipped in Debian's `prometheus` package). Installs them when missing and we may (root);
# otherwise says what is missing. Installing does not start either service.
set -euo pipefail
need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v promtool >/dev/null || need+=(prometheus)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing: ${need[*]} (install with: sudo apt-get install -y ${need[*]})" >&2
  exit 1
fi
echo "installing ${need[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d answering 101: the packages' install scripts must not start nginx or prometheus here.
placed=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && placed=1
fi
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
if [ "$placed" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
