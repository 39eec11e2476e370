// Labs that ship a dataset generator instead of datasets (the GPU Teaching
// Kit's dataset_generator.cpp: libwb's wbDataset_generate, wbPath_join and
// wbDirectory_create, writing Dataset/<k>/... under the current directory).
// `mp import --generate` compiles the generator as a C++ program against
// wbtool's libwb and runs it in the sandbox, never bare: it is code from a
// bundle, as a student's program is. It runs in a temporary copy of the
// bundle, whose Dataset/ it fills, and that copy is what is loaded, so the
// course's own directory is never written.
#pragma once

#include "core/mp.h"
#include "sandbox/sandbox.h"

#include <filesystem>

namespace wb::core {

inline constexpr const char* generator_file = "dataset_generator.cpp";

struct GenerateOptions {
    std::filesystem::path cache_dir; // compiled generators are cached as programs are
    sandbox::Isolation min_isolation = sandbox::Isolation::rlimits;
    double cpu_s = 60; // for the compile and again for the run
    std::uint64_t memory_mib = 4096;
};

// The bundle in `dir` with its generated datasets, loaded (load_mp) from
// the temporary copy (Mp::generated). InputError when there is no
// generator, it does not compile, or it fails; the message carries the
// compiler's or the generator's last words.
Mp load_generated(const std::filesystem::path& dir, const GenerateOptions& options);

} // namespace wb::core
