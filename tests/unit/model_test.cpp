// The run model: every enum name parses back to its value, the predicates agree with the
// statuses they stand for, and each field table names exactly the columns its store table has.
#include "model/enums.hpp"
#include "model/fields.hpp"
#include "store/database.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <set>

using namespace ciperf;

namespace {

template <typename E> void check_round_trip() {
  for (size_t i = 0; i < EnumNames<E>::names.size(); ++i) {
    auto value = static_cast<E>(i);
    CHECK(parse_enum<E>(to_string(value)) == value);
    CHECK(fmt::format("{}", value) == to_string(value));
  }
  CHECK_FALSE(parse_enum<E>("no such name"));
  CHECK_FALSE(parse_enum<E>(""));
}

std::set<std::string> columns(Database& db, const std::string& table) {
  std::set<std::string> out;
  auto stmt = db.prepare("SELECT name FROM pragma_table_info('" + table + "')");
  while (stmt.step())
    out.insert(stmt.text(0));
  return out;
}

template <typename Record>
std::set<std::string> names(std::span<const Field<Record>> fields, std::set<std::string> context) {
  for (const auto& f : fields)
    CHECK(context.insert(std::string(f.name)).second); // named once
  return context;
}

} // namespace

TEST_CASE("each enum name parses back to its value and prints as its name", "[model]") {
  check_round_trip<PhaseStatus>();
  check_round_trip<RunStatus>();
  check_round_trip<PhaseKind>();
  check_round_trip<RunMode>();
  check_round_trip<WaitOutcome>();
  check_round_trip<ProbeKind>();
}

TEST_CASE("the phase predicates say what the statuses mean", "[model]") {
  CHECK(ran(PhaseStatus::Passed));
  CHECK_FALSE(ran(PhaseStatus::Skipped));
  CHECK(failed(PhaseStatus::Failed));
  CHECK(failed(PhaseStatus::Timeout));
  CHECK(failed(PhaseStatus::Interrupted));
  CHECK_FALSE(failed(PhaseStatus::Passed));
  CHECK_FALSE(failed(PhaseStatus::Skipped));
  CHECK(run_status_of(PhaseStatus::Timeout) == RunStatus::Timeout);
  CHECK(run_status_of(PhaseStatus::Failed) == RunStatus::Failed);
  CHECK(phase_status_of(WaitOutcome::Ready) == PhaseStatus::Passed);
  CHECK(phase_status_of(WaitOutcome::Failed) == PhaseStatus::Failed);
  CHECK(baseline_mode(RunMode::Normal) == RunMode::Warm);
  CHECK(baseline_mode(RunMode::Cold) == RunMode::Cold);
  PhaseRecord service;
  service.status = PhaseStatus::Passed;
  service.background = true;
  CHECK(service.ran());
  CHECK_FALSE(service.counts_toward_total());
}

TEST_CASE("each field table names exactly the columns of its store table", "[model][store]") {
  test::TempDir dir;
  std::string path = (dir / "s.db").string();
  { Store store(path); } // migrated to the current schema
  auto owned = open_database(path, Database::Mode::ReadWrite);
  Database& db = *owned;
  CHECK(columns(db, "runs") == names(run_fields(), {"id"}));
  CHECK(columns(db, "phases") == names(phase_fields(), {"run"}));
  CHECK(columns(db, "waits") ==
        names(wait_fields(), {"id", "key", "run", "phase_idx", "recorded_at"}));
  CHECK(columns(db, "wait_targets") == names(wait_target_fields(), {"wait", "idx"}));
  CHECK(columns(db, "prepares") == names(prepare_fields(), {"run"}));
}

TEST_CASE("a field refuses a value that does not fit it", "[model]") {
  PhaseRecord p;
  const auto& status = field_named(phase_fields(), "status");
  CHECK(status.set(p, std::string("timeout")));
  CHECK(p.status == PhaseStatus::Timeout);
  CHECK_FALSE(status.set(p, std::string("exploded")));
  CHECK_FALSE(field_named(phase_fields(), "exit_code").set(p, std::string("one")));
  CHECK(field_named(phase_fields(), "exit_code").set(p, FieldValue{}));
  CHECK_FALSE(p.exit_code);
  CHECK_FALSE(field_named(phase_fields(), "exit_code").set(p, int64_t{1} << 40)); // not an int
  CHECK(field_named(phase_fields(), "cpu_some_s").set(p, 0.25));
  REQUIRE(p.pressure);
  CHECK(p.pressure->cpu_some_s == 0.25);
  CHECK_THROWS(field_named(phase_fields(), "no_such_field"));
}
