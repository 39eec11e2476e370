// What a hostile client sends (issue 22): bytes that could cut or forge a
// message, numbers that could wrap, bodies that say two things, logout
// that must end what it says, bodies past their limit and bodies with no
// length, password guessing, and connections that hold on: idle, slow,
// too many from one address, too many bodies at once.
#include "harness.h"
#include "hostile_crowd.h"

#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <netinet/in.h>
#include <string>
#include <thread>
#include <vector>

using wb::test::Server;

namespace {

std::string now_s() {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count());
}

std::string message(const wb::test::Reply& r) {
    const auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"]["message"].get<std::string>() : r.body;
}

} // namespace

TEST_CASE("a NUL byte in a request is shown escaped in the error, not cut there") {
    Server s;
    httplib::Client cli("127.0.0.1", s.port());
    cli.set_url_encode(false);
    auto r = cli.Get("/api/v1/mp/vecadd%00tail", {{"Authorization", "Bearer " + s.key("alice")}});
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK_THAT(r->body, Catch::Contains(R"('vecadd\\x00tail' is not a valid MP id)"));
    auto none = cli.Get("/api/v1/nowhere%00tail");
    REQUIRE(none);
    CHECK(none->status == 404);
    CHECK_THAT(none->body, Catch::Contains(R"(nowhere\\x00tail)"));
    const auto field = s.post("/api/v1/mp/vecadd/save", "alice",
                              std::string("{\"program\": \"x\", \"a\\u0000b\": 1}"));
    CHECK(field.status == 400);
    CHECK_THAT(message(field), Catch::Contains(R"(unknown field 'a\x00b')"));
}

TEST_CASE("a worker timestamp with trailing bytes is refused, not read as its numeric prefix") {
    Server s;
    const std::string path = "/api/v1/worker/register";
    const std::string body = "{}";
    for (const auto& ts : {now_s() + "abc", now_s() + "0x", "+" + now_s(), std::string("-1")}) {
        INFO("timestamp '" << ts << "'");
        const auto nonce = wb::server::random_hex(16);
        httplib::Headers h = {{"X-Wb-Worker", "w1"},
                              {"X-Wb-Timestamp", ts},
                              {"X-Wb-Nonce", nonce},
                              {"X-Wb-Mac", wb::server::worker_mac(s.worker_key(), "POST", path,
                                                                  "w1", ts, nonce, body)}};
        httplib::Client cli("127.0.0.1", s.port());
        auto r = cli.Post(path.c_str(), h, body, "application/json");
        REQUIRE(r);
        CHECK(r->status == 401);
        CHECK_THAT(r->body, Catch::Contains("not a decimal number of seconds"));
    }
    s.register_worker("w1"); // a well-formed one still passes
}

TEST_CASE("/log?lines= past its most is refused naming the bound, not wrapped") {
    Server s;
    const auto wrapped = s.get("/api/v1/log?lines=2147483648", "admin");
    CHECK(wrapped.status == 400);
    CHECK_THAT(message(wrapped), Catch::Contains("10000"));
    CHECK(s.get("/api/v1/log?lines=10001", "admin").status == 400);
    CHECK(s.get("/api/v1/log?lines=10000", "admin").status == 200);
}

TEST_CASE("a worker's slot counts are checked at registration and in heartbeats") {
    Server s;
    const auto reg = s.worker_post("w1", "/api/v1/worker/register", {{"slots", -3}});
    CHECK(reg.status == 400);
    CHECK_THAT(message(reg), Catch::Contains("'slots' must be 1 to 256, not -3"));
    s.register_worker("w1");
    for (const auto& [field, value] : {std::pair{"slots", -3}, {"busy", -3}, {"slots", 300}}) {
        INFO(field << " " << value);
        const auto beat = s.worker_post("w1", "/api/v1/worker/heartbeat", {{field, value}});
        CHECK(beat.status == 400);
        CHECK_THAT(message(beat), Catch::Contains(std::string("'") + field + "' must be"));
    }
    CHECK(s.worker_post("w1", "/api/v1/worker/heartbeat", {{"slots", 2}, {"busy", 0}}).status ==
          200);
    // No slot open: a worker that is starting (its first heartbeat says how
    // its GPU is before a slot opens) or has drained.
    CHECK(s.worker_post("w1", "/api/v1/worker/heartbeat", {{"slots", 0}, {"busy", 0}}).status ==
          200);
}

