#include <wb.h>
#include <thread>

//@@ The purpose of this code is to become familiar with the submission
//@@ process. It prints what it knows of the machine.

int main(int argc, char **argv) {
  wbArg_read(argc, argv);
  wbLog(TRACE, "hardware threads: ", std::thread::hardware_concurrency() > 0 ? "some" : "none");
  wbLog(TRACE, "The lab tour is done");
  return 0;
}
