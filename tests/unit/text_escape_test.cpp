#include "common/rfc3339.hpp"
#include "common/text_escape.hpp"
#include "probes/attempt_marks.hpp"

#include <catch2/catch.hpp>

using namespace ciperf;

TEST_CASE("invalid UTF-8 becomes U+FFFD and valid text is kept", "[escape]") {
  CHECK(valid_utf8("héllo ✓ 𝄞") == "héllo ✓ 𝄞");
  CHECK(valid_utf8("a\xff"
                   "b") == "a\xEF\xBF\xBD"
                           "b");
  CHECK(valid_utf8("\xc0\xaf") == "\xEF\xBF\xBD\xEF\xBF\xBD");                 // overlong '/'
  CHECK(valid_utf8("\xed\xa0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // a surrogate
  CHECK(valid_utf8("\xe2\x9c") == "\xEF\xBF\xBD\xEF\xBF\xBD");                 // cut short
}

TEST_CASE("xml escaping covers markup, quotes and control characters", "[escape]") {
  CHECK(xml_escape("<a href=\"x\">'&'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(xml_escape("tab\tnew\nline") == "tab\tnew\nline");
  CHECK(xml_escape("bell\x07") == "bell\xEF\xBF\xBD");
}

TEST_CASE("markdown cells cannot break the table or carry html", "[escape]") {
  CHECK(markdown_escape("a|b") == "a\\|b");
  CHECK(markdown_escape("<script>") == "&lt;script&gt;");
  CHECK(markdown_escape("two\nlines") == "two lines");
  CHECK(markdown_escape("*bold* `code`") == "\\*bold\\* \\`code\\`");
}

TEST_CASE("csv fields are quoted when needed and never run as formulas", "[escape]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("=cmd()") == "'=cmd()");
  CHECK(csv_field("-1+2") == "'-1+2");
}

TEST_CASE("rfc3339 times parse with any fraction and offset", "[rfc3339]") {
  CHECK(parse_rfc3339_ns("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_rfc3339_ns("2026-11-27T12:00:00.5Z") == 1795780800500000000LL);
  CHECK(parse_rfc3339_ns("2026-11-27T13:00:00+01:00") == parse_rfc3339_ns("2026-11-27T12:00:00Z"));
  CHECK(parse_rfc3339_ns("2026-11-27T12:00:00.123456") ==
        parse_rfc3339_ns("2026-11-27T12:00:00.123456Z"));
  CHECK_FALSE(parse_rfc3339_ns("yesterday"));
  CHECK_FALSE(parse_rfc3339_ns("2026-13-01T00:00:00Z"));
  CHECK_FALSE(parse_rfc3339_ns("2026-11-27T12:00:00Zjunk"));
  CHECK(format_rfc3339_ms(*parse_rfc3339_ns("2026-11-27T12:00:00.123456Z")) ==
        "2026-11-27T12:00:00.123Z");
  CHECK(format_rfc3339_ms(*parse_rfc3339_ns("1999-12-31T23:59:59.999Z")) ==
        "1999-12-31T23:59:59.999Z");
}

TEST_CASE("attempt marks stay bounded, keep their spread and every success", "[marks]") {
  AttemptMarks marks;
  for (int i = 0; i < 10000; ++i)
    marks.add(i * 0.002, false);
  marks.add(20.0, true);
  const auto& m = marks.marks();
  CHECK(m.size() <= AttemptMarks::kMaxMarks + 1);
  CHECK(m.size() >= AttemptMarks::kMaxMarks / 2);
  CHECK(m.front().at_s == 0);
  CHECK(m[m.size() - 2].at_s > 15); // the late attempts are still represented
  CHECK(m.back().ok);
  CHECK(m.back().at_s == 20.0);
}

TEST_CASE("truncation cuts at a character boundary and says so", "[escape]") {
  CHECK(truncate_utf8("short", 10) == "short");
  CHECK(truncate_utf8("abcdef", 3) == "abc…");
  CHECK(truncate_utf8("ab✓cd", 3) == "ab…"); // ✓ is 3 bytes: not cut in half
  CHECK(truncate_utf8("ab✓cd", 5) == "ab✓…");
}

TEST_CASE("terminal text shows control characters instead of obeying them", "[escape]") {
  CHECK(terminal_escape("build") == "build");
  CHECK(terminal_escape("caf\xC3\xA9 \xE2\x9C\x93") == "caf\xC3\xA9 \xE2\x9C\x93");
  CHECK(terminal_escape("a\x1b[31mred\x07") == "a\\x1b[31mred\\x07");
  CHECK(terminal_escape("\x1b]0;owned\x07title") == "\\x1b]0;owned\\x07title"); // OSC
  CHECK(terminal_escape("line\nforged\r") == "line\\x0aforged\\x0d");
  CHECK(terminal_escape("del\x7f") == "del\\x7f");
  CHECK(terminal_escape("c1 \xC2\x9B"
                        "2J") == "c1 \\x9b2J"); // the 8-bit CSI
  CHECK(terminal_escape("\xE2\x80\xAE"
                        "evil") == "\\u202eevil"); // right-to-left override
  CHECK(terminal_escape("bad \xFF byte") == "bad \xEF\xBF\xBD byte");
  std::string escaped = terminal_escape(std::string("nul\0x", 5));
  CHECK(escaped == "nul\\x00x");
}

TEST_CASE("terminal text cannot be run as a CI workflow command", "[escape]") {
  CHECK(terminal_escape("::error::x") == "\\x3a:error::x");
  CHECK(terminal_escape("  ::add-mask::secret") == "  \\x3a:add-mask::secret");
  CHECK(terminal_escape("::set-output name=a::b") == "\\x3a:set-output name=a::b");
  CHECK(terminal_escape("a::b") == "a::b"); // only a line's start is a command
  CHECK(terminal_escape("##[error]x") == "\\x23#[error]x");
  CHECK(terminal_escape("x ##vso[task.setvariable variable=a]b") ==
        "x \\x23#vso[task.setvariable variable=a]b");
  CHECK(terminal_escape("# heading ## two") == "# heading ## two");
  // A line break inside a name cannot start a new line that begins with a command.
  CHECK(terminal_escape("ok\n::error::x") == "ok\\x0a::error::x");
}

TEST_CASE("markdown mentions are not live", "[escape]") {
  CHECK(markdown_escape("@everyone look") == "&#64;everyone look");
  CHECK(markdown_escape("ping @here and @octocat") == "ping &#64;here and &#64;octocat");
  CHECK(markdown_escape("a@b") == "a&#64;b");
}
