// The Catch2 runner; kept alone in its file because the header is slow to compile.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
