// The work directory of a run whose policy names none (Policy::workdir
// empty): a private one, empty at the start and gone at the end.
//
// With namespaces (the full and userns engines) it is a tmpfs that the
// keeper mounts at /box in the new root (mounts.h; isolate's name: a path
// of its own, where no host path a job binds at its own path lands), owned
// by the program's ids, as large as Policy::workdir_kib: nothing of it ever
// reaches the host's disk, and it goes with the run's mount namespace, even
// when wbtool is killed. Its pages are the program's memory: with a cgroup
// (full isolation) they count against the memory limit; under a user
// namespace only its size bounds it, as it does the private /tmp. A job's
// bind at /box goes over it.
//
// Without namespaces (the rlimits engine) the program can only be given a
// host directory: TempWorkdir makes <TMPDIR>/wbtool-sandbox-<pid>-XXXXXX
// (0700) with "work" in it, and removes both at the end. Those that a
// SIGKILLed wbtool left are recognised by their pid, gone, and removed by
// the next run that makes one.
#pragma once

#include <filesystem>
#include <string>

namespace wb::sandbox::detail {

// Where the program of an isolated run finds its private work directory.
inline constexpr const char* private_workdir = "/box";

class TempWorkdir {
  public:
    TempWorkdir() = default;
    ~TempWorkdir() { remove(); }
    TempWorkdir(const TempWorkdir&) = delete;
    TempWorkdir& operator=(const TempWorkdir&) = delete;

    // Sweeps what killed wbtool processes left, then makes the directory;
    // "" or why it could not.
    std::string make();
    // The directory the program starts in (top/work); empty before make().
    const std::filesystem::path& work() const { return work_; }
    // Removes it and everything in it; idempotent.
    void remove() noexcept;

  private:
    std::filesystem::path top_, work_;
};

} // namespace wb::sandbox::detail
