// The client's calls to the API (see api.h).
#include "core/client/api.h"

#include "core/error.h"
#include "core/names.h"

#include <fmt/format.h>

#include <chrono>
#include <thread>

namespace wb::client {
namespace {

// The server's own message ({"error": {"message"}}), else the body's start.
std::string server_message(const std::string& body) {
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_object() && j.contains("error") && j["error"].is_object())
        return j["error"].value("message", std::string());
    return body.substr(0, 200);
}

bool refused_input(long status) {
    return status == 400 || status == 404 || status == 409 || status == 413 || status == 422;
}

constexpr int max_rate_limit_waits = 5;

} // namespace

std::string text(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string path_name(const std::string& name, const char* what) {
    if (!core::valid_name(name)) {
        throw InputError(
            fmt::format("'{}' is not a valid {}: expected {}", name, what, core::name_pattern));
    }
    return name;
}

Api::Api(const ConnectionFlags& flags, bool need_key)
    : settings_(resolve(flags, need_key)), http_(settings_.server.value) {}

net::HttpResponse Api::send(net::HttpRequest request) {
    if (!settings_.api_key.value.empty())
        request.headers.emplace_back("Authorization", "Bearer " + settings_.api_key.value);
    request.headers.emplace_back("Accept", "application/json");
    for (int waits = 0;; ++waits) {
        auto r = http_.send(request);
        if (r.status >= 200 && r.status < 300) return r;
        if (r.status == 429 && waits < max_rate_limit_waits) {
            const int s = r.retry_after_s > 0 ? r.retry_after_s : 1;
            if (on_wait_)
                on_wait_(fmt::format("rate limited by the server; trying again in {} s", s));
            std::this_thread::sleep_for(std::chrono::seconds(s));
            continue;
        }
        const auto what = fmt::format("{} {}: HTTP {}: {}", request.method, url(request.target),
                                      r.status, server_message(r.body));
        if (r.status == 401 && !settings_.api_key.value.empty()) {
            throw ServerRefused(exit_network,
                                fmt::format("{} (the API key from {} is not accepted: run `wbtool "
                                            "login`)",
                                            what, settings_.api_key.from),
                                r.status);
        }
        throw ServerRefused(refused_input(r.status) ? exit_usage : exit_network, what, r.status);
    }
}

nlohmann::json Api::get(const std::string& target) {
    const auto body = get_text(target);
    auto j = nlohmann::json::parse(body, nullptr, false);
    if (j.is_discarded())
        throw NetworkError(fmt::format("GET {}: the answer is not JSON", url(target)));
    return j;
}

std::string Api::get_text(const std::string& target) {
    net::HttpRequest r;
    r.target = target;
    r.repeatable = true;
    return send(std::move(r)).body;
}

nlohmann::json Api::post(const std::string& target, const nlohmann::json& body) {
    net::HttpRequest r;
    r.method = "POST";
    r.target = target;
    r.body = body.dump();
    const auto answer = send(std::move(r)).body;
    auto j = nlohmann::json::parse(answer, nullptr, false);
    if (j.is_discarded())
        throw NetworkError(fmt::format("POST {}: the answer is not JSON", url(target)));
    return j;
}

} // namespace wb::client
