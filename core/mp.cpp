// The MP model: names of its enums, the source file name, and load_mp.
//
// load_mp decides the layout (mp.toml wins over config.json, which wins over
// a Kattis package's problem.yaml), walks the bundle
// once without following anything, and lets the layout's reader fill the Mp
// (core/mp_native.cpp, core/mp_legacy.cpp). What both layouts share, the walk
// and the datasets, is in core/bundle_files.cpp; see core/mp_loader.h.
#include "core/mp.h"

#include "core/enum_names.h"
#include "core/error.h"
#include "core/mp_loader.h"
#include "core/score.h"

#include <fmt/format.h>

#include <system_error>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace wb::core {

namespace fs = std::filesystem;

namespace {

constexpr std::array<Named<Toolchain>, 7> toolchains = {{
    {Toolchain::c, "c"},
    {Toolchain::cpp, "cpp"},
    {Toolchain::cuda, "cuda"},
    {Toolchain::custom, "custom"},
    {Toolchain::openacc, "openacc"},
    {Toolchain::opencl, "opencl"},
    {Toolchain::none, "none"},
}};

constexpr std::array<Named<CheckMode>, 8> check_modes = {{
    {CheckMode::exact, "exact"},
    {CheckMode::tokens, "tokens"},
    {CheckMode::vector, "vector"},
    {CheckMode::matrix, "matrix"},
    {CheckMode::integral_vector, "integral_vector"},
    {CheckMode::histogram, "histogram"},
    {CheckMode::image, "image"},
    {CheckMode::validator, "validator"},
}};

constexpr std::array<Named<BundleLayout>, 3> layouts = {{
    {BundleLayout::native, "native"},
    {BundleLayout::legacy, "legacy"},
    {BundleLayout::kattis, "kattis"},
}};

constexpr std::array<Named<RunIo>, 2> run_ios = {{
    {RunIo::files, "files"},
    {RunIo::stdio, "stdio"},
}};

} // namespace

std::string_view to_string(Toolchain t) {
    return name_in(toolchains, t);
}

std::string_view to_string(CheckMode m) {
    return name_in(check_modes, m);
}

std::string_view to_string(BundleLayout l) {
    return name_in(layouts, l);
}

std::string_view to_string(RunIo io) {
    return name_in(run_ios, io);
}

std::optional<RunIo> run_io_from_name(std::string_view name) {
    return value_in(run_ios, name);
}

double wall_limit_s(const MpLimits& limits) {
    return limits.wall_s > 0 ? limits.wall_s : 3 * limits.run_s + 2;
}

std::optional<Toolchain> toolchain_from_name(std::string_view name) {
    return value_in(toolchains, name);
}

std::optional<CheckMode> check_mode_from_name(std::string_view name) {
    return value_in(check_modes, name);
}

std::optional<BundleLayout> layout_from_name(std::string_view name) {
    return value_in(layouts, name);
}

std::string source_name(const Mp& mp) {
    if (mp.toolchain == Toolchain::custom) return "main" + mp.template_file.extension().string();
    return fmt::format("main.{}", detail::source_extension(mp.toolchain));
}

Mp load_mp(const fs::path& dir) {
    // The directory the user named may itself be reached through a link; what
    // is inside it may not (the walk refuses every link).
    std::error_code ec;
    const fs::file_status st = fs::status(dir, ec);
    if (!fs::exists(st)) throw InputError(fmt::format("{}: no such directory", dir.string()));
    if (!fs::is_directory(st)) throw InputError(fmt::format("{}: not a directory", dir.string()));
    const fs::path root = fs::canonical(dir, ec);
    if (ec) throw InputError(fmt::format("{}: {}", dir.string(), ec.message()));

    const bool native = fs::exists(fs::symlink_status(root / "mp.toml", ec));
    const bool legacy = fs::exists(fs::symlink_status(root / "config.json", ec));
    const bool kattis = fs::exists(fs::symlink_status(root / "problem.yaml", ec));
    if (!native && !legacy && !kattis)
        throw InputError(fmt::format(
            "{}: no mp.toml, config.json or problem.yaml: not an MP bundle or problem package",
            dir.string()));

    std::string name = root.filename().string();
    if (name.empty()) name = root.string();
    const detail::Bundle b = detail::walk_bundle(root, std::move(name));
    const BundleLayout layout = native   ? BundleLayout::native
                                : legacy ? BundleLayout::legacy
                                         : BundleLayout::kattis;
    Mp mp = layout == BundleLayout::native   ? detail::load_native(b)
            : layout == BundleLayout::legacy ? detail::load_legacy(b)
                                             : detail::load_kattis(b);
    mp.layout = layout;
    mp.root = root;
    // The loader's own files (a dataset.zip's, unpacked) join the bundle's.
    mp.files.insert(mp.files.end(), b.files.begin(), b.files.end());
    std::sort(mp.files.begin(), mp.files.end());
    return mp;
}

fs::path Mp::source_of(const fs::path& rel) const {
    if (unpacked) {
        std::error_code ec;
        const fs::path p = *unpacked / rel;
        if (fs::exists(fs::symlink_status(p, ec))) return p;
    }
    return root / rel;
}

namespace detail {

// "2015-02-11T23:00:00Z" or "...+01:00" (RFC 3339, as the platform's Go
// time.Parse read it): seconds since the epoch, or nothing.
std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
    int y, mo, d, h, mi, sec, n = 0;
    const std::string text(s);
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
                    &n) != 6 ||
        n != 19)
        return std::nullopt;
    std::size_t i = 19;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
            ++i;
    }
    long offset = 0;
    if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
        ++i;
    } else if (i + 6 == text.size() && (text[i] == '+' || text[i] == '-') && text[i + 3] == ':') {
        int oh = 0, om = 0;
        if (std::sscanf(text.c_str() + i + 1, "%2d:%2d", &oh, &om) != 2 || oh > 23 || om > 59)
            return std::nullopt;
        offset = (text[i] == '+' ? 1 : -1) * (oh * 3600L + om * 60L);
        i += 6;
    } else {
        return std::nullopt;
    }
    if (i != text.size() || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return std::nullopt;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

void default_dataset_scores(Mp& mp) {
    const auto shares = equal_shares(mp.datasets.size());
    for (std::size_t i = 0; i < shares.size(); ++i)
        mp.datasets[i].score = shares[i];
}

bool is_float_mode(CheckMode m) {
    return m == CheckMode::vector || m == CheckMode::matrix || m == CheckMode::image;
}

Toolchain validator_toolchain(const std::string& where, const fs::path& rel) {
    const std::string ext = rel.extension().string();
    if (ext == ".c") return Toolchain::c;
    if (ext == ".cpp" || ext == ".cc" || ext == ".cxx" || ext == ".C") return Toolchain::cpp;
    throw InputError(fmt::format("{}: an output validator must be a C (.c) or C++ (.cpp, .cc, "
                                 ".cxx) source file",
                                 where));
}

std::string_view source_extension(Toolchain t) {
    switch (t) {
    case Toolchain::c:
        return "c";
    case Toolchain::cpp:
        return "cpp";
    case Toolchain::cuda:
    case Toolchain::none:
        return "cu";
    case Toolchain::openacc:
    case Toolchain::opencl:
        return "cpp";
    case Toolchain::custom:
        return "";
    }
    return "";
}

} // namespace detail

} // namespace wb::core
