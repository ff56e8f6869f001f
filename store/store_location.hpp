#pragma once
// Where a store lives, as the user wrote it: a local SQLite file, or a store server's URL
// (`postgresql://user:password@host/db`), and how messages may show it.
#include <string>

namespace ciperf {

// Whether `location` names a store server (`scheme://…`) rather than a local file.
bool is_store_url(const std::string& location);

// The location as a message may show it: a URL's password (`user:***@`, `password=***`) masked.
std::string redacted_location(const std::string& location);

// `text` (an error message) with `location` and its password, wherever they appear, masked.
std::string redact_location_in(std::string text, const std::string& location);

// Whether two locations name the same store: the same file (through links and `..`), or the
// same URL.
bool same_store(const std::string& a, const std::string& b);

} // namespace ciperf
