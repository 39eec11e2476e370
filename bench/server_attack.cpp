// bench/server_attack: the two halves of bench/server_under_attack.
//   server_attack crowd PORT IDLE SLOW SECONDS
//       holds IDLE silent and SLOW slowloris connections against the server
//       on 127.0.0.1:PORT for SECONDS (reopening what it closes), then
//       prints how many it held and how many the server closed;
//   server_attack probe PORT KEY N
//       N fresh-connection GET /healthz and N authenticated GET
//       /api/v1/whoami, 20 ms apart (each given up after 3 s, each kind
//       after 20 s in all): p50, p99 and the slowest, in ms.
#include "hostile_crowd.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

volatile std::sig_atomic_t stop_now = 0;

int crowd(int port, int idle, int slow, int seconds) {
    wb::test::HostileCrowd c({port, idle, slow, 20});
    int most_idle = 0;
    int most_slow = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    std::signal(SIGINT, [](int) { stop_now = 1; });
    std::signal(SIGTERM, [](int) { stop_now = 1; });
    while (!stop_now && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
        most_idle = std::max(most_idle, c.open_idle());
        most_slow = std::max(most_slow, c.open_slow());
    }
    const auto held = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                    (until - std::chrono::seconds(seconds)));
    fmt::print("crowd: held up to {} idle and {} slow connections at once; {} opened, {} closed "
               "by the server in {:.0f} s\n",
               most_idle, most_slow, c.opened(), c.closed_by_server(), held.count());
    return 0;
}

int probe(int port, const std::string& key, int n) {
    struct Row {
        std::string name;
        std::string path;
        std::string headers;
    };
    const std::vector<Row> rows = {
        {"GET /healthz", "/healthz", ""},
        {"GET /api/v1/whoami", "/api/v1/whoami", "Authorization: Bearer " + key + "\r\n"}};
    for (const auto& row : rows) {
        std::vector<double> ms;
        int failed = 0;
        const auto budget = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        for (int i = 0; i < n && std::chrono::steady_clock::now() < budget; ++i) {
            const auto t = wb::test::fresh_request(port, "GET", row.path, row.headers, "",
                                                   std::chrono::milliseconds(3000));
            if (t.status != 200) ++failed;
            ms.push_back(t.ms);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        fmt::print("{:<22} fresh connections: p50 {:8.2f} ms  p99 {:8.2f} ms  max {:8.2f} ms  "
                   "{} of {} not answered 200 within 3 s\n",
                   row.name, wb::test::quantile(ms, 0.5), wb::test::quantile(ms, 0.99),
                   wb::test::quantile(ms, 1.0), failed, ms.size());
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "crowd" && argc == 6)
        return crowd(std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4]),
                     std::atoi(argv[5]));
    if (mode == "probe" && argc == 5) return probe(std::atoi(argv[2]), argv[3], std::atoi(argv[4]));
    fmt::print(stderr, "usage: server_attack crowd PORT IDLE SLOW SECONDS\n"
                       "       server_attack probe PORT KEY N\n");
    return 2;
}
