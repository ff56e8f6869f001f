#include "imports/junit_reader.hpp"

#include "common/local_time.hpp"
#include "common/rfc3339.hpp"
#include "imports/import_error.hpp"
#include "imports/junit_counts.hpp"
#include "imports/junit_message.hpp"
#include "imports/phase_keeper.hpp"
#include "imports/run_identity.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <expat.h>
#include <fmt/format.h>
#include <istream>
#include <memory>

namespace ciperf {
namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMaxText = 4096; // of a failure's text, an output, a property
constexpr size_t kMaxDepth = 256;
// A passed case keeps less of its output: a file of 20,000 chatty passes would otherwise keep
// 160 MiB of it, and what a failure printed is what someone reads.
constexpr size_t kMaxPassedOutput = 256;

// Text kept up to kMaxText bytes; what is past it is counted, and said by a marker.
struct BoundedText {
  std::string text;
  size_t dropped = 0;
  void append(const char* data, size_t n) {
    size_t room = kMaxText - std::min(text.size(), kMaxText);
    text.append(data, std::min(n, room));
    dropped += n - std::min(n, room);
  }
  std::string finish(size_t limit = kMaxText) {
    if (text.size() > limit) {
      dropped += text.size() - limit;
      text.resize(limit);
    }
    text.shrink_to_fit(); // a kept phase holds its text, not the 4 KiB it was read into
    if (dropped > 0)
      text += fmt::format("\n[… {} more bytes cut by ciperf]", dropped);
    dropped = 0;
    return std::move(text);
  }
};

// A <testcase> being read: what its children said, resolved into a status at its end.
struct OpenCase {
  PhaseRecord phase;
  std::string test; // `classname::name`, which PHPUnit repeats in its failure text
  bool skipped = false, failure = false, error = false, disabled = false;
  std::string skip_type, skip_message, problem_message;
  BoundedText problem_text, out, err;
};

struct OpenSuite {
  std::string name, stamp;
  long line = 0;
  std::optional<double> time;
  JunitCountsSaid said; // its own tests, failures, … attributes
  JunitCounts seen;     // what its cases (nested suites' too) are
  double start_elapsed = 0;
  std::string ciperf_run_id; // a suite ciperf's JUnit export wrote: a run of its own
  std::map<std::string, std::string> labels;
};

// Everything the callbacks share. They never throw (expat is C): a problem is recorded and the
// parser stopped.
struct JunitState {
  XML_Parser parser = nullptr;
  std::string name, identity;
  int64_t fallback_start_ns = 0;
  ImportOptions options;
  std::vector<RunRecord> runs;
  // The run the file is: its cases so far, from every suite.
  PhaseKeeper cases{kMaxImportedPhasesPerRun};
  double elapsed = 0; // the sum of its suites' and cases' times so far: the next case's start
  bool failed = false;
  std::string stamp, hostname, root_name, suite_error;
  std::optional<double> root_time;
  bool utc_writer = false; // a JavaScript reporter: zone-less stamps are UTC
  size_t kept = 0;         // cases kept by the runs read so far, against the file's cap
  std::vector<OpenSuite> open_suites;
  std::optional<OpenCase> testcase;
  enum class Text { None, Problem, Out, Err, Property, SuiteError } text = Text::None;
  std::string property_name;
  BoundedText property_text;
  size_t depth = 0;
  bool root_seen = false;
  int runs_made = 0;
  int top_level_suites = 0;
  std::string first_top_suite;
  std::string error;

