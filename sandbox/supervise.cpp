// Supervision: the parent's poll() loop over the keeper's channel, its pidfd
// and the discard pipe, with a tick that samples /proc and enforces limits.
// See supervise.h.
#include "sandbox/supervise.h"

#include "sandbox/fds.h"
#include "sandbox/proc_stats.h"
#include "sandbox/seccomp.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

namespace wb::sandbox::detail {

std::uint64_t OutputMeter::total() const noexcept {
    return sink_bytes + (out_file >= 0 ? file_size(out_file) : 0) +
           (err_file >= 0 ? file_size(err_file) : 0);
}

double monotonic_seconds() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

namespace {

constexpr double never = std::numeric_limits<double>::infinity();

class Supervisor {
  public:
    Supervisor(KeeperProcess& keeper, const UniqueFd& channel, OutputMeter& meter,
               const Watch& watch)
        : keeper_(keeper), channel_(channel), meter_(meter), watch_(watch),
          buf_(std::make_unique_for_overwrite<char[]>(buf_size)) {}

    Outcome run() {
        deadline_ = watch_.wall_s > 0 ? watch_.started + watch_.wall_s : never;
        while (!done_) {
            const double now = monotonic_seconds();
            if (now >= deadline_ && out_.killed_for == KillReason::none) stop(KillReason::wall);
            if (now >= hard_stop_) {
                lose("the sandbox keeper did not finish after the program was killed");
                break;
            }
            if (running_ && now >= next_tick_) {
                sample();
                next_tick_ = now + tick_s;
            }
            wait_for_events(now);
        }
        finish();
        return std::move(out_);
    }

  private:
    void wait_for_events(double now) {
        double until =
            std::min(hard_stop_, out_.killed_for == KillReason::none ? deadline_ : never);
        if (running_) until = std::min(until, next_tick_);
        int timeout = -1;
        if (until != never)
            timeout = std::max(0, static_cast<int>(std::ceil((until - now) * 1000)));

        // The pipe is left out once every writer closed it: at end of file
        // poll() reports POLLHUP for ever, and the loop would spin.
        pollfd fds[5] = {{channel_.get(), POLLIN, 0},
                         {keeper_.pidfd(), POLLIN, 0},
                         {sink_eof_ ? -1 : meter_.sink, POLLIN, 0},
                         {listener_.get(), POLLIN, 0},
                         {out_.killed_for == KillReason::none ? watch_.cancel_fd : -1, POLLIN, 0}};
        if (poll(fds, 5, timeout) < 0) {
            if (errno != EINTR) lose("poll failed: " + errno_text(errno));
            return;
        }
        if (fds[2].revents) drain(64); // at most 4 MiB, then look at the clock again
        if (fds[3].revents & POLLIN) {
            // A forbidden system call: its thread waits in the kernel until
            // the tree is killed; the call never runs. Audited, it runs.
            std::string name = read_violation(listener_.get(), watch_.audit_syscalls);
            if (watch_.audit_syscalls) {
                auto& seen = out_.audited_syscalls;
                if (!name.empty() && std::find(seen.begin(), seen.end(), name) == seen.end())
                    seen.push_back(std::move(name));
            } else if (!name.empty() && out_.killed_for == KillReason::none) {
                out_.syscall = std::move(name);
                stop(KillReason::syscall);
            }
        } else if (fds[3].revents) {
            listener_.reset(); // no process left under the filter
        }
        if (fds[4].revents) stop(KillReason::cancel);
        if (fds[0].revents) read_messages();
        if (!done_ && fds[1].revents) {
            read_messages(); // the last words may still be in the channel
            if (!done_) lose("the sandbox keeper ended without a report");
        }
    }

