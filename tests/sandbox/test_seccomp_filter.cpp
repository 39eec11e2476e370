// The seccomp filter as a program (sandbox/seccomp.cpp writes it): run here,
// instruction by instruction, for every call number and the arguments its
// rules look at, beside a filter that libseccomp compiles from the same
// lists. The kernel's side (a violation named, a foreign architecture
// killed) is the abuse suite's.
#include "sandbox/seccomp.h"

#include <catch2/catch.hpp>
#include <seccomp.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

using wb::sandbox::Profile;
namespace detail = wb::sandbox::detail;

namespace {

// The run's argv pointer, patched into the filter (for_run) and named in the
// libseccomp filter's execve rule.
constexpr std::uint64_t argv_at = 0x00007ffd12345670ull;

struct Call {
    std::uint32_t arch = seccomp_arch_native();
    std::uint32_t nr = 0;
    std::uint64_t args[6] = {};
};

// Runs a classic BPF program over `call` as the kernel's seccomp does. With
// `constant_only`, as the kernel does when it builds its action cache
// (kernel/seccomp.c, seccomp_is_const_allow): a load of anything but the
// number or the architecture gives up (nullopt). Any instruction a seccomp
// filter of ours should not hold fails the test.
std::optional<std::uint32_t> evaluate(const std::vector<sock_filter>& prog, const Call& call,
                                      bool constant_only = false) {
    seccomp_data data{};
    data.nr = static_cast<int>(call.nr);
    data.arch = call.arch;
    std::memcpy(data.args, call.args, sizeof data.args);
    unsigned char bytes[sizeof data];
    std::memcpy(bytes, &data, sizeof data);
    std::uint32_t a = 0;
    for (std::size_t pc = 0; pc < prog.size(); ++pc) {
        const sock_filter& insn = prog[pc];
        switch (insn.code) {
        case BPF_LD | BPF_W | BPF_ABS:
            if (constant_only && insn.k != offsetof(seccomp_data, nr) &&
                insn.k != offsetof(seccomp_data, arch))
                return std::nullopt;
            REQUIRE(insn.k % 4 == 0);
            REQUIRE(insn.k + 4 <= sizeof data);
            std::memcpy(&a, bytes + insn.k, 4);
            break;
        case BPF_ALU | BPF_AND | BPF_K:
            a &= insn.k;
            break;
        case BPF_JMP | BPF_JA:
            pc += insn.k;
            break;
        case BPF_JMP | BPF_JEQ | BPF_K:
            pc += a == insn.k ? insn.jt : insn.jf;
            break;
        case BPF_JMP | BPF_JGT | BPF_K:
            pc += a > insn.k ? insn.jt : insn.jf;
            break;
        case BPF_JMP | BPF_JGE | BPF_K:
            pc += a >= insn.k ? insn.jt : insn.jf;
            break;
        case BPF_JMP | BPF_JSET | BPF_K:
            pc += (a & insn.k) ? insn.jt : insn.jf;
            break;
        case BPF_RET | BPF_K:
            return insn.k;
        default:
            FAIL("unexpected BPF instruction " << insn.code << " at " << pc);
        }
    }
    FAIL("the filter ran off its end");
    return std::nullopt;
}

int nr(const char* name) {
    const int n = seccomp_syscall_resolve_name(name);
    REQUIRE(n >= 0);
    return n;
}

// The same lists and rules, compiled by libseccomp as wbtool did before it
// wrote its filter itself. Its argument rules compare all 64 bits of an
// argument (its _32 macros narrow only the constant), so it is the oracle
// for arguments whose upper half is zero.
std::vector<sock_filter> libseccomp_filter(Profile profile, bool contained) {
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_NOTIFY);
    REQUIRE(ctx);
    REQUIRE(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) == 0);
    auto add = [&](std::uint32_t action, int call, std::vector<scmp_arg_cmp> args) {
        REQUIRE(seccomp_rule_add_array(ctx, action, call, static_cast<unsigned>(args.size()),
                                       args.empty() ? nullptr : args.data()) == 0);
    };
    for (const std::string& name : detail::profile_calls(profile)) {
        const int n = seccomp_syscall_resolve_name(name.c_str());
        if (n < 0 || (name == "kill" && !contained)) continue;
        add(SCMP_ACT_ALLOW, n, {});
    }
    if (!contained) add(SCMP_ACT_ALLOW, nr("kill"), {SCMP_A0_32(SCMP_CMP_NE, 0xffffffffu)});
    add(SCMP_ACT_ALLOW, nr("prlimit64"), {SCMP_A0_32(SCMP_CMP_EQ, 0)});
    const std::uint64_t new_ns = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER |
                                 CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP;
    add(SCMP_ACT_ALLOW, nr("clone"), {SCMP_A0(SCMP_CMP_MASKED_EQ, new_ns, 0)});
    add(SCMP_ACT_ALLOW, nr("ioctl"), {SCMP_A1_32(SCMP_CMP_LT, TIOCSTI)});
    for (unsigned long request = TIOCSTI + 1; request < TIOCLINUX; ++request)
        add(SCMP_ACT_ALLOW, nr("ioctl"), {SCMP_A1_32(SCMP_CMP_EQ, request)});
    add(SCMP_ACT_ALLOW, nr("ioctl"), {SCMP_A1_32(SCMP_CMP_GT, TIOCLINUX)});
    add(SCMP_ACT_ERRNO(ENOSYS), nr("clone3"), {});
    if (profile != Profile::run) add(SCMP_ACT_ERRNO(EACCES), nr("socket"), {});
    if (profile != Profile::compile)
        add(SCMP_ACT_ALLOW, nr("execve"), {SCMP_A1(SCMP_CMP_EQ, argv_at)});

    const int fd = memfd_create("oracle", MFD_CLOEXEC);
    REQUIRE(fd >= 0);
    REQUIRE(seccomp_export_bpf(ctx, fd) == 0);
    seccomp_release(ctx);
    const off_t size = lseek(fd, 0, SEEK_END);
    std::vector<sock_filter> prog(static_cast<std::size_t>(size) / sizeof(sock_filter));
    REQUIRE(pread(fd, prog.data(), static_cast<std::size_t>(size), 0) == size);
    close(fd);
    return prog;
}

