// The difference picture of a wrong image answer: expected, got and their
// difference side by side in one PNG, so that a student sees where the
// output is wrong rather than reading one pixel's coordinates.
//
// Layout (docs/mp-format.md, "Difference pictures"): three panels of the
// larger width and height of the two images, left to right expected | got |
// difference, separated by `separator_px` white columns. A panel has the
// neutral grey `pad_grey` where its image has no pixel. The difference
// panel shows, per pixel, the largest absolute channel difference
// amplified `amplify` times (a grey level), red where a channel is beyond
// the MP's tolerance (the check's own rule, core::values_match) and blue
// where only one of the images has a pixel. Grey images are shown as
// grey, colour as colour; a grey and a colour image are compared with the
// grey value standing for all three channels.
//
// Big images are shrunk by a whole factor so that no panel side exceeds
// `max_side`: each panel pixel shows the top-left pixel of its block, and
// the difference panel the worst of the block (a single wrong pixel stays
// red).
#pragma once

#include "core/mp.h"
#include "core/output_format.h"

#include <string>

namespace wb::core {

struct DiffPicture {
    std::string png;  // the PNG file's bytes
    std::string note; // what a reader of the picture should know ("" or a sentence)
};

inline constexpr int diff_separator_px = 2;
inline constexpr int diff_amplify = 16;
inline constexpr int diff_pad_grey = 128;
// Panel sides: `grade --local --diff-dir` keeps images up to 1024 pixels a
// side as they are; a worker's pictures travel in its report, so smaller.
inline constexpr int local_picture_max_side = 1024;
inline constexpr int worker_picture_max_side = 256;

DiffPicture diff_picture(const output_format::Image& expected, const output_format::Image& got,
                         const Tolerance& tol, int max_side);

} // namespace wb::core
