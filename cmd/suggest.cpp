// "did you mean": CLI11 leaves the words that nothing took in remaining();
// the first of them is compared with the names that the subcommand the parse
// reached would have taken. Options fall through to the parent commands
// (main.cpp), so their names are candidates too; a command is looked for
// only among the reached subcommand's own subcommands.
#include "cmd/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <string_view>

namespace wb::cmd {
namespace {

// Optimal string alignment distance: insertions, deletions, substitutions
// and transpositions of neighbours ("grdae" is one edit from "grade").
std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i)
        d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

// The subcommands the parse went into, the root first.
std::vector<const CLI::App*> parsed_chain(const CLI::App& root) {
    std::vector<const CLI::App*> chain{&root};
    while (!chain.back()->get_subcommands().empty())
        chain.push_back(chain.back()->get_subcommands().front());
    return chain;
}

std::string command_line(const std::vector<const CLI::App*>& chain) {
    std::string out;
    for (const auto* app : chain)
        out += (out.empty() ? "" : " ") + app->get_name();
    return out;
}

std::vector<std::string> option_names(const std::vector<const CLI::App*>& chain) {
    std::vector<std::string> names;
    for (const auto* app : chain) {
        for (const auto* opt : app->get_options()) {
            if (opt->get_group().empty()) continue; // hidden
            for (const auto& l : opt->get_lnames())
                names.push_back("--" + l);
            for (const auto& s : opt->get_snames())
                names.push_back("-" + s);
        }
    }
    return names;
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        if (!sub->get_group().empty() && !sub->get_name().empty()) names.push_back(sub->get_name());
    return names;
}

std::string hint(const std::string& guess, const std::string& where, const char* what) {
    if (!guess.empty()) return fmt::format("did you mean '{}'?", guess);
    return fmt::format("see `{} --help` for its {}", where, what);
}

} // namespace

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = std::numeric_limits<std::size_t>::max();
    for (const auto& c : candidates) {
        const auto d = distance(word, c);
        if (d < best_distance) {
            best = c;
            best_distance = d;
        }
    }
    // Dashes are not what was mistyped: "-x" is no near miss of "-q".
    const std::size_t core = word.size() - std::min(word.find_first_not_of('-'), word.size());
    if (best_distance < core && best_distance <= std::max<std::size_t>(1, core / 3)) return best;
    std::vector<std::string> begun;
    for (const auto& c : candidates)
        if (core >= 1 && c.starts_with(word)) begun.push_back(c);
    return begun.size() == 1 ? begun.front() : "";
}

UsageMessage usage_message(const CLI::App& root, const CLI::ParseError& e) {
    const auto chain = parsed_chain(root);
    const auto where = command_line(chain);
    // CLI11 keeps a `--` it met among the words left; it is no mistake.
    auto left = root.remaining(true);
    std::erase(left, "--");
    // A word nothing took explains an extra argument, and a missing one
    // too (`wbtool grdae` lacks a subcommand); a bad value is its own error.
    const bool about_words = dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr ||
                             dynamic_cast<const CLI::RequiredError*>(&e) != nullptr;
    if (left.empty() || !about_words)
        return {e.what(), fmt::format("see `{} --help` for its usage", where)};
    const auto& word = left.front();
    if (word.starts_with('-') && word != "-") {
        const auto name = word.substr(0, word.find('='));
        return {fmt::format("unknown option '{}' for `{}`", name, where),
                hint(nearest(name, option_names(chain)), where, "options")};
    }
    const auto subs = subcommand_names(*chain.back());
    if (subs.empty()) {
        return {fmt::format("unexpected argument '{}' for `{}`", word, where),
                hint("", where, "usage")};
    }
    return {fmt::format("unknown command '{}' for `{}`", word, where),
            hint(nearest(word, subs), where, "commands")};
}

} // namespace wb::cmd
