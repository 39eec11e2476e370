// Colour to grayscale: grey = 0.21 r + 0.72 g + 0.07 b per pixel
// (reference solution).
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
  for (int i = 0; i < width * height; ++i) {
    float r = rgb[3 * i];
    float g = rgb[3 * i + 1];
    float b = rgb[3 * i + 2];
    grey[i] = 0.21f * r + 0.72f * g + 0.07f * b;
  }
  wbTime_stop(Compute, "Converting to grayscale");

  wbSolution(args, output);

  wbImage_delete(input);
  wbImage_delete(output);
  return 0;
}
