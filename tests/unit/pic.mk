UNIT_TESTS += pic
pic_SRCS := tests/unit/test_pic.c vmm/dev/pic.c vmm/io_bus.c
