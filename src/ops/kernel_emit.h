// C99 text for the kernels' parameter structs: what each op's Emit() writes into
// the generated project. Designated initialisers keep it readable and robust.
#pragma once

#include <string>
#include <vector>

#include "kernels/mcunet_kernels.h"

namespace mcunet {

// "static const int32_t NAME[] = {...};"
std::string CInt32Array(const std::string& name, const std::vector<int32_t>& values);

std::string CConvParams(const std::string& name, const mcunet_conv_params& p,
                        const std::string& multiplier, const std::string& shift);
std::string CFcParams(const std::string& name, const mcunet_fc_params& p,
                      const std::string& multiplier, const std::string& shift);
std::string CAddParams(const std::string& name, const mcunet_add_params& p);
std::string CPoolParams(const std::string& name, const mcunet_pool_params& p);
std::string CMeanParams(const std::string& name, const mcunet_mean_params& p);
std::string CSoftmaxParams(const std::string& name, const mcunet_softmax_params& p);
std::string CPadParams(const std::string& name, const mcunet_pad_params& p,
                       const std::string& pad_value);
std::string CTransposeParams(const std::string& name, const mcunet_transpose_params& p);
std::string CAffineParams(const std::string& name, const mcunet_affine_params& p);
std::string CRequantizeParams(const std::string& name, const mcunet_requantize_params& p);

// "(const int8_t *)(expr)": a typed kernel argument from an operand expression.
std::string CArg(const std::string& type, const std::string& expr);

// A float as an exact C literal (hex float, so the generated code rounds nothing).
std::string CFloat(float value);

}  // namespace mcunet
