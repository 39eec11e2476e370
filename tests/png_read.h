// Reads a PNG file back with libpng (its simplified API), for the tests of
// difference pictures that run the real binary: the picture is checked as
// any viewer would read it, not with wbtool's own code.
#pragma once

#include <cstdint>
#include <optional>
#include <png.h>
#include <string>
#include <vector>

namespace wb::test {

struct Png {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb; // 3 bytes a pixel, row by row
    std::vector<std::uint8_t> pixel(int x, int y) const {
        const auto i = (static_cast<std::size_t>(y) * width + x) * 3;
        return {rgb[i], rgb[i + 1], rgb[i + 2]};
    }
};

inline bool has_png_signature(const std::string& bytes) {
    return bytes.size() >= 8 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0;
}

inline std::optional<Png> read_png(const std::string& bytes) {
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) return std::nullopt;
    image.format = PNG_FORMAT_RGB;
    Png p{static_cast<int>(image.width), static_cast<int>(image.height), {}};
    p.rgb.resize(PNG_IMAGE_SIZE(image));
    if (!png_image_finish_read(&image, nullptr, p.rgb.data(), 0, nullptr)) {
        png_image_free(&image);
        return std::nullopt;
    }
    return p;
}

} // namespace wb::test
