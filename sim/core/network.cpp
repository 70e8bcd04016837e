#include "sim/core/network.hpp"

#include <algorithm>

namespace compactsim::sim {

namespace {

bool touches(const link_rule& r, std::string_view from, std::string_view to) {
  return r.from.count(from) > 0 || r.from.count(to) > 0;
}

} // namespace

bool network_model::cut(std::string_view from, std::string_view to) const {
  for (const auto& [id, rules] : rules_)
    for (const auto& r : rules)
      if (r.what == link_rule::kind::cut && r.from.count(from) && r.to.count(to))
        return true;
  return false;
}

void network_model::apply(const link_rule& r, std::string_view from, std::string_view to, link_decision& d) {
  switch (r.what) {
    case link_rule::kind::cut:
      d.drop |= r.from.count(from) && r.to.count(to);
      return;
    case link_rule::kind::delay:
      if (touches(r, from, to))
        d.delay += std::max<time_ms>(0, r.delay + (r.jitter > 0 ? rng_.between(-r.jitter, r.jitter) : 0));
      return;
    case link_rule::kind::drop:
      if (touches(r, from, to) && rng_.chance(r.probability))
        d.drop = true;
      return;
    case link_rule::kind::duplicate:
      if (touches(r, from, to) && rng_.chance(r.probability))
        d.duplicate = true;
      return;
  }
}

link_decision network_model::decide(std::string_view from, std::string_view to) {
  link_decision d;
  for (const auto& [id, rules] : rules_)
    for (const auto& r : rules)
      apply(r, from, to, d);
  d.delay = std::max<time_ms>(d.delay, 0);
  d.duplicate &= !d.drop;
  return d;
}

} // namespace compactsim::sim
