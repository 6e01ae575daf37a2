// The generated project as a firmware engineer uses it: model/ and kernels/
// compiled into a program of their own (no generated runner, Makefile or
// harness), strict C99 with warnings as errors and FMA contraction allowed, and
// two models linked into one program sharing one copy of the kernels.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "codegen/c_project.h"
#include "compiler/compile_file.h"
#include "test_data.h"

namespace mcunet {
namespace {

namespace fs = std::filesystem;
using testing::GoldenDir;
using testing::ReadBytes;

// The user's build: strict C99, no -ffp-contract=off; contraction is even
// forced on (and FMA instructions enabled where the host has them), so a kernel
// that relied on the flag would round differently from TF Lite Micro.
std::string UserCflags() {
  std::string flags = "-std=c99 -O2 -Wall -Wextra -Werror -ffp-contract=fast";
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("fma")) flags += " -mfma";
#endif
  return flags;
}

// Writes the project of `stem` named `name` under `root`/`name`.
fs::path Generate(const fs::path& root, const std::string& stem, const std::string& name) {
  auto model = CompileTfliteFile(testing::ModelPath(stem));
  EXPECT_TRUE(model.ok()) << model.status().message();
  CodegenOptions o;
  o.name = name;
  o.source_description = stem;
  auto files = GenerateCProject(*model, o);
  EXPECT_TRUE(files.ok()) << files.status().message();
  const fs::path dir = root / name;
  EXPECT_TRUE(WriteProject(dir.string(), *files).ok());
  return dir;
}

// Copies every kernels/ file of `project` into `shared`; a file already there
// must be identical (one copy of each kernel serves every model).
void MergeKernels(const fs::path& project, const fs::path& shared) {
  fs::create_directories(shared);
  for (const auto& e : fs::directory_iterator(project / "kernels")) {
    const fs::path target = shared / e.path().filename();
    if (fs::exists(target)) {
      EXPECT_EQ(ReadBytes(e.path().string()), ReadBytes(target.string())) << target;
    } else {
      fs::copy_file(e.path(), target);
    }
  }
}

// A main() of our own: for each model, read argv[2i+1], invoke, write argv[2i+2].
std::string OwnMain(const std::vector<std::string>& names) {
  std::string includes, calls;
  for (size_t i = 0; i < names.size(); ++i) {
    std::string upper = names[i];
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    includes += fmt::format("#include \"{}.h\"\n", names[i]);
    calls += fmt::format(
        "  {{\n    static unsigned char in[{0}_INPUT_BYTES], out[{0}_OUTPUT_BYTES];\n"
        "    if (!load(argv[{2}], in, sizeof in)) return 2;\n"
        "    if ({1}_invoke(in, out) != 0) return 3;\n"
        "    if (!store(argv[{3}], out, sizeof out)) return 4;\n  }}\n",
        upper, names[i], 2 * i + 1, 2 * i + 2);
  }
  return fmt::format(R"(#include <stdio.h>
{}
static int load(const char *path, unsigned char *bytes, size_t n) {{
  FILE *f = fopen(path, "rb");
  size_t got;
  if (!f) return 0;
  got = fread(bytes, 1, n, f);
  fclose(f);
  return got == n;
}}
static int store(const char *path, const unsigned char *bytes, size_t n) {{
  FILE *f = fopen(path, "wb");
  size_t put;
  if (!f) return 0;
  put = fwrite(bytes, 1, n, f);
  return fclose(f) == 0 && put == n;
}}
int main(int argc, char **argv) {{
  if (argc != {}) return 1;
{}  return 0;
}}
)",
                     includes, 2 * names.size() + 1, calls);
}

struct Case {
  std::string stem, name;
};

