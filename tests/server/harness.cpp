// The server test harness (see harness.h).
#include "harness.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace wb::test {

nlohmann::json Reply::json() const {
    INFO("status " << status << " body: " << body);
    nlohmann::json j;
    REQUIRE_NOTHROW(j = nlohmann::json::parse(body));
    return j;
}

std::string Reply::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

std::string Reply::error_code() const {
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_object() || !j.contains("error")) return "(no error body: " + body + ")";
    return j["error"]["code"].get<std::string>();
}

namespace {

// argon2id makes each `user add` cost ~0.1 s (more on a busy machine), so
// the four standard users and the imported MP are made once per build of
// wbtool, in a template data directory that every test copies.
std::filesystem::path template_dir() {
    const auto bin = std::filesystem::path(WBTOOL_BINARY);
    const auto stamp = std::filesystem::last_write_time(bin).time_since_epoch().count();
    return std::filesystem::path(WBTOOL_TEST_BINARY_DIR) /
           ("server-template-" + std::to_string(stamp));
}

} // namespace

Server::Server(std::vector<std::string> serve_args, bool setup) : args_(std::move(serve_args)) {
    // A body the server refuses from its head (a stranger's, one over the
    // limit) is not read: the test's client may still be writing it when
    // the connection closes, and must get EPIPE, not die of SIGPIPE
    // (cpp-httplib's client does not always send with MSG_NOSIGNAL).
    std::signal(SIGPIPE, SIG_IGN);
    if (setup) {
        const auto tmpl = template_dir();
        const auto lock_path =
            std::filesystem::path(WBTOOL_TEST_BINARY_DIR) / "server-template.lock";
        const int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        REQUIRE(lock >= 0);
        REQUIRE(::flock(lock, LOCK_EX) == 0);
        if (!std::filesystem::exists(tmpl / "users.json")) {
            std::filesystem::remove_all(tmpl);
            const std::vector<std::string> base = {WBTOOL_BINARY, "--data",
                                                   (tmpl / "data").string()};
            nlohmann::json users = nlohmann::json::object();
            for (const auto& [name, role] : std::vector<std::pair<std::string, std::string>>{
                     {"admin", "admin"}, {"ta", "ta"}, {"alice", "student"}, {"bob", "student"}}) {
                auto argv = base;
                argv.insert(argv.end(), {"user", "add", name, "--role", role, "--json"});
                const auto r = run_process(argv);
                INFO(r.err);
                REQUIRE(r.exit_code == 0);
                users[name] = r.json();
            }
            auto argv = base;
            argv.insert(argv.end(), {"-q", "mp", "import", example("vecadd").string()});
            const auto imp = run_process(argv);
            INFO(imp.err);
            REQUIRE(imp.exit_code == 0);
            write_text(tmpl / "users.json", users.dump());
        }
        ::close(lock); // releases the lock
        std::filesystem::create_directories(wbtool_.data_dir());
        std::filesystem::copy(tmpl / "data", wbtool_.data_dir(),
                              std::filesystem::copy_options::recursive);
        std::ifstream in(tmpl / "users.json");
        const auto users = nlohmann::json::parse(in);
        for (const auto& [name, j] : users.items()) {
            keys_[name] = j["api_key"];
            passwords_[name] = j["password"];
        }
    }
    start();
}

Server::~Server() {
    if (pid_ > 0) stop(SIGKILL);
}

