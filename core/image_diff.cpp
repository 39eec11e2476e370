// The difference picture (see image_diff.h). Each panel pixel is computed
// from a block of `factor` x `factor` image pixels; with factor 1 (every
// image up to max_side) the panels are the images, pixel for pixel.
#include "core/image_diff.h"

#include "core/check.h"
#include "core/png.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace wb::core {
namespace {

namespace of = output_format;
using Rgb = std::array<std::uint8_t, 3>;

constexpr Rgb pad = {diff_pad_grey, diff_pad_grey, diff_pad_grey};
constexpr Rgb separator = {255, 255, 255};
constexpr Rgb beyond = {255, 0, 0};
constexpr Rgb only_one = {0, 0, 255};

bool inside(const of::Image& img, std::uint64_t x, std::uint64_t y) {
    return x < img.width && y < img.height;
}

// Channel c (0..2) of pixel (x, y) on a scale of 0 to 1; a grey image's one
// value stands for all three.
double value(const of::Image& img, std::uint64_t x, std::uint64_t y, int c) {
    const auto channels = static_cast<std::uint64_t>(img.channels);
    const std::uint64_t at = (y * img.width + x) * channels + (channels == 3 ? c : 0);
    return static_cast<unsigned char>(img.samples[at]) / static_cast<double>(img.maxval);
}

Rgb shown(const of::Image& img, std::uint64_t x, std::uint64_t y) {
    if (!inside(img, x, y)) return pad;
    Rgb p{};
    for (int c = 0; c < 3; ++c)
        p[c] = static_cast<std::uint8_t>(std::lround(value(img, x, y, c) * 255));
    return p;
}

// How one image pixel compares: its largest channel difference, and
// whether it is beyond the tolerance or present in one image only.
struct PixelDiff {
    double largest = 0;
    bool wrong = false;
    bool unpaired = false;
};

PixelDiff compare(const of::Image& e, const of::Image& g, std::uint64_t x, std::uint64_t y,
                  const Tolerance& tol) {
    PixelDiff d;
    if (inside(e, x, y) != inside(g, x, y)) {
        d.unpaired = true;
        return d;
    }
    for (int c = 0; c < 3; ++c) {
        const double ev = value(e, x, y, c);
        const double gv = value(g, x, y, c);
        d.largest = std::max(d.largest, std::abs(ev - gv));
        d.wrong = d.wrong || !values_match(ev, gv, tol);
    }
    return d;
}

// The worst of a block: red over blue over the largest grey.
Rgb difference(const of::Image& e, const of::Image& g, std::uint64_t x0, std::uint64_t y0,
               std::uint64_t factor, const Tolerance& tol) {
    PixelDiff worst;
    for (std::uint64_t y = y0; y < y0 + factor; ++y) {
        for (std::uint64_t x = x0; x < x0 + factor; ++x) {
            if (!inside(e, x, y) && !inside(g, x, y)) continue;
            const auto d = compare(e, g, x, y, tol);
            worst.wrong = worst.wrong || d.wrong;
            worst.unpaired = worst.unpaired || d.unpaired;
            worst.largest = std::max(worst.largest, d.largest);
        }
    }
    if (worst.wrong) return beyond;
    if (worst.unpaired) return only_one;
    const auto grey =
        static_cast<std::uint8_t>(std::min(255L, std::lround(worst.largest * 255 * diff_amplify)));
    return {grey, grey, grey};
}

void put(RgbPicture& p, int x, int y, const Rgb& c) {
    const auto at = (static_cast<std::size_t>(y) * p.width + x) * 3;
    std::copy(c.begin(), c.end(), p.rgb.begin() + static_cast<std::ptrdiff_t>(at));
}

std::string note_for(const of::Image& e, const of::Image& g, std::uint64_t factor) {
    std::string note;
    if (e.width != g.width || e.height != g.height) {
        note = fmt::format("the picture pads the {} image with grey; blue marks pixels only one "
                           "image has",
                           e.width * e.height < g.width * g.height ? "expected" : "produced");
    }
    if (factor > 1) {
        note += fmt::format("{}the picture is shrunk {} times", note.empty() ? "" : "; ", factor);
    }
    return note;
}

} // namespace

DiffPicture diff_picture(const of::Image& e, const of::Image& g, const Tolerance& tol,
                         int max_side) {
    const std::uint64_t width = std::max(e.width, g.width);
    const std::uint64_t height = std::max(e.height, g.height);
    const auto side = static_cast<std::uint64_t>(std::max(1, max_side));
    const std::uint64_t factor =
        std::max<std::uint64_t>(1, (std::max(width, height) + side - 1) / side);
    const int pw = static_cast<int>(std::max<std::uint64_t>(1, (width + factor - 1) / factor));
    const int ph = static_cast<int>(std::max<std::uint64_t>(1, (height + factor - 1) / factor));

    RgbPicture p{3 * pw + 2 * diff_separator_px, ph, {}};
    p.rgb.assign(static_cast<std::size_t>(p.width) * p.height * 3, 0);
    for (int y = 0; y < ph; ++y) {
        for (int s = 0; s < diff_separator_px; ++s) {
            put(p, pw + s, y, separator);
            put(p, 2 * pw + diff_separator_px + s, y, separator);
        }
        for (int x = 0; x < pw; ++x) {
            const std::uint64_t ix = x * factor;
            const std::uint64_t iy = y * factor;
            put(p, x, y, shown(e, ix, iy));
            put(p, pw + diff_separator_px + x, y, shown(g, ix, iy));
            put(p, 2 * (pw + diff_separator_px) + x, y, difference(e, g, ix, iy, factor, tol));
        }
    }
    return {encode_png(p), note_for(e, g, factor)};
}

} // namespace wb::core
