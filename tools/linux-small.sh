#!/usr/bin/env bash
# linux-small.sh OUT FRAGMENT
#	Build the small Linux guest kernel (a bzImage) from Debian's
#	linux-source-6.1: `tinyconfig` for x86_64, then FRAGMENT merged with
#	scripts/kconfig/merge_config.sh, then `make bzImage`. Every option
#	FRAGMENT sets (or sets off) is checked in the final .config: Kconfig
#	silently drops an option whose dependencies are missing.
# linux-small.sh --source-dir
#	Unpack the kernel source (once) and print where it is; the initramfs
#	build takes nolibc and gen_init_cpio from it.
#
# Everything slow is cached outside the tree, in $VOLT_CACHE (default
# ~/.cache/volt): linux-source-<version>/ is the pristine source, and
# linux-small-<key>/ the build tree, build.log, config and bzImage, where
# <key> is the sha256 of FRAGMENT and the package version. Both are built in
# a temporary directory and renamed into place, so an interrupted build
# leaves nothing behind that a later run could mistake for a result.
# Recipe and pitfalls: shared/EMULATORS.md, "Linux guests".
set -eu -o pipefail

cache=${VOLT_CACHE:-$HOME/.cache/volt}
jobs=${LINUX_JOBS:-$(nproc)}
tarball=/usr/src/linux-source-6.1.tar.xz

say() { echo "linux-small: $*" >&2; }
die() { say "error: $*"; exit 1; }

# The kernel's make must not see the outer make's flags (jobserver fds,
# command-line variables such as CC=).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

source_version() {
	dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null ||
		die "linux-source-6.1 is not installed (make deps)"
}

# Print the unpacked source directory, unpacking it first if needed. The
# lock keeps two parallel builds from unpacking the same tree twice.
source_dir() {
	local version dir tmp
	version=$(source_version)
	[ -f "$tarball" ] || die "$tarball missing (reinstall linux-source-6.1)"
	dir=$cache/linux-source-$version
	mkdir -p "$cache"
	exec 9>"$cache/.linux-source.lock"
	flock 9
	if [ ! -d "$dir" ]; then
		say "unpacking $tarball ($version) into $dir"
		tmp=$(mktemp -d "$cache/tmp.linux-source.XXXXXX")
		if ! tar -xf "$tarball" -C "$tmp"; then
			rm -rf "$tmp"
			die "could not unpack $tarball"
		fi
		mv -T "$tmp/linux-source-6.1" "$dir"
		rm -rf "$tmp"
	fi
	exec 9>&-
	echo "$dir"
}

# Every `CONFIG_X=v` line of the fragment must be in .config as is, and no
# `# CONFIG_X is not set` option may be on. Report all misses, then fail.
check_config() {
	local frag=$1 config=$2 bad=0 line sym
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			if ! grep -qxF -- "$line" "$config"; then
				sym=${line%%=*}
				say "missing $line (got: $(grep -E "^(# )?${sym}[= ]" "$config" || echo 'absent'))"
				bad=1
			fi
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			if grep -qE "^$sym=" "$config"; then
				say "should be off: $(grep -E "^$sym=" "$config")"
				bad=1
			fi
			;;
		esac
	done < "$frag"
	[ $bad -eq 0 ] || die "the merged .config lacks options of $frag: add their dependencies to it"
}

# Configure and build in $1 (an empty directory); log to $1/build.log.
build_kernel() {
	local work=$1 frag=$2 src=$3 log=$1/build.log
	local kmake=(make -C "$src" O="$work/build" ARCH=x86_64
		KBUILD_BUILD_USER=volt KBUILD_BUILD_HOST=volt)
	say "configuring: tinyconfig + $frag (log: $log)"
	"${kmake[@]}" tinyconfig >> "$log" 2>&1
	(cd "$src" && ARCH=x86_64 scripts/kconfig/merge_config.sh \
		-O "$work/build" "$work/build/.config" "$frag") >> "$log" 2>&1
	say "checking .config against $frag"
	check_config "$frag" "$work/build/.config"
	say "building bzImage with -j$jobs (several minutes)"
	"${kmake[@]}" -j"$jobs" bzImage >> "$log" 2>&1
	cp "$work/build/.config" "$work/config"
	cp "$work/build/arch/x86/boot/bzImage" "$work/bzImage"
}

# EXIT trap of a build: on failure or interruption keep the log, print its
# tail and drop the tree. work and dir are globals set by small_kernel.
on_exit() {
	local status=$1
	[ "$status" -ne 0 ] || return 0
	cp "$work/build.log" "$dir.failed.log" 2>/dev/null || true
	tail -n 40 "$work/build.log" >&2 2>/dev/null || true
	say "FAILED (status $status); log kept in $dir.failed.log"
	rm -rf "$work"
}

small_kernel() {
	local out=$1 frag version src key
	frag=$(realpath "$2")
	[ -f "$frag" ] || die "$2: no such fragment"
	version=$(source_version)
	src=$(source_dir)
	key=$({ cat "$frag"; echo "linux-source-6.1 $version"; } |
		sha256sum | cut -c1-16)
	dir=$cache/linux-small-$key
	if [ -f "$dir/bzImage" ]; then
		say "cached: $dir (linux-source $version)"
	else
		work=$(mktemp -d "$cache/tmp.linux-small-$key.XXXXXX")
		trap 'on_exit $?' EXIT
		trap 'exit 130' INT TERM HUP
		build_kernel "$work" "$frag" "$src"
		rm -f "$dir.failed.log"
		if ! mv -T "$work" "$dir" 2>/dev/null; then
			# Another build finished the same key first: keep its.
			rm -rf "$work"
		fi
		trap - EXIT INT TERM HUP
		say "built $dir (linux-source $version)"
	fi
	mkdir -p "$(dirname "$out")"
	cp "$dir/bzImage" "$out.tmp"
	mv "$out.tmp" "$out"
	say "$out: $(stat -c %s "$out") bytes"
}

case ${1:-} in
--source-dir) source_dir ;;
"" | -*) die "usage: $0 OUT FRAGMENT | --source-dir" ;;
*) [ $# -eq 2 ] || die "usage: $0 OUT FRAGMENT | --source-dir"
   small_kernel "$1" "$2" ;;
esac
