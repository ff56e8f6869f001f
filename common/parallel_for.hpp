#pragma once
// Independent pieces of one computation on every core: for the analyses of a large store, whose
// series do not depend on each other.
#include <cstddef>
#include <functional>

namespace ciperf {

// Calls body(i) for every i in [0, n), on up to `threads` threads (0: one per core, at most n).
// body must be safe to call at once for different i; the first exception is rethrown here after
// every thread has stopped.
void parallel_for(size_t n, const std::function<void(size_t)>& body, unsigned threads = 0);

} // namespace ciperf
