// An MP version as the store keeps it and everyone above the store reads
// it: the typed form of the summary that `mp import` stores (one JSON
// mapping, here), its files, and the rules that follow from it.
//
// The summary is the loaded Mp (core/mp.h) with paths made relative to the
// bundle: enough to show the MP, select its datasets and lease its jobs
// without the bundle's files. Commands and routes get MpVersion values and
// never read a key of the stored JSON themselves.
#pragma once

#include "core/mp.h"
#include "store/catalog.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wb::core {

struct DatasetEntry {
    int index = 0;
    std::vector<std::string> inputs; // relative to the bundle
    std::string expected;
    double score = 0; // its share of the grade (Dataset::score)
    std::string description;
};

struct CheckSpec {
    CheckMode mode = CheckMode::vector;
    Tolerance tolerance;
    std::string type_arg; // the `-t` argument
};

// What `mp import` stores as a version's summary.
struct MpConfig {
    std::string id;
    std::string title;
    BundleLayout layout = BundleLayout::native;
    Toolchain toolchain = Toolchain::cpp;
    std::vector<std::string> flags;
    std::string compile_command;
    std::string run_command;
    MpLimits limits;
    std::vector<std::string> forbidden;
    CheckSpec check;
    std::string description; // bundle paths; empty when there is none
    std::string template_file;
    std::string solution;
    std::vector<DatasetEntry> datasets;
    std::string language; // as the bundle names it; empty for mp.toml
    Scoring scoring;
    std::vector<std::string> questions;
};

MpConfig mp_config(const Mp& mp);

// Scoring::compile etc. with each dataset's share, as an Mp has them: what
// count_points needs (core/score.h).
std::map<int, double> dataset_shares(const MpConfig& c, std::optional<int> only = std::nullopt);

void to_json(nlohmann::json& j, const MpConfig& c);
void from_json(const nlohmann::json& j, MpConfig& c);
void to_json(nlohmann::json& j, const MpLimits& l);

struct BundleFile {
    std::string path; // '/'-separated, relative to the bundle
    std::string sha256;
    std::uint64_t size = 0;
};
void to_json(nlohmann::json& j, const BundleFile& f);

struct MpVersion {
    std::string id;
    int version = 0;
    std::string title;
    std::string bundle_hash;
    std::string created_at;
    MpConfig config;
    std::vector<BundleFile> files;

    // The file at a bundle path, or nothing (an empty path is nothing).
    const BundleFile* file(const std::string& path) const;
    std::vector<int> dataset_indices() const;
};

MpVersion mp_version(const store::MpRecord& record);

// One line of an MP listing (`mp list --json`, GET /api/v1/mps).
struct MpListing {
    std::string id;
    int version = 0;
    std::string title;
    Toolchain toolchain = Toolchain::cpp;
    std::size_t datasets = 0;
    std::string created_at;
};
MpListing listing(const MpVersion& v);
void to_json(nlohmann::json& j, const MpListing& l);
// A server's listing (GET /api/v1/mps), read back for `wbtool mp list`.
void from_json(const nlohmann::json& j, MpListing& l);
// `wbtool mp list`'s rows, local or from a server (core/table.h).
std::string listings_table(const std::vector<MpListing>& mps, bool aligned);

// ---- rules --------------------------------------------------------------

// The datasets an attempt runs: the one it names, or every one. A dataset
// the MP does not have is the caller's error (InputError naming the range).
struct DatasetSelection {
    std::optional<int> dataset; // nothing: every dataset
    std::size_t runs = 0;
};
DatasetSelection select_datasets(const MpVersion& mp, std::optional<std::int64_t> dataset);

// How long a worker may hold a job before it goes back to the queue: twice
// the time the compile and the runs may take, and 30 s for the rest. A
// positive `fixed` (the server's --lease) wins.
double lease_seconds(const MpLimits& limits, std::size_t runs, double fixed = 0);

// What a job needs from the worker that runs it.
struct JobNeeds {
    std::string toolchain;
    bool gpu = false;
};
JobNeeds job_needs(const MpConfig& config);

} // namespace wb::core