std::vector<sock_filter> ours(Profile profile, bool contained) {
    auto p =
        detail::SeccompProgram::for_run(profile, reinterpret_cast<const void*>(argv_at), contained);
    REQUIRE(p);
    const sock_fprog* f = p.value().fprog();
    return {f->filter, f->filter + f->len};
}

// Values for the arguments the rules read, each with its upper half zero.
std::vector<std::uint64_t> argument_values() {
    std::vector<std::uint64_t> v = {0,
                                    1,
                                    2,
                                    0x7fffffff,
                                    0x80000000,
                                    0xfffffffe,
                                    0xffffffff,
                                    argv_at & 0xffffffffu,
                                    TIOCLINUX + 1,
                                    TIOCSTI - 1};
    for (unsigned long request = TIOCSTI; request <= TIOCLINUX; ++request)
        v.push_back(request);
    for (int bit = 0; bit < 32; ++bit)
        v.push_back(1ull << bit);
    v.push_back(SIGCHLD | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD);
    return v;
}

const Profile profiles[] = {Profile::run, Profile::compile, Profile::cuda};

} // namespace

TEST_CASE("seccomp filter: every call gets the action of libseccomp's filter of the same lists",
          "[sandbox][seccomp]") {
    const std::vector<std::uint64_t> values = argument_values();
    for (Profile profile : profiles)
        for (bool contained : {true, false}) {
            INFO("profile " << wb::sandbox::to_string(profile) << ", contained " << contained);
            const auto mine = ours(profile, contained);
            const auto theirs = libseccomp_filter(profile, contained);
            std::vector<std::uint32_t> numbers;
            for (std::uint32_t n = 0; n < 1024; ++n)
                numbers.push_back(n);
            for (std::uint32_t n : {0x3fffffffu, 0x40000000u, 0x40000000u | 39, 0x400001ffu,
                                    0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu})
                numbers.push_back(n);
            const std::uint32_t native = seccomp_arch_native();
            const std::uint32_t foreign =
                native == AUDIT_ARCH_X86_64 ? AUDIT_ARCH_AARCH64 : AUDIT_ARCH_X86_64;
            for (std::uint32_t arch : {native, std::uint32_t{AUDIT_ARCH_I386}, foreign, 0u})
                for (std::uint32_t n : numbers) {
                    Call call;
                    call.arch = arch;
                    call.nr = n;
                    INFO("arch " << arch << ", call " << n);
                    REQUIRE(evaluate(mine, call) == evaluate(theirs, call));
                    // The arguments only matter for the native architecture.
                    if (arch != native || n > 1023) continue;
                    for (int arg = 0; arg < 2; ++arg)
                        for (std::uint64_t value : values) {
                            call.args[arg] = value;
                            INFO("argument " << arg << " = " << value);
                            REQUIRE(evaluate(mine, call) == evaluate(theirs, call));
                        }
                    call.args[0] = 0;
                    call.args[1] = argv_at;
                    REQUIRE(evaluate(mine, call) == evaluate(theirs, call));
                }
        }
}

