// libwb images: wbImage_t and its accessors.
//
// Declarations first, bodies under WB_BODIES (see wb_base.h). An image is width x
// height pixels of `channels` floats each, interleaved, row by row from the
// top: the value of channel c of pixel (x, y) is
// data[(y * width + x) * channels + c]. Values are in [0, 1]; PPM files hold
// them as bytes v / 255 (see wb_import.h, wb_export.h). wbImage_t is a
// pointer, as in the classic libwb, so `wbImage_getWidth(img)` reads the same
// whether the accessors are macros or functions.
#pragma once

#include "wb_base.h"

typedef struct st_wbImage_t {
    int width;
    int height;
    int channels;
    int pitch; // floats per row: width * channels
    float* data;
} * wbImage_t;

#define wbImage_channels 3

// Data zero-filled; channels defaults to wbImage_channels (3).
wbImage_t wbImage_new(int width, int height, int channels);
wbImage_t wbImage_new(int width, int height);
// Takes `data` (width * height * channels floats from malloc) as the
// image's own: wbImage_delete frees it.
wbImage_t wbImage_new(int width, int height, int channels, float* data);
void wbImage_delete(wbImage_t img);
int wbImage_getWidth(wbImage_t img);
int wbImage_getHeight(wbImage_t img);
int wbImage_getChannels(wbImage_t img);
int wbImage_getPitch(wbImage_t img);
float* wbImage_getData(wbImage_t img);

#if WB_BODIES

WB_INLINE wbImage_t wbImage_new(int width, int height, int channels) {
    if (width < 0 || height < 0 || channels < 1)
        wbInternal::fail("wbImage_new(" + std::to_string(width) + ", " + std::to_string(height) +
                         ", " + std::to_string(channels) +
                         "): width and height must be >= 0 and channels >= 1");
    size_t count =
        static_cast<size_t>(width) * static_cast<size_t>(height) * static_cast<size_t>(channels);
    if (static_cast<double>(width) * channels > 2147483647.0)
        wbInternal::fail("wbImage_new: a row of " + std::to_string(width) + " x " +
                         std::to_string(channels) + " values is too long");
    wbImage_t img = static_cast<wbImage_t>(std::malloc(sizeof(st_wbImage_t)));
    // calloc: a fresh image reads as black, never as leftover memory.
    float* data = static_cast<float*>(std::calloc(count ? count : 1, sizeof(float)));
    if (!img || !data) {
        std::free(img);
        std::free(data);
        wbInternal::fail("wbImage_new: out of memory for a " + std::to_string(width) + " x " +
                         std::to_string(height) + " x " + std::to_string(channels) + " image");
    }
    img->width = width;
    img->height = height;
    img->channels = channels;
    img->pitch = width * channels;
    img->data = data;
    return img;
}

WB_INLINE wbImage_t wbImage_new(int width, int height, int channels, float* data) {
    wbImage_t img = wbImage_new(width, height, channels);
    std::free(img->data);
    img->data = data;
    return img;
}

WB_INLINE wbImage_t wbImage_new(int width, int height) {
    return wbImage_new(width, height, wbImage_channels);
}

WB_INLINE void wbImage_delete(wbImage_t img) {
    if (!img) return;
    std::free(img->data);
    std::free(img);
}

WB_INLINE int wbImage_getWidth(wbImage_t img) {
    return img->width;
}
WB_INLINE int wbImage_getHeight(wbImage_t img) {
    return img->height;
}
WB_INLINE int wbImage_getChannels(wbImage_t img) {
    return img->channels;
}
WB_INLINE int wbImage_getPitch(wbImage_t img) {
    return img->pitch;
}
WB_INLINE float* wbImage_getData(wbImage_t img) {
    return img->data;
}

#endif // WB_BODIES
