// How store/ opens write transactions and waits for the database lock.
//
// Every write transaction is BEGIN IMMEDIATE: it takes the write lock at the
// start, waiting for it through the busy handler. A deferred transaction
// that reads and then writes would have to upgrade its read lock, and in WAL
// mode SQLite refuses that upgrade at once with SQLITE_BUSY (no waiting) when
// another connection wrote in between, so concurrent writers would fail with
// "database is locked" despite the busy timeout.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

namespace wb::store::detail {

// How long a connection waits for another one's lock before giving up.
inline constexpr int busy_timeout_ms = 5000;

// A write transaction holding the write lock from its first statement.
// Rolled back by its destructor unless committed.
inline SQLite::Transaction write_transaction(SQLite::Database& db) {
    return SQLite::Transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
}

} // namespace wb::store::detail
