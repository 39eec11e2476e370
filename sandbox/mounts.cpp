// Mounts: the plan (parent) and the new root (keeper). See mounts.h.
#include "sandbox/mounts.h"

#include "sandbox/prepared.h"
#include "sandbox/workdir.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
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
    if (stat(source.c_str(), &st) != 0) {
        int e = errno;
        if (optional) return {};
        return sys_error("cannot bind '" + source + "' into the sandbox", e);
    }
    add(S_ISDIR(st.st_mode) ? MountOp::bind_dir : MountOp::bind_file, source, target, b.writable);
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
                     before.kind == MountOp::proc) &&
                    parent == before.target;
        }
        ops_[i].parent_ready = ready;
    }
}

void MountPlanner::finish_plan(const Policy& policy, long uid, long gid, std::size_t base_count) {
    const std::string user = "sandbox:x:" + std::to_string(uid) + ":" + std::to_string(gid) +
                             ":wbtool sandbox:/tmp:/sbin/nologin\n";
    plan_.root = keep(root_);
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

SysResult<void> MountPlanner::build_base(const Policy& policy) {
    if (auto r = find_root(); !r) return r;
    if (auto r = add_base(policy); !r) return r;
    mark_ready_parents();
    finish_plan(policy, -1, -1, ops_.size());
    return {};
}

SysResult<void> MountPlanner::build(const Policy& policy, long uid, long gid,
                                    const MountPlan* base) {
    if (auto r = find_root(); !r) return r;
    if (base && base->root && root_ == base->root) {
        copy_base(*base);
    } else if (auto r = add_base(policy); !r) {
        return r;
    }
    const std::size_t base_count = ops_.size();
    add(MountOp::tmpfs, "", "/tmp", true);
    if (auto r = add_job(policy, uid, gid); !r) return r;
    mark_ready_parents();
    finish_plan(policy, uid, gid, base_count);
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

int apply(const MountOp& op, const char* tmpfs_options) noexcept {
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
        if (mount(op.source, op.target, nullptr, MS_BIND, nullptr) != 0) return errno;
        return remount_bind(op.target, MS_NOEXEC);
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
        if (mount(op.source, op.target, nullptr, MS_BIND, nullptr) == 0)
            return remount_bind(op.target, flags);
        if (errno != EINVAL) return errno;
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

bool same_text(const char* a, const char* b) noexcept {
    return a == b || (a && b && std::strcmp(a, b) == 0);
}

int apply_ops(const MountPlan& plan, std::size_t from, std::size_t to, int* failed_op) noexcept {
    for (std::size_t i = from; i < to && i < plan.count; ++i)
        if (int e = apply(plan.ops[i], plan.tmpfs_options)) {
            *failed_op = static_cast<int>(i);
            return e;
        }
    return 0;
}

} // namespace

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
    if (mount("tmpfs", plan.root, "tmpfs", MS_NOSUID | MS_NODEV,
              "size=1m,nr_inodes=4096,mode=0755") != 0)
        return errno;
    return apply_ops(plan, 0, upto, failed_op);
}

int build_root(const MountPlan& plan, int* failed_op) noexcept {
    if (int e = prepare_root(plan, 0, failed_op)) return e;
    return finish_root(plan, 0, failed_op);
}

int finish_root(const MountPlan& plan, std::size_t from, int* failed_op) noexcept {
    *failed_op = -1;
    if (int e = apply_ops(plan, from, plan.count, failed_op)) return e;
    // /dev read-only once its nodes and links are there.
    for (std::size_t i = 0; i < plan.count; ++i)
        if (plan.ops[i].kind == MountOp::dev_dir &&
            mount(nullptr, plan.ops[i].target, nullptr,
                  MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, nullptr) != 0) {
            *failed_op = static_cast<int>(i);
            return errno;
        }
    if (mkdir(plan.etc_dir, 0755) != 0 && errno != EEXIST) return errno;
    if (int e = write_text(plan.passwd, plan.passwd_text)) return e;
    if (int e = write_text(plan.group, plan.group_text)) return e;
    if (mount(nullptr, plan.root, nullptr, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
              nullptr) != 0)
        return errno;
    // pivot_root(".", "."): the old root ends up stacked on the new one, and
    // the lazy unmount takes it away.
    if (chdir(plan.root) != 0) return errno;
    if (syscall(SYS_pivot_root, ".", ".") != 0) return errno;
    if (umount2(".", MNT_DETACH) != 0) return errno;
    if (chdir("/") != 0) return errno;
    return 0;
}

} // namespace wb::sandbox::detail
