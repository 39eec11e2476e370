// Presenting a grade report: JSON for scripts (stable field names, see
// docs/json.md) and a table for people.
#pragma once

#include "core/grade.h"

#include <nlohmann/json.hpp>

#include <string>

namespace wb::core {

// The report as JSON text (one object, pretty-printed).
std::string report_json(const GradeReport& report);
// The report back from that JSON (a server's attempt carries it), so that
// a client prints a server's grade with report_table, as `grade --local`
// prints its own. A field that is missing or of another type is left at
// its default; an unknown verdict is internal_error.
GradeReport report_from_json(const nlohmann::json& j);

struct TableStyle {
    bool colour = false;
};

// The report as a table of datasets, then the overall verdict and, when not
// all correct, what went wrong.
std::string report_table(const GradeReport& report, const TableStyle& style);

// The exit code for a report: 0 all correct, 1 graded but not all correct,
// 4 internal error.
int report_exit_code(const GradeReport& report);

} // namespace wb::core