TEST_CASE("a body that holds a key twice is refused naming the key") {
    Server s;
    const auto save = s.post("/api/v1/mp/vecadd/save", "alice",
                             std::string(R"({"program": "int main() {}", "program": "x"})"));
    CHECK(save.status == 400);
    CHECK_THAT(message(save), Catch::Contains("the key 'program' twice"));
    // In a nested object too (and a nested body without one passes).
    const std::string path = "/api/v1/worker/register";
    for (const auto& [body, status] :
         {std::pair{std::string(R"({"capabilities": {"gpu": true, "gpu": false}})"), 400},
          {std::string(R"({"capabilities": {"cores": 2}, "slots": 1})"), 200}}) {
        INFO(body);
        const auto h = wb::server::sign_worker_request(s.worker_key(), "POST", path, "w1", body);
        httplib::Client cli("127.0.0.1", s.port());
        auto r =
            cli.Post(path.c_str(), httplib::Headers(h.begin(), h.end()), body, "application/json");
        REQUIRE(r);
        CHECK(r->status == status);
        if (status == 400) CHECK_THAT(r->body, Catch::Contains("the key 'gpu' twice"));
    }
    const auto login = s.post("/api/v1/login", "",
                              std::string(R"({"name": "alice", "name": "bob", "password": "x"})"));
    CHECK(login.status == 400);
    CHECK_THAT(message(login), Catch::Contains("the key 'name' twice"));
    CHECK(s.get("/api/v1/mp/vecadd/program", "alice").json()["source"] == "template");
}

TEST_CASE("logout says what it ends, with an API key it ends the user's cookie sessions") {
    Server s;
    const auto in = s.post("/api/v1/login", "",
                           nlohmann::json{{"name", "alice"}, {"password", s.password("alice")}});
    REQUIRE(in.status == 200);
    const auto set = in.header("Set-Cookie");
    const auto cookie = set.substr(0, set.find(';'));
    REQUIRE(s.get("/api/v1/whoami", "", {{"Cookie", cookie}}).status == 200);

    const auto out = s.post("/api/v1/logout", "alice", std::string());
    REQUIRE(out.status == 200);
    CHECK(out.json()["ended"] == "all_sessions");
    CHECK(out.json()["sessions_ended"] == 1);
    CHECK(out.json()["api_key_revoked"] == false);
    CHECK(s.get("/api/v1/whoami", "", {{"Cookie", cookie}}).status == 401);
    CHECK(s.get("/api/v1/whoami", "alice").status == 200); // the key is not ended
}

// ---- bodies, judged from their headers --------------------------------------

namespace {

struct RawAnswer {
    std::string text; // the status line, headers and body as received
    double seconds = 0;
    bool closed = false; // the server closed the connection after answering
    int status() const { return text.size() > 12 ? std::stoi(text.substr(9, 3)) : 0; }
};

// Whether `text` holds a whole answer: its headers and Content-Length bytes.
bool whole_answer(const std::string& text) {
    const auto end = text.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const auto at = text.find("Content-Length: ");
    if (at == std::string::npos || at > end) return true;
    return text.size() >= end + 4 + std::stoul(text.substr(at + 16));
}

// Sends `head` and then `body_bytes` bytes of body (as many as the server
// takes) on a new connection, and reads the answer; every step gives up
// after `wait`.
RawAnswer raw_request(int port, const std::string& head, std::size_t body_bytes,
                      std::chrono::seconds wait = std::chrono::seconds(5)) {
    const auto start = std::chrono::steady_clock::now();
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    const timeval tv{static_cast<time_t>(wait.count()), 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    const std::string piece(64 * 1024, 'x');
    for (std::size_t sent = 0; sent < body_bytes;) {
        const auto n =
            ::send(fd, piece.data(), std::min(piece.size(), body_bytes - sent), MSG_NOSIGNAL);
        if (n <= 0) break; // refused and closed: the rest is not wanted
        sent += static_cast<std::size_t>(n);
    }
    RawAnswer out;
    char buf[4096];
    for (;;) {
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            out.closed = n == 0 || errno == ECONNRESET;
            break;
        }
        out.text.append(buf, static_cast<std::size_t>(n));
        if (whole_answer(out.text) && out.text.find("Connection: close") == std::string::npos)
            break;
    }
    ::close(fd);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

std::string post_head(const std::string& path, const std::string& extra) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
           extra + "\r\n";
}

// The most memory the process has held (VmHWM), in KiB.
long peak_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

} // namespace