  void fail(const std::string& problem) {
    if (error.empty())
      error = fmt::format("{}:{}:{}: {}", name, XML_GetCurrentLineNumber(parser),
                          XML_GetCurrentColumnNumber(parser) + 1, problem);
    XML_StopParser(parser, XML_FALSE);
  }
};

const char* attribute(const XML_Char** attrs, const char* key) {
  for (size_t i = 0; attrs[i]; i += 2)
    if (std::strcmp(attrs[i], key) == 0)
      return attrs[i + 1];
  return nullptr;
}

std::string attribute_or(const XML_Char** attrs, const char* key, const char* fallback = "") {
  const char* v = attribute(attrs, key);
  return v ? v : fallback;
}

// A `time` attribute in seconds; nullopt when absent, and a failure when not a number.
std::optional<double> seconds(JunitState& s, const XML_Char** attrs) {
  const char* text = attribute(attrs, "time");
  if (!text || !*text)
    return std::nullopt;
  std::string clean;
  for (const char* c = text; *c; ++c)
    if (*c != ',') // "1,234.5" as some writers format thousands
      clean += *c;
  char* end = nullptr;
  double v = std::strtod(clean.c_str(), &end);
  if (end == clean.c_str() || *end != '\0' || !std::isfinite(v) || v < 0 || v > 1e7) {
    s.fail(fmt::format("time=\"{}\" is not a number of seconds", text));
    return std::nullopt;
  }
  return v;
}

// mocha's xunit reporter dates its suite as HTTP does: "Thu, 03 Dec 2026 07:45:59 GMT".
std::optional<int64_t> parse_http_date_ns(const std::string& text) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char month[4] = {};
  int day = 0, year = 0, h = 0, m = 0, sec = 0;
  if (std::sscanf(text.c_str(), "%*3s, %2d %3s %4d %2d:%2d:%2d GMT", &day, month, &year, &h, &m,
                  &sec) != 6)
    return std::nullopt;
  for (int i = 0; i < 12; ++i)
    if (std::strcmp(month, kMonths[i]) == 0)
      return parse_rfc3339_ns(
          fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", year, i + 1, day, h, m, sec));
  return std::nullopt;
}

int64_t start_of(const JunitState& s, const std::string& stamp) {
  if (stamp.empty())
    return s.fallback_start_ns;
  std::string zone = s.options.zone.value_or(s.utc_writer ? "UTC" : "");
  auto ns = parse_local_time_ns(stamp, zone);
  if (!ns)
    ns = parse_http_date_ns(stamp);
  return ns.value_or(s.fallback_start_ns);
}

// xmlrunner names each suite `Class-YYYYMMDDhhmmss`: the date would make every run a pipeline of
// its own.
std::string without_datestamp(std::string name) {
  size_t dash = name.size() >= 15 ? name.size() - 15 : std::string::npos;
  if (dash != std::string::npos && name[dash] == '-' &&
      std::all_of(name.begin() + static_cast<long>(dash) + 1, name.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    name.resize(dash);
  return name;
}

// The run made of the cases read since the last one: the whole file, or one suite ciperf wrote.
void make_run(JunitState& s, const std::string& pipeline, const std::string& stamp,
              std::optional<double> time, const std::string& run_id,
              std::map<std::string, std::string> labels) {
  RunRecord r;
  r.run_id = run_id.empty() ? run_id_for(s.identity, s.runs_made) : run_id;
  ++s.runs_made;
  r.pipeline = pipeline.empty() ? "junit" : pipeline;
  r.mode = RunMode::Normal;
  r.status = s.failed ? RunStatus::Failed : RunStatus::Passed;
  r.labels = std::move(labels);
  r.labels["source"] = "junit";
  if (!s.suite_error.empty())
    r.labels["junit.suite_error"] = s.suite_error;
  r.host.hostname = s.hostname;
  r.phases = s.cases.take();
  note_left_out(r, s.cases);
  s.kept += r.phases.size();
  // A suite's `time` may be shorter than its cases (ctest's is whole seconds): the run lasts at
  // least as long as what ran in it, so no phase starts after its end.
  r.wall_s = std::max(time.value_or(0), s.elapsed);
  int64_t begin = start_of(s, stamp);
  r.started_at = format_rfc3339_ms(begin);
  r.finished_at = format_rfc3339_ms(begin + seconds_to_ns(r.wall_s));
  s.runs.push_back(std::move(r));
  size_t room = kMaxImportedPhasesPerFile - std::min(s.kept, kMaxImportedPhasesPerFile);
  s.cases = PhaseKeeper(std::min(kMaxImportedPhasesPerRun, room));
  s.elapsed = 0;
  s.failed = false;
  s.suite_error.clear();
  s.stamp.clear();
}

void start_suite(JunitState& s, const XML_Char** attrs) {
  OpenSuite suite;
  suite.name = attribute_or(attrs, "name");
  suite.stamp = attribute_or(attrs, "timestamp");
  suite.line = static_cast<long>(XML_GetCurrentLineNumber(s.parser));
  suite.time = seconds(s, attrs);
  suite.said = counts_said(attrs);
  suite.start_elapsed = s.elapsed;
  if (s.open_suites.empty() && s.top_level_suites++ == 0)
    s.first_top_suite = suite.name;
  if (suite.name == "Root Suite") // mocha-junit-reporter
    s.utc_writer = true;
  if (s.stamp.empty())
    s.stamp = suite.stamp;
  std::string host = attribute_or(attrs, "hostname");
  if (s.hostname.empty() && host != "tbd") // Catch2 writes "tbd"
    s.hostname = host;
  s.open_suites.push_back(std::move(suite));
}

void end_suite(JunitState& s) {
  OpenSuite suite = std::move(s.open_suites.back());
  s.open_suites.pop_back();
  // The next suite starts when this one ended by its own clock, if that is later.
  s.elapsed = std::max(s.elapsed, suite.start_elapsed + suite.time.value_or(0));
  if (auto disagreement = disagreement_of(suite.said, suite.seen);
      !disagreement.empty() && s.options.warnings)
    s.options.warnings->push_back(fmt::format("{}:{}: <testsuite name=\"{}\"> {}", s.name,
                                              suite.line, suite.name, disagreement));
  if (!suite.ciperf_run_id.empty() && s.open_suites.empty() && s.cases.added() > 0)
    make_run(s, suite.name, suite.stamp.empty() ? std::string() : suite.stamp + "Z", suite.time,
             suite.ciperf_run_id, std::move(suite.labels));
}

void start_testcase(JunitState& s, const XML_Char** attrs) {
  if (s.open_suites.empty())
    return s.fail("<testcase> outside a <testsuite>");
  const char* name = attribute(attrs, "name");
  if (!name)
    return s.fail("<testcase> without a name");
  OpenCase c;
  std::string classname = attribute_or(attrs, "classname");
  if (classname.empty()) // prove writes none: the suite (the script) is the class
    classname = s.open_suites.back().name;
  c.phase.name = name;
  c.phase.tier = classname;
  std::string_view n = name;
  // jest-junit and mocha-junit-reporter put the test's title in both, or the full title in one
  bool named_by_class = classname.empty() || n == classname || n.ends_with(" " + classname) ||
                        n.starts_with(classname + " ");
  if (!named_by_class)
    c.phase.name = classname + kJunitIdentitySeparator + name;
  c.test = classname + kJunitIdentitySeparator + name;
  c.phase.kind = PhaseKind::Test;
  c.phase.wall_s = seconds(s, attrs).value_or(0);
  std::string status = attribute_or(attrs, "status"), result = attribute_or(attrs, "result");
  // ctest: status="disabled"; GoogleTest: status="notrun" result="suppressed" (DISABLED_)
  c.disabled =
      status == "disabled" || result == "suppressed" || (status == "notrun" && result.empty());
  s.testcase = std::move(c);
}

void start_outcome(JunitState& s, std::string_view e, const XML_Char** attrs) {
  OpenCase& c = *s.testcase;
  if (e == "skipped") {
    c.skipped = true;
    c.skip_type = attribute_or(attrs, "type");
    c.skip_message = attribute_or(attrs, "message");
  } else {
    (e == "error" ? c.error : c.failure) = true;
    if (c.problem_message.empty() && c.problem_text.text.empty())
      c.problem_message = attribute_or(attrs, "message");
  }
  s.text = e == "skipped" ? JunitState::Text::None : JunitState::Text::Problem;
}

// What the case's children said, as one status and its one line.
void resolve(OpenCase& c) {
  PhaseRecord& p = c.phase;
  std::string problem = useful_line(c.problem_message, c.test);
  if (problem.empty())
    problem = useful_line(c.problem_text.text, c.test);
  if (problem.empty() && (c.failure || c.error)) // ctest: the reason is in the output
    problem = useful_line(c.out.text + "\n" + c.err.text, c.test);
  std::string skip = useful_line(c.skip_message, c.test);
  if (c.skipped && (c.failure || c.error)) { // Catch2's [!mayfail] and [!shouldfail]
    p.status = PhaseStatus::Skipped;
    p.message = "expected failure: " + (problem.empty() ? skip : problem);
  } else if (c.error || c.failure) {
    p.status = c.error ? PhaseStatus::Error : PhaseStatus::Failed;
    p.message = problem.empty() ? (c.error ? "error" : "failure") : problem;
  } else if (c.skipped) {
    p.status = PhaseStatus::Skipped;
    bool xfail = c.skip_type == "pytest.xfail" && !skip.starts_with("expected failure");
    p.message = xfail ? "expected failure: " + skip : skip.empty() ? "skipped" : skip;
  } else if (c.disabled) {
    p.status = PhaseStatus::Skipped;
    p.message = "disabled";
  } else {
    p.status = PhaseStatus::Passed;
  }
}

void end_testcase(JunitState& s) {
  OpenCase& c = *s.testcase;
  resolve(c);
  size_t limit = c.phase.status == PhaseStatus::Passed ? kMaxPassedOutput : kMaxText;
  c.phase.system_out = c.out.finish(limit);
  c.phase.system_err = c.err.finish(limit);
  for (auto& suite : s.open_suites)
    count_case(suite.seen, c.phase.status, c.skipped, c.failure, c.error);
  c.phase.start_s = s.elapsed;
  s.elapsed += c.phase.wall_s;
  s.failed = s.failed || c.phase.failed();
  s.cases.add(std::move(c.phase));
  s.testcase.reset();
}

void start_property(JunitState& s, const XML_Char** attrs) {
  s.property_name = attribute_or(attrs, "name");
  const char* value = attribute(attrs, "value");
  s.property_text = {};
  if (value)
    s.property_text.append(value, std::strlen(value));
  else
    s.text = JunitState::Text::Property; // <property name="n">value</property>
}

void end_property(JunitState& s) {
  s.text = JunitState::Text::None;
  std::string value = s.property_text.finish();
  if (s.testcase) {
    std::string& all = s.testcase->phase.properties;
    all += (all.empty() ? "" : "\n") + s.property_name + "=" + value;
    return;
  }
  if (s.open_suites.empty())
    return;
  OpenSuite& suite = s.open_suites.back();
  if (s.property_name == "ciperf.run_id")
    suite.ciperf_run_id = value;
  else if (s.property_name.starts_with("label."))
    suite.labels[s.property_name.substr(6)] = value;
}

void on_start(void* data, const XML_Char* element, const XML_Char** attrs) {
  auto& s = *static_cast<JunitState*>(data);
  if (++s.depth > kMaxDepth)
    return s.fail("elements nested deeper than 256");
  std::string_view e = element;
  if (!s.root_seen) {
    s.root_seen = true;
    if (e != "testsuites" && e != "testsuite")
      return s.fail(fmt::format("not JUnit XML: the root element is <{}>, not <testsuites> or "
                                "<testsuite>",
                                element));
    if (e == "testsuites") {
      s.root_name = attribute_or(attrs, "name");
      s.root_time = seconds(s, attrs);
      s.stamp = attribute_or(attrs, "timestamp");
      s.utc_writer = s.root_name == "jest tests" || s.root_name == "Mocha Tests";
    }
  }
  if (e == "testsuite")
    return start_suite(s, attrs);
  if (e == "testcase")
    return start_testcase(s, attrs);
  if (e == "property")
    return start_property(s, attrs);
  if (!s.testcase) {
    if (e == "error" && !s.open_suites.empty()) { // prove: the script died after its tests
      s.failed = true;
      for (auto& suite : s.open_suites)
        ++suite.seen.errors;
      std::string message = attribute_or(attrs, "message", "error");
      s.suite_error += (s.suite_error.empty() ? "" : "; ") + s.open_suites.back().name + ": " +
                       message.substr(0, 500);
    }
    return;
  }
  if (e == "failure" || e == "error" || e == "skipped")
    start_outcome(s, e, attrs);
  else if (e == "system-out")
    s.text = JunitState::Text::Out;
  else if (e == "system-err")
    s.text = JunitState::Text::Err;
}

void on_end(void* data, const XML_Char* element) {
  auto& s = *static_cast<JunitState*>(data);
  --s.depth;
  std::string_view e = element;
  if (e == "testcase" && s.testcase)
    end_testcase(s);
  else if (e == "testsuite" && !s.open_suites.empty())
    end_suite(s);
  else if (e == "property")
    end_property(s);
  else
    s.text = JunitState::Text::None;
}

void on_text(void* data, const XML_Char* text, int length) {
  auto& s = *static_cast<JunitState*>(data);
  auto n = static_cast<size_t>(length);
  if (s.text == JunitState::Text::Property)
    return s.property_text.append(text, n);
  if (!s.testcase)
    return;
  if (s.text == JunitState::Text::Problem)
    s.testcase->problem_text.append(text, n);
  else if (s.text == JunitState::Text::Out)
    s.testcase->out.append(text, n);
  else if (s.text == JunitState::Text::Err)
    s.testcase->err.append(text, n);
}

void on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<JunitState*>(data)->fail("a DOCTYPE is not allowed (entities are never expanded)");
}

void on_entity(void* data, const XML_Char* name, int, const XML_Char*, int, const XML_Char*,
               const XML_Char*, const XML_Char*, const XML_Char*) {
  static_cast<JunitState*>(data)->fail(
      fmt::format("entity declaration '{}' is not allowed (entities are never expanded)", name));
}

int on_external_entity(XML_Parser, const XML_Char*, const XML_Char*, const XML_Char*,
                       const XML_Char*) {
  return XML_STATUS_ERROR;
}

// The file's run, named by its root, or by its only top-level suite.
void finish_file(JunitState& s) {
  if (s.cases.added() == 0)
    return;
  std::string pipeline = !s.root_name.empty()      ? s.root_name
                         : s.top_level_suites == 1 ? s.first_top_suite
                                                   : "junit";
  make_run(s, without_datestamp(pipeline), s.stamp, s.root_time, "", {});
}

} // namespace

std::vector<RunRecord> read_junit(std::istream& in, const std::string& name,
                                  const std::string& identity, int64_t fallback_start_ns,
                                  const ImportOptions& options) {
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                 XML_ParserFree);
  if (!parser)
    throw ImportError(name + ": out of memory for the XML parser");
  JunitState s;
  s.parser = parser.get();
  s.name = name;
  s.identity = identity;
  s.fallback_start_ns = fallback_start_ns;
  s.options = options;
  XML_SetUserData(s.parser, &s);
  XML_SetElementHandler(s.parser, on_start, on_end);
  XML_SetCharacterDataHandler(s.parser, on_text);
  XML_SetStartDoctypeDeclHandler(s.parser, on_doctype);
  XML_SetEntityDeclHandler(s.parser, on_entity);
  XML_SetExternalEntityRefHandler(s.parser, on_external_entity);
  XML_SetParamEntityParsing(s.parser, XML_PARAM_ENTITY_PARSING_NEVER);
  for (bool last = false; !last;) {
    void* buffer = XML_GetBuffer(s.parser, static_cast<int>(kChunk));
    if (!buffer)
      throw ImportError(name + ": out of memory for the XML parser");
    in.read(static_cast<char*>(buffer), static_cast<std::streamsize>(kChunk));
    auto got = static_cast<int>(in.gcount());
    last = got == 0;
    if (XML_ParseBuffer(s.parser, got, last) != XML_STATUS_OK) {
      if (s.error.empty())
        s.error = fmt::format("{}:{}:{}: invalid XML: {}", name, XML_GetCurrentLineNumber(s.parser),
                              XML_GetCurrentColumnNumber(s.parser) + 1,
                              XML_ErrorString(XML_GetErrorCode(s.parser)));
      throw ImportError(s.error);
    }
  }
  finish_file(s);
  if (s.runs.empty())
    throw ImportError(name + ": no <testsuite> with test cases");
  return std::move(s.runs);
}

} // namespace ciperf
