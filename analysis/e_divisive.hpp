#pragma once
// E-divisive with means (Matteson & James, 2014), as Apache Otava and MongoDB's performance CI
// run it: binary segmentation on the energy statistic (α = 1, the split's end fixed at the
// segment's end) with a permutation test per split. O(n²) per split and per permutation, so it
// serves as the reference that bench/run changes measures analysis/change_points.hpp against.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ciperf {

struct EDivisiveOptions {
  double alpha = 0.01;
  int min_segment = 5;
  int permutations = 199;
  uint64_t seed = 1;
};

// The indices of the first value after each change, in order.
std::vector<size_t> e_divisive(std::span<const double> values,
                               const EDivisiveOptions& options = {});

} // namespace ciperf
