#!/usr/bin/env bash
# mkiso.sh OUT.iso VOLT_ELF "CMDLINE" [FILE[:NAME] ...]
# A GRUB (BIOS) rescue ISO that boots volt.elf through Multiboot2 with its
# serial console at 115200, each FILE as a module named NAME (default: the
# file's base name). Volt finds its config and guest images by these names.
set -euo pipefail

out=$1 elf=$2 cmdline=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/boot/grub"
cp "$elf" "$work/boot/volt.elf"

modules=""
for spec in "$@"; do
	file=${spec%%:*}
	name=$(basename "$file")
	[ "$spec" != "$file" ] && name=${spec#*:}
	if [ ! -f "$file" ]; then
		echo "mkiso: $file: no such file" >&2
		exit 1
	fi
	cp "$file" "$work/boot/$name"
	modules+="  module2 /boot/$name $name"$'\n'
done

cat > "$work/boot/grub/grub.cfg" <<CFG
set timeout=0
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
menuentry "Volt" {
  multiboot2 /boot/volt.elf $cmdline
${modules}  boot
}
CFG

grub-mkrescue -o "$out" -d /usr/lib/grub/i386-pc \
	--install-modules="multiboot2 normal serial terminal boot configfile echo" \
	--locales= --fonts= --themes= "$work" >/dev/null 2>&1 || {
	echo "mkiso: grub-mkrescue failed" >&2
	exit 1
}
