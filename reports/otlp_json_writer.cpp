#include "common/text_escape.hpp"
#include "reports/otlp_wire.hpp"

#include <fmt/format.h>
#include <iterator>

namespace ciperf {

OtlpJsonWriter::OtlpJsonWriter(std::string& out) : out_(out) {
  out_ += '{';
  first_.push_back(true);
}

void OtlpJsonWriter::finish() {
  out_ += '}';
  first_.pop_back();
}

void OtlpJsonWriter::key(OtlpField f) {
  if (!first_.back())
    out_ += ',';
  first_.back() = false;
  out_ += '"';
  out_ += f.json;
  out_ += "\":";
}

void OtlpJsonWriter::open(char bracket) {
  out_ += bracket;
  first_.push_back(true);
}

void OtlpJsonWriter::begin_message(OtlpField f) {
  key(f);
  open('{');
}

void OtlpJsonWriter::end_message() {
  out_ += '}';
  first_.pop_back();
}

void OtlpJsonWriter::begin_list(OtlpField f) {
  key(f);
  open('[');
}

void OtlpJsonWriter::begin_item() {
  if (!first_.back())
    out_ += ',';
  first_.back() = false;
  open('{');
}

void OtlpJsonWriter::end_item() {
  end_message();
}

void OtlpJsonWriter::end_list() {
  out_ += ']';
  first_.pop_back();
}

void OtlpJsonWriter::string(OtlpField f, std::string_view value) {
  key(f);
  append_json_string(out_, value);
}

void OtlpJsonWriter::hex_bytes(OtlpField f, std::string_view hex) {
  key(f);
  out_ += '"';
  out_ += hex; // made by ciperf or checked as hex digits: nothing to escape
  out_ += '"';
}

void OtlpJsonWriter::enum_value(OtlpField f, int value) {
  key(f);
  fmt::format_to(std::back_inserter(out_), "{}", value);
}

void OtlpJsonWriter::int64(OtlpField f, int64_t value) {
  key(f);
  fmt::format_to(std::back_inserter(out_), "\"{}\"", value);
}

void OtlpJsonWriter::fixed64(OtlpField f, uint64_t value) {
  key(f);
  fmt::format_to(std::back_inserter(out_), "\"{}\"", value);
}

void OtlpJsonWriter::double_value(OtlpField f, double value) {
  key(f);
  fmt::format_to(std::back_inserter(out_), "{}", value);
}

} // namespace ciperf
