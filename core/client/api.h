// The server's API as the client commands call it: JSON in and out over
// net::HttpClient, with the user's key, and one rule for what an answer
// that is not a success means to the user.
//
// A refusal of the request itself (400, 404, 409, 413, 422: a name that
// does not exist, a program too large) is an input error, exit 2; any
// other failure (401, 403, 5xx, no answer at all) is a server or network
// error, exit 3. Either way the message names the method, the URL, the
// HTTP status and the server's own message. A 429 (one submission every
// few seconds) is waited out as the server's Retry-After says.
#pragma once

#include "core/client/settings.h"
#include "core/error.h"
#include "core/net/http_client.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace wb::client {

class Api {
  public:
    // `need_key`: false for the routes that take none (signup, login).
    Api(const ConnectionFlags& flags, bool need_key);

    // GETs are repeated after a connection failure; POSTs are not, since the
    // server may have acted on one whose answer was lost.
    nlohmann::json get(const std::string& target);
    std::string get_text(const std::string& target);
    nlohmann::json post(const std::string& target, const nlohmann::json& body);

    // Called with a line to show while a rate-limited request waits.
    void on_wait(std::function<void(const std::string&)> f) { on_wait_ = std::move(f); }

    const Settings& settings() const { return settings_; }
    std::string url(const std::string& target) const { return settings_.server.value + target; }

  private:
    net::HttpResponse send(net::HttpRequest request);

    Settings settings_;
    net::HttpClient http_;
    std::function<void(const std::string&)> on_wait_;
};

// The server answered, but not with a success: the exit code is as above,
// the status is kept for a caller that waits out a 5xx (a restart).
struct ServerRefused : Error {
    ServerRefused(int exit_code, const std::string& what, long http_status)
        : Error(exit_code, what), status(http_status) {}
    long status;
};

// A string field of an answer, "" when absent or not a string.
std::string text(const nlohmann::json& j, const char* key);

// An MP id or a user name as a path segment: refused (InputError) unless it
// is a valid name, so that nothing a user types can change the path.
std::string path_name(const std::string& name, const char* what);

} // namespace wb::client
