#include "tflite/reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "ops/op.h"
#include "core/read_file.h"
#include "tflite_subset_generated.h"

namespace mcunet {
namespace {

// Largest tensor we accept: 2^31 - 1 bytes (kernels index with int32 on the MCU).
constexpr int64_t kMaxTensorBytes = std::numeric_limits<int32_t>::max();
constexpr size_t kMaxRank = 8;

const char* BuiltinName(int32_t code) {
  if (code < 0 || code > static_cast<int32_t>(tflite::BuiltinOperator::MAX)) return "UNKNOWN";
  const char* name = tflite::EnumNameBuiltinOperator(static_cast<tflite::BuiltinOperator>(code));
  return (name && *name) ? name : "UNKNOWN";
}

std::string SupportedOps() {
  std::string list;
#define MCUNET_OP(name, tflite_name, code) \
  list += std::string(list.empty() ? "" : ", ") + tflite_name;
#include "ir/op_list.def"
#undef MCUNET_OP
  return list;
}

bool KindFromBuiltin(int32_t code, OpKind* kind) {
  switch (code) {
#define MCUNET_OP(name, tflite_name, tflite_code) \
  case tflite_code:                               \
    *kind = OpKind::k##name;                      \
    return true;
#include "ir/op_list.def"
#undef MCUNET_OP
    default:
      return false;
  }
}

// The operator's builtin code: newer files put codes >= 127 in builtin_code
// only; older ones use the byte field.
int32_t BuiltinCode(const tflite::OperatorCode& code) {
  return std::max<int32_t>(code.deprecated_builtin_code(),
                           static_cast<int32_t>(code.builtin_code()));
}

// One error naming every operator the engine lacks, grouped by kind with their
// indices, so that a user sees the whole gap at once, not one operator a run.
Status CheckEveryOperatorIsSupported(
    const tflite::SubGraph& sg,
    const flatbuffers::Vector<flatbuffers::Offset<tflite::OperatorCode>>* codes) {
  std::vector<std::pair<std::string, std::vector<size_t>>> missing;  // first-seen order
  size_t count = 0;
  const size_t op_count = sg.operators() ? sg.operators()->size() : 0;
  for (size_t i = 0; i < op_count; ++i) {
    const tflite::Operator& op = *sg.operators()->Get(i);
    if (!codes || op.opcode_index() >= codes->size()) {
      return Status::Error(fmt::format("operator {}: opcode index {} out of range", i,
                                       op.opcode_index()));
    }
    const tflite::OperatorCode& code = *codes->Get(op.opcode_index());
    const int32_t builtin = BuiltinCode(code);
    OpKind kind;
    std::string name;
    if (builtin == static_cast<int32_t>(tflite::BuiltinOperator::CUSTOM)) {
      name = fmt::format("CUSTOM '{}'", code.custom_code() ? code.custom_code()->str() : "");
    } else if (!KindFromBuiltin(builtin, &kind)) {
      name = BuiltinName(builtin);
    } else {
      continue;
    }
    auto it = std::find_if(missing.begin(), missing.end(),
                           [&](const auto& m) { return m.first == name; });
    if (it == missing.end()) it = missing.insert(missing.end(), {name, {}});
    it->second.push_back(i);
    ++count;
  }
  if (count == 0) return OkStatus();
  if (count == 1) {
    return Status::Error(fmt::format("operator {} ({}) is not supported; supported operators: {}",
                                     missing[0].second[0], missing[0].first, SupportedOps()));
  }
  std::string list;
  for (const auto& [name, indices] : missing) {
    std::string at;
    for (size_t index : indices) at += (at.empty() ? "" : ", ") + std::to_string(index);
    list += fmt::format("{}{} (operator{} {})", list.empty() ? "" : ", ", name,
                        indices.size() > 1 ? "s" : "", at);
  }
  return Status::Error(fmt::format("{} operators are not supported: {}; supported operators: {}",
                                   count, list, SupportedOps()));
}

// Element i of an int64 vector. The verifier checks a vector's 4-byte length
// prefix for alignment, not its 8-byte elements: a damaged file can put them on
// a 4-byte boundary, where a direct load is undefined behaviour.
int64_t Int64At(const flatbuffers::Vector<int64_t>& v, size_t i) {
  int64_t value;
  std::memcpy(&value, v.Data() + i * sizeof(int64_t), sizeof(value));
  return flatbuffers::EndianScalar(value);
}

Status ReadTensor(const tflite::Tensor& t, int index, const tflite::Model& model, Tensor* out) {
  out->name = t.name() ? t.name()->str() : fmt::format("t{}", index);
  const std::string label = fmt::format("tensor {} '{}'", index, out->name);
  const int type_code = static_cast<int>(t.type());
  out->type = DataTypeFromTflite(type_code);
  if (out->type == DataType::kUnknown) {
    return Status::Error(
        fmt::format("{}: element type {} is not supported", label, TfliteTypeName(type_code)));
  }
  if (t.sparsity()) return Status::Error(label + ": sparse tensors are not supported");
  out->is_variable = t.is_variable();
  if (t.shape()) {
    if (t.shape()->size() > kMaxRank) {
      return Status::Error(
          fmt::format("{}: rank {} exceeds {}", label, t.shape()->size(), kMaxRank));
    }
    int64_t bytes = static_cast<int64_t>(DataTypeSize(out->type));
    for (int32_t d : *t.shape()) {
      if (d < 0) return Status::Error(fmt::format("{}: negative dimension {}", label, d));
      out->shape.push_back(d);
      if (d != 0 && bytes > kMaxTensorBytes / d) {
        return Status::Error(fmt::format("{}: shape {} is larger than {} bytes", label,
                                         out->ShapeString(), kMaxTensorBytes));
      }
      bytes *= d;
    }
  }
  // Buffer: index in range; data, when present, exactly shape x element size.
  const auto* buffers = model.buffers();
  const uint32_t buffer_index = t.buffer();
  if (buffer_index != 0) {
    if (!buffers || buffer_index >= buffers->size()) {
      return Status::Error(fmt::format("{}: buffer index {} out of range ({} buffers)", label,
                                       buffer_index, buffers ? buffers->size() : 0));
    }
    const tflite::Buffer* buffer = buffers->Get(buffer_index);
    if (buffer->offset() != 0 || buffer->size() != 0) {
      return Status::Error(label + ": buffers stored outside the flatbuffer are not supported");
    }
    if (buffer->data() && buffer->data()->size() > 0) {
      if (static_cast<int64_t>(buffer->data()->size()) != out->Bytes()) {
        return Status::Error(fmt::format(
            "{}: buffer {} holds {} bytes but shape {} of {} needs {}", label, buffer_index,
            buffer->data()->size(), out->ShapeString(), DataTypeName(out->type), out->Bytes()));
      }
      // A variable's bytes are not its initial value: TF Lite Micro resets the
      // state (zeros; an int8 tensor's zero point) before the first invocation.
      if (!out->is_variable) {
        out->is_constant = true;
        out->data.assign(buffer->data()->begin(), buffer->data()->end());
      }
    }
  }
  // Quantisation: finite positive scales, zero points in range, per-channel counts.
  if (const auto* q = t.quantization(); q && q->scale() && q->scale()->size() > 0) {
    if (q->details_type() != tflite::QuantizationDetails::NONE) {
      return Status::Error(label + ": custom quantization is not supported");
    }
    const size_t count = q->scale()->size();
    if (!q->zero_point() || q->zero_point()->size() != count) {
      return Status::Error(fmt::format("{}: {} scales but {} zero points", label, count,
                                       q->zero_point() ? q->zero_point()->size() : 0));
    }
    const int32_t qdim = q->quantized_dimension();
    // int32 tensors are biases: kernels never read their quantization, and real
    // converters write inconsistent values there (a quantized_dimension of 3 on a
    // rank-1 bias), which TFLite accepts. Only finiteness is checked.
    const bool informational = out->type == DataType::kInt32;
    // Constant weights may carry negative per-channel scales (MCUNet's released
    // models do; TFLite folds the sign into the multiplier). Activations may not.
    const bool allow_negative = informational || out->is_constant;
    if (count > 1 && !informational) {
      if (qdim < 0 || qdim >= static_cast<int32_t>(out->shape.size())) {
        return Status::Error(fmt::format("{}: quantized_dimension {} outside rank {}", label, qdim,
                                         out->shape.size()));
      }
      if (static_cast<int64_t>(count) != out->shape[qdim]) {
        return Status::Error(fmt::format("{}: {} per-channel scales for dimension {} of size {}",
                                         label, count, qdim, out->shape[qdim]));
      }
    }
    int64_t zp_min = std::numeric_limits<int32_t>::min(),
            zp_max = std::numeric_limits<int32_t>::max();
    if (out->type == DataType::kInt8) zp_min = -128, zp_max = 127;
    if (out->type == DataType::kUInt8) zp_min = 0, zp_max = 255;
    // int16: any zero point the type holds (TFLite's int16 softmax output has
    // -32768); Compile refuses a non-zero one where TF Lite Micro wants none.
    if (out->type == DataType::kInt16) zp_min = -32768, zp_max = 32767;
    for (size_t i = 0; i < count; ++i) {
      const float s = q->scale()->Get(i);
      if (!std::isfinite(s) || (allow_negative ? s == 0.0f && !informational : s <= 0.0f)) {
        return Status::Error(fmt::format("{}: scale[{}] = {} is not finite and {}", label, i, s,
                                         allow_negative ? "nonzero" : "positive"));
      }
      const int64_t zp = Int64At(*q->zero_point(), i);
      if (zp < zp_min || zp > zp_max) {
        return Status::Error(fmt::format("{}: zero_point[{}] = {} outside [{}, {}] for {}", label,
                                         i, zp, zp_min, zp_max, DataTypeName(out->type)));
      }
      out->quant.scales.push_back(s);
      out->quant.zero_points.push_back(zp);
    }
    out->quant.quantized_dimension = qdim;
  }
  return OkStatus();
}

}  // namespace

Expected<Graph> ReadTfliteModel(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8) {
    return Status::Error(fmt::format("{} bytes is too short to be a TFLite model", bytes.size()));
  }
  if (bytes.size() >= static_cast<size_t>(FLATBUFFERS_MAX_BUFFER_SIZE)) {
    return Status::Error("file is larger than the 2 GB flatbuffer limit");
  }
  if (!flatbuffers::BufferHasIdentifier(bytes.data(), tflite::ModelIdentifier())) {
    return Status::Error("not a TFLite model (file identifier is not \"TFL3\")");
  }
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  if (!tflite::VerifyModelBuffer(verifier)) {
    return Status::Error("flatbuffer verification failed (corrupt or truncated model)");
  }
  const tflite::Model& model = *tflite::GetModel(bytes.data());
  if (!model.subgraphs() || model.subgraphs()->size() == 0) {
    return Status::Error("model has no subgraph");
  }
  if (model.subgraphs()->size() > 1) {
    return Status::Error(
        fmt::format("model has {} subgraphs; only single-subgraph models are "
                    "supported",
                    model.subgraphs()->size()));
  }
  const tflite::SubGraph& sg = *model.subgraphs()->Get(0);
  Graph graph;
  graph.name = sg.name() ? sg.name()->str() : "";

