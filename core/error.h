// The project's error type and the exit codes scripts rely on.
//
// Exceptions carry errors to the one boundary in cmd/main.cpp, which prints
// "wbtool: error: <what>" and exits with the code below. The message says what
// went wrong, where (file, line, field) and, when there is one, what to do.
#pragma once

#include "store/error.h"

#include <stdexcept>
#include <string>

namespace wb {

enum ExitCode : int {
    exit_ok = 0,          // graded and all correct, or the command succeeded
    exit_not_correct = 1, // graded, but not all correct
    exit_usage = 2,       // usage or input error
    exit_network = 3,     // server or network error
    exit_internal = 4,    // internal error
    exit_no_gpu = 5,      // gpu-check: no usable GPU (no driver, no device)
};

class Error : public std::runtime_error {
  public:
    Error(int exit_code, const std::string& what) : std::runtime_error(what), code_(exit_code) {}
    int exit_code() const { return code_; }

  private:
    int code_;
};

// Bad input from the user: a flag, a file, a bundle. Exit code 2.
struct InputError : Error {
    explicit InputError(const std::string& what) : Error(exit_usage, what) {}
};

// Something the user named that does not exist: an MP, a version, an
// attempt. Exit code 2, HTTP 404.
struct NotFoundError : InputError {
    explicit NotFoundError(const std::string& what) : InputError(what) {}
};

// A server or network failure. Exit code 3.
struct NetworkError : Error {
    explicit NetworkError(const std::string& what) : Error(exit_network, what) {}
};

// Something that should not happen. Exit code 4.
struct InternalError : Error {
    explicit InternalError(const std::string& what) : Error(exit_internal, what) {}
};

// The store's errors, mapped once: a data directory the user must fix is a
// usage error (2); a busy, damaged or failing database is internal (4). On
// the HTTP side a busy database is 503 (try again), anything else 500.
int exit_code_for(const store::Error& e);
int http_status_for(const store::Error& e);

} // namespace wb
