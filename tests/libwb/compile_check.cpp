// Uses every part of libwb's API the way MP programs do, so that compiling
// it with -Werror (tests/libwb/CMakeLists.txt) proves wb.h warning-free.
// compile_check.cu includes it again under nvcc.
#include <wb.h>

static int runEverything(int argc, char** argv) {
    wbArg_t args = wbArg_read(argc, argv);
    char* inputFile = wbArg_getInputFile(args, 0);
    const char* outputFile = wbArg_getOutputFile(args);
    wbLog(TRACE, "input ", inputFile, " output ", outputFile, " of ", wbArg_getInputCount(args),
          " type ", wbArg_getType(args), wbArg_getExpectedOutputFile(args));
    int length = 0, rows = 0, cols = 0;
    float* vec = (float*)wbImport(inputFile, &length);
    float* mat = wbImport(inputFile, &rows, &cols);
    int* ints = wbImport(inputFile, &length, "Integer");
    unsigned int* bins = (unsigned int*)wbImport(inputFile, &length, "Integer");
    char* text = wbImport(inputFile, &length, "Text");
    float* real = wbImport(inputFile, &rows, &cols, "Real");
    wbImage_t img = wbImport(inputFile);
    enum Mode { CPU = 1, GPU };
    Mode mode = (Mode)wbImport_flag(wbArg_getInputFile(args, 1));
    int gridSize = wbImport_flag(inputFile);
    wbImage_t out =
        wbImage_new(wbImage_getWidth(img), wbImage_getHeight(img), wbImage_getChannels(img));
    float* pixels = wbImage_getData(out);
    pixels[0] = static_cast<float>(wbImage_getPitch(out));
    wbTime_start(GPU, "outer ", 1);
    wbTime_start(Copy, "inner");
    wbTime_stop(Copy, "inner");
    wbTime_stop(GPU, "outer ", 1);
    wbTime_start(Generic, "g");
    wbTime_stop(Generic, "g");
    wbExport("v.raw", vec, length);
    wbExport("m.raw", mat, rows, cols);
    wbExport("i.raw", ints, length);
    wbExport("t.txt", text, length);
    wbExport_text("t2.txt", text, length);
    wbLog(INFO, "mode ", mode == GPU ? "GPU" : "CPU", " grid ", gridSize);
    wbExport("o.ppm", out);
    wbBool ok = wbSolution(args, vec, length) && wbSolution(args, mat, rows, cols) &&
                wbSolution(args, bins, length) && wbSolution(args, (void*)real, length) &&
                wbSolution(args, out);
    vector<int> classicVector(1, 0);
    string classicString = "libwb";
    free(vec);
    free(mat);
    free(ints);
    free(bins);
    free(text);
    free(real);
    wbImage_delete(img);
    wbImage_delete(out);
    wbArg_delete(args);
    return ok ? classicVector[0] : static_cast<int>(classicString.size());
}

#ifndef COMPILE_CHECK_NO_MAIN
int main(int argc, char** argv) {
    return runEverything(argc, argv);
}
#endif
