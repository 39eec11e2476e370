// SHA-256 through libsodium (see hash.h).
#include "core/hash.h"

#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace wb::core {
namespace {

crypto_hash_sha256_state* as_state(unsigned char* p) {
    static_assert(sizeof(crypto_hash_sha256_state) <= 256);
    return reinterpret_cast<crypto_hash_sha256_state*>(p);
}

} // namespace

std::string to_hex(const unsigned char* data, std::size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), data, n);
    out.pop_back();
    return out;
}

std::string to_base64(std::string_view bytes) {
    const int variant = sodium_base64_VARIANT_ORIGINAL;
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), variant);
    out.pop_back(); // the terminating NUL
    return out;
}

std::optional<std::string> from_base64(std::string_view text) {
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t n = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &n, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(n);
    return out;
}

std::string sha256_hex(std::string_view data) {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return to_hex(out, sizeof out);
}

Hasher::Hasher() {
    crypto_hash_sha256_init(as_state(state_));
}

Hasher& Hasher::add(std::string_view field) {
    std::uint64_t len = field.size();
    unsigned char prefix[8];
    std::memcpy(prefix, &len, sizeof prefix);
    crypto_hash_sha256_update(as_state(state_), prefix, sizeof prefix);
    crypto_hash_sha256_update(as_state(state_),
                              reinterpret_cast<const unsigned char*>(field.data()), field.size());
    return *this;
}

std::string Hasher::hex() {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(as_state(state_), out);
    return to_hex(out, sizeof out);
}

std::string bundle_hash(std::vector<std::pair<std::string, std::string>> files) {
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
        return std::filesystem::path(a.first) < std::filesystem::path(b.first);
    });
    Hasher h;
    h.add("wbtool-bundle-v1");
    for (const auto& [path, sha256] : files)
        h.add(path).add(sha256);
    return h.hex();
}

} // namespace wb::core
