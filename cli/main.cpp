#include "cli/cli.hpp"

int main(int argc, char** argv) {
  return ciperf::cli_main(argc, argv);
}
