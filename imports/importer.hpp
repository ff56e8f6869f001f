#pragma once
// Reading runs recorded elsewhere into ciperf's model: ciperf's own results.json, JUnit XML
// (pytest --junitxml and the like: a suite is a run, its test cases phases of kind test), and
// cc-ci's results.json (stages become tiers, tests phases). Files are read in chunks and never
// held whole; what is kept grows with the number of phases, not the size of the file (log text
// and captured output are cut to a few KiB).
#include "imports/import_options.hpp"
#include "model/run_record.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace ciperf {

enum class ImportFormat { Auto, Ciperf, Junit, CcCi };

// `name` is the file's name in messages; `identity` seeds the run ids of formats that have
// none of their own (JUnit, cc-ci), so that the same content always gets the same ids and an
// import of it twice stores it once. Throws ImportError.
// `fallback_start_ns` dates what carries no time of its own (JUnit suites without timestamp).
std::vector<RunRecord> read_runs(std::istream& in, const std::string& name,
                                 const std::string& identity, ImportFormat format,
                                 int64_t fallback_start_ns = 0, const ImportOptions& options = {});

// The whole file: its content hash is the identity; a ciperf results.json keeps its run
// directory so that reports still find its logs.
// `options.pipeline`, when given, names every run of the file.
std::vector<RunRecord> import_file(const std::string& path, ImportFormat format,
                                   const ImportOptions& options = {});

ImportFormat parse_import_format(const std::string& text); // auto | ciperf | junit | cc-ci

} // namespace ciperf
