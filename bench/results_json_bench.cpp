// The results.json writer: serialising a run and writing it through temp file + rename.
#include "bench_records.hpp"
#include "reports/results_json.hpp"

#include <benchmark/benchmark.h>
#include <filesystem>
#include <unistd.h>

namespace {

void BM_ResultsJsonSerialize(benchmark::State& state) {
  auto run = ciperf::bench::sample_run("run", static_cast<int>(state.range(0)));
  size_t bytes = 0;
  for (auto _ : state) {
    auto text = ciperf::results_json(run);
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ResultsJsonSerialize)->Arg(12)->Arg(200)->Unit(benchmark::kMicrosecond);

void BM_ResultsJsonWrite(benchmark::State& state) {
  auto dir =
      std::filesystem::temp_directory_path() / ("ciperf-bench-json-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto run = ciperf::bench::sample_run("run", static_cast<int>(state.range(0)));
  for (auto _ : state)
    ciperf::write_results_json(run, dir);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ResultsJsonWrite)->Arg(12)->Arg(200)->Unit(benchmark::kMicrosecond);

} // namespace
