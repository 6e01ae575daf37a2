#include "ops/kernel_emit.h"

#include <fmt/format.h>

#include <cstdio>

namespace mcunet {
namespace {

std::string Dims(const int32_t* v, int n) {
  std::string s = "{";
  for (int i = 0; i < n; ++i) s += fmt::format("{}{}", i ? ", " : "", v[i]);
  return s + "}";
}

}  // namespace

std::string CArg(const std::string& type, const std::string& expr) {
  return expr == "NULL" ? "NULL" : fmt::format("({} *)({})", type, expr);
}

std::string CFloat(float value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%af", static_cast<double>(value));
  return buf;
}

std::string CInt32Array(const std::string& name, const std::vector<int32_t>& values) {
  std::string s = fmt::format("static const int32_t {}[{}] = {{", name, values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    s += fmt::format("{}{}", i % 12 == 0 ? "\n  " : " ", values[i]);
    if (i + 1 < values.size()) s += ",";
  }
  return s + "};\n";
}

std::string CConvParams(const std::string& name, const mcunet_conv_params& p,
                        const std::string& multiplier, const std::string& shift) {
  return fmt::format(
      "static const mcunet_conv_params {} = {{\n"
      "  .batches = {}, .in_h = {}, .in_w = {}, .in_c = {}, .out_h = {}, .out_w = {}, .out_c = "
      "{},\n"
      "  .k_h = {}, .k_w = {}, .filter_in_c = {}, .depth_multiplier = {},\n"
      "  .stride_h = {}, .stride_w = {}, .dilation_h = {}, .dilation_w = {},\n"
      "  .pad_top = {}, .pad_left = {}, .input_offset = {}, .output_offset = {},\n"
      "  .act_min = {}, .act_max = {}, .multiplier = {}, .shift = {}}};\n",
      name, p.batches, p.in_h, p.in_w, p.in_c, p.out_h, p.out_w, p.out_c, p.k_h, p.k_w,
      p.filter_in_c, p.depth_multiplier, p.stride_h, p.stride_w, p.dilation_h, p.dilation_w,
      p.pad_top, p.pad_left, p.input_offset, p.output_offset, p.act_min, p.act_max, multiplier,
      shift);
}

std::string CFcParams(const std::string& name, const mcunet_fc_params& p,
                      const std::string& multiplier, const std::string& shift) {
  return fmt::format(
      "static const mcunet_fc_params {} = {{\n"
      "  .batches = {}, .in_depth = {}, .out_depth = {}, .input_offset = {}, .filter_offset = {},\n"
      "  .output_offset = {}, .act_min = {}, .act_max = {}, .per_channel = {},\n"
      "  .multiplier = {}, .shift = {}}};\n",
      name, p.batches, p.in_depth, p.out_depth, p.input_offset, p.filter_offset, p.output_offset,
      p.act_min, p.act_max, p.per_channel, multiplier, shift);
}

std::string CAddParams(const std::string& name, const mcunet_add_params& p) {
  return fmt::format(
      "static const mcunet_add_params {} = {{\n"
      "  .out_dims = {}, .in1_strides = {}, .in2_strides = {},\n"
      "  .input1_offset = {}, .input2_offset = {}, .output_offset = {}, .left_shift = {},\n"
      "  .input1_multiplier = {}, .input1_shift = {}, .input2_multiplier = {}, .input2_shift = "
      "{},\n"
      "  .output_multiplier = {}, .output_shift = {}, .act_min = {}, .act_max = {}}};\n",
      name, Dims(p.out_dims, 4), Dims(p.in1_strides, 4), Dims(p.in2_strides, 4), p.input1_offset,
      p.input2_offset, p.output_offset, p.left_shift, p.input1_multiplier, p.input1_shift,
      p.input2_multiplier, p.input2_shift, p.output_multiplier, p.output_shift, p.act_min,
      p.act_max);
}

std::string CPoolParams(const std::string& name, const mcunet_pool_params& p) {
  return fmt::format(
      "static const mcunet_pool_params {} = {{\n"
      "  .batches = {}, .in_h = {}, .in_w = {}, .channels = {}, .out_h = {}, .out_w = {},\n"
      "  .k_h = {}, .k_w = {}, .stride_h = {}, .stride_w = {}, .pad_top = {}, .pad_left = {},\n"
      "  .act_min = {}, .act_max = {}}};\n",
      name, p.batches, p.in_h, p.in_w, p.channels, p.out_h, p.out_w, p.k_h, p.k_w, p.stride_h,
      p.stride_w, p.pad_top, p.pad_left, p.act_min, p.act_max);
}

std::string CMeanParams(const std::string& name, const mcunet_mean_params& p) {
  return fmt::format(
      "static const mcunet_mean_params {} = {{\n"
      "  .mode = {}, .in_dims = {}, .reduce = {}, .out_count = {},\n"
      "  .input_zero_point = {}, .output_zero_point = {}, .multiplier = {}, .shift = {},\n"
      "  .scale = {}}};\n",
      name, p.mode, Dims(p.in_dims, 4), Dims(p.reduce, 4), p.out_count, p.input_zero_point,
      p.output_zero_point, p.multiplier, p.shift, CFloat(p.scale));
}

std::string CSoftmaxParams(const std::string& name, const mcunet_softmax_params& p) {
  return fmt::format(
      "static const mcunet_softmax_params {} = {{\n"
      "  .rows = {}, .depth = {}, .input_multiplier = {}, .input_left_shift = {}, .diff_min = "
      "{}}};\n",
      name, p.rows, p.depth, p.input_multiplier, p.input_left_shift, p.diff_min);
}

std::string CPadParams(const std::string& name, const mcunet_pad_params& p,
                       const std::string& pad_value) {
  return fmt::format(
      "static const mcunet_pad_params {} = {{\n"
      "  .in_dims = {}, .pad_before = {}, .pad_after = {}, .element_size = {}, .pad_value = "
      "{}}};\n",
      name, Dims(p.in_dims, 4), Dims(p.pad_before, 4), Dims(p.pad_after, 4), p.element_size,
      pad_value);
}

std::string CTransposeParams(const std::string& name, const mcunet_transpose_params& p) {
  return fmt::format(
      "static const mcunet_transpose_params {} = {{\n"
      "  .in_dims = {}, .perm = {}, .element_size = {}}};\n",
      name, Dims(p.in_dims, 4), Dims(p.perm, 4), p.element_size);
}

std::string CAffineParams(const std::string& name, const mcunet_affine_params& p) {
  return fmt::format(
      "static const mcunet_affine_params {} = {{.count = {}, .zero_point = {}, .scale = {}}};\n",
      name, p.count, p.zero_point, CFloat(p.scale));
}

std::string CRequantizeParams(const std::string& name, const mcunet_requantize_params& p) {
  return fmt::format(
      "static const mcunet_requantize_params {} = {{.count = {}, .input_offset = {}, "
      ".output_offset = {}, .multiplier = {}, .shift = {}}};\n",
      name, p.count, p.input_offset, p.output_offset, p.multiplier, p.shift);
}

}  // namespace mcunet
