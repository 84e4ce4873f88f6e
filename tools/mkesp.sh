#!/usr/bin/env bash
# mkesp.sh OUT.img VOLT_EFI [FILE[:NAME] ...]
# A FAT EFI system partition image: EFI/BOOT/BOOTX64.EFI is Volt, each FILE
# goes to the root as NAME (default: its base name). Boots in OVMF and, once
# written to a USB stick, on real UEFI machines.
set -euo pipefail

out=$1 efi=$2
shift 2

# Size: the files plus 8 MiB of slack, at least 34 MiB (FAT32's minimum).
bytes=$(stat -c %s "$efi")
for spec in "$@"; do
	file=${spec%%:*}
	[ -f "$file" ] || { echo "mkesp: $file: no such file" >&2; exit 1; }
	bytes=$((bytes + $(stat -c %s "$file")))
done
mib=$((bytes / 1048576 + 8))
[ $mib -lt 34 ] && mib=34

rm -f "$out"
dd if=/dev/zero of="$out" bs=1M count=$mib status=none
mformat -i "$out" -F -v VOLT ::
mmd -i "$out" ::/EFI ::/EFI/BOOT
mcopy -i "$out" "$efi" ::/EFI/BOOT/BOOTX64.EFI
for spec in "$@"; do
	file=${spec%%:*}
	name=$(basename "$file")
	[ "$spec" != "$file" ] && name=${spec#*:}
	mcopy -i "$out" "$file" "::/$name"
done
