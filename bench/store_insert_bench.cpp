// The store's write path as ciperf uses it: a run inserted, its phases recorded one transaction
// each, the run finalised. WAL with synchronous=NORMAL, on a real file.
#include "bench_records.hpp"
#include "store/store.hpp"

#include <benchmark/benchmark.h>
#include <filesystem>
#include <unistd.h>

namespace {

std::string fresh_store_path() {
  auto dir =
      std::filesystem::temp_directory_path() / ("ciperf-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "store.db").string();
}

void BM_StoreRunInsert(benchmark::State& state) {
  auto path = fresh_store_path();
  ciperf::Store store(path);
  int phases = static_cast<int>(state.range(0));
  int n = 0;
  for (auto _ : state) {
    auto run = ciperf::bench::sample_run("run-" + std::to_string(n++), phases);
    store.begin_run(run);
    for (const auto& p : run.phases)
      store.record_phase(run.run_id, p);
    store.finish_run(run);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["phases_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * phases), benchmark::Counter::kIsRate);
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}
BENCHMARK(BM_StoreRunInsert)->Arg(1)->Arg(12)->Arg(200)->Unit(benchmark::kMicrosecond);

void BM_StoreBeginRun(benchmark::State& state) {
  auto path = fresh_store_path();
  ciperf::Store store(path);
  int n = 0;
  for (auto _ : state)
    store.begin_run(ciperf::bench::sample_run("run-" + std::to_string(n++), 0));
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}
BENCHMARK(BM_StoreBeginRun)->Unit(benchmark::kMicrosecond);

} // namespace
