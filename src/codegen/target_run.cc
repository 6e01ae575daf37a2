#include "codegen/target_run.h"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace mcunet {
namespace {

struct Shell {
  int status;
  std::string output;
};

// Runs a command with sh, capturing stdout and stderr.
Shell RunShell(const std::string& command) {
  Shell r{-1, ""};
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe)) r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

Status WriteBytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return f ? OkStatus() : Status::Error(path + ": write failed");
}

Expected<std::vector<uint8_t>> ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::Error(path + ": missing");
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

std::string Tail(const std::string& s) {
  return s.size() > 2000 ? "..." + s.substr(s.size() - 2000) : s;
}

}  // namespace

std::string DefaultPluginPath() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  const auto plugin = exe.parent_path() / "mcunet_insn_count.so";
  return std::filesystem::exists(plugin) ? plugin.string() : "";
}

Expected<std::vector<uint8_t>> RunOnHost(const std::string& dir, const std::string& name,
                                         const std::vector<uint8_t>& input,
                                         const std::string& extra_cflags) {
  const Shell build =
      RunShell(fmt::format("make -s -C {} host CFLAGS={}", Quote(dir), Quote(extra_cflags)));
  if (build.status != 0) return Status::Error("host build failed:\n" + Tail(build.output));
  MCUNET_RETURN_IF_ERROR(WriteBytes(dir + "/input.bin", input));
  const Shell run =
      RunShell(fmt::format("cd {} && ./{}_host input.bin host_output.bin", Quote(dir), name));
  if (run.status != 0) return Status::Error("host run failed:\n" + Tail(run.output));
  return ReadBytes(dir + "/host_output.bin");
}

