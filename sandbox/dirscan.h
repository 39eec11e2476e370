// Walking a numeric /proc directory with no allocation.
//
// Both children of a sandbox run between fork and execve of a multi-threaded
// parent, where only async-signal-safe calls are allowed: no opendir (it
// allocates), no snprintf. This header gives them the two things they need to
// look at /proc by hand: the entries of a directory whose names are numbers
// (/proc itself, /proc/self/fd) and a number formatted into a fixed buffer.
#pragma once

#include <cstddef>
#include <dirent.h>

namespace wb::sandbox::detail {

// Calls f(n) for every entry of the open directory `dirfd` whose name is a
// non-negative decimal number. Reads with getdents64 into a stack buffer.
template <class F> void for_each_numeric_entry(int dirfd, F&& f) noexcept {
    alignas(struct dirent64) char buf[4096];
    for (;;) {
        long n = getdents64(dirfd, buf, sizeof buf);
        if (n <= 0) return;
        for (long off = 0; off < n;) {
            const auto* d = reinterpret_cast<const struct dirent64*>(buf + off);
            off += d->d_reclen;
            long value = 0;
            const char* p = d->d_name;
            if (*p == '\0') continue;
            for (; *p >= '0' && *p <= '9'; ++p)
                value = value * 10 + (*p - '0');
            if (*p == '\0') f(value);
        }
    }
}

// Writes the decimal digits of `value` (>= 0) followed by `suffix` into `out`
// (capacity `cap`, always NUL-terminated). Returns false if it did not fit.
inline bool format_number(char* out, std::size_t cap, long value, const char* suffix) noexcept {
    char digits[24];
    std::size_t n = 0;
    do {
        digits[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value > 0 && n < sizeof digits);
    std::size_t i = 0;
    while (n > 0 && i + 1 < cap)
        out[i++] = digits[--n];
    while (*suffix && i + 1 < cap)
        out[i++] = *suffix++;
    if (cap == 0) return false;
    out[i] = '\0';
    return n == 0 && *suffix == '\0';
}

} // namespace wb::sandbox::detail