TEST_CASE("a POST with neither Content-Length nor chunks is an empty body, answered at once") {
    Server s;
    const auto login = raw_request(s.port(), post_head("/api/v1/login", ""), 0);
    INFO(login.text);
    CHECK(login.status() == 400);
    CHECK_THAT(login.text, Catch::Contains("field 'name' is required"));
    CHECK(login.seconds < 1.0);
    const auto out = raw_request(
        s.port(), post_head("/api/v1/logout", "Authorization: Bearer " + s.key("bob") + "\r\n"), 0);
    INFO(out.text);
    CHECK(out.status() == 200);
    CHECK(out.seconds < 1.0);
}

TEST_CASE("a body past its route's limit is refused from its Content-Length, unread") {
    Server s;
    // 90 MB declared, 1 MiB sent: the answer cannot wait for the rest.
    const auto login =
        raw_request(s.port(), post_head("/api/v1/login", "Content-Length: 90000000\r\n"), 1 << 20);
    INFO(login.text);
    CHECK(login.status() == 413);
    CHECK_THAT(login.text, Catch::Contains("over the limit of 65536 bytes for POST /api/v1/login"));
    CHECK(login.seconds < 2.0);
    CHECK(login.closed); // the unread body is not taken for another request
    // Before authentication: no credentials, and still 413, not 401.
    const auto save = raw_request(
        s.port(), post_head("/api/v1/mp/vecadd/save", "Content-Length: 7000000\r\n"), 0);
    CHECK(save.status() == 413);
    CHECK_THAT(save.text, Catch::Contains("limit of 6356992 bytes"));
    // Expect: 100-continue is answered with the refusal, not a go-ahead.
    const auto expect = raw_request(
        s.port(),
        post_head("/api/v1/login", "Content-Length: 90000000\r\nExpect: 100-continue\r\n"), 0);
    INFO(expect.text);
    CHECK(expect.status() == 413);
    CHECK(expect.text.find("100 Continue") == std::string::npos);
    CHECK(expect.closed);
    // Chunks, which the HTTP library would read without limit: 411.
    const auto chunked =
        raw_request(s.port(), post_head("/api/v1/login", "Transfer-Encoding: chunked\r\n"), 0);
    CHECK(chunked.status() == 411);
    CHECK(chunked.closed);
    // A body on a GET would be read as the next request: 400.
    const auto get = raw_request(
        s.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nGET /", 0);
    CHECK(get.status() == 400);
    CHECK(s.get("/healthz").status == 200);
}

TEST_CASE("bodies past the limit do not raise the server's peak memory by their size") {
    Server s;
    // A login for no one waits for the decoy hash the server makes at start
    // (argon2id, 64 MiB), so that its peak is not counted below.
    REQUIRE(
        s.post("/api/v1/login", "", nlohmann::json{{"name", "nobody"}, {"password", "x"}}).status ==
        401);
    const auto before = peak_kib(s.pid());
    REQUIRE(before > 0);
    constexpr int clients = 8;
    constexpr std::size_t body = 8u << 20;
    std::vector<RawAnswer> answers(clients);
    std::vector<std::thread> threads;
    for (int i = 0; i < clients; ++i) {
        threads.emplace_back([&, i] {
            answers[i] = raw_request(
                s.port(),
                post_head("/api/v1/login", "Content-Length: " + std::to_string(body) + "\r\n"),
                body);
        });
    }
    for (auto& t : threads)
        t.join();
    for (const auto& a : answers) {
        INFO(a.text);
        CHECK(a.status() == 413);
    }
    const auto grown = peak_kib(s.pid()) - before;
    INFO("peak grew by " << grown << " KiB for " << clients << " x " << body << " bytes");
    CHECK(grown < static_cast<long>(body / 1024)); // less than one body, let alone eight
}

// ---- password guessing -------------------------------------------------------

TEST_CASE("wrong passwords are slowed per account and per address, with 429 and Retry-After") {
    Server s({"--login-free-failures", "2", "--login-max-delay", "2"});
    const auto login = [&](const std::string& name, const std::string& password) {
        return s.post("/api/v1/login", "", nlohmann::json{{"name", name}, {"password", password}});
    };
    CHECK(login("alice", "wrong one").status == 401);
    CHECK(login("alice", "wrong two").status == 401);
    CHECK(login("alice", "wrong three").status == 401); // past the free ones: a 1 s block starts
    auto blocked = login("alice", s.password("alice")); // even the right password waits
    CHECK(blocked.status == 429);
    CHECK(blocked.error_code() == "rate_limited");
    CHECK(blocked.header("Retry-After") == "1");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CHECK(login("alice", "wrong four").status == 401); // blocks 2 s, the cap
    blocked = login("alice", "anything");
    CHECK(blocked.status == 429);
    CHECK(blocked.header("Retry-After") == "2");
    // The cap is what the real user waits; then a success clears the count.
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    CHECK(login("alice", s.password("alice")).status == 200);
    CHECK(login("alice", "wrong again").status == 401);

    // Per address: 4 x 2 free failures (one just above, seven here) over
    // names that are each under their own count; the ninth starts a block.
    for (const auto* name : {"n1", "n1", "n2", "n2", "n3", "n3", "n4"})
        CHECK(login(name, "wrong").status == 401);
    CHECK(login("n5", "wrong").status == 401);
    CHECK(login("bob", s.password("bob")).status == 429);
    // API keys are not slowed.
    CHECK(s.get("/api/v1/whoami", "bob").status == 200);

    const auto log = s.log();
    CHECK_THAT(log, Catch::Contains("login throttled for 'alice' from 127.0.0.1: 3 wrong "
                                    "passwords for the account"));
    CHECK_THAT(log, Catch::Contains("login refused for 'alice' from 127.0.0.1"));
    CHECK_THAT(log, Catch::Contains("9 from the address"));
}

// ---- connections: idle, slow, too many, bodies at once -----------------------

namespace {

// A connection from `source` (127.0.0.x), blocking; -1 when it fails.
int connect_from(int port, const char* source) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Whether the server has closed `fd`, waiting up to `wait` for it to.
bool closed_within(int fd, std::chrono::milliseconds wait) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
    char buf[4096];
    for (;;) {
        const auto n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN)) return true;
        if (n < 0) return closed_within(fd, wait); // an answer read; the close may follow
    }
}

} // namespace

