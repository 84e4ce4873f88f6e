UNIT_TESTS += rtc_cmos
rtc_cmos_SRCS := tests/unit/test_rtc_cmos.c vmm/dev/rtc_cmos.c vmm/io_bus.c