    void read_messages() {
        while (!done_) {
            KeeperMessage m;
            iovec iov{&m, sizeof m};
            alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(ucred))];
            msghdr msg{};
            msg.msg_iov = &iov;
            msg.msg_iovlen = 1;
            msg.msg_control = control;
            msg.msg_controllen = sizeof control;
            long n = recvmsg(channel_.get(), &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
            if (n < 0 && errno == EINTR) continue;
            bool with_fd = false;
            for (cmsghdr* c = CMSG_FIRSTHDR(&msg); n > 0 && c; c = CMSG_NXTHDR(&msg, c)) {
                if (c->cmsg_level != SOL_SOCKET) continue;
                if (c->cmsg_type == SCM_RIGHTS) {
                    int fd;
                    std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
                    with_fd = true;
                    if (m.kind == KeeperMessage::listener && !listener_)
                        listener_.reset(fd);
                    else
                        ::close(fd);
                } else if (c->cmsg_type == SCM_CREDENTIALS && m.kind == KeeperMessage::started) {
                    ucred cred;
                    std::memcpy(&cred, CMSG_DATA(c), sizeof cred);
                    m.program_pid = cred.pid; // as this pid namespace sees it
                }
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
            if (n != static_cast<long>(sizeof m)) {
                lose(n == 0 ? "the sandbox keeper ended without a report"
                            : "the sandbox channel failed");
                return;
            }
            if (m.kind == KeeperMessage::listener && !with_fd)
                out_.seccomp_error = m.failure.err ? m.failure.err : EINVAL;
            handle(m);
        }
    }

    void handle(const KeeperMessage& m) {
        switch (m.kind) {
        case KeeperMessage::listener:
        case KeeperMessage::ready: // only a keeper made ahead says it, to its maker
            break;
        case KeeperMessage::started:
            keeper_.set_program(m.program_pid);
            running_ = true;
            if (out_.killed_for != KillReason::none) keeper_.kill_program();
            next_tick_ = monotonic_seconds() + tick_s;
            // A kill asked for before the program was known went to the keeper.
            break;
        case KeeperMessage::failed:
            out_.end = Outcome::End::setup_failed;
            out_.failure = m.failure;
            done_ = true;
            break;
        case KeeperMessage::finished:
            out_.end = m.wait_status == -1 ? Outcome::End::lost : Outcome::End::finished;
            if (m.wait_status == -1) out_.problem = "the sandbox keeper lost the program";
            out_.wait_status = m.wait_status;
            out_.usage = m.usage;
            out_.leftovers = m.leftovers;
            out_.wall_s = static_cast<double>(m.exited_at.tv_sec) +
                          static_cast<double>(m.exited_at.tv_nsec) * 1e-9 - watch_.started;
            done_ = true;
            break;
        }
    }

    // Reads discarded output, `rounds` buffers at most, and counts it.
    void drain(int rounds) {
        if (meter_.sink < 0 || sink_eof_) return;
        for (int i = 0; i < rounds; ++i) {
            long n = read(meter_.sink, buf_.get(), buf_size);
            if (n > 0) {
                forward(static_cast<std::size_t>(n));
                meter_.sink_bytes += static_cast<std::uint64_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n == 0) sink_eof_ = true; // every writer is gone
            break;                        // or EAGAIN: nothing more now
        }
        if (watch_.output_bytes > 0 && meter_.sink_bytes > watch_.output_bytes)
            stop(KillReason::output);
    }

    // Copies the n bytes just drained to the forward descriptor, without
    // passing the output limit.
    void forward(std::size_t n) {
        if (meter_.forward < 0) return;
        if (watch_.output_bytes > 0) {
            if (meter_.sink_bytes >= watch_.output_bytes) return;
            n = static_cast<std::size_t>(
                std::min<std::uint64_t>(n, watch_.output_bytes - meter_.sink_bytes));
        }
        for (std::size_t done = 0; done < n;) {
            const ssize_t w = write(meter_.forward, buf_.get() + done, n - done);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                meter_.forward = -1; // the reader went away: keep counting only
                return;
            }
            done += static_cast<std::size_t>(w);
        }
    }

