// The fake_bbb executable: prints one line per server, serves, stops on SIGTERM.

#include "bbb_http_client.hpp"
#include "fake_bbb/sign_query.hpp"

#include <gtest/gtest.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace b3s::test::bbb {
namespace {

using namespace std::chrono_literals;

class FakeBbbProcess {
public:
    explicit FakeBbbProcess(std::vector<std::string> args) {
        args.insert(args.begin(), B3S_FAKE_BBB_PATH);
        std::vector<char*> argv;
        argv.reserve(args.size() + 1);
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        int fds[2];
        if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
        pid_ = fork();
        if (pid_ == 0) {
            dup2(fds[1], STDOUT_FILENO);
            close(fds[0]);
            close(fds[1]);
            execv(argv[0], argv.data());
            _exit(127);
        }
        close(fds[1]);
        out_ = fds[0];
    }

    ~FakeBbbProcess() {
        if (pid_ > 0 && !exited_) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        close(out_);
    }

    /// One line of stdout, or nullopt when nothing complete arrives in time.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        std::string line;
        for (;;) {
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return std::nullopt;
            pollfd p{out_, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
            char c = 0;
            if (read(out_, &c, 1) != 1) return std::nullopt;
            if (c == '\n') return line;
            line += c;
        }
    }

    void terminate() { kill(pid_, SIGTERM); }

    /// The exit status, or -1 when the process did not exit in time.
    int waitExit(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                exited_ = true;
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }
            std::this_thread::sleep_for(10ms);
        }
        return -1;
    }

private:
    pid_t pid_ = -1;
    int out_ = -1;
    bool exited_ = false;
};

struct Announcement {
    std::string url;
    std::string secret;
};

/// "fake_bbb url=<baseUrl> secret=<secret>", or nullopt for anything else.
std::optional<Announcement> parseAnnouncement(const std::string& line) {
    constexpr std::string_view kPrefix = "fake_bbb url=";
    const auto secretAt = line.find(" secret=");
    if (line.rfind(kPrefix, 0) != 0 || secretAt == std::string::npos) return std::nullopt;
    Announcement a{line.substr(kPrefix.size(), secretAt - kPrefix.size()), line.substr(secretAt + 8)};
    if (a.url.rfind("http://127.0.0.1:", 0) != 0 || !a.url.ends_with("/bigbluebutton/api/")) return std::nullopt;
    return a;
}

TEST(FakeBbbMain, PrintsOneLinePerServerAndServesUntilSigterm) {
    FakeBbbProcess process({"--listen", "127.0.0.1:0", "--secret", "main-secret", "--count", "2", "--threads", "4"});
    std::vector<std::string> urls;
    for (int i = 0; i < 2; ++i) {
        const auto line = process.readLine(10s);
        ASSERT_TRUE(line) << "no line " << i;
        const auto announced = parseAnnouncement(*line);
        ASSERT_TRUE(announced) << *line;
        EXPECT_EQ(announced->secret, "main-secret");
        urls.push_back(announced->url);
    }
    EXPECT_NE(urls[0], urls[1]);
    for (const auto& url : urls) {
        EXPECT_EQ(XmlDoc(httpGet(url).body).text("returncode"), "SUCCESS");
        const HttpResult signedCall = httpGet(url + "getMeetings?" + signQuery("getMeetings", "", "main-secret"));
        EXPECT_EQ(XmlDoc(signedCall.body).text("messageKey"), "noMeetings");
    }
    process.terminate();
    EXPECT_EQ(process.waitExit(10s), 0);
}

TEST(FakeBbbMain, DelayFlagSlowsEveryAnswer) {
    FakeBbbProcess process({"--secret", "s", "--delay-ms", "150"});
    const auto line = process.readLine(10s);
    ASSERT_TRUE(line);
    const auto announced = parseAnnouncement(*line);
    ASSERT_TRUE(announced) << *line;
    const std::string url = announced->url;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(httpGet(url).status, 200);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
    process.terminate();
    EXPECT_EQ(process.waitExit(10s), 0);
}

TEST(FakeBbbMain, RejectsBadArguments) {
    for (const auto& args : std::vector<std::vector<std::string>>{{},
                                                                  {"--secret", "s", "--count", "x"},
                                                                  {"--secret", "s", "--listen", "nohost"},
                                                                  {"--secret", "s", "--bogus"}}) {
        FakeBbbProcess process(args);
        EXPECT_EQ(process.waitExit(10s), 2);
    }
}

}  // namespace
}  // namespace b3s::test::bbb
