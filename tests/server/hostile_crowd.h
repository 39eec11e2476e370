// A crowd of hostile clients on loopback, for the test and the benchmark of
// issue 22: connections that send nothing (idle) and connections that send
// one header byte a second and never finish (slowloris), each reopened when
// the server closes it, spread over source addresses 127.0.0.2 and up so
// that a per-address cap does not simply refuse them all. Beside it,
// fresh_request times one request from a new connection, as a user who
// arrives during the attack would make it.
//
// Every loop is bounded: the crowd's thread wakes at least every 50 ms and
// stops when asked; a reopened slot waits 200 ms; a fresh request gives up
// after its deadline.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace wb::test {

struct CrowdOptions {
    int port = 0;
    int idle = 1000;
    int slow = 100;
    int addresses = 20; // 127.0.0.2 .. 127.0.0.(1+addresses)
};

class HostileCrowd {
  public:
    explicit HostileCrowd(CrowdOptions options);
    ~HostileCrowd();
    HostileCrowd(const HostileCrowd&) = delete;
    HostileCrowd& operator=(const HostileCrowd&) = delete;

    void stop();

    // Connections open now (connected, not yet closed by the server).
    int open_idle() const { return open_idle_.load(); }
    int open_slow() const { return open_slow_.load(); }
    // Connections the server closed (or refused) since the start.
    long closed_by_server() const { return closed_.load(); }
    long opened() const { return opened_.load(); }

  private:
    struct Slot {
        int fd = -1;
        bool slow = false;
        bool connected = false;
        int sent = 0; // bytes of the slow request sent
        std::chrono::steady_clock::time_point next;
        std::uint32_t source = 0;
    };
    void run();
    void open(Slot& s);
    void drop(Slot& s, bool by_server);

    CrowdOptions options_;
    std::vector<Slot> slots_;
    std::atomic<bool> stop_{false};
    std::atomic<int> open_idle_{0};
    std::atomic<int> open_slow_{0};
    std::atomic<long> closed_{0};
    std::atomic<long> opened_{0};
    std::thread thread_;
};

struct Timed {
    int status = 0;     // 0: no answer within the deadline
    double ms = 0;      // from connect to the whole answer
    std::string answer; // the answer's bytes
};

// One request (`method path`, with `headers` lines and `body`) on a new
// connection from 127.0.0.1, answered with Connection: close.
Timed fresh_request(int port, const std::string& method, const std::string& path,
                    const std::string& headers = "", const std::string& body = "",
                    std::chrono::milliseconds deadline = std::chrono::milliseconds(5000));

// The q-quantile (0..1) of `ms`, by nearest rank.
double quantile(std::vector<double> ms, double q);

// Raises this process's open-file limit to its hard limit: a crowd holds
// more sockets than the usual soft limit of 1024.
void raise_fd_limit();

} // namespace wb::test
