// libFuzzer target: the cc_ci importer (see import_fuzz.hpp).
#include "import_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return ciperf::fuzz_import(data, size, ciperf::ImportFormat::CcCi);
}
