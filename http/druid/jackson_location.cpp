#include "http/druid/jackson_location.hpp"

#include <cctype>
#include <optional>
#include <variant>
#include <vector>

namespace compactsim::http {

namespace {

constexpr std::string_view chain_marker = " (through reference chain: ";
constexpr std::string_view source = "\n at [Source: (org.eclipse.jetty.server.HttpInputOverHTTP); ";

using step = std::variant<std::string, std::size_t>; ///< a field name or an array index

/// The chain's steps: `A["x"]->B[0]->C["y"]` is x, 0, y.
std::optional<std::vector<step>> steps_of(std::string_view chain) {
  std::vector<step> out;
  std::size_t i = 0;
  while ((i = chain.find('[', i)) != std::string_view::npos) {
    ++i;
    if (i < chain.size() && chain[i] == '"') {
      auto end = chain.find("\"]", i + 1);
      if (end == std::string_view::npos)
        return std::nullopt;
      out.emplace_back(std::string{chain.substr(i + 1, end - i - 1)});
      i = end + 2;
    } else {
      std::size_t n = 0;
      bool digits = false;
      while (i < chain.size() && std::isdigit(static_cast<unsigned char>(chain[i]))) {
        n = n * 10 + static_cast<std::size_t>(chain[i] - '0');
        ++i;
        digits = true;
      }
      if (!digits || i >= chain.size() || chain[i] != ']')
        return std::nullopt;
      out.emplace_back(n);
      ++i;
    }
  }
  return out;
}

struct position {
  std::size_t line = 1;
  std::size_t column = 1;
};

/// A small JSON scanner that knows where it is.
class scanner {
public:
  explicit scanner(std::string_view s) : s_(s) {}

  /// The start and, for an object or array, the closing bracket of the
  /// value at `path`; nullopt when it is not there (or the body is not JSON).
  std::optional<std::pair<position, position>> find(const std::vector<step>& path) {
    found_.reset();
    path_ = &path;
    if (!value(0))
      return std::nullopt;
    return found_;
  }

private:
  position here() const { return {line_, i_ - line_start_ + 1}; }
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) {
      if (s_[i_] == '\n') {
        ++line_;
        line_start_ = i_ + 1;
      }
      ++i_;
    }
  }
  bool string(std::string* out) {
    if (i_ >= s_.size() || s_[i_] != '"')
      return false;
    ++i_;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\\') {
        ++i_;
        if (i_ >= s_.size())
          return false;
        if (out) {
          char c = s_[i_];
          *out += c == 'n' ? '\n' : c == 't' ? '\t' : c; // names in chains are plain
        }
      } else if (out) {
        *out += s_[i_];
      }
      ++i_;
    }
    if (i_ >= s_.size())
      return false;
    ++i_;
    return true;
  }
  /// One value; `depth` steps of the path matched so far (npos: off the path).
  bool value(std::size_t depth) {
    ws();
    if (i_ >= s_.size())
      return false;
    const bool target = depth == path_->size();
    auto start = here();
    char c = s_[i_];
    if (c == '{' || c == '[') {
      ++i_;
      ws();
      std::size_t index = 0;
      const char close = c == '{' ? '}' : ']';
      bool first = true;
      while (i_ < s_.size() && s_[i_] != close) {
        if (!first) {
          if (s_[i_] != ',')
            return false;
          ++i_;
          ws();
        }
        first = false;
        std::size_t next = std::string_view::npos;
        if (c == '{') {
          std::string key;
          if (!string(&key))
            return false;
          ws();
          if (i_ >= s_.size() || s_[i_] != ':')
            return false;
          ++i_;
          if (depth < path_->size() && std::holds_alternative<std::string>((*path_)[depth]) &&
              std::get<std::string>((*path_)[depth]) == key && !found_)
            next = depth + 1;
        } else if (depth < path_->size() && std::holds_alternative<std::size_t>((*path_)[depth]) &&
                   std::get<std::size_t>((*path_)[depth]) == index && !found_) {
          next = depth + 1;
        }
        if (!value(next))
          return false;
        ws();
        ++index;
      }
      if (i_ >= s_.size())
        return false;
      if (target && !found_)
        found_ = std::make_pair(start, here());
      ++i_;
      return true;
    }
    if (c == '"') {
      if (!string(nullptr))
        return false;
    } else {
      while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' && s_[i_] != ' ' && s_[i_] != '\n' &&
             s_[i_] != '\r' && s_[i_] != '\t')
        ++i_;
    }
    if (target && !found_)
      found_ = std::make_pair(start, start);
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
  const std::vector<step>* path_ = nullptr;
  std::optional<std::pair<position, position>> found_;
};

bool starts_with_any(std::string_view m, std::initializer_list<std::string_view> prefixes) {
  for (auto p : prefixes)
    if (m.starts_with(p))
      return true;
  return false;
}

} // namespace

std::string with_jackson_location(std::string_view body, std::string_view message) {
  const bool at_end = (message.starts_with("Cannot construct instance of `") &&
                       message.find("`, problem: ") != std::string_view::npos) ||
                      message.find("missing type id property") != std::string_view::npos;
  const bool at_start = starts_with_any(message, {"Cannot deserialize value of type", "Unexpected token (",
                                                  "Numeric value (", "Could not resolve type id",
                                                  "Please make sure to load all the necessary extensions"});
  if (!at_end && !at_start)
    return std::string{message};
  auto cut = message.find(chain_marker);
  auto problem = message.substr(0, cut);
  auto chain = cut == std::string_view::npos ? std::string_view{} : message.substr(cut);
  // A polymorphic property's own problems name it without a chain
  // ("(for POJO property 'x')"): the path is not known, so no location.
  if (chain.empty() && message.find("(for POJO property '") != std::string_view::npos)
    return std::string{message};
  auto path = steps_of(chain);
  if (!path)
    return std::string{message};
  auto where = scanner{body}.find(*path);
  if (!where)
    return std::string{message};
  auto p = at_end ? where->second : where->first;
  return std::string{problem} + std::string{source} + "line: " + std::to_string(p.line) + ", column: " +
         std::to_string(p.column) + "]" + std::string{chain};
}

} // namespace compactsim::http
