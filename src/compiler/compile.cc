#include "compiler/compile.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "compiler/fold_constants.h"
#include "ir/passes.h"
#include "planner/greedy_planner.h"
#include "planner/schedule.h"
#include "planner/views.h"

namespace mcunet {
namespace {

// The host runtime and the generated C take raw bytes of these types only.
Status CheckGraphInputs(const Graph& g) {
  for (int index : g.inputs) {
    const Tensor& t = g.tensors[index];
    if (t.type != DataType::kInt8 && t.type != DataType::kFloat32 && t.type != DataType::kInt16 &&
        t.type != DataType::kInt32) {
      return Status::Error(fmt::format("graph input {} has unsupported type {}",
                                       TensorLabel(g, index), DataTypeName(t.type)));
    }
  }
  return OkStatus();
}

// A variable tensor is the state of the one operator that reads and updates it:
// shared, its value would depend on the operator order the planner picks.
Status CheckVariableTensors(const Graph& g) {
  std::vector<int> owner(g.tensors.size(), -1);
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    for (int index : g.nodes[n].inputs) {
      if (index < 0 || !g.tensors[index].is_variable) continue;
      if (owner[index] >= 0 && owner[index] != static_cast<int>(n)) {
        return Status::Error(fmt::format(
            "{}: variable {} (state) is also read by {}; state must belong to one "
            "operator",
            NodeLabel(g.nodes[n]), TensorLabel(g, index), NodeLabel(g.nodes[owner[index]])));
      }
      owner[index] = static_cast<int>(n);
    }
  }
  return OkStatus();
}

ModelTotals ComputeTotals(const CompiledModel& m) {
  const Graph& g = m.graph;
  ModelTotals totals;
  std::set<int> counted;  // a constant shared by two layers counts once
  for (size_t s = 0; s < g.nodes.size(); ++s) {
    const Node& node = g.nodes[s];
    totals.macs += GetOpDefinition(node.kind).macs(g, node);
    totals.flash_bytes += m.ops[s]->ParameterBytes();
    for (int index : node.inputs) {
      if (index < 0 || !g.tensors[index].is_constant || !counted.insert(index).second) continue;
      const Tensor& t = g.tensors[index];
      // Parameters are quantised constants (weights, biases), not shape or axis operands.
      if (!t.quant.empty()) totals.params += t.NumElements();
      totals.weights_bytes += t.Bytes();
    }
  }
  totals.flash_bytes += totals.weights_bytes;
  totals.peak_sram_bytes = m.arena_bytes();
  return totals;
}

// The lowest aligned offset where `size` bytes fit in [0, limit) beside the
// buffers live at `step` (request `skip` aside), or -1.
int64_t FreeGapAt(const MemoryPlan& mp, int step, int skip, int64_t size, int64_t alignment,
                  int64_t limit) {
  std::vector<std::pair<int64_t, int64_t>> taken;  // [begin, end)
  for (size_t r = 0; r < mp.requests.size(); ++r) {
    const BufferRequest& q = mp.requests[r];
    if (static_cast<int>(r) == skip || q.size == 0 || q.first_step > step || q.last_step < step) {
      continue;
    }
    taken.push_back({mp.plan.offsets[r], mp.plan.offsets[r] + q.size});
  }
  const int64_t at = FirstFitOffset(std::move(taken), size, alignment);
  return at + size <= limit ? at : -1;
}

// How many bytes below the input it overlaps the plan starts op i's output,
// where the two share bytes.
std::optional<int64_t> InPlaceDistance(const Graph& g, const MemoryPlan& mp, size_t i) {
  if (g.nodes[i].outputs.empty()) return std::nullopt;
  const int out = mp.request_of_tensor[g.nodes[i].outputs[0]];
  if (out < 0 || mp.requests[out].overlaps < 0) return std::nullopt;
  const int in = mp.requests[out].overlaps;
  const int64_t in_at = mp.plan.offsets[in], out_at = mp.plan.offsets[out];
  const bool share =
      out_at < in_at + mp.requests[in].size && in_at < out_at + mp.requests[out].size;
  if (!share) return std::nullopt;
  return in_at - out_at;
}

// Where the plan overlaps an op's output with its input at a distance its fast
// variant does not allow (PreparedOp::FastVariantAllows), the op runs compact.
void KeepFastVariantsWherePlacementAllows(const Graph& g,
                                          const std::vector<std::unique_ptr<PreparedOp>>& owned,
                                          MemoryPlan& mp) {
  for (size_t i = 0; i < owned.size(); ++i) {
    const std::optional<int64_t> distance = InPlaceDistance(g, mp, i);
    if (!distance || owned[i]->FastVariantAllows(*distance)) continue;
    owned[i]->SetCompactScratch(true);
    // The compact variant needs no more scratch: the request shrinks in place.
    if (const int r = mp.scratch_request[i]; r >= 0) mp.requests[r].size = owned[i]->ScratchBytes();
  }
}

// The ops of `fast` whose scratch is live while a buffer reaching the top of
// the arena is: the only ones whose bytes can hold the peak up.
std::vector<size_t> ScratchUnderThePeak(const MemoryPlan& mp,
                                        const std::vector<std::unique_ptr<PreparedOp>>& owned,
                                        const std::vector<size_t>& fast) {
  std::vector<std::pair<int, int>> top;  // steps of the buffers that end at the top
  for (size_t r = 0; r < mp.requests.size(); ++r) {
    if (mp.requests[r].size > 0 && mp.plan.offsets[r] + mp.requests[r].size == mp.arena_bytes()) {
      top.push_back({mp.requests[r].first_step, mp.requests[r].last_step});
    }
  }
  std::vector<size_t> under;
  for (size_t i : fast) {
    const int step = static_cast<int>(i);
    const bool at_peak = std::any_of(top.begin(), top.end(), [&](const auto& span) {
      return span.first <= step && step <= span.second;
    });
    if (at_peak && mp.scratch_request[i] >= 0 && owned[i]->ScratchBytes() > 0) under.push_back(i);
  }
  std::stable_sort(under.begin(), under.end(), [&](size_t a, size_t b) {
    return owned[a]->ScratchBytes() > owned[b]->ScratchBytes();
  });
  return under;
}

// The plan with every op in `variants` fast, except those whose scratch holds
// up the peak: one at a time, largest first, an op at the peak goes compact
// while that lowers the arena (the planner's layout is not monotone in the
// sizes, so a few large scratch buffers can cost more than their own bytes).
// Only ops at the peak are tried: a search may compile thousands of networks.
// Leaves the ops as planned.
Expected<MemoryPlan> PlanFastWherePeakAllows(const Graph& g,
                                             const std::vector<std::unique_ptr<PreparedOp>>& owned,
                                             const std::vector<const PreparedOp*>& ops,
                                             const std::vector<size_t>& variants,
                                             const PlanOptions& options) {
  for (size_t i : variants) owned[i]->SetCompactScratch(false);
  std::vector<size_t> fast = variants;
  MCUNET_ASSIGN_OR_RETURN(MemoryPlan best, PlanMemory(g, ops, options));
  for (bool lowered = true; lowered;) {
    lowered = false;
    for (size_t i : ScratchUnderThePeak(best, owned, fast)) {
      owned[i]->SetCompactScratch(true);
      MCUNET_ASSIGN_OR_RETURN(MemoryPlan trial, PlanMemory(g, ops, options));
      if (trial.arena_bytes() < best.arena_bytes()) {
        best = std::move(trial);
        fast.erase(std::find(fast.begin(), fast.end(), i));
        lowered = true;
        break;
      }
      owned[i]->SetCompactScratch(false);
    }
  }
  return best;
}

// Fast kernels that widen their inputs (or, for depthwise, copy rows of one
// channel) need more scratch than their compact variants
// (PreparedOp::SetCompactScratch). When the ops can be fast, but where their
// scratch raises the peak, without growing the arena past the all-compact
// plan's, that plan is taken. Otherwise the all-compact plan is kept, and
// each op becomes fast where its larger scratch fits in a gap of that plan at
// its step or above it, within PlanOptions::fast_kernel_arena_growth.
Expected<MemoryPlan> ChooseScratchVariants(const Graph& g,
                                           const std::vector<std::unique_ptr<PreparedOp>>& owned,
                                           const std::vector<const PreparedOp*>& ops,
                                           const PlanOptions& options) {
  MCUNET_ASSIGN_OR_RETURN(MemoryPlan fast, PlanMemory(g, ops, options));
  std::vector<size_t> variants;
  for (size_t i = 0; i < owned.size(); ++i) {
    if (owned[i]->SetCompactScratch(true)) variants.push_back(i);
  }
  if (variants.empty()) return fast;
  MCUNET_ASSIGN_OR_RETURN(MemoryPlan mp, PlanMemory(g, ops, options));
  if (options.fast_kernels_always || fast.arena_bytes() <= mp.arena_bytes()) {
    for (size_t i : variants) owned[i]->SetCompactScratch(false);
    if (!options.fast_kernels_always) {
      MCUNET_ASSIGN_OR_RETURN(fast, PlanFastWherePeakAllows(g, owned, ops, variants, options));
    }
    KeepFastVariantsWherePlacementAllows(g, owned, fast);
    return fast;
  }
  MCUNET_ASSIGN_OR_RETURN(MemoryPlan mostly_fast,
                          PlanFastWherePeakAllows(g, owned, ops, variants, options));
  if (mostly_fast.arena_bytes() <= mp.arena_bytes()) {
    KeepFastVariantsWherePlacementAllows(g, owned, mostly_fast);
    return mostly_fast;
  }
  for (size_t i : variants) owned[i]->SetCompactScratch(true);
  // Scratch goes into gaps of the compact plan, or above it within the growth
  // allowed: ops at different steps share the bytes above, so the arena grows
  // by the largest scratch placed there, not by their sum.
  const int64_t limit =
      mp.arena_bytes() + static_cast<int64_t>(options.fast_kernel_arena_growth *
                                              static_cast<double>(mp.arena_bytes()));
  for (size_t i : variants) {  // step i runs op i: ops are in execution order
    owned[i]->SetCompactScratch(false);
    const int64_t size = owned[i]->ScratchBytes();
    const int r = mp.scratch_request[i];
    const int64_t at = FreeGapAt(mp, static_cast<int>(i), r, size, options.alignment, limit);
    if (at < 0) {
      owned[i]->SetCompactScratch(true);
      continue;
    }
    mp.plan.arena_bytes = std::max(mp.plan.arena_bytes, at + size);
    if (r < 0) {
      mp.scratch_request[i] = static_cast<int>(mp.requests.size());
      mp.requests.push_back({size, static_cast<int>(i), static_cast<int>(i)});
      mp.plan.offsets.push_back(at);
    } else {
      mp.requests[r].size = size;
      mp.plan.offsets[r] = at;
    }
  }
  KeepFastVariantsWherePlacementAllows(g, owned, mp);
  const std::string violation = FindOverlap(mp.requests, mp.plan);
  if (!violation.empty()) return Status::Error("internal planner error: " + violation);
  if (options.with_reports) {
    mp.baseline = PlanWithStateBelow(
        WithoutViews(mp.requests), options.alignment,
        [&](const auto& requests) { return PlanGreedyBySize(requests, options.alignment); });
    mp.lower_bound = ArenaLowerBound(mp.requests);
  }
  return mp;
}

// Wider constants (PreparedOp::OfferWiderConstants) where the Flash stays
// within `limit`, the most instructions saved per byte first: each op's offer
// is a whole layer, so a smaller one further down the list may still fit.
void GrantWiderConstants(CompiledModel& m, int64_t limit) {
  struct Offer {
    std::vector<size_t> ops;
    PreparedOp::WiderConstants wider;
  };
  std::vector<Offer> offers;
  for (size_t i = 0; i < m.ops.size(); ++i) {
    const PreparedOp::WiderConstants w =
        m.ops[i]->OfferWiderConstants(InPlaceDistance(m.graph, m.memory, i));
    if (w.extra_bytes <= 0) continue;
    const auto same = std::find_if(offers.begin(), offers.end(), [&](const Offer& o) {
      return !w.all_or_none.empty() && o.wider.all_or_none == w.all_or_none;
    });
    if (same == offers.end()) {
      offers.push_back({{i}, w});
    } else {
      same->ops.push_back(i);
      same->wider.extra_bytes += w.extra_bytes;
      same->wider.saved_instructions += w.saved_instructions;
    }
  }
  std::stable_sort(offers.begin(), offers.end(), [](const Offer& a, const Offer& b) {
    // saved / bytes, compared without division
    return static_cast<double>(a.wider.saved_instructions) *
               static_cast<double>(b.wider.extra_bytes) >
           static_cast<double>(b.wider.saved_instructions) *
               static_cast<double>(a.wider.extra_bytes);
  });
  int64_t flash = ComputeTotals(m).flash_bytes + kCodeBytesEstimate;
  for (const Offer& o : offers) {
    if (flash + o.wider.extra_bytes > limit) continue;
    flash += o.wider.extra_bytes;
    for (size_t i : o.ops) m.ops[i]->AllowWiderConstants(true);
  }
}

}  // namespace

