// The PTX of gpu/kernels/check_kernels.cu, embedded at build time
// (cmake/embed_ptx.cmake): nvcc's output where nvcc was found, else the
// committed gpu/kernels/check_kernels.ptx.
#pragma once

namespace wb::gpu {

// NUL-terminated PTX text holding the entry `wbtool_vector_add`.
const char* check_ptx();

} // namespace wb::gpu
