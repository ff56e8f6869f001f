#pragma once
// The two forms of every command's answer: a table for people, JSON for scripts (`--json`).
// The views in reports/ (run_list, comparison_view, attribution_view, results_json) write both.
namespace ciperf {

enum class ViewFormat { Text, Json };

} // namespace ciperf
