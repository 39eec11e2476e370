// The outbox (see outbox.h).
#include "core/worker/outbox.h"

#include "core/files.h"

#include <algorithm>

namespace wb::worker {

Outbox::Outbox(std::filesystem::path dir) : dir_(std::move(dir)) {}

std::filesystem::path Outbox::file(std::int64_t job) const {
    return dir_ / (std::to_string(job) + ".json");
}

void Outbox::save(std::int64_t job, const std::string& body) {
    std::filesystem::create_directories(dir_);
    core::write_file_atomic(file(job), body);
}

std::optional<std::string> Outbox::load(std::int64_t job) {
    std::lock_guard lock(mu_);
    if (claimed_.count(job) || !std::filesystem::exists(file(job))) return std::nullopt;
    claimed_.insert(job);
    return core::read_file(file(job));
}

void Outbox::remove(std::int64_t job) {
    std::lock_guard lock(mu_);
    std::error_code ec;
    std::filesystem::remove(file(job), ec);
    claimed_.erase(job);
}

void Outbox::release(std::int64_t job) {
    std::lock_guard lock(mu_);
    claimed_.erase(job);
}

std::vector<std::int64_t> Outbox::pending() const {
    std::vector<std::int64_t> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
        const auto name = e.path().filename().string();
        if (e.path().extension() != ".json") continue;
        try {
            out.push_back(std::stoll(name));
        } catch (const std::exception&) {
            // Not ours (an editor's backup, a temporary file): left alone.
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace wb::worker
