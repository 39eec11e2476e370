// JSON in and out of the HTTP API: the error type every handler throws, the
// one error body shape ({"error": {"code", "message"}}), and strict readers
// for request bodies and path parameters. A bad request is refused here,
// before a handler looks at it, so handlers never see deep nesting, invalid
// UTF-8, unknown fields or ids that could name a path or smuggle SQL.
#pragma once

#include "core/json_fields.h"
#include "core/names.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wb::server {

struct Response;

// An answer that is not a success. `code` is a stable, machine-readable
// word (bad_request, unauthorized, forbidden, not_found, conflict,
// too_large, rate_limited, ...); `message` is for people.
class ApiError : public std::runtime_error {
  public:
    ApiError(int status, std::string code, const std::string& message)
        : std::runtime_error(message), status_(status), code_(std::move(code)) {}
    int status() const { return status_; }
    const std::string& code() const { return code_; }
    int retry_after = 0; // seconds, for 429 and 503

  private:
    int status_;
    std::string code_;
};

ApiError bad_request(const std::string& message);
ApiError not_found(const std::string& message);
ApiError forbidden(const std::string& message);

inline constexpr int max_json_depth = 16;

// Parses a request body as one JSON object: refuses bodies over `max_bytes`
// (413), nesting deeper than max_json_depth, malformed JSON or invalid
// UTF-8 (400), and anything but an object. An empty body is {}.
nlohmann::json parse_body(std::string_view body, std::size_t max_bytes);

// The typed field readers are core's (core/json_fields.h): they throw
// InputError, which every route answers as 400 naming the field.
using core::get_string;
using core::only_fields;
using core::opt_bool;
using core::opt_int;
using core::opt_number;
using core::opt_string;

// Ids in paths and bodies. MP ids, user names and worker ids follow the one
// name rule (core/names.h); attempt and job ids are decimal.
using core::valid_name;
std::string check_name(std::string_view s, const char* what);    // 400 unless valid_name
std::int64_t check_number(std::string_view s, const char* what); // 400 unless 1..2^53

// Writes a JSON body (or the error body) to the response.
void reply(Response& res, int status, const nlohmann::json& body);
void reply_error(Response& res, const ApiError& e);

} // namespace wb::server
