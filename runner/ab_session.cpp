#include "runner/ab_session.hpp"

#include "common/errors.hpp"
#include "common/text_escape.hpp"
#include "exec/signal_pipe.hpp"
#include "reports/human_units.hpp"
#include "runner/orchestrator.hpp"
#include "runner/run_context.hpp"
#include "runner/warm_up.hpp"
#include "store/store.hpp"

#include <chrono>
#include <fmt/format.h>
#include <iostream>
#include <random>
#include <string_view>

namespace ciperf {
namespace {

RunOutcome run_side(const Pipeline& p, const AbOptions& o,
                    std::map<std::string, std::string> labels, const char* side, int pair,
                    Store& store) {
  labels["ab.side"] = side;
  const std::string& tag_set = side == std::string_view("A") ? o.tag_set_a : o.tag_set_b;
  if (!tag_set.empty())
    labels["tags"] = tag_set;
  labels["ab.pair"] = std::to_string(pair);
  RunOptions options;
  options.mode = o.mode;
  options.labels = std::move(labels);
  options.quiet = true;
  return run_pipeline(p, options, store);
}

bool warm_up_both(const Pipeline& a, const Pipeline& b, RunMode mode, int& exit_code) {
  for (const auto* p : {&a, &b}) {
    std::cerr << "ciperf: warm-up run of " << shown_name(*p) << " (not recorded)\n";
    if (int code = warm_up(*p, mode); code != kExitPassed) {
      std::cerr << "ciperf: the warm-up run of " << shown_name(*p)
                << (code == kExitInterrupted ? " was interrupted" : " did not pass")
                << "; no A/B session\n";
      exit_code = code == kExitInterrupted ? kExitInterrupted : kExitFailed;
      return false;
    }
  }
  return true;
}

} // namespace

AbOutcome run_ab_session(const Pipeline& a, const Pipeline& b, const AbOptions& o, Store& store) {
  AbOutcome out;
  out.session = "ab-" + new_run_id(std::chrono::system_clock::now());
  std::cerr << fmt::format("ciperf: A/B session {}, order seed {} (--seed {} repeats it)\n",
                           out.session, o.seed, o.seed);
  InterruptLatch latch; // Ctrl-C between two runs stops the session, as one during a run does
  if (!warm_up_both(a, b, o.mode, out.exit_code))
    return out;
  if (latch.interrupted()) {
    out.exit_code = kExitInterrupted;
    return out;
  }
  auto labels = o.labels;
  labels["ab.session"] = out.session;
  std::mt19937_64 rng(o.seed);
  std::bernoulli_distribution coin(0.5);
  for (int i = 1; i <= o.pairs; ++i) {
    AbPair pair;
    pair.b_first = coin(rng);
    RunOutcome first =
        run_side(pair.b_first ? b : a, o, labels, pair.b_first ? "B" : "A", i, store);
    bool go_on = first.exit_code == kExitPassed && !latch.interrupted();
    RunOutcome second =
        go_on ? run_side(pair.b_first ? a : b, o, labels, pair.b_first ? "A" : "B", i, store)
              : first;
    pair.a = pair.b_first ? second.record : first.record;
    pair.b = pair.b_first ? first.record : second.record;
    std::cerr << fmt::format("[{}/{}] {} first: A {} · B {}\n", i, o.pairs,
                             pair.b_first ? "B" : "A", human_seconds(pair.a.wall_s),
                             human_seconds(pair.b.wall_s));
    int code = first.exit_code != kExitPassed ? first.exit_code : second.exit_code;
    if (code == kExitPassed && latch.interrupted())
      code = kExitInterrupted;
    if (code != kExitPassed) {
      std::cerr << fmt::format("ciperf: A/B session stopped: a run {} ({} complete pair{} kept "
                               "in the store)\n",
                               code == kExitInterrupted ? "was interrupted" : "did not pass",
                               out.pairs.size(), out.pairs.size() == 1 ? "" : "s");
      out.exit_code = code == kExitInterrupted ? kExitInterrupted : kExitFailed;
      return out;
    }
    out.pairs.push_back(std::move(pair));
  }
  return out;
}

} // namespace ciperf
