#!/usr/bin/env bash
# Installs the mkfs tools npm run bench:fs uses beyond ext4 (Debian's xfsprogs and btrfs-progs).
# Idempotent; prints what it did or why it could not, and exits 0 either way: bench:fs skips what is missing.
set -u
missing=()
command -v mkfs.xfs >/dev/null 2>&1 || missing+=(xfsprogs)
command -v mkfs.btrfs >/dev/null 2>&1 || missing+=(btrfs-progs)
if [ ${#missing[@]} -eq 0 ]; then echo "mkfs.xfs and mkfs.btrfs are present"; exit 0; fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "cannot install ${missing[*]}: needs root and apt-get; bench:fs will skip those file systems"
  exit 0
fi
if apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  echo "installed ${missing[*]}"
else
  echo "apt-get could not install ${missing[*]}; bench:fs will skip those file systems"
fi
exit 0
