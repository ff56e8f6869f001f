// OTLP/protobuf written by hand: the messages ciperf sends use five of protobuf's wire rules
// (varint, fixed64, length-delimited strings, bytes and messages), which is less code than a
// generated library and its runtime. Checked in tests by decoding with opentelemetry-proto's
// definitions (tests/support/otlp_receiver.js).
#include "reports/otlp_wire.hpp"

#include <cstring>

namespace ciperf {
namespace {

constexpr int kVarint = 0;
constexpr int kFixed64 = 1;
constexpr int kLengthDelimited = 2;

void append_varint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out += static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  out += static_cast<char>(value);
}

void append_fixed64(std::string& out, uint64_t value) {
  for (int i = 0; i < 8; ++i)
    out += static_cast<char>((value >> (8 * i)) & 0xFF); // little-endian, whatever the host
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return 0;
}

} // namespace

void OtlpProtobufWriter::tag(uint32_t number, int wire_type) {
  append_varint(out_, (static_cast<uint64_t>(number) << 3) | static_cast<uint64_t>(wire_type));
}

void OtlpProtobufWriter::begin_message(OtlpField f) {
  tag(f.number, kLengthDelimited);
  open_.push_back(out_.size());
}

// The length is known only now: insert it before the content (messages here are small, and
// the innermost closes first, so the positions of the outer ones stay right).
void OtlpProtobufWriter::end_message() {
  size_t start = open_.back();
  open_.pop_back();
  std::string length;
  append_varint(length, out_.size() - start);
  out_.insert(start, length);
}

void OtlpProtobufWriter::string(OtlpField f, std::string_view value) {
  tag(f.number, kLengthDelimited);
  append_varint(out_, value.size());
  out_ += value;
}

void OtlpProtobufWriter::hex_bytes(OtlpField f, std::string_view hex) {
  tag(f.number, kLengthDelimited);
  append_varint(out_, hex.size() / 2);
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out_ += static_cast<char>(hex_digit(hex[i]) * 16 + hex_digit(hex[i + 1]));
}

void OtlpProtobufWriter::enum_value(OtlpField f, int value) {
  tag(f.number, kVarint);
  append_varint(out_, static_cast<uint64_t>(static_cast<int64_t>(value)));
}

void OtlpProtobufWriter::int64(OtlpField f, int64_t value) {
  tag(f.number, kVarint);
  append_varint(out_, static_cast<uint64_t>(value)); // two's complement, as int64 is encoded
}

void OtlpProtobufWriter::fixed64(OtlpField f, uint64_t value) {
  tag(f.number, kFixed64);
  append_fixed64(out_, value);
}

void OtlpProtobufWriter::double_value(OtlpField f, double value) {
  uint64_t bits = 0;
  static_assert(sizeof bits == sizeof value);
  std::memcpy(&bits, &value, sizeof bits);
  tag(f.number, kFixed64);
  append_fixed64(out_, bits);
}

} // namespace ciperf
