// Secrets and their checks (see auth.h).
#include "core/server/auth.h"

#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"

#include <fmt/format.h>
#include <sodium.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

namespace wb::server {
namespace {

using core::to_hex;

void init_sodium() {
    if (sodium_init() < 0) throw InternalError("libsodium failed to initialise");
}

Key load_or_create(const std::filesystem::path& path) {
    if (std::filesystem::exists(path)) return read_key_file(path);
    Key key;
    randombytes_buf(key.data(), key.size());
    const auto text = to_hex(key.data(), key.size()) + "\n";
    // O_EXCL: two processes starting at once must not both write a key.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return read_key_file(path);
        throw InputError(
            fmt::format("{}: cannot create the key file: {}", path.string(), std::strerror(errno)));
    }
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::fsync(fd);
    ::close(fd);
    if (!ok) throw InputError(fmt::format("{}: cannot write the key file", path.string()));
    return key;
}

} // namespace

Key read_key_file(const std::filesystem::path& path) {
    init_sodium();
    std::ifstream in(path);
    if (!in) throw InputError(fmt::format("{}: cannot read the key file", path.string()));
    std::string text;
    in >> text;
    Key key;
    std::size_t len = 0;
    if (text.size() != 64 ||
        sodium_hex2bin(key.data(), key.size(), text.data(), text.size(), nullptr, &len, nullptr) !=
            0 ||
        len != key.size()) {
        throw InputError(
            fmt::format("{}: not a key file (expected 64 hex digits on one line)", path.string()));
    }
    return key;
}

Secrets load_secrets(const std::filesystem::path& data_dir) {
    init_sodium();
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec)
        throw InputError(
            fmt::format("cannot create data directory {}: {}", data_dir.string(), ec.message()));
    Secrets s;
    s.server_key = load_or_create(data_dir / "server.key");
    s.worker_key_file = data_dir / "worker.key";
    s.worker_key = load_or_create(s.worker_key_file);
    return s;
}

std::string random_hex(std::size_t bytes) {
    init_sodium();
    std::string raw(bytes, '\0');
    randombytes_buf(raw.data(), raw.size());
    return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

std::string new_api_key() {
    return "wbk_" + random_hex(32);
}
std::string new_session_token() {
    return random_hex(32);
}

std::string new_password() {
    init_sodium();
    static constexpr std::string_view alphabet =
        "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    std::string out;
    for (int i = 0; i < 20; ++i)
        out += alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))];
    return out;
}

std::string keyed_hash(const Key& key, std::string_view domain, std::string_view secret) {
    unsigned char out[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, key.data(), key.size(), sizeof out);
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(domain.data()),
                              domain.size());
    const unsigned char zero = 0;
    crypto_generichash_update(&st, &zero, 1);
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
    crypto_generichash_final(&st, out, sizeof out);
    return to_hex(out, sizeof out);
}

std::string hash_password(std::string_view password) {
    init_sodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw InternalError("argon2id ran out of memory hashing a password");
    }
    return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
    init_sodium();
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string worker_mac(const Key& key, std::string_view method, std::string_view path,
                       std::string_view worker, std::string_view timestamp, std::string_view nonce,
                       std::string_view body) {
    init_sodium();
    const std::string message = fmt::format("wbtool-worker-v1\n{}\n{}\n{}\n{}\n{}\n{}", method,
                                            path, worker, timestamp, nonce, core::sha256_hex(body));
    unsigned char mac[crypto_auth_BYTES];
    crypto_auth(mac, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                key.data());
    return to_hex(mac, sizeof mac);
}

std::vector<std::pair<std::string, std::string>>
sign_worker_request(const Key& key, std::string_view method, std::string_view path,
                    std::string_view worker, std::string_view body) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const auto ts = std::to_string(now);
    const auto nonce = random_hex(16);
    return {{worker_header, std::string(worker)},
            {timestamp_header, ts},
            {nonce_header, nonce},
            {mac_header, worker_mac(key, method, path, worker, ts, nonce, body)}};
}

bool equal_hex(std::string_view a, std::string_view b) {
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool NonceCache::remember(const std::string& nonce, std::int64_t now_s) {
    std::lock_guard lock(mutex_);
    if (now_s - last_sweep_ > worker_window_s) {
        for (auto it = seen_.begin(); it != seen_.end();) {
            it = now_s - it->second > 2 * worker_window_s ? seen_.erase(it) : std::next(it);
        }
        last_sweep_ = now_s;
    }
    return seen_.emplace(nonce, now_s).second;
}

} // namespace wb::server
