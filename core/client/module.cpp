// The entry point of wbtool-client.so (see module.h), and run(), which
// picks the command.
#include "core/client/module.h"

#include "core/client/commands.h"
#include "core/module_entry.h"

#include <fmt/format.h>

namespace wb::client {

void print_json(const nlohmann::json& j) {
    fmt::print("{}\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

int run(const ClientCall& call) {
    using C = Command;
    switch (call.command) {
    case C::login:
        return login(call);
    case C::logout:
        return logout(call);
    case C::whoami:
        return whoami(call);
    case C::signup:
        return signup(call);
    case C::save:
        return save(call);
    case C::program:
        return program(call);
    case C::submit:
        return submit(call);
    case C::attempts:
        return attempts(call);
    case C::attempt_show:
        return attempt_show(call);
    case C::grade:
        return grade(call);
    case C::grades:
        return grades(call);
    case C::workers:
        return workers(call);
    case C::mp_list:
        return mp_list(call);
    case C::mp_show:
        return mp_show(call);
    case C::mp_import:
        return mp_import(call);
    case C::answer:
        return answer(call);
    case C::answers:
        return answers(call);
    }
    throw InternalError("an unknown client command");
}

} // namespace wb::client

extern "C" __attribute__((visibility("default"))) int
wbtool_client_run_v1(const wb::client::ClientCall* call, const char* version, std::size_t call_size,
                     const char** mismatch, const char** error) {
    return wb::core::enter_module<wb::client::ClientCall>(version, call_size, mismatch, error,
                                                          [&] { return wb::client::run(*call); });
}