TEST_CASE("idle and slowloris connections held open do not keep a fresh client from an answer") {
    Server s;
    wb::test::HostileCrowd crowd({s.port(), 1000, 100, 20});
    for (int i = 0; i < 150 && (crowd.open_idle() < 950 || crowd.open_slow() < 95); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    REQUIRE(crowd.open_idle() >= 950);
    REQUIRE(crowd.open_slow() >= 95);
    std::vector<double> healthz;
    std::vector<double> whoami;
    int failed = 0;
    for (int i = 0; i < 50; ++i) {
        const auto h = wb::test::fresh_request(s.port(), "GET", "/healthz");
        const auto w = wb::test::fresh_request(s.port(), "GET", "/api/v1/whoami",
                                               "Authorization: Bearer " + s.key("alice") + "\r\n");
        failed += (h.status != 200) + (w.status != 200);
        healthz.push_back(h.ms);
        whoami.push_back(w.ms);
    }
    INFO("healthz p50 " << wb::test::quantile(healthz, 0.5) << " ms, p99 "
                        << wb::test::quantile(healthz, 0.99) << " ms; whoami p50 "
                        << wb::test::quantile(whoami, 0.5) << " ms, p99 "
                        << wb::test::quantile(whoami, 0.99) << " ms");
    CHECK(failed == 0);
    // The goal is a p99 under 100 ms on a quiet machine; the bound here is
    // generous, for a loaded one under ASan. Before the event-driven front
    // end, every one of these waited out the idle connections (seconds).
    CHECK(wb::test::quantile(healthz, 0.5) < 250);
    CHECK(wb::test::quantile(whoami, 0.5) < 250);
    CHECK(wb::test::quantile(whoami, 0.99) < 2000);
    // Held, not refused: the server kept the crowd's connections open.
    CHECK(crowd.open_idle() >= 900);
}

TEST_CASE(
    "a connection with no whole request head or a trickling body in --header-timeout is closed") {
    Server s({"--header-timeout", "1"});
    // Silent, a byte a second (slowloris), and keep-alive after an answer.
    const int silent = connect_from(s.port(), "127.0.0.1");
    const int slow = connect_from(s.port(), "127.0.0.1");
    const int kept = connect_from(s.port(), "127.0.0.1");
    REQUIRE((silent >= 0 && slow >= 0 && kept >= 0));
    const std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    ::send(slow, head.data(), head.size(), MSG_NOSIGNAL);
    ::send(kept, (head + "\r\n").data(), head.size() + 2, MSG_NOSIGNAL);
    const auto start = std::chrono::steady_clock::now();
    bool slow_closed = false;
    for (int i = 0; i < 6 && !slow_closed; ++i) {
        slow_closed = ::send(slow, "X", 1, MSG_NOSIGNAL) != 1 ||
                      closed_within(slow, std::chrono::milliseconds(500));
    }
    const double slow_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(slow_closed);
    CHECK(slow_s < 3.5);
    CHECK(closed_within(silent, std::chrono::milliseconds(3000)));
    CHECK(closed_within(kept, std::chrono::milliseconds(3000)));
    // A body a byte at a time: its grace (1 s) is over long before 500
    // bytes/s would have sent it.
    const int trickle = connect_from(s.port(), "127.0.0.1");
    REQUIRE(trickle >= 0);
    const auto body_head = post_head("/api/v1/login", "Content-Length: 60000\r\n");
    ::send(trickle, body_head.data(), body_head.size(), MSG_NOSIGNAL);
    const auto body_start = std::chrono::steady_clock::now();
    bool trickle_closed = false;
    for (int i = 0; i < 12 && !trickle_closed; ++i) {
        trickle_closed = ::send(trickle, "{", 1, MSG_NOSIGNAL) != 1 ||
                         closed_within(trickle, std::chrono::milliseconds(500));
    }
    CHECK(trickle_closed);
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - body_start).count() <
          4.5);
    for (const int fd : {silent, slow, kept, trickle})
        ::close(fd);
    // A client that is not slow is served as ever.
    CHECK(s.get("/healthz").status == 200);
    for (int i = 0; i < 30 && s.log().find("--header-timeout") == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK_THAT(s.log(), Catch::Contains("that sent no whole request head within 1 s") &&
                            Catch::Contains("whose body came slower than 500 bytes/s"));
}

