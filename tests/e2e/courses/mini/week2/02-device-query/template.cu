// Prints what the machine has.
#include <wb.h>

int main() {
  wbLog(TRACE, "no devices queried");
  return 0;
}
