// The keeper process: fork the program, wait for it, kill and reap whatever it
// left, report. See keeper.h for why it exists.
#include "sandbox/keeper.h"

#include "sandbox/dirscan.h"
#include "sandbox/fds.h"
#include "sandbox/identity.h"
#include "sandbox/mounts.h"
#include "sandbox/namespaces.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace wb::sandbox::detail {

const char* step_text(Step step) noexcept {
    switch (step) {
    case Step::none:
        return "nothing";
    case Step::keeper_setup:
        return "preparing the keeper process";
    case Step::keeper_fork:
        return "forking the program";
    case Step::process_group:
        return "creating the session and process group";
    case Step::parent_death:
        return "setting the parent-death signal";
    case Step::signals:
        return "resetting signal handlers";
    case Step::stdio:
        return "connecting stdin, stdout and stderr";
    case Step::close_fds:
        return "closing inherited descriptors";
    case Step::workdir:
        return "entering the work directory";
    case Step::rlimits:
        return "setting resource limits";
    case Step::exec:
        return "executing the program";
    case Step::namespaces:
        return "entering the sandbox namespaces";
    case Step::mounts:
        return "building the sandbox's root filesystem";
    case Step::cgroup:
        return "joining the run's cgroup";
    case Step::identity:
        return "dropping to the sandbox user";
    case Step::seccomp:
        return "loading the seccomp filter";
    case Step::user_map:
        return "mapping the caller's user into the sandbox's user namespace";
    case Step::affinity:
        return "restoring the CPU affinity";
    }
    return "an unknown step";
}

// ---- parent side ----

KeeperProcess::KeeperProcess(KeeperProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), program_(std::exchange(other.program_, -1)),
      pidfd_(std::move(other.pidfd_)) {}

KeeperProcess& KeeperProcess::operator=(KeeperProcess&& other) noexcept {
    if (this != &other) {
        if (pid_ > 0) {
            kill_program();
            kill_keeper();
            reap();
        }
        pid_ = std::exchange(other.pid_, -1);
        program_ = std::exchange(other.program_, -1);
        pidfd_ = std::move(other.pidfd_);
    }
    return *this;
}

KeeperProcess::~KeeperProcess() {
    if (pid_ > 0) {
        kill_program();
        kill_keeper();
        reap();
    }
}

void KeeperProcess::kill_program() noexcept {
    if (program_ > 0)
        ::kill(-program_, SIGKILL);
    else if (pid_ > 0)
        ::kill(pid_, SIGKILL);
}

void KeeperProcess::kill_keeper() noexcept {
    if (pid_ > 0) ::kill(pid_, SIGKILL);
}

int KeeperProcess::reap() noexcept {
    int status = 0;
    if (pid_ <= 0) return status;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    pidfd_.reset();
    return status;
}

