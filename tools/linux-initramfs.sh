#!/usr/bin/env bash
# linux-initramfs.sh OUT INIT_C LIST
#	The initramfs of the Linux test guests (OUT, a gzipped newc cpio):
#	INIT_C compiled as a static binary against the kernel source's nolibc,
#	packed with the kernel's usr/gen_init_cpio following LIST, where
#	${VOLT_INIT} names the compiled init. Both tools come from the
#	linux-source-6.1 tree that tools/linux-small.sh unpacks in
#	$VOLT_CACHE; the intermediate files go to OUT's directory, linux-init/.
#	Timestamps are fixed and gzip gets -n: the same inputs give the same
#	bytes.
set -eu -o pipefail

say() { echo "linux-initramfs: $*" >&2; }
die() { say "error: $*"; exit 1; }

[ $# -eq 3 ] || die "usage: $0 OUT INIT_C LIST"
out=$1 init_c=$2 list=$3
[ -f "$init_c" ] || die "$init_c: no such file"
[ -f "$list" ] || die "$list: no such file"

src=$("$(dirname "$0")/linux-small.sh" --source-dir)
work=$(dirname "$out")/linux-init
mkdir -p "$work"

say "compiling $init_c against $src/tools/include/nolibc"
# -fno-pie/-no-pie: nothing relocates a static PIE without a C library.
gcc -std=gnu11 -Os -Wall -Wextra -Werror -nostdlib -static -fno-pie -no-pie \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-ident -s \
	-include "$src/tools/include/nolibc/nolibc.h" \
	-o "$work/init.tmp" "$init_c" -lgcc
mv "$work/init.tmp" "$work/init"

say "compiling gen_init_cpio from $src/usr"
gcc -O2 -o "$work/gen_init_cpio.tmp" "$src/usr/gen_init_cpio.c"
mv "$work/gen_init_cpio.tmp" "$work/gen_init_cpio"

# gen_init_cpio stamps regular files with their mtime, the rest with -t.
touch -d @0 "$work/init"
say "packing $list into $out ($(stat -c %s "$work/init") byte init)"
VOLT_INIT=$(realpath "$work/init") "$work/gen_init_cpio" -t 0 "$list" |
	gzip -9 -n > "$out.tmp"
mv "$out.tmp" "$out"
say "$out: $(stat -c %s "$out") bytes"
