// PNG through libpng (see png.h).
//
// libpng reports errors by longjmp() to the setjmp() of the caller. The
// functions that call setjmp() hold no C++ object with a destructor, so a
// jump out of libpng skips nothing; the structs are freed by a guard in
// their caller, and the bytes go to and come from a std::string through
// libpng's I/O callbacks (no temporary files).
#include "core/png.h"

#include "core/error.h"

#include <csetjmp>
#include <cstring>
#include <png.h>

namespace wb::core {
namespace {

struct Writer {
    png_structp png = nullptr;
    png_infop info = nullptr;
    Writer() {
        png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
        if (png) info = png_create_info_struct(png);
    }
    ~Writer() { png_destroy_write_struct(&png, &info); }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
};

struct Reader {
    png_structp png = nullptr;
    png_infop info = nullptr;
    Reader() {
        png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
        if (png) info = png_create_info_struct(png);
    }
    ~Reader() { png_destroy_read_struct(&png, &info, nullptr); }
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
};

struct Source {
    std::string_view bytes;
    std::size_t at = 0;
};

void append(png_structp png, png_bytep data, png_size_t n) {
    auto* out = static_cast<std::string*>(png_get_io_ptr(png));
    out->append(reinterpret_cast<const char*>(data), n);
}

void flush(png_structp) {}

void take(png_structp png, png_bytep data, png_size_t n) {
    auto* in = static_cast<Source*>(png_get_io_ptr(png));
    if (in->bytes.size() - in->at < n) png_error(png, "the PNG data ends early");
    std::memcpy(data, in->bytes.data() + in->at, n);
    in->at += n;
}

// No C++ object lives in this frame: libpng may longjmp out of any call.
bool write_rows(png_structp png, png_infop info, const RgbPicture& p, std::string* out) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_write_fn(png, out, append, flush);
    png_set_IHDR(png, info, static_cast<png_uint_32>(p.width), static_cast<png_uint_32>(p.height),
                 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    const std::size_t stride = static_cast<std::size_t>(p.width) * 3;
    for (int y = 0; y < p.height; ++y)
        png_write_row(png, p.rgb.data() + static_cast<std::size_t>(y) * stride);
    png_write_end(png, nullptr);
    return true;
}

// The header, with the transformations that make any PNG 8-bit RGB.
bool read_header(png_structp png, png_infop info, Source* in, png_uint_32* width,
                 png_uint_32* height) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_read_fn(png, in, take);
    png_read_info(png, info);
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_strip_alpha(png);
    png_set_gray_to_rgb(png);
    png_read_update_info(png, info);
    *width = png_get_image_width(png, info);
    *height = png_get_image_height(png, info);
    return png_get_rowbytes(png, info) == static_cast<png_size_t>(*width) * 3;
}

bool read_rows(png_structp png, png_infop info, png_bytep data, png_uint_32 width,
               png_uint_32 height) {
    if (setjmp(png_jmpbuf(png))) return false;
    for (png_uint_32 y = 0; y < height; ++y)
        png_read_row(png, data + static_cast<std::size_t>(y) * width * 3, nullptr);
    png_read_end(png, info);
    return true;
}

} // namespace

std::string encode_png(const RgbPicture& picture) {
    if (picture.width <= 0 || picture.height <= 0 ||
        picture.rgb.size() != static_cast<std::size_t>(picture.width) * picture.height * 3) {
        throw InternalError("encode_png: the picture's size and its pixels disagree");
    }
    Writer w;
    std::string out;
    if (!w.info || !write_rows(w.png, w.info, picture, &out))
        throw InternalError("libpng could not encode the difference picture");
    return out;
}

std::optional<RgbPicture> decode_png(std::string_view bytes) {
    if (bytes.size() < 8 || png_sig_cmp(reinterpret_cast<png_const_bytep>(bytes.data()), 0, 8))
        return std::nullopt;
    Reader r;
    if (!r.info) return std::nullopt;
    Source in{bytes};
    png_uint_32 width = 0;
    png_uint_32 height = 0;
    if (!read_header(r.png, r.info, &in, &width, &height)) return std::nullopt;
    RgbPicture p{static_cast<int>(width), static_cast<int>(height), {}};
    p.rgb.resize(static_cast<std::size_t>(width) * height * 3);
    if (!read_rows(r.png, r.info, p.rgb.data(), width, height)) return std::nullopt;
    return p;
}

} // namespace wb::core
