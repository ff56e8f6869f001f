#pragma once
// fmt prints the model's enums by their names: fmt::format("{}", PhaseStatus::Passed) is
// "passed".
#include "model/enums.hpp"

#include <fmt/format.h>

template <typename E>
struct fmt::formatter<E, char, std::void_t<decltype(ciperf::EnumNames<E>::names)>>
    : fmt::formatter<std::string_view> {
  template <typename Context> auto format(E value, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(ciperf::to_string(value), ctx);
  }
};
