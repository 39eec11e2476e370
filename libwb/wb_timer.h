// libwb timers: wbTime_start(KIND, values...) / wbTime_stop(KIND, values...).
//
// Declarations first, bodies under WB_BODIES (see wb_base.h). The kinds are the
// classic set (Generic, IO, GPU, Copy, Driver, CopyAsync, Compute,
// CPUGPUOverlap), pasted onto the wbTimerKind_ prefix as wbLog pastes levels.
//
// A stop is matched to the most recent open start of the same kind and the
// same message, or failing that of the same kind; a stop with no start is
// reported as a warning and ignored, because a mismatched pair in a student's
// program is a mistake to point out, not a reason to crash. On stop one line
// goes to stderr: `[TIME] KIND file:line 12.345 ms message`.
//
// The clock is wall time on the host (steady_clock). Timers do not
// synchronise the GPU: a kernel launch returns at once, so time a kernel by
// calling cudaDeviceSynchronize() before wbTime_stop. Doing that inside the
// library would silently change how a program's errors surface.
#pragma once

#include "wb_base.h"

typedef enum en_wbTimerKind_t {
    wbTimerKind_Generic,
    wbTimerKind_IO,
    wbTimerKind_GPU,
    wbTimerKind_Copy,
    wbTimerKind_Driver,
    wbTimerKind_CopyAsync,
    wbTimerKind_Compute,
    wbTimerKind_CPUGPUOverlap
} wbTimerKind_t;

namespace wbInternal {

// What wbTime_start and wbTime_stop expand to.
void timerStart(wbTimerKind_t kind, const std::string& message, const char* file, int line);
void timerStop(wbTimerKind_t kind, const std::string& message, const char* file, int line);

} // namespace wbInternal

#define wbTime_start(kind, ...)                                                                    \
    wbInternal::timerStart(wbTimerKind_##kind, wbString(__VA_ARGS__), wbFile, wbLine)
#define wbTime_stop(kind, ...)                                                                     \
    wbInternal::timerStop(wbTimerKind_##kind, wbString(__VA_ARGS__), wbFile, wbLine)

#if WB_BODIES

#include <chrono>
#include <mutex>

namespace wbInternal {

WB_INLINE const char* timerKindName(wbTimerKind_t kind) {
    switch (kind) {
    case wbTimerKind_Generic:
        return "Generic";
    case wbTimerKind_IO:
        return "IO";
    case wbTimerKind_GPU:
        return "GPU";
    case wbTimerKind_Copy:
        return "Copy";
    case wbTimerKind_Driver:
        return "Driver";
    case wbTimerKind_CopyAsync:
        return "CopyAsync";
    case wbTimerKind_Compute:
        return "Compute";
    case wbTimerKind_CPUGPUOverlap:
        return "CPUGPUOverlap";
    }
    return "Timer";
}

struct OpenTimer {
    wbTimerKind_t kind;
    std::string message;
    std::chrono::steady_clock::time_point start;
};

struct TimerState {
    std::mutex mutex; // programs may time from several host threads
    std::vector<OpenTimer> open;
};

// Never destroyed: a student's global object may stop a timer from its
// destructor, after function-local statics would have been torn down.
WB_INLINE TimerState& timerState() {
    static TimerState* state = new TimerState;
    return *state;
}

WB_INLINE void timerStart(wbTimerKind_t kind, const std::string& message, const char*, int) {
    TimerState& state = timerState();
    std::lock_guard<std::mutex> lock(state.mutex);
    OpenTimer timer = {kind, message, std::chrono::steady_clock::now()};
    state.open.push_back(timer);
}

WB_INLINE void timerStop(wbTimerKind_t kind, const std::string& message, const char* file,
                         int line) {
    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
    TimerState& state = timerState();
    std::lock_guard<std::mutex> lock(state.mutex);
    // Newest first: the same kind and message, else the same kind.
    size_t found = state.open.size();
    for (size_t i = state.open.size(); i-- > 0;) {
        if (state.open[i].kind == kind && state.open[i].message == message) {
            found = i;
            break;
        }
    }
    if (found == state.open.size()) {
        for (size_t i = state.open.size(); i-- > 0;) {
            if (state.open[i].kind == kind) {
                found = i;
                break;
            }
        }
    }
    if (found == state.open.size()) {
        warn(std::string("wbTime_stop(") + timerKindName(kind) + ", \"" + message + "\") at " +
             baseName(file) + ":" + std::to_string(line) + " has no matching wbTime_start");
        return;
    }
    double ms = std::chrono::duration<double, std::milli>(now - state.open[found].start).count();
    // The start's message names the timer; a stop may abbreviate it.
    std::string label = state.open[found].message.empty() ? message : state.open[found].message;
    state.open.erase(state.open.begin() + static_cast<std::ptrdiff_t>(found));
    char elapsed[64];
    std::snprintf(elapsed, sizeof elapsed, "%.3f ms", ms);
    std::string text = std::string("[TIME] ") + timerKindName(kind) + " " + baseName(file) + ":" +
                       std::to_string(line) + " " + elapsed + " " + label + "\n";
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
}

} // namespace wbInternal

#endif // WB_BODIES
