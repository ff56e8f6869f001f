// libFuzzer target: the junit importer (see import_fuzz.hpp).
#include "import_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return ciperf::fuzz_import(data, size, ciperf::ImportFormat::Junit);
}
