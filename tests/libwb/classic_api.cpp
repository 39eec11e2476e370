// Calls every public function of the classic libwb's API once, the way
// course programs and labs' dataset_generator.cpp files do, and checks what
// can be checked. run_classic_api.sh compiles it header-only and prebuilt,
// with g++ and (as CUDA) with nvcc, and runs it with a fresh temporary
// directory as its only argument; it exits 0 when every check held, else 1
// after naming each failed check on stderr.
#include <sys/stat.h>

#include <wb.h>

static int failures = 0;

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            std::fprintf(stderr, "classic_api.cpp:%d: failed: %s\n", __LINE__, #cond);             \
            ++failures;                                                                            \
        }                                                                                          \
    } while (0)

static std::string slurpFile(const std::string& path) {
    std::string text;
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return "<missing " + path + ">";
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;)
        text.append(buf, n);
    std::fclose(f);
    return text;
}

static bool isDir(const char* path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

#ifdef __CUDACC__
// Compiled, not run (no GPU is needed): the calls CUDA 13 removed still build.
int classicCudaCalls() {
    size_t limit = 0;
    cudaFuncCache cache = cudaFuncCachePreferNone;
    return static_cast<int>(cudaThreadSynchronize()) + static_cast<int>(cudaThreadExit()) +
           static_cast<int>(cudaThreadGetLimit(&limit, cudaLimitStackSize)) +
           static_cast<int>(cudaThreadSetLimit(cudaLimitStackSize, limit)) +
           static_cast<int>(cudaThreadGetCacheConfig(&cache)) +
           static_cast<int>(cudaThreadSetCacheConfig(cache));
}
#endif

// wbPath_join, wbDirectory_*: a generator's directory tree.
static char* checkPaths(const char* tmp) {
    char* joined = wbPath_join("a", std::string("b"), 3, (char*)"c");
    EXPECT(std::strcmp(joined, "a/b/3/c") == 0);
    wbFree(joined);
    EXPECT(joined == nullptr);
    EXPECT(wbDirectorySeperator == '/');

    char* cwd = wbDirectory_current();
    EXPECT(std::strcmp(cwd, tmp) == 0); // run_classic_api.sh runs it in tmp
    char* base = wbPath_join(cwd, "Lab", "Dataset");
    char* dataset = wbPath_join(base, 0);
    const char* created = wbDirectory_create(dataset);
    EXPECT(created == dataset);
    EXPECT(isDir(wbPath_join(tmp, "Lab", "Dataset", 0)));
    EXPECT(wbDirectory_create(dataset) == dataset); // again: already there
    char* name = wbDirectory_name(wbPath_join(dataset, "input0.raw"));
    EXPECT(std::strcmp(name, dataset) == 0);
    free(name);
    free(base);
    free(cwd);
    return dataset;
}

// Re-exports what wbImport read of `file` to `copy` and compares the bytes:
// a generated dataset reads back exactly.
static void expectNumbersRoundTrip(const char* dir, const char* file, const char* type) {
    char* path = wbPath_join(dir, file);
    char* copy = wbPath_join(dir, wbString(file, ".copy"));
    int rows = 0, cols = 0;
    void* data = wbImport(path, &rows, &cols, type);
    EXPECT(rows >= 1 && cols >= 1);
    bool isInteger = std::strcmp(type, "Integer") == 0;
    wbExportKind_t kind = std::strstr(file, ".csv")   ? wbExportKind_csv
                          : std::strstr(file, ".tsv") ? wbExportKind_tsv
                                                      : wbExportKind_raw;
    wbExport(copy, kind, data, rows, cols, isInteger ? wbType_integer : wbType_float);
    EXPECT(slurpFile(copy) == slurpFile(path));
    if (slurpFile(copy) != slurpFile(path))
        std::fprintf(stderr, "%s:\n%s\nread back and written again:\n%s\n", path,
                     slurpFile(path).c_str(), slurpFile(copy).c_str());
    free(data);
    free(path);
    free(copy);
}

// wbDataset_generate for every kind, and wbImport reading each back.
static void checkDatasets(const char* dir) {
    wbGenerateParams_t params;
    wbRaw_GenerateParams_t raw = {5, 1, 0, 100, wbType_integer};
    params.raw = raw;
    wbDataset_generate(wbPath_join(dir, "input0.raw"), wbExportKind_raw, params);
    EXPECT(slurpFile(wbPath_join(dir, "input0.raw")).substr(0, 2) == "5\n");
    int length = 0;
    int* ints = wbImport(wbPath_join(dir, "input0.raw"), &length, "Integer");
    EXPECT(length == 5);
    for (int i = 0; i < length; ++i)
        EXPECT(ints[i] >= 0 && ints[i] <= 100);
    free(ints);
    expectNumbersRoundTrip(dir, "input0.raw", "Integer");

    params.raw.rows = 3;
    params.raw.cols = 4;
    params.raw.type = wbType_float;
    params.raw.minVal = -1;
    params.raw.maxVal = 1;
    // A directory that does not exist yet: wbDataset_generate creates it.
    wbDataset_generate(wbPath_join(dir, "new", "input1.raw"), wbExportKind_raw, params);
    EXPECT(slurpFile(wbPath_join(dir, "new", "input1.raw")).substr(0, 4) == "3 4\n");
    int rows = 0, cols = 0;
    float* reals = wbImport(wbPath_join(dir, "new", "input1.raw"), &rows, &cols);
    EXPECT(rows == 3 && cols == 4);
    for (int i = 0; i < rows * cols; ++i)
        EXPECT(reals[i] >= -1 && reals[i] <= 1);
    free(reals);
    expectNumbersRoundTrip(dir, "new/input1.raw", "Real");

    wbCSV_GenerateParams_t csv = {2, 3, wbType_float, 0, 10};
    params.csv = csv;
    wbDataset_generate(wbPath_join(dir, "input.csv"), wbExportKind_csv, params);
    expectNumbersRoundTrip(dir, "input.csv", "Real");
    wbTSV_GenerateParams_t tsv = {2, 2, wbType_integer, 1, 9};
    params.tsv = tsv;
    wbDataset_generate(wbPath_join(dir, "input.tsv"), wbExportKind_tsv, params);
    expectNumbersRoundTrip(dir, "input.tsv", "Integer");

    params.text.length = 40;
    wbDataset_generate(wbPath_join(dir, "input.txt"), wbExportKind_text, params);
    char* text = wbImport(wbPath_join(dir, "input.txt"), &length, "Text");
    EXPECT(length == 40 && std::strlen(text) == 40);
    free(text);

    wbPPM_GenerateParams_t ppm = {4, 3, 3, 0, 1};
    params.ppm = ppm;
    char* image = wbPath_join(dir, "input.ppm");
    wbDataset_generate(image, wbExportKind_ppm, params);
    wbImage_t img = wbPPM_import(image);
    EXPECT(wbImage_getWidth(img) == 4 && wbImage_getHeight(img) == 3);
    EXPECT(wbImage_getChannels(img) == 3 && wbImage_getPitch(img) == 12);
    char* copy = wbPath_join(dir, "copy.ppm");
    wbPPM_export(copy, img);
    EXPECT(slurpFile(copy) == slurpFile(image));
    wbImage_delete(img);
    free(copy);
    free(image);
}

// The rest of the classic API, once each.
static void checkTheRest(const char* dir, int argc, char** argv) {
    wbArg_t args = wbArg_read(argc, argv);
    EXPECT(wbArg_getInputCount(args) == 0);
    EXPECT(wbArg_getOutputFile(args) == nullptr && wbArg_getType(args) == nullptr);
    EXPECT(wbArg_getExpectedOutputFile(args) == nullptr);
    EXPECT(wbType_size(wbType_float) == sizeof(float) && wbType_size(wbType_ubit8) == 1);
    EXPECT(wbType_real == wbType_float && wbImportKind_raw == 0x1000);

    float values[4] = {0.5f, 1.25f, -2, 3};
    char* vec = wbPath_join(dir, "vec.raw");
    wbExport(vec, values, 4);
    int length = 0;
    float* back = (float*)wbImport(vec, &length);
    EXPECT(length == 4 && back[1] == 1.25f);
    wbExport(wbPath_join(dir, "mat.raw"), values, 2, 2);
    int rows = 0, cols = 0;
    float* mat = (float*)wbImport(wbPath_join(dir, "mat.raw"), &rows, &cols, "Real");
    EXPECT(rows == 2 && cols == 2 && mat[3] == 3);
    int count = 0;
    int* ints = (int*)wbImport(wbPath_join(dir, "input0.raw"), &count, "Integer");
    EXPECT(count == 5);
    wbExport_text(wbPath_join(dir, "t.txt"), "hi", 2);
    EXPECT(slurpFile(wbPath_join(dir, "t.txt")) == "hi");
    wbExport(wbPath_join(dir, "flag.txt"), wbExportKind_text, (void*)"7", 1, 1, wbType_ascii);
    EXPECT(wbImport_flag(wbPath_join(dir, "flag.txt")) == 7);

    wbImage_t img = wbImage_new(2, 1);
    wbImage_t gray = wbImage_new(2, 1, 1);
    float* owned = wbNewArray(float, 2);
    owned[0] = owned[1] = 1;
    wbImage_t given = wbImage_new(2, 1, 1, owned);
    EXPECT(wbImage_getData(given) == owned);
    wbExport(wbPath_join(dir, "img.ppm"), img);
    wbImage_t read = wbImport(wbPath_join(dir, "img.ppm"));
    EXPECT(wbImage_getWidth(read) == 2 && wbImage_getData(read)[0] == 0);

    wbTime_start(Generic, "classic ", 1);
    wbTime_stop(Generic, "classic ", 1);
    wbLog(TRACE, "classic api ", wbString("x", 1));
    wbAssert(length == 4);
    EXPECT(wbSolution(args, back, length) && wbSolution(args, mat, rows, cols));
    EXPECT(wbSolution(args, img));

    int* one = wbNew(int);
    *one = 1;
    char* bytes = (char*)wbMalloc(4);
    bytes = (char*)wbRealloc(bytes, 8);
    wbDelete(one);
    wbFree(bytes);
    EXPECT(one == nullptr && bytes == nullptr);
    free(back);
    free(mat);
    free(ints);
    free(vec);
    wbImage_delete(img);
    wbImage_delete(gray);
    wbImage_delete(given);
    wbImage_delete(read);
    wbArg_delete(args);
}

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: classic_api TMPDIR (run in TMPDIR)\n");
        return 2;
    }
    char* dataset = checkPaths(argv[1]);
    checkDatasets(dataset);
    checkTheRest(dataset, 1, argv);
    free(dataset);
    if (failures) std::fprintf(stderr, "%d checks failed\n", failures);
    return failures ? 1 : 0;
}
