// Mounts: the filesystem the program sees, built from binds and entered with
// pivot_root.
//
// Parent side (plan_mounts): every bind is resolved and checked before
// anything is forked, so that a missing input file is a message, and the
// plan is laid out as plain C strings (the keeper may not allocate).
// Keeper side (build_root): in the keeper's new mount namespace, with every
// mount made private first so that nothing propagates back to the host:
//
//   a small tmpfs at a fixed host directory becomes the new root; into it go
//   the toolchain binds (read-only, nosuid), /dev with only null, zero, full,
//   random and urandom and the fd links (a tiny tmpfs made once per boot and
//   bound read-only: kept_dev below; a run whose policy adds devices, or
//   that cannot have it, makes one of its own), a fresh /proc (hidepid=2: the
//   program sees its own processes only), a size-limited tmpfs at /tmp, the
//   job's binds (inputs and the executable read-only, the work directory
//   writable), each at its own path, parents before children; a generated
//   /etc/passwd and /etc/group that know only root and the sandbox user.
//   Then the root tmpfs is made read-only, pivot_root(".", ".") stacks the
//   old root under the new one, and a lazy unmount detaches it: nothing else
//   of the host is reachable.
//
// Everything is undone by the kernel when the last process of the mount
// namespace (the keeper) exits: there is nothing to unmount on the host.
//
// As root, most runs get the same root without building it: a kept root
// (below) holds everything but the run's own mounts, read-only, and the
// keeper mounts those into a copy of it.
//
// The first operations of a plan (the toolchain binds, /dev, /proc: its
// base) depend only on the policy's system binds, not on the job; a keeper
// made ahead (spares.h) applies them before its run is known
// (prepare_root), and the rest once it is (finish_root).
#pragma once

