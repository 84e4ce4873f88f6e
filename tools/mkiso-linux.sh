#!/usr/bin/env bash
# mkiso-linux.sh OUT.iso BZIMAGE INITRD "CMDLINE"
# A GRUB (BIOS) rescue ISO that boots a Linux kernel directly, without Volt:
# the native side of the Linux boot benchmark (make bench), booted in the
# same Bochs configuration as Volt.
set -euo pipefail

out=$1 kernel=$2 initrd=$3 cmdline=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/boot/grub"
cp "$kernel" "$work/boot/bzImage"
cp "$initrd" "$work/boot/initrd"

cat > "$work/boot/grub/grub.cfg" <<CFG
set timeout=0
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
menuentry "Linux, native" {
  linux /boot/bzImage $cmdline
  initrd /boot/initrd
  boot
}
CFG

grub-mkrescue -o "$out" -d /usr/lib/grub/i386-pc \
	--install-modules="linux normal serial terminal boot configfile echo" \
	--locales= --fonts= --themes= "$work" >/dev/null 2>&1 || {
	echo "mkiso-linux: grub-mkrescue failed" >&2
	exit 1
}
