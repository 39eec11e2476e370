// The WAL checkpointer (see checkpointer.h).
#include "store/checkpointer.h"

#include "store/transaction.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <cstdio>

namespace wb::store {
Checkpointer::Checkpointer(const std::filesystem::path& db_path, std::chrono::milliseconds interval)
    : interval_(interval), thread_([this, db_path] { run(db_path); }) {}

Checkpointer::~Checkpointer() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void Checkpointer::run(std::filesystem::path db_path) {
    try {
        SQLite::Database db(db_path.string(), SQLite::OPEN_READWRITE);
        db.setBusyTimeout(detail::busy_timeout_ms);
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, interval_, [this] { return stop_; })) {
            lock.unlock();
            // Once every frame is in the database, the next writer starts
            // the WAL over from its beginning by itself, so it stays small.
            db.exec("PRAGMA wal_checkpoint(PASSIVE)");
            lock.lock();
        }
    } catch (const std::exception& e) {
        // The store still works: its connections would grow the WAL until
        // the final checkpoint at stop. Say so once.
        std::fprintf(stderr, "wbtool serve: the WAL checkpointer stopped: %s\n", e.what());
    }
}

} // namespace wb::store
