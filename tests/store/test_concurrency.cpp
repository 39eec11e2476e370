// Several processes and threads using one store at once, each through its
// own connection: the first open of a new store, concurrent imports and
// concurrent job leases all succeed by waiting for the write lock (within
// the busy timeout) instead of failing with "database is locked".
#include "store/server_store.h"
#include "store/store.h"
#include "store_fixtures.h"
#include "text_files.h"
#include "tmpdir.h"

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <latch>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using wb::store::Blob;
using wb::store::MpRecord;
using wb::store::ServerStore;
using wb::store::Store;

namespace {

MpRecord record(const std::string& id, const std::string& bundle_hash) {
    MpRecord r;
    r.id = id;
    r.title = "Title of " + id;
    r.bundle_hash = bundle_hash;
    r.summary_json = R"({"id":")" + id + R"("})";
    r.files = {{"mp.toml", "h-toml-" + bundle_hash, 10}};
    return r;
}

std::vector<Blob> blobs(const std::string& bundle_hash) {
    return {{"h-toml-" + bundle_hash, "id = \"x\"\n"}};
}

using wb::test::slurp;

std::string fmt_error(int i, const char* what) {
    return "thread " + std::to_string(i) + ": " + what;
}

// Runs body(i) in `n` threads that start together; collects what they throw.
template <class F> std::vector<std::string> run_together(int n, F body) {
    std::latch start(n);
    std::mutex mu;
    std::vector<std::string> errors;
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            try {
                body(i);
            } catch (const std::exception& e) {
                std::lock_guard lock(mu);
                errors.push_back(fmt_error(i, e.what()));
            }
        });
    }
    for (auto& t : threads)
        t.join();
    return errors;
}

} // namespace

TEST_CASE("processes opening a new store at the same time all migrate it once and write to it") {
    constexpr int processes = 6;
    constexpr int rounds = 4;
    for (int round = 0; round < rounds; ++round) {
        wb::test::TempDir tmp;
        const auto data = tmp / "data";
        int gate[2];
        REQUIRE(::pipe(gate) == 0);
        std::vector<pid_t> children;
        for (int i = 0; i < processes; ++i) {
            const pid_t pid = ::fork();
            REQUIRE(pid >= 0);
            if (pid == 0) {
                // The child: wait for the gate to open (the parent closes it),
                // then open the store and import one MP of its own.
                ::close(gate[1]);
                char c;
                (void)!::read(gate[0], &c, 1);
                int rc = 0;
                try {
                    Store s(data);
                    const auto id = "mp" + std::to_string(i);
                    s.put_mp(record(id, id), blobs(id));
                } catch (const std::exception& e) {
                    std::ofstream(tmp / ("err" + std::to_string(i))) << e.what();
                    rc = 1;
                }
                ::_exit(rc);
            }
            children.push_back(pid);
        }
        ::close(gate[0]);
        ::close(gate[1]);
        for (int i = 0; i < processes; ++i) {
            int status = 0;
            REQUIRE(::waitpid(children[static_cast<std::size_t>(i)], &status, 0) > 0);
            INFO("round " << round << ", process " << i << ": "
                          << slurp(tmp / ("err" + std::to_string(i))));
            CHECK(WIFEXITED(status));
            CHECK(WEXITSTATUS(status) == 0);
        }
        Store s(data);
        CHECK(s.schema_version() == Store::current_schema_version());
        CHECK(s.list_mps().size() == static_cast<std::size_t>(processes));
    }
}

TEST_CASE("threads importing through their own connections all succeed, and versions stay unique") {
    wb::test::TempDir tmp;
    { Store init(tmp / "data"); }
    constexpr int threads = 6;
    constexpr int puts = 15;
    const auto errors = run_together(threads, [&](int i) {
        Store s(tmp / "data");
        for (int k = 0; k < puts; ++k) {
            const auto hash = "t" + std::to_string(i) + "-" + std::to_string(k);
            // Every thread adds versions to the same MP: each put reads the
            // latest version and then writes the next one.
            const auto out = s.put_mp(record("shared", hash), blobs(hash));
            if (!out.created) throw std::runtime_error("put_mp of new content created nothing");
        }
    });
    INFO((errors.empty() ? std::string() : errors.front()));
    CHECK(errors.empty());
    Store s(tmp / "data");
    std::vector<int> expected(threads * puts);
    for (std::size_t v = 0; v < expected.size(); ++v)
        expected[v] = static_cast<int>(v) + 1;
    CHECK(s.mp_versions("shared") == expected);
}

TEST_CASE("servers leasing jobs through their own connections hand each job out once") {
    wb::test::TempDir tmp;
    constexpr int jobs = 40;
    {
        Store s(tmp / "data");
        s.put_mp(record("vecadd", "b1"), blobs("b1"));
        ServerStore ss(s);
        const auto user = ss.add_user("alice", "student", "pw", "key");
        REQUIRE(user);
        for (int k = 0; k < jobs; ++k) {
            ss.enqueue(wb::test::vecadd_attempt(user->id), 1000);
        }
    }
    constexpr int threads = 6;
    std::mutex mu;
    std::set<std::int64_t> leased;
    int leases = 0;
    const auto errors = run_together(threads, [&](int i) {
        Store s(tmp / "data");
        ServerStore ss(s);
        const auto worker = "w" + std::to_string(i);
        for (int n = 0;; ++n) {
            const auto token = worker + "-" + std::to_string(n);
            auto lease = ss.lease_next(worker, false, R"(["cuda"])", token, 2000);
            if (!lease) break;
            {
                std::lock_guard lock(mu);
                leased.insert(lease->job.id);
                ++leases;
            }
            wb::store::JobResult r{"correct", "", 1, 1, "{}", {}, {}};
            if (ss.finish(lease->job.id, worker, token, r, 2001) !=
                wb::store::FinishOutcome::accepted) {
                throw std::runtime_error("finish of a held lease was not accepted");
            }
        }
    });
    INFO((errors.empty() ? std::string() : errors.front()));
    CHECK(errors.empty());
    CHECK(leases == jobs);
    CHECK(leased.size() == static_cast<std::size_t>(jobs));
    Store s(tmp / "data");
    ServerStore ss(s);
    CHECK(ss.queue_counts().done == jobs);
}
