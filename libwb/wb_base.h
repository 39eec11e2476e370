// libwb base: the headers, types and helpers every other part of libwb uses,
// and the switch between libwb's two ways of being compiled.
//
// Header-only, by default: the grader embeds these files in its binary and a
// student compiles with nothing but `-I<dir>`, so with no macro defined every
// function body is here, `inline` (one definition across translation units,
// no unused-function warnings), and state lives in function-local statics.
//
// Prebuilt, for the grader: nvcc parses and compiles every inline body of
// every header in every program, which cost about 2.5 s of a 4 s CUDA
// compile. So each wb_*.h puts its declarations first and its bodies in a
// `#if WB_BODIES` section:
//   - nothing defined: WB_BODIES is 1 and WB_INLINE is `inline`;
//   - WB_PREBUILT: declarations only (plus the templates and macros that
//     must stay in the program: wbString, wbLog, wbPath_join, wbExport<T>...);
//     the program links libwb.o;
//   - WB_IMPLEMENTATION (libwb.cpp, compiled once into libwb.o): the bodies
//     with external linkage.
// Both modes run the same code; tests/libwb runs its tests against both.
//
// The code keeps to C++11 so that old course Makefiles with `-std=c++11`
// still build, and it uses only the standard library (CUDA types appear only
// in wb_cuda.h, under __CUDACC__). Besides the public API it declares only
// the namespace wbInternal and macros that start with `wb` or `WB_`.
//
// Failure policy: when libwb cannot go on (bad arguments, an unreadable or
// malformed file, a failed write, a directory it cannot create) it prints
// one line starting with "libwb: error:" to stderr and exits with status 2,
// the documented "usage or input error" code of the whole project. Tests can
// install a handler (wbInternal::failHandler) that throws instead, so that
// error messages can be checked without a subprocess.
#pragma once

// The classic wb.h pulled in the C library headers below, and <iostream>,
// <sstream>, <string> and <vector>; student programs written against it
// rely on them (printf, malloc, memcpy, assert, sqrt, std::cout) without
// including them. Keep them, in both modes. What only the bodies need
// (<chrono>, <mutex>, <charconv>) is included in their sections, since every
// header saved counts in every compile.
#include <climits>

#include <assert.h>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <math.h>
#include <sstream>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <string>
#include <time.h>
#include <vector>

#if defined(WB_IMPLEMENTATION)
#define WB_BODIES 1
#define WB_INLINE
#elif defined(WB_PREBUILT)
#define WB_BODIES 0
#define WB_INLINE
#else
#define WB_BODIES 1
#define WB_INLINE inline
#endif

// The classic wbString.h had these using-declarations, so MP code that says
// `string` or `vector<int>` without std:: compiled. Define WB_NO_USING_STD
// before including wb.h to leave the global namespace alone.
#ifndef WB_NO_USING_STD
using std::string;
using std::vector;
#endif

typedef bool wbBool;
typedef float wbReal_t;
typedef char wbChar_t;
#define wbTrue true
#define wbFalse false

#define wbLine __LINE__
#define wbFile __FILE__
#define wbFunction __func__
#define wbAssert(cond) assert(cond)
#define wbAssertMessage(msg, cond) assert((msg) && (cond))
#define wbTodo(msg) wbAssertMessage(msg, false)
#define wbStmt(stmt) stmt
#define wbExit()                                                                                   \
    wbAssert(0);                                                                                   \
    std::exit(1)

// The classic allocation macros: malloc and free under libwb's names.
// wbFree and wbDelete also null the variable they free.
#define wbMalloc(size) std::malloc(size)
#define wbNew(type) (static_cast<type*>(std::malloc(sizeof(type))))
#define wbNewArray(type, length) (static_cast<type*>(std::malloc((length) * sizeof(type))))
#define wbRealloc(ptr, size) std::realloc(ptr, size)
#define wbReallocArray(type, ptr, length)                                                          \
    (static_cast<type*>(std::realloc(ptr, (length) * sizeof(type))))
#define wbFree(var)                                                                                \
    do {                                                                                           \
        std::free(var);                                                                            \
        (var) = nullptr;                                                                           \
    } while (0)
#define wbDelete(var) wbFree(var)

namespace wbInternal {

// The exit status of every fatal libwb error (see the paragraph above).
const int errorExitCode = 2;

// Streams one value; a null C string prints as "(null)" instead of being
// undefined behaviour, since wbArg_getInputFile returns NULL for a missing
// input and students log what it returned.
template <typename T> inline void put(std::ostream& os, const T& x) {
    os << x;
}
inline void put(std::ostream& os, const char* s) {
    os << (s ? s : "(null)");
}
inline void put(std::ostream& os, char* s) {
    os << (s ? s : "(null)");
}

} // namespace wbInternal

// Concatenates any streamable values into one string: the message argument
// of wbLog and wbTime_start/stop. The classic name, now variadic.
inline std::string wbString() {
    return std::string();
}
template <typename... Ts> inline std::string wbString(const Ts&... xs) {
    std::ostringstream os;
    // C++11 pack expansion in an initializer list, in order; C++17 would
    // use a fold expression.
    int expand[] = {0, ((void)wbInternal::put(os, xs), 0)...};
    (void)expand;
    return os.str();
}

namespace wbInternal {

typedef void (*FailHandler)(const std::string& message);

// Called with the message before a fatal error exits. Null by default. The
// unit tests set one that throws; if a handler returns, libwb still exits.
FailHandler& failHandler();

[[noreturn]] void fail(const std::string& message);

void warn(const std::string& message);

} // namespace wbInternal

#if WB_BODIES

// wb_format.h brings in <charconv> where the dialect has it (WB_USE_CHARCONV).
#include "wb_format.h"

#include <cctype>
#include <cerrno>
#include <type_traits>

namespace wbInternal {

WB_INLINE FailHandler& failHandler() {
    static FailHandler handler = nullptr;
    return handler;
}

WB_INLINE void fail(const std::string& message) {
    if (failHandler()) failHandler()(message);
    std::fflush(stdout);
    std::fprintf(stderr, "libwb: error: %s\n", message.c_str());
    std::fflush(stderr);
    std::exit(errorExitCode);
}

WB_INLINE void warn(const std::string& message) {
    std::fprintf(stderr, "libwb: warning: %s\n", message.c_str());
    std::fflush(stderr);
}

// "dir/sub/prog.cu" -> "prog.cu": log lines name the source file, and the
// directory the grader compiled it in is noise to a student.
WB_INLINE const char* baseName(const char* path) {
    if (!path) return "";
    const char* base = path;
    for (const char* p = path; *p; ++p)
        if (*p == '/' || *p == '\\') base = p + 1;
    return base;
}

// The extension of a file name, lower-cased, without the dot ("" if none).
WB_INLINE std::string extensionOf(const char* path) {
    const char* base = baseName(path);
    const char* dot = std::strrchr(base, '.');
    if (!dot) return std::string();
    std::string ext(dot + 1);
    for (size_t i = 0; i < ext.size(); ++i)
        if (ext[i] >= 'A' && ext[i] <= 'Z') ext[i] = static_cast<char>(ext[i] - 'A' + 'a');
    return ext;
}

WB_INLINE bool equalsIgnoreCase(const char* a, const char* b) {
    if (!a || !b) return false;
    for (; *a && *b; ++a, ++b) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return *a == *b;
}

// A file name quoted for messages.
WB_INLINE std::string quoted(const char* s) {
    return std::string("'") + (s ? s : "(null)") + "'";
}

} // namespace wbInternal

#endif // WB_BODIES
