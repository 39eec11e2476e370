// The client commands, one function each, run inside the client module
// (module.h) with what the binary parsed (call.h); each returns the exit
// code and throws wb::Error for anything it cannot do. run() picks one.
#pragma once

#include "core/client/call.h"

#include <nlohmann/json.hpp>

namespace wb::client {

int run(const ClientCall& call);

// account.cpp: who the user is on which server.
int login(const ClientCall& call);
int signup(const ClientCall& call);
int logout(const ClientCall& call);
int whoami(const ClientCall& call);

// work.cpp: a student's programs and attempts.
int save(const ClientCall& call);
int program(const ClientCall& call);
int submit(const ClientCall& call);
int grade(const ClientCall& call);
int attempts(const ClientCall& call);
int attempt_show(const ClientCall& call);

// staff.cpp: grades, workers and MPs, for TAs and admins.
int grades(const ClientCall& call);
int workers(const ClientCall& call);
int mp_list(const ClientCall& call);
int mp_show(const ClientCall& call);
int mp_import(const ClientCall& call);

// answers.cpp: answers to an MP's questions.
int answer(const ClientCall& call);
int answers(const ClientCall& call);

// `--json` output: one object, pretty-printed, on stdout.
void print_json(const nlohmann::json& j);

} // namespace wb::client
