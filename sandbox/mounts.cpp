// Mounts: the plan (parent) and the new root (keeper). See mounts.h.
#include "sandbox/mounts.h"

#include "sandbox/namespaces.h"
#include "sandbox/prepared.h"
#include "sandbox/workdir.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <mutex>

namespace wb::sandbox {

std::vector<Bind> default_system_binds() {
    std::vector<Bind> binds;
    for (const char* p :
         {"/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin", "/etc/ld.so.cache",
          "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives", "/usr/local/cuda"})
        binds.push_back(Bind{p, {}, false});
    return binds;
}

} // namespace wb::sandbox

namespace wb::sandbox::detail {

namespace {

// The host directory the new root's tmpfs is mounted on, inside the keeper's
// own mount namespace only; made once, empty, and never written to. Root
// makes it in /run. A caller that is not root (a user namespace) may not,
// and has one of its own in /tmp, /tmp/.wbtool-sandbox-root-<uid>: a
// directory it owns that no one else may write to, never a link, so that
// no other user can take the name or point it elsewhere (the sticky /tmp
// lets no one else rename or remove it). "" when there is none: the run
// then says why.
const std::string& root_mount_point() {
    static std::once_flag once;
    static std::string dir;
    std::call_once(once, [] {
        const uid_t self = geteuid();
        struct stat run {};
        const std::string path = self == 0 && stat("/run", &run) == 0 && S_ISDIR(run.st_mode)
                                     ? std::string("/run/wbtool-sandbox-root")
                                     : "/tmp/.wbtool-sandbox-root-" + std::to_string(self);
        mkdir(path.c_str(), self == 0 ? 0755 : 0700);
        struct stat st {};
        if (lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == self &&
            (st.st_mode & 022) == 0)
            dir = path;
    });
    return dir;
}

std::string normal(const std::filesystem::path& p) {
    std::string s = p.lexically_normal().string();
    while (s.size() > 1 && s.back() == '/')
        s.pop_back();
    return s;
}

std::size_t depth(const char* path) {
    return static_cast<std::size_t>(std::count(path, path + std::strlen(path), '/'));
}

// What /dev holds: these nodes, copied from the host's, and these links.
constexpr const char* dev_nodes[] = {"null", "zero", "full", "random", "urandom"};
constexpr struct {
    const char* name;
    const char* to;
} dev_links[] = {{"fd", "/proc/self/fd"},
                 {"stdin", "/proc/self/fd/0"},
                 {"stdout", "/proc/self/fd/1"},
                 {"stderr", "/proc/self/fd/2"}};

// The options of a /dev tmpfs: device nodes allowed (no MS_NODEV), nothing
// executable; tiny.
constexpr unsigned long dev_flags = MS_NOSUID | MS_NOEXEC;
constexpr const char* dev_options = "size=16k,nr_inodes=64,mode=0755";
// A root's tmpfs, and a top_dir's in a kept root: only directories and
// mount points.
constexpr const char* root_options = "size=1m,nr_inodes=4096,mode=0755";
constexpr const char* top_dir_options = root_options;

// dir/name into out (async-signal-safe); false if it does not fit.
bool join_path(char* out, std::size_t size, const char* dir, const char* name) noexcept {
    const std::size_t a = std::strlen(dir), b = std::strlen(name);
    if (a + b + 2 > size) return false;
    std::memcpy(out, dir, a);
    out[a] = '/';
    std::memcpy(out + a + 1, name, b + 1);
    return true;
}

// Whether `dir` holds a /dev as make_dev leaves one: a read-only tmpfs whose
// null is a character device. Async-signal-safe.
bool is_made_dev(const char* dir) noexcept {
    char null[4096];
    struct statfs fs {};
    struct stat st {};
    return statfs(dir, &fs) == 0 && fs.f_type == TMPFS_MAGIC && (fs.f_flags & ST_RDONLY) &&
           join_path(null, sizeof null, dir, "null") && stat(null, &st) == 0 && S_ISCHR(st.st_mode);
}

// Detaches every mount stacked at `dir`; errno is then umount2's last.
void detach_all(const char* dir) noexcept {
    while (umount2(dir, MNT_DETACH) == 0) {
    }
}

// Whether the kept /dev is there: made (is_made_dev), by root, mounted at
// kept_dev_dir (a directory of /run/wbtool, which only root may change).
bool kept_dev_ready() noexcept {
    struct stat st {};
    struct stat parent {};
    return is_made_dev(kept_dev_dir) && stat(kept_dev_dir, &st) == 0 && st.st_uid == 0 &&
           stat(prepared_dir, &parent) == 0 && st.st_dev != parent.st_dev;
}

} // namespace

int make_dev(const char* dir) noexcept {
    if (mount("tmpfs", dir, "tmpfs", dev_flags, dev_options) != 0) return errno;
    char path[4096], host[32];
    for (const char* name : dev_nodes) {
        struct stat st {};
        if (!join_path(host, sizeof host, "/dev", name) || !join_path(path, sizeof path, dir, name))
            return ENAMETOOLONG;
        if (stat(host, &st) != 0) return errno;
        if (!S_ISCHR(st.st_mode)) return ENODEV;
        if (mknod(path, S_IFCHR | 0666, st.st_rdev) != 0 || chmod(path, 0666) != 0) return errno;
    }
    for (const auto& link : dev_links) {
        if (!join_path(path, sizeof path, dir, link.name)) return ENAMETOOLONG;
        if (symlink(link.to, path) != 0) return errno;
    }
    if (mount(nullptr, dir, nullptr, MS_REMOUNT | MS_RDONLY | dev_flags, nullptr) != 0)
        return errno;
    return 0;
}

bool kept_dev() noexcept {
    if (kept_dev_ready()) return true;
    if (!prepared_dir_ready()) return false;
    PreparedLock lock;
    if (!lock.held()) return false;
    if (kept_dev_ready()) return true;
    detach_all(kept_dev_dir); // whatever is there, half made by a process that died
    if (mkdir(kept_dev_dir, 0755) != 0 && errno != EEXIST) return false;
    if (make_dev(kept_dev_dir) == 0) return true;
    detach_all(kept_dev_dir); // what was made of it
    rmdir(kept_dev_dir);
    return false;
}

std::string release_kept_dev() {
    PreparedLock lock;
    detach_all(kept_dev_dir);
    if (errno != EINVAL && errno != ENOENT)
        return "cannot unmount " + std::string(kept_dev_dir) + ": " + errno_text(errno);
    if (rmdir(kept_dev_dir) != 0 && errno != ENOENT)
        return "cannot remove " + std::string(kept_dev_dir) + ": " + errno_text(errno);
    return {};
}

const char* MountPlanner::keep(std::string s) {
    strings_.push_back(std::move(s));
    return strings_.back().c_str();
}

void MountPlanner::add(MountOp::Kind kind, std::string source, const std::string& target,
                       bool writable, bool device) {
    MountOp op;
    op.kind = kind;
    op.source = source.empty() ? nullptr : keep(std::move(source));
    op.target = keep(root_ + target);
    op.writable = writable;
    op.device = device;
    ops_.push_back(op);
}

SysResult<void> MountPlanner::add_bind(const Bind& b, bool optional, bool links) {
    if (!b.source.is_absolute())
        return sys_error("bind source '" + b.source.string() + "' is not an absolute path", EINVAL);
    const std::string source = normal(b.source);
    const std::string target = normal(b.target.empty() ? b.source : b.target);
    if (!b.target.empty() && !b.target.is_absolute())
        return sys_error("bind target '" + b.target.string() + "' is not an absolute path", EINVAL);
    if (target == "/") return sys_error("a bind cannot replace the root", EINVAL);
    struct stat st {};
    if (lstat(source.c_str(), &st) != 0) {
        int e = errno;
        if (optional && (e == ENOENT || e == ENOTDIR)) return {};
        return sys_error("cannot bind '" + source + "' into the sandbox", e);
    }
    if (S_ISLNK(st.st_mode) && links && source == target) {
        char text[4096];
        long n = readlink(source.c_str(), text, sizeof text - 1);
        if (n > 0) {
            add(MountOp::symlink, std::string(text, static_cast<std::size_t>(n)), target, false);
            return {};
        }
    }
    // What a link leads to (lstat told of the link itself).
    if (S_ISLNK(st.st_mode) && stat(source.c_str(), &st) != 0) {
        int e = errno;
        if (optional) return {};
        return sys_error("cannot bind '" + source + "' into the sandbox", e);
    }
    add(S_ISDIR(st.st_mode) ? MountOp::bind_dir : MountOp::bind_file, source, target, b.writable);
    ops_.back().source_dev = st.st_dev;
    ops_.back().source_ino = st.st_ino;
    return {};
}

SysResult<void> MountPlanner::add_node(const std::string& path) {
    struct stat st {};
    errno = 0;
    const bool dev_name = path.rfind("/dev/", 0) == 0 && path.find('/', 5) == std::string::npos;
    if (!dev_name || stat(path.c_str(), &st) != 0 || !S_ISCHR(st.st_mode)) {
        int e = errno ? errno : ENODEV;
        return sys_error(
            "cannot make " + path + " in the sandbox (not a character device /dev/NAME here)", e);
    }
    add(MountOp::node, path, path, true);
    ops_.back().rdev = st.st_rdev;
    return {};
}

SysResult<void> MountPlanner::add_dev(bool kept) {
    if (kept) {
        add(MountOp::kept_dev, kept_dev_dir, "/dev", false, true);
        struct stat st {};
        if (stat(kept_dev_dir, &st) == 0) {
            ops_.back().source_dev = st.st_dev;
            ops_.back().source_ino = st.st_ino;
        }
        return {};
    }
    add(MountOp::dev_dir, "", "/dev", false);
    for (const char* name : dev_nodes)
        if (auto r = add_node(std::string("/dev/") + name); !r) return r;
    for (const auto& link : dev_links)
        add(MountOp::symlink, link.to, std::string("/dev/") + link.name, false);
    return {};
}

bool MountPlanner::dev_kept() const {
    const std::string dev = root_ + "/dev";
    return std::any_of(ops_.begin(), ops_.end(), [&](const MountOp& op) {
        return op.kind == MountOp::kept_dev && op.target == dev;
    });
}

SysResult<void> MountPlanner::add_base(const Policy& policy) {
    for (const auto& b : policy.system_binds)
        if (auto r = add_bind(b, true, true); !r) return r;
    if (auto r = add_dev(kept_dev()); !r) return r;
    add(MountOp::proc, "", "/proc", false);
    return {};
}

void MountPlanner::copy_base(const MountPlan& base) {
    for (std::size_t i = 0; i < base.base_count; ++i) {
        MountOp op = base.ops[i];
        op.source = op.source ? keep(op.source) : nullptr;
        op.target = keep(op.target);
        ops_.push_back(op);
    }
}

SysResult<void> MountPlanner::add_job(const Policy& policy, long uid, long gid) {
    // Parents before children, so that a bind inside /tmp or inside another
    // bind lands on top.
    const std::size_t first_job_op = ops_.size();
    if (policy.workdir.empty()) {
        // A private one (workdir.h): a tmpfs of the program's, its options
        // in the op's source. First among its depth (the sort is stable), so
        // that a job's bind at /box goes over it, as later binds go over
        // earlier ones.
        const std::uint64_t kib = policy.workdir_kib ? policy.workdir_kib : 256 * 1024;
        std::string options = "size=" + std::to_string(kib) + "k,nr_inodes=16384,mode=0755";
        if (uid >= 0) options += ",uid=" + std::to_string(uid);
        if (gid >= 0) options += ",gid=" + std::to_string(gid);
        add(MountOp::tmpfs, std::move(options), private_workdir, true);
    }
    for (const auto& b : policy.binds)
        if (auto r = add_bind(b, false, false); !r) return r;
    for (const auto& d : policy.devices)
        if (auto r = add_node(d.string()); !r) return r;
    if (!policy.workdir.empty())
        if (auto r = add_bind(Bind{policy.workdir, {}, true}, false, false); !r) return r;
    // The kept /dev is the same for every run, and read-only: a run that
    // puts something into /dev (its policy's devices, a bind under /dev)
    // mounts a /dev of its own over it, first of its depth.
    const std::string dev = root_ + "/dev/";
    if (dev_kept() && std::any_of(ops_.begin() + static_cast<std::ptrdiff_t>(first_job_op),
                                  ops_.end(), [&](const MountOp& op) {
                                      return std::strncmp(op.target, dev.c_str(), dev.size()) == 0;
                                  }))
        if (auto r = add_dev(false); !r) return r;
    std::stable_sort(
        ops_.begin() + static_cast<std::ptrdiff_t>(first_job_op), ops_.end(),
        [](const MountOp& a, const MountOp& b) { return depth(a.target) < depth(b.target); });
    return {};
}

// Which targets' parents are there before their op runs: the root, or a
// directory an earlier op mounted (build_root then skips the mkdir -p, a
// failing mkdir per path component otherwise).
void MountPlanner::mark_ready_parents() {
    for (std::size_t i = 0; i < ops_.size(); ++i) {
        const std::string target = ops_[i].target;
        const std::string parent = target.substr(0, target.rfind('/'));
        bool ready = parent == root_;
        for (std::size_t j = 0; j < i && !ready; ++j) {
            const MountOp& before = ops_[j];
            ready = (before.kind == MountOp::bind_dir || before.kind == MountOp::tmpfs ||
                     before.kind == MountOp::dev_dir || before.kind == MountOp::kept_dev ||
                     before.kind == MountOp::proc || before.kind == MountOp::top_dir) &&
                    parent == before.target;
        }
        ops_[i].parent_ready = ready;
    }
}

void MountPlanner::finish_plan(const Policy& policy, long uid, long gid, std::size_t base_count) {
    const std::string user = "sandbox:x:" + std::to_string(uid) + ":" + std::to_string(gid) +
                             ":wbtool sandbox:/tmp:/sbin/nologin\n";
    plan_.root = keep(root_);
    plan_.root_length = root_.size();
    plan_.ops = ops_.data();
    plan_.count = ops_.size();
    plan_.base_count = base_count;
    plan_.etc_dir = keep(root_ + "/etc");
    plan_.passwd = keep(root_ + "/etc/passwd");
    plan_.passwd_text = keep("root:x:0:0:root:/:/sbin/nologin\n" + user);
    plan_.group = keep(root_ + "/etc/group");
    plan_.group_text = keep("root:x:0:\nsandbox:x:" + std::to_string(gid) + ":\n");
    const std::uint64_t tmp_kib = policy.tmp_kib ? policy.tmp_kib : 64 * 1024;
    plan_.tmpfs_options = keep("size=" + std::to_string(tmp_kib) + "k,nr_inodes=16384,mode=1777");
}

SysResult<void> MountPlanner::find_root() {
    root_ = root_mount_point();
    if (root_.empty())
        return sys_error("cannot use /run/wbtool-sandbox-root or /tmp/.wbtool-sandbox-root-" +
                             std::to_string(geteuid()) +
                             " for the sandbox's root: it must be a directory of this user's "
                             "that no one else may write to; remove it and run again",
                         EEXIST);
    return {};
}

namespace {

// The top directory of a path ("/a" of "/a/b"), and whether it is one
// every run mounts something of its own at (/tmp) or one whose directory
// is the kept root's (/etc, /proc, /dev: a job's binds go under /dev only
// with a /dev of the run's own, add_job): neither can be a top_dir. A kept
// root has a /box as well, for the private work directory (a job's top_dir
// otherwise).
std::string_view top_of(std::string_view path) {
    return path.substr(0, path.find('/', 1));
}
bool run_place(std::string_view top) {
    return top == "/tmp";
}
bool kept_place(std::string_view top) {
    return top == "/etc" || top == "/proc" || top == "/dev";
}
bool is_directory_mount(const MountOp& op) {
    return op.kind == MountOp::bind_dir || op.kind == MountOp::tmpfs ||
           op.kind == MountOp::dev_dir || op.kind == MountOp::top_dir;
}

} // namespace

// The job's targets, within the root, and whether each is inside a
// directory the base binds from the host (where a job's bind goes just as
// in a root built for the run), or at a top directory of the job's own.
void MountPlanner::add_top_dirs(std::size_t base_count) {
    std::vector<std::string> tops;
    for (std::size_t i = base_count; i < ops_.size(); ++i) {
        const std::string_view t(ops_[i].target + root_.size());
        const std::string_view top = top_of(t);
        if (t == top || run_place(top) || kept_place(top) || inside_base_bind(t, base_count))
            continue;
        // None where the job mounts a directory at the top itself, or the
        // base has something there.
        bool taken = mounts_directory_at(top, base_count);
        for (std::size_t j = 0; j < base_count && !taken; ++j)
            taken = std::string_view(ops_[j].target + root_.size()) == top;
        if (!taken && std::find(tops.begin(), tops.end(), top) == tops.end())
            tops.emplace_back(top);
    }
    // First among the job's operations: they are all deeper.
    std::vector<MountOp> job(ops_.begin() + static_cast<std::ptrdiff_t>(base_count), ops_.end());
    ops_.resize(base_count);
    for (const std::string& top : tops)
        add(MountOp::top_dir, "", top, false);
    ops_.insert(ops_.end(), job.begin(), job.end());
}

bool MountPlanner::mounts_directory_at(std::string_view top, std::size_t from) const {
    return std::any_of(
        ops_.begin() + static_cast<std::ptrdiff_t>(from), ops_.end(), [&](const MountOp& op) {
            return is_directory_mount(op) && std::string_view(op.target + root_.size()) == top;
        });
}

bool MountPlanner::inside_base_bind(std::string_view t, std::size_t base_count) const {
    for (std::size_t j = 0; j < base_count; ++j) {
        const std::string_view bound(ops_[j].target + root_.size());
        if (ops_[j].kind == MountOp::bind_dir && t.size() > bound.size() && t.starts_with(bound) &&
            t[bound.size()] == '/')
            return true;
    }
    return false;
}

// Whether every operation of the job (ops_[base_count, end)) has its place
// in a kept root: /tmp first; then each at /tmp or /dev (the run's own
// mounts) or under them, inside a directory the base binds from the host,
// or at or under a top directory of the job's own (a directory mounted
// there, or a top_dir).
bool MountPlanner::job_fits_kept_root(std::size_t base_count) const {
    if (base_count >= ops_.size() || ops_.size() - base_count > max_kept_root_ops ||
        ops_[base_count].kind != MountOp::tmpfs ||
        std::string_view(ops_[base_count].target + root_.size()) != "/tmp")
        return false;
    for (std::size_t i = base_count; i < ops_.size(); ++i) {
        const std::string_view t(ops_[i].target + root_.size());
        const std::string_view top = top_of(t);
        if (run_place(top)) {
            if (t == top && !is_directory_mount(ops_[i])) return false;
            continue;
        }
        if (inside_base_bind(t, base_count)) continue;
        // Under /dev only into a /dev of the run's own (the kept root's is
        // read-only); under /etc or /proc, never.
        if (!mounts_directory_at(top, base_count) || (kept_place(top) && top != "/dev"))
            return false;
    }
    return true;
}

void MountPlanner::use_kept_root(const std::string& kept) {
    plan_.kept_root = kept.empty() ? nullptr : keep(kept);
}

SysResult<void> MountPlanner::build_base(const Policy& policy) {
    if (auto r = find_root(); !r) return r;
    if (auto r = add_base(policy); !r) return r;
    mark_ready_parents();
    finish_plan(policy, -1, -1, ops_.size());
    use_kept_root(kept_root_for(plan_));
    return {};
}

SysResult<void> MountPlanner::build(const Policy& policy, long uid, long gid,
                                    const MountPlan* base) {
    if (auto r = find_root(); !r) return r;
    const bool copied = base && base->root && root_ == base->root;
    if (copied) {
        copy_base(*base);
    } else if (auto r = add_base(policy); !r) {
        return r;
    }
    const std::size_t base_count = ops_.size();
    add(MountOp::tmpfs, "", "/tmp", true);
    if (auto r = add_job(policy, uid, gid); !r) return r;
    if (geteuid() == 0) add_top_dirs(base_count + 1);
    mark_ready_parents();
    finish_plan(policy, uid, gid, base_count);
    if (job_fits_kept_root(base_count)) use_kept_root(kept_root_for(plan_));
    return {};
}

// ---- keeper side: async-signal-safe from here on ----
namespace {

// mkdir -p of `buf` (changed while it works, restored): the deepest
// directory first, so that the usual case, a parent that is already there,
// costs one call instead of one per path component.
int make_path(char* buf) noexcept {
    if (mkdir(buf, 0755) == 0 || errno == EEXIST) return 0;
    if (errno != ENOENT) return errno;
    char* slash = std::strrchr(buf, '/');
    if (!slash || slash == buf) return ENOENT;
    *slash = '\0';
    const int e = make_path(buf);
    *slash = '/';
    if (e) return e;
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) return errno;
    return 0;
}

// mkdir -p of every directory above `path`.
int make_parents(const char* path) noexcept {
    char buf[4096];
    std::size_t n = std::strlen(path);
    if (n >= sizeof buf) return ENAMETOOLONG;
    std::memcpy(buf, path, n + 1);
    char* slash = std::strrchr(buf, '/');
    if (!slash || slash == buf) return 0;
    *slash = '\0';
    return make_path(buf);
}

// `parent_ready`: the planner knows the parent is there (MountOp).
int make_dir(const char* path, bool parent_ready) noexcept {
    if (int e = parent_ready ? 0 : make_parents(path)) return e;
    if (mkdir(path, 0755) != 0 && errno != EEXIST) return errno;
    return 0;
}

int make_file(const char* path, bool parent_ready) noexcept {
    if (int e = parent_ready ? 0 : make_parents(path)) return e;
    int fd = ::open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return errno == EEXIST ? 0 : errno;
    ::close(fd);
    return 0;
}

int write_text(const char* path, const char* text) noexcept {
    int fd = ::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return errno;
    std::size_t left = std::strlen(text);
    while (left > 0) {
        long n = write(fd, text, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int e = errno;
            ::close(fd);
            return e ? e : EIO;
        }
        text += n;
        left -= static_cast<std::size_t>(n);
    }
    ::close(fd);
    return 0;
}

// Makes the bind at `target` read-only (unless writable), nosuid and nodev
// (unless a device), keeping what the mount it came from has locked: in a
// user namespace the kernel refuses a remount that would clear the
// read-only, nosuid, nodev or noexec flag of a host mount (EPERM), and as
// root keeping them is only right.
int remount_bind(const char* target, unsigned long flags) noexcept {
    struct statfs fs {};
    if (statfs(target, &fs) != 0) return errno;
    constexpr long flags_valid = 0x0020; // ST_VALID: f_flags is filled in (Linux 2.6.36)
    if (fs.f_flags & flags_valid) {
        if (fs.f_flags & ST_RDONLY) flags |= MS_RDONLY;
        if (fs.f_flags & ST_NODEV) flags |= MS_NODEV;
        if (fs.f_flags & ST_NOEXEC) flags |= MS_NOEXEC;
    }
    if (mount(nullptr, target, nullptr, MS_REMOUNT | MS_BIND | MS_NOSUID | flags, nullptr) != 0)
        return errno;
    return 0;
}

// Binds `op`'s source at its target: from `source_fd` (open_sources) if
// there is one, else by the source's path. Either follows a link at the
// target, as mount(2) does.
int bind_source(const MountOp& op, int source_fd) noexcept {
    if (source_fd >= 0)
        return move_mount(source_fd, "", AT_FDCWD, op.target,
                          MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_SYMLINKS) == 0
                   ? 0
                   : errno;
    return mount(op.source, op.target, nullptr, MS_BIND, nullptr) == 0 ? 0 : errno;
}

int apply(const MountOp& op, const char* tmpfs_options, int source_fd = -1) noexcept {
    switch (op.kind) {
    case MountOp::symlink:
        if (int e = op.parent_ready ? 0 : make_parents(op.target)) return e;
        if (::symlink(op.source, op.target) != 0 && errno != EEXIST) return errno;
        return 0;
    case MountOp::proc:
        if (int e = make_dir(op.target, op.parent_ready)) return e;
        if (mount("proc", op.target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2") != 0)
            return errno;
        return 0;
    case MountOp::dev_dir:
        if (int e = make_dir(op.target, op.parent_ready)) return e;
        if (mount("tmpfs", op.target, "tmpfs", dev_flags, dev_options) != 0) return errno;
        return 0;
    case MountOp::kept_dev: {
        // The kept /dev, bound (read-only, nosuid, noexec: its own flags,
        // kept by remount_bind). Released since the run was planned, or not
        // what it was: one made here instead.
        if (int e = make_dir(op.target, op.parent_ready)) return e;
        if (mount(op.source, op.target, nullptr, MS_BIND, nullptr) == 0) {
            if (is_made_dev(op.target)) return remount_bind(op.target, MS_NOEXEC);
            if (umount2(op.target, MNT_DETACH) != 0) return errno;
        }
        return make_dev(op.target);
    }
    case MountOp::node:
        if (mknod(op.target, S_IFCHR | 0666, static_cast<dev_t>(op.rdev)) == 0)
            return chmod(op.target, 0666) == 0 ? 0 : errno; // whatever the umask
        if (errno != EPERM && errno != EACCES) return errno;
        // No CAP_MKNOD (a container may take it away): the host's node, bound.
        if (int e = make_file(op.target, op.parent_ready)) return e;
        if (int e = bind_source(op, source_fd)) return e;
        return remount_bind(op.target, MS_NOEXEC);
    case MountOp::top_dir:
        if (int e = make_dir(op.target, op.parent_ready)) return e;
        if (mount("tmpfs", op.target, "tmpfs", MS_NOSUID | MS_NODEV, top_dir_options) != 0)
            return errno;
        return 0;
    case MountOp::tmpfs:
        if (int e = make_dir(op.target, op.parent_ready)) return e;
        if (mount("tmpfs", op.target, "tmpfs", MS_NOSUID | MS_NODEV,
                  op.source ? op.source : tmpfs_options) != 0)
            return errno;
        return 0;
    case MountOp::bind_dir:
    case MountOp::bind_file: {
        if (int e = op.kind == MountOp::bind_dir ? make_dir(op.target, op.parent_ready)
                                                 : make_file(op.target, op.parent_ready))
            return e;
        const unsigned long flags = (op.writable ? 0 : MS_RDONLY) | (op.device ? 0 : MS_NODEV);
        const int e = bind_source(op, source_fd);
        if (e == 0) return remount_bind(op.target, flags);
        if (e != EINVAL || source_fd >= 0) return e;
        // In a user namespace the host's mounts under the source are locked
        // to it, and a bind without them is refused: bound with them, then
        // every one of them read-only (unless writable), nosuid and nodev
        // (unless a device), in one call (Linux 5.12), which only adds.
        if (mount(op.source, op.target, nullptr, MS_BIND | MS_REC, nullptr) != 0) return errno;
        mount_attr attr{};
        attr.attr_set = MOUNT_ATTR_NOSUID | (op.writable ? 0 : MOUNT_ATTR_RDONLY) |
                        (op.device ? 0 : MOUNT_ATTR_NODEV);
        if (mount_setattr(AT_FDCWD, op.target, AT_RECURSIVE, &attr, sizeof attr) != 0) return errno;
        return 0;
    }
    }
    return EINVAL;
}

// Applies ops[from, to); in a kept root (`in_root`), each at its target
// within the root, which the keeper is in, its source from
// sources[i - base_count] (open_sources) if that is one.
int apply_ops(const MountPlan& plan, std::size_t from, std::size_t to, int* failed_op,
              bool in_root = false, const int* sources = nullptr) noexcept {
    for (std::size_t i = from; i < to && i < plan.count; ++i) {
        MountOp op = plan.ops[i];
        if (in_root) op.target += plan.root_length;
        const int source = sources && i >= plan.base_count ? sources[i - plan.base_count] : -1;
        // A top_dir is a tmpfs of its own in a kept root only.
        if (int e = op.kind == MountOp::top_dir && !in_root
                        ? make_dir(op.target, op.parent_ready)
                        : apply(op, plan.tmpfs_options, source)) {
            *failed_op = static_cast<int>(i);
            return e;
        }
    }
    return 0;
}

// Every /dev of the run's own (ops[from, count)) read-only, once its nodes
// and links are there; in a kept root, every top_dir too.
int seal(const MountPlan& plan, std::size_t from, int* failed_op, bool in_root) noexcept {
    for (std::size_t i = from; i < plan.count; ++i) {
        const MountOp& op = plan.ops[i];
        const unsigned long flags = op.kind == MountOp::dev_dir              ? MS_NOSUID | MS_NOEXEC
                                    : op.kind == MountOp::top_dir && in_root ? MS_NOSUID | MS_NODEV
                                                                             : 0;
        if (flags && mount(nullptr, op.target + (in_root ? plan.root_length : 0), nullptr,
                           MS_REMOUNT | MS_RDONLY | flags, nullptr) != 0) {
            *failed_op = static_cast<int>(i);
            return errno;
        }
    }
    return 0;
}

// The root read-only and entered: pivot_root(".", ".") stacks the old root
// on the new one, and the lazy unmount takes it away.
int enter_root(const MountPlan& plan) noexcept {
    if (mount(nullptr, plan.root, nullptr, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
              nullptr) != 0)
        return errno;
    if (chdir(plan.root) != 0) return errno;
    if (syscall(SYS_pivot_root, ".", ".") != 0) return errno;
    if (umount2(".", MNT_DETACH) != 0) return errno;
    if (chdir("/") != 0) return errno;
    return 0;
}

// Whether `op` mounts something of the host's (a bind; a node, bound where
// it cannot be made).
bool has_source(const MountOp& op) noexcept {
    return op.kind == MountOp::bind_dir || op.kind == MountOp::bind_file ||
           op.kind == MountOp::node;
}

// For a keeper in a copy of a kept root, where the host's paths are not to
// be seen: a detached, private copy (open_tree) of the source of each of
// the job's operations that has one (has_source) into
// sources[i - base_count], taken in the host's mount namespace `host_ns`;
// then back into the copy.
// Returns 0 or an errno; on an error after leaving the copy, the keeper may
// be in the host's namespace and must not mount anything.
int open_sources(const MountPlan& plan, int host_ns, int* sources, int* failed_op) noexcept {
    bool any = false;
    for (std::size_t i = plan.base_count; i < plan.count; ++i)
        any = any || has_source(plan.ops[i]);
    if (!any) return 0;
    const int here = ::open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    if (here < 0) return errno;
    int e = setns(host_ns, CLONE_NEWNS) == 0 ? 0 : errno;
    for (std::size_t i = plan.base_count; i < plan.count && !e; ++i) {
        if (!has_source(plan.ops[i])) continue;
        const int fd = open_tree(AT_FDCWD, plan.ops[i].source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        sources[i - plan.base_count] = fd;
        // A copy of a shared mount is a peer of it: made private, or what is
        // mounted on it in the sandbox would appear on the host (and in
        // other sandboxes), and the host's mounts in it. The root built for
        // a run is private from its start (prepare_root).
        mount_attr attr{};
        attr.propagation = MS_PRIVATE;
        if (fd < 0 || mount_setattr(fd, "", AT_EMPTY_PATH, &attr, sizeof attr) != 0) {
            e = errno;
            *failed_op = static_cast<int>(i);
        }
    }
    if (setns(here, CLONE_NEWNS) != 0 && !e) e = errno;
    ::close(here);
    return e;
}

// `text` as the file `target` of a kept root, read-only: written to
// `scratch` (in the run's /tmp, still empty), bound over the kept root's
// empty file, and unlinked again.
int bind_text(const char* scratch, const char* target, const char* text) noexcept {
    if (int e = write_text(scratch, text)) return e;
    int e = mount(scratch, target, nullptr, MS_BIND, nullptr) == 0
                ? remount_bind(target, MS_RDONLY | MS_NODEV | MS_NOEXEC)
                : errno;
    if (unlink(scratch) != 0 && !e) e = errno;
    return e;
}

// Whether the job's operation `op` needs a directory at the top of a kept
// root (a top_dir, a directory mounted at the top): part of its key.
bool is_kept_top(const MountPlan& plan, const MountOp& op) noexcept {
    const char* t = op.target + plan.root_length;
    return std::strchr(t + 1, '/') == nullptr && is_directory_mount(op) && !run_place(t) &&
           !kept_place(t) && t != std::string_view(private_workdir);
}

// A kept root (kept_root_for), made in the new mount namespace of the
// process that keeps it: the root's tmpfs, the base without /proc (each
// run mounts its own), the places every run mounts something on (/proc,
// /tmp, /box, /etc/passwd, /etc/group), read-only, entered.
int build_kept_root(const void* arg) noexcept {
    const MountPlan& plan = *static_cast<const MountPlan*>(arg);
    int failed_op = -1;
    if (int e = prepare_root(plan, 0, &failed_op)) return e;
    for (std::size_t i = 0; i < plan.base_count; ++i) {
        const MountOp& op = plan.ops[i];
        if (int e = op.kind == MountOp::proc ? make_dir(op.target, op.parent_ready)
                                             : apply(op, plan.tmpfs_options))
            return e;
        // What was bound is what the key says (a file replaced since the
        // plan was made would be kept under the old one's key).
        struct stat st {};
        if ((op.kind == MountOp::bind_dir || op.kind == MountOp::bind_file) &&
            (stat(op.target, &st) != 0 || st.st_dev != op.source_dev || st.st_ino != op.source_ino))
            return ESTALE;
    }
    if (int e = seal(plan, 0, &failed_op, false)) return e;
    char path[4096];
    for (const char* dir : {"tmp", private_workdir + 1}) {
        if (!join_path(path, sizeof path, plan.root, dir)) return ENAMETOOLONG;
        if (int e = make_dir(path, true)) return e;
    }
    for (std::size_t i = plan.base_count; i < plan.count; ++i)
        if (is_kept_top(plan, plan.ops[i]))
            if (int e = make_dir(plan.ops[i].target, true)) return e;
    if (int e = make_dir(plan.etc_dir, true)) return e;
    if (int e = make_file(plan.passwd, true)) return e;
    if (int e = make_file(plan.group, true)) return e;
    return enter_root(plan);
}

bool is_namespace(const char* path) noexcept {
    constexpr long nsfs_magic = 0x6e736673;
    struct statfs fs {};
    return statfs(path, &fs) == 0 && static_cast<long>(fs.f_type) == nsfs_magic;
}

} // namespace

bool same_text(const char* a, const char* b) noexcept {
    return a == b || (a && b && std::strcmp(a, b) == 0);
}

bool same_base(const MountPlan& a, const MountPlan& b) noexcept {
    if (!same_text(a.root, b.root) || a.base_count != b.base_count) return false;
    for (std::size_t i = 0; i < a.base_count; ++i) {
        const MountOp &x = a.ops[i], &y = b.ops[i];
        if (x.kind != y.kind || !same_text(x.source, y.source) || !same_text(x.target, y.target) ||
            x.writable != y.writable || x.device != y.device || x.rdev != y.rdev ||
            x.parent_ready != y.parent_ready)
            return false;
    }
    return true;
}

int prepare_root(const MountPlan& plan, std::size_t upto, int* failed_op) noexcept {
    *failed_op = -1;
    // Nothing mounted from here on may propagate to the host.
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return errno;
    if (mount("tmpfs", plan.root, "tmpfs", MS_NOSUID | MS_NODEV, root_options) != 0) return errno;
    return apply_ops(plan, 0, upto, failed_op);
}

int build_root(const MountPlan& plan, int* failed_op) noexcept {
    if (int e = prepare_root(plan, 0, failed_op)) return e;
    return finish_root(plan, 0, failed_op);
}

int finish_root(const MountPlan& plan, std::size_t from, int* failed_op) noexcept {
    *failed_op = -1;
    if (int e = apply_ops(plan, from, plan.count, failed_op)) return e;
    if (int e = seal(plan, 0, failed_op, false)) return e;
    if (mkdir(plan.etc_dir, 0755) != 0 && errno != EEXIST) return errno;
    if (int e = write_text(plan.passwd, plan.passwd_text)) return e;
    if (int e = write_text(plan.group, plan.group_text)) return e;
    return enter_root(plan);
}

int join_kept_root(const MountPlan& plan, int* failed_op) noexcept {
    *failed_op = -1;
    const int fd = ::open(plan.kept_root, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return errno;
    const int e = setns(fd, CLONE_NEWNS) == 0 ? 0 : errno;
    ::close(fd);
    if (e) return e;
    if (unshare(CLONE_NEWNS) != 0 || chdir("/") != 0) return errno;
    for (std::size_t i = 0; i < plan.base_count; ++i)
        if (plan.ops[i].kind == MountOp::proc)
            if (int e2 = apply_ops(plan, i, i + 1, failed_op, true)) return e2;
    return 0;
}

namespace {

int finish_in_kept_root(const MountPlan& plan, const int* sources, int* failed_op) noexcept {
    const std::size_t tmp = plan.base_count;
    if (int e = apply_ops(plan, tmp, tmp + 1, failed_op, true)) return e;
    if (int e = bind_text("/tmp/.wbtool-passwd", plan.passwd + plan.root_length, plan.passwd_text))
        return e;
    if (int e = bind_text("/tmp/.wbtool-group", plan.group + plan.root_length, plan.group_text))
        return e;
    if (int e = apply_ops(plan, tmp + 1, plan.count, failed_op, true, sources)) return e;
    if (int e = seal(plan, tmp, failed_op, true)) return e;
    return chdir("/") == 0 ? 0 : errno;
}

} // namespace

int finish_kept_root(const MountPlan& plan, int host_ns, int* failed_op) noexcept {
    *failed_op = -1;
    const std::size_t tmp = plan.base_count; // /tmp: MountPlanner::job_fits_kept_root
    if (plan.count <= tmp || plan.count - tmp > max_kept_root_ops) return E2BIG;
    int sources[max_kept_root_ops];
    for (std::size_t i = 0; i < plan.count - tmp; ++i)
        sources[i] = -1;
    int e = open_sources(plan, host_ns, sources, failed_op);
    if (!e) e = finish_in_kept_root(plan, sources, failed_op);
    for (std::size_t i = 0; i < plan.count - tmp; ++i)
        if (sources[i] >= 0) ::close(sources[i]);
    return e;
}

namespace {

// How many kept roots there may be at once. Each is a mount of the host's
// and holds what it binds (a replaced ld.so.cache, an unmounted file
// system); one is made per base and set of top directories, and again per
// file replaced under it. A new one past this many removes the others
// first (keepers that joined one keep their copies).
constexpr int max_kept_roots = 16;

// Makes kept_roots_dir a mount of its own, private: the kernel refuses to
// bind a mount namespace onto a shared mount that has peers or slaves
// (systemd makes /run shared, and its services get slave copies of it),
// since propagation would copy it. An empty directory, bound onto itself
// the first time, then private.
bool kept_roots_dir_private() noexcept {
    if (mkdir(kept_roots_dir, 0700) != 0 && errno != EEXIST) return false;
    struct statx st {};
    if (statx(AT_FDCWD, kept_roots_dir, AT_SYMLINK_NOFOLLOW, 0, &st) != 0) return false;
    if (!S_ISDIR(st.stx_mode)) return false;
    const bool mount_root = (st.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
                            (st.stx_attributes & STATX_ATTR_MOUNT_ROOT);
    if (!mount_root && mount(kept_roots_dir, kept_roots_dir, nullptr, MS_BIND, nullptr) != 0)
        return false;
    return mount(nullptr, kept_roots_dir, nullptr, MS_PRIVATE, nullptr) == 0;
}

// The kept roots there are now.
int count_kept_roots() noexcept {
    int n = 0;
    if (DIR* d = opendir(kept_roots_dir)) {
        while (dirent* e = readdir(d)) {
            char path[512];
            n += std::strncmp(e->d_name, "root-", 5) == 0 &&
                 join_path(path, sizeof path, kept_roots_dir, e->d_name) && is_namespace(path);
        }
        closedir(d);
    }
    return n;
}

// Every kept root, and the failures remembered; "" or the first problem.
std::string remove_kept_roots() {
    return remove_prepared("root-", true, kept_roots_dir);
}

// The kept root `path` for `plan`, made under the prepared lock; false with
// errno if it could not be.
bool make_kept_root(const MountPlan& plan, const std::string& path) {
    if (!kept_roots_dir_private()) return false;
    if (count_kept_roots() >= max_kept_roots) remove_kept_roots();
    // The kernel binds a mount namespace's file only into a namespace with
    // a smaller id (its check against loops), and ids are not handed out in
    // the order namespaces are made: on 6.18 a new holder's namespace had a
    // smaller id than this process's own, now and then (EINVAL), and one
    // made on another CPU did not. So a holder as things are, then one made
    // on each CPU in turn, until one is kept; a test makes 18 in a row.
    cpu_set_t allowed;
    const bool pinnable = sched_getaffinity(0, sizeof allowed, &allowed) == 0;
    bool kept = false;
    int e = 0;
    for (int cpu = -1; cpu < CPU_SETSIZE && !kept; ++cpu) {
        if (cpu >= 0) {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            if (!pinnable || !CPU_ISSET(cpu, &allowed) ||
                sched_setaffinity(0, sizeof one, &one) != 0)
                continue;
        }
        const pid_t pid = ns_holder(CLONE_NEWNS, build_kept_root, &plan);
        if (pid < 0) {
            e = errno;
            break;
        }
        kept = keep_namespace(pid, "mnt", path.c_str());
        e = errno;
        end_holder(pid);
        if (!kept && e != EINVAL) break;
    }
    if (pinnable) sched_setaffinity(0, sizeof allowed, &allowed);
    if (!kept) unlink(path.c_str()); // the empty file it was to be bound on
    errno = e;
    return kept;
}

} // namespace

std::string kept_root_for(const MountPlan& plan) {
    if (geteuid() != 0 || !plan.root) return {};
    PreparedKey key;
    key.mix("kept root 1"); // its layout (build_kept_root): bump it when that changes
    for (std::size_t i = 0; i < plan.base_count; ++i) {
        const MountOp& op = plan.ops[i];
        key.mix(std::to_string(op.kind) + " " + std::to_string(op.writable) +
                std::to_string(op.device) + " " + std::to_string(op.rdev) + " " +
                std::to_string(op.source_dev) + ":" + std::to_string(op.source_ino));
        key.mix(op.source ? op.source : "");
        key.mix(op.target + plan.root_length);
    }
    for (std::size_t i = plan.base_count; i < plan.count; ++i)
        if (is_kept_top(plan, plan.ops[i])) key.mix(plan.ops[i].target + plan.root_length);
    std::string path = key.path("roots/root-");
    if (is_namespace(path.c_str())) return path;
    // One that could not be made is not tried again by every run: a root
    // is built for it, as without (release_prepared forgets the failure).
    const std::string failed = path + ".failed";
    struct stat st {};
    if (lstat(failed.c_str(), &st) == 0) return {};
    PreparedLock lock;
    if (!lock.held()) return {};
    if (is_namespace(path.c_str())) return path; // made meanwhile
    if (make_kept_root(plan, path)) return path;
    if (errno != ESTALE) { // a bind's source replaced meanwhile: the next key differs
        const int fd = ::open(failed.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd >= 0) ::close(fd);
    }
    return {};
}

std::string release_kept_roots() {
    PreparedLock lock;
    std::string problem = remove_kept_roots();
    // The directory's own mount, and the directory.
    detach_all(kept_roots_dir);
    if (rmdir(kept_roots_dir) != 0 && errno != ENOENT && problem.empty())
        problem = "cannot remove " + std::string(kept_roots_dir) + ": " + errno_text(errno);
    return problem;
}

} // namespace wb::sandbox::detail
