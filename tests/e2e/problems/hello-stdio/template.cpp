#include <iostream>
#include <string>

int main() {
    std::string name;
    std::getline(std::cin, name);
    // Print "Hello, NAME!" on standard output.
    return 0;
}