// ---- child side: async-signal-safe from here on ----
namespace {

double now_seconds() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void send(int fd, const KeeperMessage& m) noexcept {
    while (::send(fd, &m, sizeof m, MSG_NOSIGNAL) < 0 && errno == EINTR) {
    }
}

// "started", with the program's pid as credentials when it lives in another
// pid namespace (see KeeperMessage).
void send_started(int fd, pid_t program, bool isolated) noexcept {
    KeeperMessage m;
    m.kind = KeeperMessage::started;
    m.program_pid = program;
    if (!isolated) {
        send(fd, m);
        return;
    }
    const ucred cred{program, getuid(), getgid()};
    send_keeper_message(fd, m, SCM_CREDENTIALS, &cred, sizeof cred);
}

[[noreturn]] void report_failure(int channel, Step step, int err, int detail = 0) noexcept {
    KeeperMessage m;
    m.kind = KeeperMessage::failed;
    m.failure = ChildFailure{step, err, detail};
    send(channel, m);
    _exit(0);
}

// SIGKILL to every process whose parent is `self`: the orphans the keeper
// adopted, including those that left the program's process group (setsid).
void kill_children(pid_t self) noexcept {
    int proc = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (proc < 0) return;
    for_each_numeric_entry(proc, [&](long pid) {
        char path[32], buf[512];
        if (!format_number(path, sizeof path, pid, "/stat")) return;
        int fd = openat(proc, path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) return;
        long n = read(fd, buf, sizeof buf - 1);
        ::close(fd);
        if (n <= 0) return;
        buf[n] = '\0';
        const char* close_paren = nullptr; // the last ')': the name may hold some
        for (const char* p = buf; *p; ++p)
            if (*p == ')') close_paren = p;
        if (!close_paren || !close_paren[1] || !close_paren[2] || !close_paren[3]) return;
        long ppid = 0;
        for (const char* p = close_paren + 4; *p >= '0' && *p <= '9'; ++p)
            ppid = ppid * 10 + (*p - '0');
        if (ppid == self) ::kill(static_cast<pid_t>(pid), SIGKILL);
    });
    ::close(proc);
}

// Kills the program's group and the keeper's other children until none is
// left, reaping them. Gives up after a few seconds (a process stuck in the
// kernel) and then returns 1; else 0.
int kill_and_reap_all(pid_t program, pid_t self) noexcept {
    const double give_up = now_seconds() + 3.0;
    for (int round = 0;; ++round) {
        ::kill(-program, SIGKILL);
        pid_t r;
        while ((r = waitpid(-1, nullptr, WNOHANG)) > 0) {
        }
        if (r < 0 && errno == ECHILD) return 0;
        if (now_seconds() > give_up) return 1;
        // Killed processes take a moment to die; the orphans of the ones that
        // just died arrive as new children, so look again each round.
        kill_children(self);
        timespec pause{};
        pause.tv_nsec = round < 10 ? 200'000L : 2'000'000L;
        nanosleep(&pause, nullptr);
    }
}

struct ProgramStart {
    const ChildPlan* plan;
    pid_t keeper;
    int status_fd; // the program's end of the status pipe (the keeper's
                   // end goes with the others at C5)
};

int program_entry(void* arg) {
    const auto* start = static_cast<const ProgramStart*>(arg);
    program_main(*start->plan, start->keeper, start->status_fd);
}

// The program's stack until its execve: program_main needs a few KiB (its
// largest frame is the directory scan of close_fds_except); a guard page
// below it turns an overflow into a fault instead of a write into the
// keeper's memory.
constexpr std::size_t program_stack_size = 128 * 1024;

// Returns the program's pid once it has called execve (or exited), or -1
// with errno.
pid_t clone_program(ProgramStart& start) noexcept {
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer cannot follow a switch to a stack it did not make: it
    // prints a warning (into the program's stderr) at the first noreturn
    // call on it. The sanitizer build forks, which it understands.
    const pid_t forked = fork();
    if (forked == 0) program_entry(&start);
    return forked;
#else
    const long page = sysconf(_SC_PAGESIZE);
    const std::size_t size = program_stack_size + static_cast<std::size_t>(page);
    void* stack = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
    if (stack == MAP_FAILED) return -1;
    if (mprotect(stack, static_cast<std::size_t>(page), PROT_NONE) != 0) {
        const int e = errno;
        munmap(stack, size);
        errno = e;
        return -1;
    }
    const pid_t pid = clone(program_entry, static_cast<char*>(stack) + size,
                            CLONE_VM | CLONE_VFORK | SIGCHLD, &start);
    const int e = errno;
    munmap(stack, size); // the program left it at its execve or exit
    errno = e;
    return pid;
#endif
}

// One message from the parent (PlanMessage) of `kind`, and its descriptors,
// moved above the standard streams (the keeper closed its own at K1, so
// they could arrive as 0, 1 or 2). Returns 0, or an errno; ECONNRESET: the
// channel was closed instead (wbtool gone, or a keeper made ahead no longer
// wanted).
int receive(int channel, PlanMessage::Kind kind, PlanMessage& m, int (&fds)[max_plan_fds],
            std::size_t& got) noexcept {
    iovec iov{&m, sizeof m};
    alignas(cmsghdr) char control[CMSG_SPACE(max_plan_fds * sizeof(int))];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    long n;
    while ((n = recvmsg(channel, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
    }
    if (n == 0) return ECONNRESET;
    if (n < 0) return errno;
    got = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            const std::size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (std::size_t i = 0; i < k && got < max_plan_fds; ++i)
                __builtin_memcpy(&fds[got++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        }
    if (n != static_cast<long>(sizeof m) || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ||
        m.kind != kind || got != m.fd_count)
        return EPROTO;
    for (std::size_t i = 0; i < got; ++i)
        if ((fds[i] = move_above_stdio(fds[i])) < 0) return errno;
    return 0;
}

// The plan message: the plan, copied, with the descriptors' numbers the
// keeper has.
int receive_plan(int channel, ChildPlan& plan) noexcept {
    PlanMessage m;
    int fds[max_plan_fds];
    std::size_t got = 0;
    if (int e = receive(channel, PlanMessage::plan, m, fds, got)) return e;
    if (!m.plan_at || got != 3) return EPROTO;
    plan = *m.plan_at;
    plan.stdin_fd = fds[0];
    plan.stdout_fd = fds[1];
    plan.stderr_fd = fds[2];
    plan.cgroup_fds = nullptr;
    plan.cgroup_fd_count = 0;
    return 0;
}

// Looks for a message on `channel` for up to max_spin_s before the keeper
// blocks for it. The parent sends the cgroup a few microseconds after the
// keeper has built the root, as a rule; a keeper that sleeps instead is
// woken on a CPU that went idle meanwhile, which a virtual machine takes
// about 0.015 ms to wake. Only where the keeper may run on another CPU
// than the parent: spinning on the parent's one would hold up the message.
constexpr double max_spin_s = 50e-6;
void spin_for_message(int channel) noexcept {
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof cpus, &cpus) != 0 || CPU_COUNT(&cpus) < 2) return;
    const double until = now_seconds() + max_spin_s;
    pollfd p{channel, POLLIN, 0};
    while (poll(&p, 1, 0) == 0 && now_seconds() < until) {
    }
}

// The cgroup message of a plan with cgroup_follows.
int receive_cgroup(int channel, ChildPlan& plan, int (&cgroup_fds)[max_plan_fds]) noexcept {
    PlanMessage m;
    std::size_t got = 0;
    spin_for_message(channel);
    if (int e = receive(channel, PlanMessage::cgroup, m, cgroup_fds, got)) return e;
    plan.cgroup_fds = cgroup_fds;
    plan.cgroup_fd_count = got;
    plan.cgroup_namespace = m.cgroup_namespace && got > 0;
    return 0;
}

// K1. Keep only the channel and the namespaces to join: a keeper holding
// one of wbtool's sockets would keep it open for the whole run (or, made
// ahead, for as long as it waits).
void keep_only_channel(const KeeperSetup& setup) noexcept {
    int keep[4] = {setup.channel_fd};
    int kept = 1;
    for (int fd : {setup.netns_fd, setup.ipcns_fd, setup.utsns_fd})
        if (fd >= 0) keep[kept++] = fd;
    if (close_fds_except(keep, kept) != 0)
        report_failure(setup.channel_fd, Step::keeper_setup, errno);
}

// K2. Adopt every orphan of the tree; die with wbtool. SIGCHLD back to
// its default: ignored (or SA_NOCLDWAIT) in wbtool, it would make the
// kernel reap the program before the keeper could read its status.
void adopt_orphans(const KeeperSetup& setup) noexcept {
    const int channel = setup.channel_fd;
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    if (sigaction(SIGCHLD, &dfl, nullptr) != 0 || prctl(PR_SET_CHILD_SUBREAPER, 1) != 0 ||
        prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        report_failure(channel, Step::keeper_setup, errno);
    // wbtool already gone? In a new pid namespace getppid() says 0, so the
    // channel tells: its other end closes when wbtool dies.
    if (!setup.isolated && getppid() != setup.parent_pid) _exit(0);
    pollfd hup{channel, 0, 0};
    if (poll(&hup, 1, 0) == 1 && (hup.revents & (POLLHUP | POLLERR))) _exit(0);
}

// The keeper's mount namespace. Cloned with a new one (a copy of the
// host's), it builds the root there. Cloned without one, for a plan with a
// kept root (mounts.h), it joins a private copy of that, and keeps a
// descriptor of the namespace it was cloned in: the host's paths, where the
// job's binds come from, and where it goes back to when the kept root is
// gone (released since the plan was made) or is not the plan's (a keeper
// made ahead, for another job), to build the root as before.
struct RootState {
    bool own = false;             // in a private mount namespace: may mount
    bool cloned_own = false;      // cloned with one
    const char* joined = nullptr; // the kept root it is in a copy of
    bool base = false;            // the base is there (prepared ahead)
    int host = -1;                // the namespace it was cloned in
};

int join_kept(RootState& s, const MountPlan& plan, int* failed_op) noexcept {
    if (s.host < 0 && (s.host = ::open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC)) < 0)
        return errno;
    s.joined = plan.kept_root;
    s.own = false; // until the copy is its own
    const int e = join_kept_root(plan, failed_op);
    s.own = e == 0;
    return e;
}

// Out of a kept root's copy, back where it was cloned.
int leave_kept(RootState& s) noexcept {
    if (!s.joined) return 0;
    if (setns(s.host, CLONE_NEWNS) != 0) return errno;
    s.joined = nullptr;
    s.base = false;
    s.own = s.cloned_own;
    return 0;
}

// A private copy of the host's mount namespace, to build the root in.
int own_copy_of_host(RootState& s) noexcept {
    if (int e = leave_kept(s)) return e;
    if (s.own) return 0;
    if (unshare(CLONE_NEWNS) != 0) return errno;
    s.own = true;
    return 0;
}

// The base of the root, before the plan comes: the kept root's, or built.
int prepare_base(RootState& s, const MountPlan& base, int* failed_op) noexcept {
    if (base.kept_root && join_kept(s, base, failed_op) == 0) {
        s.base = true;
        return 0;
    }
    if (int e = own_copy_of_host(s)) return e;
    if (int e = prepare_root(base, base.base_count, failed_op)) return e;
    s.base = true;
    return 0;
}

// The root of the plan, entered: the kept root's finished; else built, on
// the base prepared ahead if there is one.
int finish_plan_root(RootState& s, const MountPlan& plan, int* failed_op) noexcept {
    if (plan.kept_root) {
        if (s.base && same_text(s.joined, plan.kept_root))
            return finish_kept_root(plan, s.host, failed_op);
        if (int e = leave_kept(s)) return e;
        if (!s.base && join_kept(s, plan, failed_op) == 0)
            return finish_kept_root(plan, s.host, failed_op);
    }
    if (s.joined) {
        if (int e = own_copy_of_host(s)) return e;
    }
    if (s.base) return finish_root(plan, plan.base_count, failed_op);
    if (int e = own_copy_of_host(s)) return e;
    return build_root(plan, failed_op);
}

// K2b (see keeper_main).
void enter_isolation(const KeeperSetup& setup, RootState& root) noexcept {
    const int channel = setup.channel_fd;
    if (setup.user_namespace)
        if (int e = map_user(setup.outside_uid, setup.outside_gid, setup.uid, setup.gid))
            report_failure(channel, Step::user_map, e);
    if (!setup.isolated) return;
    const struct {
        int fd, type;
    } joins[] = {{setup.netns_fd, CLONE_NEWNET},
                 {setup.ipcns_fd, CLONE_NEWIPC},
                 {setup.utsns_fd, CLONE_NEWUTS}};
    for (const auto& j : joins) {
        if (j.fd < 0) continue;
        if (setns(j.fd, j.type) != 0) report_failure(channel, Step::namespaces, errno);
        ::close(j.fd);
    }
    static const char hostname[] = "wbtool-sandbox";
    if (setup.utsns_fd < 0 && sethostname(hostname, sizeof hostname - 1) != 0)
        report_failure(channel, Step::namespaces, errno);
    if (int e = drop_bounding_set()) report_failure(channel, Step::identity, e);
    root.own = root.cloned_own = (setup.clone_flags & CLONE_NEWNS) != 0;
    if (setup.base) {
        int failed_op = -1;
        if (int e = prepare_base(root, *setup.base, &failed_op))
            report_failure(channel, Step::mounts, e, failed_op);
    }
}

// K2c (see keeper_main). A closed channel instead of a message: wbtool is
// gone, or a keeper made ahead is no longer wanted.
void receive_run(const KeeperSetup& setup, RootState& root, ChildPlan& plan,
                 int (&cgroup_fds)[max_plan_fds]) noexcept {
    const int channel = setup.channel_fd;
    if (int e = receive_plan(channel, plan)) {
        if (e == ECONNRESET) _exit(0);
        report_failure(channel, Step::keeper_setup, e);
    }
    plan.channel_fd = channel;
    plan.user_namespace = setup.user_namespace;
    plan.bounding_set_empty = setup.isolated;
    if (setup.isolated) {
        int failed_op = -1;
        if (int e = finish_plan_root(root, *plan.mounts, &failed_op))
            report_failure(channel, Step::mounts, e, failed_op);
        if (root.host >= 0) ::close(root.host);
    }
    if (plan.cgroup_follows) {
        if (int e = receive_cgroup(channel, plan, cgroup_fds)) {
            if (e == ECONNRESET) _exit(0);
            report_failure(channel, Step::cgroup, e);
        }
    }
}

// K3 (see keeper_main). Returns the program's pid; *status_read: the read
// end of its status pipe. The program's descriptors are closed here: they
// are its, not the keeper's.
// clone_program, on the keeper's own CPU. The keeper sleeps from the
// clone until the program's execve, so the CPU it runs on is the one that
// is free; left to itself, the kernel starts the program on another, idle
// one, which a virtual machine must first wake: 0.03 ms of a
// `wbtool sandbox -- /bin/true`. The program puts
// the keeper's CPUs back as its first step (`affinity`), and the keeper
// puts back its own once the program has left. Where the keeper cannot
// pin itself, it does not.
pid_t start_program(ChildPlan& plan, ProgramStart& start) noexcept {
    cpu_set_t all, here;
    const int cpu = sched_getcpu();
    bool pinned = false;
    if (cpu >= 0 && cpu < CPU_SETSIZE && sched_getaffinity(0, sizeof all, &all) == 0 &&
        CPU_COUNT(&all) > 1) {
        CPU_ZERO(&here);
        CPU_SET(cpu, &here);
        pinned = sched_setaffinity(0, sizeof here, &here) == 0;
    }
    plan.affinity = pinned ? &all : nullptr;
    const pid_t pid = clone_program(start);
    const int e = errno;
    if (pinned) sched_setaffinity(0, sizeof all, &all);
    plan.affinity = nullptr;
    errno = e;
    return pid;
}

pid_t launch(ChildPlan& plan, pid_t self, int* status_read) noexcept {
    const int channel = plan.channel_fd;
    int status_pipe[2];
    if (pipe2(status_pipe, O_CLOEXEC) != 0) report_failure(channel, Step::keeper_setup, errno);
    for (int& fd : status_pipe)
        if ((fd = move_above_stdio(fd)) < 0) report_failure(channel, Step::keeper_setup, errno);
    ProgramStart start{&plan, self, status_pipe[1]};
    const pid_t program = start_program(plan, start);
    if (program < 0) report_failure(channel, Step::keeper_fork, errno);
    ::close(status_pipe[1]);
    for (std::size_t i = 0; i < plan.cgroup_fd_count; ++i)
        ::close(plan.cgroup_fds[i]);
    ::close(plan.stdin_fd);
    ::close(plan.stdout_fd);
    ::close(plan.stderr_fd);
    *status_read = status_pipe[0];
    return program;
}

// K4. Whether execve succeeded: the status pipe closed silently; else the
// failure is reported to wbtool.
bool exec_succeeded(int channel, int status_read) noexcept {
    ChildFailure failure;
    long n;
    while ((n = read(status_read, &failure, sizeof failure)) < 0 && errno == EINTR) {
    }
    ::close(status_read);
    if (n != static_cast<long>(sizeof failure)) return true;
    KeeperMessage m;
    m.kind = KeeperMessage::failed;
    m.failure = failure;
    send(channel, m);
    return false;
}

// K5 (see keeper_main): the program's wait status and the moment it ended
// into `done`.
void wait_for_program(pid_t program, KeeperMessage& done) noexcept {
    for (;;) {
        siginfo_t info{};
        if (waitid(P_ALL, 0, &info, WEXITED | WNOWAIT) != 0) {
            if (errno == EINTR) continue;
            done.wait_status = -1; // cannot happen: the program is our child
            return;
        }
        if (info.si_pid == program) {
            clock_gettime(CLOCK_MONOTONIC, &done.exited_at);
            ::kill(-program, SIGKILL);
            while (waitpid(program, &done.wait_status, 0) < 0 && errno == EINTR) {
            }
            return;
        }
        waitpid(info.si_pid, nullptr, 0);
    }
}

[[noreturn]] void keeper_main(const KeeperSetup& setup) noexcept {
    const int channel = setup.channel_fd;

    // K1. Only the channel and the namespaces to join (keep_only_channel).
    keep_only_channel(setup);

    // K2. Adopt every orphan of the tree; die with wbtool (adopt_orphans).
    adopt_orphans(setup);

    // K2b. Isolation: the keeper is pid 1 of the new pid namespace and the
    // only process of the new mount namespace until it forks; in a user
    // namespace of its own (not root) it first maps the caller's ids; it
    // joins the shared network, ipc and uts namespaces (or names the host of
    // its own uts namespace), empties the capability bounding set (the
    // program inherits it: identity.h), and, made ahead, mounts the base of
    // the root (mounts.h).
    RootState root;
    enter_isolation(setup, root);
    if (setup.announce_ready) {
        KeeperMessage m;
        m.kind = KeeperMessage::ready;
        send(channel, m);
    }

    // K2c. The plan (PlanMessage), and with it the program's descriptors;
    // then the rest of the root, entered; then the cgroup, if one follows.
    ChildPlan plan;
    int cgroup_fds[max_plan_fds];
    receive_run(setup, root, plan, cgroup_fds);

    // K3. Start the program, with a close-on-exec pipe that stays silent if
    // execve succeeds and carries a ChildFailure if anything before it failed.
    // It is cloned with CLONE_VM | CLONE_VFORK, as posix_spawn does: it runs
    // on a stack of its own in the keeper's memory while the keeper waits,
    // until its execve (or its exit) gives it a memory of its own. A fork
    // would copy the keeper's page tables, itself a copy of wbtool's, fault
    // in every page either of them wrote, and tear the copy down again at
    // execve: that was the largest single cost of a run, and it grew with
    // wbtool's memory. It also takes no lock: glibc's fork() would take
    // malloc's, copied from a wbtool thread that may have held one. It
    // starts on the keeper's CPU, which the waiting keeper leaves free
    // (start_program).
    const pid_t self = getpid();
    int status_read = -1;
    const pid_t program = launch(plan, self, &status_read);

    // K4. Did execve succeed?
    if (!exec_succeeded(channel, status_read)) {
        kill_and_reap_all(program, self);
        _exit(0);
    }
    send_started(channel, program, setup.isolated);

    // K5. Wait for the program, reaping adopted orphans as they end. The
    // program is looked at (WNOWAIT) before it is reaped: while it is a
    // zombie its pid, and so its process-group id, cannot be reused, and
    // killing the group is certain to hit only the tree.
    KeeperMessage done;
    done.kind = KeeperMessage::finished;
    wait_for_program(program, done);

    // K6. Kill and reap what is left; the tree's usage is now complete.
    done.leftovers = kill_and_reap_all(program, self);
    getrusage(RUSAGE_CHILDREN, &done.usage);
    send(channel, done);
    _exit(0);
}

} // namespace

KeeperSetup keeper_setup_for(Isolation engine, int channel_fd, long uid, long gid,
                             const MountPlan* root) {
    KeeperSetup setup;
    setup.channel_fd = channel_fd;
    setup.parent_pid = getpid();
    if (engine == Isolation::userns) {
        setup.isolated = true;
        setup.user_namespace = true;
        setup.outside_uid = static_cast<long>(geteuid());
        setup.outside_gid = static_cast<long>(getegid());
        setup.uid = uid;
        setup.gid = gid;
        setup.clone_flags = userns_clone_flags();
    } else if (engine == Isolation::full) {
        const SharedNamespaces& shared = shared_namespaces();
        setup.isolated = true;
        setup.netns_fd = shared.net;
        setup.ipcns_fd = shared.ipc;
        setup.utsns_fd = shared.uts;
        setup.clone_flags = keeper_clone_flags(shared);
        // A root in a copy of the kept root needs no copy of the host's
        // mount table first (RootState).
        if (root && root->kept_root) setup.clone_flags &= ~CLONE_NEWNS;
    }
    return setup;
}

SysResult<KeeperProcess> spawn_keeper(const KeeperSetup& setup) {
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = setup.isolated ? clone_with_flags(setup.clone_flags) : fork();
    if (pid == 0) keeper_main(setup);
    int e = errno;
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    if (pid < 0) return sys_error("cannot start the sandbox (fork)", e);
    // pidfd_open (Linux 5.3) lets poll() see the keeper end; without it the
    // channel's end of file says the same, a little less surely.
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    return KeeperProcess(pid, UniqueFd(pidfd));
}

int send_plan(int channel, const ChildPlan* plan, const ChildPlan& fds) noexcept {
    const int list[3] = {fds.stdin_fd, fds.stdout_fd, fds.stderr_fd};
    PlanMessage m;
    m.plan_at = plan;
    m.fd_count = 3;
    if (send_with_control(channel, &m, sizeof m, SCM_RIGHTS, list, sizeof list) < 0) return errno;
    return 0;
}

int send_cgroup(int channel, const int* fds, std::size_t count, bool cgroup_namespace) noexcept {
    if (count > max_plan_fds) return E2BIG;
    PlanMessage m;
    m.kind = PlanMessage::cgroup;
    m.cgroup_namespace = cgroup_namespace;
    m.fd_count = count;
    if (send_with_control(channel, &m, sizeof m, SCM_RIGHTS, fds, count * sizeof(int)) < 0)
        return errno;
    return 0;
}

long send_with_control(int fd, const void* m, std::size_t len, int type, const void* data,
                       std::size_t data_len) noexcept {
    // Room for the largest payload ever sent: the plan's descriptors.
    alignas(cmsghdr) char control[CMSG_SPACE(max_plan_fds * sizeof(int))] = {};
    static_assert(max_plan_fds * sizeof(int) >= sizeof(ucred));
    iovec iov{const_cast<void*>(m), len};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (data_len > 0) {
        if (data_len > max_plan_fds * sizeof(int)) {
            errno = E2BIG;
            return -1;
        }
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(data_len);
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = type;
        c->cmsg_len = CMSG_LEN(data_len);
        __builtin_memcpy(CMSG_DATA(c), data, data_len);
    }
    long sent;
    while ((sent = sendmsg(fd, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
    }
    return sent;
}

} // namespace wb::sandbox::detail
