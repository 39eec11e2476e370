// The store's errors as exit codes and HTTP statuses (see error.h): the one
// place each mapping is written.
#include "core/error.h"

namespace wb {

int exit_code_for(const store::Error& e) {
    return e.kind() == store::Error::Kind::unusable ? exit_usage : exit_internal;
}

int http_status_for(const store::Error& e) {
    return e.kind() == store::Error::Kind::busy ? 503 : 500;
}

} // namespace wb