    void sample() {
        if (watch_.cgroup) {
            // The whole tree's CPU time, live; memory is the kernel's,
            // unless the cgroup has no memory controller (then sampled below).
            out_.cpu_seen_s = std::max(out_.cpu_seen_s, watch_.cgroup->cpu_seconds());
            if (watch_.memory_kib == 0) {
                if (watch_.cpu_s > 0 && out_.cpu_seen_s > watch_.cpu_s) stop(KillReason::cpu);
                if (watch_.output_bytes > 0 && meter_.total() > watch_.output_bytes)
                    stop(KillReason::output);
                return;
            }
        }
        const pid_t program = keeper_.program();
        double cpu = 0;
        std::uint64_t memory = 0, data = 0;
        if (auto p = read_process(program, watch_.memory_kib > 0)) {
            cpu = p->cpu_s;
            memory = p->memory_kib;
            data = p->data_kib;
        }
        if (++ticks_ % scan_every == 0) {
            TreeUsage t = read_tree(program, keeper_.pid());
            tree_cpu_ = t.cpu_s;
            memory = std::max(memory, t.memory_kib);
            data = std::max(data, t.max_data_kib);
        }
        // Both figures are lower bounds of the tree's CPU time; neither is
        // added to the other, which would count a reaped child twice.
        out_.cpu_seen_s = std::max({out_.cpu_seen_s, cpu, tree_cpu_});
        out_.peak_memory_kib = std::max(out_.peak_memory_kib, memory);
        out_.peak_data_kib = std::max(out_.peak_data_kib, data);

        if (watch_.cpu_s > 0 && out_.cpu_seen_s > watch_.cpu_s) stop(KillReason::cpu);
        if (watch_.memory_kib > 0 && memory > watch_.memory_kib) stop(KillReason::memory);
        if (watch_.output_bytes > 0 && meter_.total() > watch_.output_bytes)
            stop(KillReason::output);
    }

    // Kills the tree for `reason` (the first reason is the one reported).
    void stop(KillReason reason) {
        if (out_.killed_for != KillReason::none) return;
        out_.killed_for = reason;
        // Before "started" the program's pid is not known yet (its output can
        // outrun the keeper's message): the kill waits for it, so that the
        // keeper still reports; hard_stop_ covers a keeper that never does.
        if (keeper_.program() > 0) keeper_.kill_program();
        hard_stop_ = monotonic_seconds() + keeper_grace_s;
    }

    void lose(std::string problem) {
        out_.end = Outcome::End::lost;
        out_.problem = std::move(problem);
        keeper_.kill_program();
        keeper_.kill_keeper();
        done_ = true;
    }

    void finish() {
        // A keeper that reported the end has nothing more to say: the caller
        // reaps it last, so that its exit (the teardown of its namespaces)
        // overlaps the caller's own last steps. Any other is reaped now, for
        // the message.
        if (out_.end == Outcome::End::finished) {
            keeper_.set_program(-1); // reaped by the keeper: its pid may be reused
        } else {
            const int status = keeper_.reap();
            if (out_.end == Outcome::End::lost && WIFSIGNALED(status))
                out_.problem +=
                    " (it was killed by signal " + std::to_string(WTERMSIG(status)) + ")";
        }
        // What the tree wrote before it died; every writer is dead by now, so
        // this ends, but an escaped one is not waited for.
        drain(1 << 12);
        out_.output_bytes = meter_.total();
        if (out_.wall_s <= 0) out_.wall_s = monotonic_seconds() - watch_.started;
    }

    KeeperProcess& keeper_;
    const UniqueFd& channel_;
    OutputMeter& meter_;
    const Watch& watch_;
    // Not zeroed: a run touches only the pages its output fills (a zeroed
    // 64 KiB was sixteen page faults per run, for /bin/true too).
    static constexpr std::size_t buf_size = 1 << 16;
    std::unique_ptr<char[]> buf_;
    UniqueFd listener_; // the program's seccomp notifications
    Outcome out_;
    bool done_ = false, running_ = false, sink_eof_ = false;
    double deadline_ = never, hard_stop_ = never, next_tick_ = never;
    double tree_cpu_ = 0;
    unsigned ticks_ = 0;
};

} // namespace

Outcome supervise(KeeperProcess& keeper, const UniqueFd& channel, OutputMeter& meter,
                  const Watch& watch) {
    return Supervisor(keeper, channel, meter, watch).run();
}

} // namespace wb::sandbox::detail
