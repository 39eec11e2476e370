// libwb logging: wbLog(LEVEL, values...).
//
// Declarations first, bodies under WB_BODIES (see wb_base.h). The level is pasted
// onto a prefix (wbLogLevel_##level) as in the classic libwb, so MP code
// writes `wbLog(TRACE, "n = ", n)` while the global namespace gains no
// TRACE or ERROR, and a student's own `#define ERROR` cannot break the macro
// (## suppresses expansion of its operand).
//
// Each message is one line on stderr, `[LEVEL] file:line message`, written
// with one call so lines from threads do not interleave. stdout is left to
// the program and to wbSolution's verdict. Level OFF never prints.
#pragma once

#include "wb_base.h"

typedef enum en_wbLogLevel_t {
    wbLogLevel_unknown = -1,
    wbLogLevel_OFF = 0,
    wbLogLevel_FATAL,
    wbLogLevel_ERROR,
    wbLogLevel_WARN,
    wbLogLevel_INFO,
    wbLogLevel_DEBUG,
    wbLogLevel_TRACE
} wbLogLevel_t;

namespace wbInternal {

// Writes one log line (see above); what wbLog expands to.
void logAppend(wbLogLevel_t level, const std::string& message, const char* file, int line);

} // namespace wbInternal

#define wbLog(level, ...)                                                                          \
    wbInternal::logAppend(wbLogLevel_##level, wbString(__VA_ARGS__), wbFile, wbLine)

#if WB_BODIES

namespace wbInternal {

WB_INLINE const char* logLevelName(wbLogLevel_t level) {
    switch (level) {
    case wbLogLevel_FATAL:
        return "FATAL";
    case wbLogLevel_ERROR:
        return "ERROR";
    case wbLogLevel_WARN:
        return "WARN";
    case wbLogLevel_INFO:
        return "INFO";
    case wbLogLevel_DEBUG:
        return "DEBUG";
    case wbLogLevel_TRACE:
        return "TRACE";
    case wbLogLevel_OFF:
    case wbLogLevel_unknown:
        break;
    }
    return "LOG";
}

WB_INLINE void logAppend(wbLogLevel_t level, const std::string& message, const char* file,
                         int line) {
    if (level == wbLogLevel_OFF) return;
    std::string text = std::string("[") + logLevelName(level) + "] " + baseName(file) + ":" +
                       std::to_string(line) + " " + message + "\n";
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
}

} // namespace wbInternal

#endif // WB_BODIES
