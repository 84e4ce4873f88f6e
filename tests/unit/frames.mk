UNIT_TESTS += frames
frames_SRCS := tests/unit/test_frames.c lib/frames.c lib/memmap.c lib/format.c
