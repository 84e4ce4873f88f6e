# Linux guest images (guests/linux/README.md), from Debian packages only:
#
#   make linux-images [VOLT_CACHE=dir] [LINUX_JOBS=n]
#
#   $(BUILD)/guests/linux-small.bzImage     tinyconfig + guests/linux/small.config
#   $(BUILD)/guests/linux-stock.bzImage     Debian's linux-image-6.1.*-amd64
#   $(BUILD)/guests/linux-initramfs.cpio.gz guests/linux/init/init.c as /init
#
# The kernel source, build tree and downloaded kernel are cached outside the
# tree in $(VOLT_CACHE), keyed by the fragment and package versions, so a
# fresh clone on the same machine copies the images instead of rebuilding.

VOLT_CACHE ?= $(HOME)/.cache/volt
LINUX_JOBS ?= $(shell nproc)

# A new linux-source-6.1 package replaces the tarball: rebuild (new key).
LINUX_SOURCE_TAR := $(wildcard /usr/src/linux-source-6.1.tar.xz)
LINUX_ENV := VOLT_CACHE='$(VOLT_CACHE)' LINUX_JOBS='$(LINUX_JOBS)'

LINUX_IMAGES := $(BUILD)/guests/linux-small.bzImage \
	$(BUILD)/guests/linux-stock.bzImage \
	$(BUILD)/guests/linux-initramfs.cpio.gz

.PHONY: linux-images
linux-images: $(LINUX_IMAGES)

$(BUILD)/guests/linux-small.bzImage: guests/linux/small.config \
		tools/linux-small.sh $(LINUX_SOURCE_TAR) | $(DEPS_STAMP)
	$(LINUX_ENV) tools/linux-small.sh $@ guests/linux/small.config

# Stays on the package version it first fetched: delete it to update.
$(BUILD)/guests/linux-stock.bzImage: tools/linux-stock.sh | $(DEPS_STAMP)
	$(LINUX_ENV) tools/linux-stock.sh $@

$(BUILD)/guests/linux-initramfs.cpio.gz: guests/linux/init/init.c \
		guests/linux/initramfs.list tools/linux-initramfs.sh \
		tools/linux-small.sh $(LINUX_SOURCE_TAR) | $(DEPS_STAMP)
	$(LINUX_ENV) tools/linux-initramfs.sh $@ guests/linux/init/init.c \
		guests/linux/initramfs.list
