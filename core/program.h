// A student's program as the grader takes it in: text, checked before any
// tool sees it. A binary file, an empty file or one over the size limit is
// refused here with the file's name, so nothing downstream (the precheck, the
// compiler, the store) ever handles it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace wb::core {

inline constexpr std::size_t max_program_bytes = 1u << 20; // 1 MiB

struct Program {
    std::string name; // shown to users: the file name it came from
    std::string text;
    std::string hash; // sha-256 hex of text
    // Set by read_source only: why the file is not source text (a NUL byte,
    // invalid UTF-8), "NAME:LINE: ..."; grade() makes it a compile_error.
    std::string not_text;
};

// Reads and checks a program file. Throws InputError.
Program read_program(const std::filesystem::path& path);

// Reads a program file for a local grade: as read_program, except that a
// file that is not text (a binary, a compiled program by mistake) is a
// Program whose not_text says why, for grade() to judge, not an error.
Program read_source(const std::filesystem::path& path);

// Checks program text from any source (a file, a request body). `name`
// prefixes the messages. Throws InputError.
Program make_program(std::string name, std::string text);

} // namespace wb::core
