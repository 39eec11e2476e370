// libwb arguments: wbArg_read and its getters.
//
// Declarations first, bodies under WB_BODIES (see wb_base.h). The grader runs every
// program as `./program -i in0,in1,... -o out.ext -t type` and a student
// checks locally with `-e expected.ext` instead of (or as well as) `-o`.
// wbArg_t is a plain struct passed by value, as in the classic libwb, so MP
// code that copies it around keeps working; the strings are copied out of
// argv (malloc) and released by wbArg_delete.
//
// A known flag without its value, or an empty name inside an -i list, is a
// fatal error (it would silently shift every later input). Anything else
// unknown is warned about and ignored, so wrappers may add their own flags.
#pragma once

#include "wb_base.h"

typedef struct st_wbArg_t {
    int inputCount;
    char** inputFiles;
    char* outputFile;     // -o, NULL when absent
    char* expectedOutput; // -e, NULL when absent
    char* type;           // -t, NULL when absent
} wbArg_t;

wbArg_t wbArg_read(int argc, char** argv);
void wbArg_delete(wbArg_t args);
int wbArg_getInputCount(wbArg_t args);
// Returns char* (not const) as the classic libwb did: MP templates assign it
// to a `char *` variable. Out of range gives NULL, with a warning that says
// how many inputs there were.
char* wbArg_getInputFile(wbArg_t args, int index);
char** wbArg_getInputFiles(wbArg_t args);
char* wbArg_getOutputFile(wbArg_t args);
char* wbArg_getExpectedOutputFile(wbArg_t args);
char* wbArg_getType(wbArg_t args);

#if WB_BODIES

namespace wbInternal {

WB_INLINE char* duplicate(const char* s, size_t n) {
    char* copy = static_cast<char*>(std::malloc(n + 1));
    if (!copy) fail("out of memory while reading the arguments");
    std::memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

WB_INLINE const char* argUsage() {
    return "usage: program -i input0[,input1,...] [-o output] [-e expected] [-t type]";
}

// Appends the comma-separated names of one -i value to args.
WB_INLINE void addInputs(wbArg_t& args, const char* list) {
    if (*list == '\0') return; // `-i ""`: a dataset with no input
    std::vector<std::string> names;
    const char* start = list;
    for (const char* p = list;; ++p) {
        if (*p == ',' || *p == '\0') {
            if (p == start)
                fail(std::string("-i ") + quoted(list) +
                     ": empty file name in the list (two commas, or one at an end)");
            names.push_back(std::string(start, p));
            if (*p == '\0') break;
            start = p + 1;
        }
    }
    size_t total = static_cast<size_t>(args.inputCount) + names.size();
    char** files = static_cast<char**>(std::realloc(args.inputFiles, total * sizeof(char*)));
    if (!files) fail("out of memory while reading the arguments");
    for (size_t i = 0; i < names.size(); ++i)
        files[static_cast<size_t>(args.inputCount) + i] =
            duplicate(names[i].data(), names[i].size());
    args.inputFiles = files;
    args.inputCount = static_cast<int>(total);
}

WB_INLINE void setOnce(char*& slot, const char* value) {
    std::free(slot); // the last occurrence wins
    slot = duplicate(value, std::strlen(value));
}

} // namespace wbInternal

WB_INLINE void wbArg_delete(wbArg_t args) {
    for (int i = 0; i < args.inputCount; ++i)
        std::free(args.inputFiles[i]);
    std::free(static_cast<void*>(args.inputFiles));
    std::free(args.outputFile);
    std::free(args.expectedOutput);
    std::free(args.type);
}

WB_INLINE wbArg_t wbArg_read(int argc, char** argv) {
    wbArg_t args = {0, nullptr, nullptr, nullptr, nullptr};
    // Frees what was parsed if a fatal error unwinds (a test's throwing
    // failure handler); released on success.
    struct Guard {
        wbArg_t* args;
        ~Guard() {
            if (args) wbArg_delete(*args);
        }
    } guard = {&args};
    for (int i = 1; i < argc; ++i) {
        const char* flag = argv[i];
        bool known = std::strcmp(flag, "-i") == 0 || std::strcmp(flag, "-o") == 0 ||
                     std::strcmp(flag, "-e") == 0 || std::strcmp(flag, "-t") == 0;
        if (!known) {
            wbInternal::warn(std::string("ignoring unknown argument ") + wbInternal::quoted(flag) +
                             " (" + wbInternal::argUsage() + ")");
            continue;
        }
        if (i + 1 >= argc)
            wbInternal::fail(std::string("option ") + flag + " needs a value (" +
                             wbInternal::argUsage() + ")");
        const char* value = argv[++i];
        switch (flag[1]) {
        case 'i':
            wbInternal::addInputs(args, value);
            break;
        case 'o':
            wbInternal::setOnce(args.outputFile, value);
            break;
        case 'e':
            wbInternal::setOnce(args.expectedOutput, value);
            break;
        default:
            wbInternal::setOnce(args.type, value);
            break;
        }
    }
    guard.args = nullptr;
    return args;
}

WB_INLINE int wbArg_getInputCount(wbArg_t args) {
    return args.inputCount;
}

WB_INLINE char* wbArg_getInputFile(wbArg_t args, int index) {
    if (index < 0 || index >= args.inputCount) {
        wbInternal::warn("wbArg_getInputFile(args, " + std::to_string(index) + "): only " +
                         std::to_string(args.inputCount) + " input file(s) were given with -i");
        return nullptr;
    }
    return args.inputFiles[index];
}

WB_INLINE char** wbArg_getInputFiles(wbArg_t args) {
    return args.inputFiles;
}
WB_INLINE char* wbArg_getOutputFile(wbArg_t args) {
    return args.outputFile;
}
WB_INLINE char* wbArg_getExpectedOutputFile(wbArg_t args) {
    return args.expectedOutput;
}
WB_INLINE char* wbArg_getType(wbArg_t args) {
    return args.type;
}

#endif // WB_BODIES
