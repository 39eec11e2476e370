// The server's store: the MP tables (store::Store) and the server tables
// (store::ServerStore) behind one mutex. SQLite serialises writers anyway;
// one lock keeps every multi-step change (read an MP, insert an attempt and
// its job) whole without sharing a connection between threads.
#pragma once

#include "store/checkpointer.h"
#include "store/server_store.h"
#include "store/store.h"

#include <chrono>
#include <filesystem>
#include <mutex>

namespace wb::server {

class Db {
  public:
    explicit Db(const std::filesystem::path& data_dir)
        : store_(data_dir), server_(store_),
          checkpointer_(store_.db_path(), std::chrono::milliseconds(500)) {
        // Commits on the request path never checkpoint (see checkpointer.h).
        server_.disable_auto_checkpoint();
    }

    // Runs f(store, server) under the lock.
    template <class F> auto with(F&& f) {
        std::lock_guard lock(mutex_);
        return f(store_, server_);
    }

    std::mutex& mutex() { return mutex_; }
    store::Store& store() { return store_; }         // hold mutex()
    store::ServerStore& server() { return server_; } // hold mutex()

  private:
    std::mutex mutex_;
    store::Store store_;
    store::ServerStore server_;
    store::Checkpointer checkpointer_;
};

} // namespace wb::server
