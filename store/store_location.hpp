#pragma once
// Where a store lives, as --store or $CIPERF_STORE name it: a SQLite file path, or a PostgreSQL
// connection string (a postgresql:// or postgres:// URL, or libpq's `keyword=value …` form).
#include <string>
#include <string_view>
#include <vector>

namespace ciperf {

bool is_postgres_location(std::string_view location);

// The location as messages may show it: a URL's `user:password@` keeps only the user, and a
// keyword string's `password=…` (quoted or not) and a URL's `password=` parameter become `***`.
std::string redact_location(std::string_view location);

// The passwords the location spells out (a URL's user:password@, `password=` values), so that an
// engine's own messages can be scrubbed of them too.
std::vector<std::string> location_secrets(std::string_view location);

// `text` (an error message) with `location` and each of its passwords, wherever they appear,
// masked: a driver may quote the whole string or a password alone.
std::string redact_location_in(std::string text, const std::string& location);

// Whether two locations name the same store: the same file (through links and `..`), or the
// same connection string.
bool same_store(const std::string& a, const std::string& b);

} // namespace ciperf