Expected<TargetRun> RunOnQemu(const std::string& dir, const std::string& name,
                              const std::string& target, const std::vector<uint8_t>& input,
                              const std::string& plugin, int timeout_seconds,
                              bool per_layer) {
  if (per_layer && plugin.empty()) return Status::Error("per-layer counts need the plugin");
  std::string machine, suffix;
  if (target == "cortex-m7")
    machine = "mps2-an500", suffix = "m7";
  else if (target == "cortex-m4")
    machine = "mps2-an386", suffix = "m4";
  else if (target == "cortex-m0plus")  // AN385's Cortex-M3 runs ARMv6-M code unchanged
    machine = "mps2-an385", suffix = "m0plus";
  else
    return Status::Error(fmt::format(
        "target '{}' has no QEMU machine (cortex-m7, cortex-m4, cortex-m0plus)", target));
  // A profiling build is always rebuilt (-B), and removed after the run, so that
  // neither it nor an earlier plain build is ever taken for the other.
  const Shell build = RunShell(
      per_layer ? fmt::format("make -s -B -C {} {} CFLAGS=-DMCUNET_PROFILE_LAYERS", Quote(dir), target)
                : fmt::format("make -s -C {} {}", Quote(dir), target));
  if (build.status != 0) return Status::Error(target + " build failed:\n" + Tail(build.output));
  const std::string elf = fmt::format("{}_{}.elf", name, suffix);
  MCUNET_RETURN_IF_ERROR(WriteBytes(dir + "/input.bin", input));
  std::filesystem::remove(dir + "/output.bin");
  std::string plugin_arg;
  if (!plugin.empty()) {
    const Shell nm = RunShell(fmt::format("arm-none-eabi-nm {}/{}", Quote(dir), elf));
    std::string begin, end, layer;
    std::istringstream lines(nm.output);
    for (std::string addr, type, symbol; lines >> addr >> type >> symbol;) {
      if (symbol == "mcunet_marker_begin") begin = "0x" + addr;
      if (symbol == "mcunet_marker_end") end = "0x" + addr;
      if (symbol == "mcunet_marker_layer") layer = "0x" + addr;
    }
    if (begin.empty() || end.empty()) return Status::Error(elf + ": invoke markers not found");
    if (per_layer && layer.empty()) return Status::Error(elf + ": layer marker not found");
    // QEMU runs inside `dir`, so the plugin path must not be relative.
    const std::string absolute = std::filesystem::absolute(plugin).string();
    if (!std::filesystem::exists(absolute)) return Status::Error(plugin + ": plugin not found");
    plugin_arg =
        fmt::format("-plugin {},begin={},end={}{},out=count.txt", Quote(absolute), begin, end,
                    per_layer ? ",layer=" + layer : "");
    std::filesystem::remove(dir + "/count.txt");
  }
  const Shell run = RunShell(
      fmt::format("cd {} && timeout {} qemu-system-arm -M {} -nographic -monitor none -serial none "
                  "-semihosting-config enable=on,target=native {} -kernel {}",
                  Quote(dir), timeout_seconds, machine, plugin_arg, elf));
  if (run.status == 124) {
    return Status::Error(fmt::format("QEMU timed out after {} s", timeout_seconds));
  }
  if (run.status != 0) {
    return Status::Error(
        fmt::format("QEMU run failed (exit {}):\n{}", run.status, Tail(run.output)));
  }
  TargetRun r;
  MCUNET_ASSIGN_OR_RETURN(r.output, ReadBytes(dir + "/output.bin"));
  if (const size_t p = run.output.find("stack_bytes="); p != std::string::npos) {
    r.stack_bytes = std::stoll(run.output.substr(p + 12));
  }
  if (!plugin.empty()) {
    std::ifstream count(dir + "/count.txt");
    std::string line;
    std::getline(count, line);
    if (line.rfind("instructions=", 0) == 0) r.instructions = std::stoll(line.substr(13));
    if (per_layer && std::getline(count, line) && line.rfind("layers=", 0) == 0) {
      std::istringstream values(line.substr(7));
      for (std::string v; std::getline(values, v, ',');) r.layer_instructions.push_back(std::stoll(v));
    }
  }
  // Sizes: sections from size -A; weights and requantisation tables from nm -S.
  const Shell size = RunShell(fmt::format("arm-none-eabi-size -A {}/{}", Quote(dir), elf));
  std::istringstream sections(size.output);
  int64_t text = 0, data = 0, bss = 0, stack_reserved = 0;
  for (std::string line; std::getline(sections, line);) {
    std::istringstream fields(line);
    std::string section;
    int64_t bytes = 0;
    if (!(fields >> section >> bytes)) continue;
    if (section == ".vectors" || section == ".text" || section == ".rodata" ||
        section == ".ARM.exidx")
      text += bytes;
    if (section == ".data") data = bytes;
    if (section == ".bss") bss = bytes;
    if (section == ".stack") stack_reserved = bytes;
  }
  (void)stack_reserved;
  int64_t tables = 0;
  const Shell nm = RunShell(fmt::format("arm-none-eabi-nm -S --size-sort {}/{}", Quote(dir), elf));
  std::istringstream symbols(nm.output);
  for (std::string line; std::getline(symbols, line);) {
    std::istringstream fields(line);
    std::string addr, size_hex, type, symbol;
    if (!(fields >> addr >> size_hex >> type >> symbol)) continue;
    const bool weight = symbol.rfind(name + "_t", 0) == 0;
    const bool table =
        symbol.size() > 11 && (symbol.ends_with("_multiplier") || symbol.ends_with("_shift"));
    if (weight || table) tables += std::stoll(size_hex, nullptr, 16);
    if (symbol == "input" || symbol == "output")
      r.runner_bytes += std::stoll(size_hex, nullptr, 16);
  }
  r.flash_bytes = text + data;
  r.code_bytes = r.flash_bytes - tables;
  r.sram_bytes = data + bss + r.stack_bytes;
  if (per_layer) std::filesystem::remove(dir + "/" + elf);
  return r;
}

}  // namespace mcunet
