// SQLite's exceptions as store::Error (see error.h). The kind comes from the
// primary result code, so a busy database reads as "try again" and a damaged
// one as "restore it", not both as "something failed".
#include "store/error.h"

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>

#include <sqlite3.h>

namespace wb::store {
namespace {

Error::Kind kind_of(int code) {
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return Error::Kind::busy;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return Error::Kind::corrupt;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
        return Error::Kind::unusable;
    default:
        return Error::Kind::failed;
    }
}

} // namespace

void rethrow_as_store_error(const char* operation) {
    try {
        throw;
    } catch (const Error&) {
        throw;
    } catch (const SQLite::Exception& e) {
        throw Error(kind_of(e.getErrorCode()), fmt::format("store: {}: {}", operation, e.what()));
    }
}

} // namespace wb::store
