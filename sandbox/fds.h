// File descriptors: the program's standard streams, and nothing else.
//
// Parent side (may allocate, returns SysResult): open what the program gets
// as stdin, stdout and stderr before anything is forked, so that a missing
// input file or an unwritable output file is an error message from wbtool,
// not a strange exit of the child. Discarded output goes into a pipe that the
// parent drains and counts.
//
// Child side (async-signal-safe, noexcept, returns an errno or 0): put the
// streams on 0, 1 and 2 and close every other descriptor the process
// inherited from wbtool (other sandboxes' pipes, server sockets, databases).
#pragma once

#include "sandbox/syscall_result.h"
#include "sandbox/unique_fd.h"

#include <cstdint>
#include <filesystem>
#include <utility>

namespace wb::sandbox::detail {

// What the program gets as 0, 1 and 2, all close-on-exec and numbered >= 3.
struct StdStreams {
    UniqueFd in;
    UniqueFd out;
    UniqueFd err;
    UniqueFd sink;                // read end of the pipe taking discarded output
    bool out_is_file = false;     // out is a file the parent can measure
    bool err_is_file = false;     // err is a file the parent can measure...
    bool err_same_as_out = false; // ...unless it is the same file as out
};

// Opens the three streams: stdin from `in` (empty: /dev/null); stdout and
// stderr into `out` and `err`, created 0600 and truncated (empty: discarded
// through the counting pipe). Output files that are symbolic links are
// refused, because the directory they sit in may be the program's to write.
// The same file for both gets one open file, shared like 2>&1.
SysResult<StdStreams> open_std_streams(const std::filesystem::path& in,
                                       const std::filesystem::path& out,
                                       const std::filesystem::path& err);

// A SOCK_SEQPACKET pair, both ends close-on-exec: parent and keeper talk on it.
// `credentials`: the first end receives SCM_CREDENTIALS (SO_PASSCRED).
SysResult<std::pair<UniqueFd, UniqueFd>> make_channel(bool credentials = false);

// The size of the open file `fd` (0 if it cannot be told).
std::uint64_t file_size(int fd) noexcept;

// Child side. Puts in/out/err on 0/1/2 (clearing close-on-exec there).
int install_stdio(int in, int out, int err) noexcept;

// Child side. Returns `fd` moved to a number >= 3 (close-on-exec), closing
// the original, or -1 with errno: the streams are put on 0, 1 and 2 later, and
// a descriptor there would be overwritten (wbtool may run with them closed).
int move_above_stdio(int fd) noexcept;

// Child side. Closes every descriptor >= 3 except those in keep[0..count)
// (sorted in place). close_range when the kernel has it, else the entries of
// /proc/self/fd, else every number up to RLIMIT_NOFILE.
int close_fds_except(int* keep, int count) noexcept;

} // namespace wb::sandbox::detail
