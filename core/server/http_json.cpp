// Strict JSON intake and the error body (see http_json.h).
#include "core/server/http_json.h"

#include "core/output_format.h"

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <vector>

namespace wb::server {

ApiError bad_request(const std::string& message) {
    return ApiError(400, "bad_request", message);
}
ApiError not_found(const std::string& message) {
    return ApiError(404, "not_found", message);
}
ApiError forbidden(const std::string& message) {
    return ApiError(403, "forbidden", message);
}

namespace {

// The depth of the deepest array or object, counted on the raw text before
// parsing, so a body of a million '[' costs a scan and not a recursion.
int nesting_depth(std::string_view s) {
    int depth = 0;
    int deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"')
            in_string = true;
        else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
            if (deepest > max_json_depth) return deepest;
        } else if (c == ']' || c == '}')
            --depth;
    }
    return deepest;
}

// The first key that an object of the body holds twice, if any: a body
// that says two things is refused rather than read as its last.
struct DuplicateKeys {
    std::vector<std::set<std::string>> open; // the keys of each object being read
    std::optional<std::string> first;

    bool operator()(int, nlohmann::json::parse_event_t event, const nlohmann::json& parsed) {
        using E = nlohmann::json::parse_event_t;
        if (event == E::object_start) open.emplace_back();
        if (event == E::object_end && !open.empty()) open.pop_back();
        if (event == E::key && !open.empty() &&
            !open.back().insert(parsed.get<std::string>()).second && !first)
            first = parsed.get<std::string>();
        return true;
    }
};

nlohmann::json parse_json(std::string_view body) {
    DuplicateKeys dups;
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(body, std::ref(dups));
    } catch (const nlohmann::json::parse_error& e) {
        // nlohmann's messages name the byte offset and, for bad UTF-8, say so.
        throw bad_request(fmt::format("the body is not valid JSON: {}", e.what()));
    }
    if (dups.first) {
        throw bad_request(fmt::format("the body holds the key '{}' twice: send each field once",
                                      core::output_format::escape(*dups.first, 80)));
    }
    return j;
}

} // namespace

nlohmann::json parse_body(std::string_view body, std::size_t max_bytes) {
    if (body.size() > max_bytes) {
        throw ApiError(413, "too_large",
                       fmt::format("the request body is {} bytes, over the limit of {} bytes",
                                   body.size(), max_bytes));
    }
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return nlohmann::json::object();
    if (nesting_depth(body) > max_json_depth) {
        throw bad_request(
            fmt::format("the JSON body is nested deeper than {} levels", max_json_depth));
    }
    const auto j = parse_json(body);
    if (!j.is_object()) throw bad_request("the body must be a JSON object");
    return j;
}

std::string check_name(std::string_view s, const char* what) {
    if (!valid_name(s)) {
        throw bad_request(
            fmt::format("'{}' is not a valid {}: use 1 to 64 of a-z, 0-9, '_' and '-', "
                        "starting with a letter or digit",
                        core::output_format::escape(s, 80), what));
    }
    return std::string(s);
}

std::int64_t check_number(std::string_view s, const char* what) {
    if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string_view::npos ||
        s[0] == '0') {
        throw bad_request(fmt::format("'{}' is not a valid {}: expected a positive decimal number",
                                      core::output_format::escape(s, 80), what));
    }
    return std::stoll(std::string(s));
}

} // namespace wb::server
