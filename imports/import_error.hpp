#pragma once
// A file that cannot be imported: the message names the file and, where the parser knows it,
// the line and column.
#include "common/errors.hpp"

namespace ciperf {

class ImportError : public UsageError {
public:
  using UsageError::UsageError;
};

} // namespace ciperf
