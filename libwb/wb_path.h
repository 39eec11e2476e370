// libwb paths and directories: wbPath_join, wbDirectory_create,
// wbDirectory_current, wbDirectory_name.
//
// Declarations first, bodies under WB_BODIES (see wb_base.h). Course labs'
// dataset_generator.cpp files build their tree with these:
//   base = wbPath_join(wbDirectory_current(), "ListScan", "Dataset");
//   dir = wbDirectory_create(wbPath_join(base, datasetNum));
// so wbPath_join takes any number of parts of any printable type (C strings,
// std::string, integers), each turned into text by wbString, and returns
// them joined with '/' in a malloc'd string the caller may free. The join is
// the classic one, part + '/' + part, with nothing normalised.
//
// wbDirectory_create is `mkdir -p` and returns its argument. Unlike the
// classic libwb, which ignored failed mkdirs, a directory that cannot be
// created is fatal with the reason: a generator that goes on writes its
// datasets nowhere. wbDirectory_name of a name without a '/' is "." (the
// classic one returned the name itself, so wbDataset_generate("x.raw", ...)
// made a directory "x.raw" and then could not write the file).
#pragma once

#include "wb_base.h"

// The separator wbPath_join puts between parts (the classic spelling).
const char wbDirectorySeperator = '/';

namespace wbInternal {

// The parts joined with wbDirectorySeperator, in a malloc'd string.
char* joinPath(const std::vector<std::string>& parts);

} // namespace wbInternal

template <typename... Ts> inline char* wbPath_join(const Ts&... parts) {
    static_assert(sizeof...(Ts) > 0, "libwb: wbPath_join needs at least one part");
    std::vector<std::string> texts = {wbString(parts)...};
    return wbInternal::joinPath(texts);
}

// Creates `dir` and every missing parent; returns `dir`.
const char* wbDirectory_create(const char* dir);
// The working directory, malloc'd.
char* wbDirectory_current();
// `path` up to its last '/', malloc'd; "." if it has none.
char* wbDirectory_name(const char* path);

#if WB_BODIES

#include <sys/stat.h>

#include <cerrno>
#ifdef _WIN32
#include <direct.h>
#else
#include <unistd.h>
#endif

namespace wbInternal {

WB_INLINE char* mallocString(const std::string& s, const char* who) {
    char* out = static_cast<char*>(std::malloc(s.size() + 1));
    if (!out) fail(std::string(who) + ": out of memory");
    std::memcpy(out, s.c_str(), s.size() + 1);
    return out;
}

WB_INLINE char* joinPath(const std::vector<std::string>& parts) {
    std::string joined;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) joined += wbDirectorySeperator;
        joined += parts[i];
    }
    return mallocString(joined, "wbPath_join");
}

WB_INLINE bool isDirectory(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR;
}

// One mkdir; true if `path` is a directory afterwards.
WB_INLINE bool makeOneDirectory(const std::string& path) {
#ifdef _WIN32
    int rc = ::_mkdir(path.c_str());
#else
    int rc = ::mkdir(path.c_str(), 0777);
#endif
    return rc == 0 || (errno == EEXIST && isDirectory(path));
}

} // namespace wbInternal

WB_INLINE const char* wbDirectory_create(const char* dir) {
    if (!dir || !*dir) wbInternal::fail("wbDirectory_create: no directory name (NULL or empty)");
    std::string path(dir);
    // Every prefix that ends before a separator, then the whole path; the
    // root and repeated separators give empty or existing prefixes.
    for (size_t i = 1; i <= path.size(); ++i) {
        if (i < path.size() && path[i] != wbDirectorySeperator) continue;
        std::string prefix = path.substr(0, i);
        if (prefix.back() == wbDirectorySeperator) continue;
        if (!wbInternal::makeOneDirectory(prefix))
            wbInternal::fail("wbDirectory_create: cannot create " +
                             wbInternal::quoted(prefix.c_str()) + " (for " +
                             wbInternal::quoted(dir) + "): " + std::strerror(errno));
    }
    return dir;
}

WB_INLINE char* wbDirectory_current() {
    std::vector<char> buf(256);
    for (;;) {
#ifdef _WIN32
        char* got = ::_getcwd(buf.data(), static_cast<int>(buf.size()));
#else
        char* got = ::getcwd(buf.data(), buf.size());
#endif
        if (got) return wbInternal::mallocString(got, "wbDirectory_current");
        if (errno != ERANGE)
            wbInternal::fail(
                std::string("wbDirectory_current: cannot get the working directory: ") +
                std::strerror(errno));
        buf.resize(buf.size() * 2);
    }
}

WB_INLINE char* wbDirectory_name(const char* path) {
    if (!path) wbInternal::fail("wbDirectory_name: no path (NULL)");
    const char* last = std::strrchr(path, wbDirectorySeperator);
    if (!last) return wbInternal::mallocString(".", "wbDirectory_name");
    // "/x" is in "/", not in "".
    size_t length = last == path ? 1 : static_cast<size_t>(last - path);
    return wbInternal::mallocString(std::string(path, length), "wbDirectory_name");
}

#endif // WB_BODIES
