// An HTTP client on libcurl, for everything in wbtool that speaks to a
// server: the worker today, the command line's client commands next.
//
// Every request has a connect timeout and a total timeout; a failure to
// connect (refused, unreachable, timed out, DNS) is retried with backoff
// when the caller says the request may be repeated, and then reported as a
// NetworkError that names the URL and curl's message. An answer from the
// server, whatever its status, is a response, not an error: the caller
// decides what a 409 or a 503 means. HTTPS works when the URL says https,
// against the system's CA store.
//
// One client is one curl easy handle, reused for keep-alive; it is not
// safe to use from two threads at once (each worker slot has its own).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace wb::net {

struct HttpResponse {
    long status = 0;
    std::string body;
    int retry_after_s = -1; // the Retry-After header, when there was one
};

struct ClientOptions {
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds total_timeout{60000};
    // Connection failures of a repeatable request: this many tries, waiting
    // backoff, 2 * backoff, ... (at most 30 s) between them.
    int tries = 4;
    std::chrono::milliseconds backoff{500};
};

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method = "GET"; // GET POST DELETE
    std::string target;         // path and query: /api/v1/worker/jobs/next
    std::string body;
    Headers headers;
    bool repeatable = false; // may be sent again after a connection failure
    // When set, the total timeout of this request instead of the client's.
    std::chrono::milliseconds timeout{0};
    // Checked about once a second while the request waits: true gives it
    // up (a long-poll of a worker that drains). NetworkError "aborted".
    std::function<bool()> abort;
};

class HttpClient {
  public:
    // `base_url`: scheme, host and port ("http://127.0.0.1:8080"); a path
    // after them is kept as a prefix of every target.
    explicit HttpClient(std::string base_url, ClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Throws NetworkError when no answer came (after the tries allowed).
    HttpResponse send(const HttpRequest& request);

    // Headers to add just before each try (a signature must be fresh: a
    // worker's timestamp and nonce), given the request.
    void sign_with(std::function<Headers(const HttpRequest&)> signer);

    const std::string& base_url() const { return base_; }
    // Called before a wait between tries; false stops the retries (a
    // draining worker that must not wait).
    void keep_trying(std::function<bool()> f) { keep_trying_ = std::move(f); }

  private:
    struct Curl;
    std::string base_;
    ClientOptions options_;
    std::unique_ptr<Curl> curl_;
    std::function<Headers(const HttpRequest&)> signer_;
    std::function<bool()> keep_trying_;
};

} // namespace wb::net
