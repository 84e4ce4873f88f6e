#!/usr/bin/env bash
# run-qemu.sh ESP.img: boot volt.efi in QEMU + OVMF, serial on this terminal.
# With /dev/kvm and a VT-x host: KVM with nested VT-x; otherwise TCG (no VT-x,
# so Volt reports that and stops).
set -euo pipefail
accel=(-accel tcg -cpu max)
if [ -w /dev/kvm ] && grep -qw vmx /proc/cpuinfo; then
	accel=(-accel kvm -cpu host,+vmx)
fi
exec qemu-system-x86_64 -nodefaults -machine q35 "${accel[@]}" -m 1G -smp 2 \
	-bios /usr/share/ovmf/OVMF.fd \
	-drive if=virtio,format=raw,file="$1",snapshot=on \
	-net none -display none -serial stdio -monitor none -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=4
