// The one error the store throws, whatever the backend.
//
// A caller above the store (core, the server's routes, a command) sees
// store::Error and nothing of SQLite: its kind says what the user can do
// about it, and core maps each kind to an exit code and an HTTP status in
// one place each (core/error_map.h). A second backend throws the same kinds.
#pragma once

#include <stdexcept>
#include <string>

namespace wb::store {

class Error : public std::runtime_error {
  public:
    enum class Kind {
        unusable, // the data directory or database cannot be used as it is: path,
                  // permission, a schema newer than this wbtool knows
        busy,     // another writer held the lock past the busy timeout
        corrupt,  // the database file is damaged or not a database
        failed,   // any other failure of a query (disk full, I/O error)
    };
    Error(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
    Kind kind() const { return kind_; }

  private:
    Kind kind_;
};

// Called inside a catch block: throws the exception being handled as a
// store::Error naming `operation` (a store::Error passes through unchanged;
// anything that is not an error of the database, such as std::bad_alloc or
// a logic error, is rethrown as it is). Every public method of a SQLite
// class ends in `catch (...) { rethrow_as_store_error("what it did"); }`.
[[noreturn]] void rethrow_as_store_error(const char* operation);

} // namespace wb::store
