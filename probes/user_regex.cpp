#include "probes/user_regex.hpp"

#include "common/errors.hpp"

#include <chrono>
#include <new>
#include <string>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace ciperf {
namespace {

// Backtracking points per search: plenty for the patterns a readiness check needs (a greedy
// `.*ready` over a 1 MiB body finds its word in a few milliseconds), few enough that a pattern
// which backtracks exponentially gives up within tens of milliseconds.
constexpr uint32_t kMatchLimit = 1'000'000;
constexpr uint32_t kDepthLimit = 1'000'000;
constexpr uint32_t kHeapLimitKiB = 16 * 1024; // backtracking frames live on the heap
// The match limit counts backtracking points, not the work between them: `x*x*[yz]` rescans
// the rest of a megabyte after each one and stays under the limit for minutes. A callout runs
// before every item of the pattern (PCRE2_AUTO_CALLOUT); every 16th looks at the clock and stops
// the search past its deadline. A step costs at most one scan of the subject (about a
// millisecond for 1 MiB), so a search ends within a few milliseconds of the deadline.
constexpr auto kSearchBudget = std::chrono::milliseconds(250);

struct Deadline {
  std::chrono::steady_clock::time_point at;
  uint32_t calls = 0;
};

int check_deadline(pcre2_callout_block*, void* data) {
  auto* d = static_cast<Deadline*>(data);
  if (++d->calls % 16 != 0)
    return 0;
  return std::chrono::steady_clock::now() > d->at ? PCRE2_ERROR_CALLOUT : 0;
}

std::string error_text(int code) {
  PCRE2_UCHAR buffer[256];
  int n = pcre2_get_error_message(code, buffer, sizeof buffer);
  return n < 0 ? "error " + std::to_string(code) : std::string(reinterpret_cast<char*>(buffer));
}

} // namespace

struct UserRegex::Compiled {
  pcre2_code* code = nullptr;
  pcre2_match_context* context = nullptr;
  pcre2_match_data* data = nullptr;
  Deadline deadline;
  ~Compiled() {
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
    pcre2_code_free(code);
  }
};

UserRegex::UserRegex(std::string_view pattern)
    : pattern_(pattern), compiled_(std::make_unique<Compiled>()) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  // Bytes, not UTF-8: like std::regex before it, and a body or a log need not be valid UTF-8.
  compiled_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern_.data()), pattern_.size(),
                                  PCRE2_AUTO_CALLOUT, &error, &offset, nullptr);
  if (!compiled_->code)
    throw UsageError("bad regex '" + pattern_ + "': " + error_text(error) + " at offset " +
                     std::to_string(offset));
  compiled_->context = pcre2_match_context_create(nullptr);
  compiled_->data = pcre2_match_data_create_from_pattern(compiled_->code, nullptr);
  if (!compiled_->context || !compiled_->data)
    throw std::bad_alloc();
  pcre2_set_match_limit(compiled_->context, kMatchLimit);
  pcre2_set_depth_limit(compiled_->context, kDepthLimit);
  pcre2_set_heap_limit(compiled_->context, kHeapLimitKiB);
  pcre2_set_callout(compiled_->context, &check_deadline, &compiled_->deadline);
}

UserRegex::~UserRegex() = default;
UserRegex::UserRegex(UserRegex&&) noexcept = default;
UserRegex& UserRegex::operator=(UserRegex&&) noexcept = default;

bool UserRegex::search(std::string_view text) const {
  note_.clear();
  static const char empty = '\0'; // an empty view may carry no pointer at all
  const char* subject = text.data() ? text.data() : &empty;
  compiled_->deadline = {std::chrono::steady_clock::now() + kSearchBudget, 0};
  int rc = pcre2_match(compiled_->code, reinterpret_cast<PCRE2_SPTR>(subject), text.size(), 0, 0,
                       compiled_->data, compiled_->context);
  if (rc >= 0)
    return true;
  if (rc == PCRE2_ERROR_CALLOUT)
    note_ = "regex /" + pattern_ + "/ gave up on " + std::to_string(text.size()) +
            " bytes (time limit exceeded): counted as no match";
  else if (rc != PCRE2_ERROR_NOMATCH)
    note_ = "regex /" + pattern_ + "/ gave up on " + std::to_string(text.size()) + " bytes (" +
            error_text(rc) + "): counted as no match";
  return false;
}

} // namespace ciperf