TEST_CASE("connections past --max-connections-per-address are closed, other addresses served") {
    Server s({"--max-connections-per-address", "4"});
    std::vector<int> fds;
    for (int i = 0; i < 6; ++i)
        fds.push_back(connect_from(s.port(), "127.0.0.2"));
    int closed = 0;
    for (const int fd : fds) {
        REQUIRE(fd >= 0);
        closed += closed_within(fd, std::chrono::milliseconds(500));
    }
    CHECK(closed == 2);
    // Another address is not affected.
    const auto fresh = wb::test::fresh_request(s.port(), "GET", "/healthz");
    CHECK(fresh.status == 200);
    for (const int fd : fds)
        ::close(fd);
}

TEST_CASE("a body that would pass --max-body-memory is refused with 503 before it is read") {
    Server s({"--max-body-memory", "1"});
    const std::string auth = "Authorization: Bearer " + s.key("alice") + "\r\n";
    // One client declares 900 KB and sends a little of it: held.
    const int holding = connect_from(s.port(), "127.0.0.1");
    REQUIRE(holding >= 0);
    const auto first =
        post_head("/api/v1/mp/vecadd/save", auth + "Content-Length: 900000\r\n") + "{\"pro";
    ::send(holding, first.data(), first.size(), MSG_NOSIGNAL);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    // A second such body would take the total past 1 MiB.
    const auto second = raw_request(
        s.port(), post_head("/api/v1/mp/vecadd/save", auth + "Content-Length: 900000\r\n"), 0);
    INFO(second.text);
    CHECK(second.status() == 503);
    CHECK_THAT(second.text, Catch::Contains("Retry-After: 1"));
    CHECK_THAT(second.text, Catch::Contains("too many request bodies at once"));
    CHECK(second.closed);
    // A small body is never refused for memory: logins go on.
    CHECK(s.post("/api/v1/login", "",
                 nlohmann::json{{"name", "alice"}, {"password", s.password("alice")}})
              .status == 200);
    ::close(holding);
    // Once the first is gone, its memory is free again.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto third = raw_request(
        s.port(), post_head("/api/v1/mp/vecadd/save", auth + "Content-Length: 900000\r\n"), 900000);
    INFO(third.text);
    CHECK(third.status() == 400); // read whole, then refused as JSON
    CHECK_THAT(s.log(), Catch::Contains("(--max-body-memory)"));
}

