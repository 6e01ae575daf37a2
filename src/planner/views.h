// Concatenation without copies: an input that only the CONCATENATION reads is
// planned as a view of the output, at the bytes of its slice, so its producer
// writes straight into the output and the concatenation skips it
// (PreparedOp::ViewOffset says which inputs may be views and where). Along the
// last axis (NHWC channels) the slice is strided: a view only where the
// producer writes its rows that far apart (PreparedOp::WritesStridedOutput).
#pragma once

#include <functional>
#include <vector>

#include "ir/graph.h"
#include "ops/op.h"
#include "planner/buffer_request.h"

namespace mcunet {

// Makes views in `requests` (built by PlanMemory for `g` with step s running
// node `order[s]`, or node s when `order` is empty); returns how many. Input t
// of a node whose op offers a view becomes one when t is written by an
// operator (no graph input, constant or state), is read by this node alone and
// only once, is no graph output (`is_output`), is not the output itself, its
// slice starts at a multiple of `alignment` bytes (a contiguous one) or its
// producer writes strided rows that are the slice's chunks (a strided one), and
// neither side is already a view or a parent. The output is then born with its earliest view;
// in-place permissions of views, of their parent and onto views are dropped (the parent's other
// slices hold data while its producers run); a later op may still share the parent's bytes once it
// dies.
int MarkViews(const Graph& g, const std::vector<const PreparedOp*>& ops,
              const std::vector<size_t>& order, const std::vector<bool>& is_output,
              const std::vector<int>& request_of_tensor, int64_t alignment,
              std::vector<BufferRequest>& requests);

// The requests as the placement sees them: views take no bytes of their own.
std::vector<BufferRequest> ViewsAsEmpty(std::vector<BufferRequest> requests);

// The requests as if every concatenation copied (the baseline's): views become
// buffers of their own and each parent is born where its views die.
std::vector<BufferRequest> WithoutViews(std::vector<BufferRequest> requests);

// `planner` on ViewsAsEmpty(requests), then each view at its parent's offset
// plus its own. Without views, `planner(requests)`.
ArenaPlan PlanWithViews(const std::vector<BufferRequest>& requests,
                        const std::function<ArenaPlan(const std::vector<BufferRequest>&)>& planner);

}  // namespace mcunet
