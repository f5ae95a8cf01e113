// fake_bbb: one or more fake BBB servers in one process, for benchmarks and manual testing.
//
//   fake_bbb --listen 127.0.0.1:0 --secret S [--count N] [--delay-ms D] [--threads T]
//            [--joins-on-connect] [--seed N]
//
// Prints "fake_bbb url=<baseUrl> secret=<secret>" per server (flushed), then serves until
// SIGTERM or SIGINT.

#include "fake_bbb/fake_bbb_server.hpp"

#include <Poco/Exception.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using b3s::test::bbb::FakeBbbOptions;
using b3s::test::bbb::FakeBbbServer;
using b3s::test::bbb::Fault;

constexpr std::string_view kUsage =
    "usage: fake_bbb --secret S [--listen HOST:PORT] [--count N] [--delay-ms D] [--threads T]\n"
    "                [--joins-on-connect] [--seed N]\n"
    "  --listen HOST:PORT  address of the first server (default 127.0.0.1:0; port 0 = ephemeral,\n"
    "                      otherwise server i listens on PORT+i)\n"
    "  --secret S          shared secret of every server (empty turns checksums off)\n"
    "  --count N           number of servers (default 1)\n"
    "  --delay-ms D        delay every answer by D ms (the 'slow' fault)\n"
    "  --threads T         HTTP worker threads per server (default 32); each keep-alive\n"
    "                      connection holds one\n"
    "  --joins-on-connect  count a joined user only once its client URL is fetched\n"
    "  --seed N            seed for passwords, voice bridges and tokens\n";

struct Args {
    std::string host = "127.0.0.1";
    unsigned long port = 0;
    std::optional<std::string> secret;
    unsigned long count = 1;
    unsigned long delayMs = 0;
    unsigned long threads = 32;
    bool joinsOnConnect = false;
    std::optional<std::uint64_t> seed;
};

unsigned long parseNumber(std::string_view flag, const std::string& value, unsigned long max) {
    std::size_t used = 0;
    unsigned long n = 0;
    try {
        n = std::stoul(value, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != value.size() || value.empty() || n > max)
        throw std::invalid_argument(std::string(flag) + ": not a number in 0.." + std::to_string(max) + ": " + value);
    return n;
}

Args parseArgs(int argc, char** argv) {
    Args args;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
            return argv[++i];
        };
        if (flag == "--listen") {
            const std::string listen = value();
            const auto colon = listen.rfind(':');
            if (colon == std::string::npos || colon == 0)
                throw std::invalid_argument("--listen: expected HOST:PORT, got " + listen);
            args.host = listen.substr(0, colon);
            if (args.host.size() > 2 && args.host.front() == '[' && args.host.back() == ']')
                args.host = args.host.substr(1, args.host.size() - 2);
            args.port = parseNumber("--listen", listen.substr(colon + 1), 65535);
        } else if (flag == "--secret") {
            args.secret = value();
        } else if (flag == "--count") {
            args.count = parseNumber(flag, value(), 1000);
        } else if (flag == "--delay-ms") {
            args.delayMs = parseNumber(flag, value(), 3'600'000);
        } else if (flag == "--threads") {
            args.threads = parseNumber(flag, value(), 4096);
        } else if (flag == "--joins-on-connect") {
            args.joinsOnConnect = true;
        } else if (flag == "--seed") {
            args.seed = parseNumber(flag, value(), ~0UL);
        } else if (flag == "--help" || flag == "-h") {
            std::cout << kUsage;
            std::exit(0);
        } else {
            throw std::invalid_argument("unknown argument: " + std::string(flag));
        }
    }
    if (!args.secret) throw std::invalid_argument("--secret is required");
    if (args.count == 0) throw std::invalid_argument("--count must be at least 1");
    if (args.threads == 0) throw std::invalid_argument("--threads must be at least 1");
    if (args.port != 0 && args.port + args.count - 1 > 65535)
        throw std::invalid_argument("--listen/--count: ports beyond 65535");
    return args;
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    try {
        args = parseArgs(argc, argv);
    } catch (const std::invalid_argument& e) {
        std::cerr << "fake_bbb: " << e.what() << '\n' << kUsage;
        return 2;
    }

    // Block the signals before any server thread exists, so every thread inherits the mask
    // and only sigwait() below receives them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    std::vector<std::unique_ptr<FakeBbbServer>> servers;
    try {
        for (unsigned long i = 0; i < args.count; ++i) {
            FakeBbbOptions options;
            options.host = args.host;
            options.port = static_cast<std::uint16_t>(args.port == 0 ? 0 : args.port + i);
            options.threads = static_cast<unsigned>(args.threads);
            options.joins_count_immediately = !args.joinsOnConnect;
            // Benchmarks run long: keep no request history beyond the last request.
            options.request_history = 0;
            if (args.seed) options.seed = *args.seed + i;
            auto server = std::make_unique<FakeBbbServer>(*args.secret, options);
            if (args.delayMs > 0) server->setFault(Fault::slow(std::chrono::milliseconds(args.delayMs)));
            std::cout << "fake_bbb url=" << server->baseUrl() << " secret=" << server->secret() << std::endl;
            servers.push_back(std::move(server));
        }
    } catch (const Poco::Exception& e) {
        std::cerr << "fake_bbb: cannot listen on " << args.host << ": " << e.displayText() << '\n';
        return 1;
    }

    int received = 0;
    sigwait(&signals, &received);
    servers.clear();
    return 0;
}
