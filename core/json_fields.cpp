// Strict JSON field readers (see json_fields.h).
#include "core/json_fields.h"

#include "core/error.h"
#include "core/output_format.h"

#include <fmt/format.h>

namespace wb::core {

void only_fields(const nlohmann::json& obj, std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : obj.items()) {
        bool ok = false;
        for (auto a : allowed)
            ok |= key == a;
        if (!ok) {
            std::string list;
            for (auto a : allowed)
                list += (list.empty() ? "" : ", ") + std::string(a);
            throw InputError(fmt::format("unknown field '{}' (expected: {})",
                                         output_format::escape(key, 80), list));
        }
    }
}

std::string get_string(const nlohmann::json& obj, const char* key) {
    auto v = opt_string(obj, key);
    if (!v) throw InputError(fmt::format("field '{}' is required", key));
    return *v;
}

std::optional<std::string> opt_string(const nlohmann::json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw InputError(fmt::format("field '{}' must be a string", key));
    return it->get<std::string>();
}

std::optional<std::int64_t> opt_int(const nlohmann::json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer())
        throw InputError(fmt::format("field '{}' must be an integer", key));
    // nlohmann keeps integers above INT64_MAX unsigned; get<int64_t> would wrap.
    if (it->is_number_unsigned() &&
        it->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        throw InputError(
            fmt::format("field '{}' is out of range: {}", key, it->get<std::uint64_t>()));
    return it->get<std::int64_t>();
}

std::optional<bool> opt_bool(const nlohmann::json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_boolean()) throw InputError(fmt::format("field '{}' must be true or false", key));
    return it->get<bool>();
}

std::optional<double> opt_number(const nlohmann::json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) throw InputError(fmt::format("field '{}' must be a number", key));
    return it->get<double>();
}

} // namespace wb::core
