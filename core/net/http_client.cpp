// The libcurl client (see http_client.h).
#include "core/net/http_client.h"

#include "core/error.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <thread>

namespace wb::net {
namespace {

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
    const std::string line(data, size * n);
    const std::string name = "retry-after:";
    if (line.size() > name.size()) {
        std::string head = line.substr(0, name.size());
        std::transform(head.begin(), head.end(), head.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (head == name) {
            try {
                *static_cast<int*>(user) = std::stoi(line.substr(name.size()));
            } catch (const std::exception&) {
                // A date or garbage: no number of seconds to wait.
            }
        }
    }
    return size * n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* abort = static_cast<const std::function<bool()>*>(user);
    return (*abort)() ? 1 : 0;
}

// Errors that mean no server answered, which a retry may cure.
bool connection_failure(CURLcode c) {
    return c == CURLE_COULDNT_CONNECT || c == CURLE_COULDNT_RESOLVE_HOST ||
           c == CURLE_OPERATION_TIMEDOUT || c == CURLE_SEND_ERROR || c == CURLE_RECV_ERROR ||
           c == CURLE_GOT_NOTHING || c == CURLE_PARTIAL_FILE;
}

} // namespace

struct HttpClient::Curl {
    CURL* handle = nullptr;
    ~Curl() {
        if (handle) curl_easy_cleanup(handle);
    }
};

HttpClient::HttpClient(std::string base_url, ClientOptions options)
    : base_(std::move(base_url)), options_(options), curl_(std::make_unique<Curl>()) {
    while (!base_.empty() && base_.back() == '/')
        base_.pop_back();
    if (base_.rfind("http://", 0) != 0 && base_.rfind("https://", 0) != 0) {
        throw InputError(
            fmt::format("'{}' is not a server URL: it must start with http:// or https://", base_));
    }
    global_init();
    curl_->handle = curl_easy_init();
    if (!curl_->handle) throw InternalError("libcurl could not make a handle");
}

HttpClient::~HttpClient() = default;

void HttpClient::sign_with(std::function<Headers(const HttpRequest&)> signer) {
    signer_ = std::move(signer);
}

HttpResponse HttpClient::send(const HttpRequest& request) {
    const std::string url = base_ + request.target;
    const int tries = request.repeatable ? std::max(1, options_.tries) : 1;
    auto wait = options_.backoff;
    std::string last_error;
    for (int attempt = 1; attempt <= tries; ++attempt) {
        CURL* h = curl_->handle;
        curl_easy_reset(h);
        HttpResponse response;
        char error[CURL_ERROR_SIZE] = {0};
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(options_.connect_timeout.count()));
        const auto total = request.timeout.count() > 0 ? request.timeout : options_.total_timeout;
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.retry_after_s);
        curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
        if (request.abort) {
            curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
            curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
            curl_easy_setopt(h, CURLOPT_XFERINFODATA, &request.abort);
        }
        if (request.method == "POST") {
            curl_easy_setopt(h, CURLOPT_POST, 1L);
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                             static_cast<curl_off_t>(request.body.size()));
        } else if (request.method != "GET") {
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        }
        curl_slist* list = nullptr;
        Headers headers = request.headers;
        if (signer_) {
            for (auto& h2 : signer_(request))
                headers.push_back(std::move(h2));
        }
        if (request.method == "POST") headers.emplace_back("Content-Type", "application/json");
        headers.emplace_back("Expect", ""); // no 100-continue round trip
        for (const auto& [name, value] : headers)
            list = curl_slist_append(list, (name + ": " + value).c_str());
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
        const CURLcode code = curl_easy_perform(h);
        curl_slist_free_all(list);
        if (code == CURLE_OK) {
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
            return response;
        }
        last_error = error[0] ? error : curl_easy_strerror(code);
        if (!connection_failure(code) || attempt == tries) break;
        if (keep_trying_ && !keep_trying_()) break;
        std::this_thread::sleep_for(wait);
        wait = std::min<std::chrono::milliseconds>(wait * 2, std::chrono::seconds(30));
    }
    throw NetworkError(fmt::format("{} {}: {}", request.method, url, last_error));
}

} // namespace wb::net
