#!/usr/bin/env bash
# Builds a local JRE 21 base image from Debian packages, for machines that cannot reach an image
# registry (CI here). Real users do not need it: the Dockerfile's default base image is public.
#   scripts/build-base-image.sh [IMAGE]     (default partisan-kv/jre21-base:local)
# Needs root, debootstrap and a running Docker daemon. Idempotent: an existing image is kept.
set -euo pipefail
image="${1:-partisan-kv/jre21-base:local}"
suite="${DEBIAN_SUITE:-trixie}"          # Debian 13 ships openjdk-21
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image already present"
  exit 0
fi
command -v debootstrap >/dev/null || {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}
root="$(mktemp -d /tmp/partisan-base.XXXXXX)"
trap 'rm -rf "$root"' EXIT
echo "debootstrap $suite into $root (about a minute)"
# iptables and iproute2: the fault tests partition nodes from inside their containers.
debootstrap --variant=minbase \
  --include=openjdk-21-jre-headless,iptables,iproute2,ca-certificates,curl,procps \
  "$suite" "$root" "$mirror" >/dev/null
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
java_home="$(cd "$root" && ls -d usr/lib/jvm/java-21-openjdk-* | head -1)"
tar -C "$root" -c . | docker import \
  -c "ENV JAVA_HOME=/$java_home" \
  -c "ENV PATH=/$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  -c "ENV LANG=C.UTF-8" \
  - "$image" >/dev/null
echo "built $image"