#include "sandbox/policy.h"
#include "sandbox/syscall_result.h"

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace wb::sandbox::detail {

struct MountOp {
    // top_dir: a directory at the top of the root that the job's binds go
    // into (their parents made in it). In a root built for the run it is a
    // directory of the root's tmpfs; in a kept root, whose tmpfs is shared
    // and read-only, it is a tmpfs of the run's own like the root's, made
    // read-only once they are in.
    enum Kind : int { bind_dir, bind_file, symlink, tmpfs, proc, dev_dir, node, kept_dev, top_dir };
    Kind kind = bind_dir;
    const char* source = nullptr; // bind: the host path; symlink: the link's text;
                                  // node: the host device it copies; tmpfs: its
                                  // options (nullptr: MountPlan::tmpfs_options)
    const char* target = nullptr; // the full path under the new root's mount point
    bool writable = false;
    bool device = false;       // a bind of a /dev node: keeps device access
    unsigned long rdev = 0;    // node: its device number
    bool parent_ready = false; // the target's directory exists before this op
    // A bind's source as planned (its device and inode): a kept root
    // (kept_root_for) holds what they were when it was made.
    unsigned long source_dev = 0, source_ino = 0;
};

// Plain data for the keeper. The strings live in MountPlanner.
struct MountPlan {
    const char* root = nullptr; // where the new root's tmpfs is mounted
    const MountOp* ops = nullptr;
    std::size_t count = 0;
    std::size_t base_count = 0;    // ops[0, base_count): the base, the same for every job
    const char* etc_dir = nullptr; // <root>/etc
    const char* passwd = nullptr;  // <root>/etc/passwd and its text
    const char* passwd_text = nullptr;
    const char* group = nullptr;
    const char* group_text = nullptr;
    const char* tmpfs_options = nullptr; // for /tmp: "size=...,mode=1777"
    // The kept root of this plan (kept_root_for), which the keeper joins
    // instead of building the base, and which every operation of the job
    // fits into; nullptr: the root is built as above.
    const char* kept_root = nullptr;
    std::size_t root_length = 0; // of `root`: in a kept root, targets start after it
};

class MountPlanner {
  public:
    // Resolves the binds of `policy` (plus the work directory, writable) for
    // a program running as uid:gid. An error names the bind at fault.
    // `base`: a plan resolved for the same system binds (a keeper made
    // ahead has it: spares.h), whose base is taken as it is instead of
    // being resolved again.
    SysResult<void> build(const Policy& policy, long uid, long gid,
                          const MountPlan* base = nullptr);
    // The base alone (the first base_count operations of build()'s plan),
    // for a keeper started before its run is planned (spares.h).
    SysResult<void> build_base(const Policy& policy);
    const MountPlan& plan() const { return plan_; }

  private:
    // The root's mount point (root_), or why there is none.
    SysResult<void> find_root();
    const char* keep(std::string s);
    void add(MountOp::Kind kind, std::string source, const std::string& target, bool writable,
             bool device = false);
    // One bind; an `optional` one whose source is missing is left out, and
    // with `links` a symbolic link bound onto itself is made as a link.
    SysResult<void> add_bind(const Bind& b, bool optional, bool links);
    // The host's character device `path` (/dev/NAME), made at the same path.
    SysResult<void> add_node(const std::string& path);
    // /dev: the kept one bound read-only (kept_dev), or a tmpfs of the run's
    // own with the nodes and links.
    SysResult<void> add_dev(bool kept);
    // Whether the plan binds the kept /dev.
    bool dev_kept() const;
    // The base every run of a policy shares: the system binds, /dev, /proc.
    SysResult<void> add_base(const Policy& policy);
    void copy_base(const MountPlan& base);
    // The job's binds and the work directory, parents before children.
    SysResult<void> add_job(const Policy& policy, long uid, long gid);
    void mark_ready_parents();
    // The top directories (MountOp::top_dir) of a job that a kept root
    // can hold, for a caller that may have one (root).
    void add_top_dirs(std::size_t base_count);
    bool job_fits_kept_root(std::size_t base_count) const;
    bool inside_base_bind(std::string_view target, std::size_t base_count) const;
    // Whether ops_[from, end) mount a directory at `top`.
    bool mounts_directory_at(std::string_view top, std::size_t from) const;
    void use_kept_root(const std::string& kept);
    void finish_plan(const Policy& policy, long uid, long gid, std::size_t base_count);

    std::deque<std::string> strings_; // stable addresses
    std::vector<MountOp> ops_;
    MountPlan plan_;
    std::string root_;
};

// The sandbox's /dev, kept: a tiny tmpfs with null, zero, full, random,
// urandom and the fd, stdin, stdout and stderr links, made once per boot in
// /run/wbtool (prepared.h) and then read-only, which every root binds at
// /dev (read-only, nosuid, noexec). A tmpfs and nine nodes and links made
// and torn down again in every run cost 0.04 ms of it; a bind costs one
// mount. A run whose policy adds devices mounts a /dev of its own over it.
// Where it cannot be had (not root, /run/wbtool not root's), runs make
// their own as before.
inline constexpr const char* kept_dev_dir = "/run/wbtool/dev-1"; // "-1": its layout
// Whether it is there, made now if it was not (under the prepared lock).
bool kept_dev() noexcept;
// A /dev like it at the directory `dir`: a tmpfs with the nodes (the host's
// device numbers) and links, then read-only. 0 or an errno; what failed is
// left mounted. Async-signal-safe: a keeper whose kept /dev was released
// since its run was planned makes one with it.
int make_dev(const char* dir) noexcept;
// Unmounts and removes it (release_prepared); "" or what failed.
std::string release_kept_dev();

// The kept root: the base of a root (the toolchain binds and /dev) and the
// places runs mount something on (/proc, /tmp, /box, empty /etc/passwd and
// /etc/group, and the top directories of the job's binds: /home of
// /home/u/input), built once into a mount namespace of its own, read-only,
// entered, and kept as /run/wbtool/roots/root-<key>, an nsfs bind like the
// shared network namespace's (roots is a private mount: the kernel binds no
// mount namespace onto a shared one). <key> hashes the base's operations, the device and
// inode of every bind's source as planned, and those top directories: a
// file replaced on the host (ldconfig renames a new ld.so.cache over the
// old), or a mount at a source's place, gives another key and another kept
// root.
//
// A keeper joins a private copy of it (setns, then unshare: the kernel
// copies its dozen mounts) and mounts /proc, /tmp, the job's binds (their
// sources taken in the host's namespace: open_tree), a read-only tmpfs at
// each top directory that holds binds deeper down (MountOp::top_dir), and
// the run's /etc/passwd and /etc/group; instead of copying the host's whole
// mount table, binding the base, and pivoting out of the host's and
// detaching it. The sources' copies are made private before they are
// attached, as the built root's binds are (a copy of a shared mount would
// join its peer group, and what the run mounts on it would appear on the
// host). A job with a bind that has no place in it (a new entry in /etc, a
// file at the top, anything under a read-only kept /dev) gets its root
// built as before; so do runs that are not root's.
//
// kept_root_for: its path for `plan` (its base, and the top directories of
// its job), made now if it is not there (under the prepared lock), or ""
// where there can be none. One that could not be made is remembered
// (root-<key>.failed) and not tried again; past 16 kept roots, a new one
// removes the others. release_kept_roots (release_prepared) removes them
// all and forgets the failures; keepers that joined one keep their copies.
inline constexpr const char* kept_roots_dir = "/run/wbtool/roots"; // a private mount
std::string kept_root_for(const MountPlan& plan);
std::string release_kept_roots();

// Whether two texts (either may be null) are the same.
bool same_text(const char* a, const char* b) noexcept;

// Whether two plans have the same root and the same base (operation for
// operation), so that a keeper that prepared one may finish the other.
bool same_base(const MountPlan& a, const MountPlan& b) noexcept;

// Keeper side, in its new mount namespace. prepare_root makes every mount
// private, mounts the root's tmpfs and applies ops[0, upto); finish_root
// applies ops[from, count), makes /dev and the root read-only, writes
// /etc/passwd and /etc/group, and enters the root. build_root is both, all
// the plan's operations. Each returns 0, or an errno with the index of the
// failed operation in *failed_op (-1: the root itself).
int prepare_root(const MountPlan& plan, std::size_t upto, int* failed_op) noexcept;
int finish_root(const MountPlan& plan, std::size_t from, int* failed_op) noexcept;
int build_root(const MountPlan& plan, int* failed_op) noexcept;
// Keeper side, for a plan with a kept root: join_kept_root leaves the
// keeper's mount namespace for a private copy of the kept root (setns, then
// unshare) and mounts /proc; finish_kept_root mounts the rest of the plan
// (ops[base_count, count)) into it. Errors as above; after
// a failed join the keeper may be anywhere between its own namespace and
// the kept root itself, and must leave it before it mounts anything else.
// Binds take their sources from the host's mount namespace, `host_ns` (the
// keeper's, as it was cloned), where the paths are the host's.
inline constexpr std::size_t max_kept_root_ops = 256; // else the root is built
int join_kept_root(const MountPlan& plan, int* failed_op) noexcept;
int finish_kept_root(const MountPlan& plan, int host_ns, int* failed_op) noexcept;

} // namespace wb::sandbox::detail
