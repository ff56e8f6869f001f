// JUnit XML: a run is a test suite and its phases test cases, so a CI server's test view shows
// phase times and failures. Valid against schema/junit.xsd (the shape Jenkins and GitLab read).
// A phase's own test cases (its `junit:` files) follow it in the same suite, their classname the
// phase's classname and name ("pipeline.tier.phase"): JUnit suites do not nest.
#include "common/text_escape.hpp"
#include "reports/report_format.hpp"
#include "reports/report_text.hpp"

#include <fmt/format.h>
#include <ostream>

namespace ciperf {
namespace {

struct Counts {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  double time = 0;
};

Counts count(const RunRecord& run) {
  Counts c;
  c.time = run.wall_s;
  for (const auto& p : run.phases) {
    ++c.tests;
    c.failures += p.status == PhaseStatus::Failed || p.status == PhaseStatus::Timeout;
    c.errors += p.status == PhaseStatus::Interrupted;
    c.skipped += !p.ran();
    for (const auto& t : p.tests) {
      ++c.tests;
      c.failures += t.status == PhaseStatus::Failed || t.status == PhaseStatus::Timeout;
      c.errors += t.status == PhaseStatus::Interrupted;
      c.skipped += t.status == PhaseStatus::Skipped;
    }
  }
  return c;
}

std::string attribute(const char* name, std::string_view value) {
  return fmt::format(" {}=\"{}\"", name, xml_escape(value));
}

void write_outcome(const ReportRun& run, const PhaseRecord& p, std::ostream& out) {
  if (p.status == PhaseStatus::Passed) {
    out << "/>\n";
    return;
  }
  out << ">\n";
  if (!p.ran()) {
    out << "      <skipped" << attribute("message", "not run: an earlier phase failed") << "/>\n";
  } else {
    const char* element = p.status == PhaseStatus::Interrupted ? "error" : "failure";
    out << "      <" << element << attribute("message", failure_summary(p))
        << attribute("type", to_string(p.status)) << ">";
    if (auto tail = run.log_tails.find(p.index); tail != run.log_tails.end())
      out << xml_escape(tail->second);
    out << "</" << element << ">\n";
  }
  out << "    </testcase>\n";
}

void write_test(const std::string& classname, const TestCaseRecord& t, std::ostream& out) {
  out << "    <testcase" << attribute("classname", classname) << attribute("name", t.name)
      << fmt::format(" time=\"{:.3f}\"", t.wall_s);
  if (t.status == PhaseStatus::Passed) {
    out << "/>\n";
    return;
  }
  const char* element = t.status == PhaseStatus::Skipped       ? "skipped"
                        : t.status == PhaseStatus::Interrupted ? "error"
                                                               : "failure";
  out << ">\n      <" << element << attribute("message", t.message) << "/>\n    </testcase>\n";
}

void write_suite(const ReportRun& run, std::ostream& out) {
  const RunRecord& r = run.record;
  Counts c = count(r);
  out << "  <testsuite" << attribute("name", r.pipeline)
      << fmt::format(" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\"",
                     c.tests, c.failures, c.errors, c.skipped, c.time)
      << attribute("timestamp", r.started_at.substr(0, 19))
      << attribute("hostname", r.host.hostname) << attribute("id", r.run_id)
      << ">\n    <properties>\n";
  auto property = [&](std::string_view name, std::string_view value) {
    out << "      <property" << attribute("name", name) << attribute("value", value) << "/>\n";
  };
  property("ciperf.run_id", r.run_id);
  property("ciperf.mode", to_string(r.mode));
  property("ciperf.status", to_string(r.status));
  for (const auto& [key, value] : r.labels)
    property("label." + key, value);
  out << "    </properties>\n";
  for (const auto& p : r.phases) {
    out << "    <testcase" << attribute("classname", junit_classname(r, p))
        << attribute("name", p.name) << fmt::format(" time=\"{:.3f}\"", p.wall_s);
    write_outcome(run, p, out);
    for (const auto& t : p.tests)
      write_test(junit_classname(r, p) + "." + p.name, t, out);
  }
  out << "  </testsuite>\n";
}

class JunitExport : public Exporter {
public:
  // The totals on <testsuites> are optional for Jenkins and GitLab, and would need every run
  // before the first is written: each <testsuite> carries its own.
  void begin(std::ostream& out) override {
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" << attribute("name", "ciperf")
        << ">\n";
  }
  void run(const ReportRun& run, std::ostream& out) override { write_suite(run, out); }
  void end(std::ostream& out) override { out << "</testsuites>\n"; }
};

} // namespace

std::unique_ptr<Exporter> make_junit_export() {
  return std::make_unique<JunitExport>();
}

} // namespace ciperf
