#include "planner/schedule.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <set>

namespace mcunet {
namespace {

constexpr size_t kMaxExhaustiveOrders = 128;
constexpr int kRandomOrders = 16;

struct Dependencies {
  std::vector<std::vector<size_t>> consumers;  // node -> nodes reading its outputs
  std::vector<int> producer_count;             // node -> how many nodes it waits for
};

Dependencies BuildDependencies(const Graph& g) {
  std::vector<int> producer(g.tensors.size(), -1);
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    for (int t : g.nodes[n].outputs) producer[t] = static_cast<int>(n);
  }
  Dependencies d;
  d.consumers.resize(g.nodes.size());
  d.producer_count.assign(g.nodes.size(), 0);
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    std::set<int> from;
    for (int t : g.nodes[n].inputs) {
      if (t >= 0 && producer[t] >= 0) from.insert(producer[t]);
    }
    for (int p : from) d.consumers[p].push_back(n);
    d.producer_count[n] = static_cast<int>(from.size());
  }
  return d;
}

// Bytes a node frees (inputs it is the last reader of) minus the bytes it adds.
int64_t NetFreed(const Graph& g, size_t n, const std::vector<int>& readers_left) {
  int64_t freed = 0;
  for (int t : g.nodes[n].inputs) {
    if (t >= 0 && !g.tensors[t].is_constant && !g.tensors[t].is_variable && readers_left[t] == 1) {
      freed += g.tensors[t].Bytes();  // state is never freed
    }
  }
  for (int t : g.nodes[n].outputs) freed -= g.tensors[t].Bytes();
  return freed;
}

// A topological order choosing, among ready nodes, the one freeing the most
// bytes; `rng` (when given) breaks ties and sometimes picks at random.
std::vector<size_t> GreedyOrder(const Graph& g, const Dependencies& d, std::mt19937* rng) {
  std::vector<int> waiting = d.producer_count;
  std::vector<int> readers_left(g.tensors.size(), 0);
  for (const Node& node : g.nodes) {
    for (int t : node.inputs) {
      if (t >= 0) ++readers_left[t];
    }
  }
  std::vector<size_t> ready, order;
  for (size_t n = 0; n < g.nodes.size(); ++n) {
    if (waiting[n] == 0) ready.push_back(n);
  }
  while (!ready.empty()) {
    size_t pick = 0;
    if (rng && (*rng)() % 4 == 0) {
      pick = (*rng)() % ready.size();
    } else {
      for (size_t i = 1; i < ready.size(); ++i) {
        const int64_t a = NetFreed(g, ready[i], readers_left),
                      b = NetFreed(g, ready[pick], readers_left);
        if (a > b || (a == b && ready[i] < ready[pick])) pick = i;
      }
    }
    const size_t n = ready[pick];
    ready.erase(ready.begin() + static_cast<std::ptrdiff_t>(pick));
    order.push_back(n);
    for (int t : g.nodes[n].inputs) {
      if (t >= 0) --readers_left[t];
    }
    for (size_t c : d.consumers[n]) {
      if (--waiting[c] == 0) ready.push_back(c);
    }
  }
  return order;
}

void Enumerate(const Dependencies& d, std::vector<int>& waiting, std::vector<size_t>& ready,
               std::vector<size_t>& prefix, std::vector<std::vector<size_t>>& out) {
  if (out.size() >= kMaxExhaustiveOrders) return;
  if (ready.empty()) {
    if (prefix.size() == waiting.size()) out.push_back(prefix);
    return;
  }
  for (size_t i = 0; i < ready.size() && out.size() < kMaxExhaustiveOrders; ++i) {
    const size_t n = ready[i];
    std::vector<size_t> next = ready;
    next.erase(next.begin() + static_cast<std::ptrdiff_t>(i));
    for (size_t c : d.consumers[n]) {
      if (--waiting[c] == 0) next.push_back(c);
    }
    prefix.push_back(n);
    Enumerate(d, waiting, next, prefix, out);
    prefix.pop_back();
    for (size_t c : d.consumers[n]) ++waiting[c];
  }
}

bool HasOrderFreedom(const Dependencies& d) {
  std::vector<int> waiting = d.producer_count;
  std::vector<size_t> ready;
  for (size_t n = 0; n < waiting.size(); ++n) {
    if (waiting[n] == 0) ready.push_back(n);
  }
  while (!ready.empty()) {
    if (ready.size() > 1) return true;
    const size_t n = ready.back();
    ready.pop_back();
    for (size_t c : d.consumers[n]) {
      if (--waiting[c] == 0) ready.push_back(c);
    }
  }
  return false;
}

}  // namespace

std::vector<size_t> SearchExecutionOrder(const Graph& g, const std::vector<const PreparedOp*>& ops,
                                         const PlanOptions& options) {
  std::vector<size_t> identity(g.nodes.size());
  std::iota(identity.begin(), identity.end(), 0);
  const Dependencies d = BuildDependencies(g);
  // With never more than one node ready (chains, and residual blocks whose ADD
  // waits for the block), there is one order: nothing to search.
  if (!HasOrderFreedom(d)) return identity;

  std::vector<std::vector<size_t>> candidates = {identity, GreedyOrder(g, d, nullptr)};
  std::mt19937 rng(2024);
  for (int i = 0; i < kRandomOrders; ++i) candidates.push_back(GreedyOrder(g, d, &rng));
  if (g.nodes.size() <= 40) {
    std::vector<int> waiting = d.producer_count;
    std::vector<size_t> ready, prefix;
    for (size_t n = 0; n < g.nodes.size(); ++n) {
      if (waiting[n] == 0) ready.push_back(n);
    }
    Enumerate(d, waiting, ready, prefix, candidates);
  }
  // Plan each distinct order from its buffer requests; reports are not needed to compare.
  PlanOptions candidate_options = options;
  candidate_options.with_reports = false;
  std::set<std::vector<size_t>> seen;
  std::vector<size_t> best = identity;
  int64_t best_bytes = INT64_MAX;
  for (const auto& order : candidates) {
    if (order.size() != g.nodes.size() || !seen.insert(order).second) continue;
    auto plan = PlanMemory(g, ops, candidate_options, order);
    if (plan.ok() && plan->arena_bytes() < best_bytes) {
      best_bytes = plan->arena_bytes();
      best = order;
    }
  }
  return best;
}

}  // namespace mcunet
