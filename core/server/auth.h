// Secrets and their checks, all through libsodium:
//
//  - passwords: argon2id (crypto_pwhash_str, interactive limits); slow on
//    purpose, so only login and signup pay for it;
//  - API keys and session tokens: 32 random bytes, stored as a keyed
//    BLAKE2b hash (crypto_generichash with the server key), so a leaked
//    database does not give working keys, and checking one costs
//    microseconds on every request;
//  - workers: a shared 32-byte secret; every worker request carries an
//    HMAC (crypto_auth, HMAC-SHA-512-256) over method, path, worker id,
//    timestamp, nonce and the body's hash. Requests outside the time window
//    or with a nonce seen before are refused.
//
// The keys live in the data directory (server.key, worker.key; mode 0600,
// hex text) and are made on first use, so `wbtool user add` and `wbtool
// serve` on the same data directory agree.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wb::server {

using Key = std::array<unsigned char, 32>;

struct Secrets {
    Key server_key{}; // keyed hashes of API keys and session tokens
    Key worker_key{}; // MACs of worker requests
    std::filesystem::path worker_key_file;
};

// Reads <data_dir>/server.key and worker.key, creating them if missing.
// Throws wb::InputError naming the file when one is unreadable or malformed.
Secrets load_secrets(const std::filesystem::path& data_dir);

// Reads a key file (64 hex digits). Throws wb::InputError.
Key read_key_file(const std::filesystem::path& path);

std::string random_hex(std::size_t bytes);
std::string new_api_key();       // "wbk_" + 64 hex digits
std::string new_session_token(); // 64 hex digits
std::string new_password();      // 20 characters from an unambiguous alphabet

// Keyed hash of a secret, hex. `domain` separates kinds ("api", "session").
std::string keyed_hash(const Key& key, std::string_view domain, std::string_view secret);

std::string hash_password(std::string_view password); // argon2id string
bool verify_password(const std::string& hash, std::string_view password);

// The HTTP headers of a signed worker request.
inline constexpr const char* worker_header = "X-Wb-Worker";
inline constexpr const char* timestamp_header = "X-Wb-Timestamp";
inline constexpr const char* nonce_header = "X-Wb-Nonce";
inline constexpr const char* mac_header = "X-Wb-Mac";
inline constexpr std::int64_t worker_window_s = 60;

// The MAC (hex) of one worker request. `path` includes the query string.
std::string worker_mac(const Key& key, std::string_view method, std::string_view path,
                       std::string_view worker, std::string_view timestamp, std::string_view nonce,
                       std::string_view body);

// Headers for a worker request, signed now: what `wbtool worker` (and the
// tests) send.
std::vector<std::pair<std::string, std::string>>
sign_worker_request(const Key& key, std::string_view method, std::string_view path,
                    std::string_view worker, std::string_view body);

bool equal_hex(std::string_view a, std::string_view b); // constant time for equal lengths

// Nonces seen within the time window; a second use is a replay.
class NonceCache {
  public:
    // False when `nonce` was seen in the window. Forgets nonces older than it.
    bool remember(const std::string& nonce, std::int64_t now_s);

  private:
    std::mutex mutex_;
    std::map<std::string, std::int64_t> seen_;
    std::int64_t last_sweep_ = 0;
};

} // namespace wb::server
