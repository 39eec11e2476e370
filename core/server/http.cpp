// Requests and answers as plain data (see http.h).
#include "core/server/http.h"

#include <algorithm>
#include <charconv>
#include <strings.h>

namespace wb::server {

bool NoCaseLess::operator()(const std::string& a, const std::string& b) const {
    return ::strcasecmp(a.c_str(), b.c_str()) < 0;
}

std::string Request::get_header_value(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

std::string Request::get_param_value(const std::string& name) const {
    const auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
}

void Response::set_header(const std::string& name, const std::string& value) {
    // Values come from the server's own code, but a CR or LF must never
    // split one header into two.
    if (value.find_first_of("\r\n") != std::string::npos) return;
    for (auto& [n, v] : headers) {
        if (::strcasecmp(n.c_str(), name.c_str()) == 0) {
            v = value;
            return;
        }
    }
    headers.emplace_back(name, value);
}

void Response::set_content(std::string content, const std::string& type) {
    body = std::move(content);
    set_header("Content-Type", type);
}

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%' && i + 2 < text.size()) {
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += plus_is_space && c == '+' ? ' ' : c;
    }
    return out;
}

std::optional<std::uint64_t> content_length(const Request& req) {
    if (req.header_count("Content-Length") != 1) return std::nullopt;
    const auto text = req.get_header_value("Content-Length");
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return n;
}

void parse_target(Request& req) {
    const auto q = req.target.find('?');
    req.path = percent_decode(std::string_view(req.target).substr(0, q), false);
    req.params.clear();
    if (q == std::string::npos) return;
    std::string_view query = std::string_view(req.target).substr(q + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (part.empty()) continue;
        const auto eq = part.find('=');
        req.params.emplace(percent_decode(part.substr(0, eq), true),
                           eq == std::string_view::npos
                               ? std::string()
                               : percent_decode(part.substr(eq + 1), true));
    }
}

} // namespace wb::server
