#include "ops/op.h"

namespace mcunet {

#define MCUNET_OP(name, tflite_name, code)                                        \
  Status ParseTflite##name(const tflite::Operator&, Node*);                       \
  Expected<TfliteOptions> WriteTflite##name(flatbuffers::FlatBufferBuilder&, const Graph&,     \
                                            const Node&);                                      \
  Expected<std::unique_ptr<PreparedOp>> Prepare##name(const Graph&, const Node&); \
  int64_t Macs##name(const Graph&, const Node&);
#include "ir/op_list.def"
#undef MCUNET_OP

namespace {
const OpDefinition kDefinitions[] = {
#define MCUNET_OP(name, tflite_name, code) \
  {OpKind::k##name, tflite_name, ParseTflite##name, WriteTflite##name, Prepare##name, Macs##name},
#include "ir/op_list.def"
#undef MCUNET_OP
};
}  // namespace

const OpDefinition& GetOpDefinition(OpKind kind) { return kDefinitions[static_cast<int>(kind)]; }

}  // namespace mcunet
