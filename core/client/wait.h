// Waiting for an attempt to be graded (`submit --wait`, `grade`), with a
// progress line on stderr while it is queued (its place in the queue) and
// while it runs, and its report read back for the same table and exit
// code as `grade --local`.
#pragma once

#include "core/client/api.h"
#include "core/grade.h"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace wb::client {

// Polls GET /api/v1/attempt/ID until the attempt is done; the attempt.
// A server that stops answering (a restart) is waited for, with backoff,
// for up to ten minutes; an answer that refuses (404, 401) ends it.
nlohmann::json wait_for_attempt(Api& api, std::int64_t id, bool quiet);

// The attempt's report as `grade --local` makes one; an attempt without
// a report (failed before any run) gives its verdict and message alone.
core::GradeReport attempt_report(const nlohmann::json& attempt);

// The report printed as `grade --local` prints it (core/report.h): the
// table, or with `json` its JSON with the attempt's id added. Returns the
// exit code (0 all correct, 1 not, 4 internal error).
int print_attempt_report(const nlohmann::json& attempt, bool json);

} // namespace wb::client
