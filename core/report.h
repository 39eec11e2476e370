// Presenting a grade report: JSON for scripts (stable field names, see
// docs/json.md) and a table for people.
#pragma once

#include "core/grade.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <string>

namespace wb::core {

// The report as JSON text (one object, pretty-printed). Each dataset's
// `diff_png` is where its difference picture was written, or null; with
// `embed_pictures` (a worker's report) the pictures themselves travel too,
// as `diff_png_base64`.
std::string report_json(const GradeReport& report, bool embed_pictures = false);

// Writes each dataset's difference picture to DIR/STEM-dataset-K.png and
// names it in the dataset's message (and the report's, when it quotes
// that dataset's), with what the picture's note says; a dataset that has
// no picture but a note (why there is none) gets the note.
void write_pictures(GradeReport& report, const std::filesystem::path& dir, const std::string& stem);

// For a report sent away with its pictures (a worker's): names `where` the
// picture will be found in each message, and drops, with a note saying so,
// the pictures past `budget_bytes` in all.
void name_attached_pictures(GradeReport& report, const std::string& where,
                            std::size_t budget_bytes);
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
