// PNG files through libpng: the difference pictures of image MPs
// (core/image_diff.h) are written with it, and the tests read them back with
// it. libpng, never an encoder of our own: the format's CRCs and zlib
// streams are easy to get subtly wrong, and a viewer that refuses a picture
// helps nobody.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wb::core {

// An 8-bit RGB picture, row by row from the top, 3 bytes a pixel.
struct RgbPicture {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb; // width * height * 3
};

// The picture as PNG bytes. Throws InternalError when libpng refuses it.
std::string encode_png(const RgbPicture& picture);

// PNG bytes back as 8-bit RGB (grey and palette expanded, alpha and 16-bit
// depth stripped); nothing when the bytes are not a PNG libpng can read.
std::optional<RgbPicture> decode_png(std::string_view bytes);

} // namespace wb::core
