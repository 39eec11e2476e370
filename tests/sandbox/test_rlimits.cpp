// The rlimit plan: which limits are set to what, and 0 meaning none.
#include "sandbox/rlimits.h"

#include <catch2/catch.hpp>

using namespace wb::sandbox;
using namespace wb::sandbox::detail;

namespace {
rlim_t soft(const RlimitPlan& plan, int resource) {
    const RlimitSetting* s = plan.find(resource);
    REQUIRE(s != nullptr);
    return s->soft;
}
rlim_t hard(const RlimitPlan& plan, int resource) {
    const RlimitSetting* s = plan.find(resource);
    REQUIRE(s != nullptr);
    return s->hard;
}
} // namespace

TEST_CASE("the CPU rlimit is a backstop one second above the limit", "[sandbox][rlimits]") {
    Limits l;
    l.cpu_s = 3;
    auto plan = plan_rlimits(l);
    CHECK(soft(plan, RLIMIT_CPU) == 4);
    CHECK(hard(plan, RLIMIT_CPU) == 5);
    l.cpu_s = 0.3;
    plan = plan_rlimits(l);
    CHECK(soft(plan, RLIMIT_CPU) == 2);
}

TEST_CASE("memory is RLIMIT_DATA with headroom, never RLIMIT_AS", "[sandbox][rlimits]") {
    Limits l;
    l.memory_kib = 512 * 1024;
    auto plan = plan_rlimits(l);
    CHECK(soft(plan, RLIMIT_DATA) == (512ull * 1024 + data_headroom_kib) * 1024);
    CHECK(plan.find(RLIMIT_AS) == nullptr);
    CHECK(data_limit_kib(l) == 512 * 1024 + data_headroom_kib);
}

TEST_CASE("the stack is unlimited by default, so that glibc's thread stacks stay small",
          "[sandbox][rlimits]") {
    Limits l;
    l.memory_kib = 1024;
    CHECK(l.stack_kib == 0);
    CHECK(soft(plan_rlimits(l), RLIMIT_STACK) == RLIM_INFINITY);
    l.stack_kib = 256;
    CHECK(soft(plan_rlimits(l), RLIMIT_STACK) == 256 * 1024);
}

TEST_CASE("file size covers both single files and stdout", "[sandbox][rlimits]") {
    Limits l;
    l.file_bytes = 10;
    l.output_bytes = 20;
    CHECK(soft(plan_rlimits(l), RLIMIT_FSIZE) == 20);
    l.output_bytes = 0;
    CHECK(plan_rlimits(l).find(RLIMIT_FSIZE) == nullptr);
}

TEST_CASE("processes count what the user already runs", "[sandbox][rlimits]") {
    Limits l;
    l.processes = 64;
    CHECK(soft(plan_rlimits(l), RLIMIT_NPROC) == 64);
    CHECK(soft(plan_rlimits(l, 300), RLIMIT_NPROC) == 364);
}

TEST_CASE(
    "a zero limit sets nothing, except that core dumps are always off and the stack unlimited",
    "[sandbox][rlimits]") {
    Limits l;
    l.cpu_s = 0;
    l.memory_kib = 0;
    l.stack_kib = 0;
    l.processes = 0;
    l.output_bytes = 0;
    l.file_bytes = 0;
    l.open_files = 0;
    auto plan = plan_rlimits(l);
    REQUIRE(plan.count == 2);
    CHECK(soft(plan, RLIMIT_STACK) == RLIM_INFINITY); // no limit: its own rule, above
    CHECK(soft(plan, RLIMIT_CORE) == 0);
}

TEST_CASE("huge limits saturate instead of wrapping", "[sandbox][rlimits]") {
    Limits l;
    l.cpu_s = 1e300;
    l.memory_kib = ~0ull;
    auto plan = plan_rlimits(l);
    CHECK(soft(plan, RLIMIT_CPU) == RLIM_INFINITY);
    CHECK(soft(plan, RLIMIT_DATA) == RLIM_INFINITY);
}
