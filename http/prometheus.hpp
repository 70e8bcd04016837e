#pragma once
//! The one Prometheus text-format writer (exposition format 0.0.4). Every
//! /metrics in the project, a BE's and the control API's, is a list of
//! families rendered here: one HELP and TYPE per family, label values
//! escaped, numbers printed the same way everywhere. `promtool check
//! metrics` judges the result in the test suite.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace compactsim::http::prometheus {

using label_set = std::vector<std::pair<std::string, std::string>>;

/// One line of a family. `suffix` is "_bucket", "_sum" or "_count" for a
/// histogram's parts and empty otherwise.
struct sample {
  label_set labels;
  double value = 0;
  std::string suffix;
};

struct family {
  std::string name;
  std::string type;   ///< "counter", "gauge" or "histogram"
  std::string help;
  std::vector<sample> samples;

  family& add(label_set l, double v, std::string suffix = {});
};

/// A label value or HELP text with the format's escapes (\\, \" and \n).
std::string escape(std::string_view text, bool quote_too = true);

/// Shortest text that reads back as `v` ("+Inf", "NaN" included).
std::string number(double v);

/// The exposition text of `families`, in order.
std::string render(const std::vector<family>& families);

} // namespace compactsim::http::prometheus
