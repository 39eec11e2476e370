// Presenting a grade report: JSON for scripts (stable field names, see
// docs/json.md) and a table for people.
#pragma once

#include "core/grade.h"

#include <string>

namespace wb::core {

// The report as JSON text (one object, pretty-printed).
std::string report_json(const GradeReport& report);

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
