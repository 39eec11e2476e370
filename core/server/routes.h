// The HTTP API's handlers, one per route, and the one table that binds them
// to methods, paths and access (routes.cpp): the API at a glance, in the
// order docs/api/openapi.yaml lists it. Each handler is parse, one core
// call, reply; the helpers a file's handlers share stay in that file.
#pragma once

#include "core/mp_version.h"
#include "core/server/context.h"

#include <vector>

namespace wb::server {

// Every route of the API.
std::vector<Route> all_routes();

// The regex a route's path is matched with:
// /api/v1/mp/{id}/attempt/{aid} -> /api/v1/mp/([^/]+)/attempt/([^/]+)
// A final {path} is the rest of the path, slashes and all: (.+).
std::string path_regex(const std::string& path);

namespace routes {

// routes_account.cpp
void signup(Context& ctx, Call& c);
void login(Context& ctx, Call& c);
void logout(Context& ctx, Call& c);
void whoami(Context& ctx, Call& c);
void rotate_key(Context& ctx, Call& c);
void list_users(Context& ctx, Call& c);
void add_user(Context& ctx, Call& c);

// routes_mp.cpp
void list_mps(Context& ctx, Call& c);
void import_bundle(Context& ctx, Call& c);
void get_mp(Context& ctx, Call& c);
void get_description(Context& ctx, Call& c);
void get_program(Context& ctx, Call& c);
void save(Context& ctx, Call& c);
void submit(Context& ctx, Call& c);
void grade(Context& ctx, Call& c);
void list_attempts(Context& ctx, Call& c);
void get_attempt(Context& ctx, Call& c);
void get_attempt_by_id(Context& ctx, Call& c);
void get_attempt_diff(Context& ctx, Call& c);
// Shared with the other MP routes: the latest version, 404 when none.
core::MpVersion find_mp(Context& ctx, const std::string& id);
// A bundle path from a request: relative, '/'-separated, no '.' or '..'
// components, nothing that is not printable (400 otherwise).
std::string check_bundle_path(const std::string& p);

// routes_answers.cpp
void post_answers(Context& ctx, Call& c);
void get_answers(Context& ctx, Call& c);
void answers_csv(Context& ctx, Call& c);

// routes_files.cpp
void get_mp_file(Context& ctx, Call& c);

// routes_grades.cpp
void grades(Context& ctx, Call& c);
void grades_csv(Context& ctx, Call& c);
void grade_for_mp(Context& ctx, Call& c);

// routes_worker.cpp
void register_worker(Context& ctx, Call& c);
void heartbeat(Context& ctx, Call& c);
void unregister_worker(Context& ctx, Call& c);
void next_job(Context& ctx, Call& c);
void post_result(Context& ctx, Call& c);
void post_progress(Context& ctx, Call& c);
void get_blob(Context& ctx, Call& c);
void list_workers(Context& ctx, Call& c);
void get_worker(Context& ctx, Call& c);
void drain_worker(Context& ctx, Call& c);
void delete_worker(Context& ctx, Call& c);

// routes.cpp
void healthz(Context& ctx, Call& c);
void request_log(Context& ctx, Call& c);

} // namespace routes
} // namespace wb::server
