// Reading phases in bulk for analysis, one sample at a time.
#include "store/database.hpp"
#include "store/row_codec.hpp"
#include "store/sample_queue.hpp"
#include "store/store.hpp"

#include "model/test_item.hpp"

#include <thread>
#include <vector>

namespace ciperf {
namespace {

std::vector<Field<PhaseRecord>> fields_named(std::initializer_list<std::string_view> names) {
  std::vector<Field<PhaseRecord>> out;
  for (auto name : names)
    out.push_back(field_named(phase_fields(), name));
  return out;
}

// The phase fields the analyses read: a million samples load these and nothing else.
std::span<const Field<PhaseRecord>> fields_for(SampleFields which) {
  static const auto analysis = fields_named({"idx",
                                             "name",
                                             "kind",
                                             "tier",
                                             "status",
                                             "background",
                                             "wall_s",
                                             "user_s",
                                             "sys_s",
                                             "read_bytes",
                                             "write_bytes",
                                             "cpu_some_s",
                                             "cpu_full_s",
                                             "io_some_s",
                                             "io_full_s",
                                             "memory_some_s",
                                             "memory_full_s",
                                             "tree_user_s",
                                             "tree_sys_s",
                                             "tree_read_bytes",
                                             "tree_write_bytes",
                                             "own_cpu_some_s",
                                             "own_cpu_full_s",
                                             "own_io_some_s",
                                             "own_io_full_s",
                                             "own_memory_some_s",
                                             "own_memory_full_s"});
  // Change points read each figure they follow (wall, CPU, memory, I/O, own stalls) and the
  // host-wide CPU stall, and no services.
  static const auto history =
      fields_named({"idx", "name", "status", "background", "wall_s", "user_s", "sys_s",
                    "max_rss_bytes", "tree_memory_peak_bytes", "read_bytes", "write_bytes",
                    "cpu_some_s", "tree_user_s", "tree_sys_s", "tree_read_bytes",
                    "tree_write_bytes", "own_cpu_some_s", "own_io_some_s", "own_memory_some_s"});
  return which == SampleFields::History ? history : analysis;
}

void bind_all(Statement& stmt, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i)
    stmt.bind(static_cast<int>(i + 1), values[i]);
}

// The selected runs' identities in row-id order, read alongside the phases (which come in the
// same order): a merge, so each phase row carries no copy of its run's columns and needs no join.
class RunCursor {
public:
  RunCursor(Database& db, const std::string& runs, const std::vector<std::string>& values)
      : stmt_(db.prepare("SELECT id, run_id, started_at, pipeline, mode FROM runs WHERE id IN (" +
                         runs + ") ORDER BY id")) {
    bind_all(stmt_, values);
  }
  // Moves to run `row` and gives the sample its run's fields; false when the run is not among
  // the selected (a writer recorded a run between the two queries, moving the newest N).
  bool seek(int64_t row, PhaseSample& s) {
    while (current_ < row && !done_) {
      if (!stmt_.step()) { // stepping again would start over
        done_ = true;
        break;
      }
      current_ = stmt_.integer(0);
      stmt_.text_into(1, run_id_);
      stmt_.text_into(2, started_at_);
      stmt_.text_into(3, pipeline_);
      auto mode = parse_enum<RunMode>(stmt_.text(4));
      if (!mode)
        throw_bad_column("mode");
      mode_ = *mode;
    }
    if (current_ != row)
      return false;
    s.run_id = run_id_; // into buffers the sample already has: no allocation once warm
    s.started_at = started_at_;
    s.pipeline = pipeline_;
    s.mode = mode_;
    return true;
  }

private:
  Statement stmt_;
  int64_t current_ = -1;
  bool done_ = false;
  std::string run_id_, started_at_, pipeline_;
  RunMode mode_ = RunMode::Normal;
};

// The services' cost rows of the same runs, in the same (run, phase) order as the phases: read
// alongside them, a merge rather than a query per phase.
class ServiceCursor {
public:
  ServiceCursor(Database& db, const std::string& runs, const std::vector<std::string>& values)
      : stmt_(db.prepare("SELECT run, phase_idx, service_idx, name, user_s, sys_s FROM "
                         "service_costs WHERE run IN (" +
                         runs + ") ORDER BY run, phase_idx, service_idx")) {
    bind_all(stmt_, values);
    more_ = stmt_.step();
  }
  // The costs of phase `idx` of run `run` into `out`.
  void read(int64_t run, int64_t idx, std::vector<ServiceCost>& out) {
    out.clear();
    while (more_ && std::pair(stmt_.integer(0), stmt_.integer(1)) < std::pair(run, idx))
      more_ = stmt_.step();
    while (more_ && stmt_.integer(0) == run && stmt_.integer(1) == idx) {
      out.push_back({static_cast<int>(stmt_.integer(2)), stmt_.text(3), stmt_.real(4),
                     stmt_.real(5), std::nullopt});
      more_ = stmt_.step();
    }
  }

private:
  Statement stmt_;
  bool more_ = false;
};

// The test cases of the same runs, in the same (run, phase) order as the phases (for --tests).
class TestCursor {
public:
  TestCursor(Database& db, const std::string& runs, const std::vector<std::string>& values)
      : stmt_(db.prepare("SELECT run, phase_idx, name, status, start_s, wall_s FROM phase_tests "
                         "WHERE run IN (" +
                         runs + ") ORDER BY run, phase_idx, idx")) {
    bind_all(stmt_, values);
    more_ = stmt_.step();
  }
  void read(int64_t run, int64_t idx, std::vector<TestCaseRecord>& out) {
    out.clear();
    while (more_ && std::pair(stmt_.integer(0), stmt_.integer(1)) < std::pair(run, idx))
      more_ = stmt_.step();
    while (more_ && stmt_.integer(0) == run && stmt_.integer(1) == idx) {
      auto status = parse_enum<PhaseStatus>(stmt_.text(3));
      if (!status)
        throw_bad_column("phase_tests.status");
      out.push_back({stmt_.text(2), *status, stmt_.real(4), stmt_.real(5), {}});
      more_ = stmt_.step();
    }
  }

private:
  Statement stmt_;
  bool more_ = false;
};

// The selection, restricted to the runs whose row id is `part` modulo `parts`: readers of
// interleaved runs, merged back into one stream in run order.
std::string runs_of_part(const std::string& runs, int part, int parts) {
  if (parts == 1)
    return runs;
  return "SELECT id FROM (" + runs + ") selected WHERE id % " + std::to_string(parts) + " = " +
         std::to_string(part);
}

// One connection's stream of the samples of the selected runs, in (run, phase) order.
class SampleReader {
public:
  SampleReader(Database& db, const std::string& runs, const std::vector<std::string>& values,
               SampleFields which, bool tests)
      : fields_(fields_for(which)),
        phases_(db.prepare("SELECT p.run, " + column_list(fields_, "p.") +
                           " FROM phases p WHERE p.run IN (" + runs + ") ORDER BY p.run, p.idx")),
        runs_(db, runs, values) {
    // Phases in primary-key order (run, idx): runs are numbered as they start, so this is time
    // order without a sort of the whole result.
    bind_all(phases_, values);
    if (which == SampleFields::Analysis)
      services_.emplace(db, runs, values);
    if (tests)
      tests_.emplace(db, runs, values);
  }

