// Strict readers for JSON objects that come from outside: a request body, a
// worker's report. A wrong type, a missing required field or a field that
// is not expected is InputError naming the field (the server answers 400,
// a command exits 2), so no caller reads a key it has not checked.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace wb::core {

// Refuses keys of `obj` not in `allowed`.
void only_fields(const nlohmann::json& obj, std::initializer_list<std::string_view> allowed);

std::string get_string(const nlohmann::json& obj, const char* key);
std::optional<std::string> opt_string(const nlohmann::json& obj, const char* key);
std::optional<std::int64_t> opt_int(const nlohmann::json& obj, const char* key);
std::optional<bool> opt_bool(const nlohmann::json& obj, const char* key);
std::optional<double> opt_number(const nlohmann::json& obj, const char* key);

} // namespace wb::core
