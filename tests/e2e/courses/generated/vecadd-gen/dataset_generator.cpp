// Writes Dataset/<k>/input0.raw, input1.raw and output.raw (their sum) under
// the current directory, as the GPU Teaching Kit's generators do.
#include <wb.h>

static void make_dataset(int k, int length) {
    char* dir = wbPath_join(wbDirectory_current(), "Dataset", k);
    wbDirectory_create(dir);
    wbRaw_GenerateParams_t raw = {length, 1, -100.0, 100.0, wbType_float};
    wbGenerateParams_t params;
    params.raw = raw;
    char* in0 = wbPath_join(dir, "input0.raw");
    char* in1 = wbPath_join(dir, "input1.raw");
    wbDataset_generate(in0, wbExportKind_raw, params);
    wbDataset_generate(in1, wbExportKind_raw, params);

    int n0 = 0;
    int n1 = 0;
    float* a = (float*)wbImport(in0, &n0);
    float* b = (float*)wbImport(in1, &n1);
    float* sum = (float*)malloc(n0 * sizeof(float));
    for (int i = 0; i < n0; ++i) {
        sum[i] = a[i] + b[i];
    }
    wbExport(wbPath_join(dir, "output.raw"), wbExportKind_raw, sum, n0, 1, wbType_float);
    free(a);
    free(b);
    free(sum);
}

int main() {
    const int lengths[] = {16, 100, 1000};
    for (int k = 0; k < 3; ++k) {
        make_dataset(k, lengths[k]);
    }
    return 0;
}
