# make bench: run the benchmark guests and write docs/benchmarks.md.
.PHONY: bench
bench: $(BUILD)/volt.elf $$(GUEST_TEST_BINS) bench-sim bench-idle | $(DEPS_STAMP)
	tests/system/run.py -j2 --keep --build $(BUILD) --list tests/bench/bench.cfg
	tools/bench_report.py $(BUILD) > docs/benchmarks.md
	tools/pm_bench_report.py $(BUILD) > docs/pm-bench.md
	@cat docs/benchmarks.md