  const size_t tensor_count = sg.tensors() ? sg.tensors()->size() : 0;
  graph.tensors.resize(tensor_count);
  for (size_t i = 0; i < tensor_count; ++i) {
    MCUNET_RETURN_IF_ERROR(
        ReadTensor(*sg.tensors()->Get(i), static_cast<int>(i), model, &graph.tensors[i]));
  }
  const auto check_index = [&](int32_t index, const std::string& what) -> Status {
    if (index < 0 || static_cast<size_t>(index) >= tensor_count) {
      return Status::Error(
          fmt::format("{}: tensor index {} out of range ({} tensors)", what, index, tensor_count));
    }
    return OkStatus();
  };
  if (!sg.inputs() || sg.inputs()->size() == 0) return Status::Error("subgraph has no inputs");
  if (!sg.outputs() || sg.outputs()->size() == 0) return Status::Error("subgraph has no outputs");
  // A variable tensor holds its state before any operator runs; only the
  // operator that takes it as an input updates it.
  std::vector<bool> produced(tensor_count, false);
  for (size_t i = 0; i < tensor_count; ++i) produced[i] = graph.tensors[i].is_variable;
  const auto refuse_variable = [&](int32_t index, const std::string& what) -> Status {
    if (!graph.tensors[index].is_variable) return OkStatus();
    return Status::Error(
        fmt::format("{} {} is a variable tensor (state); state may only be an "
                    "operator's input, which that operator updates",
                    what, TensorLabel(graph, index)));
  };
  for (int32_t index : *sg.inputs()) {
    MCUNET_RETURN_IF_ERROR(check_index(index, "subgraph input"));
    MCUNET_RETURN_IF_ERROR(refuse_variable(index, "subgraph input"));
    graph.inputs.push_back(index);
    produced[index] = true;
  }