  // The next sample into `s` and its run's row id into `run`; false at the end.
  bool next(PhaseSample& s, int64_t& run) {
    if (next_test_ < pending_.size()) { // the last phase's test cases follow it
      PhaseSample item;
      static_cast<PhaseRecord&>(item) = test_item(parent_, pending_[next_test_++]);
      item.run_id = parent_.run_id;
      item.started_at = parent_.started_at;
      item.pipeline = parent_.pipeline;
      item.mode = parent_.mode;
      s = std::move(item);
      run = parent_run_;
      return true;
    }
    while (!done_) {
      if (!phases_.step()) { // stepping again would start over
        done_ = true;
        break;
      }
      run = phases_.integer(0);
      if (!runs_.seek(run, s))
        continue;
      s.pressure.reset();
      s.own_pressure.reset();
      read_fields(phases_, 1, fields_, static_cast<PhaseRecord&>(s));
      if (services_)
        services_->read(run, s.index, s.services);
      if (tests_) {
        tests_->read(run, s.index, pending_);
        next_test_ = 0;
        if (!pending_.empty()) {
          parent_ = s;
          parent_run_ = run;
        }
      }
      return true;
    }
    return false;
  }

private:
  std::span<const Field<PhaseRecord>> fields_;
  Statement phases_;
  RunCursor runs_;
  std::optional<ServiceCursor> services_;
  std::optional<TestCursor> tests_;
  std::vector<TestCaseRecord> pending_; // the test cases of the phase last handed over
  size_t next_test_ = 0;
  PhaseSample parent_;
  int64_t parent_run_ = 0;
  bool done_ = false;
};

// A reader thread: fills batches from its own connection until the stream ends or the consumer
// gives up.
void read_into(std::unique_ptr<Database> db, std::string runs, std::vector<std::string> values,
               SampleFields which, bool tests, SampleQueue& queue) {
  try {
    SampleReader reader(*db, runs, values, which, tests);
    for (bool more = true; more;) {
      SampleBatch batch = queue.reuse();
      batch.samples.resize(SampleQueue::kBatch);
      batch.runs.resize(SampleQueue::kBatch);
      while (batch.size < SampleQueue::kBatch &&
             (more = reader.next(batch.samples[batch.size], batch.runs[batch.size])))
        ++batch.size;
      if (batch.size > 0 && !queue.push(std::move(batch)))
        break;
    }
    queue.close();
  } catch (...) {
    queue.close(std::current_exception());
  }
}

// The head of one reader's stream on the consumer's side.
struct StreamHead {
  SampleQueue* queue;
  SampleBatch batch;
  size_t at = 0;
  bool live = true;

