// Baselines in the store: written whole or not at all.
#include "model/baseline.hpp"
#include "store/row_codec.hpp"
#include "store/store.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace ciperf {
namespace {

// NaN (a statistic a tiny sample does not have) is stored as NULL.
void bind_stat(Statement& s, int index, double value) {
  std::isnan(value) ? s.bind_null(index) : s.bind(index, value);
}

double read_stat(const Statement& s, int column) {
  return s.is_null(column) ? std::nan("") : s.real(column);
}

} // namespace

void Store::save_baseline(const Baseline& b) {
  WriteTransaction tx(*db_);
  auto drop = db_->prepare("DELETE FROM baselines WHERE name = ?");
  drop.bind(1, b.name).run();
  auto head = db_->prepare(
      "INSERT INTO baselines (name, session, created_at, runs_per_mode) VALUES (?,?,?,?)");
  head.bind(1, b.name).bind(2, b.session).bind(3, b.created_at).bind(4, b.runs_per_mode).run();
  auto row = db_->prepare(
      "INSERT INTO baseline_phases (baseline, pipeline, phase, mode, position, n, median, mean, "
      "stddev, mad, min, max, p95, cv, ci_low, ci_high, samples) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  for (const auto& p : b.phases) {
    row.bind(1, b.name).bind(2, p.pipeline).bind(3, p.phase).bind(4, to_string(p.mode));
    row.bind(5, p.position).bind(6, p.n);
    int column = 7;
    for (double v : {p.median, p.mean, p.stddev, p.mad, p.min, p.max, p.p95, p.cv})
      bind_stat(row, column++, v);
    p.median_ci ? row.bind(15, p.median_ci->low).bind(16, p.median_ci->high)
                : row.bind_null(15).bind_null(16);
    row.bind(17, nlohmann::json(p.samples).dump()).run();
    row.reset();
  }
  tx.commit();
}

std::optional<Baseline> Store::load_baseline(const std::string& name) {
  auto head =
      db_->prepare("SELECT session, created_at, runs_per_mode FROM baselines WHERE name = ?");
  head.bind(1, name);
  if (!head.step())
    return std::nullopt;
  Baseline b{name, head.text(0), head.text(1), static_cast<int>(head.integer(2)), {}, "", false};
  auto rows = db_->prepare(
      "SELECT pipeline, phase, mode, position, n, median, mean, stddev, mad, min, max, p95, cv, "
      "ci_low, ci_high, samples FROM baseline_phases WHERE baseline = ? "
      "ORDER BY pipeline, mode, position");
  rows.bind(1, name);
  while (rows.step()) {
    BaselinePhase p;
    p.pipeline = rows.text(0);
    p.phase = rows.text(1);
    auto mode = parse_enum<RunMode>(rows.text(2));
    if (!mode)
      throw_bad_column("mode");
    p.mode = *mode;
    p.position = static_cast<int>(rows.integer(3));
    p.n = static_cast<int>(rows.integer(4));
    p.median = read_stat(rows, 5);
    p.mean = read_stat(rows, 6);
    p.stddev = read_stat(rows, 7);
    p.mad = read_stat(rows, 8);
    p.min = read_stat(rows, 9);
    p.max = read_stat(rows, 10);
    p.p95 = read_stat(rows, 11);
    p.cv = read_stat(rows, 12);
    if (!rows.is_null(13))
      p.median_ci = Interval{rows.real(13), rows.real(14)};
    p.samples = nlohmann::json::parse(rows.text(15)).get<std::vector<double>>();
    b.phases.push_back(std::move(p));
  }
  return b;
}

std::optional<std::string> Store::newest_baseline_for(const std::string& pipeline) {
  auto stmt = db_->prepare(
      "SELECT b.name FROM baselines b WHERE EXISTS (SELECT 1 FROM baseline_phases p WHERE "
      "p.baseline = b.name AND p.pipeline = ?) ORDER BY b.created_at DESC LIMIT 1");
  stmt.bind(1, pipeline);
  if (!stmt.step())
    return std::nullopt;
  return stmt.text(0);
}

std::vector<std::string> Store::baseline_names() {
  auto stmt = db_->prepare("SELECT name FROM baselines ORDER BY created_at, name");
  std::vector<std::string> names;
  while (stmt.step())
    names.push_back(stmt.text(0));
  return names;
}

} // namespace ciperf
