// The process runner of the end-to-end tests (see runner.h).
#include "runner.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace wb::test {
namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace

nlohmann::json Run::json() const {
    INFO("stdout: " << out << "\nstderr: " << err);
    nlohmann::json j;
    REQUIRE_NOTHROW(j = nlohmann::json::parse(out));
    return j;
}

Run run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd) {
    return run_process(argv, RunOptions{cwd, {}, {}});
}

Run run_process(const std::vector<std::string>& argv, const RunOptions& options) {
    TempDir io;
    const auto in_path = io / "stdin";
    const auto out_path = io / "stdout";
    const auto err_path = io / "stderr";
    write_text(in_path, options.input);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int in = ::open(options.input.empty() ? "/dev/null" : in_path.c_str(), O_RDONLY);
        const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0) ::_exit(126);
        ::dup2(in, 0);
        ::dup2(out, 1);
        ::dup2(err, 2);
        if (!options.cwd.empty() && ::chdir(options.cwd.c_str()) != 0) ::_exit(126);
        for (const auto& [name, value] : options.env) {
            if (value.empty())
                ::unsetenv(name.c_str());
            else
                ::setenv(name.c_str(), value.c_str(), 1);
        }
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
    }
    Run r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    return r;
}

Wbtool::Wbtool() = default;

Run Wbtool::operator()(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {WBTOOL_BINARY, "--data", data_dir().string(), "--cache",
                                     cache_dir().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv);
}

std::filesystem::path source_dir() {
    return WBTOOL_SOURCE_DIR;
}

std::filesystem::path example(const std::string& name) {
    return source_dir() / "examples" / "mps" / name;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to) {
    std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

} // namespace wb::test
