// See gpu_check.h.
#include "core/gpu_check.h"

#include "core/error.h"

#include <stdexcept>

namespace wb::core {

gpu::CheckReport gpu_check(const gpu::CheckOptions& options) {
    try {
        return gpu::run_check(options);
    } catch (const std::invalid_argument& e) {
        throw InputError(e.what());
    }
}

} // namespace wb::core