// Builds `cases` into one program from model/ + shared kernels/ + OwnMain and
// checks every model's first golden case.
void BuildTogetherAndCompare(const std::string& tag, const std::vector<Case>& cases) {
  const fs::path root = fs::temp_directory_path() / ("mcunet_dropin_" + tag);
  fs::remove_all(root);
  std::string sources, includes, args;
  std::vector<std::string> names;
  for (const Case& c : cases) {
    const fs::path dir = Generate(root, c.stem, c.name);
    MergeKernels(dir, root / "kernels");
    sources += fmt::format(" {0}/model/{1}.c {0}/model/{1}_weights.c", dir.string(), c.name);
    includes += " -I" + (dir / "model").string();
    const auto manifest = testing::LoadManifest(c.stem);
    const auto& first = manifest["cases"][0];
    args += fmt::format(" {}/{} {}/{}.out", GoldenDir(c.stem),
                        first["inputs"][0].get<std::string>(), root.string(), c.name);
    names.push_back(c.name);
  }
  for (const auto& e : fs::directory_iterator(root / "kernels")) {
    if (e.path().extension() == ".c") sources += " " + e.path().string();
  }
  std::ofstream(root / "main.c") << OwnMain(names);
  const std::string build =
      fmt::format("cc {} -I{}/kernels{} -o {}/app {}/main.c{} > {}/build.log 2>&1", UserCflags(),
                  root.string(), includes, root.string(), root.string(), sources, root.string());
  ASSERT_EQ(std::system(build.c_str()), 0) << build << "\n" << root.string() << "/build.log";
  const std::string run = root.string() + "/app" + args;
  ASSERT_EQ(std::system(run.c_str()), 0) << run;
  for (const Case& c : cases) {
    const auto manifest = testing::LoadManifest(c.stem);
    const std::string golden =
        GoldenDir(c.stem) + "/" + manifest["cases"][0]["outputs"][0].get<std::string>();
    EXPECT_EQ(ReadBytes((root / (c.name + ".out")).string()), ReadBytes(golden)) << c.stem;
  }
  fs::remove_all(root);
}

// tinyengine_mcunet_vww ends in MEAN, whose float rescale is where FMA
// contraction would change a rounding.
TEST(GeneratedCDropIn, ModelAndKernelsBuildWithOwnHarnessAndMatchGoldens) {
  BuildTogetherAndCompare("one", {{"tinyengine_mcunet_vww", "vww"}});
}

TEST(GeneratedCDropIn, TwoModelsLinkIntoOneProgram) {
  BuildTogetherAndCompare("two", {{"tflm_person_detect", "person"},
                                  {"mlperf_tiny_kws_dscnn_int8", "kws"}});
}

// The golden cases above happen to round alike with and without FMA, so the
// immunity itself is checked where it lives: every shipped kernel, built in GNU
// C mode (contraction on by default) with FMA instructions available, contains
// no fused multiply-add.
TEST(GeneratedCDropIn, KernelsContainNoFusedMultiplyAddWhateverTheFlags) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "checks x86-64 FMA instructions";
#else
  const fs::path root = fs::temp_directory_path() / "mcunet_dropin_fma";
  fs::remove_all(root);
  const fs::path dir = Generate(root, "tinyengine_mcunet_vww", "vww");
  int kernels = 0;
  for (const auto& e : fs::directory_iterator(dir / "kernels")) {
    if (e.path().extension() != ".c") continue;
    ++kernels;
    const std::string object = (root / e.path().stem()).string() + ".o";
    const std::string check = fmt::format(
        "cc -std=gnu99 -O3 -mfma -ffp-contract=fast -I{}/kernels -c {} -o {} && "
        "! objdump -d {} | grep -Eq 'vf(n)?m(add|sub)'",
        dir.string(), e.path().string(), object, object);
    EXPECT_EQ(std::system(check.c_str()), 0) << check;
  }
  EXPECT_GE(kernels, 5);  // MEAN and QUANTIZE among them
  fs::remove_all(root);
#endif
}

TEST(GeneratedCDropIn, HeaderDeclaresCLinkageAndPlacementMacros) {
  const fs::path root = fs::temp_directory_path() / "mcunet_dropin_header";
  fs::remove_all(root);
  const fs::path dir = Generate(root, "tflm_hello_world_int8", "hello");
  std::ifstream f(dir / "model" / "hello.h");
  const std::string header((std::istreambuf_iterator<char>(f)), {});
  EXPECT_NE(header.find("extern \"C\""), std::string::npos);
  // Placing the arena and weights in named sections must compile and link.
  const std::string build = fmt::format(
      "c++ -x c++ -fsyntax-only -I{0}/model {0}/model/hello.h && "
      "cc {1} '-DHELLO_ARENA_ATTR=__attribute__((section(\".bss.dtcm\")))' "
      "'-DHELLO_WEIGHTS_ATTR=__attribute__((section(\".rodata.ext\")))' -I{0}/model -I{0}/kernels "
      "-c {0}/model/hello.c -o {0}/hello.o && cc {1} "
      "'-DHELLO_WEIGHTS_ATTR=__attribute__((section(\".rodata.ext\")))' -I{0}/model "
      "-c {0}/model/hello_weights.c -o {0}/hello_weights.o && "
      "objdump -h {0}/hello.o | grep -q bss.dtcm && objdump -h {0}/hello_weights.o | grep -q "
      "rodata.ext",
      dir.string(), UserCflags());
  EXPECT_EQ(std::system(build.c_str()), 0) << build;
  fs::remove_all(root);
}

}  // namespace
}  // namespace mcunet