TEST_CASE("behind a --trusted-proxy the client is the address X-Forwarded-For names, else not") {
    const auto wrong_twice = [](Server& s) {
        for (int i = 0; i < 2; ++i) {
            const auto r = wb::test::fresh_request(
                s.port(), "POST", "/api/v1/login",
                "Content-Type: application/json\r\nX-Forwarded-For: 198.51.100.1, 203.0.113.7\r\n",
                R"({"name": "alice", "password": "wrong"})");
            CHECK(r.status == 401);
        }
    };
    Server proxied({"--trusted-proxy", "127.0.0.1", "--login-free-failures", "1"});
    wrong_twice(proxied);
    CHECK_THAT(proxied.log(), Catch::Contains("login throttled for 'alice' from 203.0.113.7"));
    // A proxy that appends its own line: the last line is the proxy's word,
    // whatever line the client sent before it.
    for (int i = 0; i < 2; ++i) {
        wb::test::fresh_request(proxied.port(), "POST", "/api/v1/login",
                                "Content-Type: application/json\r\nX-Forwarded-For: 6.6.6.6\r\n"
                                "X-Forwarded-For: 198.51.100.9\r\n",
                                R"({"name": "bob", "password": "wrong"})");
    }
    CHECK_THAT(proxied.log(), Catch::Contains("login throttled for 'bob' from 198.51.100.9"));
    CHECK_THAT(proxied.log(), !Catch::Contains("6.6.6.6"));
    // From anyone else the header is the client's own say-so: ignored.
    Server direct({"--login-free-failures", "1"});
    wrong_twice(direct);
    CHECK_THAT(direct.log(), Catch::Contains("login throttled for 'alice' from 127.0.0.1"));
    CHECK_THAT(direct.log(), !Catch::Contains("203.0.113.7"));
}

TEST_CASE("a worker's long-poll outlasts --io-timeout and --header-timeout") {
    // A parked poll makes no progress on its connection for its whole wait:
    // the timeouts are for clients, not for the server's own waiting.
    Server s({"--io-timeout", "1", "--header-timeout", "1"});
    s.register_worker("w1");
    const auto start = std::chrono::steady_clock::now();
    const auto r = s.worker_post("w1", "/api/v1/worker/jobs/next", {{"wait", 3}});
    const auto waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    INFO(r.body);
    CHECK(r.status == 204);
    CHECK(waited.count() > 2.5);
}

