#pragma once
// Making untrusted text (phase names, log tails, imported test names) safe for each output
// format. Every function first replaces invalid UTF-8 with U+FFFD, so no format ever carries
// bytes a strict reader would reject.
#include <string>
#include <string_view>

namespace ciperf {

// Invalid or overlong UTF-8 sequences and lone surrogates become U+FFFD.
std::string valid_utf8(std::string_view s);
// XML 1.0 text and attribute values (also HTML): & < > " ' escaped; the control characters
// XML cannot carry even as references become U+FFFD.
std::string xml_escape(std::string_view s);
// One cell of a GitHub-flavoured Markdown table: no line breaks, no HTML, no table syntax, and
// no live mention: '@' becomes `&#64;`, so `@everyone` or `@user` notifies nobody.
std::string markdown_escape(std::string_view s);
// At most `max_bytes` of `s`, cut at a character boundary, with "…" when anything was cut: so
// that one long name cannot take a table's or a chart's room.
std::string truncate_utf8(std::string_view s, size_t max_bytes);
// `s` as a JSON string literal, quotes included, appended to `out`: for writers that stream
// JSON without building a document.
void append_json_string(std::string& out, std::string_view s);
// Untrusted text (a name, a reason phrase, an error quoting either) for a terminal or a CI log,
// where it must neither act on the terminal nor be run by the CI runner: control characters
// (C0, DEL, C1: ESC, BEL, OSC, CSI…) and bidirectional overrides are shown as `\xNN` or
// `\uNNNN`, so a line break cannot forge a line; a text that begins with `::` (GitHub Actions'
// workflow commands) gets its first colon as `\x3a`, and `##[` or `##vso[` anywhere (Azure
// Pipelines' logging commands) its first `#` as `\x23`. Invalid UTF-8 becomes U+FFFD first.
std::string terminal_escape(std::string_view s);
// One RFC 4180 field; a text that a spreadsheet would run as a formula gets a leading '.
std::string csv_field(std::string_view s);

} // namespace ciperf
