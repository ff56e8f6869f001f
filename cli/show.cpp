// `ciperf show`: one stored run.
#include "cli/commands.hpp"
#include "cli/run_selection.hpp"
#include "common/errors.hpp"
#include "reports/run_list.hpp"
#include "runner/status_printer.hpp"
#include "store/store.hpp"

#include <iostream>

namespace ciperf {

int command_show(const ShowCommand& c) {
  Store store = open_existing_store(c.store);
  auto run = store.load_run(c.run);
  if (!run)
    throw UsageError("no run '" + c.run + "' in " + store.path());
  write_run_detail(*run, c.json ? ViewFormat::Json : ViewFormat::Text,
                   ConsoleStyle::detect(false).color, std::cout);
  return kExitPassed;
}

} // namespace ciperf
