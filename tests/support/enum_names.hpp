#pragma once
// Tests write the model's enums by name, as the files and the store do.
#include "model/enums.hpp"

#include <stdexcept>
#include <string>

namespace ciperf::test {

template <typename E> E named(const std::string& name) {
  auto value = parse_enum<E>(name);
  if (!value)
    throw std::invalid_argument("no such name: " + name);
  return *value;
}

} // namespace ciperf::test
