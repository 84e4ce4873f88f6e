#!/usr/bin/env bash
# linux-stock.sh OUT
#	Debian's stock kernel, unmodified, as OUT: the linux-image-6.1.*-amd64
#	package that linux-image-amd64 currently depends on is fetched with
#	`apt-get download`, unpacked with `dpkg-deb -x`, and its
#	boot/vmlinuz-* copied. Cached in $VOLT_CACHE (default ~/.cache/volt)
#	as linux-stock-<package>-<version>/, holding the package's boot/
#	(vmlinuz, config, System.map) and bzImage; built in a temporary
#	directory and renamed into place. To pick up a newer stock kernel
#	after `apt-get update`, delete OUT.
set -eu -o pipefail

cache=${VOLT_CACHE:-$HOME/.cache/volt}

say() { echo "linux-stock: $*" >&2; }
die() { say "error: $*"; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUT"
out=$1

pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	awk '$1 == "Depends:" && $2 ~ /^linux-image-6\.1\..*-amd64$/ { print $2; exit }')
[ -n "$pkg" ] || die "apt knows no linux-image-6.1.*-amd64 for linux-image-amd64 (run apt-get update)"
version=$(apt-cache show --no-all-versions "$pkg" | awk '$1 == "Version:" { print $2; exit }')
[ -n "$version" ] || die "no version of $pkg (run apt-get update)"
dir=$cache/linux-stock-$pkg-$version

if [ -f "$dir/bzImage" ]; then
	say "cached: $dir"
else
	mkdir -p "$cache"
	work=$(mktemp -d "$cache/tmp.linux-stock.XXXXXX")
	# As root, apt downloads as its sandbox user _apt, which must be able
	# to write the directory (it cannot reach one under ~root).
	debs=$(mktemp -d)
	if [ "$(id -u)" -eq 0 ] && id _apt > /dev/null 2>&1; then
		chown _apt "$debs"
	fi
	trap 'rm -rf "$work" "$debs"' EXIT
	say "downloading $pkg $version"
	(cd "$debs" && apt-get download -q "$pkg=$version") >&2
	say "unpacking $(basename "$debs"/*.deb) into $dir"
	dpkg-deb -x "$debs"/*.deb "$work/root"
	mv "$work/root/boot" "$work/boot"
	rm -rf "$work/root"	# modules and firmware: not needed
	set -- "$work"/boot/vmlinuz-*
	if [ $# -ne 1 ] || [ ! -f "$1" ]; then
		die "$pkg has no single boot/vmlinuz-*"
	fi
	cp "$1" "$work/bzImage"
	if ! mv -T "$work" "$dir" 2>/dev/null; then
		say "another run cached $dir first: using it"
	fi
fi

mkdir -p "$(dirname "$out")"
cp "$dir/bzImage" "$out.tmp"
mv "$out.tmp" "$out"
say "$out: $(stat -c %s "$out") bytes ($pkg $version)"
