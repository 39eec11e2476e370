// Report rendering (see report.h).
#include "core/report.h"

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace wb::core {
namespace {

double round3(double v) {
    return std::round(v * 1000.0) / 1000.0;
}

std::string paint(const TableStyle& style, Verdict v, std::string_view text) {
    if (!style.colour) return std::string(text);
    const char* code = v == Verdict::correct ? "32" : (v == Verdict::internal_error ? "35" : "31");
    return fmt::format("\033[{}m{}\033[0m", code, text);
}

Verdict verdict_of(const nlohmann::json& j) {
    const auto name = j.value("verdict", std::string());
    return verdict_from_name(name).value_or(Verdict::internal_error);
}

// j[key] when it has T's type, else `fallback`: a report from another
// version of wbtool is read as far as it can be.
template <class T> T field(const nlohmann::json& j, const char* key, T fallback = {}) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return fallback;
    try {
        return it->get<T>();
    } catch (const nlohmann::json::exception&) {
        return fallback;
    }
}

std::string human_kib(std::uint64_t kib) {
    if (kib >= 1024 * 1024) return fmt::format("{:.1f} GiB", kib / (1024.0 * 1024.0));
    if (kib >= 1024) return fmt::format("{:.1f} MiB", kib / 1024.0);
    return fmt::format("{} KiB", kib);
}

// The dataset's message with `addition` in parentheses; the report's too,
// when it quotes that dataset's (core::grade's "dataset K: ..." line).
void add_to_message(GradeReport& r, DatasetResult& d, const std::string& addition) {
    const auto quoted = fmt::format("dataset {}: {}", d.index, d.message);
    d.message += fmt::format(" ({})", addition);
    if (r.message == quoted) r.message = fmt::format("dataset {}: {}", d.index, d.message);
}

std::string with_note(std::string text, const std::string& note) {
    return note.empty() ? text : text + "; " + note;
}

} // namespace

void write_pictures(GradeReport& r, const std::filesystem::path& dir, const std::string& stem) {
    for (auto& d : r.datasets) {
        if (d.picture.empty()) {
            if (!d.picture_note.empty()) add_to_message(r, d, d.picture_note);
            continue;
        }
        std::filesystem::create_directories(dir);
        const auto path = dir / fmt::format("{}-dataset-{}.png", stem, d.index);
        write_file_atomic(path, d.picture);
        d.picture_path = path.string();
        add_to_message(r, d, with_note("difference picture: " + d.picture_path, d.picture_note));
    }
}

void name_attached_pictures(GradeReport& r, const std::string& where, std::size_t budget_bytes) {
    std::size_t used = 0;
    for (auto& d : r.datasets) {
        if (d.picture.empty()) {
            if (!d.picture_note.empty()) add_to_message(r, d, d.picture_note);
            continue;
        }
        if (used + d.picture.size() > budget_bytes) {
            d.picture.clear();
            add_to_message(r, d,
                           fmt::format("no difference picture: a report carries at most {} KiB "
                                       "of them",
                                       budget_bytes / 1024));
            continue;
        }
        used += d.picture.size();
        add_to_message(r, d, with_note("difference picture: " + where, d.picture_note));
    }
}

std::string report_json(const GradeReport& r, bool embed_pictures) {
    nlohmann::json j;
    j["mp"] = r.mp_id;
    j["program"] = r.program;
    j["verdict"] = to_string(r.verdict);
    j["message"] = r.message;
    j["isolation"] = r.isolation;
    if (r.compiled) {
        j["compile"] = {{"verdict", to_string(r.compile.verdict)},
                        {"cached", r.compile.cached},
                        {"wall_s", round3(r.compile.wall_s)},
                        {"output", r.compile.output}};
    } else {
        j["compile"] = nullptr;
    }
    j["datasets"] = nlohmann::json::array();
    for (const auto& d : r.datasets) {
        j["datasets"].push_back(
            {{"index", d.index},
             {"verdict", to_string(d.verdict)},
             {"cpu_s", round3(d.cpu_s)},
             {"wall_s", round3(d.wall_s)},
             {"max_rss_kib", d.max_rss_kib},
             {"exit_code", d.exit_code},
             {"signal", d.signal},
             {"message", d.message},
             {"output", d.output},
             {"timers_ms", d.timers_ms},
             {"diff_png",
              d.picture_path.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.picture_path)}});
        if (embed_pictures && !d.picture.empty())
            j["datasets"].back()["diff_png_base64"] = to_base64(d.picture);
    }
    j["lone_run"] = r.lone_run;
    j["score"] = r.score;
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

