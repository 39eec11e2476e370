// A student's program as the grader takes it in: text, checked before any
// tool sees it. A binary file, an empty file or one over the size limit is
// refused here with the file's name, so nothing downstream (the precheck, the
// compiler, the store) ever handles it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wb::core {

inline constexpr std::size_t max_program_bytes = 1u << 20; // 1 MiB (all files together)
inline constexpr std::size_t max_program_files = 64;

// One file of a program of several (a source or a header).
struct SourceFile {
    std::string name; // a plain file name: no '/', no "..", no control characters
    std::string text;
};

// A program is one file (the common case: `files` empty, name and text are
// it) or several (`files`, sorted by name, compiled together; see
// compile.h). For several, `text` is every file's text joined by newlines,
// so that the keyword checks see them all, `name` their names joined by
// ", ", and `hash` covers every name and text.
struct Program {
    std::string name; // shown to users: the file name it came from
    std::string text;
    std::string hash; // sha-256 hex of text
    // Set by read_source only: why the file is not source text (a NUL byte,
    // invalid UTF-8), "NAME:LINE: ..."; grade() makes it a compile_error.
    std::string not_text;
    std::vector<SourceFile> files; // empty for a program of one file

    bool several() const { return !files.empty(); }
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

// Checks the files of a program of several (a request body's "files"): at
// most max_program_files, plain and distinct names, each text, all together
// within max_program_bytes. One file is make_program's program. Throws
// InputError.
Program make_program_files(std::vector<SourceFile> files);

// Reads a local grade's program from the command line's paths: one file as
// read_source reads it, else every file (a directory stands for the regular
// files directly in it), each named by its file name. A file that is not
// text makes not_text, as read_source does. Throws InputError.
Program read_sources(const std::vector<std::filesystem::path>& paths);

// As read_sources, but a file that is not text is an error (what a client
// sends to a server).
Program read_programs(const std::vector<std::filesystem::path>& paths);

// How a program is stored (attempts.program_text, a saved program) and sent
// to a worker: one file's text as it is; several as the JSON object
// {"files": {"NAME": "TEXT", ...}}. decode_program reads either back; a
// stored text that is not exactly that object is one file's text.
std::string encode_program(const Program& program);
Program decode_program(std::string name, std::string stored);
// The files of a stored program: one, named `name`, or its several.
std::vector<SourceFile> stored_files(const std::string& name, const std::string& stored);
// The text the keyword checks search in a stored program: every file's.
std::string keyword_text(const std::string& stored);

} // namespace wb::core