  // Makes sure a sample is at the head; false when the stream has ended.
  bool fill() {
    while (live && at == batch.size) {
      if (batch.size > 0)
        queue->give_back(std::move(batch));
      batch = {};
      at = 0;
      live = queue->pop(batch);
    }
    return live;
  }
};

// Stops and joins the reader threads however the consumer leaves (a visitor may throw).
struct Readers {
  std::vector<SampleQueue> queues;
  std::vector<std::thread> threads;
  explicit Readers(size_t n) : queues(n) {}
  ~Readers() {
    for (auto& q : queues)
      q.cancel();
    for (auto& t : threads)
      t.join();
  }
};

} // namespace

int Store::sample_readers(const std::string& runs, const std::vector<std::string>& values) {
  if (sample_readers_ > 0)
    return sample_readers_;
  // On PostgreSQL the server scans in a process of its own, and one reader's read-ahead keeps
  // it busy while ciperf decodes (PgStatement::fetch). Two readers made it slower: the planner
  // takes `id % 2 = 0` for 0.5% of the runs and sorts every phase row on disk (EXPLAIN ANALYZE
  // over 1,000,000 rows: 1.4 s for each half, against 0.7 s for all of them in one merge join).
  if (std::thread::hardware_concurrency() < 2 || db_->is_postgres())
    return 1;
  // A second connection and thread pay for themselves over thousands of phases, not a few.
  auto count = db_->prepare("SELECT COUNT(*) FROM (" + runs + ") selected");
  bind_all(count, values);
  return count.step() && count.integer(0) >= kParallelSampleRuns ? 2 : 1;
}

std::unique_ptr<Database> Store::open_reader() const {
  if (db_->is_postgres()) // a connection of its own: one thread's cursors, one PGconn
    return open_database(path_, Database::Mode::ReadOnly);
  std::unique_ptr<Database> db;
  try {
    db = open_database(path_, Database::Mode::ReadOnly);
  } catch (const StoreError&) { // a read-only folder: no -shm file can be made
    db = open_database(path_, Database::Mode::Immutable);
  }
  return db;
}

void Store::for_each_phase_sample(const RunFilter& filter,
                                  const std::function<void(const PhaseSample&)>& visit,
                                  SampleFields which) {
  std::vector<std::string> values;
  std::string runs = "SELECT id FROM runs" + where_clause(filter, values);
  if (filter.limit) // the newest N runs: the last recorded (a run's own stamp may lie)
    runs += " ORDER BY id DESC LIMIT " + std::to_string(*filter.limit);
  int parts = sample_readers(runs, values);
  if (parts == 1) {
    SampleReader reader(*db_, runs, values, which, sample_tests_);
    PhaseSample s;
    for (int64_t run = 0; reader.next(s, run);)
      visit(s);
    return;
  }
  // Decoding rows is most of the cost: readers of interleaved runs decode on other cores, and
  // their streams are merged here, in run order, so the visitor sees what one reader would give.
  Readers readers(static_cast<size_t>(parts));
  for (int part = 0; part < parts; ++part)
    readers.threads.emplace_back(read_into, open_reader(), runs_of_part(runs, part, parts), values,
                                 which, sample_tests_, std::ref(readers.queues[part]));
  std::vector<StreamHead> heads;
  for (auto& q : readers.queues)
    heads.push_back({&q, {}});
  for (;;) {
    StreamHead* next = nullptr;
    for (auto& h : heads)
      if (h.fill() && (!next || h.batch.runs[h.at] < next->batch.runs[next->at]))
        next = &h;
    if (!next)
      return;
    visit(next->batch.samples[next->at++]);
  }
}

bool Store::has_run(const std::string& run_id) {
  Statement& stmt = db_->cached("SELECT 1 FROM runs WHERE run_id = ?");
  stmt.bind(1, run_id);
  bool found = stmt.step();
  stmt.reset();
  return found;
}

std::set<std::string> Store::runs_labelled(const std::string& key, const std::string& value) {
  auto stmt = db_->prepare("SELECT r.run_id FROM runs r JOIN labels l ON l.run = r.id "
                           "WHERE l.key = ? AND l.value = ?");
  stmt.bind(1, key).bind(2, value);
  std::set<std::string> ids;
  while (stmt.step())
    ids.insert(stmt.text(0));
  return ids;
}

std::vector<PhaseSample> Store::phase_samples(const RunFilter& filter) {
  std::vector<PhaseSample> out;
  for_each_phase_sample(filter, [&](const PhaseSample& s) { out.push_back(s); });
  return out;
}

} // namespace ciperf