int64_t CompiledModel::TensorOffset(int tensor) const {
  const int r = memory.request_of_tensor[tensor];
  return r < 0 ? -1 : memory.plan.offsets[r];
}

Expected<CompiledModel> Compile(Graph graph, const CompileOptions& options) {
  if (options.optimize) {
    MCUNET_RETURN_IF_ERROR(FoldConstants(graph).status());
    OptimizeGraph(graph);
  }
  CompiledModel m;
  m.graph = std::move(graph);
  Graph& g = m.graph;
  for (const Node& node : g.nodes) {
    MCUNET_ASSIGN_OR_RETURN(auto op, PrepareNode(g, node));
    m.ops.push_back(std::move(op));
  }
  MCUNET_RETURN_IF_ERROR(CheckGraphInputs(g));
  MCUNET_RETURN_IF_ERROR(CheckVariableTensors(g));
  std::vector<const PreparedOp*> ops;
  for (const auto& op : m.ops) ops.push_back(op.get());
  if (options.plan.search_order) {
    const std::vector<size_t> order = SearchExecutionOrder(g, ops, options.plan);
    std::vector<Node> nodes;
    std::vector<std::unique_ptr<PreparedOp>> prepared;
    for (size_t n : order) {
      nodes.push_back(std::move(g.nodes[n]));
      prepared.push_back(std::move(m.ops[n]));
    }
    g.nodes = std::move(nodes);
    m.ops = std::move(prepared);
    for (size_t i = 0; i < order.size(); ++i) ops[i] = m.ops[i].get();
  }
  MCUNET_ASSIGN_OR_RETURN(m.memory, ChooseScratchVariants(g, m.ops, ops, options.plan));
  // Every op runs the variant whose scratch was planned (a smaller buffer than
  // its kernel writes would overrun its neighbours).
  for (size_t i = 0; i < m.ops.size(); ++i) {
    const int r = m.memory.scratch_request[i];
    const int64_t planned = r < 0 ? 0 : m.memory.requests[r].size;
    if (planned < m.ops[i]->ScratchBytes()) {
      return Status::Error(
          fmt::format("internal planner error: {} needs {} scratch bytes, {} planned",
                      NodeLabel(g.nodes[i]), m.ops[i]->ScratchBytes(), planned));
    }
  }
  if (options.flash_for_speed) GrantWiderConstants(m, options.flash_limit);
  m.totals = ComputeTotals(m);
  return m;
}

}  // namespace mcunet
