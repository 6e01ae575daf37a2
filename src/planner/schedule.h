// Operator order search: where the graph branches, several execution orders are
// valid and their peak memory differs. Candidate orders (the model's own, greedy
// orders that run the node freeing the most bytes first, randomised variants,
// and every order for small graphs) are planned and the smallest arena wins.
#pragma once

#include <memory>
#include <vector>

#include "ir/graph.h"
#include "ops/op.h"
#include "planner/memory_plan.h"

namespace mcunet {

// A permutation of node positions: order[i] is the node run at step i. Returns
// the identity when the graph is a chain (one valid order).
std::vector<size_t> SearchExecutionOrder(const Graph& graph,
                                         const std::vector<const PreparedOp*>& ops,
                                         const PlanOptions& options);

}  // namespace mcunet
