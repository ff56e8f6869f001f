// JUnit XML: a run is a test suite and its phases test cases, so a CI server's test view shows
// phase times and failures. Valid against schema/junit.xsd, which states junit-10.xsd's rules
// (the schema of Jenkins' xUnit plugin), so Jenkins and GitLab read it.
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
    c.errors += p.status == PhaseStatus::Interrupted || p.status == PhaseStatus::Error;
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

bool imported_junit(const RunRecord& r) {
  auto source = r.labels.find("source");
  return source != r.labels.end() && source->second == "junit";
}

// An imported case keeps its classname as it was (a pipeline prefix per round trip would grow),
// and its name without the `classname::` that the import put before it.
std::string case_classname(const RunRecord& r, const PhaseRecord& p) {
  return imported_junit(r) ? p.tier : junit_classname(r, p);
}

std::string case_name(const RunRecord& r, const PhaseRecord& p) {
  std::string prefix = p.tier + "::";
  if (imported_junit(r) && !p.tier.empty() && p.name.starts_with(prefix))
    return p.name.substr(prefix.size());
  return p.name;
}

// An imported case's output, as it had it (cut to a few KiB by the import).
void write_output(const PhaseRecord& p, std::ostream& out) {
  if (!p.system_out.empty())
    out << "      <system-out>" << xml_escape(p.system_out) << "</system-out>\n";
  if (!p.system_err.empty())
    out << "      <system-err>" << xml_escape(p.system_err) << "</system-err>\n";
}

void write_outcome(const ReportRun& run, const PhaseRecord& p, std::ostream& out) {
  // A case's properties stay behind: junit-10.xsd, which Jenkins checks, has no <properties> in a
  // <testcase> (results.json keeps them).
  bool kept = !p.system_out.empty() || !p.system_err.empty();
  if (p.status == PhaseStatus::Passed && !kept) {
    out << "/>\n";
    return;
  }
  out << ">\n";
  if (p.status == PhaseStatus::Passed) {
  } else if (!p.ran()) {
    // A skipped case of ciperf's own was left out after a failure; an imported one says why.
    std::string why = p.message.empty() ? "not run: an earlier phase failed" : p.message;
    out << "      <skipped" << attribute("message", why) << "/>\n";
  } else {
    const char* element = p.status == PhaseStatus::Interrupted || p.status == PhaseStatus::Error
                              ? "error"
                              : "failure";
    out << "      <" << element << attribute("message", failure_summary(p))
        << attribute("type", to_string(p.status)) << ">";
    if (auto tail = run.log_tails.find(p.index); tail != run.log_tails.end())
      out << xml_escape(tail->second);
    out << "</" << element << ">\n";
  }
  write_output(p, out);
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
    out << "    <testcase" << attribute("classname", case_classname(r, p))
        << attribute("name", case_name(r, p)) << fmt::format(" time=\"{:.3f}\"", p.wall_s);
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
