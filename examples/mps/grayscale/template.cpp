// Colour to grayscale: every pixel of the output is 0.21 r + 0.72 g +
// 0.07 b of the same pixel of the input (values in [0, 1]).
// Fill in the places marked //@@.
#include <wb.h>

int main(int argc, char **argv) {
  wbArg_t args = wbArg_read(argc, argv);

  wbTime_start(Generic, "Importing the image");
  wbImage_t input = wbImport(wbArg_getInputFile(args, 0));
  int width = wbImage_getWidth(input);
  int height = wbImage_getHeight(input);
  wbImage_t output = wbImage_new(width, height, 1);
  wbTime_stop(Generic, "Importing the image");

  wbTime_start(Compute, "Converting to grayscale");
  const float *rgb = wbImage_getData(input);
  float *grey = wbImage_getData(output);
  //@@ Insert code here: for each pixel i, read r, g and b at
  //@@ rgb[3 * i], rgb[3 * i + 1] and rgb[3 * i + 2], and set grey[i].
  (void)rgb;
  (void)grey;
  wbTime_stop(Compute, "Converting to grayscale");

  wbSolution(args, output);

  wbImage_delete(input);
  wbImage_delete(output);
  return 0;
}
