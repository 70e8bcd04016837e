#include "scenarios/trace_log.hpp"

#include <cstdio>
#include <cstring>

#include <boost/json.hpp>

namespace compactsim::scenarios {

namespace json = boost::json;

namespace {

/// Folds `x` into the running digest `h`: one multiply-xorshift round per 8
/// bytes rather than FNV's one per byte (a run hashes millions of events).
inline void fold(std::uint64_t& h, std::uint64_t x) {
  h = (h ^ x) * 0x9e3779b97f4a7c15ULL;
  h ^= h >> 29;
}

void mix_in(std::uint64_t& h, const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    fold(h, word);
  }
  std::uint64_t tail = 0;
  if (n > 0) // an empty view may have no data pointer at all
    std::memcpy(&tail, p, n);
  fold(h, tail ^ (std::uint64_t{n} << 56));
}

void mix_in(std::uint64_t& h, std::string_view s) {
  fold(h, s.size()); // lengths keep "ab","c" apart from "a","bc"
  mix_in(h, s.data(), s.size());
}

/// Mixes a JSON value in by kind and content, without writing it out.
void mix_in(std::uint64_t& h, const json::value& v) {
  auto k = static_cast<unsigned char>(v.kind());
  mix_in(h, &k, 1);
  switch (v.kind()) {
    case json::kind::null:
      return;
    case json::kind::bool_: {
      unsigned char b = v.get_bool();
      return mix_in(h, &b, 1);
    }
    case json::kind::int64: {
      auto x = v.get_int64();
      return mix_in(h, &x, sizeof x);
    }
    case json::kind::uint64: {
      auto x = v.get_uint64();
      return mix_in(h, &x, sizeof x);
    }
    case json::kind::double_: {
      auto x = v.get_double();
      return mix_in(h, &x, sizeof x);
    }
    case json::kind::string:
      return mix_in(h, std::string_view{v.get_string()});
    case json::kind::array:
      for (const auto& x : v.get_array())
        mix_in(h, x);
      return;
    case json::kind::object:
      for (const auto& [key, x] : v.get_object()) {
        mix_in(h, std::string_view{key});
        mix_in(h, x);
      }
      return;
  }
}
} // namespace

void trace_log::count(std::string_view node, std::string_view kind, std::string_view type) {
  ++events_;
  auto h = std::uint64_t{1469598103934665603ULL};
  mix_in(h, node);
  mix_in(h, kind);
  mix_in(h, type);
  auto& c = by_node_kind_[h];
  if (c.n++ == 0) {
    c.key = std::string{node} + "|" + std::string{kind};
    if (!type.empty())
      c.key += "|" + std::string{type};
  }
}

void trace_log::record(time_ms t, const sim::trace_event& e) {
  mix_in(digest_, &t, sizeof t);
  mix_in(digest_, e.node);
  mix_in(digest_, e.kind);
  std::string_view type;
  for (const auto& f : e.data) {
    mix_in(digest_, f.key);
    auto k = static_cast<unsigned char>(f.kind);
    mix_in(digest_, &k, 1);
    switch (f.kind) {
      case sim::trace_field::type::integer:
      case sim::trace_field::type::boolean:
        mix_in(digest_, &f.integer, sizeof f.integer);
        break;
      case sim::trace_field::type::real:
        mix_in(digest_, &f.real, sizeof f.real);
        break;
      case sim::trace_field::type::text:
        mix_in(digest_, f.text);
        if (f.key == "type")
          type = f.text;
        break;
    }
  }
  if (e.node_at >= 0) {
    auto node_t = e.node_at - (e.at - t); // on the run's clock, as t
    mix_in(digest_, &node_t, sizeof node_t);
  }
  count(e.node, e.kind, type);
  if (!file_.is_open())
    return;
  json::object line;
  line["t"] = t;
  line["node"] = e.node;
  line["kind"] = e.kind;
  if (e.node_at >= 0)
    line["node_t"] = e.node_at - (e.at - t);
  for (const auto& f : e.data) {
    auto& v = line[f.key];
    switch (f.kind) {
      case sim::trace_field::type::integer: v = f.integer; break;
      case sim::trace_field::type::boolean: v = f.integer != 0; break;
      case sim::trace_field::type::real: v = f.real; break;
      case sim::trace_field::type::text: v = f.text; break;
    }
  }
  file_ << json::serialize(line) << '\n';
}

void trace_log::record(time_ms t, std::string_view node, std::string_view kind, json::object data) {
  mix_in(digest_, &t, sizeof t);
  mix_in(digest_, node);
  mix_in(digest_, kind);
  for (const auto& [key, v] : data) {
    mix_in(digest_, std::string_view{key});
    mix_in(digest_, v);
  }
  count(node, kind, {});
  if (!file_.is_open())
    return;
  json::object line;
  line["t"] = t;
  line["node"] = node;
  line["kind"] = kind;
  for (auto& [k, v] : data)
    line[k] = std::move(v);
  file_ << json::serialize(line) << '\n';
}

std::string trace_log::digest() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(digest_));
  return buf;
}

std::map<std::string, std::uint64_t> trace_log::by_kind() const {
  std::map<std::string, std::uint64_t> out;
  for (const auto& [hash, c] : by_node_kind_) {
    auto start = c.key.find('|') + 1;
    auto end = c.key.find('|', start);
    out[c.key.substr(start, end == std::string::npos ? end : end - start)] += c.n;
  }
  return out;
}

} // namespace compactsim::scenarios
