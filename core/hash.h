// SHA-256 (libsodium) as lower-case hex: the content address of blobs, the
// key of the compile cache, the identity of a bundle; and base64, the other
// way wbtool writes bytes as text.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wb::core {

std::string sha256_hex(std::string_view data);

// The identity of an MP bundle: its files' paths and content hashes, in
// the order of their paths (std::filesystem::path's, component by
// component). Import stores it; a worker checks the file list it is given
// against it.
std::string bundle_hash(std::vector<std::pair<std::string, std::string>> path_and_sha256);

// Bytes as lower-case hex (every hex string wbtool writes: hashes, keys).
std::string to_hex(const unsigned char* data, std::size_t n);

// Bytes as standard base64 with padding (binary inside JSON: a worker's
// difference pictures), and back; nothing when the text is not base64.
std::string to_base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);

// Incremental hashing of several fields; each field is length-prefixed so
// that ("ab","c") and ("a","bc") differ.
class Hasher {
  public:
    Hasher();
    Hasher& add(std::string_view field);
    std::string hex();

  private:
    alignas(64) unsigned char state_[256];
};

} // namespace wb::core
