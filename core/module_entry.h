// The one way into a dlopen'd module of wbtool (the server module,
// core/server/module.h; the client module, core/client/module.h): check
// that the caller was built as the module was, run, and let no exception
// cross the C boundary; an error comes back as its exit code and message.
#pragma once

#include "core/error.h"

#include <cstddef>
#include <cstring>
#include <exception>
#include <string>

namespace wb::core {

// Runs f() after checking that the caller's `version` (WBTOOL_VERSION) and
// `options_size` (sizeof its Options) are this module's; if not, returns
// -1 with *mismatch set to the module's version. An error returns its exit
// code with *error set to its message (valid until the next call).
template <class Options, class F>
int enter_module(const char* version, std::size_t options_size, const char** mismatch,
                 const char** error, F&& f) {
    static thread_local std::string message;
    const auto fail = [&](int code, const char* what) {
        message = what;
        *error = message.c_str();
        return code;
    };
    if (std::strcmp(version, WBTOOL_VERSION) != 0 || options_size != sizeof(Options)) {
        *mismatch = WBTOOL_VERSION;
        return -1;
    }
    try {
        return f();
    } catch (const Error& e) {
        return fail(e.exit_code(), e.what());
    } catch (const store::Error& e) {
        return fail(exit_code_for(e), e.what());
    } catch (const std::exception& e) {
        return fail(exit_internal, e.what());
    }
}

} // namespace wb::core
