# vm.mk — the VM's test, tool and fuzz targets; included by native/Makefile.
#
#   build/tests/vm/test_vm       checked-in modules (tests/vm/modules) on the runtime
#   build/tests/vm/test_verify   verifier rejection tests
#   build/jvmrun                 run a .jbc module from the command line
#   make fuzz-vm                 libFuzzer target (clang), build/fuzz/fuzz_module
#   make fuzz-vm-run FUZZ_MINUTES=N
# Both test binaries join TEST_BIN, so `make check` / `check-asan` / `check-tsan` run them.

VM_TEST_BIN := $(BUILD)/tests/vm/test_verify $(BUILD)/tests/vm/test_vm
TEST_BIN += $(VM_TEST_BIN)

all: $(BUILD)/jvmrun

$(BUILD)/obj/tests/vm/%.o: tests/vm/%.c $(HDRS) $(wildcard tests/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests -Isrc/vm $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/vm/%: $(BUILD)/obj/tests/vm/%.o $(TEST_SUP_OBJ) $(RT_OBJ) $(VM_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/jvmrun: $(BUILD)/obj/tests/vm/jvmrun.o $(RT_OBJ) $(VM_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# clang, or Debian's versioned clang-14 when no plain `clang` is on the PATH
FUZZ_CC ?= $(or $(shell command -v clang 2>/dev/null),$(shell command -v clang-14 2>/dev/null),clang)
FUZZ_MINUTES ?= 10
# every UBSan check aborts the run.
FUZZ_FLAGS = -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
             -fno-omit-frame-pointer -pthread -D_GNU_SOURCE -DJRT_BUILDING_LIBRARY \
             -DJRT_SANITIZE_ADDRESS -Iinclude -Isrc/rt -Isrc/vm

.PHONY: fuzz-vm fuzz-vm-run
fuzz-vm: build/fuzz/fuzz_module

build/fuzz/fuzz_module: fuzz/fuzz_module.c $(RT_C) $(RT_S) $(VM_C) $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ fuzz/fuzz_module.c $(RT_C) $(RT_S) $(VM_C) -lm

fuzz-vm-run: build/fuzz/fuzz_module
	@mkdir -p build/fuzz/corpus
	build/fuzz/fuzz_module -max_total_time=$$(( $(FUZZ_MINUTES) * 60 )) -timeout=10 \
	  -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 build/fuzz/corpus tests/vm/modules
