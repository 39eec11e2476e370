// Workers and their jobs, as the server and a worker speak of them: what a
// worker can run (Capabilities), how it is doing (WorkerStatus, WorkerInfo),
// the job it is given (JobOffer) and the rules for the report it sends back
// (accept_report). One JSON mapping each; the store keeps the capabilities
// and status as this JSON and never reads it.
#pragma once

#include "core/mp_version.h"
#include "store/submissions.h"
#include "store/workers.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wb::core {

// What a worker can run. The queue leases a job (core::job_needs) only to
// a worker with its toolchain, and a GPU job only to one whose GPU is
// there and healthy (store::Submissions::lease_next).
// The machine's figures (cores, memory, isolation, compilers) are shown to
// TAs and admins; the queue does not read them.
struct Capabilities {
    bool gpu = false;
    std::vector<std::string> toolchains; // names like "cpp", "cuda"
    std::optional<std::int64_t> cores;
    std::optional<std::int64_t> memory_mib;
    std::optional<std::string> isolation;         // full | userns | rlimits
    std::map<std::string, std::string> compilers; // "cpp" -> "g++ (Debian ...) 12.2.0"
    std::optional<std::int64_t> slots;            // from the registration, 1..256
    std::optional<std::int64_t> max_slots;        // at least slots
    std::optional<std::string> version;
};
void to_json(nlohmann::json& j, const Capabilities& c);
void from_json(const nlohmann::json& j, Capabilities& c);
// From a request: InputError naming the field for anything malformed.
Capabilities read_capabilities(const nlohmann::json& j);
// A registration's body ({capabilities, slots, max_slots, version}): the
// capabilities with the slots, checked the same way.
Capabilities read_registration(const nlohmann::json& body);

// A heartbeat's figures; each is optional but gpu_ok and draining.
struct WorkerStatus {
    std::optional<double> load;
    std::optional<double> disk_free_mib;
    std::optional<std::int64_t> slots;
    std::optional<std::int64_t> busy;
    bool gpu_ok = true;
    std::optional<std::string> gpu_reason; // why the GPU is unhealthy, cut to 500 characters
    bool draining = false;                 // the worker is finishing its jobs and taking none
};
void to_json(nlohmann::json& j, const WorkerStatus& s);
// From a heartbeat's body, less its log lines: InputError naming the field.
// A long gpu_reason is cut rather than refused: a heartbeat refused over a
// diagnostic would make a live worker look stale.
WorkerStatus read_status(const nlohmann::json& body);

// What TAs see of a worker, first reason first: silent too long, asked (by
// an admin or by itself) to drain, a GPU it offers failing its check.
enum class WorkerState { alive, stale, draining, gpu_unhealthy };
std::string_view worker_state_name(WorkerState s);

struct WorkerInfo {
    std::string id;
    nlohmann::json capabilities; // as registered
    nlohmann::json status;       // the last heartbeat
    bool gpu_ok = true;
    std::string registered_at;
    double last_seen_s_ago = 0;
    bool stale = false; // no word from it for longer than the stale window
    WorkerState state = WorkerState::alive;
    std::string last_heartbeat_at; // of last_seen_ms, ISO 8601 UTC
    int leased_jobs = 0;
};
// A worker is stale once it has been silent for `stale_s`; see WorkerState.
WorkerInfo worker_info(const store::WorkerRow& row, std::int64_t now_ms, double stale_s);
void to_json(nlohmann::json& j, const WorkerInfo& w);

// The job a worker leases: everything it needs to grade, with the MP's
// files named by content hash (fetched once, then cached).
struct JobOffer {
    store::JobRow job;
    store::AttemptRow attempt; // with the program's text
    MpVersion mp;
};
void to_json(nlohmann::json& j, const JobOffer& o);

// The datasets an attempt asked for: the one it named, or every dataset of
// the MP version it was made against.
std::set<int> expected_datasets(const store::AttemptRow& attempt, const MpVersion& mp);

// A worker's report checked against what its attempt asked for: a known
// verdict, each dataset asked for reported once, and datasets missing only
// when nothing could run. The result to record; InputError otherwise.
store::JobResult accept_report(std::int64_t job_id, const nlohmann::json& report,
                               const std::set<int>& expected);

// The points of an accepted report, counted here from its verdicts, the
// MP's scores and the program's text (core/score.h), never taken from the
// worker; none for an internal error (the grader failed, not the program).
void count_report_points(store::JobResult& result, const nlohmann::json& report, const MpConfig& mp,
                         std::optional<int> dataset, const std::string& program_text);

} // namespace wb::core
