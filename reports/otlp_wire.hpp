#pragma once
// OTLP's two wire encodings behind one set of calls: otlp_export.cpp says once which spans and
// metrics a run makes, and writes them through either writer, so OTLP/JSON (report --format
// otlp, http/json) and OTLP/protobuf (http/protobuf) carry the same content. A field is named by
// its JSON name and its proto field number (opentelemetry-proto's .proto files).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ciperf {

struct OtlpField {
  std::string_view json;
  uint32_t number;
};

// JSON as text (a document per span cost more than the rest of an export): ids as hex, 64-bit
// integers as strings, enums as numbers, as the OTLP/JSON mapping says.
class OtlpJsonWriter {
public:
  explicit OtlpJsonWriter(std::string& out); // opens the top-level object
  void finish();                             // closes it
  void begin_message(OtlpField f);
  void end_message();
  void begin_list(OtlpField f); // a repeated message field
  void begin_item();
  void end_item();
  void end_list();
  void string(OtlpField f, std::string_view value);
  void hex_bytes(OtlpField f, std::string_view hex); // trace and span ids
  void enum_value(OtlpField f, int value);
  void int64(OtlpField f, int64_t value);
  void fixed64(OtlpField f, uint64_t value); // times in ns
  void double_value(OtlpField f, double value);

private:
  void key(OtlpField f);
  void open(char bracket);
  std::string& out_;
  std::vector<bool> first_; // per open object or array: nothing written in it yet
};

// Protobuf's wire format by hand (varints, fixed64, length-delimited fields): a nested message
// is written in place and its length inserted before it when it closes.
class OtlpProtobufWriter {
public:
  explicit OtlpProtobufWriter(std::string& out) : out_(out) {}
  void finish() {}
  void begin_message(OtlpField f);
  void end_message();
  void begin_list(OtlpField f) { lists_.push_back(f); }
  void begin_item() { begin_message(lists_.back()); }
  void end_item() { end_message(); }
  void end_list() { lists_.pop_back(); }
  void string(OtlpField f, std::string_view value);
  void hex_bytes(OtlpField f, std::string_view hex);
  void enum_value(OtlpField f, int value);
  void int64(OtlpField f, int64_t value);
  void fixed64(OtlpField f, uint64_t value);
  void double_value(OtlpField f, double value);

private:
  void tag(uint32_t number, int wire_type);
  std::string& out_;
  std::vector<size_t> open_; // where each open message's content starts
  std::vector<OtlpField> lists_;
};

} // namespace ciperf
