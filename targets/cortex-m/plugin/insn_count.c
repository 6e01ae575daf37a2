/* QEMU TCG plugin: counts guest instructions executed between two marker
 * addresses (the first instruction of mcunet_marker_begin and of
 * mcunet_marker_end), a deterministic cost figure since QEMU models no cycles.
 * With layer=0xADDR (mcunet_marker_layer, called after each layer by a
 * profiling build) it also records the count at every call of that marker, so
 * each layer's instructions are the differences.
 * With profile=FILE it also writes, for every instruction address executed, how
 * many times it ran ("ADDR COUNT" lines, whole run): a profile to read beside
 * `arm-none-eabi-objdump -d`, for kernel work.
 * Usage: -plugin mcunet_insn_count.so,begin=0xADDR,end=0xADDR[,layer=0xADDR][,out=FILE]
 *        [,profile=FILE]
 * Debian's QEMU ships no plugin header; this declares the few API functions used
 * (QEMU plugin API version 1, QEMU 7.2). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 = 0 };
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS = 0 };

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
                                           void (*cb)(qemu_plugin_id_t, struct qemu_plugin_tb*));
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb* tb);
struct qemu_plugin_insn* qemu_plugin_tb_get_insn(const struct qemu_plugin_tb* tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn* insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn* insn,
                                                enum qemu_plugin_op op, void* ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn* insn,
                                            void (*cb)(unsigned int, void*),
                                            enum qemu_plugin_cb_flags flags, void* userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, void (*cb)(qemu_plugin_id_t, void*),
                                    void* userdata);
void qemu_plugin_outs(const char* string);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t executed; /* every instruction, single vCPU */
static uint64_t begin_addr, end_addr, layer_addr, at_begin, at_end;
static int begins, ends;
enum { kMaxLayers = 4096 };
static uint64_t at_layer[kMaxLayers];
static int layers;
static char out_path[512];
static char profile_path[512];
/* One counter per translated instruction (an address translated twice has two). */
typedef struct {
  uint64_t pc, count;
} profile_entry;
enum { kMaxProfileEntries = 1 << 20 };
static profile_entry* profile;
static size_t profile_entries;

static void on_begin(unsigned int vcpu, void* udata) {
  (void)vcpu, (void)udata;
  at_begin = executed, ++begins;
}

static void on_end(unsigned int vcpu, void* udata) {
  (void)vcpu, (void)udata;
  at_end = executed, ++ends;
}

static void on_layer(unsigned int vcpu, void* udata) {
  (void)vcpu, (void)udata;
  if (layers < kMaxLayers) at_layer[layers] = executed;
  ++layers;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb* tb) {
  (void)id;
  for (size_t i = 0; i < qemu_plugin_tb_n_insns(tb); ++i) {
    struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
    const uint64_t pc = qemu_plugin_insn_vaddr(insn);
    /* The marker callbacks run before the instruction's own count is added. */
    if (pc == begin_addr)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_begin, QEMU_PLUGIN_CB_NO_REGS, NULL);
    if (pc == end_addr)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_end, QEMU_PLUGIN_CB_NO_REGS, NULL);
    if (layer_addr && pc == layer_addr)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_layer, QEMU_PLUGIN_CB_NO_REGS, NULL);
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &executed, 1);
    if (profile && profile_entries < kMaxProfileEntries) {
      profile_entry* e = &profile[profile_entries++];
      e->pc = pc;
      qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &e->count, 1);
    }
  }
}

static void put(FILE* f, const char* text) {
  if (f)
    fputs(text, f);
  else
    qemu_plugin_outs(text);
}

/* Line 1: the total; line 2 (layer markers only): each layer's instructions,
 * from the begin marker (or the previous layer marker) to its layer marker. */
static void on_plugin_exit(qemu_plugin_id_t id, void* udata) {
  char line[256];
  FILE* f = out_path[0] ? fopen(out_path, "w") : NULL;
  (void)id, (void)udata;
  snprintf(line, sizeof(line), "instructions=%" PRIu64 " total=%" PRIu64 " markers=%d/%d\n",
           ends == 1 && begins == 1 ? at_end - at_begin : 0, executed, begins, ends);
  put(f, line);
  if (layer_addr) {
    put(f, "layers=");
    for (int i = 0; i < layers && i < kMaxLayers && begins == 1; ++i) {
      snprintf(line, sizeof(line), "%s%" PRIu64, i ? "," : "",
               at_layer[i] - (i ? at_layer[i - 1] : at_begin));
      put(f, line);
    }
    put(f, "\n");
  }
  if (f) fclose(f);
  FILE* pf = profile ? fopen(profile_path, "w") : NULL;
  for (size_t i = 0; pf && i < profile_entries; ++i) {
    if (profile[i].count) fprintf(pf, "%" PRIx64 " %" PRIu64 "\n", profile[i].pc, profile[i].count);
  }
  if (pf) fclose(pf);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id,
                                                               const qemu_info_t* info, int argc,
                                                               char** argv) {
  (void)info;
  for (int i = 0; i < argc; ++i) {
    if (strncmp(argv[i], "begin=", 6) == 0) begin_addr = strtoull(argv[i] + 6, NULL, 0) & ~1ull;
    if (strncmp(argv[i], "end=", 4) == 0) end_addr = strtoull(argv[i] + 4, NULL, 0) & ~1ull;
    if (strncmp(argv[i], "layer=", 6) == 0) layer_addr = strtoull(argv[i] + 6, NULL, 0) & ~1ull;
    if (strncmp(argv[i], "out=", 4) == 0) snprintf(out_path, sizeof(out_path), "%s", argv[i] + 4);
    if (strncmp(argv[i], "profile=", 8) == 0) {
      snprintf(profile_path, sizeof(profile_path), "%s", argv[i] + 8);
      profile = calloc(kMaxProfileEntries, sizeof(profile_entry));
    }
  }
  if (!begin_addr || !end_addr) return -1;
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_plugin_exit, NULL);
  return 0;
}
