#include "arch/arch.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/read_file.h"

namespace mcunet {
namespace {

using nlohmann::json;

Expected<ArchActivation> ParseActivation(const json& j, const std::string& where) {
  if (!j.contains("act_func") || j["act_func"].is_null()) return ArchActivation::kNone;
  const std::string a = j["act_func"].get<std::string>();
  if (a == "relu6") return ArchActivation::kRelu6;
  if (a == "relu") return ArchActivation::kRelu;
  return Status::Error(fmt::format("{}: activation '{}' is not supported (relu, relu6)", where, a));
}

Status CheckConv(int in, int out, int k, int stride, const std::string& where) {
  if (in < 1 || out < 1 || in > 65536 || out > 65536) {
    return Status::Error(fmt::format("{}: channels {} -> {} out of range", where, in, out));
  }
  if (k < 1 || k > 15 || k % 2 == 0) {
    return Status::Error(fmt::format("{}: kernel size {} must be odd, 1..15", where, k));
  }
  if (stride != 1 && stride != 2) {
    return Status::Error(fmt::format("{}: stride {} must be 1 or 2", where, stride));
  }
  return OkStatus();
}

Expected<ConvLayerConfig> ParseConvLayer(const json& j, const std::string& where) {
  ConvLayerConfig c;
  c.in_channels = j.at("in_channels").get<int>();
  c.out_channels = j.at("out_channels").get<int>();
  c.kernel_size = j.value("kernel_size", 1);
  c.stride = j.value("stride", 1);
  if (j.value("groups", 1) != 1)
    return Status::Error(where + ": grouped ConvLayer is not supported");
  MCUNET_ASSIGN_OR_RETURN(c.activation, ParseActivation(j, where));
  MCUNET_RETURN_IF_ERROR(CheckConv(c.in_channels, c.out_channels, c.kernel_size, c.stride, where));
  return c;
}

Expected<ArchConfig> Parse(const json& j) {
  ArchConfig a;
  a.name = j.value("name", "");
  a.resolution = j.at("resolution").get<int>();
  if (a.resolution < 8 || a.resolution > 1024) {
    return Status::Error(fmt::format("resolution {} out of range 8..1024", a.resolution));
  }
  MCUNET_ASSIGN_OR_RETURN(a.first_conv, ParseConvLayer(j.at("first_conv"), "first_conv"));
  int channels = a.first_conv.out_channels;
  const json& blocks = j.at("blocks");
  for (size_t i = 0; i < blocks.size(); ++i) {
    const std::string where = fmt::format("blocks[{}]", i);
    const json& conv = blocks[i].at("mobile_inverted_conv");
    if (conv.is_null() || conv.value("name", "") == "ZeroLayer") continue;  // identity block
    if (conv.value("name", "") != "MBInvertedConvLayer") {
      return Status::Error(where + ": only MBInvertedConvLayer and ZeroLayer blocks are supported");
    }
    if (conv.value("use_se", false))
      return Status::Error(where + ": squeeze-excite is not supported");
    MBConvConfig b;
    b.in_channels = conv.at("in_channels").get<int>();
    b.out_channels = conv.at("out_channels").get<int>();
    b.kernel_size = conv.at("kernel_size").get<int>();
    b.stride = conv.at("stride").get<int>();
    b.expand_ratio = conv.at("expand_ratio").get<int>();
    b.mid_channels = conv.contains("mid_channels") && !conv["mid_channels"].is_null()
                         ? conv["mid_channels"].get<int>()
                         : b.in_channels * b.expand_ratio;
    if (b.expand_ratio == 1) b.mid_channels = b.in_channels;
    b.residual = !blocks[i].at("shortcut").is_null();
    MCUNET_RETURN_IF_ERROR(
        CheckConv(b.in_channels, b.out_channels, b.kernel_size, b.stride, where));
    if (b.mid_channels < 1 || b.mid_channels > 65536 || b.expand_ratio < 1) {
      return Status::Error(fmt::format("{}: expansion {} / mid_channels {} out of range", where,
                                       b.expand_ratio, b.mid_channels));
    }
    if (b.in_channels != channels) {
      return Status::Error(fmt::format("{}: takes {} channels but the previous layer gives {}",
                                       where, b.in_channels, channels));
    }
    if (b.residual && (b.stride != 1 || b.in_channels != b.out_channels)) {
      return Status::Error(where + ": identity shortcut needs stride 1 and equal channels");
    }
    channels = b.out_channels;
    a.blocks.push_back(b);
  }
  if (j.contains("feature_mix_layer") && !j["feature_mix_layer"].is_null()) {
    MCUNET_ASSIGN_OR_RETURN(ConvLayerConfig mix,
                            ParseConvLayer(j["feature_mix_layer"], "feature_mix_layer"));
    if (mix.in_channels != channels) {
      return Status::Error(
          fmt::format("feature_mix_layer: takes {} channels, gets {}", mix.in_channels, channels));
    }
    channels = mix.out_channels;
    a.feature_mix = mix;
  }
  const json& cls = j.at("classifier");
  a.classifier_in = cls.at("in_features").get<int>();
  a.num_classes = cls.at("out_features").get<int>();
  if (a.classifier_in != channels || a.num_classes < 1 || a.num_classes > 100000) {
    return Status::Error(fmt::format("classifier: {} -> {} does not follow {} channels",
                                     a.classifier_in, a.num_classes, channels));
  }
  return a;
}

}  // namespace

Expected<ArchConfig> ParseArchJson(const std::string& json_text) {
  try {
    return Parse(json::parse(json_text));
  } catch (const json::exception& e) {
    return Status::Error(std::string("invalid arch JSON: ") + e.what());
  }
}

Expected<ArchConfig> ReadArchFile(const std::string& path) {
  MCUNET_ASSIGN_OR_RETURN(const std::string text, ReadFileText(path));
  auto arch = ParseArchJson(text);
  if (!arch.ok()) return arch.status().WithContext(path + ": ");
  return arch;
}

}  // namespace mcunet
