// The server's store: the catalog (store::Store) and the accounts,
// submissions and workers (store::ServerStore), on SQLite, behind one mutex.
// SQLite serialises writers anyway; one lock keeps every multi-step change
// (read an MP, insert an attempt and its job) whole without sharing a
// connection between threads. Routes see only the narrow interfaces
// (core::Stores); this is the one place that names the SQLite classes, and
// where a second backend would be chosen (docs/store.md).
#pragma once

#include "core/stores.h"
#include "store/checkpointer.h"
#include "store/server_store.h"
#include "store/store.h"

#include <chrono>
#include <filesystem>
#include <mutex>

namespace wb::server {

using core::Stores;

class Db {
  public:
    explicit Db(const std::filesystem::path& data_dir)
        : store_(data_dir), server_(store_),
          checkpointer_(store_.db_path(), std::chrono::milliseconds(500)) {
        // Commits on the request path never checkpoint (see checkpointer.h).
        server_.disable_auto_checkpoint();
    }

    // Runs f(stores) under the lock.
    template <class F> auto with(F&& f) {
        std::lock_guard lock(mutex_);
        return f(stores_);
    }

    std::mutex& mutex() { return mutex_; }
    Stores& stores() { return stores_; } // hold mutex()
    // Moves the WAL into the database file (on shutdown).
    void checkpoint() {
        std::lock_guard lock(mutex_);
        server_.checkpoint();
    }

  private:
    std::mutex mutex_;
    store::Store store_;
    store::ServerStore server_;
    Stores stores_{store_, server_, server_, server_, server_};
    store::Checkpointer checkpointer_;
};

} // namespace wb::server
