#!/usr/bin/env bash
# Installs nginx (the Debian package) for the handshake benchmark's reference server, when it is missing.
# The package's own service is not started: the benchmark runs nginx itself with a generated config.
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-nginx: nginx is missing; run 'apt-get install nginx' as root, or run this script as root" >&2
  exit 1
fi
echo "install-nginx: installing nginx from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d 101: do not start the packaged service while installing (we run our own instance)
had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
if [ $had_policy = 0 ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi
trap '[ $had_policy = 0 ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends nginx >/dev/null
/usr/sbin/nginx -v