  const auto* codes = model.operator_codes();
  const size_t op_count = sg.operators() ? sg.operators()->size() : 0;
  MCUNET_RETURN_IF_ERROR(CheckEveryOperatorIsSupported(sg, codes));
  for (size_t i = 0; i < op_count; ++i) {
    const tflite::Operator& op = *sg.operators()->Get(i);
    Node node;
    node.index = static_cast<int>(i);
    KindFromBuiltin(BuiltinCode(*codes->Get(op.opcode_index())), &node.kind);  // checked above
    const std::string label = NodeLabel(node);
    if (!op.outputs() || op.outputs()->size() == 0) {
      return Status::Error(label + ": has no outputs");
    }
    if (op.inputs()) {
      for (int32_t index : *op.inputs()) {
        if (index == -1) {
          node.inputs.push_back(-1);
          continue;
        }
        MCUNET_RETURN_IF_ERROR(check_index(index, label + ": input"));
        const Tensor& t = graph.tensors[index];
        if (!t.is_constant && !produced[index]) {
          return Status::Error(fmt::format("{}: input {} is read before any operator writes it",
                                           label, TensorLabel(graph, index)));
        }
        node.inputs.push_back(index);
      }
    }
    for (int32_t index : *op.outputs()) {
      MCUNET_RETURN_IF_ERROR(check_index(index, label + ": output"));
      MCUNET_RETURN_IF_ERROR(refuse_variable(index, label + ": output"));
      if (produced[index] || graph.tensors[index].is_constant) {
        return Status::Error(fmt::format("{}: output {} is written twice or is a constant", label,
                                         TensorLabel(graph, index)));
      }
      produced[index] = true;
      node.outputs.push_back(index);
    }
    // Each op file reads its own builtin options (ops/op.h, ParseTflite<Name>).
    MCUNET_RETURN_IF_ERROR(
        GetOpDefinition(node.kind).parse_tflite(op, &node).WithContext(label + ": "));
    graph.nodes.push_back(std::move(node));
  }
  for (int32_t index : *sg.outputs()) {
    MCUNET_RETURN_IF_ERROR(check_index(index, "subgraph output"));
    MCUNET_RETURN_IF_ERROR(refuse_variable(index, "subgraph output"));
    if (!produced[index] && !graph.tensors[index].is_constant) {
      return Status::Error(
          fmt::format("subgraph output {} is never written", TensorLabel(graph, index)));
    }
    graph.outputs.push_back(index);
  }
  return graph;
}

Expected<Graph> ReadTfliteFile(const std::string& path) {
  MCUNET_ASSIGN_OR_RETURN(const std::vector<uint8_t> bytes, ReadFileBytes(path));
  auto graph = ReadTfliteModel(bytes);
  if (!graph.ok()) return graph.status().WithContext(path + ": ");
  return graph;
}

}  // namespace mcunet
