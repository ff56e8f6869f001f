#pragma once
// The closed sets of the run model. Code compares these enums; their names appear only at the
// edges (the store, JSON, text), through the one to_string/parse pair below, so a value is
// spelled in exactly one place: its EnumNames list.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace ciperf {

// `error` is an imported test's error (JUnit <error>: it broke before its assertion could fail),
// kept apart from a failure; ciperf's own phases never have it.
enum class PhaseStatus { Passed, Failed, Timeout, Skipped, Interrupted, Error };
// `incomplete` is what the store says of a run still going (or killed) and never finalised.
enum class RunStatus { Passed, Failed, Timeout, Interrupted, Incomplete };
enum class PhaseKind { Deploy, Wait, Build, Test, Teardown, Other };
enum class RunMode { Normal, Cold, Warm };
enum class WaitOutcome { Ready, Timeout, Failed, Interrupted };
enum class ProbeKind { Http, Tcp, Exec, Log, Swarm };
// Where a run's per-phase figures come from: each phase's own cgroup (its whole process tree,
// daemons included, and its own pressure stalls), or wait4's rusage of the processes ciperf reaped.
enum class Accounting { Rusage, Cgroup };

template <typename E> struct EnumNames;
template <> struct EnumNames<PhaseStatus> {
  static constexpr std::array<std::string_view, 6> names = {"passed",  "failed",      "timeout",
                                                            "skipped", "interrupted", "error"};
};
template <> struct EnumNames<RunStatus> {
  static constexpr std::array<std::string_view, 5> names = {"passed", "failed", "timeout",
                                                            "interrupted", "incomplete"};
};
template <> struct EnumNames<PhaseKind> {
  static constexpr std::array<std::string_view, 6> names = {"deploy", "wait",     "build",
                                                            "test",   "teardown", "other"};
};
template <> struct EnumNames<RunMode> {
  static constexpr std::array<std::string_view, 3> names = {"normal", "cold", "warm"};
};
template <> struct EnumNames<WaitOutcome> {
  static constexpr std::array<std::string_view, 4> names = {"ready", "timeout", "failed",
                                                            "interrupted"};
};
template <> struct EnumNames<ProbeKind> {
  static constexpr std::array<std::string_view, 5> names = {"http", "tcp", "exec", "log", "swarm"};
};

template <> struct EnumNames<Accounting> {
  static constexpr std::array<std::string_view, 2> names = {"rusage", "cgroup"};
};

template <typename E>
requires std::is_enum_v<E> std::string to_string(E value) {
  return std::string(EnumNames<E>::names[static_cast<size_t>(value)]);
}

template <typename E> constexpr std::optional<E> parse_enum(std::string_view text) {
  for (size_t i = 0; i < EnumNames<E>::names.size(); ++i)
    if (EnumNames<E>::names[i] == text)
      return static_cast<E>(i);
  return std::nullopt;
}

// The phase took part in the run (skipped phases did not).
constexpr bool ran(PhaseStatus s) {
  return s != PhaseStatus::Skipped;
}
// The phase ran and did not pass: it failed, erred, timed out or was interrupted.
constexpr bool failed(PhaseStatus s) {
  return s == PhaseStatus::Failed || s == PhaseStatus::Timeout || s == PhaseStatus::Interrupted ||
         s == PhaseStatus::Error;
}
// What a phase's outcome makes of the run when it is the first thing that stopped it.
constexpr RunStatus run_status_of(PhaseStatus s) {
  return s == PhaseStatus::Timeout       ? RunStatus::Timeout
         : s == PhaseStatus::Interrupted ? RunStatus::Interrupted
         : s == PhaseStatus::Passed      ? RunStatus::Passed
                                         : RunStatus::Failed;
}
// What a wait's outcome makes of its phase.
constexpr PhaseStatus phase_status_of(WaitOutcome o) {
  return o == WaitOutcome::Ready         ? PhaseStatus::Passed
         : o == WaitOutcome::Timeout     ? PhaseStatus::Timeout
         : o == WaitOutcome::Interrupted ? PhaseStatus::Interrupted
                                         : PhaseStatus::Failed;
}
// The baseline mode a run of `mode` is judged against: normal runs clear no caches, so the warm
// side of a baseline is their like.
constexpr RunMode baseline_mode(RunMode mode) {
  return mode == RunMode::Normal ? RunMode::Warm : mode;
}

} // namespace ciperf

#include "model/enum_format.hpp" // fmt prints these enums by name, never as numbers
