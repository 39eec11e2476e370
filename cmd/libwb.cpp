// `wbtool libwb`: give a student the exact libwb the grader compiles with,
// from the same binary, so local builds match graded ones.
#include "core/libwb.h"

#include "cmd/common.h"
#include "core/error.h"

#include <fmt/format.h>

#include <memory>

namespace wb::cmd {
namespace {

struct LibwbArgs {
    std::string export_dir;
    bool cflags = false;
};

int run_libwb(const LibwbArgs& args, const Globals& g) {
    if (!args.export_dir.empty()) {
        core::export_libwb(args.export_dir);
        fmt::print(
            "wrote libwb {} to {}\ncompile with: g++ -I{} prog.cpp  (or nvcc -I{} prog.cu)\n",
            core::libwb_hash().substr(0, 16), args.export_dir, args.export_dir, args.export_dir);
        return exit_ok;
    }
    if (args.cflags) {
        fmt::print("-I{}\n", core::libwb_include_dir(g.cache_dir).string());
        return exit_ok;
    }
    throw InputError("wbtool libwb: say what to do: --export DIR or --cflags");
}

} // namespace

void add_libwb(CLI::App& app, Globals& g, Action& action) {
    auto args = std::make_shared<LibwbArgs>();
    auto* sub =
        app.add_subcommand("libwb", "Export libwb (wb.h) or print the flags to compile against it");
    auto* exp = sub->add_option("--export", args->export_dir, "Write libwb's headers into DIR")
                    ->type_name("DIR");
    sub->add_flag("--cflags", args->cflags, "Print the compiler flags that find libwb")
        ->excludes(exp);
    sub->callback([args, &g, &action] { action = [args, &g] { return run_libwb(*args, g); }; });
}

} // namespace wb::cmd
