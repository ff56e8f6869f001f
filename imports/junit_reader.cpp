#include "imports/junit_reader.hpp"

#include "common/rfc3339.hpp"
#include "imports/import_error.hpp"
#include "imports/phase_keeper.hpp"
#include "imports/run_identity.hpp"

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
constexpr size_t kMaxFailureText = 4096;
constexpr size_t kMaxDepth = 256;

// Everything the callbacks share. They never throw (expat is C): a problem is recorded and the
// parser stopped.
struct JunitState {
  XML_Parser parser = nullptr;
  std::string name, identity;
  int64_t fallback_start_ns = 0;
  std::vector<RunRecord> runs;
  struct OpenSuite {
    RunRecord run;
    std::optional<double> time; // its own `time`, else the sum of its cases
    PhaseKeeper cases;
    double elapsed = 0; // the sum of its cases so far: the next one's start
    bool failed = false;
  };
  size_t kept = 0; // cases kept by the runs read so far, against the file's cap
  std::vector<OpenSuite> open_suites;
  std::optional<PhaseRecord> testcase;
  bool in_failure_text = false;
  size_t depth = 0;
  bool root_seen = false;
  int suites_seen = 0;
  std::string error;

  void fail(const std::string& problem) {
    if (error.empty())
      error = fmt::format("{}:{}:{}: {}", name, XML_GetCurrentLineNumber(parser),
                          XML_GetCurrentColumnNumber(parser) + 1, problem);
    XML_StopParser(parser, XML_FALSE);
  }
};

std::string first_line(const std::string& text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos)
    return {};
  size_t end = text.find_first_of("\r\n", start);
  return text.substr(start, std::min(end, start + 1000) - start);
}

const char* attribute(const XML_Char** attrs, const char* key) {
  for (size_t i = 0; attrs[i]; i += 2)
    if (std::strcmp(attrs[i], key) == 0)
      return attrs[i + 1];
  return nullptr;
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

void start_suite(JunitState& s, const XML_Char** attrs) {
  RunRecord r;
  r.run_id = run_id_for(s.identity, s.suites_seen++);
  const char* name = attribute(attrs, "name");
  r.pipeline = name && *name ? name : "junit";
  r.mode = RunMode::Normal;
  r.status = RunStatus::Passed;
  const char* stamp = attribute(attrs, "timestamp");
  auto start = stamp ? parse_rfc3339_ns(stamp) : std::nullopt;
  r.started_at = format_rfc3339_ms(start.value_or(s.fallback_start_ns));
  if (const char* host = attribute(attrs, "hostname"))
    r.host.hostname = host;
  r.labels["source"] = "junit";
  std::optional<double> time = seconds(s, attrs);
  size_t room = kMaxImportedPhasesPerFile - std::min(s.kept, kMaxImportedPhasesPerFile);
  s.open_suites.push_back(
      {std::move(r), time, PhaseKeeper(std::min(kMaxImportedPhasesPerRun, room))});
}

void end_suite(JunitState& s) {
  JunitState::OpenSuite suite = std::move(s.open_suites.back());
  s.open_suites.pop_back();
  if (suite.cases.added() == 0) // a suite of suites: its children are the runs
    return;
  RunRecord r = std::move(suite.run);
  r.phases = suite.cases.take();
  note_left_out(r, suite.cases);
  s.kept += r.phases.size();
  if (suite.failed)
    r.status = RunStatus::Failed;
  r.wall_s = suite.time.value_or(suite.elapsed);
  int64_t begin = parse_rfc3339_ns(r.started_at).value_or(0);
  r.finished_at = format_rfc3339_ms(begin + seconds_to_ns(r.wall_s));
  s.runs.push_back(std::move(r));
}

void start_testcase(JunitState& s, const XML_Char** attrs) {
  if (s.open_suites.empty())
    return s.fail("<testcase> outside a <testsuite>");
  PhaseRecord p;
  const char* name = attribute(attrs, "name");
  if (!name)
    return s.fail("<testcase> without a name");
  p.name = name;
  if (const char* classname = attribute(attrs, "classname"))
    p.tier = classname;
  p.kind = PhaseKind::Test;
  p.status = PhaseStatus::Passed;
  p.wall_s = seconds(s, attrs).value_or(0);
  s.testcase = std::move(p);
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
  }
  if (e == "testsuite")
    return start_suite(s, attrs);
  if (e == "testcase")
    return start_testcase(s, attrs);
  if (!s.testcase)
    return;
  if (e == "failure" || e == "error") {
    s.testcase->status = PhaseStatus::Failed;
    const char* message = attribute(attrs, "message");
    s.testcase->message = message ? std::string(message).substr(0, 1000) : std::string();
    s.in_failure_text = !message || !*message;
  } else if (e == "skipped") {
    s.testcase->status = PhaseStatus::Skipped;
    if (const char* message = attribute(attrs, "message"))
      s.testcase->message = std::string(message).substr(0, 1000);
  }
}

void on_end(void* data, const XML_Char* element) {
  auto& s = *static_cast<JunitState*>(data);
  --s.depth;
  std::string_view e = element;
  if (e == "testcase" && s.testcase) {
    auto& suite = s.open_suites.back();
    s.testcase->start_s = suite.elapsed;
    suite.elapsed += s.testcase->wall_s;
    suite.failed = suite.failed || s.testcase->status == PhaseStatus::Failed;
    suite.cases.add(std::move(*s.testcase));
    s.testcase.reset();
  } else if (e == "testsuite" && !s.open_suites.empty()) {
    end_suite(s);
  } else if ((e == "failure" || e == "error") && s.testcase) {
    s.in_failure_text = false;
    s.testcase->message = first_line(s.testcase->message);
    if (s.testcase->message.empty())
      s.testcase->message = std::string(e);
  }
}

// The failure's text (a traceback) stands in for a message when the failure has none: its first
// line that says something.
void on_text(void* data, const XML_Char* text, int length) {
  auto& s = *static_cast<JunitState*>(data);
  if (!s.in_failure_text || !s.testcase || s.testcase->message.size() >= kMaxFailureText)
    return;
  std::string& m = s.testcase->message;
  m.append(text, std::min(static_cast<size_t>(length), kMaxFailureText - m.size()));
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

} // namespace

std::vector<RunRecord> read_junit(std::istream& in, const std::string& name,
                                  const std::string& identity, int64_t fallback_start_ns) {
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                 XML_ParserFree);
  if (!parser)
    throw ImportError(name + ": out of memory for the XML parser");
  JunitState s;
  s.parser = parser.get();
  s.name = name;
  s.identity = identity;
  s.fallback_start_ns = fallback_start_ns;
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
  if (s.runs.empty())
    throw ImportError(name + ": no <testsuite> with test cases");
  return std::move(s.runs);
}

} // namespace ciperf