TEST_CASE("a stranger's large body is refused from its head, before it holds any memory") {
    Server s({"--max-body-memory", "1"});
    const std::string expect = "Expect: 100-continue\r\n";
    // Strangers declaring large bodies to routes that need credentials and
    // waiting for 100 Continue: 401 at once, no go-ahead, nothing reserved.
    for (const auto* path : {"/api/v1/mps/import", "/api/v1/mp/vecadd/save"}) {
        const auto r =
            raw_request(s.port(), post_head(path, expect + "Content-Length: 900000\r\n"), 0);
        INFO(r.text);
        CHECK(r.status() == 401);
        CHECK(r.text.find("100 Continue") == std::string::npos);
        CHECK(r.closed);
        CHECK(r.seconds < 2.0);
    }
    // Strangers who send the body at once get the same answer after it,
    // not a reset, and the body is dropped as it comes: four of them at
    // once, each past the budget's half, all answered 401.
    std::vector<RawAnswer> answers(4);
    std::vector<std::thread> senders;
    for (int i = 0; i < 4; ++i) {
        senders.emplace_back([&, i] {
            answers[i] = raw_request(
                s.port(), post_head("/api/v1/mp/vecadd/save", "Content-Length: 900000\r\n"),
                900000);
        });
    }
    for (auto& t : senders)
        t.join();
    for (const auto& a : answers) {
        INFO(a.text.substr(0, 300));
        CHECK(a.status() == 401);
    }
    // A worker route's signature is checked from its head too (all but the
    // MAC, which covers the body).
    const auto worker = raw_request(
        s.port(),
        post_head("/api/v1/worker/jobs/1/result",
                  expect + "X-Wb-Worker: w1\r\nX-Wb-Timestamp: 1\r\nX-Wb-Nonce: "
                           "0123456789abcdef\r\nX-Wb-Mac: 00\r\nContent-Length: 900000\r\n"),
        0);
    INFO(worker.text);
    CHECK(worker.status() == 401);
    CHECK_THAT(worker.text, Catch::Contains("timestamp"));
    // A student may not send an admin's import either.
    const auto student = raw_request(
        s.port(),
        post_head("/api/v1/mps/import", expect + "Authorization: Bearer " + s.key("alice") +
                                            "\r\nContent-Length: 900000\r\n"),
        0);
    CHECK(student.status() == 403);
    // Meanwhile the budget is whole: a user's large body is taken.
    const auto saved =
        raw_request(s.port(),
                    post_head("/api/v1/mp/vecadd/save", "Authorization: Bearer " + s.key("alice") +
                                                            "\r\nContent-Length: 900000\r\n"),
                    900000);
    CHECK(saved.status() == 400); // read whole, then refused as JSON
}

TEST_CASE("SIGTERM while keep-alive clients keep asking stops cleanly and checkpoints") {
    Server s;
    std::atomic<bool> go{true};
    std::atomic<int> answered{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 8; ++i) {
        clients.emplace_back([&] {
            httplib::Client cli("127.0.0.1", s.port());
            cli.set_keep_alive(true);
            cli.set_connection_timeout(2);
            cli.set_read_timeout(2);
            for (int n = 0; go && n < 100000; ++n) {
                if (auto r = cli.Get("/healthz"); r && (r->status == 200 || r->status == 503))
                    ++answered;
                else
                    break; // closed: the server is gone
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    const int status = s.stop(SIGTERM);
    go = false;
    for (auto& t : clients)
        t.join();
    INFO(s.log().substr(s.log().size() > 2000 ? s.log().size() - 2000 : 0));
    CHECK(answered > 0);
    CHECK(status == 0);
    CHECK_THAT(s.log(), Catch::Contains("the database is checkpointed"));
}
