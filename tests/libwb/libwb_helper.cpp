// An MP-like program for libwb's tests: `libwb_helper MODE [libwb args]`.
//
// The tests run it as a child process to check what only a process shows:
// the verdict wbSolution prints on stdout, log and timer lines on stderr,
// and the exit status 2 of a fatal libwb error. MODE stands where a program's
// name would be, so wbArg_read(argc - 1, argv + 1) sees ordinary arguments.
#include <sys/resource.h>

#include <csignal>
#include <string>
#include <wb.h>

namespace {

int vectorMode(wbArg_t args) {
    int length = 0;
    float* data = (float*)wbImport(wbArg_getInputFile(args, 0), &length);
    wbSolution(args, data, length);
    free(data);
    return 0;
}

int matrixMode(wbArg_t args) {
    int rows = 0, cols = 0;
    float* data = (float*)wbImport(wbArg_getInputFile(args, 0), &rows, &cols);
    wbSolution(args, data, rows, cols);
    free(data);
    return 0;
}

int integerMode(wbArg_t args) {
    int length = 0;
    unsigned int* bins = (unsigned int*)wbImport(wbArg_getInputFile(args, 0), &length, "Integer");
    wbSolution(args, bins, length);
    free(bins);
    return 0;
}

int voidMode(wbArg_t args) {
    int length = 0;
    int* data = wbImport(wbArg_getInputFile(args, 0), &length, "Integer");
    wbSolution(args, static_cast<void*>(data), length);
    free(data);
    return 0;
}

int textMode(wbArg_t args) {
    int length = 0;
    char* text = wbImport(wbArg_getInputFile(args, 0), &length, "Text");
    wbSolution(args, text, length);
    free(text);
    return 0;
}

int imageMode(wbArg_t args) {
    wbImage_t img = wbImport(wbArg_getInputFile(args, 0));
    wbSolution(args, img);
    wbImage_delete(img);
    return 0;
}

// Prints every argument libwb parsed, one per line.
int argsMode(wbArg_t args) {
    std::printf("count=%d\n", wbArg_getInputCount(args));
    for (int i = 0; i < wbArg_getInputCount(args); ++i)
        std::printf("input%d=%s\n", i, wbArg_getInputFile(args, i));
    std::printf("output=%s\n", args.outputFile ? args.outputFile : "(none)");
    std::printf("expected=%s\n", args.expectedOutput ? args.expectedOutput : "(none)");
    std::printf("type=%s\n", args.type ? args.type : "(none)");
    return 0;
}

int logMode(wbArg_t) {
    int inputLength = 42;
    const char* missing = nullptr;
    wbLog(TRACE, "The input length is ", inputLength);
    wbLog(ERROR, "error ", 1.5, ' ', std::string("text"));
    wbLog(OFF, "never printed");
    wbLog(INFO, "missing: ", missing);
    return 0;
}

int timerMode(wbArg_t) {
    wbTime_start(GPU, "Doing GPU Computation (memory + compute)");
    wbTime_start(GPU, "Doing GPU memory allocation");
    wbTime_stop(GPU, "Doing GPU memory allocation");
    wbTime_start(Compute, "kernel ", 3);
    wbTime_stop(Compute, "kernel ", 3);
    wbTime_stop(GPU, "Doing GPU Computation (memory + compute)");
    wbTime_stop(Copy, "never started");
    wbTime_start(IO, "left open");
    wbTime_stop(IO, "another message"); // same kind: closes "left open"
    std::printf("still running\n");
    return 0;
}

// Exports past a file size limit: the write must fail with a message.
int fileLimitMode(wbArg_t args) {
    std::signal(SIGXFSZ, SIG_IGN); // fail the write with EFBIG instead of dying
    struct rlimit limit;
    limit.rlim_cur = limit.rlim_max = 4096;
    setrlimit(RLIMIT_FSIZE, &limit);
    std::vector<float> data(100000, 1.25f);
    wbExport(wbArg_getOutputFile(args), data.data(), static_cast<int>(data.size()));
    return 0;
}

int importMode(wbArg_t args) {
    int length = 0;
    float* data = wbImport(wbArg_getInputFile(args, 0), &length);
    std::printf("length=%d\n", length);
    free(data);
    return 0;
}

int flagMode(wbArg_t args) {
    std::printf("flag=%d\n", wbImport_flag(wbArg_getInputFile(args, 0)));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: libwb_helper MODE [-i ...] [-o ...] [-e ...] [-t ...]\n");
        return 64;
    }
    std::string mode = argv[1];
    wbArg_t args = wbArg_read(argc - 1, argv + 1);
    int rc = 64;
    if (mode == "vector")
        rc = vectorMode(args);
    else if (mode == "matrix")
        rc = matrixMode(args);
    else if (mode == "integer")
        rc = integerMode(args);
    else if (mode == "void")
        rc = voidMode(args);
    else if (mode == "text")
        rc = textMode(args);
    else if (mode == "image")
        rc = imageMode(args);
    else if (mode == "args")
        rc = argsMode(args);
    else if (mode == "log")
        rc = logMode(args);
    else if (mode == "timer")
        rc = timerMode(args);
    else if (mode == "filelimit")
        rc = fileLimitMode(args);
    else if (mode == "import")
        rc = importMode(args);
    else if (mode == "flag")
        rc = flagMode(args);
    else
        std::fprintf(stderr, "libwb_helper: unknown mode '%s'\n", mode.c_str());
    wbArg_delete(args);
    return rc;
}
