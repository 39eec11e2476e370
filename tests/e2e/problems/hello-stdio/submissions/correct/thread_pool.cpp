// 8 workers take jobs from a queue, under the limit of 32 processes.
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

int main() {
    std::string name;
    std::getline(std::cin, name);
    std::mutex m;
    std::condition_variable cv;
    std::queue<int> jobs;
    long sum = 0;
    bool done = false;
    std::vector<std::thread> pool;
    for (int i = 0; i < 8; ++i)
        pool.emplace_back([&] {
            for (;;) {
                std::unique_lock<std::mutex> lock(m);
                cv.wait(lock, [&] { return done || !jobs.empty(); });
                if (jobs.empty()) return;
                sum += jobs.front();
                jobs.pop();
            }
        });
    {
        std::lock_guard<std::mutex> lock(m);
        for (int i = 0; i < 1000; ++i) jobs.push(i);
        done = true;
    }
    cv.notify_all();
    for (auto& t : pool) t.join();
    std::fprintf(stderr, "sum %ld\n", sum);
    std::cout << "Hello, " << name << "!\n";
}
