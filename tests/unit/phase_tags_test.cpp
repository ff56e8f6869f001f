// Opt-in phases: `tags:` in the pipeline file, the selection of `--tags` / $CIPERF_TAGS, and the
// tag set a run records.
#include "common/errors.hpp"
#include "pipeline/phase_tags.hpp"
#include "pipeline/pipeline_loader.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

using namespace ciperf;
using Catch::Matchers::Contains;

namespace {

Pipeline load(const std::string& phases) {
  test::TempDir dir;
  return load_pipeline(dir.write("p.yml", "version: 1\npipeline: t\nphases:\n" + phases));
}

std::string problems(const std::string& phases) {
  try {
    load(phases);
    return "";
  } catch (const PipelineError& e) {
    return e.what();
  }
}

constexpr const char* kPhases = "  - {name: build, run: 'true'}\n"
                                "  - {name: heavy, run: 'true', tags: [extra, slow]}\n"
                                "  - {name: fuzz, run: 'true', tags: fuzz}\n"
                                "  - {name: test, run: 'true'}\n";

std::vector<std::string> names(const Pipeline& p) {
  std::vector<std::string> out;
  for (const auto& phase : p.phases)
    out.push_back(phase.name);
  return out;
}

} // namespace

TEST_CASE("tags are a tag or a list of tags, each checked where it is written", "[tags]") {
  auto p = load(kPhases);
  CHECK(p.phases[1].tags == std::vector<std::string>{"extra", "slow"});
  CHECK(p.phases[2].tags == std::vector<std::string>{"fuzz"});
  CHECK(p.phases[0].tags.empty());
  CHECK_THAT(problems("  - {name: a, run: 'true', tags: ['has space']}\n"),
             Contains("4:") && Contains("'has space' in phase 'a' is not a tag"));
  CHECK_THAT(problems("  - {name: a, run: 'true', tags: {x: 1}}\n"),
             Contains("must be a tag or a list of tags, found a map"));
  CHECK_THAT(problems("  - {name: a, run: 'true', tags: []}\n"),
             Contains("must be a tag or a list of tags"));
  CHECK_THAT(problems("  - {name: a, run: 'true', tag: [x]}\n"), Contains("did you mean 'tags'"));
  CHECK_THAT(problems("  - {name: d, kind: deploy, run: 'true', tags: [x]}\n"),
             Contains("a deploy phase cannot be opt-in"));
  CHECK_THAT(problems("  - {name: t, kind: teardown, run: 'true', tags: [x]}\n"),
             Contains("a teardown phase cannot be opt-in"));
}

TEST_CASE("untagged phases always run, tagged ones only when a tag of theirs is selected",
          "[tags]") {
  auto p = load(kPhases);
  auto none = select_phases(p, {});
  CHECK(names(none.pipeline) == std::vector<std::string>{"build", "test"});
  CHECK(none.left_out == 2);
  CHECK(none.tag_set.empty());
  auto extra = select_phases(p, {"extra"});
  CHECK(names(extra.pipeline) == std::vector<std::string>{"build", "heavy", "test"});
  CHECK(extra.tag_set == "extra");
  auto both = select_phases(p, {"slow", "fuzz", "nope"});
  CHECK(names(both.pipeline) == std::vector<std::string>{"build", "heavy", "fuzz", "test"});
  CHECK(both.tag_set == "fuzz,slow"); // sorted: the same set always reads the same
  CHECK(both.unused == std::vector<std::string>{"nope"});
  auto only_tagged = load("  - {name: a, run: 'true', tags: [x]}\n");
  CHECK_THROWS_AS(select_phases(only_tagged, {}), UsageError);
}

TEST_CASE("tag lists are comma-separated and repeatable, $CIPERF_TAGS is the default", "[tags]") {
  CHECK(selected_tags({"extra, slow", "fuzz"}) == std::set<std::string>{"extra", "fuzz", "slow"});
  ::setenv("CIPERF_TAGS", "extra,,nightly", 1);
  CHECK(selected_tags({}) == std::set<std::string>{"extra", "nightly"});
  CHECK(selected_tags({"fuzz"}) == std::set<std::string>{"fuzz"}); // the flag wins
  ::setenv("CIPERF_TAGS", "bad tag", 1);
  CHECK_THROWS_AS(selected_tags({}), UsageError);
  ::unsetenv("CIPERF_TAGS");
  CHECK(selected_tags({}).empty());
}
