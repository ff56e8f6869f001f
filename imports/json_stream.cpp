#include "imports/json_stream.hpp"

#include "imports/import_error.hpp"

#include <nlohmann/json.hpp>
#include <vector>

namespace ciperf {
namespace {

using nlohmann::json;

constexpr size_t kMaxDepth = 64;

// Builds values like nlohmann's DOM parser, but hands the elements of streamed arrays to the
// callback instead of appending them.
class StreamingSax : public nlohmann::json_sax<json> {
public:
  StreamingSax(const std::set<std::string>& streamed, const JsonStreamHandlers& handlers)
      : streamed_(streamed), handlers_(handlers) {}

  bool null() override { return put(json(nullptr)); }
  bool boolean(bool v) override { return put(json(v)); }
  bool number_integer(number_integer_t v) override { return put(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return put(json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return put(json(v)); }
  bool string(string_t& v) override { return put(json(std::move(v))); }
  bool binary(binary_t&) override { return put(json(nullptr)); }

  bool start_object(std::size_t) override { return open(json::object()); }
  bool start_array(std::size_t) override { return open(json::array()); }
  bool key(string_t& k) override {
    frames_.back().key = k;
    return true;
  }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error_ = e.what();
    return false;
  }

  json& rest() { return root_; }
  const std::string& error() const { return error_; }

private:
  struct Frame {
    json value;
    std::string path; // "phases", "stages[].tests"; "" for the root
    std::string key;  // the pending key, in an object
    size_t count = 0; // elements so far, in an array
    bool streamed = false;
  };

  std::string child_path(const Frame& parent) const {
    if (parent.value.is_array())
      return parent.path + "[]";
    return parent.path.empty() ? parent.key : parent.path + "." + parent.key;
  }

  bool open(json value) {
    if (frames_.size() >= kMaxDepth) {
      error_ = "nesting deeper than 64 levels";
      return false;
    }
    Frame f{std::move(value), frames_.empty() ? "" : child_path(frames_.back()), {}, 0, false};
    f.streamed = f.value.is_array() && streamed_.count(f.path) > 0;
    frames_.push_back(std::move(f));
    return true;
  }

  bool close() {
    Frame done = std::move(frames_.back());
    frames_.pop_back();
    return put(std::move(done.value));
  }

  bool put(json value) {
    if (frames_.empty()) {
      root_ = std::move(value);
      return true;
    }
    Frame& parent = frames_.back();
    if (parent.value.is_object()) {
      parent.value[parent.key] = std::move(value);
    } else if (parent.streamed) {
      handlers_.element(parent.path, parent.count++, value);
    } else {
      parent.value.push_back(std::move(value));
      ++parent.count;
    }
    return true;
  }

  const std::set<std::string>& streamed_;
  const JsonStreamHandlers& handlers_;
  std::vector<Frame> frames_;
  json root_;
  std::string error_;
};

// "[json.exception.parse_error.101] parse error at line 3, column 5: …" → "at line 3, …".
std::string plain(const std::string& what) {
  auto at = what.find("at line");
  if (at != std::string::npos)
    return what.substr(at);
  auto bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

} // namespace

json stream_json(std::istream& in, const std::string& name, const std::set<std::string>& streamed,
                 const JsonStreamHandlers& handlers) {
  StreamingSax sax(streamed, handlers);
  bool ok = json::sax_parse(in, &sax, json::input_format_t::json, true, false);
  if (!ok)
    throw ImportError(name + ": invalid JSON " + plain(sax.error()));
  return std::move(sax.rest());
}

} // namespace ciperf
