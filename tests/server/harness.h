// A real `wbtool serve` for a test: its own data directory, users made
// with `wbtool user add`, the vecadd example imported, the server started on
// 127.0.0.1 with port 0 (it prints the port it got) and stopped at the end.
// Requests go through cpp-httplib's client; worker requests are signed with
// the data directory's worker key, as `wbtool worker` signs them.
#pragma once

#include "core/server/auth.h"
#include "runner.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace wb::test {

struct Reply {
    int status = 0; // 0: no answer (connection failed)
    std::string body;
    httplib::Headers headers;
    nlohmann::json json() const; // fails the test when the body is not JSON
    std::string header(const std::string& name) const;
    std::string error_code() const; // error.code of an error body
};

class Server {
  public:
    // Makes users admin, ta, alice, bob (students) and imports vecadd.
    explicit Server(std::vector<std::string> serve_args = {}, bool setup = true);
    ~Server();

    // Starts `wbtool serve` with the args, on `port` (0: a free one). With
    // no --worker-* argument, the server runs no worker (--no-worker).
    void start(int port = 0);
    int stop(int sig = SIGTERM); // signals it and waits; returns its exit status
    void kill9();

    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    const std::string& key(const std::string& user) const { return keys_.at(user); }
    const std::string& password(const std::string& user) const { return passwords_.at(user); }
    Wbtool& wbtool() { return wbtool_; }
    std::string log() const; // its stderr so far

    Reply get(const std::string& path, const std::string& user = "", httplib::Headers extra = {});
    Reply post(const std::string& path, const std::string& user, const std::string& body,
               httplib::Headers extra = {});
    Reply post(const std::string& path, const std::string& user, const nlohmann::json& body) {
        return post(path, user, body.dump());
    }
    Reply del(const std::string& path, const std::string& user = "");

    // Worker requests, signed.
    Reply worker_post(const std::string& worker, const std::string& path,
                      const nlohmann::json& body);
    Reply worker_get(const std::string& worker, const std::string& path);
    server::Key worker_key() const;
    void register_worker(const std::string& worker, bool gpu = false);
    // Alice's (or `user`'s) submission of program_text(n) to vecadd: its attempt id.
    std::int64_t submit(const std::string& user, int n);

    std::string add_user(const std::string& name, const std::string& role);

  private:
    httplib::Headers auth(const std::string& user) const;

    Wbtool wbtool_;
    std::vector<std::string> args_;
    std::map<std::string, std::string> keys_;
    std::map<std::string, std::string> passwords_;
    pid_t pid_ = -1;
    int port_ = 0;
};

// A poll for a job that does not wait.
inline const nlohmann::json next_now = {{"wait", 0}};

// Starts argv in the background: its stdout on `stdout_fd` (or the log
// too, when -1), its stderr appended to `log`, killed with `death_signal`
// if the test dies first.
pid_t spawn(std::vector<std::string> argv, int stdout_fd, const std::filesystem::path& log,
            int death_signal);

// A result report for a job, as a worker would post it.
nlohmann::json fake_report(const std::string& mp, int datasets, int correct);

// A small program that make_program accepts.
std::string program_text(int n = 0);

} // namespace wb::test
