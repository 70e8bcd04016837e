//! sim/network: the rules network faults install (Jepsen's partitions,
//! toxiproxy's latency, drops and duplicates) and the fault JSON that
//! describes them.

#include <boost/test/unit_test.hpp>

#include <string>

#include <boost/json/parse.hpp>

#include "sim/core/fault_spec.hpp"
#include "config/fault_reader.hpp"
#include "sim/core/network.hpp"

namespace sim = compactsim::sim;
namespace config = compactsim::config;
namespace json = boost::json;

namespace {

sim::link_rule cut(std::set<std::string, std::less<>> from, std::set<std::string, std::less<>> to) {
  return {sim::link_rule::kind::cut, std::move(from), std::move(to)};
}

sim::link_rule on(sim::link_rule::kind k, std::set<std::string, std::less<>> nodes, double p = 1) {
  sim::link_rule r{k, std::move(nodes), {}};
  r.probability = p;
  return r;
}

bool parses(const std::string& text, sim::fault_spec& f, std::string& error) {
  error.clear();
  f = {};
  return config::parse_fault(json::parse(text), "$.fault", f, error);
}

} // namespace

BOOST_AUTO_TEST_SUITE(sim_network)

BOOST_AUTO_TEST_CASE(no_rules_means_every_message_arrives_at_once) {
  sim::network_model net(1);
  BOOST_TEST(net.empty());
  auto d = net.decide("fe", "be:0");
  BOOST_TEST(!d.drop);
  BOOST_TEST(!d.duplicate);
  BOOST_TEST(d.delay == 0);
}

BOOST_AUTO_TEST_CASE(a_cut_drops_one_direction_only) {
  sim::network_model net(1);
  net.add("p", cut({"fe"}, {"be:1"}));
  BOOST_TEST(net.decide("fe", "be:1").drop);
  BOOST_TEST(!net.decide("be:1", "fe").drop);
  BOOST_TEST(!net.decide("fe", "be:0").drop);
  BOOST_TEST(net.cut("fe", "be:1"));
  BOOST_TEST(!net.cut("be:1", "fe"));
  BOOST_TEST(net.remove("p"));
  BOOST_TEST(!net.decide("fe", "be:1").drop);
  BOOST_TEST(!net.remove("p"));
}

BOOST_AUTO_TEST_CASE(delay_with_jitter_stays_within_its_bounds_and_varies) {
  sim::network_model net(7);
  auto r = on(sim::link_rule::kind::delay, {"be:2"});
  r.delay = 500;
  r.jitter = 200;
  net.add("slow", r);
  std::set<sim::time_ms> seen;
  for (int i = 0; i < 200; ++i) {
    auto d = net.decide(i % 2 ? "fe" : "be:2", i % 2 ? "be:2" : "fe");
    BOOST_TEST(d.delay >= 300);
    BOOST_TEST(d.delay <= 700);
    seen.insert(d.delay);
  }
  BOOST_TEST(seen.size() > 50u);
  BOOST_TEST(net.decide("fe", "be:0").delay == 0); // neither end is be:2
}

BOOST_AUTO_TEST_CASE(drop_and_duplicate_follow_their_probability) {
  sim::network_model net(3);
  net.add("lossy", on(sim::link_rule::kind::drop, {"overlord"}, 0.25));
  net.add("echo", on(sim::link_rule::kind::duplicate, {"overlord"}, 0.5));
  int dropped = 0, doubled = 0;
  for (int i = 0; i < 4000; ++i) {
    auto d = net.decide("coordinator", "overlord");
    dropped += d.drop;
    doubled += d.duplicate;
    BOOST_TEST(!(d.drop && d.duplicate));
  }
  BOOST_TEST(dropped > 850);
  BOOST_TEST(dropped < 1150);
  // Duplicated only when not dropped: about 0.5 * 0.75.
  BOOST_TEST(doubled > 1300);
  BOOST_TEST(doubled < 1700);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_fates) {
  auto run = [](std::uint64_t seed) {
    sim::network_model net(seed);
    net.add("lossy", on(sim::link_rule::kind::drop, {"be:0"}, 0.5));
    std::string fates;
    for (int i = 0; i < 64; ++i)
      fates += net.decide("fe", "be:0").drop ? 'x' : '.';
    return fates;
  };
  BOOST_TEST(run(11) == run(11));
  BOOST_TEST(run(11) != run(12));
}

BOOST_AUTO_TEST_CASE(unmatched_rules_draw_nothing) {
  // A rule on other nodes must not shift the random stream of a later one.
  sim::network_model a(5), b(5);
  a.add("z", on(sim::link_rule::kind::drop, {"be:0"}, 0.5));
  b.add("a", on(sim::link_rule::kind::drop, {"worker:9"}, 0.5));
  b.add("z", on(sim::link_rule::kind::drop, {"be:0"}, 0.5));
  for (int i = 0; i < 64; ++i)
    BOOST_TEST(a.decide("fe", "be:0").drop == b.decide("fe", "be:0").drop);
}

