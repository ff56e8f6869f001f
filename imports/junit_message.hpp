#pragma once
// The one line of a JUnit <failure>, <error> or <skipped> that says what went wrong. Producers
// put other things first: a location (GoogleTest's `t.cpp:5`, PHPUnit's last line), a heading
// (Catch2's `FAILED:`, Boost.Test's `ASSERTION FAILURE:`), the test's own name (PHPUnit), or a
// word that says nothing (`failure`, ctest's empty message); those lines are passed over.
#include <string>
#include <string_view>

namespace ciperf {

// The useful line of `text`, "" when there is none. `test` is the case's `Class::name`, which
// PHPUnit repeats as the first line. A line that ends in ':' (GoogleTest's "Expected equality
// of these values:") is continued by the lines after it, up to a few hundred characters.
std::string useful_line(std::string_view text, std::string_view test = {});

} // namespace ciperf