TEST_CASE("seccomp filter: arguments the kernel reads as 32 bits are compared on 32 bits",
          "[sandbox][seccomp]") {
    const std::uint64_t high = 0x100000000ull;
    auto action = [](bool contained, const char* name, std::uint64_t arg0, std::uint64_t arg1) {
        Call call;
        call.nr = static_cast<std::uint32_t>(nr(name));
        call.args[0] = arg0;
        call.args[1] = arg1;
        return evaluate(ours(Profile::run, contained), call);
    };
    // ioctl takes its request as an unsigned int: TIOCSTI with bits above
    // 32 set is TIOCSTI (libseccomp's filter let it through).
    CHECK(action(true, "ioctl", 0, high | TIOCSTI) == SECCOMP_RET_USER_NOTIF);
    CHECK(action(true, "ioctl", 0, ~0ull << 32 | TIOCLINUX) == SECCOMP_RET_USER_NOTIF);
    CHECK(action(true, "ioctl", 0, high | TCGETS) == SECCOMP_RET_ALLOW);
    // kill's pid is an int: a 64-bit -1 is -1 (libseccomp's filter let
    // kill(-1) through where the program shares wbtool's pid namespace).
    CHECK(action(false, "kill", ~0ull, 0) == SECCOMP_RET_USER_NOTIF);
    CHECK(action(false, "kill", high | 1234, 9) == SECCOMP_RET_ALLOW);
    CHECK(action(true, "kill", ~0ull, 9) == SECCOMP_RET_ALLOW); // its own pid namespace
    // prlimit64's pid too: 0 with upper bits is itself (libseccomp refused it).
    CHECK(action(true, "prlimit64", high, 0) == SECCOMP_RET_ALLOW);
    CHECK(action(true, "prlimit64", high | 1, 0) == SECCOMP_RET_USER_NOTIF);
    // clone's flags: the kernel reads 32 bits; the namespace flags are there.
    CHECK(action(true, "clone", ~0ull << 32 | SIGCHLD, 0) == SECCOMP_RET_ALLOW);
    CHECK(action(true, "clone", CLONE_NEWUSER | SIGCHLD, 0) == SECCOMP_RET_USER_NOTIF);
    // execve's argv is a pointer: all 64 bits must be the run's.
    CHECK(action(true, "execve", 0, argv_at) == SECCOMP_RET_ALLOW);
    CHECK(action(true, "execve", 0, argv_at ^ high) == SECCOMP_RET_USER_NOTIF);
    CHECK(action(true, "execve", 0, argv_at & 0xffffffffu) == SECCOMP_RET_USER_NOTIF);
}

TEST_CASE("seccomp filter: every call allowed whatever its arguments is in the kernel's action "
          "cache",
          "[sandbox][seccomp]") {
    for (Profile profile : profiles)
        for (bool contained : {true, false}) {
            INFO("profile " << wb::sandbox::to_string(profile) << ", contained " << contained);
            const auto mine = ours(profile, contained);
            const auto theirs = libseccomp_filter(profile, contained);
            int cached = 0;
            for (std::uint32_t n = 0; n < 1024; ++n) {
                Call call;
                call.nr = n;
                INFO("call " << n);
                const auto mine_constant = evaluate(mine, call, true);
                CHECK(mine_constant == evaluate(theirs, call, true));
                cached += mine_constant == SECCOMP_RET_ALLOW;
            }
            CHECK(cached > 150);
            // Shorter than libseccomp's, which is what the kernel pays for
            // at each load.
            CHECK(mine.size() * 5 < theirs.size() * 3);
        }
}