GradeReport report_from_json(const nlohmann::json& j) {
    GradeReport r;
    if (!j.is_object()) return r;
    r.mp_id = field<std::string>(j, "mp");
    r.program = field<std::string>(j, "program");
    r.verdict = verdict_of(j);
    r.message = field<std::string>(j, "message");
    r.isolation = field<std::string>(j, "isolation");
    r.lone_run = field<bool>(j, "lone_run");
    const auto score = field<nlohmann::json>(j, "score", nlohmann::json::object());
    if (score.is_object()) {
        r.score.points = field<double>(score, "points");
        r.score.max = field<double>(score, "max");
        for (const auto& i : field<nlohmann::json>(score, "items", nlohmann::json::array()))
            if (i.is_object())
                r.score.items.push_back({field<std::string>(i, "what"), field<double>(i, "points"),
                                         field<double>(i, "max"), field<std::string>(i, "lost")});
    }
    const auto compile = j.find("compile");
    r.compiled = compile != j.end() && compile->is_object();
    if (r.compiled) {
        r.compile.verdict = verdict_of(*compile);
        r.compile.cached = field<bool>(*compile, "cached");
        r.compile.wall_s = field<double>(*compile, "wall_s");
        r.compile.output = field<std::string>(*compile, "output");
    }
    for (const auto& d : field<nlohmann::json>(j, "datasets", nlohmann::json::array())) {
        if (!d.is_object()) continue;
        r.datasets.push_back({field<int>(d, "index"),
                              verdict_of(d),
                              field<double>(d, "cpu_s"),
                              field<double>(d, "wall_s"),
                              field<std::uint64_t>(d, "max_rss_kib"),
                              field<int>(d, "exit_code", -1),
                              field<int>(d, "signal"),
                              field<std::string>(d, "message"),
                              field<std::string>(d, "output"),
                              field<std::map<std::string, double>>(d, "timers_ms"),
                              {},
                              {},
                              field<std::string>(d, "diff_png")});
    }
    return r;
}

std::string report_table(const GradeReport& r, const TableStyle& style) {
    std::string out;
    // A CUDA program's kernel time (libwb's Compute timers), where it has any.
    const bool kernels = std::any_of(r.datasets.begin(), r.datasets.end(),
                                     [](const auto& d) { return d.timers_ms.count("Compute"); });
    if (!r.datasets.empty()) {
        out += fmt::format("{:<8} {:<18} {:>7} {:>7} {:>10}{}  {}\n", "dataset", "verdict", "cpu s",
                           "wall s", "memory", kernels ? fmt::format(" {:>9}", "kernel ms") : "",
                           "message");
        for (const auto& d : r.datasets) {
            const auto verdict = fmt::format("{:<18}", to_string(d.verdict));
            std::string kernel;
            if (kernels) {
                const auto it = d.timers_ms.find("Compute");
                kernel = it == d.timers_ms.end() ? fmt::format(" {:>9}", "-")
                                                 : fmt::format(" {:>9.3f}", it->second);
            }
            out += fmt::format("{:<8} {} {:>7.3f} {:>7.3f} {:>10}{}  {}\n",
                               r.lone_run ? std::string("run") : std::to_string(d.index),
                               paint(style, d.verdict, verdict), d.cpu_s, d.wall_s,
                               human_kib(d.max_rss_kib), kernel, d.message);
        }
        out += "\n";
    }
    int correct = 0;
    for (const auto& d : r.datasets)
        correct += d.verdict == Verdict::correct;
    out += fmt::format("{}: {}", r.mp_id, paint(style, r.verdict, to_string(r.verdict)));
    if (!r.datasets.empty() && !r.lone_run)
        out += fmt::format(" ({}/{} datasets correct)", correct, r.datasets.size());
    if (r.score.max > 0) out += fmt::format(", {:g} of {:g} points", r.score.points, r.score.max);
    out += "\n";
    // One line per reason: a program that did not compile loses every
    // dataset's points for the same reason.
    std::vector<std::pair<std::string, double>> lost;
    for (const auto& i : r.score.items) {
        if (i.lost.empty()) continue;
        auto same = std::find_if(lost.begin(), lost.end(),
                                 [&](const auto& l) { return l.first == i.lost; });
        if (same == lost.end())
            lost.emplace_back(i.lost, i.max - i.points);
        else
            same->second += i.max - i.points;
    }
    for (const auto& [why, points] : lost)
        out += fmt::format("lost {:g} points: {}\n", points, why);
    if (r.lone_run && !r.datasets.empty() && !r.datasets.front().output.empty()) {
        out += "\nprogram output:\n" + r.datasets.front().output;
        if (r.datasets.front().output.back() != '\n') out += "\n";
    }
    if (r.verdict != Verdict::correct && !r.message.empty()) out += r.message + "\n";
    if (r.compiled && r.compile.verdict == Verdict::compile_error && !r.compile.output.empty()) {
        out += "\ncompiler output:\n" + r.compile.output;
        if (r.compile.output.back() != '\n') out += "\n";
    }
    return out;
}

int report_exit_code(const GradeReport& r) {
    if (r.verdict == Verdict::correct) return exit_ok;
    if (r.verdict == Verdict::internal_error) return exit_internal;
    return exit_not_correct;
}

} // namespace wb::core
