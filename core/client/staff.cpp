// Course staff's commands on a server: the grades (a table, JSON or the
// CSV export), the workers, and the MPs (list, show, import), which
// `wbtool mp` runs here when a server is configured and on the local
// store otherwise (cmd/mp.cpp decides).
#include "core/catalog.h"
#include "core/client/api.h"
#include "core/client/commands.h"
#include "core/error.h"
#include "core/files.h"
#include "core/mp_version.h"
#include "core/score.h"
#include "core/table.h"
#include "core/terminal.h"

#include <fmt/format.h>
#include <sodium.h>

namespace wb::client {
namespace {

std::string number(const nlohmann::json& j, const char* key, const char* format = "{}") {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return "";
    return it->is_number_float() ? fmt::format(fmt::runtime(format), it->get<double>())
                                 : fmt::format("{}", it->get<std::int64_t>());
}

std::string base64(const std::string& raw) {
    std::string out(sodium_base64_encoded_len(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                      raw.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1); // the terminating NUL
    return out;
}

// Every regular file under `dir`, by its path relative to it. The server
// validates the bundle as `wbtool mp import` does locally.
nlohmann::json bundle_files(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw InputError(fmt::format("{}: not a directory", dir.string()));
    auto files = nlohmann::json::object();
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
        if (e.is_symlink()) {
            throw InputError(fmt::format("{}: a symbolic link; a bundle holds only regular files",
                                         e.path().string()));
        }
        if (!e.is_regular_file()) continue;
        files[e.path().lexically_relative(dir).generic_string()] =
            base64(core::read_file(e.path()));
    }
    return files;
}

} // namespace

int grades(const ClientCall& call) {
    Api api(call.connection, true);
    const std::string filter = call.mp.empty() ? "" : "?mp=" + path_name(call.mp, "MP id");
    if (call.csv) {
        fmt::print("{}", api.get_text("/api/v1/grades.csv" + filter));
        return exit_ok;
    }
    auto answer = call.mp.empty() ? api.get("/api/v1/grades")
                                  : api.get("/api/v1/grade/" + path_name(call.mp, "MP id"));
    if (call.json) {
        print_json(answer);
        return exit_ok;
    }
    core::Table t(
        {"user", "mp", "correct", "score", "points", "verdict", "attempts", "attempt", "finished"});
    for (const auto& g : answer.value("grades", nlohmann::json::array())) {
        std::string points = number(g, "points", "{:g}");
        if (!points.empty()) points += "/" + number(g, "max_points", "{:g}");
        if (g.value("late", false)) points += " late";
        t.add({text(g, "user"), text(g, "mp"),
               fmt::format("{}/{}", number(g, "correct"), number(g, "total")),
               number(g, "score", "{:.2f}"), points, text(g, "verdict"), number(g, "attempts"),
               number(g, "attempt_id"), text(g, "finished_at")});
    }
    fmt::print("{}", t.render(core::is_terminal(stdout)));
    return exit_ok;
}

int workers(const ClientCall& call) {
    Api api(call.connection, true);
    const auto answer = api.get("/api/v1/workers");
    if (call.json) {
        print_json(answer);
        return exit_ok;
    }
    core::Table t({"worker", "state", "busy", "slots", "load", "last heartbeat", "gpu"});
    for (const auto& w : answer.value("workers", nlohmann::json::array())) {
        const auto status = w.value("status", nlohmann::json::object());
        const auto caps = w.value("capabilities", nlohmann::json::object());
        const bool gpu = caps.value("gpu", false);
        const auto reason = text(status, "gpu_reason");
        t.add({text(w, "id"), text(w, "state"), number(status, "busy"), number(status, "slots"),
               number(status, "load", "{:.2f}"), text(w, "last_heartbeat_at"),
               !gpu ? "none" : (w.value("gpu_ok", true) ? "ok" : "failing: " + reason)});
    }
    fmt::print("{}", t.render(core::is_terminal(stdout)));
    return exit_ok;
}

int mp_list(const ClientCall& call) {
    Api api(call.connection, true);
    const auto mps = api.get("/api/v1/mps").value("mps", nlohmann::json::array());
    if (call.json) {
        print_json(mps);
        return exit_ok;
    }
    fmt::print("{}", core::listings_table(mps.get<std::vector<core::MpListing>>(),
                                          core::is_terminal(stdout)));
    return exit_ok;
}

int mp_show(const ClientCall& call) {
    if (call.version != 0) {
        throw InputError("--version reads the local store: pass --data DIR (the server shows "
                         "the latest version)");
    }
    Api api(call.connection, true);
    const auto m = api.get("/api/v1/mp/" + path_name(call.mp, "MP id"));
    if (call.json) {
        print_json(m);
        return exit_ok;
    }
    const auto limits = m.value("limits", nlohmann::json::object());
    fmt::print("{} (version {}, imported {})\n", text(m, "id"), m.value("version", 0),
               text(m, "created_at"));
    fmt::print("  title:      {}\n", text(m, "title"));
    fmt::print("  toolchain:  {}\n", text(m, "toolchain"));
    fmt::print("  limits:     {}\n", limits.dump());
    fmt::print("  datasets:   {}\n", m.value("datasets", nlohmann::json::array()).dump());
    if (const auto sc = m.find("scoring"); sc != m.end() && sc->is_object()) {
        const auto scoring = sc->get<core::Scoring>();
        const auto shares = m.value("dataset_scores", std::vector<double>{});
        fmt::print("  scores:     {}\n", core::describe_scores(scoring, shares));
        if (const auto d = core::describe_deadlines(scoring); !d.empty())
            fmt::print("  deadlines:  {}\n", d);
    }
    fmt::print("  template:   {}\n\n{}\n", text(m, "template_name"), text(m, "description"));
    const auto questions = m.value("questions", nlohmann::json::array());
    if (!questions.empty()) fmt::print("questions:\n");
    for (std::size_t i = 0; i < questions.size(); ++i)
        fmt::print("  {}. {}\n", i + 1, questions[i].get<std::string>());
    return exit_ok;
}

int mp_import(const ClientCall& call) {
    Api api(call.connection, true);
    // The directory's name too: a config.json bundle's id is made from it.
    const auto answer = api.post("/api/v1/mps/import", {{"files", bundle_files(call.file)},
                                                        {"name", core::directory_name(call.file)}});
    if (call.answer) {
        *call.answer = answer.dump();
    } else if (call.json) {
        print_json(answer);
    } else {
        fmt::print("{}\n", core::describe(answer.get<core::ImportResult>()));
    }
    return exit_ok;
}

} // namespace wb::client
