#!/usr/bin/env bash
# Install the Debian packages Volt needs to build, run and test.
# As root: apt-get installs what is missing. Otherwise: print the command.
set -euo pipefail

PACKAGES=(
	gcc make nasm binutils python3 clang
	libcmocka-dev
	gnu-efi mtools
	grub-pc-bin grub-efi-amd64-bin grub-common xorriso
	bochs bochsbios vgabios bochs-term
	qemu-system-x86 ovmf
	cpio busybox-static
	bc bison flex libelf-dev libssl-dev linux-source-6.1
)

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "Volt needs these Debian packages: ${missing[*]}" >&2
	echo "Install them with:" >&2
	echo "  sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
