// The small MP and programs that the grading tests share: an MP that
// doubles a vector, programs for it, and `grade --local --json`.
#pragma once

#include "runner.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace wb::test {

// A small MP of our own: double every element of a vector. `build` is
// added to its [build] section.
inline std::filesystem::path make_double_mp(const wb::test::TempDir& tmp,
                                            const std::string& extra_toml = "",
                                            const std::string& id = "double",
                                            const std::string& build = "") {
    const auto dir = tmp / id;
    write_text(dir / "mp.toml",
               "id = \"" + id +
                   "\"\ntitle = \"Double a vector\"\n\n"
                   "[build]\ntoolchain = \"cpp\"\n" +
                   build +
                   "\n"
                   "[limits]\nrun_time_s = 1.0\n\n"
                   "[precheck]\nforbidden = [\"system\", \"fork\"]\n\n"
                   "[check]\nmode = \"vector\"\nabs_tolerance = 1e-4\nrel_tolerance = 1e-4\n" +
                   extra_toml);
    write_text(dir / "template.cpp",
               "#include <wb.h>\nint main(int argc, char** argv) { return 0; }\n");
    write_text(dir / "description.md", "Double every element.\n");
    write_text(dir / "datasets/0/input0.raw", "3\n1\n2\n3\n");
    write_text(dir / "datasets/0/output.raw", "3\n2\n4\n6\n");
    write_text(dir / "datasets/1/input0.raw", "4\n0.5\n-1\n100\n7\n");
    write_text(dir / "datasets/1/output.raw", "4\n1\n-2\n200\n14\n");
    return dir;
}

// A program body using libwb; `op` computes out[i] from in[i].
inline std::string double_program(const std::string& op) {
    return "#include <wb.h>\n"
           "#include <cstdlib>\n"
           "int main(int argc, char** argv) {\n"
           "    wbArg_t args = wbArg_read(argc, argv);\n"
           "    int n = 0;\n"
           "    float* in = (float*)wbImport(wbArg_getInputFile(args, 0), &n);\n"
           "    float* out = (float*)malloc(sizeof(float) * (n > 0 ? n : 1));\n"
           "    for (int i = 0; i < n; ++i) { " +
           op +
           "; }\n"
           "    wbSolution(args, out, n);\n"
           "    free(in); free(out);\n"
           "    return 0;\n"
           "}\n";
}

inline Run grade_json(const Wbtool& wbtool, const std::filesystem::path& mp,
                      const std::filesystem::path& program, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--quiet",   "grade",          "--local",
                                     mp.string(), program.string(), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return wbtool(args);
}

// The grayscale example's solution with equal weights instead of 0.21,
// 0.72 and 0.07: wrong on coloured pixels, right on grey, black and white.
inline std::string grayscale_wrong_program() {
    std::ifstream in(example("grayscale") / "solution.cpp");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string weights = "0.21f * r + 0.72f * g + 0.07f * b";
    const auto at = text.find(weights);
    if (at != std::string::npos) text.replace(at, weights.size(), "(r + g + b) / 3.0f");
    return text;
}

} // namespace wb::test
