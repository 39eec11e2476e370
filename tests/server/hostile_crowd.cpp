// A crowd of hostile clients on loopback (see hostile_crowd.h).
#include "hostile_crowd.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cmath>
#include <netinet/in.h>
#include <netinet/tcp.h>

namespace wb::test {

namespace {

using Clock = std::chrono::steady_clock;

// What a slowloris client sends, one byte a second, never the blank line.
const std::string slow_request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

sockaddr_in loopback(std::uint32_t host, int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(host);
    return addr;
}

} // namespace

void raise_fd_limit() {
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_NOFILE, &lim);
    }
}

HostileCrowd::HostileCrowd(CrowdOptions options) : options_(options) {
    raise_fd_limit();
    const int total = options_.idle + options_.slow;
    slots_.resize(static_cast<std::size_t>(total));
    for (int i = 0; i < total; ++i) {
        auto& s = slots_[static_cast<std::size_t>(i)];
        s.slow = i >= options_.idle;
        s.source = INADDR_LOOPBACK + 1 + static_cast<std::uint32_t>(i % options_.addresses);
        s.next = Clock::now();
    }
    thread_ = std::thread([this] { run(); });
}

HostileCrowd::~HostileCrowd() {
    stop();
}

void HostileCrowd::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    for (auto& s : slots_)
        if (s.fd >= 0) drop(s, false);
}

void HostileCrowd::open(Slot& s) {
    s.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s.fd < 0) {
        s.next = Clock::now() + std::chrono::milliseconds(200);
        return;
    }
    const auto from = loopback(s.source, 0);
    ::bind(s.fd, reinterpret_cast<const sockaddr*>(&from), sizeof from);
    const auto to = loopback(INADDR_LOOPBACK, options_.port);
    const int rc = ::connect(s.fd, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    if (rc != 0 && errno != EINPROGRESS) {
        drop(s, true);
        return;
    }
    s.connected = false;
    s.sent = 0;
    s.next = Clock::now();
    ++opened_;
}

void HostileCrowd::drop(Slot& s, bool by_server) {
    if (s.connected) --(s.slow ? open_slow_ : open_idle_);
    ::close(s.fd);
    s.fd = -1;
    s.connected = false;
    if (by_server) ++closed_;
    s.next = Clock::now() + std::chrono::milliseconds(200);
}

void HostileCrowd::run() {
    std::vector<pollfd> fds;
    std::vector<Slot*> polled;
    char buf[4096];
    while (!stop_) {
        const auto now = Clock::now();
        fds.clear();
        polled.clear();
        for (auto& s : slots_) {
            if (s.fd < 0 && now >= s.next) open(s);
            if (s.fd < 0) continue;
            short events = POLLIN;
            if (!s.connected) events |= POLLOUT;
            fds.push_back({s.fd, events, 0});
            polled.push_back(&s);
        }
        if (::poll(fds.data(), fds.size(), 50) < 0 && errno != EINTR) break;
        const auto after = Clock::now();
        for (std::size_t i = 0; i < fds.size(); ++i) {
            auto& s = *polled[i];
            const auto ev = fds[i].revents;
            if (ev & (POLLERR | POLLHUP)) {
                drop(s, true);
                continue;
            }
            if (ev & POLLIN) {
                // The server answered (a refusal) or closed: either way the
                // connection is over for an attacker that never reads.
                const auto n = ::recv(s.fd, buf, sizeof buf, 0);
                if (n >= 0 || errno != EAGAIN) {
                    drop(s, true);
                    continue;
                }
            }
            if (!s.connected && (ev & POLLOUT)) {
                int err = 0;
                socklen_t len = sizeof err;
                ::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &len);
                if (err != 0) {
                    drop(s, true);
                    continue;
                }
                s.connected = true;
                ++(s.slow ? open_slow_ : open_idle_);
                s.next = after;
            }
            if (s.connected && s.slow && after >= s.next &&
                s.sent < static_cast<int>(slow_request.size())) {
                // The request line whole, then one byte a second.
                const std::size_t n = s.sent == 0 ? slow_request.find('\n') + 1 : 1;
                const auto w = ::send(s.fd, slow_request.data() + s.sent, n, MSG_NOSIGNAL);
                if (w <= 0) {
                    drop(s, true);
                    continue;
                }
                s.sent += static_cast<int>(w);
                s.next = after + std::chrono::seconds(1);
            }
        }
    }
}

Timed fresh_request(int port, const std::string& method, const std::string& path,
                    const std::string& headers, const std::string& body,
                    std::chrono::milliseconds deadline) {
    Timed out;
    const auto start = Clock::now();
    const auto until = start + deadline;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return out;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const auto to = loopback(INADDR_LOOPBACK, port);
    ::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                          "Connection: close\r\n";
    if (!body.empty() || method == "POST")
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    request += "\r\n" + body;
    std::size_t sent = 0;
    char buf[8192];
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, static_cast<short>(POLLIN | (sent < request.size() ? POLLOUT : 0)), 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        if ((p.revents & POLLOUT) && sent < request.size()) {
            const auto w = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
            if (w > 0)
                sent += static_cast<std::size_t>(w);
            else if (errno != EAGAIN && errno != EINPROGRESS)
                break;
        }
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            const auto n = ::recv(fd, buf, sizeof buf, 0);
            if (n > 0) {
                out.answer.append(buf, static_cast<std::size_t>(n));
                continue;
            }
            if (n == 0 || errno != EAGAIN) break; // closed: the answer is whole
        }
    }
    ::close(fd);
    out.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (out.answer.rfind("HTTP/1.1 ", 0) == 0 && out.answer.size() >= 12 &&
        out.answer.find("\r\n\r\n") != std::string::npos)
        out.status = std::atoi(out.answer.substr(9, 3).c_str());
    return out;
}

double quantile(std::vector<double> ms, double q) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(ms.size())));
    return ms[std::min(ms.size() - 1, rank == 0 ? 0 : rank - 1)];
}

} // namespace wb::test
