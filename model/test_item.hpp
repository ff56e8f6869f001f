#pragma once
// A phase's test case as an item of its own for the analyses (compare, attribute, changes with
// --tests): named "phase/test", so two phases' tests of one name stay apart, kind test, tier its
// phase's name, its position its phase's. The test runner measured its time and status only.
#include "model/run_record.hpp"

namespace ciperf {

inline std::string test_item_name(const std::string& phase, const std::string& test) {
  return phase + "/" + test;
}

inline PhaseRecord test_item(const PhaseRecord& phase, const TestCaseRecord& test) {
  PhaseRecord item;
  item.index = phase.index;
  item.name = test_item_name(phase.name, test.name);
  item.kind = PhaseKind::Test;
  item.tier = phase.name;
  item.status = test.status;
  item.start_s = phase.start_s + test.start_s;
  item.wall_s = test.wall_s;
  item.message = test.message;
  return item;
}

} // namespace ciperf