std::string Server::add_user(const std::string& name, const std::string& role) {
    const auto r = wbtool_({"user", "add", name, "--role", role, "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto j = r.json();
    keys_[name] = j["api_key"];
    passwords_[name] = j["password"];
    return keys_[name];
}

void Server::start(int port) {
    int out[2];
    REQUIRE(::pipe2(out, O_CLOEXEC) == 0);
    std::vector<std::string> argv = {WBTOOL_BINARY,
                                     "--data",
                                     wbtool_.data_dir().string(),
                                     "--cache",
                                     wbtool_.cache_dir().string(),
                                     "serve",
                                     "--listen",
                                     "127.0.0.1:" + std::to_string(port)};
    argv.insert(argv.end(), args_.begin(), args_.end());
    // The queue's tests play the worker themselves: no worker in the server
    // unless a test sizes it.
    if (std::none_of(args_.begin(), args_.end(),
                     [](const std::string& a) { return a.rfind("--worker", 0) == 0; }))
        argv.push_back("--no-worker");
    // A test that dies (a crash, a failed REQUIRE in another thread) must
    // not leave its server running.
    pid_ = spawn(argv, out[1], wbtool_.tmp() / "serve.log", SIGTERM);
    ::close(out[1]);
    // Read "listening on 127.0.0.1:PORT".
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        pollfd p{out[0], POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        char buf[256];
        const auto n = ::read(out[0], buf, sizeof buf);
        if (n <= 0) break;
        line.append(buf, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    INFO("serve said: " << line << "\nlog: " << log());
    const auto colon = line.rfind(':');
    REQUIRE(line.rfind("listening on 127.0.0.1:", 0) == 0);
    port_ = std::stoi(line.substr(colon + 1));
}

int Server::stop(int sig) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, sig);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0) {
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void Server::kill9() {
    stop(SIGKILL);
}

std::string Server::log() const {
    std::ifstream in(wbtool_.tmp() / "serve.log");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

httplib::Headers Server::auth(const std::string& user) const {
    if (user.empty()) return {};
    return {{"Authorization", "Bearer " + keys_.at(user)}};
}

namespace {

Reply to_reply(const httplib::Result& r) {
    Reply out;
    if (!r) return out;
    out.status = r->status;
    out.body = r->body;
    out.headers = r->headers;
    return out;
}

httplib::Headers merge(httplib::Headers a, const httplib::Headers& b) {
    for (const auto& kv : b)
        a.insert(kv);
    return a;
}

} // namespace

Reply Server::get(const std::string& path, const std::string& user, httplib::Headers extra) {
    httplib::Client cli("127.0.0.1", port_);
    cli.set_read_timeout(60);
    return to_reply(cli.Get(path.c_str(), merge(auth(user), extra)));
}

Reply Server::post(const std::string& path, const std::string& user, const std::string& body,
                   httplib::Headers extra) {
    httplib::Client cli("127.0.0.1", port_);
    cli.set_read_timeout(60);
    return to_reply(cli.Post(path.c_str(), merge(auth(user), extra), body, "application/json"));
}

Reply Server::del(const std::string& path, const std::string& user) {
    httplib::Client cli("127.0.0.1", port_);
    return to_reply(cli.Delete(path.c_str(), auth(user)));
}

server::Key Server::worker_key() const {
    return server::read_key_file(wbtool_.data_dir() / "worker.key");
}

Reply Server::worker_post(const std::string& worker, const std::string& path,
                          const nlohmann::json& body) {
    const auto text = body.dump();
    httplib::Headers h;
    for (auto& [k, v] : server::sign_worker_request(worker_key(), "POST", path, worker, text))
        h.emplace(k, v);
    httplib::Client cli("127.0.0.1", port_);
    cli.set_read_timeout(60);
    return to_reply(cli.Post(path.c_str(), h, text, "application/json"));
}

Reply Server::worker_get(const std::string& worker, const std::string& path) {
    httplib::Headers h;
    for (auto& [k, v] : server::sign_worker_request(worker_key(), "GET", path, worker, ""))
        h.emplace(k, v);
    httplib::Client cli("127.0.0.1", port_);
    return to_reply(cli.Get(path.c_str(), h));
}

void Server::register_worker(const std::string& worker, bool gpu) {
    const auto r = worker_post(
        worker, "/api/v1/worker/register",
        {{"capabilities", {{"gpu", gpu}, {"toolchains", {"c", "cpp", "cuda"}}}}, {"slots", 2}});
    INFO(r.body);
    REQUIRE(r.status == 200);
}

std::int64_t Server::submit(const std::string& user, int n) {
    const auto r =
        post("/api/v1/mp/vecadd/submit", user, nlohmann::json{{"program", program_text(n)}});
    INFO(r.body);
    REQUIRE(r.status == 202);
    return r.json()["attempt_id"].get<std::int64_t>();
}

pid_t spawn(std::vector<std::string> argv, int stdout_fd, const std::filesystem::path& log,
            int death_signal) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, death_signal);
        const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        ::dup2(stdout_fd >= 0 ? stdout_fd : err, 1);
        ::dup2(err, 2);
        std::vector<char*> args;
        for (auto& a : argv)
            args.push_back(a.data());
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

nlohmann::json fake_report(const std::string& mp, int datasets, int correct) {
    nlohmann::json ds = nlohmann::json::array();
    for (int i = 0; i < datasets; ++i) {
        ds.push_back({{"index", i},
                      {"verdict", i < correct ? "correct" : "wrong_answer"},
                      {"cpu_s", 0.01},
                      {"wall_s", 0.02},
                      {"max_rss_kib", 1024},
                      {"exit_code", 0},
                      {"signal", 0},
                      {"message", i < correct ? "" : "element 3 differs"},
                      {"output", ""}});
    }
    return {
        {"mp", mp},
        {"program", "program"},
        {"verdict", correct == datasets ? "correct" : "wrong_answer"},
        {"message", correct == datasets ? "" : "not all datasets correct"},
        {"isolation", "full"},
        {"compile", {{"verdict", "correct"}, {"cached", false}, {"wall_s", 0.5}, {"output", "ok"}}},
        {"datasets", ds}};
}

std::string program_text(int n) {
    return "#include <wb.h>\n// program " + std::to_string(n) +
           "\nint main(int argc, char** argv) { return 0; }\n";
}

} // namespace wb::test
