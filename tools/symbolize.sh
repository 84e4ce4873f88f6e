#!/bin/sh
# Turn the addresses of a Volt exception report into function, file and line.
#
#   tools/symbolize.sh build/volt.elf 0x1034e4 0x103579 0x103599 ...
#
# Paste the report's "symbolize:" line. The first address is the faulting
# RIP; the others are return addresses, which point just after a call, so
# they are looked up one byte earlier to name the line of the call itself.
# Addresses from volt.efi are relocated by the firmware and do not match
# volt.elf unless the load address is subtracted first.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 ELF ADDRESS..." >&2
	exit 2
fi
elf=$1
shift
if [ ! -r "$elf" ]; then
	echo "$0: cannot read $elf" >&2
	exit 2
fi

first=1
for addr in "$@"; do
	case $addr in
	0x*|0X*) ;;
	*) addr=0x$addr ;;
	esac
	lookup=$addr
	if [ $first -eq 0 ]; then
		lookup=$(printf '0x%x' $((addr - 1)))
	fi
	printf '%-18s ' "$addr"
	addr2line -e "$elf" -f -i -p -C "$lookup"
	first=0
done
