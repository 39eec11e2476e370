// The entry point of wbtool-server.so (see module.h).
#include "core/server/module.h"

#include <cstring>

extern "C" __attribute__((visibility("default"))) int
wbtool_server_serve_v1(const wb::server::ServeOptions* options, const char* version,
                       std::size_t options_size, const char** mismatch) {
    if (std::strcmp(version, WBTOOL_VERSION) != 0 ||
        options_size != sizeof(wb::server::ServeOptions)) {
        *mismatch = WBTOOL_VERSION;
        return -1;
    }
    return wb::server::serve(*options);
}
