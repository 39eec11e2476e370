// Attempts, grades and users as the API and the command line show them:
// the store's rows with one JSON mapping each, and the rules that make a new attempt (which
// datasets, how long its lease, what its job needs) and that read a grade (its score).
#pragma once

#include "core/mp_version.h"
#include "store/accounts.h"
#include "store/submissions.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace wb::core {

// One attempt in full: its program and the worker's report, with the
// compiler's output and the per-dataset results taken from it, and while
// it waits, its place in the queue (what `wbtool submit --wait` shows).
struct AttemptDetail {
    store::AttemptRow attempt; // with program_text
    nlohmann::json report;     // null until done
    int queue_position = 0;    // 1: next to be leased; 0: not queued
};
AttemptDetail attempt_detail(const store::AttemptRow& row, int queue_position = 0);
// The worker's difference pictures stay out of an attempt's JSON: a dataset
// that has one names its route instead, as `diff_png`
// (/api/v1/attempt/ID/diff/K), where attempt_picture serves it.
void to_json(nlohmann::json& j, const AttemptDetail& a);
// The PNG bytes of dataset `dataset`'s difference picture; nothing when
// the report has none.
std::optional<std::string> attempt_picture(const AttemptDetail& a, int dataset);

// A grade's score: the share of its datasets correct, 0 to 1.
double score(const store::GradeRow& g);
// One CSV field (RFC 4180), made safe for a spreadsheet: a leading = + - @
// is prefixed with ' so that it is not run as a formula.
std::string csv_field(const std::string& s);
// The CSV export: a header line, then one line per grade (RFC 4180, CRLF).
std::string grades_csv(const std::vector<store::GradeRow>& grades);

// A submission or grade request about to be queued.
struct AttemptRequest {
    std::int64_t user_id = 0;
    std::string kind; // submit | grade
    std::optional<std::int64_t> dataset;
    std::string program_name;
    std::string program_text; // already checked (core::make_program)
    double fixed_lease_s = 0; // the server's --lease; 0: from the MP's limits
};
// The attempt and its job for `mp`: the dataset selected (InputError when
// the MP has no such dataset), the lease length and what the job needs.
store::NewAttempt new_attempt(const MpVersion& mp, AttemptRequest request);

} // namespace wb::core

// The JSON of the store's user, attempt and grade rows (a user, an
// attempt's summary, a grade), here because the API's field names are
// core's, not the store's.
template <> struct nlohmann::adl_serializer<wb::store::UserRow> {
    static void to_json(nlohmann::json& j, const wb::store::UserRow& u);
};
template <> struct nlohmann::adl_serializer<wb::store::AttemptRow> {
    static void to_json(nlohmann::json& j, const wb::store::AttemptRow& a);
};
template <> struct nlohmann::adl_serializer<wb::store::GradeRow> {
    static void to_json(nlohmann::json& j, const wb::store::GradeRow& g);
};
