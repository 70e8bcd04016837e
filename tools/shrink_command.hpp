#pragma once
//! `compactsim shrink FILE [--seed N] [--out MIN.json]`: a failing run made
//! as small as it gets while it still fails the same check
//! (scenarios/shrink.hpp); prints each reduction and writes the result as a
//! plain scenario file that `compactsim run` fails the same way.

#include <string>

namespace compactsim::tools {

struct shrink_options {
  std::string file;
  std::string seed;    ///< "" for the file's
  std::string out;     ///< "" for <name>-seed<N>.min.json here
};

/// Exit code: 0 written, 1 the run passes (nothing to shrink), 2 bad arguments or file.
int shrink_command(const shrink_options& opts);

} // namespace compactsim::tools