BOOST_AUTO_TEST_CASE(fault_json_reads_every_network_kind) {
  sim::fault_spec f;
  std::string error;
  BOOST_TEST(parses(R"({"kind": "partition", "groups": [["fe", "be:0"], ["be:1", "be:2"]], "one_way": true})", f, error));
  BOOST_TEST(f.groups().size() == 2u);
  BOOST_TEST(f.as<sim::faults::partition>()->one_way);
  BOOST_TEST(f.targets.empty());
  BOOST_TEST(parses(R"({"kind": "delay", "target": "be:1", "delay": "500ms", "jitter": "0.2s"})", f, error));
  BOOST_TEST(f.as<sim::faults::delay>()->delay == 500);
  BOOST_TEST(f.as<sim::faults::delay>()->jitter == 200);
  BOOST_TEST(parses(R"({"kind": "drop", "target": ["overlord"], "probability": 0.3})", f, error));
  BOOST_TEST(f.as<sim::faults::drop>()->probability == 0.3);
  BOOST_TEST(parses(R"({"kind": "clock_skew", "target": "be:0", "skew": "-90s"})", f, error));
  BOOST_TEST(f.as<sim::faults::clock_skew>()->skew == -90'000);
  BOOST_TEST(parses(R"({"kind": "clock_skew", "target": "coordinator", "skew": "+1h"})", f, error));
  BOOST_TEST(f.as<sim::faults::clock_skew>()->skew == 3'600'000);
  BOOST_TEST(parses(R"({"kind": "pause", "target": "worker:1", "for": "2m"})", f, error));
  BOOST_TEST(*f.duration == 120'000);
}

BOOST_AUTO_TEST_CASE(fault_json_errors_name_the_field) {
  sim::fault_spec f;
  std::string error;
  BOOST_TEST(!parses(R"({"kind": "partition", "groups": [["be:0"]]})", f, error));
  BOOST_TEST(error.starts_with("$.fault.groups:"));
  BOOST_TEST(!parses(R"({"kind": "partition", "target": "be:0", "groups": [["be:0"], ["fe"]]})", f, error));
  BOOST_TEST(error == "$.fault.groups: give either target or groups, not both");
  BOOST_TEST(!parses(R"({"kind": "partition", "target": "be:0", "one_way": true})", f, error));
  BOOST_TEST(error.starts_with("$.fault.one_way:"));
  BOOST_TEST(!parses(R"({"kind": "delay", "target": "be:0"})", f, error));
  BOOST_TEST(error.starts_with("$.fault.delay: required"));
  BOOST_TEST(!parses(R"({"kind": "clock_skew", "target": "be:0"})", f, error));
  BOOST_TEST(error.starts_with("$.fault.skew: required"));
  BOOST_TEST(!parses(R"({"kind": "clock_skew", "target": "be:0", "skew": "soon"})", f, error));
  BOOST_TEST(error.starts_with("$.fault.skew:"));
  BOOST_TEST(!parses(R"({"kind": "pause", "target": "fe"})", f, error));
  BOOST_TEST(error.starts_with("$.fault.target: \"fe\": expected be:N or worker:N"));
  BOOST_TEST(!parses(R"({"kind": "crash", "target": "overlord"})", f, error));
  BOOST_TEST(error.starts_with("$.fault.target:"));
  BOOST_TEST(!parses(R"({"kind": "partition", "groups": [["be:0"], ["nowhere"]]})", f, error));
  BOOST_TEST(error.starts_with("$.fault.groups[1]:"));
  BOOST_TEST(!parses(R"({"kind": "drop", "probability": 1.5})", f, error));
  BOOST_TEST(error.starts_with("$.fault.probability:"));
  // Each kind takes its own parameters and no other's.
  BOOST_TEST(!parses(R"({"kind": "crash", "target": "be:0", "probability": 0.5})", f, error));
  BOOST_TEST(error == "$.fault.probability: a crash fault takes no probability (it takes no parameters)");
  BOOST_TEST(!parses(R"({"kind": "delay", "target": "be:0", "delay": "1s", "factor": 3})", f, error));
  BOOST_TEST(error == "$.fault.factor: a delay fault takes no factor (its parameters: delay, jitter)");
  BOOST_TEST(!parses(R"({"kind": "drop", "groups": [["be:0"], ["fe"]]})", f, error));
  BOOST_TEST(error == "$.fault.groups: a drop fault takes no groups (its parameters: probability)");
}

BOOST_AUTO_TEST_CASE(a_faults_parameters_are_its_kinds_struct) {
  // The variant's alternatives follow fault_kind's order, so its index is the kind.
  for (auto k : sim::all_fault_kinds)
    BOOST_TEST(static_cast<std::size_t>(sim::default_params(k).index()) == static_cast<std::size_t>(k));
  sim::fault_spec f;
  std::string error;
  BOOST_TEST(parses(R"({"kind": "slow_disk", "target": "be:1"})", f, error));
  BOOST_TEST((f.kind() == sim::fault_kind::slow_disk));
  BOOST_TEST(f.as<sim::faults::slow_disk>()->factor == 10.0); // the default
  BOOST_TEST(!f.as<sim::faults::delay>());
  BOOST_TEST(parses(R"({"kind": "corrupt_delete_bitmap", "table": 10104})", f, error));
  BOOST_TEST(f.as<sim::faults::corrupt_delete_bitmap>()->table == 10104);
  BOOST_TEST(f.as<sim::faults::corrupt_delete_bitmap>()->rows == 1000);
  BOOST_TEST(f.targets == std::vector<std::string>{"be:all"});
}

BOOST_AUTO_TEST_SUITE_END()
