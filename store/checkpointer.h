// Checkpoints a server's WAL from a thread of its own.
//
// SQLite's automatic checkpoint runs inside whichever commit crosses the
// threshold (1000 pages): that request then copies the WAL into the
// database and waits for its writes, a stall of tens of milliseconds in the
// p99 of every submit. The server's connections turn the automatic
// checkpoint off and this thread, on its own connection, runs a PASSIVE
// checkpoint (it never blocks writers or readers) every interval; after a
// complete one the next writer reuses the WAL from its start. (A RESTART or
// FULL checkpoint would block writers: the stall moved, not removed.)
// Nothing but store/ touches SQL, so this lives here.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

namespace wb::store {

class Checkpointer {
  public:
    Checkpointer(const std::filesystem::path& db_path, std::chrono::milliseconds interval);
    ~Checkpointer(); // stops the thread
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

  private:
    void run(std::filesystem::path db_path);

    std::chrono::milliseconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

} // namespace wb::store
