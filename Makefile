# mcunet: the two commands a user needs are `make demo` and `make test`.
# Both install missing Debian packages first (scripts/install_deps.sh).
JOBS ?= 2
BUILD ?= build
BUILD_SAN ?= build-sanitize
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 60
DEMO_MODEL ?= models/tflm_person_detect.tflite
DEMO_INPUT ?= tests/golden/tflm_person_detect/case1/input0.bin
DEMO_GOLDEN ?= tests/golden/tflm_person_detect/case1/output0.bin

.PHONY: all deps build demo test test-quick test-sanitize fuzz bench bench-nas clean

all: build

deps:
	@./scripts/install_deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

# 1. The main job on the embedded default: Fashion-MNIST and a small device in;
#    the most accurate int8 network that fits, its .tflite and firmware checked
#    under QEMU out (budget `demo`: minutes; run again, it resumes from the folder).
# 2. The engine alone on a model of your own: analyze person detection, run it.
DEMO_DEVICE ?= stm32l432
DEMO_OUT ?= $(BUILD)/demo
demo: build
	@echo "== 1/2: mcunet search: Fashion-MNIST on a $(DEMO_DEVICE) -> $(DEMO_OUT)/search"
	$(BUILD)/mcunet search --dataset fashion-mnist --device $(DEMO_DEVICE) --budget demo \
	  --no-baselines --out $(DEMO_OUT)/search
	@echo "== 2/2: the engine alone: $(DEMO_MODEL)"
	$(BUILD)/mcunet analyze $(DEMO_MODEL)
	$(BUILD)/mcunet run $(DEMO_MODEL) --input $(DEMO_INPUT) --output $(DEMO_OUT)/output.bin
	@echo "output (int8 scores, classes: no person, person):"; od -An -t d1 $(DEMO_OUT)/output.bin
	@if cmp -s $(DEMO_OUT)/output.bin $(DEMO_GOLDEN); then echo "bit-exact with TF Lite Micro's output ($(DEMO_GOLDEN))"; \
	  else echo "differs from TF Lite Micro's output ($(DEMO_GOLDEN))"; exit 1; fi

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

test-quick: build
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS) -L quick

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (clang).
$(BUILD_SAN)/CMakeCache.txt:
	CC=clang CXX=clang++ cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug \
	  -DMCUNET_SANITIZE=ON -DMCUNET_WITH_TORCH=OFF

# The libFuzzer target (reader, preparation, one invocation) in a build of its own: its
# libraries carry coverage counters, which the sanitizer suite need not pay for.
$(BUILD_FUZZ)/CMakeCache.txt:
	CC=clang CXX=clang++ cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=Debug \
	  -DMCUNET_FUZZ=ON -DMCUNET_WITH_TORCH=OFF -DMCUNET_BUILD_TESTS=OFF

test-sanitize: deps $(BUILD_SAN)/CMakeCache.txt
	cmake --build $(BUILD_SAN) -j$(JOBS)
	ctest --test-dir $(BUILD_SAN) --output-on-failure -j$(JOBS)

fuzz: test-sanitize $(BUILD_FUZZ)/CMakeCache.txt
	cmake --build $(BUILD_FUZZ) -j$(JOBS) --target fuzz_tflite_reader
	@mkdir -p $(BUILD_FUZZ)/fuzz-corpus
	@# Seeds: the shipped models and the one-operator models under 100 kB, so each run stays fast.
	find models tests/golden_ops/models -name '*.tflite' -size -100k -exec cp -n {} $(BUILD_FUZZ)/fuzz-corpus/ \;
	@# On a crash the sanitizer's report comes last, so that a log cut to its tail keeps it;
	@# the input is left in $(BUILD_FUZZ)/crash-*.
	$(BUILD_FUZZ)/fuzz_tflite_reader -max_total_time=$(FUZZ_SECONDS) -max_len=110000 \
	  -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=$(BUILD_FUZZ)/ \
	  $(BUILD_FUZZ)/fuzz-corpus > $(BUILD_FUZZ)/fuzz.log 2>&1 || { \
	  tail -n 20 $(BUILD_FUZZ)/fuzz.log; echo "== the fuzzer's report:"; \
	  sed -n '/==ERROR\|runtime error\|Live Heap\|ERROR: libFuzzer/,/SUMMARY/p' $(BUILD_FUZZ)/fuzz.log | head -80; \
	  exit 1; }
	tail -n 12 $(BUILD_FUZZ)/fuzz.log

# TinyNAS stage 2 at three SRAM/Flash budgets (quick: ~45 min per budget on 2 cores).
NAS_BUDGET ?= quick
bench-nas: build
	$(BUILD)/bench_nas --budget $(NAS_BUDGET) --out $(BUILD)/bench-nas

bench: build
	$(BUILD)/bench_memory
	$(BUILD)/bench_latency
	$(BUILD)/bench_mcu --plugin $(BUILD)/mcunet_insn_count.so

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_FUZZ)
