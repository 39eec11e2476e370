// What a client command asks for, as the binary parsed it: the one object
// that crosses from the `wbtool` binary into the client module
// (module.h), which runs it. Plain data; the module checks that both
// sides were built with the same layout before it reads one.
#pragma once

#include "core/client/settings.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wb::client {

enum class Command {
    login,
    logout,
    whoami,
    signup,
    save,
    program,
    submit,
    attempts,
    attempt_show,
    grade,
    grades,
    workers,
    mp_list,
    mp_show,
    mp_import,
    answer,
    answers,
};

struct ClientCall {
    Command command = Command::whoami;
    ConnectionFlags connection;
    std::string mp;                 // an MP's id
    std::string file;               // a program's file, or a bundle's directory (mp import)
    std::vector<std::string> files; // save, submit, grade: the program's files (else `file`)
    std::string user;               // login, signup: the user's name
    std::string output;             // program -o FILE ("": standard output)
    std::int64_t attempt = 0;       // attempt show ID
    std::string diff_dir;           // attempt show --diff-dir DIR ("": no pictures)
    std::optional<int> dataset;
    int version = 0; // mp show --version (0: the latest)
    bool password_stdin = false;
    bool wait = false;
    bool json = false;
    bool csv = false;
    bool show = false; // answer --show
    bool quiet = false;
    // mp_import: the server's answer (JSON) is stored here instead of
    // printed, for `mp import --recursive`, which prints one summary.
    std::string* answer = nullptr;
};

} // namespace wb::client
